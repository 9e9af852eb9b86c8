"""`{% load report_cells %}`: the course matrix's cells, rendered in Python.

A page shows 50 learners × every activity; the same few cells (a state, a score) repeat, so
each is rendered once per language and kept (bounded), instead of through template nodes
2,500 times a page.
"""

from functools import lru_cache

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from cms.formatting import format_percent
from reports.selectors import CellStatus

register = template.Library()


@lru_cache(maxsize=8192)
def _cell(status: str, score, language: str) -> str:
    html = format_html(
        '<td><span class="status status--{}">{}</span>', status, CellStatus(status).label
    )
    if score is not None:
        html += format_html(' <span class="report-score">{}</span>', format_percent(score, 0))
    return html + "</td>"


@register.filter
def matrix_cells(cells) -> str:
    """A row's activity cells as `<td>` elements."""
    language = get_language() or ""
    return mark_safe("".join(_cell(c.status, c.score, language) for c in cells))  # noqa: S308
