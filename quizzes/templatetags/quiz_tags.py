import re
from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html

from cms.formatting import format_percent
from cms.page_cache import BoundedCache
from cms.sanitize import sanitize_html

register = template.Library()

_BLOCK_TAGS = re.compile(r"</?(p|div|h[2-6]|blockquote)\b[^>]*>", re.IGNORECASE)


# Authored text sanitised once per worker: the result depends on the text alone unless it
# links to pages or documents, or embeds media (their addresses are looked up when expanded),
# so only such self-contained texts are kept. Content, nothing about any learner; bounded in
# entries and characters. The attempt page sanitises every question's text (bleach, twice,
# and BeautifulSoup): this took a quarter of its time.
_authored = BoundedCache(4000, max_bytes=4_000_000, getsizeof=lambda html: 2 * len(html))
_EXPANDED = ("linktype", "embedtype")


def is_self_contained(value) -> bool:
    """Whether authored text renders the same whatever the pages and documents it could link
    to: then its sanitised HTML may be kept."""
    text = value or ""
    return not any(marker in text for marker in _EXPANDED)


def _kept(kind: str, value, build) -> str:
    text = value or ""
    if not is_self_contained(text):
        return build(text)
    key = (kind, text)
    html = _authored.get(key)
    if html is None:
        html = build(text)
        _authored.set(key, html)
    return html


def _inline(text: str) -> str:
    html = sanitize_html(expand_db_html(text))
    parts = [part.strip() for part in _BLOCK_TAGS.split(html)]
    # split() keeps the captured tag names; drop them along with the empty pieces.
    text = "<br>".join(
        part for part in parts if part and not re.fullmatch(r"p|div|h[2-6]|blockquote", part, re.I)
    )
    return sanitize_html(text)


@register.filter
def authored_html(value) -> str:
    """Authored rich text, sanitised again at render time."""
    return mark_safe(_kept("html", value, lambda text: sanitize_html(expand_db_html(text))))  # noqa: S308 - sanitised


@register.filter
def authored_inline(value) -> str:
    """Authored rich text as phrasing content (for a `legend`): paragraphs become line breaks."""
    return mark_safe(_kept("inline", value, _inline))  # noqa: S308 - sanitised


@register.filter
def fraction_percent(value) -> str:
    """A share of the marks (0–1) as a whole percentage in the reader's language."""
    if value is None:
        return ""
    return format_percent(Decimal(str(value)) * 100)


@register.filter
def counter(value) -> str:
    """A number inside a sentence that autosave.js keeps up to date as the learner answers."""
    return format_html('<span class="quiz-outline__answered">{}</span>', value)
