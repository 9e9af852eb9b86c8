"""Filters of the knowledge-gain report's tables: one call per cell instead of an include.

`percent` shows a score or rate ("53.33%", localised), `signed` a gain with its sign kept
left-to-right in Arabic ("+26.67"), `figure` any other number; each shows "–" (read as "not
applicable") for None."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from cms.formatting import format_percent

register = template.Library()


def _none():
    return format_html('<span aria-label="{}">–</span>', _("not applicable"))


@register.filter
def percent(value):
    if value is None:
        return _none()
    return format_percent(value, None)


@register.filter
def signed(value):
    if value is None:
        return _none()
    text = number_format(value)
    return format_html('<span dir="ltr">{}{}</span>', "+" if value > 0 else "", text)


@register.filter
def figure(value):
    if value is None:
        return _none()
    return number_format(value)
