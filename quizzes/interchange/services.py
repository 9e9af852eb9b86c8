"""Importing a Moodle XML or GIFT file into the question bank (docs/question-import.md).

One way in for the admin's upload and `manage.py import_questions`. The file is read whole
by the pure parsers first: a file they refuse writes nothing. Each question is then checked
as a package question is (`quizzes.packages.question_validate`); one that cannot be imported
is skipped and reported, never half-written. Everything is written in one transaction; a dry
run checks the same and writes nothing.
"""

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import transaction

from courses.packages import LANGUAGE_CODES, PackageMedia, set_translated

from ..models import QuestionCategory
from ..packages import question_build, question_validate
from ..question_types import QUESTION_TYPES
from ..scoring import Problem
from . import gift, moodle_xml
from .common import (
    INVALID,
    NO_MARKERS_OTHER_LANGUAGE,
    NOT_ANSWERABLE,
    BankQuestion,
    InterchangeError,
    Note,
    Parsed,
)

PARSERS: dict[str, Any] = {"moodle_xml": moodle_xml.parse, "gift": gift.parse}
EXTENSIONS = {".xml": "moodle_xml", ".gift": "gift", ".txt": "gift"}


@dataclass
class ImportReport:
    format: str  # "moodle_xml" or "gift"
    imported: int  # questions written (or, in a dry run, that would be)
    categories: list[str]  # bank categories used, as "A / B"
    notes: list[Note] = field(default_factory=list)
    dry_run: bool = False

    @property
    def skipped(self) -> int:
        return sum(1 for note in self.notes if note.skipped)

    @property
    def changes(self) -> list[Note]:
        return [note for note in self.notes if not note.skipped]


def file_format(filename: str, data: bytes) -> str:
    """Moodle XML for `.xml` (or content that starts like XML), GIFT for `.gift` and `.txt`."""
    extension = PurePath(filename or "").suffix.lower()
    if extension in EXTENSIONS:
        return EXTENSIONS[extension]
    return "moodle_xml" if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<" else "gift"


def _with_english(value):
    """A copy for validation only in which a text without English reads as if it had it: a
    trainer may import a bank written in French or Arabic alone (`--language`)."""
    if isinstance(value, list):
        return [_with_english(v) for v in value]
    if isinstance(value, dict):
        if (
            value
            and set(value) <= set(LANGUAGE_CODES)
            and all(isinstance(v, str) for v in value.values())
        ):
            if not value.get("en"):
                return {**value, "en": next((v for v in value.values() if v), "")}
            return value
        return {k: _with_english(v) for k, v in value.items()}
    return value


def _refusals(question: BankQuestion) -> list:
    """Why the question cannot be imported, in the reader's language; empty when it can."""
    problems = question_validate(_with_english(question.data), "question")
    kind = QUESTION_TYPES.get(question.data.get("type", ""))
    reasons = []
    for problem in problems:
        detail = problem.split(": ", 1)[-1]
        message = kind.messages.get(Problem(detail)) if kind and detail in set(Problem) else None
        reasons.append(NOT_ANSWERABLE % {"problem": message} if message else None)
    if any(reason is None for reason in reasons):
        technical = "; ".join(p.removeprefix("question.") for p in problems)
        return [INVALID % {"problems": technical}]
    return reasons


class _Categories:
    """Bank categories by path, found or created once each (nested through `parent`)."""

    def __init__(self):
        self.found: dict[tuple[str, ...], QuestionCategory | None] = {(): None}

    def get(self, path: tuple[str, ...]) -> QuestionCategory | None:
        if path in self.found:
            return self.found[path]
        parent = self.get(path[:-1])
        category = None
        if parent is not None or len(path) == 1:
            category = QuestionCategory.objects.filter(parent=parent, name_en=path[-1]).first()
        if category is None:
            category = QuestionCategory(name=path[-1], parent=parent)
            set_translated(category, "name", {"en": path[-1]})
            category.save()
        self.found[path] = category
        return category


def questions_import(
    *,
    data: bytes,
    filename: str,
    category: str = "",
    language: str = "en",
    dry_run: bool = False,
) -> ImportReport:
    """Import the questions of a Moodle XML or GIFT file into the bank.

    `category` ("A/B") is where they go, the file's own categories nested inside it; without
    one, a category named after the file. Text without language markers goes to `language`.
    Raises InterchangeError for a file refused as a whole (nothing written).
    """
    kind = file_format(filename, data)
    parsed: Parsed = PARSERS[kind](data, language=language)
    base = tuple(part.strip() for part in category.split("/") if part.strip())
    if not base and not any(question.category for question in parsed.questions):
        base = (PurePath(filename or "questions").stem[:200] or "questions",)
    notes = list(parsed.notes)
    ready = []
    for question in parsed.questions:
        reasons = _refusals(question)
        if reasons:
            notes += [Note(question.name or "?", reason, skipped=True) for reason in reasons]
            continue
        if language != "en" and not question.data["text"].get("en"):
            notes.append(
                Note(
                    question.name or "?",
                    NO_MARKERS_OTHER_LANGUAGE % {"language": dict(settings.LANGUAGES)[language]},
                )
            )
        ready.append(question)
    paths = list(dict.fromkeys(base + question.category for question in ready))
    report = ImportReport(
        format=kind,
        imported=len(ready),
        categories=[" / ".join(path) for path in paths],
        notes=notes,
        dry_run=dry_run,
    )
    if dry_run:
        return report
    with transaction.atomic():
        categories = _Categories()
        media = PackageMedia({})
        for question in ready:
            row = question_build(data=question.data)
            row.name = question.name
            row.category = categories.get(base + question.category)
            if question.image is not None:
                path = f"{len(media.files)}/{question.image.filename}"
                media.files[path] = question.image.content
                row.image_id = media.store("image", path)
                set_translated(row, "image_alt", question.image.alt)
            row.save()
    return report


__all__ = ["ImportReport", "InterchangeError", "file_format", "questions_import"]
