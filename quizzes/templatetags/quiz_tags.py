import re
from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html

from cms.formatting import format_percent
from cms.sanitize import sanitize_html

register = template.Library()

_BLOCK_TAGS = re.compile(r"</?(p|div|h[2-6]|blockquote)\b[^>]*>", re.IGNORECASE)


@register.filter
def authored_html(value) -> str:
    """Authored rich text, sanitised again at render time."""
    return mark_safe(sanitize_html(expand_db_html(value or "")))  # noqa: S308 - sanitised


@register.filter
def authored_inline(value) -> str:
    """Authored rich text as phrasing content (for a `legend`): paragraphs become line breaks."""
    html = sanitize_html(expand_db_html(value or ""))
    parts = [part.strip() for part in _BLOCK_TAGS.split(html)]
    # split() keeps the captured tag names; drop them along with the empty pieces.
    text = "<br>".join(
        part for part in parts if part and not re.fullmatch(r"p|div|h[2-6]|blockquote", part, re.I)
    )
    return mark_safe(sanitize_html(text))  # noqa: S308 - sanitised


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
