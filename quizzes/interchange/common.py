"""What Moodle XML and GIFT share here: the neutral form of a question, the import report's
notes, and the conversions both formats need. Pure: no database.

A `BankQuestion` is a question in `tadrib.course/1` package form (`data`, validated and built
by `quizzes.packages` as any package question is), with what the package form does not carry:
its name, its category path and its image.
"""

import base64
import binascii
import html
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from cms.sanitize import sanitize_html, strip_html
from courses.packages import MAX_FILE_BYTES, MAX_PACKAGE_BYTES, media_file_problem

from ..scoring import OrderingGrading
from . import multilang

MAX_BYTES = MAX_PACKAGE_BYTES  # a question file is held to a course package's limits
MAX_NAME = 255
IMAGE_EXTENSIONS = {"png", "jpg", "jpeg", "gif", "webp"}
WEIGHT_PLACES = Decimal("0.0000001")


class InterchangeError(Exception):
    """A file refused as a whole; `message` (translated) names the line or element."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


@dataclass(frozen=True)
class BankImage:
    filename: str
    content: bytes
    alt: dict[str, str] = field(default_factory=dict)


@dataclass
class BankQuestion:
    name: str
    category: tuple[str, ...]  # from the top of the bank, e.g. ("Evidence", "Preservation")
    data: dict[str, Any]  # package form: type, marks, text, feedback, grading, the type's keys
    image: BankImage | None = None


@dataclass(frozen=True)
class Note:
    """A line of the import (or export) report: a question skipped, or changed on the way."""

    question: str  # its name, or its number in the file
    message: Any  # translated (lazy)
    skipped: bool = False


@dataclass
class Parsed:
    questions: list[BankQuestion] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


# --- the report's reasons, in the reader's language -----------------------------------------

SKIPPED = {
    "shortanswer": _("short-answer questions are not supported"),
    "numerical": _("numerical questions are not supported"),
    "essay": _("essay questions are not supported"),
    "cloze": _("embedded-answer (cloze) questions are not supported"),
    "calculated": _("calculated questions are not supported"),
    "draganddrop": _("drag-and-drop questions are not supported"),
    "description": _("a description is not a question"),
    "random": _("random questions are drawn in Moodle's quiz, not kept in the bank"),
}
# Moodle's type names → the reason they are skipped.
SKIPPED_TYPES = {
    "shortanswer": "shortanswer",
    "regexp": "shortanswer",
    "numerical": "numerical",
    "essay": "essay",
    "cloze": "cloze",
    "multianswer": "cloze",
    "calculated": "calculated",
    "calculatedsimple": "calculated",
    "calculatedmulti": "calculated",
    "ddwtos": "draganddrop",
    "ddimageortext": "draganddrop",
    "ddmarker": "draganddrop",
    "gapselect": "draganddrop",
    "description": "description",
    "random": "random",
    "randomsamatch": "random",
}
UNKNOWN_TYPE = _("questions of the type “%(type)s” are not supported")
HINTS = _("hints are not imported")
PENALTY = _("the penalty for each wrong try (%(penalty)s) is not applied")
COMBINED_FEEDBACK = _(
    "feedback for right, partly right and wrong answers is not imported (general feedback is)"
)
ANSWER_FEEDBACK_TF = _("feedback on the true and false answers is not imported")
NEGATIVE_SINGLE = _(
    "a wrong choice takes marks away in Moodle; here a question never scores below zero"
)
SUBSET_SHOWN = _("Moodle showed a subset of the items; all of them are shown here")
MARKS_ROUNDED = _("marks %(given)s rounded to %(marks)s (whole marks from 1 to 100)")
MARKDOWN = _("Markdown text is kept as plain text")
IMAGE_DROPPED = _("an image that is not inside the file (%(source)s) is left out")
IMAGE_EXTRA = _("only the first image of the question text is kept; %(name)s is left out")
IMAGE_ELSEWHERE = _("images are kept only in the question text; %(name)s is left out")
UNKNOWN_LANGUAGES = _("text in languages Tadrib does not offer (%(codes)s) is left out")
NOT_ANSWERABLE = _("it cannot be answered as it is: %(problem)s")
INVALID = _("it does not fit Tadrib's limits: %(problems)s")
NO_MARKERS_OTHER_LANGUAGE = _(
    "the text has no language markers and was put in %(language)s; English is left empty"
)


# --- text -----------------------------------------------------------------------------------


def html_from(text: str, text_format: str) -> str:
    """Question text in one of Moodle's formats as HTML (sanitised later, like any import)."""
    text = text or ""
    if text_format == "html":
        return text
    if text_format == "moodle_auto_format" and re.search(r"<[a-zA-Z/][^>]*>", text):
        return text  # Moodle's auto format lets HTML through as it is
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(
        "<p>" + html.escape(p.strip()).replace("\n", "<br>") + "</p>" for p in paragraphs
    )


def translated(
    text: str, *, language: str, notes: list[Note], who: str, html_text: bool
) -> dict[str, str]:
    """A Moodle text split into Tadrib's languages (multilang markers), sanitised; languages
    Tadrib lacks are reported."""
    parts = multilang.split(text, language=language)
    if parts.unknown:
        notes.append(Note(who, UNKNOWN_LANGUAGES % {"codes": ", ".join(sorted(parts.unknown))}))
    clean = sanitize_html if html_text else strip_html
    return {code: value for code, value in ((c, clean(t)) for c, t in parts.texts.items()) if value}


def plain_text(value: str) -> str:
    return strip_html(value)


def shortened_name(name: str) -> str:
    name = " ".join(strip_html(name).split())
    return name[:MAX_NAME]


# --- grades ---------------------------------------------------------------------------------


def weight_from_percent(value: str, *, where: str) -> Decimal:
    """Moodle's answer grade (a percentage, `fraction="33.33333"`) as a share from -1 to 1."""
    try:
        weight = (Decimal(str(value).strip()) / 100).quantize(WEIGHT_PLACES)
    except (InvalidOperation, ValueError):
        raise InterchangeError(
            _("%(where)s: the grade “%(value)s” is not a number.")
            % {"where": where, "value": value}
        ) from None
    if not -1 <= weight <= 1:
        raise InterchangeError(
            _("%(where)s: the grade %(value)s%% is outside -100%% to 100%%.")
            % {"where": where, "value": value}
        )
    return weight


def _weight_json(weight: Decimal) -> int | float:
    number = weight.normalize()
    return int(number) if number == number.to_integral_value() else float(number)


def choices_graded(
    choices: list[dict], weights: list[Decimal], *, single: bool, notes: list[Note], who: str
) -> dict[str, Any]:
    """The package keys of a choice question from Moodle's answer grades, chosen so that a
    response earns here what it earned in Moodle.

    Single choice with one answer at 100 % and the others at 0: right or wrong, as written
    here. Multiple response with the right answers at 1/k and the wrong ones at -1/k (how
    Tadrib writes its own rule for Moodle): right minus wrong. Anything else keeps its weights.
    """
    for choice, weight in zip(choices, weights, strict=True):
        choice["correct"] = weight > 0 if not single else weight >= max(weights)
    if single:
        if sorted(weights)[-1] == 1 and all(w == 0 for w in sorted(weights)[:-1]):
            return {"choices": choices}
        if any(w < 0 for w in weights):
            notes.append(Note(who, NEGATIVE_SINGLE))
    else:
        right = sum(1 for w in weights if w > 0)
        share = (Decimal(1) / right).quantize(WEIGHT_PLACES) if right else None
        if share is not None and all(w in (share, -share) for w in weights):
            return {"choices": choices, "all_or_nothing": False}
    for choice, weight in zip(choices, weights, strict=True):
        choice["weight"] = _weight_json(weight)
    keys: dict[str, Any] = {"choices": choices, "grading": "weights"}
    if not single:
        keys["all_or_nothing"] = False
    return keys


def choice_weights_out(question: dict) -> list[Decimal]:
    """Moodle answer grades (shares) for a package choice question, giving the same grade."""
    choices = question["choices"]
    if question.get("grading") == "weights":
        return [Decimal(str(c.get("weight", 0))) for c in choices]
    if question["type"] == "single":
        return [Decimal(1) if c["correct"] else Decimal(0) for c in choices]
    right = sum(1 for c in choices if c["correct"])
    share = (Decimal(1) / right).quantize(WEIGHT_PLACES) if right else Decimal(0)
    if question.get("all_or_nothing"):
        # Moodle's core question cannot say "all or nothing"; a wrong choice cancels all.
        return [share if c["correct"] else Decimal(-1) for c in choices]
    return [share if c["correct"] else -share for c in choices]


def percent(weight: Decimal) -> str:
    """A share as Moodle writes answer grades: 100, 0, -50, 33.33333."""
    value = (weight * 100).quantize(Decimal("0.00001")).normalize()
    return format(value, "f")


def marks_from(value: str, *, notes: list[Note], who: str) -> int:
    try:
        given = Decimal(str(value).strip() or "1")
    except InvalidOperation:
        given = Decimal(1)
    if not given.is_finite():
        given = Decimal(1)
    marks = max(1, min(100, int(given.to_integral_value())))
    if given != marks:
        notes.append(
            Note(who, MARKS_ROUNDED % {"given": format(given.normalize(), "f"), "marks": marks})
        )
    return marks


# Moodle's names for its ordering grading types, as written in XML and GIFT.
ORDERING_GRADINGS = {
    "ABSOLUTE_POSITION": OrderingGrading.ABSOLUTE_POSITION,
    "ABSOLUTE": OrderingGrading.ABSOLUTE_POSITION,
    "ABS": OrderingGrading.ABSOLUTE_POSITION,
    "RELATIVE_NEXT_EXCLUDE_LAST": OrderingGrading.RELATIVE_NEXT_EXCLUDE_LAST,
    "RELATIVE": OrderingGrading.RELATIVE_NEXT_EXCLUDE_LAST,
    "REL": OrderingGrading.RELATIVE_NEXT_EXCLUDE_LAST,
    "RELATIVE_NEXT_INCLUDE_LAST": OrderingGrading.RELATIVE_NEXT_INCLUDE_LAST,
    "RELATIVE_ONE_PREVIOUS_AND_NEXT": OrderingGrading.RELATIVE_ONE_PREVIOUS_AND_NEXT,
    "RELATIVE_ALL_PREVIOUS_AND_NEXT": OrderingGrading.RELATIVE_ALL_PREVIOUS_AND_NEXT,
    "LONGEST_ORDERED_SUBSET": OrderingGrading.LONGEST_ORDERED_SUBSET,
    "LONGEST_CONTIGUOUS_SUBSET": OrderingGrading.LONGEST_CONTIGUOUS_SUBSET,
    "RELATIVE_TO_CORRECT": OrderingGrading.RELATIVE_TO_CORRECT,
    "ALL_OR_NOTHING": OrderingGrading.ALL_OR_NOTHING,
}
# Moodle's numeric constants for the same (older files write numbers).
ORDERING_GRADING_NUMBERS = {
    "-1": OrderingGrading.ALL_OR_NOTHING,
    "0": OrderingGrading.ABSOLUTE_POSITION,
    "1": OrderingGrading.RELATIVE_NEXT_EXCLUDE_LAST,
    "2": OrderingGrading.RELATIVE_NEXT_INCLUDE_LAST,
    "3": OrderingGrading.RELATIVE_ONE_PREVIOUS_AND_NEXT,
    "4": OrderingGrading.RELATIVE_ALL_PREVIOUS_AND_NEXT,
    "5": OrderingGrading.LONGEST_ORDERED_SUBSET,
    "6": OrderingGrading.LONGEST_CONTIGUOUS_SUBSET,
    "7": OrderingGrading.RELATIVE_TO_CORRECT,
}
ORDERING_GRADING_NAMES = {
    grading: name
    for name, grading in reversed(ORDERING_GRADINGS.items())
    if name not in ("ABSOLUTE", "ABS", "RELATIVE", "REL")
}
# Moodle's own default when a file does not say (relative to the next item, excluding last).
MOODLE_ORDERING_DEFAULT = OrderingGrading.RELATIVE_NEXT_EXCLUDE_LAST


def ordering_grading(value: str | None) -> str:
    value = (value or "").strip().upper()
    return ORDERING_GRADINGS.get(value) or ORDERING_GRADING_NUMBERS.get(
        value, MOODLE_ORDERING_DEFAULT
    )


# --- categories -------------------------------------------------------------------------------

_CONTEXTS = ("$course$", "$module$", "$system$", "$coursecategory$", "$cat$")


def category_path(value: str, *, language: str) -> tuple[str, ...]:
    """Moodle's `$course$/top/A/B` (a "/" inside a name written "//") as ("A", "B")."""
    value = (value or "").strip()
    parts = [p.replace("\x00", "/") for p in value.replace("//", "\x00").split("/")]
    parts = [p.strip() for p in parts if p.strip()]
    if parts and parts[0].lower() in _CONTEXTS:
        parts = parts[1:]
    if parts and parts[0].lower() == "top":
        parts = parts[1:]
    names = []
    for part in parts:
        texts = multilang.split(part, language=language).texts
        name = texts.get(language) or texts.get("en") or next((t for t in texts.values() if t), "")
        names.append(strip_html(name)[:200] or part[:200])
    return tuple(names)


def category_out(path: tuple[str, ...]) -> str:
    return "/".join(["$course$", "top", *(name.replace("/", "//") for name in path)])


# --- images -----------------------------------------------------------------------------------

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(
    r"""\b(?P<name>src|alt)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))""", re.I
)
PLUGINFILE = "@@PLUGINFILE@@/"
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*(?:<br\s*/?>\s*)*</p>", re.IGNORECASE)


def _attrs(tag: str) -> dict[str, str]:
    return {
        m["name"].lower(): html.unescape(
            m["dq"] if m["dq"] is not None else m["sq"] if m["sq"] is not None else m["bare"]
        )
        for m in _ATTR.finditer(tag)
    }


def file_content(encoded: str, *, name: str, where: str) -> bytes:
    try:
        data = base64.b64decode("".join((encoded or "").split()), validate=True)
    except (binascii.Error, ValueError):
        raise InterchangeError(
            _("%(where)s: the file “%(name)s” is not valid base64.")
            % {"where": where, "name": name}
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise InterchangeError(
            _("%(where)s: the file “%(name)s” is larger than the %(limit)s MB limit.")
            % {"where": where, "name": name, "limit": MAX_FILE_BYTES // (1024 * 1024)}
        )
    return data


def checked_image(name: str, data: bytes, *, where: str) -> None:
    """Refuse, as any upload, a file that is not really a PNG, JPEG, WebP or GIF image."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in IMAGE_EXTENSIONS or media_file_problem(name, data):
        raise InterchangeError(
            _("%(where)s: “%(name)s” is not a PNG, JPEG, WebP or GIF image.")
            % {"where": where, "name": name}
        )


def take_images(
    text: str,
    files: dict[str, bytes],
    *,
    notes: list[Note],
    who: str,
    keep: bool,
    where: str,
    language: str,
) -> tuple[str, BankImage | None]:
    """Remove the images from an HTML text. With `keep`, the first one that refers to a file
    of the question (`@@PLUGINFILE@@/name`) becomes the question's image (checked as any
    upload), its description split into languages as any text; every other is reported.
    Images from elsewhere (a web address) are never fetched.
    """
    from urllib.parse import unquote

    image = None
    for tag in _IMG.findall(text):
        attributes = _attrs(tag)
        source = attributes.get("src", "")
        name = ""
        if source.startswith(PLUGINFILE):
            name = unquote(source[len(PLUGINFILE) :]).split("?", 1)[0]
        if not name or name not in files:
            notes.append(Note(who, IMAGE_DROPPED % {"source": source[:80] or "?"}))
        elif not keep:
            notes.append(Note(who, IMAGE_ELSEWHERE % {"name": name}))
        elif image is not None:
            notes.append(Note(who, IMAGE_EXTRA % {"name": name}))
        else:
            checked_image(name, files[name], where=where)
            alt = translated(
                attributes.get("alt", ""), language=language, notes=notes, who=who, html_text=False
            )
            image = BankImage(filename=name.rsplit("/", 1)[-1], content=files[name], alt=alt)
    return _EMPTY_PARAGRAPH.sub("", _IMG.sub("", text)), image


def image_tag(image: BankImage) -> str:
    """How a question's image is written into its text for Moodle."""
    from urllib.parse import quote

    alt = html.escape(multilang.join(image.alt, plain=True), quote=True)
    return f'<p><img src="{PLUGINFILE}{quote(image.filename)}" alt="{alt}"></p>'
