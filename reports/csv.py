"""CSV exports: streamed, UTF-8 with a byte-order mark, safe to open in a spreadsheet."""

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone, translation

from cms.audit import audit

BOM = "\ufeff"
# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = frozenset("=+-@\t\r")


def neutralise(value) -> str:
    """`value` as CSV cell text; text a spreadsheet would run as a formula gets a leading quote."""
    if value is None:
        return ""
    kind = type(value)
    if kind is int:
        # A number is never a formula, negative or not (a knowledge gain may be −10.00).
        return str(value)
    if kind is Decimal:
        return format(value, "f")
    if kind is bool:
        return "1" if value else "0"
    if kind is datetime:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if kind is date:
        return value.isoformat()
    text = str(value)
    if text[:1] in FORMULA_STARTS:
        return "'" + text
    return text


class _Line:
    """A file-like object whose write() hands the line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence, rows: Iterable[Sequence]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield BOM + writer.writerow([neutralise(h) for h in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def _encoded(lines: Iterator[str], language: str) -> Iterator[bytes]:
    # The response streams after the view has returned: keep the reader's language for any
    # label rendered while rows are produced.
    with translation.override(language):
        buffer: list[str] = []
        size = 0
        for line in lines:
            buffer.append(line)
            size += len(line)
            if size >= 16_384:
                yield "".join(buffer).encode("utf-8")
                buffer, size = [], 0
        if buffer:
            yield "".join(buffer).encode("utf-8")


def csv_response(
    *, filename: str, header: Sequence, rows: Iterable[Sequence]
) -> StreamingHttpResponse:
    """Stream `rows` (any iterable, consumed lazily) under a translated `header`."""
    header = [str(h) for h in header]
    response = StreamingHttpResponse(
        _encoded(csv_lines(header, rows), translation.get_language() or "en"),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    audit("report_exported", detail=filename)
    return response
