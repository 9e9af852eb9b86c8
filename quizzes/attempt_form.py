"""The questions of the attempt form as HTML, without a template per choice (issue 21).

A question's content in one language (its sanitised text, its image, the labels of its
choices, prompts and options) is the same for every learner: `question_content` builds it and
`selectors.question_contents` keeps it per worker, keyed by the question, its last change, the
language and the content generation. The attempt's own part (its tokens, their order, the
answers saved so far) is put in per request by `render_questions`, with everything escaped;
it is never kept. The HTML is what the form's fields render through their widget templates
(`question_types.base`); tests/quizzes/test_attempt_render.py compares both for every type in
three languages.
"""

from dataclasses import dataclass
from html import escape
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext, ngettext

from .models import Question
from .question_types import QUESTION_TYPES
from .scoring import Answer
from .templatetags.quiz_tags import authored_inline, is_self_contained


@dataclass(frozen=True)
class QuestionContent:
    """What a question shows in the active language, for nobody in particular."""

    legend: str  # its text, sanitised phrasing HTML
    figure: str  # its image's figure, or ""
    labels: dict[str, Any]  # what its fields show (QuestionType.labels), escaped
    # Whether it depends on the question alone: a text that links to a page or a document,
    # or embeds media, is expanded again for every request (quiz_tags).
    cacheable: bool

    @property
    def size(self) -> int:
        """Characters held, roughly: what the per-worker cache counts."""
        texts = [text for value in self.labels.values() for text in _texts(value)]
        return len(self.legend) + len(self.figure) + sum(len(text) for text in texts)


def _texts(value) -> list[str]:
    return list(value.values()) if isinstance(value, dict) else [str(value)]


def question_content(question: Question, kind_name: str) -> QuestionContent:
    """`question` (children loaded) as its type `kind_name` shows it, in the active language."""
    figure = ""
    if question.image_id:
        figure = render_to_string(
            "quizzes/components/question_image.html",
            {"image": question.image, "alt": question.image_alt or ""},
        )
    return QuestionContent(
        legend=str(authored_inline(question.text)),
        figure=figure,
        labels=QUESTION_TYPES[kind_name].labels(question),
        cacheable=is_self_contained(question.text),
    )


def render_questions(
    shown: list[tuple[int, dict]],
    contents: dict[int, QuestionContent],
    answers: dict[int, Answer],
) -> str:
    """The fieldsets of the questions `shown` ((number in the attempt, layout entry)), filled
    with the saved `answers`: what attempt.html showed for each question of the form."""
    parts = []
    for number, entry in shown:
        content = contents.get(entry["question"])
        if content is None:
            continue
        kind = QUESTION_TYPES[entry["type"]]
        marks = entry["marks"]
        help_text = ngettext("%(marks)s mark", "%(marks)s marks", marks) % {"marks": marks}
        if kind.instruction:
            help_text += f" · {escape(str(kind.instruction))}"
        fields = kind.render(
            entry, content.labels, kind.initial(entry, answers.get(entry["question"]))
        )
        parts.append(
            f'<fieldset class="quiz-question" id="question-{number}"><legend>'
            f'<span class="quiz-question__number">'
            f"{gettext('Question %(number)s') % {'number': number}}</span> "
            f'<span dir="auto">{content.legend}</span></legend>{content.figure}'
            f'<p class="field__help">{help_text}</p>{fields}</fieldset>'
        )
    return "".join(parts)
