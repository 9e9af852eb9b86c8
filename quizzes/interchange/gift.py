"""GIFT, the text format many trainers write question banks in by hand. Pure: no database.

A file is UTF-8 (with or without a byte-order mark) or, failing that, Windows-1252, as banks
saved by older Windows editors are. Questions are separated by blank lines; `//` starts a
comment line; `$CATEGORY: path` sets the category of the questions after it; `::name::`
names a question; `[html]`, `[moodle]`, `[plain]`, `[markdown]` give its text format; the
answers are in `{…}`: `=right ~wrong`, `~%50%partly`, `#feedback` after an answer, `####`
before the general feedback, `{T}`/`{F}`, `{=prompt -> answer}` for matching, and
`{>count ALL layout GRADING_TYPE SHOW` + one item per line `}` for ordering (Moodle's ordering
question's own GIFT form). `\\~ \\= \\# \\{ \\} \\:` and `\\\\` escape those characters, `\\n`
is a line break. An answer block that is not closed or not recognised refuses the file, naming
its line.
"""

import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from ..scoring import OrderingGrading
from .common import (
    ANSWER_FEEDBACK_TF,
    MARKDOWN,
    MAX_BYTES,
    ORDERING_GRADING_NAMES,
    ORDERING_GRADINGS,
    SKIPPED,
    SUBSET_SHOWN,
    BankQuestion,
    InterchangeError,
    Note,
    Parsed,
    category_out,
    category_path,
    choice_weights_out,
    choices_graded,
    html_from,
    ordering_grading,
    percent,
    shortened_name,
    translated,
    weight_from_percent,
)
from .multilang import join

SPECIAL = "\\~=#{}:"
# Escaped characters stand in the Unicode private-use area while a question is taken apart.
_HIDDEN = {char: chr(0xE000 + i) for i, char in enumerate(SPECIAL)}
# `\n` too, so that it never reads as the blank line that ends a question.
_HIDDEN_NEWLINE = chr(0xE0FF)
_SHOWN = {hidden: char for char, hidden in _HIDDEN.items()} | {_HIDDEN_NEWLINE: "\n"}
FORMATS = {"html": "html", "moodle": "moodle_auto_format", "plain": "plain_text",
           "markdown": "markdown"}  # fmt: skip
TRUE_FALSE = re.compile(r"(?P<value>T|TRUE|F|FALSE)\s*(?P<feedback>#.*)?", re.I | re.S)
WEIGHT = re.compile(r"^%(?P<value>[^%]*)%")


def decode(data: bytes) -> str:
    """UTF-8 (a byte-order mark allowed), else Windows-1252; refused if it is neither."""
    if len(data) > MAX_BYTES:
        raise InterchangeError(
            _("The file is larger than the %(limit)s MB limit.")
            % {"limit": MAX_BYTES // (1024 * 1024)}
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise InterchangeError(
            _("The file is neither UTF-8 nor Windows-1252 text. Save it as UTF-8 and try again.")
        ) from None


def _hide(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            following = text[i + 1]
            if following in _HIDDEN:
                out.append(_HIDDEN[following])
                i += 2
                continue
            if following == "n":
                out.append(_HIDDEN_NEWLINE)
                i += 2
                continue
        out.append(text[i])
        i += 1
    return "".join(out)


def _show(text: str) -> str:
    return "".join(_SHOWN.get(char, char) for char in text)


def _blocks(text: str) -> list[tuple[int, str]]:
    """(first line number, text) of each block between blank lines, comments left out."""
    blocks, lines, start = [], [], 0
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if line.lstrip().startswith("//"):
            continue
        if not line.strip():
            if lines:
                blocks.append((start, "\n".join(lines)))
                lines = []
            continue
        if not lines:
            start = number
        lines.append(line)
    if lines:
        blocks.append((start, "\n".join(lines)))
    return blocks


class _Question:
    """One GIFT question taken apart, with the place of each part for error messages."""

    def __init__(self, line: int, text: str, number: int, *, language: str, notes: list[Note]):
        self.line = line
        self.source = text
        self.language = language
        self.notes = notes
        self.name = ""
        self.format = "moodle_auto_format"
        match = re.match(r"\s*::(.*?)::", text, re.S)
        if match:
            self.name = shortened_name(_show(match[1]))
            text = text[match.end() :]
        self.who = self.name or str(number)
        match = re.match(r"\s*\[(html|moodle|plain|markdown)\]", text, re.I)
        if match:
            self.format = FORMATS[match[1].lower()]
            text = text[match.end() :]
            if self.format == "markdown":
                self.notes.append(Note(self.who, MARKDOWN))
        self.rest = text

    def line_of(self, part: str) -> int:
        at = self.source.find(part)
        return self.line + (self.source[:at].count("\n") if at >= 0 else 0)

    def refuse(self, message, part: str = ""):
        raise InterchangeError(
            _("Line %(line)s: %(problem)s") % {"line": self.line_of(part), "problem": message}
        )

    def texts(self, text: str, *, html_text: bool) -> dict[str, str]:
        text = html_from(_show(text).strip(), self.format)
        return translated(
            text, language=self.language, notes=self.notes, who=self.who, html_text=html_text
        )

    def split_answers(self, body: str) -> list[tuple[str, Decimal | None, str, str]]:
        """(marker, weight or None, text, feedback) for each `=`/`~` answer."""
        answers = []
        for piece in re.split(r"(?=[=~])", body):
            piece = piece.strip()
            if not piece:
                continue
            if piece[0] not in "=~":
                self.refuse(_("text before the first answer (= or ~) of the block."), piece)
            marker, content = piece[0], piece[1:]
            weight = None
            match = WEIGHT.match(content.strip())
            if match:
                weight = weight_from_percent(
                    _show(match["value"]),
                    where=str(_("line %(line)s") % {"line": self.line_of(piece)}),
                )
                content = content.strip()[match.end() :]
            text, _hash, feedback = content.partition("#")
            answers.append((marker, weight, text, feedback))
        return answers

    def read(self) -> BankQuestion | None:
        """The question, or None (and a note) when it is skipped."""
        rest = self.rest
        start = rest.find("{")
        if start < 0:
            if "}" in rest:
                self.refuse(_("a “}” closes an answer block that was never opened."), "}")
            self.notes.append(Note(self.who, SKIPPED["description"], skipped=True))
            return None
        end = rest.find("}", start)
        if end < 0:
            self.refuse(_("the answer block opened with “{” is not closed."), rest[start:])
        if "{" in rest[start + 1 : end]:
            self.refuse(_("an answer block is opened inside another."), rest[start:end])
        before, body, after = rest[:start], rest[start + 1 : end].strip(), rest[end + 1 :]
        if "{" in after or "}" in after:
            self.refuse(_("a question has one answer block; this one has more."), after)
        # Text on both sides of the block: Moodle's "missing word" form.
        text = before.strip() + (" _____ " + after.strip() if after.strip() else "")
        body, _sep, general = body.partition("####")
        data: dict[str, Any] = {"marks": 1, "text": self.texts(text, html_text=True)}
        if general.strip():
            data["feedback"] = self.texts(general, html_text=True)
        return self._answers(body.strip(), data)

    def _answers(self, body: str, data: dict) -> BankQuestion | None:
        def skip(reason):
            self.notes.append(Note(self.who, SKIPPED[reason], skipped=True))

        if not body:
            return skip("essay")
        if body.startswith("#"):
            return skip("numerical")
        if body.startswith(">"):
            return self._ordering(body[1:], data)
        match = TRUE_FALSE.fullmatch(body)
        if match:
            data.update({"type": "true_false", "answer": match["value"].upper().startswith("T")})
            if (match["feedback"] or "").strip("#").strip():
                self.notes.append(Note(self.who, ANSWER_FEEDBACK_TF))
            return BankQuestion(name=self.name, category=(), data=data)
        if body[0] not in "=~":
            self.refuse(_("the answer block is not recognised."), body)
        answers = self.split_answers(body)
        if any("->" in text for marker, _w, text, _f in answers if marker == "="):
            return self._matching(answers, data)
        if not any(marker == "~" for marker, *_rest in answers):
            return skip("shortanswer")
        single = any(marker == "=" for marker, *_rest in answers)
        choices, weights = [], []
        for marker, weight, text, feedback in answers:
            choice: dict[str, Any] = {"text": self.texts(text, html_text=False)}
            if feedback.strip():
                choice["feedback"] = self.texts(feedback, html_text=False)
            choices.append(choice)
            weights.append(weight if weight is not None else Decimal(int(marker == "=")))
        data["type"] = "single" if single else "multiple"
        data.update(choices_graded(choices, weights, single=single, notes=self.notes, who=self.who))
        return BankQuestion(name=self.name, category=(), data=data)

    def _matching(self, answers, data: dict) -> BankQuestion:
        pairs, distractors = [], []
        for marker, _weight, text, _feedback in answers:
            if marker != "=" or "->" not in text:
                self.refuse(_("each answer of a matching question is “=prompt -> answer”."), text)
            prompt, _arrow, answer = text.partition("->")
            if prompt.strip():
                pairs.append(
                    {
                        "prompt": self.texts(prompt, html_text=False),
                        "answer": self.texts(answer, html_text=False),
                    }
                )
            else:
                distractors.append(self.texts(answer, html_text=False))
        data.update({"type": "matching", "pairs": pairs})
        if distractors:
            data["distractors"] = distractors
        return BankQuestion(name=self.name, category=(), data=data)

    def _ordering(self, body: str, data: dict) -> BankQuestion:
        # The header, in this order: how many items to show, which (ALL, RANDOM, CONTIGUOUS),
        # the layout, the grading type, whether to show the grading; then one item a line.
        header, _newline, lines = body.partition("\n")
        select, grading, count = "ALL", None, None
        for word in (w.upper() for w in header.split()):
            if word.isdigit() and count is None:
                count = int(word)
            elif word in ORDERING_GRADINGS and (
                grading is None and (word != "REL" or select != "ALL")
            ):
                grading = ordering_grading(word)
            elif word in ("ALL", "EXACT", "RANDOM", "REL", "CONTIGUOUS", "CONTIG"):
                select = "ALL" if word == "EXACT" else word
        items = [self.texts(line, html_text=False) for line in lines.split("\n") if line.strip()]
        if select != "ALL" and (count or 0) < len(items):
            self.notes.append(Note(self.who, SUBSET_SHOWN))
        grading = grading or OrderingGrading.RELATIVE_NEXT_EXCLUDE_LAST
        data.update({"type": "ordering", "items": items})
        if grading != OrderingGrading.ABSOLUTE_POSITION:
            data["grading"] = str(grading)
        return BankQuestion(name=self.name, category=(), data=data)


def parse(data: bytes, *, language: str = "en") -> Parsed:
    """Every question of a GIFT file, in the neutral form, with the report's notes.

    Raises InterchangeError for a file refused as a whole.
    """
    text = _hide(decode(data))
    parsed = Parsed()
    category: tuple[str, ...] = ()
    number = 0
    for line, block in _blocks(text):
        if block.lstrip().upper().startswith("$CATEGORY:"):
            first, _newline, block = block.lstrip().partition("\n")
            category = category_path(_show(first.split(":", 1)[1]), language=language)
            line += 1
            if not block.strip():
                continue
        number += 1
        question = _Question(line, block, number, language=language, notes=parsed.notes).read()
        if question is not None:
            question.category = category
            parsed.questions.append(question)
    return parsed


# --- writing ---------------------------------------------------------------------------------

NO_IMAGES = _("GIFT cannot carry files: the image of this question is left out")
NO_MARKS = _("GIFT does not carry marks: %(marks)s marks become 1 in Moodle")
NO_ALL_OR_NOTHING = _(
    "Moodle's multiple-answer question has no all-or-nothing rule: a wrong choice takes all "
    "the marks away there, but some right choices alone still earn part of them"
)


def _escape(text: str) -> str:
    text = "".join("\\" + char if char in SPECIAL else char for char in text)
    return " ".join(text.split("\n"))


def _text(texts: dict[str, str]) -> str:
    return _escape(join(texts))


def write(questions: list[BankQuestion]) -> tuple[str, list[Note]]:
    """A GIFT file of `questions` (UTF-8 text) and what it could not carry."""
    notes: list[Note] = []
    out = ["// Question bank exported from Tadrib (GIFT, UTF-8)", ""]
    category = None
    for question in questions:
        data = question.data
        who = question.name or str(len(notes) + 1)
        if question.category != category:
            category = question.category
            out += [f"$CATEGORY: {category_out(category)}", ""]
        if question.image is not None:
            notes.append(Note(who, NO_IMAGES))
        if data.get("marks", 1) != 1:
            notes.append(Note(who, NO_MARKS % {"marks": data["marks"]}))
        head = (f"::{_escape(question.name)}::" if question.name else "") + "[html]"
        head += _text(data["text"])
        lines = [head + "{"]
        if data["type"] == "true_false":
            lines = [head + "{" + ("TRUE" if data["answer"] else "FALSE")]
        elif data["type"] in ("single", "multiple"):
            if data["type"] == "multiple" and data.get("all_or_nothing"):
                notes.append(Note(who, NO_ALL_OR_NOTHING))
            for choice, weight in zip(data["choices"], choice_weights_out(data), strict=True):
                if data["type"] == "single" and weight == 1:
                    mark = "="
                elif data["type"] == "single" and weight == 0:
                    mark = "~"
                else:
                    mark = f"~%{percent(weight)}%"
                feedback = choice.get("feedback")
                lines.append(
                    mark + _text(choice["text"]) + (f"#{_text(feedback)}" if feedback else "")
                )
        elif data["type"] == "matching":
            for pair in data["pairs"]:
                lines.append(f"={_text(pair['prompt'])} -> {_text(pair['answer'])}")
            lines += [f"= -> {_text(answer)}" for answer in data.get("distractors", [])]
        else:
            grading = OrderingGrading(data.get("grading") or OrderingGrading.ABSOLUTE_POSITION)
            lines = [
                head + "{>" + f"{len(data['items'])} ALL VERTICAL "
                f"{ORDERING_GRADING_NAMES[grading]} SHOW"
            ]
            lines += [_text(item) for item in data["items"]]
        if feedback := data.get("feedback"):
            lines.append("####" + _text(feedback))
        out += [*lines, "}", ""]
    return "\n".join(out), notes
