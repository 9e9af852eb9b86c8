"""Single choice and multiple response: choices, some correct, each with optional feedback,
graded right or wrong, or by each choice's weight as Moodle grades them."""

from collections.abc import Collection
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from html import escape
from typing import ClassVar

from django.utils.translation import gettext_lazy as _

from courses.packages import set_translated, translated_values

from ..models import Choice
from ..scoring import MultipleResponseKey, Problem, SingleChoiceKey
from .base import (
    OneToken,
    QuestionType,
    ReviewLine,
    SomeTokens,
    bool_problems,
    kept_rows,
    objects,
    one_token,
    option_inputs,
    plain_problems,
    register,
    some_tokens,
    token_of,
    tokenised,
    value_of,
)

CHOICE_MAX, CHOICE_FEEDBACK_MAX = 500, 1000
WEIGHTS = "weights"
WEIGHT_PLACES = Decimal("0.0000001")


def weight_problems(choice: dict, where: str) -> list[str]:
    """A choice's optional "weight": a number from -1 to 1, at most seven decimals."""
    if "weight" not in choice:
        return []
    value = choice["weight"]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return [f"{where}.weight: expected a number from -1 to 1"]
    try:
        weight = Decimal(str(value))
    except InvalidOperation:
        return [f"{where}.weight: expected a number from -1 to 1"]
    if not weight.is_finite() or not -1 <= weight <= 1:
        return [f"{where}.weight: expected a number from -1 to 1"]
    if weight != weight.quantize(WEIGHT_PLACES):
        return [f"{where}.weight: at most seven decimals"]
    return []


def weight_value(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(WEIGHT_PLACES)


def weight_json(value: Decimal | None) -> int | float | None:
    """A stored weight as the package writes it: 1, -1, 0.5, 0.3333333."""
    if value is None:
        return None
    number = value.normalize()
    return int(number) if number == number.to_integral_value() else float(number)


class ChoiceType(QuestionType):
    """Choices, some of them correct, each with optional feedback (single and multiple)."""

    children = ("choices",)
    input_type: ClassVar[str]  # "radio" or "checkbox"
    messages = {
        Problem.NO_CORRECT_CHOICE: _(
            "Mark at least one choice as correct: otherwise nobody can answer this question."
        ),
        Problem.MORE_THAN_ONE_CORRECT: _(
            "A single-choice question must have exactly one correct choice. Use a "
            "multiple-response question when several choices are right."
        ),
        Problem.TOO_FEW_CHOICES: _("Give at least two choices."),
        Problem.NO_FULL_MARKS: _(
            "With these weights nobody can earn full marks: give one choice the weight 1 "
            "(single choice) or positive weights that add up to 1 (multiple response)."
        ),
    }
    key_class: ClassVar[type[SingleChoiceKey] | type[MultipleResponseKey]]

    def package_problems(self, data: dict, place: str) -> list[str]:
        problems: list[str] = []
        flags, weights = [], []
        for where, choice in objects(data, "choices", place, problems):
            if not isinstance(choice, dict):
                problems.append(f"{where}: expected an object")
                continue
            problems += plain_problems(choice.get("text"), f"{where}.text", CHOICE_MAX)
            problems += plain_problems(
                choice.get("feedback"), f"{where}.feedback", CHOICE_FEEDBACK_MAX, required=False
            )
            problems += bool_problems(choice, "correct", where, required=True)
            problems += weight_problems(choice, where)
            flags.append(choice.get("correct") is True)
            weights.append(choice.get("weight", 0))
        if problems:
            return problems
        by_weights = [Fraction(str(w)) for w in weights] if data.get("grading") == WEIGHTS else None
        return self.problem_places(self.key_class.problems(flags, by_weights), place, "choices")

    def admin_problems(self, cleaned, formsets):
        rows = kept_rows(formsets["choices"])
        flags = [bool(row.get("correct")) for row in rows]
        weights = (
            [Fraction(row.get("weight") or 0) for row in rows]
            if cleaned.get("grading") == WEIGHTS
            else None
        )
        return [
            (None, self.messages[problem]) for problem in self.key_class.problems(flags, weights)
        ]

    def build(self, question, data):
        for position, entry in enumerate(data["choices"]):
            choice = Choice(
                correct=entry["correct"],
                weight=weight_value(entry.get("weight")),
                sort_order=position,
            )
            set_translated(choice, "text", entry["text"])
            set_translated(choice, "feedback", entry.get("feedback"))
            question.choices.add(choice)

    def export(self, question):
        choices = []
        for choice in question.choices.all():
            entry = {"text": translated_values(choice, "text"), "correct": choice.correct}
            if choice.weight is not None:
                entry["weight"] = weight_json(choice.weight)
            if feedback := translated_values(choice, "feedback"):
                entry["feedback"] = feedback
            choices.append(entry)
        return {"choices": choices}

    def _weights(self, question) -> dict[int, Fraction] | None:
        """Choice id → weight when the question is graded by weights, else None."""
        if self.grading_of(question) != WEIGHTS:
            return None
        return {c.pk: Fraction(c.weight or 0) for c in question.choices.all()}

    def layout(self, question, *, rng, shuffle, tokens):
        ids = [choice.pk for choice in question.choices.all()]
        if shuffle:
            rng.shuffle(ids)
        return {"name": tokens(), "options": tokenised(ids, tokens)}

    def _offered(self, entry, question) -> set[str]:
        """The tokens of the choices the question still has: those its field offers."""
        pks = {choice.pk for choice in question.choices.all()}
        return {token for token, pk in entry["options"] if pk in pks}

    def _choices(self, entry, question) -> list[tuple[str, str]]:
        texts = {choice.pk: choice.text for choice in question.choices.all()}
        return [(token, texts[pk]) for token, pk in entry["options"] if pk in texts]

    def labels(self, question):
        return {"options": {choice.pk: escape(choice.text) for choice in question.choices.all()}}

    def _picked(self, answer) -> Collection:
        """The choice ids `answer` chose (those whose tokens `initial` gives)."""
        raise NotImplementedError

    def render(self, entry, labels, answer):
        texts, picked = labels["options"], self._picked(answer)
        return option_inputs(
            self.input_type,
            entry["name"],
            [(token, texts[pk], pk in picked) for token, pk in entry["options"] if pk in texts],
        )

    def review(self, entry, question, key, answer, *, show_feedback):
        chosen = answer if isinstance(answer, frozenset) else {answer}
        by_pk = {choice.pk: choice for choice in question.choices.all()}
        weights = key.weights
        lines = []
        for _name, pk in entry["options"]:
            choice = by_pk.get(pk)
            if choice is None:
                continue
            picked = pk in chosen
            # Graded by weights, a choice is right when it earns marks.
            correct = weights[pk] > 0 if weights is not None else choice.correct
            lines.append(
                ReviewLine(
                    label=choice.text,
                    chosen=str(_("Selected")) if picked else "",
                    right=correct if picked else None,
                    marked_correct=show_feedback and correct,
                    feedback=choice.feedback if show_feedback and (picked or correct) else "",
                )
            )
        return lines


@register
class SingleChoice(ChoiceType):
    name = "single"
    label = _("Single choice")
    input_type = "radio"
    key_class = SingleChoiceKey
    gradings = {
        "right_or_wrong": _("Right or wrong"),
        WEIGHTS: _("By the weight of the choice chosen (Moodle)"),
    }

    def key(self, question, marks):
        correct = frozenset(c.pk for c in question.choices.all() if c.correct)
        return SingleChoiceKey(
            id=question.pk, marks=marks, correct=correct, weights=self._weights(question)
        )

    def fields(self, entry, question):
        return {entry["name"]: OneToken(required=False, choices=self._choices(entry, question))}

    def initial(self, entry, answer):
        return {entry["name"]: token_of(entry["options"], answer) or ""}

    def _picked(self, answer):
        return (answer,)  # None (unanswered) is no choice's id

    def answer(self, entry, cleaned):
        return value_of(entry["options"], cleaned.get(entry["name"]) or "")

    def read(self, entry, question, data):
        name = entry["name"]
        return self.answer(entry, {name: one_token(data, name, self._offered(entry, question))})


@register
class MultipleResponse(ChoiceType):
    name = "multiple"
    label = _("Multiple response")
    input_type = "checkbox"
    instruction = _("Select all that apply.")
    key_class = MultipleResponseKey
    gradings = {
        "right_minus_wrong": _("Right choices minus wrong choices"),
        WEIGHTS: _("By the weights of the choices chosen (Moodle)"),
    }

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
            id=question.pk,
            marks=marks,
            correct=correct,
            all_or_nothing=question.all_or_nothing,
            weights=self._weights(question),
        )

    def fields(self, entry, question):
        return {entry["name"]: SomeTokens(required=False, choices=self._choices(entry, question))}

    def initial(self, entry, answer):
        chosen = self._picked(answer)
        return {entry["name"]: [t for t, pk in entry["options"] if pk in chosen]}

    def _picked(self, answer):
        return answer if isinstance(answer, frozenset) else frozenset()

    def answer(self, entry, cleaned):
        ids = {pk for token, pk in entry["options"] if token in (cleaned.get(entry["name"]) or [])}
        return frozenset(ids) or None

    def read(self, entry, question, data):
        name = entry["name"]
        return self.answer(entry, {name: some_tokens(data, name, self._offered(entry, question))})
