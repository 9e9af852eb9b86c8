"""The question editor's validation, and reading a learner's answers from a POST."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .scoring import Answer, Problem, QuestionType, question_problems

PROBLEM_MESSAGES = {
    Problem.NO_CORRECT_CHOICE: _(
        "Mark at least one choice as correct: otherwise nobody can answer this question."
    ),
    Problem.MORE_THAN_ONE_CORRECT: _(
        "A single-choice question must have exactly one correct choice. Use a multiple-response "
        "question when several choices are right."
    ),
    Problem.TOO_FEW_CHOICES: _("Give at least two choices."),
    Problem.NO_ANSWER: _("Say whether the statement is true or false."),
    Problem.TOO_FEW_PAIRS: _("A matching question needs at least two pairs."),
    Problem.TOO_FEW_ITEMS: _("An ordering question needs at least two items."),
    Problem.NO_MARKS: _("Marks must be at least 1."),
}


def _kept_rows(formset) -> list[dict]:
    """The cleaned rows a formset will save: not deleted, not left blank."""
    formset.is_valid()
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE") or (form.empty_permitted and not form.has_changed()):
            continue
        rows.append(data)
    return rows


class QuestionAdminForm(WagtailAdminModelForm):
    """Refuses a question that cannot be answered correctly, saying why."""

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("type")
        if not kind or "choices" not in self.formsets:
            return cleaned
        choices = _kept_rows(self.formsets["choices"])
        problems = question_problems(
            type=kind,
            marks=cleaned.get("marks") or 0,
            correct_flags=[bool(row.get("correct")) for row in choices],
            answer=cleaned.get("true_false_answer"),
            pairs=len(_kept_rows(self.formsets["pairs"])),
            items=len(_kept_rows(self.formsets["items"])),
        )
        for problem in problems:
            if problem is Problem.NO_ANSWER:
                self.add_error("true_false_answer", PROBLEM_MESSAGES[problem])
            elif problem is Problem.NO_MARKS:
                self.add_error("marks", PROBLEM_MESSAGES[problem])
            else:
                self.add_error(None, PROBLEM_MESSAGES[problem])
        return cleaned


# --- a learner's answers ------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownQuestion:
    """What the attempt form offers for one question (ids only: no right answers)."""

    id: int
    type: QuestionType
    options: tuple[int, ...] = ()  # choice ids, or option (pair) ids for matching
    prompts: tuple[int, ...] = ()  # matching prompt (pair) ids, ordering item ids


class TamperedAnswers(Exception):
    """A POST that the attempt form could not have produced; `reasons` are translated."""

    def __init__(self, reasons: list):
        self.reasons = reasons
        super().__init__("; ".join(str(r) for r in reasons))


def field_name(question_id: int, sub_id: int | None = None) -> str:
    if sub_id is None:
        return f"q{question_id}"
    return f"q{question_id}-{sub_id}"


def _int(value: str) -> int | None:
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        return None
    return int(value)


def answers_from_post(shown: list[ShownQuestion], post) -> dict[int, Answer]:
    """The answers in `post` (a QueryDict) for the questions shown, or TamperedAnswers.

    Radio buttons and checkboxes left untouched are simply absent (unanswered). Each select is
    always sent by a browser, with "" for no answer, so a missing select means a forged form.
    """
    answers: dict[int, Answer] = {}
    reasons: list = []

    def bad(number: int, message):
        reasons.append(
            _("Question %(number)s: %(problem)s") % {"number": number, "problem": message}
        )

    for number, question in enumerate(shown, start=1):
        name = field_name(question.id)
        if question.type in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
            values = post.getlist(name)
            if not values:
                continue
            if len(values) > 1:
                bad(number, _("more than one answer was sent for a single-answer question."))
                continue
            if question.type is QuestionType.TRUE_FALSE:
                if values[0] not in ("true", "false"):
                    bad(number, _("the answer is neither true nor false."))
                    continue
                answers[question.id] = values[0] == "true"
                continue
            choice = _int(values[0])
            if choice is None or choice not in question.options:
                bad(number, _("the choice sent is not one of this question's choices."))
                continue
            answers[question.id] = choice
        elif question.type is QuestionType.MULTIPLE:
            chosen = set()
            for value in post.getlist(name):
                choice = _int(value)
                if choice is None or choice not in question.options:
                    bad(number, _("a choice sent is not one of this question's choices."))
                    break
                chosen.add(choice)
            else:
                if chosen:
                    answers[question.id] = frozenset(chosen)
        else:
            allowed = (
                set(question.options)
                if question.type is QuestionType.MATCHING
                else set(range(1, len(question.prompts) + 1))
            )
            mapping = {}
            for prompt in question.prompts:
                values = post.getlist(field_name(question.id, prompt))
                if len(values) != 1:
                    bad(number, _("an answer field is missing or repeated."))
                    break
                if values[0] == "":
                    continue
                value = _int(values[0])
                if value is None or value not in allowed:
                    bad(number, _("an answer sent is not one of the options offered."))
                    break
                mapping[prompt] = value
            else:
                if mapping:
                    answers[question.id] = mapping
    if reasons:
        raise TamperedAnswers(reasons)
    return answers
