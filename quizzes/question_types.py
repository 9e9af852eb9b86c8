"""Question types: one class per type, one registry (docs/quizzes.md, "Question types").

Each type says, in one place, how a question of its kind is
- authored: its package form (validation, import, export) and the admin editor's check;
- scored: its key, whose pure rule lives in `scoring.py`;
- offered in an attempt: its part of the attempt's frozen layout, where every field name and
  option value is a random token of that attempt (nothing in the form says which answer is
  right), its form fields, and how a cleaned form reads back as an answer;
- reviewed after submission.

Nothing else in quizzes/ branches on a question's type: it asks `QUESTION_TYPES[name]`.
"""

import random
import secrets
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from courses.packages import set_translated, text_problems, translated_values

from .models import Choice, MatchingPair, OrderingItem, Question
from .scoring import (
    Answer,
    MatchingKey,
    MultipleResponseKey,
    OrderingKey,
    Problem,
    QuestionKey,
    SingleChoiceKey,
    TrueFalseKey,
)

# --- opaque names ------------------------------------------------------------------------------

TOKEN_ALPHABET = string.ascii_lowercase
TOKEN_LENGTH = 12  # 26**12 ≈ 2**56


class Tokens:
    """Random names for the fields and options of one attempt's form.

    Letters only, so a token never is nor contains a number (an id, a position); drawn from
    the system's secure source whatever random generator shuffles the attempt; unique within
    the attempt.
    """

    def __init__(self) -> None:
        self._used: set[str] = set()

    def __call__(self) -> str:
        while True:
            token = "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))
            if token not in self._used:
                self._used.add(token)
                return token


def _tokenised(values: Iterable, tokens: Tokens) -> list[list]:
    """[[token, value], …] in the order given: how a layout maps tokens back to ids."""
    return [[tokens(), value] for value in values]


def _derange(values: list, rng: random.Random) -> list:
    """`values` shuffled, never left in their original order when there are two or more."""
    shuffled = values[:]
    rng.shuffle(shuffled)
    if len(values) > 1 and shuffled == values:
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled


# --- form fields whose names and values are tokens ---------------------------------------------


class _EveryValue:
    """Read every value sent under the field's name, so that a repeated or missing field is
    refused rather than silently read as its last value."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return data.getlist(name)
        return [data[name]] if name in data else []


class OptionRadios(_EveryValue, forms.RadioSelect):
    template_name = "quizzes/widgets/options.html"
    option_template_name = "quizzes/widgets/option.html"


class OptionCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "quizzes/widgets/options.html"
    option_template_name = "quizzes/widgets/option.html"


class PromptSelect(_EveryValue, forms.Select):
    option_template_name = "quizzes/widgets/select_option.html"


class OneToken(forms.ChoiceField):
    """One of the tokens offered, or none. A browser sends a radio group at most once."""

    widget = OptionRadios
    default_error_messages = {
        "invalid_choice": _("the choice sent is not one of this question's choices."),
        "repeated": _("more than one answer was sent for a single-answer question."),
    }

    def to_python(self, value):
        if isinstance(value, list | tuple):
            if len(value) > 1:
                raise ValidationError(self.error_messages["repeated"], code="repeated")
            if value == [""]:  # a radio group is sent with one of its values, or not at all
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
            value = value[0] if value else ""
        return super().to_python(value)


class SomeTokens(forms.MultipleChoiceField):
    widget = OptionCheckboxes
    default_error_messages = {
        "invalid_choice": _("a choice sent is not one of this question's choices."),
        "invalid_list": _("a choice sent is not one of this question's choices."),
    }


class PromptToken(forms.ChoiceField):
    """The option chosen for one prompt. A browser always sends every select ("" when nothing
    is chosen), so a missing or repeated one means a forged form."""

    widget = PromptSelect
    default_error_messages = {
        "invalid_choice": _("an answer sent is not one of the options offered."),
        "missing": _("an answer field is missing or repeated."),
    }

    def to_python(self, value):
        if not isinstance(value, list | tuple) or len(value) != 1:
            raise ValidationError(self.error_messages["missing"], code="missing")
        return super().to_python(value[0])


# --- review -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewLine:
    label: str
    chosen: str = ""  # what the learner answered, as text
    right: bool | None = None  # None: not to be shown
    correct_answer: str = ""  # shown only with feedback
    marked_correct: bool = False  # a correct choice, shown only with feedback
    feedback: str = ""


# --- the registry -----------------------------------------------------------------------------


def kept_rows(formset) -> list[dict]:
    """The cleaned rows an admin formset will save: not deleted, not left blank."""
    formset.is_valid()
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE") or (form.empty_permitted and not form.has_changed()):
            continue
        rows.append(data)
    return rows


def bool_problems(data: dict, key: str, place: str, *, required: bool = False) -> list[str]:
    if key not in data:
        return [f"{place}.{key}: missing"] if required else []
    if not isinstance(data[key], bool):
        return [f"{place}.{key}: expected true or false"]
    return []


def plain_problems(value, place: str, max_length: int, *, required: bool = True) -> list[str]:
    """A translated plain text (no markup kept) of at most `max_length` characters."""
    problems = text_problems(value, place, required=required)
    if not problems and isinstance(value, dict):
        problems += [
            f"{place}.{code}: longer than {max_length} characters"
            for code, text in value.items()
            if isinstance(text, str) and len(text) > max_length
        ]
    return problems


def objects(data: dict, key: str, place: str, problems: list[str]) -> list[tuple[str, Any]]:
    """The entries of the list `data[key]` with their places; a problem when not a list."""
    value = data.get(key)
    if not isinstance(value, list):
        problems.append(f"{place}.{key}: expected a list")
        return []
    return [(f"{place}.{key}[{i}]", entry) for i, entry in enumerate(value)]


class QuestionType:
    """One kind of question. Subclasses set the class attributes and implement every method;
    `register` adds an instance to QUESTION_TYPES."""

    name: ClassVar[str]  # Question.type and the package's "type"
    label: ClassVar[Any]  # translated
    # Child relations of Question the type reads (prefetched together for every type).
    children: ClassVar[tuple[str, ...]] = ()
    # Shown under the question in an attempt, after its marks.
    instruction: ClassVar[Any] = None
    # Renders the type's fields inside the question's fieldset (`question` in its context).
    template: ClassVar[str]
    # Translated messages of the admin editor for the problems the type can have.
    messages: ClassVar[Mapping[Problem, Any]] = {}
    # The type's pure rules (scoring.py): scoring, the JSON form of answers, answerability.
    key_class: ClassVar[type[QuestionKey]]

    # authoring

    def package_problems(self, data: dict, place: str) -> list[str]:
        """Problems in the type's own keys of a package question, as "place.key: message"."""
        raise NotImplementedError

    def admin_problems(self, cleaned: dict, formsets: Mapping) -> list[tuple[str | None, Any]]:
        """(field or None, translated message) for what the question editor must refuse."""
        raise NotImplementedError

    def build(self, question: Question, data: dict) -> None:
        """Set the type's fields and child rows of an unsaved `question` from valid data."""
        raise NotImplementedError

    def export(self, question: Question) -> dict:
        """The type's own keys of the package form (children loaded)."""
        raise NotImplementedError

    # scoring

    def key(self, question: Question, marks: int) -> QuestionKey:
        raise NotImplementedError

    # attempts

    def layout(
        self, question: Question, *, rng: random.Random, shuffle: bool, tokens: Tokens
    ) -> dict:
        """The type's part of an attempt's frozen layout entry: its tokens mapped to ids."""
        raise NotImplementedError

    def fields(self, entry: dict, question: Question) -> dict[str, forms.Field]:
        """The form fields of the question, named by the entry's tokens."""
        raise NotImplementedError

    def initial(self, entry: dict, answer: Answer) -> dict[str, Any]:
        """The fields' values for a saved answer."""
        raise NotImplementedError

    def answer(self, entry: dict, cleaned: dict) -> Answer:
        """The answer (ids) in a valid form's cleaned data; None when unanswered."""
        raise NotImplementedError

    def review(
        self, entry: dict, question: Question, key: Any, answer: Answer, *, show_feedback: bool
    ) -> list[ReviewLine]:
        raise NotImplementedError

    # shared by the methods above

    def answer_from_json(self, value) -> Answer:
        return self.key_class.answer_from_json(value)

    def answer_to_json(self, answer: Answer):
        return self.key_class.answer_to_json(answer)

    def problem_places(self, problems: list[Problem], place: str, where: str) -> list[str]:
        return [f"{place}.{where}: {problem.value}" for problem in problems]


QUESTION_TYPES: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    QUESTION_TYPES[cls.name] = cls()
    return cls


def _value(pairs: list[list], token: str):
    return next((value for t, value in pairs if t == token), None)


def _token(pairs: list[list], value) -> str | None:
    return next((t for t, v in pairs if v == value), None)


# --- single choice and multiple response -------------------------------------------------------

CHOICE_MAX, CHOICE_FEEDBACK_MAX = 500, 1000


class ChoiceType(QuestionType):
    """Choices, some of them correct, each with optional feedback (single and multiple)."""

    children = ("choices",)
    template = "quizzes/question_types/options.html"
    messages = {
        Problem.NO_CORRECT_CHOICE: _(
            "Mark at least one choice as correct: otherwise nobody can answer this question."
        ),
        Problem.MORE_THAN_ONE_CORRECT: _(
            "A single-choice question must have exactly one correct choice. Use a "
            "multiple-response question when several choices are right."
        ),
        Problem.TOO_FEW_CHOICES: _("Give at least two choices."),
    }
    key_class: ClassVar[type[SingleChoiceKey] | type[MultipleResponseKey]]

    def package_problems(self, data: dict, place: str) -> list[str]:
        problems: list[str] = []
        flags = []
        for where, choice in objects(data, "choices", place, problems):
            if not isinstance(choice, dict):
                problems.append(f"{where}: expected an object")
                continue
            problems += plain_problems(choice.get("text"), f"{where}.text", CHOICE_MAX)
            problems += plain_problems(
                choice.get("feedback"), f"{where}.feedback", CHOICE_FEEDBACK_MAX, required=False
            )
            problems += bool_problems(choice, "correct", where, required=True)
            flags.append(choice.get("correct") is True)
        if problems:
            return problems
        return self.problem_places(self.key_class.problems(flags), place, "choices")

    def admin_problems(self, cleaned, formsets):
        flags = [bool(row.get("correct")) for row in kept_rows(formsets["choices"])]
        return [(None, self.messages[problem]) for problem in self.key_class.problems(flags)]

    def build(self, question, data):
        for position, entry in enumerate(data["choices"]):
            choice = Choice(correct=entry["correct"], sort_order=position)
            set_translated(choice, "text", entry["text"])
            set_translated(choice, "feedback", entry.get("feedback"))
            question.choices.add(choice)

    def export(self, question):
        choices = []
        for choice in question.choices.all():
            entry = {"text": translated_values(choice, "text"), "correct": choice.correct}
            if feedback := translated_values(choice, "feedback"):
                entry["feedback"] = feedback
            choices.append(entry)
        return {"choices": choices}

    def layout(self, question, *, rng, shuffle, tokens):
        ids = [choice.pk for choice in question.choices.all()]
        if shuffle:
            rng.shuffle(ids)
        return {"name": tokens(), "options": _tokenised(ids, tokens)}

    def _choices(self, entry, question) -> list[tuple[str, str]]:
        texts = {choice.pk: choice.text for choice in question.choices.all()}
        return [(token, texts[pk]) for token, pk in entry["options"] if pk in texts]

    def review(self, entry, question, key, answer, *, show_feedback):
        chosen = answer if isinstance(answer, frozenset) else {answer}
        by_pk = {choice.pk: choice for choice in question.choices.all()}
        lines = []
        for _name, pk in entry["options"]:
            choice = by_pk.get(pk)
            if choice is None:
                continue
            picked = pk in chosen
            lines.append(
                ReviewLine(
                    label=choice.text,
                    chosen=str(_("Selected")) if picked else "",
                    right=(picked == choice.correct) if picked else None,
                    marked_correct=show_feedback and choice.correct,
                    feedback=choice.feedback
                    if show_feedback and (picked or choice.correct)
                    else "",
                )
            )
        return lines


@register
class SingleChoice(ChoiceType):
    name = "single"
    label = _("Single choice")
    key_class = SingleChoiceKey

    def key(self, question, marks):
        correct = frozenset(c.pk for c in question.choices.all() if c.correct)
        return SingleChoiceKey(id=question.pk, marks=marks, correct=correct)

    def fields(self, entry, question):
        return {entry["name"]: OneToken(required=False, choices=self._choices(entry, question))}

    def initial(self, entry, answer):
        return {entry["name"]: _token(entry["options"], answer) or ""}

    def answer(self, entry, cleaned):
        return _value(entry["options"], cleaned.get(entry["name"]) or "")


@register
class MultipleResponse(ChoiceType):
    name = "multiple"
    label = _("Multiple response")
    instruction = _("Select all that apply.")
    key_class = MultipleResponseKey

    def package_problems(self, data, place):
        return bool_problems(data, "all_or_nothing", place) + super().package_problems(data, place)

    def build(self, question, data):
        question.all_or_nothing = data.get("all_or_nothing", False)
        super().build(question, data)

    def export(self, question):
        return {**super().export(question), "all_or_nothing": question.all_or_nothing}

    def key(self, question, marks):
        correct = frozenset(c.pk for c in question.choices.all() if c.correct)
        return MultipleResponseKey(
            id=question.pk, marks=marks, correct=correct, all_or_nothing=question.all_or_nothing
        )

    def fields(self, entry, question):
        return {entry["name"]: SomeTokens(required=False, choices=self._choices(entry, question))}

    def initial(self, entry, answer):
        chosen = answer if isinstance(answer, frozenset) else frozenset()
        return {entry["name"]: [t for t, pk in entry["options"] if pk in chosen]}

    def answer(self, entry, cleaned):
        ids = {pk for token, pk in entry["options"] if token in (cleaned.get(entry["name"]) or [])}
        return frozenset(ids) or None


# --- true or false ----------------------------------------------------------------------------


@register
class TrueFalse(QuestionType):
    name = "true_false"
    label = _("True or false")
    key_class = TrueFalseKey
    template = "quizzes/question_types/options.html"
    messages = {Problem.NO_ANSWER: _("Say whether the statement is true or false.")}

    def package_problems(self, data, place):
        return bool_problems(data, "answer", place, required=True)

    def admin_problems(self, cleaned, formsets):
        problems = TrueFalseKey.problems(cleaned.get("true_false_answer"))
        return [("true_false_answer", self.messages[problem]) for problem in problems]

    def build(self, question, data):
        question.true_false_answer = data["answer"]

    def export(self, question):
        return {"answer": bool(question.true_false_answer)}

    def key(self, question, marks):
        return TrueFalseKey(id=question.pk, marks=marks, answer=question.true_false_answer)

    def layout(self, question, *, rng, shuffle, tokens):
        return {"name": tokens(), "options": _tokenised([True, False], tokens)}

    def _labels(self) -> dict[bool, Any]:
        return {True: _("True"), False: _("False")}

    def fields(self, entry, question):
        labels = self._labels()
        choices = [(token, labels[value]) for token, value in entry["options"]]
        return {
            entry["name"]: OneToken(
                required=False,
                choices=choices,
                error_messages={"invalid_choice": _("the answer is neither true nor false.")},
            )
        }

    def initial(self, entry, answer):
        return {entry["name"]: _token(entry["options"], answer) if isinstance(answer, bool) else ""}

    def answer(self, entry, cleaned):
        return _value(entry["options"], cleaned.get(entry["name"]) or "")

    def review(self, entry, question, key, answer, *, show_feedback):
        labels = self._labels()
        given = answer if isinstance(answer, bool) else None
        return [
            ReviewLine(
                label=str(_("Your answer")),
                chosen=str(labels[given]) if given is not None else str(_("No answer")),
                right=given is key.answer if given is not None else False,
                correct_answer=str(labels[key.answer]) if show_feedback else "",
            )
        ]


# --- matching and ordering: one select per prompt ----------------------------------------------

TEXT_MAX = 500


class PromptType(QuestionType):
    """Prompts, each answered by choosing one of the options the attempt offers."""

    template = "quizzes/question_types/prompts.html"
    placeholder: ClassVar[Any]

    def _labels(self, question) -> tuple[dict[int, str], dict[Any, str]]:
        """Prompt texts by id, option labels by value."""
        raise NotImplementedError

    def fields(self, entry, question):
        prompts, options = self._labels(question)
        choices = [("", self.placeholder)] + [
            (token, options[value]) for token, value in entry["options"] if value in options
        ]
        return {
            token: PromptToken(required=False, label=prompts[pk], choices=choices)
            for token, pk in entry["prompts"]
            if pk in prompts
        }

    def initial(self, entry, answer):
        given = answer if isinstance(answer, Mapping) else {}
        return {
            token: _token(entry["options"], given.get(pk)) or "" for token, pk in entry["prompts"]
        }

    def answer(self, entry, cleaned):
        mapping = {}
        for token, pk in entry["prompts"]:
            value = _value(entry["options"], cleaned.get(token) or "")
            if value is not None:
                mapping[pk] = value
        return mapping or None


def _same_answer(pair: MatchingPair) -> str:
    # Pairs whose (English) answers read the same offer one option, accepted for each of them.
    return pair.answer_en.strip().casefold()


@register
class Matching(PromptType):
    name = "matching"
    label = _("Matching")
    key_class = MatchingKey
    children = ("pairs",)
    placeholder = _("Choose an answer")
    messages = {Problem.TOO_FEW_PAIRS: _("A matching question needs at least two pairs.")}

    def package_problems(self, data, place):
        problems: list[str] = []
        count = 0
        for where, pair in objects(data, "pairs", place, problems):
            if not isinstance(pair, dict):
                problems.append(f"{where}: expected an object")
                continue
            problems += plain_problems(pair.get("prompt"), f"{where}.prompt", TEXT_MAX)
            problems += plain_problems(pair.get("answer"), f"{where}.answer", TEXT_MAX)
            count += 1
        if problems:
            return problems
        return self.problem_places(MatchingKey.problems(count), place, "pairs")

    def admin_problems(self, cleaned, formsets):
        problems = MatchingKey.problems(len(kept_rows(formsets["pairs"])))
        return [(None, self.messages[problem]) for problem in problems]

    def build(self, question, data):
        for position, entry in enumerate(data["pairs"]):
            pair = MatchingPair(sort_order=position)
            set_translated(pair, "prompt", entry["prompt"])
            set_translated(pair, "answer", entry["answer"])
            question.pairs.add(pair)

    def export(self, question):
        return {
            "pairs": [
                {"prompt": translated_values(p, "prompt"), "answer": translated_values(p, "answer")}
                for p in question.pairs.all()
            ]
        }

    def key(self, question, marks):
        pairs = list(question.pairs.all())
        accepted: dict[str, frozenset[int]] = {}
        for pair in pairs:
            accepted[_same_answer(pair)] = accepted.get(_same_answer(pair), frozenset()) | {pair.pk}
        return MatchingKey(
            id=question.pk,
            marks=marks,
            matches={pair.pk: accepted[_same_answer(pair)] for pair in pairs},
        )

    def layout(self, question, *, rng, shuffle, tokens):
        pairs = list(question.pairs.all())
        options: dict[str, int] = {}
        for pair in pairs:  # one option per distinct answer, shown in no telling order
            options.setdefault(_same_answer(pair), pair.pk)
        return {
            "prompts": _tokenised([pair.pk for pair in pairs], tokens),
            "options": _tokenised(_derange(list(options.values()), rng), tokens),
        }

    def _labels(self, question):
        pairs = list(question.pairs.all())
        return {p.pk: p.prompt for p in pairs}, {p.pk: p.answer for p in pairs}

    def review(self, entry, question, key, answer, *, show_feedback):
        pairs = {pair.pk: pair for pair in question.pairs.all()}
        given = answer if isinstance(answer, Mapping) else {}
        lines = []
        for _name, pk in entry["prompts"]:
            pair = pairs.get(pk)
            if pair is None:
                continue
            chosen = pairs.get(given.get(pk))
            lines.append(
                ReviewLine(
                    label=pair.prompt,
                    chosen=chosen.answer if chosen else str(_("No answer")),
                    right=given.get(pk) in key.matches.get(pk, ()),
                    correct_answer=pair.answer if show_feedback else "",
                )
            )
        return lines


@register
class Ordering(PromptType):
    name = "ordering"
    label = _("Ordering")
    key_class = OrderingKey
    children = ("items",)
    instruction = _("Give each item its position, 1 being first.")
    placeholder = _("Choose a position")
    messages = {Problem.TOO_FEW_ITEMS: _("An ordering question needs at least two items.")}

    def package_problems(self, data, place):
        problems: list[str] = []
        entries = objects(data, "items", place, problems)
        for where, item in entries:
            problems += plain_problems(item, where, TEXT_MAX)
        if problems:
            return problems
        return self.problem_places(OrderingKey.problems(len(entries)), place, "items")

    def admin_problems(self, cleaned, formsets):
        problems = OrderingKey.problems(len(kept_rows(formsets["items"])))
        return [(None, self.messages[problem]) for problem in problems]

    def build(self, question, data):
        # sort_order is the authored order, which is the correct order.
        for position, entry in enumerate(data["items"]):
            item = OrderingItem(sort_order=position)
            set_translated(item, "text", entry)
            question.items.add(item)

    def export(self, question):
        return {"items": [translated_values(item, "text") for item in question.items.all()]}

    def key(self, question, marks):
        positions = {item.pk: at for at, item in enumerate(question.items.all(), start=1)}
        return OrderingKey(id=question.pk, marks=marks, positions=positions)

    def layout(self, question, *, rng, shuffle, tokens):
        ids = [item.pk for item in question.items.all()]
        return {
            # Shown in no telling order; positions are offered in order (they are labels).
            "prompts": _tokenised(_derange(ids, rng), tokens),
            "options": _tokenised(range(1, len(ids) + 1), tokens),
        }

    def _labels(self, question):
        items = list(question.items.all())
        return {item.pk: item.text for item in items}, {
            at: str(at) for at in range(1, len(items) + 1)
        }

    def review(self, entry, question, key, answer, *, show_feedback):
        items = {item.pk: item for item in question.items.all()}
        given = answer if isinstance(answer, Mapping) else {}
        lines = []
        for _name, pk in entry["prompts"]:
            item = items.get(pk)
            if item is None:
                continue
            at = given.get(pk)
            lines.append(
                ReviewLine(
                    label=item.text,
                    chosen=str(at) if at else str(_("No answer")),
                    right=at == key.positions.get(pk),
                    correct_answer=str(key.positions.get(pk, "")) if show_feedback else "",
                )
            )
        return lines
