"""The response form, built from a survey's questions. Plain HTML controls: it works without
JavaScript (a ranking is one drop-down of positions per item)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import QuestionKind, SurveyQuestion

NOT_APPLICABLE = 0


def field_name(question: SurveyQuestion) -> str:
    return f"q{question.pk}"


def rank_name(question: SurveyQuestion, item: int) -> str:
    return f"q{question.pk}-{item}"


class ResponseForm(forms.Form):
    """One field per question (one per item for rankings); `answers()` gives the cleaned
    answers by question id, as `services.response_submit` takes them."""

    error_css_class = "field--error"

    def __init__(self, *args, questions: list[SurveyQuestion], disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            if question.kind == QuestionKind.RANKING:
                items = question.option_lines()
                positions = [("", "—")] + [(str(n), str(n)) for n in range(1, len(items) + 1)]
                for item, label in enumerate(items):
                    self.fields[rank_name(question, item)] = forms.TypedChoiceField(
                        label=label,
                        choices=positions,
                        coerce=int,
                        empty_value=None,
                        required=False,
                        disabled=disabled,
                    )
            else:
                self.fields[field_name(question)] = self._field(question, disabled)

    @staticmethod
    def _field(question: SurveyQuestion, disabled: bool) -> forms.Field:
        common = {"required": question.required, "disabled": disabled, "label": ""}
        if question.kind == QuestionKind.SCALE:
            choices = [(str(n), label) for n, label in enumerate(question.point_labels(), 1)]
            if question.not_applicable:
                choices.append((str(NOT_APPLICABLE), _("Not applicable")))
            return forms.TypedChoiceField(
                choices=choices, coerce=int, widget=forms.RadioSelect, **common
            )
        options = [(str(n), label) for n, label in enumerate(question.option_lines())]
        if question.kind == QuestionKind.SINGLE:
            return forms.TypedChoiceField(
                choices=options, coerce=int, widget=forms.RadioSelect, **common
            )
        if question.kind == QuestionKind.MULTIPLE:
            return forms.TypedMultipleChoiceField(
                choices=options, coerce=int, widget=forms.CheckboxSelectMultiple, **common
            )
        return forms.CharField(
            max_length=question.max_length,
            widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
            strip=True,
            **common,
        )

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            if question.kind != QuestionKind.RANKING:
                continue
            count = len(question.option_lines())
            ranks = [cleaned.get(rank_name(question, item)) for item in range(count)]
            if all(rank is None for rank in ranks):
                if question.required:
                    self.add_error(rank_name(question, 0), RANK_REQUIRED)
                continue
            if sorted(r for r in ranks if r is not None) != list(range(1, count + 1)):
                self.add_error(rank_name(question, 0), RANK_EACH_ONCE)
        return cleaned

    def answers(self) -> dict:
        data = self.cleaned_data
        answers: dict = {}
        for question in self.questions:
            if question.kind == QuestionKind.RANKING:
                count = len(question.option_lines())
                ranks = [data.get(rank_name(question, item)) for item in range(count)]
                answers[question.pk] = None if None in ranks else ranks
            else:
                answers[question.pk] = data.get(field_name(question))
        return answers


RANK_REQUIRED = gettext_lazy("Rank every item: this question is required.")
RANK_EACH_ONCE = gettext_lazy("Give each item a different position, from 1 to the last.")


def initial_from(response, questions: list[SurveyQuestion]) -> dict:
    """The form's initial data from a stored response (its answers prefetched)."""
    by_question: dict[int, list] = {}
    for answer in response.answers.all():
        by_question.setdefault(answer.question_id, []).append(answer)
    initial: dict = {}
    for question in questions:
        rows = by_question.get(question.pk, [])
        if not rows:
            continue
        if question.kind == QuestionKind.SCALE:
            initial[field_name(question)] = str(rows[0].value)
        elif question.kind == QuestionKind.SINGLE:
            initial[field_name(question)] = str(rows[0].option)
        elif question.kind == QuestionKind.MULTIPLE:
            initial[field_name(question)] = [str(r.option) for r in rows if r.option is not None]
        elif question.kind == QuestionKind.RANKING:
            for row in rows:
                initial[rank_name(question, row.option)] = str(row.value)
        else:
            initial[field_name(question)] = rows[0].text
    return initial
