"""The diverging stacked bar chart of scale questions, drawn on the server as SVG: one row per
question, low points towards the start of the line, high points towards its end, the neutral
midpoint centred — mirrored in right-to-left languages. No script, no inline style: colours
come from classes in surveys.css; the table beside it carries every number."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 2000


def _rects(segments, points: int, rtl: bool):
    for point, start, width in segments:
        x = WIDTH - start - width if rtl else start
        yield (f"chart-point chart-point--{points}-{point}", x, width)


def diverging_chart(*, title: str, rows: list[tuple[str, list, int]], rtl: bool) -> SafeString:
    """`rows`: (label, segments from `statistics.diverging_segments`, points of the scale)."""
    items = format_html_join(
        "",
        '<li class="diverging__row"><span class="diverging__label" dir="auto">{}</span>'
        '<svg class="diverging__bar" viewBox="0 0 2000 40" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false">{}'
        '<line class="diverging__axis" x1="1000" x2="1000" y1="0" y2="40"/></svg></li>',
        (
            (
                label,
                format_html_join(
                    "",
                    '<rect class="{}" x="{}" width="{}" y="4" height="32"/>',
                    _rects(segments, points, rtl),
                ),
            )
            for label, segments, points in rows
        ),
    )
    return format_html('<ul class="diverging" aria-label="{}">{}</ul>', title, items)
