"""The attempt form's questions are built as strings (quizzes.attempt_form), not through a
template per choice: for every question type, in three languages, with answers saved and
without, the page shows the same elements, attributes and texts as the form's fields
rendered through their widget templates (the rendering the page used before, kept here as
the reference). Question content is kept per worker; an attempt's tokens never are."""

import re
from pathlib import Path

import pytest
from django.db import connection
from django.template import engines
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from cms import page_cache
from quizzes import selectors, services
from quizzes.interchange.services import questions_import
from quizzes.models import Question, QuizPage
from tests.factories import LearnerFactory

from .factories import ALL_TYPES, make_questions, make_quiz, right_answers

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr", "ar")
FIXTURES = Path(__file__).parent / "fixtures"

# attempt.html and the question types' templates as they were before issue 21: the page drew
# each question's fields through its Django widgets' templates.
REFERENCE = Path(__file__).parent / "reference"
_TYPE_TEMPLATES = {
    "single": "options.html",
    "multiple": "options.html",
    "true_false": "options.html",
    "matching": "prompts.html",
    "ordering": "prompts.html",
}
_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')


def reference_render(request, attempt, page=None, saved=False) -> str:
    """The page's <title> and <main> as attempt.html rendered them before, from the form."""
    engine = engines["django"]
    quiz = QuizPage.objects.get(pk=attempt.quiz_id)
    shown = selectors.attempt_page(attempt=attempt, quiz=quiz, page=page)
    for question in shown.form.questions:
        fields = (REFERENCE / _TYPE_TEMPLATES[question.kind.name]).read_text()
        question.reference_fields = mark_safe(  # noqa: S308 - rendered with autoescape
            engine.from_string(fields).render({"question": question})
        )
    page_template = (REFERENCE / "attempt.html").read_text()
    page_template = page_template.replace(
        "{% include question.template %}", "{{ question.reference_fields }}"
    )
    html = engine.from_string(page_template).render(
        {"attempt": attempt, "quiz": quiz, "shown": shown, "saved": saved}, request=request
    )
    return parts(html)


def parts(html: str) -> tuple[str, object]:
    """(<title>, the DOM of <main>, CSRF token left out)."""
    title = html[html.index("<title>") : html.index("</title>")]
    main = _CSRF.sub(r'\1"', html[html.index("<main") : html.index("</main>") + len("</main>")])
    return title, parse_html(main)


def visit(client, attempt, language, page=None):
    url = f"/{language}/quizzes/attempts/{attempt.pk}/" + (f"?page={page}" if page else "")
    response = client.get(url)
    assert response.status_code == 200
    return response


def assert_as_before(client, attempt, language, page=None) -> str:
    """The page now is the page as rendered before, for the same learner and request."""
    response = visit(client, attempt, language, page)
    html = response.content.decode()
    with translation.override(language):
        assert parts(html) == reference_render(response.wsgi_request, attempt, page)
    return html


def page_of(client, attempt, language) -> str:
    return visit(client, attempt, language).content.decode()


def partly_answered(attempt) -> dict:
    """Right answers to some questions, a wrong one to others, none to the rest."""
    answers = right_answers(attempt)
    ids = list(answers)
    return {pk: answers[pk] for pk in ids[::2]}


@pytest.fixture
def taken(site, client):
    page_cache.clear()
    kinds = [*ALL_TYPES, *ALL_TYPES]
    quiz = make_quiz(questions=make_questions(kinds), slug="render", shuffle_choices=True)
    learner = LearnerFactory()
    attempt = services.attempt_start(user=learner, quiz=quiz, language="en")
    client.force_login(learner)
    return quiz, attempt


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_type_renders_as_its_widgets_did_unanswered_and_answered(taken, client, language):
    _quiz, attempt = taken
    assert_as_before(client, attempt, language)
    services.attempt_save_answers(attempt=attempt, answers=partly_answered(attempt))
    attempt.refresh_from_db()
    for _visit in range(2):  # built, then from the worker's cache
        html = assert_as_before(client, attempt, language)
    assert html.count(" checked") + html.count(" selected") > 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_one_question_per_page_renders_as_before(site, client, language):
    quiz = make_quiz(questions=make_questions(), slug="paged", one_per_page=True)
    learner = LearnerFactory()
    attempt = services.attempt_start(user=learner, quiz=quiz, language=language)
    services.attempt_save_answers(attempt=attempt, answers=right_answers(attempt))
    client.force_login(learner)
    for page in range(1, len(ALL_TYPES) + 1):
        assert_as_before(client, attempt, language, page)


def test_an_image_and_a_question_linking_to_a_page_render_as_before(site, client):
    questions_import(data=(FIXTURES / "bank.moodle.xml").read_bytes(), filename="bank.xml")
    pictured = Question.objects.get(name="Preservation request")
    linking = make_questions(["single"])[0]
    linking.text_en = f'<p>See <a linktype="page" id="{site.pk}">the home page</a>.</p>'
    linking.save()
    quiz = make_quiz(questions=[pictured, linking], slug="pictured")
    learner = LearnerFactory()
    attempt = services.attempt_start(user=learner, quiz=quiz, language="en")
    client.force_login(learner)
    for language in LANGUAGES:
        html = assert_as_before(client, attempt, language)
    assert 'class="quiz-question__image"' in html and 'href="/' in html


def test_labels_are_escaped(site, client):
    question = make_questions(["single"])[0]
    choice = question.choices.first()
    choice.text_en = '<img src=x onerror="alert(1)"> & "quoted"'
    choice.save()
    question.save()
    quiz = make_quiz(questions=[question], slug="escaped")
    learner = LearnerFactory()
    attempt = services.attempt_start(user=learner, quiz=quiz, language="en")
    client.force_login(learner)
    html = page_of(client, attempt, "en")
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &quot;quoted&quot;" in html


def test_an_edited_question_is_shown_as_edited(taken, client):
    _quiz, attempt = taken
    page_of(client, attempt, "en")
    question = Question.objects.get(pk=attempt.layout[0]["question"])
    choice = question.choices.first()
    choice.text_en = "Edited choice"
    choice.save()
    question.save()  # the editor saves the question with its choices
    assert "Edited choice" in page_of(client, attempt, "en")


def test_the_kept_content_holds_no_token_of_any_attempt(taken, client):
    quiz, attempt = taken
    other = LearnerFactory()
    theirs = services.attempt_start(user=other, quiz=quiz, language="en")
    page_of(client, attempt, "en")
    client.force_login(other)
    page_of(client, theirs, "en")
    kept = repr(selectors._contents.values())
    assert selectors._contents.values()
    for entry in [*attempt.layout, *theirs.layout]:
        tokens = [entry.get("name")] + [t for t, _v in entry.get("options", [])]
        tokens += [t for t, _v in entry.get("prompts", [])]
        assert not any(token and token in kept for token in tokens)


def test_a_repeat_visit_reads_no_question_rows_and_not_the_page(taken, client):
    _quiz, attempt = taken
    url = reverse("quizzes:attempt", args=[attempt.pk])
    with translation.override("en"):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "quizzes_choice" not in sql and "quizzes_matchingpair" not in sql
    assert "wagtailcore_page" not in sql
