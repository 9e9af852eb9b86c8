"""Rendered StreamField HTML, cached per page, revision, language and content.

Rendering a lesson body (rich text rewriting, block templates) costs more than the rest of the
page, yet it is the same for every learner. The key holds what the HTML depends on:
- the live revision, so publishing serves the new body at once in every worker, even with a
  per-process (locmem) cache where no signal could reach the other workers;
- the language, as block labels and internal links are translated;
- a digest of the stored blocks in that language, so a body changed without a new revision (a
  direct `save()`, an import) is never served stale either;
- the tokens of the registered body processors (`courses.rendering`), which add to the HTML
  after the blocks rendered it (glossary links), so a change they depend on shows at once.
Nothing per learner goes in: block templates read neither the user nor the session. Previews
are never cached. Links to other pages and documents are resolved when rendering, so a renamed
target shows up after at most RENDER_CACHE_SECONDS.
"""

import hashlib
import json

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from .rendering import process_body, processor_tokens

RENDER_CACHE_SECONDS = 60 * 60
KEY_PREFIX = "tadrib:render"


def render_cache_key(*, page, field: str, language: str, tokens: tuple[str, ...] = ()) -> str:
    """The cache key for `field` of `page` as rendered in `language`, by body processors in
    the state `tokens`."""
    stream = getattr(page, field)
    raw = json.dumps([list(stream.raw_data), tokens], sort_keys=True, cls=DjangoJSONEncoder)
    digest = hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()
    return f"{KEY_PREFIX}:{page.pk}:{page.live_revision_id}:{field}:{language}:{digest}"


def _render(page, field: str, request, language: str, tokens: tuple[str, ...]) -> str:
    """The blocks' HTML, then the body processors'. The text may be in a fallback language."""
    fallback = getattr(page, "fallback_language", None)
    text_language = (fallback(field) if fallback else None) or language
    html = str(getattr(page, field).render_as_block(context={"request": request}))
    return process_body(html, tokens=tokens, text_language=text_language, reader_language=language)


def rendered_stream(*, page, field: str, request) -> SafeString:
    """The HTML of StreamField `field` of `page` in the active language, rendered once."""
    language = translation.get_language() or ""
    tokens = processor_tokens(request)
    if getattr(request, "is_preview", False) or page.pk is None:
        return mark_safe(_render(page, field, request, language, tokens))  # noqa: S308 - as below
    key = render_cache_key(page=page, field=field, language=language, tokens=tokens)
    html = cache.get(key)
    if html is None:
        html = _render(page, field, request, language, tokens)
        cache.set(key, html, RENDER_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by the block templates, escaped there
