"""Single choice and multiple response: choices, some correct, each with optional feedback."""

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
    plain_problems,
    register,
    token_of,
    tokenised,
    value_of,
)

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
        return {"name": tokens(), "options": tokenised(ids, tokens)}

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
        return {entry["name"]: token_of(entry["options"], answer) or ""}

    def answer(self, entry, cleaned):
        return value_of(entry["options"], cleaned.get(entry["name"]) or "")


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
