from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import formats
from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html

from cms.sanitize import sanitize_html

register = template.Library()


@register.filter
def score(value):
    """A percentage to one decimal, in the reader's number format; "—" when there is none."""
    if value is None:
        return "—"
    rounded = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{formats.number_format(rounded, 1)} %"


@register.filter
def authored_html(value) -> str:
    """Authored rich text, sanitised again at render time."""
    return mark_safe(sanitize_html(expand_db_html(value or "")))  # noqa: S308 - sanitised
