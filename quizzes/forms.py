"""The question editor's check, and the attempt form a learner fills (docs/quizzes.md)."""

from django import forms
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Question
from .question_types import QUESTION_TYPES, QuestionType
from .scoring import Answer


class QuestionAdminForm(WagtailAdminModelForm):
    """Refuses a question that cannot be answered correctly, saying why (in the question
    type's own words)."""

    def clean(self):
        cleaned = super().clean()
        kind = QUESTION_TYPES.get(cleaned.get("type") or "")
        if kind is None:
            return cleaned
        if cleaned.get("grading") and cleaned["grading"] not in kind.gradings:
            self.add_error(
                "grading",
                _("A %(type)s question cannot follow this grading rule.") % {"type": kind.label},
            )
        if not self.formsets:
            return cleaned
        for field, message in kind.admin_problems(cleaned, self.formsets):
            self.add_error(field, message)
        return cleaned


class FormQuestion:
    """One question of the attempt form: its place in the attempt and its bound fields."""

    def __init__(self, form: "AttemptForm", number: int, entry: dict, question: Question, names):
        self.form = form
        self.number = number
        self.entry = entry
        self.question = question
        self.kind: QuestionType = QUESTION_TYPES[entry["type"]]
        self.names = list(names)

    @property
    def fields(self):
        return [self.form[name] for name in self.names]

    @property
    def text(self) -> str:
        return self.question.text

    @property
    def image(self):
        return self.question.image

    @property
    def image_alt(self) -> str:
        return self.question.image_alt or ""

    @property
    def marks(self) -> int:
        return self.entry["marks"]

    @property
    def instruction(self):
        return self.kind.instruction


class AttemptForm(forms.Form):
    """Some questions of an attempt (all of them, or one page) as a Django form.

    The field names and option values are the attempt's tokens, mapped to ids only through
    its frozen layout on the server: names, values, their order and the element ids say
    nothing about the right answers. `entries` are (number in the attempt, layout entry).
    """

    def __init__(
        self,
        *,
        entries: list[tuple[int, dict]],
        questions: dict[int, Question],
        answers: dict[int, Answer],
        data=None,
    ):
        super().__init__(data=data, label_suffix="")
        self.questions: list[FormQuestion] = []
        for number, entry in entries:
            question = questions.get(entry["question"])
            if question is None:
                continue
            kind = QUESTION_TYPES[entry["type"]]
            fields = kind.fields(entry, question)
            self.fields.update(fields)
            self.initial.update(kind.initial(entry, answers.get(question.pk)))
            self.questions.append(FormQuestion(self, number, entry, question, fields))

    def answers(self) -> dict[int, Answer]:
        """The answers of a valid form, by question id (None: unanswered)."""
        return {q.question.pk: q.kind.answer(q.entry, self.cleaned_data) for q in self.questions}

    def problems(self) -> list[str]:
        """Why an invalid form could not have come from this attempt's page, per question."""
        reasons = []
        for question in self.questions:
            errors = [error for name in question.names for error in self.errors.get(name, [])]
            if errors:
                reasons.append(
                    _("Question %(number)s: %(problem)s")
                    % {"number": question.number, "problem": errors[0]}
                )
        return reasons
