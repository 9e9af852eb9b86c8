"""Moodle XML (Moodle's default question export), read and written. Pure: no database.

Read with defusedxml: a file that declares a DTD, entities or external references is refused
(no entity expansion, nothing fetched). A file that is not well-formed is refused naming the
line and column; an element that makes no sense (a grade that is not a number, a file that is
not base64 or not a real image) is refused naming the question and the element. Questions of
types Tadrib has no equivalent for are skipped and reported, and so is everything dropped or
changed on the way (docs/question-import.md).
"""

import base64
import html
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import defusedxml
from defusedxml import ElementTree as SafeET
from django.utils.translation import gettext_lazy as _

from ..scoring import OrderingGrading
from .common import (
    ANSWER_FEEDBACK_TF,
    COMBINED_FEEDBACK,
    HINTS,
    MARKDOWN,
    MAX_BYTES,
    ORDERING_GRADING_NAMES,
    PENALTY,
    SKIPPED,
    SKIPPED_TYPES,
    SUBSET_SHOWN,
    UNKNOWN_TYPE,
    BankImage,
    BankQuestion,
    InterchangeError,
    Note,
    Parsed,
    category_out,
    category_path,
    choice_weights_out,
    choices_graded,
    file_content,
    html_from,
    image_tag,
    marks_from,
    ordering_grading,
    percent,
    shortened_name,
    take_images,
    translated,
    weight_from_percent,
)
from .multilang import join

COMBINED = ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")


def _where(number: int, name: str = "") -> str:
    if name:
        return str(_("question %(number)s (“%(name)s”)") % {"number": number, "name": name})
    return str(_("question %(number)s") % {"number": number})


def _text(element: ET.Element | None) -> str:
    """The `<text>` of a Moodle text element (questiontext, feedback, name…)."""
    if element is None:
        return ""
    child = element.find("text")
    return (child.text or "") if child is not None else (element.text or "")


def _files(element: ET.Element | None, *, where: str) -> dict[str, bytes]:
    if element is None:
        return {}
    files = {}
    for file in element.findall("file"):
        name = (file.get("path", "/").strip("/") + "/" + file.get("name", "")).strip("/")
        if file.get("encoding", "base64") != "base64":
            raise InterchangeError(
                _("%(where)s: the file “%(name)s” is not base64-encoded.")
                % {"where": where, "name": name}
            )
        files[name] = file_content(file.text or "", name=name, where=where)
    return files


class _Reader:
    """One question element read into the neutral form, its notes gathered."""

    def __init__(self, element: ET.Element, number: int, *, language: str, notes: list[Note]):
        self.element = element
        self.language = language
        self.notes = notes
        self.name = shortened_name(_text(element.find("name")))
        self.who = self.name or str(number)
        self.where = _where(number, self.name)

    def note(self, message) -> None:
        self.notes.append(Note(self.who, message))

    def rich(
        self, tag: str, *, keep_image: bool = False
    ) -> tuple[dict[str, str], BankImage | None]:
        element = self.element.find(tag)
        if element is None:
            return {}, None
        files = _files(element, where=f"{self.where} <{tag}>")
        text, image = take_images(
            html_from(_text(element), element.get("format", "html")),
            files,
            notes=self.notes,
            who=self.who,
            keep=keep_image,
            where=f"{self.where} <{tag}>",
            language=self.language,
        )
        if element.get("format") == "markdown":
            self.note(MARKDOWN)
        return translated(
            text, language=self.language, notes=self.notes, who=self.who, html_text=True
        ), image

    def plain(self, element: ET.Element | None) -> dict[str, str]:
        """A choice, prompt or item: plain text here (markup and images removed)."""
        if element is None:
            return {}
        text = html_from(_text(element), element.get("format", "html"))
        text, _image = take_images(
            text,
            _files(element, where=self.where),
            notes=self.notes,
            who=self.who,
            keep=False,
            where=self.where,
            language=self.language,
        )
        return translated(
            text, language=self.language, notes=self.notes, who=self.who, html_text=False
        )

    def common(self) -> BankQuestion:
        """What every question has: name, text and its image, feedback, marks; and the
        reports of what Tadrib does not keep (hints, penalty, combined feedback)."""
        text, image = self.rich("questiontext", keep_image=True)
        feedback, _image = self.rich("generalfeedback")
        marks = marks_from(
            self.element.findtext("defaultgrade") or "1", notes=self.notes, who=self.who
        )
        data: dict[str, Any] = {"marks": marks, "text": text}
        if feedback:
            data["feedback"] = feedback
        if any(_text(hint).strip() for hint in self.element.findall("hint")):
            self.note(HINTS)
        penalty = (self.element.findtext("penalty") or "0").strip()
        try:
            penalised = Decimal(penalty) > 0
        except ArithmeticError:
            penalised = False
        if penalised:
            self.note(PENALTY % {"penalty": f"{Decimal(penalty) * 100:.0f} %"})
        if any(_text(self.element.find(tag)).strip() for tag in COMBINED):
            self.note(COMBINED_FEEDBACK)
        return BankQuestion(name=self.name, category=(), data=data, image=image)

    def fraction(self, answer: ET.Element, index: int) -> Decimal:
        return weight_from_percent(
            answer.get("fraction", "0"), where=f"{self.where} <answer> {index}"
        )

    # --- the types ---

    def multichoice(self) -> BankQuestion:
        question = self.common()
        single = (self.element.findtext("single") or "true").strip().lower() in ("true", "1")
        choices, weights = [], []
        for index, answer in enumerate(self.element.findall("answer"), start=1):
            choice: dict[str, Any] = {"text": self.plain(answer)}
            if feedback := self.plain(answer.find("feedback")):
                choice["feedback"] = feedback
            choices.append(choice)
            weights.append(self.fraction(answer, index))
        question.data["type"] = "single" if single else "multiple"
        keys = choices_graded(choices, weights, single=single, notes=self.notes, who=self.who)
        if not single and (self.element.findtext("allornothing") or "").strip() in ("1", "true"):
            # Written by Tadrib for its all-or-nothing rule, which Moodle's core lacks.
            keys.pop("grading", None)
            for choice in keys["choices"]:
                choice.pop("weight", None)
            keys["all_or_nothing"] = True
        question.data.update(keys)
        return question

    def truefalse(self) -> BankQuestion:
        question = self.common()
        answer = None
        for index, element in enumerate(self.element.findall("answer"), start=1):
            value = _text(element).strip().lower()
            if self.fraction(element, index) > 0 and value in ("true", "false"):
                answer = value == "true"
            if _text(element.find("feedback")).strip():
                self.notes.append(Note(self.who, ANSWER_FEEDBACK_TF))
        question.data.update({"type": "true_false"})
        if answer is not None:
            question.data["answer"] = answer
        return question

    def matching(self) -> BankQuestion:
        question = self.common()
        pairs, distractors = [], []
        for sub in self.element.findall("subquestion"):
            prompt = self.plain(sub)
            answer = self.plain(sub.find("answer"))
            if prompt:
                pairs.append({"prompt": prompt, "answer": answer})
            elif answer:
                distractors.append(answer)
        question.data.update({"type": "matching", "pairs": pairs})
        if distractors:
            question.data["distractors"] = distractors
        return question

    def ordering(self) -> BankQuestion:
        question = self.common()
        answers = self.element.findall("answer")

        def position(indexed):
            index, answer = indexed
            try:
                return (Decimal(answer.get("fraction", index)), index)
            except ArithmeticError:
                return (Decimal(index), index)

        ordered = [a for _i, a in sorted(enumerate(answers, start=1), key=position)]
        items = [self.plain(answer) for answer in ordered]
        select = (self.element.findtext("selecttype") or "ALL").strip().upper()
        count = (self.element.findtext("selectcount") or "0").strip()
        if select not in ("ALL", "EXACT", "0") and not (
            count.isdigit() and int(count) >= len(items)
        ):
            self.note(SUBSET_SHOWN)
        grading = ordering_grading(self.element.findtext("gradingtype"))
        question.data.update({"type": "ordering", "items": items})
        if grading != OrderingGrading.ABSOLUTE_POSITION:
            question.data["grading"] = str(grading)
        return question


READERS = {
    "multichoice": _Reader.multichoice,
    "truefalse": _Reader.truefalse,
    "matching": _Reader.matching,
    "ordering": _Reader.ordering,
}


def parse(data: bytes, *, language: str = "en") -> Parsed:
    """Every question of a Moodle XML file, in the neutral form, with the report's notes.

    Raises InterchangeError for a file refused as a whole.
    """
    if len(data) > MAX_BYTES:
        raise InterchangeError(
            _("The file is larger than the %(limit)s MB limit.")
            % {"limit": MAX_BYTES // (1024 * 1024)}
        )
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except (defusedxml.DTDForbidden, defusedxml.EntitiesForbidden,
            defusedxml.ExternalReferenceForbidden):  # fmt: skip
        raise InterchangeError(
            _("The file declares a DTD or entities, which are refused: a Moodle export has none.")
        ) from None
    except ET.ParseError as error:
        line, column = error.position
        raise InterchangeError(
            _("The file is not well-formed XML: line %(line)s, column %(column)s.")
            % {"line": line, "column": column + 1}
        ) from None
    if root.tag != "quiz":
        raise InterchangeError(
            _("This is not a Moodle XML question file: its root element is <%(tag)s>, not <quiz>.")
            % {"tag": root.tag}
        )
    parsed = Parsed()
    category: tuple[str, ...] = ()
    number = 0
    for element in root.findall("question"):
        kind = element.get("type", "")
        if kind == "category":
            category = category_path(_text(element.find("category")), language=language)
            continue
        number += 1
        reader = _Reader(element, number, language=language, notes=parsed.notes)
        if kind in READERS:
            question = READERS[kind](reader)
            question.category = category
            parsed.questions.append(question)
        elif kind in SKIPPED_TYPES:
            parsed.notes.append(Note(reader.who, SKIPPED[SKIPPED_TYPES[kind]], skipped=True))
        else:
            parsed.notes.append(Note(reader.who, UNKNOWN_TYPE % {"type": kind}, skipped=True))
    return parsed


# --- writing ---------------------------------------------------------------------------------


def _text_element(parent: ET.Element, tag: str, text: str, *, text_format: str = "") -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text_format:
        element.set("format", text_format)
    ET.SubElement(element, "text").text = text
    return element


def _escaped(texts: dict[str, str]) -> dict[str, str]:
    """Plain texts (choices, prompts, items) for an element whose format is HTML."""
    return {code: html.escape(text, quote=False) for code, text in texts.items()}


def _writer_choices(element: ET.Element, data: dict) -> None:
    single = data["type"] == "single"
    ET.SubElement(element, "single").text = "true" if single else "false"
    ET.SubElement(element, "shuffleanswers").text = "true"
    ET.SubElement(element, "answernumbering").text = "abc"
    if not single and data.get("all_or_nothing"):
        ET.SubElement(element, "allornothing").text = "true"
    for choice, weight in zip(data["choices"], choice_weights_out(data), strict=True):
        answer = _text_element(
            element, "answer", join(_escaped(choice["text"])), text_format="html"
        )
        answer.set("fraction", percent(weight))
        _text_element(
            answer, "feedback", join(_escaped(choice.get("feedback", {}))), text_format="html"
        )


def _writer_true_false(element: ET.Element, data: dict) -> None:
    for value in (True, False):
        answer = _text_element(
            element, "answer", "true" if value else "false", text_format="moodle_auto_format"
        )
        answer.set("fraction", "100" if data["answer"] is value else "0")
        _text_element(answer, "feedback", "", text_format="html")


def _writer_matching(element: ET.Element, data: dict) -> None:
    ET.SubElement(element, "shuffleanswers").text = "true"
    subs = [(p["prompt"], p["answer"]) for p in data["pairs"]]
    subs += [({}, answer) for answer in data.get("distractors", [])]
    for prompt, answer in subs:
        sub = _text_element(element, "subquestion", join(_escaped(prompt)), text_format="html")
        _text_element(sub, "answer", join(answer))


def _writer_ordering(element: ET.Element, data: dict) -> None:
    grading = data.get("grading") or OrderingGrading.ABSOLUTE_POSITION
    for tag, value in (
        ("layouttype", "VERTICAL"),
        ("selecttype", "ALL"),
        ("selectcount", "0"),
        ("gradingtype", ORDERING_GRADING_NAMES[OrderingGrading(grading)]),
        ("showgrading", "SHOW"),
        ("numberingstyle", "none"),
    ):
        ET.SubElement(element, tag).text = value
    for position, item in enumerate(data["items"], start=1):
        answer = _text_element(element, "answer", join(_escaped(item)), text_format="html")
        answer.set("fraction", str(position))


WRITERS = {
    "single": ("multichoice", _writer_choices),
    "multiple": ("multichoice", _writer_choices),
    "true_false": ("truefalse", _writer_true_false),
    "matching": ("matching", _writer_matching),
    "ordering": ("ordering", _writer_ordering),
}


def write(questions: list[BankQuestion]) -> bytes:
    """A Moodle XML file of `questions`, each category announced before its questions."""
    root = ET.Element("quiz")
    category = None
    for question in questions:
        if question.category != category:
            category = question.category
            head = ET.SubElement(root, "question", type="category")
            _text_element(head, "category", category_out(category))
        data = question.data
        moodle_type, writer = WRITERS[data["type"]]
        element = ET.SubElement(root, "question", type=moodle_type)
        _text_element(element, "name", question.name)
        text = join(data["text"])
        if question.image is not None:
            text += image_tag(question.image)
        body = _text_element(element, "questiontext", text, text_format="html")
        if question.image is not None:
            file = ET.SubElement(body, "file", name=question.image.filename, path="/")
            file.set("encoding", "base64")
            file.text = base64.b64encode(question.image.content).decode("ascii")
        _text_element(
            element, "generalfeedback", join(data.get("feedback", {})), text_format="html"
        )
        ET.SubElement(element, "defaultgrade").text = str(data.get("marks", 1))
        ET.SubElement(element, "penalty").text = "0"
        ET.SubElement(element, "hidden").text = "0"
        writer(element, data)
    ET.indent(root, space="  ")
    text = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n").encode("utf-8")
