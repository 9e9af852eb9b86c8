"""Bar charts drawn on the server as SVG: no script, no third-party asset, no inline style.

Colours come from classes in reports.css. The chart is an image with a text alternative; the
table beside it carries the same numbers.
"""

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

WIDTH = 640
LABEL_WIDTH = 240
VALUE_WIDTH = 56
BAR_HEIGHT = 22
GAP = 10
MAX_LABEL = 34


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # a percentage, 0–100; None when there is nothing to measure


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def percent_text(value: int | None) -> str:
    if value is None:
        return _("n/a")
    return _("%(percent)s%%") % {"percent": value}


def bar_chart(
    *, title: str, bars: list[Bar], rtl: bool = False, chart_id: str = "chart"
) -> SafeString:
    """Horizontal bars of percentages, growing from the inline start (the right in Arabic)."""
    track = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = max(1, len(bars)) * (BAR_HEIGHT + GAP) + GAP
    items = []
    for index, bar in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = round(track * (bar.value or 0) / 100)
        text_y = y + BAR_HEIGHT // 2 + 5
        if rtl:
            # Mirror the layout: labels on the right, bars growing leftwards.
            label_x, label_anchor = WIDTH - LABEL_WIDTH + 8, "end"
            track_x = WIDTH - LABEL_WIDTH - track
            bar_x = WIDTH - LABEL_WIDTH - length
            value_x, value_anchor = bar_x - 6, "start"
        else:
            label_x, label_anchor = LABEL_WIDTH - 8, "end"
            track_x = LABEL_WIDTH
            bar_x = LABEL_WIDTH
            value_x, value_anchor = LABEL_WIDTH + length + 6, "start"
        items.append(
            format_html(
                "<g><title>{label}: {value}</title>"
                '<text x="{lx}" y="{ty}" text-anchor="{la}" class="chart__label">{short}</text>'
                '<rect x="{tx}" y="{y}" width="{tw}" height="{h}" class="chart__track"/>'
                '<rect x="{bx}" y="{y}" width="{bw}" height="{h}" class="chart__bar"/>'
                '<text x="{vx}" y="{ty}" text-anchor="{va}" class="chart__value">{value}</text>'
                "</g>",
                label=bar.label,
                value=percent_text(bar.value),
                lx=label_x,
                ty=text_y,
                la=label_anchor,
                short=_short(bar.label),
                tx=track_x,
                y=y,
                tw=track,
                h=BAR_HEIGHT,
                bx=bar_x,
                bw=length,
                vx=value_x,
                va=value_anchor,
            )
        )
    body = SafeString("".join(items))
    description = "; ".join(f"{b.label}: {percent_text(b.value)}" for b in bars)
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'direction="{direction}" aria-labelledby="{id}-title {id}-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        w=WIDTH,
        h=height,
        direction="rtl" if rtl else "ltr",
        id=chart_id,
        title=title,
        desc=description,
        body=body,
    )
