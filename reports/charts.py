"""Bar charts drawn on the server: a list of rows, each a label, an SVG bar and the value. No
script, no third-party asset, no inline style.

Labels and values are text of the page, not of the drawing: they wrap between words at any
width, in either direction, and are never cut or shrunk with the bar. Only the bar is SVG (a
rectangle per row, stretched to the row's width), hidden from assistive technology, which
reads each row's label and value. Colours come from classes in reports.css; the table beside
the chart carries the same numbers.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cms.formatting import format_percent


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # a percentage, 0–100; None when there is nothing to measure


def percent_text(value: int | None) -> str:
    if value is None:
        return _("n/a")
    return format_percent(value)


def _bar_rows(bars: list[Bar], rtl: bool):
    for bar in bars:
        length = min(max(bar.value or 0, 0), 100)
        # Bars grow from the inline start: the right in Arabic.
        yield (bar.label, 100 - length if rtl else 0, length, percent_text(bar.value))


def bar_chart(*, title: str, bars: list[Bar], rtl: bool = False) -> SafeString:
    """Horizontal bars of percentages, one row per bar, labelled `title`."""
    rows = format_html_join(
        "",
        '<li class="chart__row"><span class="chart__label" dir="auto">{}</span>'
        '<svg class="chart__bar" viewBox="0 0 100 4" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false">'
        '<rect class="chart__track" width="100" height="4"/>'
        '<rect class="chart__fill" x="{}" width="{}" height="4"/></svg>'
        '<span class="chart__value">{}</span></li>',
        _bar_rows(bars, rtl),
    )
    return format_html('<ul class="chart" aria-label="{}">{}</ul>', title, rows)
