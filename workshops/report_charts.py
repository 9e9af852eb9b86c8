"""The "dumbbell" chart of the knowledge-gain report, drawn on the server: one row per group
(a country, say), a hollow dot at the mean pre-test score joined to a filled dot at the mean
post-test score, on a scale from 0 to 100 %.

Built as the house bar charts are (reports/charts.py): the labels and values are page text,
which wraps between words at any width and is never cut; only the dots and their line are SVG.
Without a viewBox the SVG is not stretched: positions are percentages of its width, so the
dots stay round on a phone. In a right-to-left language the scale runs from the right. Each
row's SVG is an image with a <title> (the group) and a <desc> (its figures), which is what
assistive technology reads; the visible text repeats it for the eye only. The table beside the
chart carries the same numbers. Colours come from classes in workshops/report.css.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cms.formatting import format_percent

DOT_RADIUS = 6  # px; the SVG's overflow is visible, so dots at 0 or 100 are not clipped


@dataclass(frozen=True)
class Dumbbell:
    label: str
    pre: Decimal | None  # mean pre-test score, 0–100; None when nobody is paired
    post: Decimal | None
    paired: int = 0


def percent_text(value: Decimal | None) -> str:
    if value is None:
        return _("n/a")
    return format_percent(value, None)


def _x(value: Decimal, rtl: bool) -> str:
    position = min(max(value, Decimal(0)), Decimal(100))
    if rtl:
        position = Decimal(100) - position
    return f"{position.normalize():f}%"


def _shapes(row: Dumbbell, rtl: bool) -> SafeString:
    if row.pre is None or row.post is None:
        return SafeString("")
    pre_x, post_x = _x(row.pre, rtl), _x(row.post, rtl)
    direction = "up" if row.post > row.pre else "down" if row.post < row.pre else "same"
    return format_html(
        '<line class="dumbbell__line dumbbell__line--{}" x1="{}" x2="{}" y1="50%" y2="50%"/>'
        '<circle class="dumbbell__pre" cx="{}" cy="50%" r="{}"/>'
        '<circle class="dumbbell__post" cx="{}" cy="50%" r="{}"/>',
        direction,
        pre_x,
        post_x,
        pre_x,
        DOT_RADIUS,
        post_x,
        DOT_RADIUS,
    )


def _description(row: Dumbbell) -> str:
    if row.pre is None or row.post is None:
        return _("No participant took both tests.")
    return _("Pre-test %(pre)s, post-test %(post)s; paired participants: %(paired)s.") % {
        "pre": percent_text(row.pre),
        "post": percent_text(row.post),
        "paired": row.paired,
    }


def _values(row: Dumbbell) -> str:
    if row.pre is None or row.post is None:
        return _("n/a")
    # The arrow points from pre to post in the reading direction (the translation turns it).
    return _("%(pre)s → %(post)s") % {"pre": percent_text(row.pre), "post": percent_text(row.post)}


def _rows(rows: list[Dumbbell], rtl: bool, id_prefix: str):
    for index, row in enumerate(rows):
        title_id = f"{id_prefix}-{index}-title"
        desc_id = f"{id_prefix}-{index}-desc"
        yield (
            row.label,
            f"{title_id} {desc_id}",
            title_id,
            row.label,
            desc_id,
            _description(row),
            _shapes(row, rtl),
            _values(row),
        )


def dumbbell_chart(
    *, title: str, rows: list[Dumbbell], rtl: bool = False, id_prefix: str = "dumbbell"
) -> SafeString:
    """A list of pre → post rows, labelled `title`; `id_prefix` keeps ids unique on the page."""
    items = format_html_join(
        "",
        '<li class="dumbbell__row">'
        '<span class="dumbbell__label" dir="auto" aria-hidden="true">{}</span>'
        '<svg class="dumbbell__plot" role="img" aria-labelledby="{}" focusable="false">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>'
        '<line class="dumbbell__axis" x1="0" x2="100%" y1="50%" y2="50%"/>{}</svg>'
        '<span class="dumbbell__value" aria-hidden="true">{}</span></li>',
        _rows(rows, rtl, id_prefix),
    )
    legend = format_html(
        '<p class="dumbbell__legend" aria-hidden="true">'
        '<span class="dumbbell__key dumbbell__key--pre"></span> {} '
        '<span class="dumbbell__key dumbbell__key--post"></span> {}</p>',
        _("Pre-test"),
        _("Post-test"),
    )
    return format_html(
        '{}<ul class="dumbbell" aria-label="{}">{}</ul>',
        legend,
        title,
        items,
    )
