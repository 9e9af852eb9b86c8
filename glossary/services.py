"""Writes to the glossary: the CSV import (the admin upload, the command and the demo use it)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from cms.sanitize import strip_html
from courses.models import CoursePage

from .exchange import Problem, TermRow, parse
from .models import Term


class GlossaryImportError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def problem_message(problem: Problem) -> str:
    """One problem in the reader's language."""
    first, _sep, second = problem.detail.partition(":")
    values = {"line": problem.line, "detail": problem.detail, "first": first, "second": second}
    messages = {
        "empty": _("The file is empty."),
        "unknown_column": _("line %(line)s: unknown column “%(detail)s”"),
        "missing_column": _("line %(line)s: the column “%(detail)s” is missing"),
        "duplicate_column": _("line %(line)s: a column appears twice"),
        "too_many_rows": _("line %(line)s: more than %(detail)s terms; split the file"),
        "cell_count": _("line %(line)s: expected %(detail)s cells, as many as columns"),
        "required": _("line %(line)s: “%(detail)s” must be filled in"),
        "too_long": _("line %(line)s: “%(first)s” is longer than %(second)s characters"),
        "slug": _("line %(line)s: no address can be made from the English term; fill in “slug”"),
        "duplicate": _("line %(line)s: the term “%(first)s” already appears on line %(second)s"),
        "unknown_related": _("line %(line)s: “related” names “%(detail)s”, which is no term"),
        "unknown_course": _("line %(line)s: “courses” names “%(detail)s”, which is no course"),
    }
    return messages[problem.code] % values


def _relations(rows: list[TermRow]) -> dict[str, set[str]]:
    """Related terms of each row: those it names and those whose rows name it."""
    wanted = {row.slug: set(row.related) - {row.slug} for row in rows}
    for row in rows:
        for other in row.related:
            if other in wanted and other != row.slug:
                wanted[other].add(row.slug)
    return wanted


@transaction.atomic
def glossary_import(*, text: str) -> ImportResult:
    """Create or update (by slug) every term of the CSV `text`, or nothing if any row is
    wrong (GlossaryImportError lists every problem). Terms not in the file are kept; a term
    whose row says what it already says is not written again."""
    rows, problems = parse(text)
    existing = {t.slug: t for t in Term.objects.prefetch_related("related_terms", "courses")}
    known = set(existing) | {row.slug for row in rows}
    courses = dict(CoursePage.objects.values_list("slug_en", "pk"))
    for row in rows:
        problems += [Problem(row.line, "unknown_related", s) for s in row.related if s not in known]
        problems += [
            Problem(row.line, "unknown_course", s) for s in row.courses if s not in courses
        ]
    if problems:
        raise GlossaryImportError([problem_message(p) for p in problems])

    created = updated = 0
    terms: dict[str, Term] = {}
    changed: set[str] = set()
    for row in rows:
        values = {name: strip_html(value) for name, value in row.values.items()}
        term = existing.get(row.slug)
        if term is None:
            term = Term(slug=row.slug, **values)
            term.save()
            created += 1
            changed.add(row.slug)
        elif any(getattr(term, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(term, name, value)
            term.save()
            changed.add(row.slug)
        terms[row.slug] = term
    related = _relations(rows)
    for row in rows:
        term = terms[row.slug]
        new = row.slug not in existing
        wanted_related = {(terms.get(s) or existing[s]).pk for s in related[row.slug]}
        if new or {t.pk for t in term.related_terms.all()} != wanted_related:
            term.related_terms.set(wanted_related)
            changed.add(row.slug)
        wanted_courses = {courses[s] for s in row.courses}
        if new or {c.pk for c in term.courses.all()} != wanted_courses:
            term.courses.set(wanted_courses)
            changed.add(row.slug)
    updated = len(changed) - created
    return ImportResult(created=created, updated=updated, unchanged=len(rows) - len(changed))
