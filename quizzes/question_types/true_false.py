"""True or false: a statement, and whether it is true."""

from html import escape
from typing import Any

from django.utils.translation import gettext_lazy as _

from ..scoring import Problem, TrueFalseKey
from .base import (
    OneToken,
    QuestionType,
    ReviewLine,
    bool_problems,
    one_token,
    option_inputs,
    register,
    token_of,
    tokenised,
    value_of,
)

# The field's message for a value that is neither token (OneToken's others otherwise).
NEITHER = {"invalid_choice": _("the answer is neither true nor false.")}


@register
class TrueFalse(QuestionType):
    name = "true_false"
    label = _("True or false")
    key_class = TrueFalseKey
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
        return {"name": tokens(), "options": tokenised([True, False], tokens)}

    def _labels(self) -> dict[bool, Any]:
        return {True: _("True"), False: _("False")}

    def fields(self, entry, question):
        labels = self._labels()
        choices = [(token, labels[value]) for token, value in entry["options"]]
        return {
            entry["name"]: OneToken(
                required=False,
                choices=choices,
                error_messages=NEITHER,
            )
        }

    def labels(self, question):
        return {"options": {value: escape(str(label)) for value, label in self._labels().items()}}

    def render(self, entry, labels, answer):
        texts, given = labels["options"], isinstance(answer, bool)
        return option_inputs(
            "radio",
            entry["name"],
            [(token, texts[value], given and value == answer) for token, value in entry["options"]],
        )

    def initial(self, entry, answer):
        return {
            entry["name"]: token_of(entry["options"], answer) if isinstance(answer, bool) else ""
        }

    def answer(self, entry, cleaned):
        return value_of(entry["options"], cleaned.get(entry["name"]) or "")

    def read(self, entry, question, data):
        name, offered = entry["name"], {token for token, _value in entry["options"]}
        messages = {**OneToken.default_error_messages, **NEITHER}
        return self.answer(entry, {name: one_token(data, name, offered, messages)})

    def review(self, entry, question, key, answer, *, show_feedback):
        labels = self._labels()
        given = answer if isinstance(answer, bool) else None
        return [
            ReviewLine(
                label=str(_("Your answer")),
                chosen=str(labels[given]) if given is not None else str(_("No answer")),
                right=given is key.answer if given is not None else None,
                correct_answer=str(labels[key.answer]) if show_feedback else "",
            )
        ]
