"""The base of every question type: the registry, the class a type implements, and the
pieces types share (opaque tokens, form fields whose names and values are tokens, review
lines, package validators). See docs/quizzes.md, "The registry"."""

import random
import secrets
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from courses.packages import text_problems

from ..models import Question
from ..scoring import Answer, Problem, QuestionKey

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


def tokenised(values: Iterable, tokens: Tokens) -> list[list]:
    """[[token, value], …] in the order given: how a layout maps tokens back to ids."""
    return [[tokens(), value] for value in values]


def derange(values: list, rng: random.Random) -> list:
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
        return _every_value(data, name)


def _every_value(data, name) -> list:
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


# --- reading a POST without the form (issue 21) ------------------------------------------------
#
# The fields above, checked without building them: each type's `read` takes the values of its
# fields from the POST and refuses what they refuse, with their messages, in their order
# (tests/quizzes/test_attempt_post.py compares both on forged and tampered forms).


class Refused(Exception):
    """A value the attempt form could not have sent; `message` says why (translated)."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


EMPTY_VALUES = forms.Field.empty_values


def one_token(data, name: str, offered, messages=None) -> str:
    """OneToken's clean: the token sent for `name` ("" for none), one of `offered`."""
    messages = messages or OneToken.default_error_messages
    value = _every_value(data, name)
    if len(value) > 1:
        raise Refused(messages["repeated"])
    if value == [""]:
        raise Refused(messages["invalid_choice"])
    value = value[0] if value else ""
    value = "" if value in EMPTY_VALUES else str(value)
    if value and value not in offered:
        raise Refused(messages["invalid_choice"])
    return value


def some_tokens(data, name: str, offered) -> list[str]:
    """SomeTokens' clean (checkboxes): the tokens sent for `name`, each one of `offered`."""
    messages = SomeTokens.default_error_messages
    value = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
    if not value:
        return []
    if not isinstance(value, list | tuple):
        raise Refused(messages["invalid_list"])
    value = [str(token) for token in value]
    for token in value:
        if token not in offered:
            raise Refused(messages["invalid_choice"])
    return value


def prompt_token(data, name: str, offered) -> str:
    """PromptToken's clean: the option sent for one prompt ("" for none), sent exactly once."""
    messages = PromptToken.default_error_messages
    value = _every_value(data, name)
    if len(value) != 1:
        raise Refused(messages["missing"])
    value = "" if value[0] in EMPTY_VALUES else str(value[0])
    if value and value not in offered:
        raise Refused(messages["invalid_choice"])
    return value


# --- the attempt form's HTML, without a template per choice --------------------------------
#
# The same elements and attributes as the widgets above rendered through their templates
# (tests/quizzes/test_attempt_render.py compares both for every type and language), built
# as strings: a question's labels come escaped from its cached content, every token and
# value is escaped here.


def attribute(value: str) -> str:
    """`value` escaped for an attribute: a token (ASCII letters, `Tokens`) as it is, without
    the five replacements of `html.escape` that leave it unchanged; anything else escaped."""
    return value if value.isascii() and value.isalpha() else escape(value)


def option_inputs(kind: str, name: str, options: list[tuple[str, str, bool]]) -> str:
    """Radio buttons or checkboxes (`kind`) named `name`: (token, escaped label, whether it
    is chosen) in order, the chosen ones checked (a radio group: only the first)."""
    name = attribute(name)
    start = f'<div class="quiz-option"><input type="{kind}" name="{name}" value="'
    parts = []
    checked_one = False
    for index, (token, label, picked) in enumerate(options):
        checked = picked and (kind == "checkbox" or not checked_one)
        checked_one |= checked
        parts.append(
            f'{start}{attribute(token)}" id="id_{name}_{index}"{" checked" if checked else ""}> '
            f'<label for="id_{name}_{index}" dir="auto">{label}</label></div>'
        )
    return "".join(parts)


def prompt_selects(prompts: list[tuple[str, str, str]], options: list[tuple[str, str]]) -> str:
    """A select per prompt ((name, escaped label, chosen token)), each offering `options`
    ((token, escaped label); "" is the placeholder's value), the first `chosen` one selected.
    The options' tags are built once for all the prompts of a question."""
    tags = [
        (f'<option value="{attribute(token)}"', f' dir="auto">{text}</option>')
        for token, text in options
    ]
    plain = [start + end for start, end in tags]
    first: dict[str, int] = {}
    for index, (token, _text) in enumerate(options):
        first.setdefault(token, index)
    parts = []
    for name, label, chosen in prompts:
        name = attribute(name)
        parts.append(
            f'<div class="field quiz-prompt"><label for="id_{name}" dir="auto">{label}</label> '
            f'<select name="{name}" id="id_{name}">'
        )
        index = first.get(chosen)
        if index is None:
            parts.extend(plain)
        else:
            start, end = tags[index]
            parts.extend(plain[:index])
            parts.append(f"{start} selected{end}")
            parts.extend(plain[index + 1 :])
        parts.append("</select></div>")
    return "".join(parts)


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
    # Translated messages of the admin editor for the problems the type can have.
    messages: ClassVar[Mapping[Problem, Any]] = {}
    # The type's pure rules (scoring.py): scoring, the JSON form of answers, answerability.
    key_class: ClassVar[type[QuestionKey]]
    # The grading rules a question of this type may follow, name → translated label. The
    # first is the type's usual rule, stored as an empty `Question.grading` and written as no
    # "grading" key in a package; the others are Moodle's, for imported questions.
    gradings: ClassVar[Mapping[str, Any]] = {}

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

    def read(self, entry: dict, question: Question, data) -> Answer:
        """The answer (ids) a POST `data` gives through the question's fields, checked as the
        fields of `fields()` check it, without building them; raises Refused with the reason
        of the first field (in their order) that refuses its value."""
        raise NotImplementedError

    def labels(self, question: Question) -> dict[str, Any]:
        """The question's texts that its fields show, escaped, in the active language: the
        same for every learner (kept per worker with the question's revision; no token)."""
        raise NotImplementedError

    def render(self, entry: dict, labels: dict[str, Any], answer: Answer) -> str:
        """The question's fields as HTML: `entry`'s tokens in its order, `labels` from
        `labels()`, the saved `answer` (None: unanswered) checked or selected, as `initial()`
        gives its values to the form. What the form's fields render through their widget
        templates, without a template per option and without the initial values built."""
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

    @property
    def usual_grading(self) -> str:
        return next(iter(self.gradings), "")

    def grading_of(self, question: Question) -> str:
        """The rule `question` is graded by: its own, else the type's usual one."""
        return question.grading or self.usual_grading

    def grading_problems(self, value, place: str) -> list[str]:
        """A package question's "grading": one of the type's rules."""
        if value not in self.gradings:
            names = ", ".join(self.gradings) or "none"
            return [f"{place}.grading: expected one of {names} for {self.name}, got {value!r}"]
        return []


QUESTION_TYPES: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    QUESTION_TYPES[cls.name] = cls()
    return cls


def value_of(pairs: list[list], token: str):
    return next((value for t, value in pairs if t == token), None)


def token_of(pairs: list[list], value) -> str | None:
    return next((t for t, v in pairs if v == value), None)
