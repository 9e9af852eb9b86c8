"""The glossary CSV: columns, parsing and writing. Pure: no ORM (`services` and `selectors`
do the reading and writing).

    term_en,term_fr,term_ar,definition_en,definition_fr,definition_ar,
    abbreviation_en,abbreviation_fr,abbreviation_ar,variants_en,variants_fr,variants_ar,
    source_instrument,source_provision,related,courses,slug

UTF-8, with or without a byte-order mark. term_en, term_fr, term_ar and definition_en are
required; the other columns may be left out. Several values in one cell (variants, related
terms by slug, courses by their English slug) are separated by " | ". A blank slug is made
from the English term. Cells that a spreadsheet would run as a formula (starting with = + - @)
are written with a leading apostrophe, which reading takes off again.
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.text import slugify

COLUMNS = [
    "term_en", "term_fr", "term_ar",
    "definition_en", "definition_fr", "definition_ar",
    "abbreviation_en", "abbreviation_fr", "abbreviation_ar",
    "variants_en", "variants_fr", "variants_ar",
    "source_instrument", "source_provision", "related", "courses", "slug",
]  # fmt: skip
REQUIRED = ("term_en", "term_fr", "term_ar", "definition_en")
LIMITS = {
    "term_en": 200, "term_fr": 200, "term_ar": 200,
    "definition_en": 1200, "definition_fr": 1200, "definition_ar": 1200,
    "abbreviation_en": 30, "abbreviation_fr": 30, "abbreviation_ar": 30,
    "source_instrument": 300, "source_provision": 200, "slug": 120,
}  # fmt: skip
SEPARATOR = " | "
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 5000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, where `line` is the CSV line (1: the header)."""

    line: int
    code: str
    detail: str = ""


@dataclass(frozen=True)
class TermRow:
    line: int
    slug: str
    values: dict[str, str]  # every text column but related, courses, slug
    related: tuple[str, ...]
    courses: tuple[str, ...]


def split_values(cell: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in cell.split("|") if v.strip())


def _read_cell(value: str | None) -> str:
    text = _CONTROL.sub("", value or "").strip()
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]
    return text


def parse(text: str) -> tuple[list[TermRow], list[Problem]]:
    """Rows and every problem found (header, columns, lengths, duplicates)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return [], [Problem(1, "empty")]
    problems = [Problem(1, "unknown_column", h) for h in header if h not in COLUMNS]
    problems += [Problem(1, "missing_column", c) for c in REQUIRED if c not in header]
    if len(set(header)) != len(header):
        problems.append(Problem(1, "duplicate_column"))
    if problems:
        return [], problems
    rows: list[TermRow] = []
    seen: dict[str, int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            problems.append(Problem(line, "too_many_rows", str(MAX_ROWS)))
            break
        if len(cells) != len(header):
            problems.append(Problem(line, "cell_count", str(len(header))))
            continue
        raw = {name: _read_cell(value) for name, value in zip(header, cells, strict=True)}
        row_problems = [Problem(line, "required", c) for c in REQUIRED if not raw.get(c)]
        row_problems += [
            Problem(line, "too_long", f"{name}:{limit}")
            for name, limit in LIMITS.items()
            if len(raw.get(name, "")) > limit
        ]
        slug = slugify(raw.get("slug") or raw.get("term_en", ""))[:120].strip("-")
        if raw.get("term_en") and not slug:
            row_problems.append(Problem(line, "slug", raw.get("slug", "")))
        if slug in seen:
            row_problems.append(Problem(line, "duplicate", f"{slug}:{seen[slug]}"))
        if row_problems:
            problems += row_problems
            continue
        seen[slug] = line
        values = {
            name: raw.get(name, "")
            for name in COLUMNS
            if name not in ("related", "courses", "slug")
        }
        for code in ("en", "fr", "ar"):
            values[f"variants_{code}"] = "\n".join(split_values(values[f"variants_{code}"]))
        rows.append(
            TermRow(
                line=line,
                slug=slug,
                values=values,
                related=tuple(slugify(v) for v in split_values(raw.get("related", ""))),
                courses=split_values(raw.get("courses", "")),
            )
        )
    return rows, problems


def _write_cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_START) else value


def write(records: Iterable[dict[str, str]]) -> str:
    """CSV text (with a byte-order mark, for spreadsheets) of `records`, each a dict of
    COLUMNS to strings (several values already joined with SEPARATOR)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow([_write_cell(record.get(name, "")) for name in COLUMNS])
    return out.getvalue()
