"""The questions of the attempt form as HTML, without a template per choice (issue 21).

A question's content in one language (its sanitised text, its image, the labels of its
choices, prompts and options) is the same for every learner: `question_content` builds it and
`selectors.question_contents` keeps it per worker, keyed by the question, its last change, the
language and the content generation. The attempt's own part (its tokens, their order, the
answers saved so far) is put in per request by `render_questions`, with everything escaped;
it is never kept. The HTML is what the form's fields render through their widget templates
(`question_types.base`); tests/quizzes/test_attempt_render.py compares both for every type in
three languages.

The rest of the attempt's part of the page (its number, deadline, "saved" message, question
list and buttons: what quizzes/components/attempt_form.html drew) is built by `render_body`
from the same texts, byte for byte what the template rendered (the template is kept in
tests/quizzes/reference/ to compare with); only the translations are kept, per language.
"""

from dataclasses import dataclass
from html import escape
from typing import Any

from django.template.defaultfilters import time as time_format
from django.template.loader import render_to_string
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext, ngettext

from cms.page_cache import BoundedCache

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
    # The fieldset from its number to its help text: built once, put as it is in every form.
    head: str = ""

    def __post_init__(self):
        head = (
            f'</span> <span dir="auto">{self.legend}</span></legend>{self.figure}'
            '<p class="field__help">'
        )
        object.__setattr__(self, "head", head)

    @property
    def size(self) -> int:
        """Characters held, roughly: what the per-worker cache counts."""
        texts = [text for value in self.labels.values() for text in _texts(value)]
        return 2 * (len(self.legend) + len(self.figure)) + sum(len(text) for text in texts)


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
    language = get_language()
    question = form_words().question
    helps: dict[tuple[str, int], str] = {}  # this call's, by type and marks
    for number, entry in shown:
        content = contents.get(entry["question"])
        if content is None:
            continue
        kind = QUESTION_TYPES[entry["type"]]
        marks = entry["marks"]
        help_text = helps.get((kind.name, marks))
        if help_text is None:
            help_text = helps[kind.name, marks] = _help_text(kind, marks, language)
        fields = kind.render(entry, content.labels, answers.get(entry["question"]))
        parts.append(
            f'<fieldset class="quiz-question" id="question-{number}"><legend>'
            f'<span class="quiz-question__number">{question % {"number": number}}'
            f"{content.head}{help_text}</p>{fields}</fieldset>"
        )
    return "".join(parts)


# Per worker, by language, question type and marks: translations, nothing about any attempt.
_help_texts = BoundedCache(2000)


def _help_text(kind, marks, language: str) -> str:
    """A question's marks and its type's instruction in `language`, the active language."""
    key = (language, kind.name, marks)
    text = _help_texts.get(key)
    if text is None:
        text = ngettext("%(marks)s mark", "%(marks)s marks", marks) % {"marks": marks}
        if kind.instruction:
            text += f" · {escape(str(kind.instruction))}"
        _help_texts.set(key, text)
    return text


# --- the rest of the attempt's part of the page -----------------------------------------------


@dataclass(frozen=True)
class FormWords:
    """The attempt form's fixed texts in one language, as attempt_form.html wrote them (its
    translations are not escaped): the same for everybody, kept per worker by language."""

    attempt: str  # "Attempt %(number)s"
    deadline: str  # "Submit by %(deadline)s …"
    saved: str  # the "saved" message
    outline_head: str  # the question list, to its count sentence
    question: str  # "Question %(number)s"
    item_end: str  # an outline item after its "Question n": "answered", "not answered"
    previous: str  # the buttons
    next: str
    save: str
    submit: str
    tail: str  # the help texts and autosave's templates, to the end of the form


def _form_words() -> FormWords:
    return FormWords(
        attempt=gettext("Attempt %(number)s"),
        deadline=gettext(
            "Submit by %(deadline)s (server time, UTC). After that, the answers you have saved "
            "are submitted for you."
        ),
        saved='<ul class="messages" role="status"><li class="message">'
        f"{gettext('Your answers have been saved.')}</li></ul>",
        outline_head='    <nav class="quiz-outline" aria-labelledby="quiz-outline-title">\n'
        '        <h2 id="quiz-outline-title" class="quiz-outline__title">'
        f"{gettext('Questions')}</h2>\n"
        '        <p class="quiz-outline__count" role="status">',
        question=gettext("Question %(number)s"),
        item_end='</span> <span class="visually-hidden quiz-outline__yes">'
        f"{gettext('answered')}</span>"
        '<span class="visually-hidden quiz-outline__no">'
        f"{gettext('not answered')}</span>\n",
        previous=gettext("Previous question"),
        next=gettext("Next question"),
        save=gettext("Save answers"),
        submit=gettext("Submit"),
        tail='    <p class="field__help">'
        f"{gettext('Submitting ends the attempt: you cannot change your answers afterwards.')}"
        "</p>\n"
        '    <p class="field__help" id="autosave-status" role="status"></p>\n'
        '    <template id="autosave-saved">'
        f"{gettext('Your answers are saved as you go.')}</template>\n"
        '    <template id="autosave-failed">'
        f"{gettext('Your latest answers could not be saved automatically: use “Save answers”.')}"
        "</template>\n</form>\n",
    )


# Per worker, by language: translations, nothing about any attempt or learner.
_words = BoundedCache(32)


def form_words() -> FormWords:
    """The form's fixed texts in the active language."""
    language = get_language()
    words = _words.get(language)
    if words is None:
        words = _form_words()
        _words.set(language, words)
    return words


# quizzes/components/verdict_icon.html with verdict="right", as the question list showed it.
_TICK = (
    '<svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" '
    'focusable="false"><path d="M3 8.5l3.2 3.2L13 4.5"/></svg>\n'
)


def render_body(shown, *, number: int, deadline, saved: bool, csrf_token: str) -> str:
    """The attempt's part of the page (`shown`: an `AttemptPage` with its questions' HTML):
    its `number`, `deadline`, the "saved" message, the form with this request's CSRF token,
    the question list (answered or not, the current page) and the buttons."""
    words = form_words()
    parts = [f"<h1>{words.attempt % {'number': number}}</h1>\n"]
    if deadline:
        when = escape(time_format(template_localtime(deadline), "TIME_FORMAT"))
        parts.append(f'\n    <p class="quiz-deadline">{words.deadline % {"deadline": when}}</p>\n')
    parts.append("\n")
    if saved:
        parts.append(words.saved)
    parts.append(
        '\n<form method="post" class="form quiz-form" novalidate>\n'
        f'    <input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">\n'
    )
    outline = shown.outline
    answered = sum(1 for item in outline if item.answered)
    parts.append(words.outline_head)
    parts.append(
        ngettext(
            "Answered %(answered)s of %(total)s question",
            "Answered %(answered)s of %(total)s questions",
            len(outline),
        )
        % {
            "answered": f'<span class="quiz-outline__answered">{answered}</span>',
            "total": len(outline),
        }
    )
    parts.append('</p>\n        <ol class="quiz-outline__list">\n            ')
    paged = shown.pages > 1
    for item in outline:
        n = item.number
        inner = (
            f'<span aria-hidden="true">{n}</span>{_TICK}<span class="visually-hidden">'
            f"{words.question % {'number': n}}{words.item_end}"
        )
        if paged:
            current = ' aria-current="step"' if item.page == shown.page else ""
            link = (
                f'<button type="submit" name="goto" value="{item.page}" '
                f'class="quiz-outline__link"{current}>{inner}</button>'
            )
        else:
            link = f'<a href="#question-{n}" class="quiz-outline__link">{inner}</a>'
        state = " is-answered" if item.answered else ""
        parts.append(
            f'\n                <li class="quiz-outline__item{state}" id="outline-{n}">'
            f"\n                    \n                        {link}"
            "\n                    \n                </li>\n            "
        )
    parts.append("\n        </ol>\n    </nav>\n    ")
    parts.append(shown.questions_html)
    parts.append('\n    <div class="quiz-actions">\n        ')
    if previous := shown.previous_page:
        parts.append(
            f'<button type="submit" name="goto" value="{previous}" '
            f'class="button button--secondary">{words.previous}</button>'
        )
    parts.append("\n        ")
    following = shown.next_page
    if following:
        parts.append(
            f'<button type="submit" name="goto" value="{following}" class="button">'
            f"{words.next}</button>"
        )
    parts.append(
        "\n        "
        '<button type="submit" name="action" value="save" class="button button--secondary">'
        f"{words.save}</button>\n"
        '        <button type="submit" name="action" value="submit" '
        f'class="button{" button--secondary" if following else ""}">{words.submit}</button>\n'
        "    </div>\n"
    )
    parts.append(words.tail)
    return "".join(parts)
