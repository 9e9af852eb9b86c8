"""The attempt form's questions are built as strings (quizzes.attempt_form), not through a
template per choice: for every question type, in three languages, with answers saved and
without, the page shows the same elements, attributes and texts as the form's fields
rendered through their widget templates (the rendering the page used before, kept here as
the reference). The rest of the attempt's part of the page is built as a string, byte for byte
what quizzes/components/attempt_form.html (kept in reference/) rendered. Question content and
the form's translations are kept per worker; an attempt's tokens never are."""

import re
from datetime import UTC, datetime
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
from quizzes import attempt_form, selectors, services
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
_CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def frozen(name: str) -> str:
    """A template kept in reference/, with the question list's item (kept there too) inline."""
    item = (REFERENCE / "outline_item.html").read_text()
    text = (REFERENCE / name).read_text()
    return text.replace('{% include "quizzes/components/outline_item.html" %}', item)


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
    page_template = frozen("attempt.html")
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


def odd_answers(attempt) -> dict:
    """Answers unlike the right ones: the last choice, the first of several, false, one prompt
    of many answered with the last option."""
    answers = {}
    for entry in attempt.layout:
        kind, pk = entry["type"], entry["question"]
        if kind == "single":
            answers[pk] = entry["options"][-1][1]
        elif kind == "multiple":
            answers[pk] = frozenset({entry["options"][0][1]})
        elif kind == "true_false":
            answers[pk] = False
        else:
            answers[pk] = {entry["prompts"][0][1]: entry["options"][-1][1]}
    return answers


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


@pytest.mark.parametrize("language", ["en", "ar"])
def test_partial_and_wrong_answers_render_as_the_widgets_did(taken, client, language):
    _quiz, attempt = taken
    services.attempt_save_answers(attempt=attempt, answers=odd_answers(attempt))
    attempt.refresh_from_db()
    html = assert_as_before(client, attempt, language)
    # Each question shows its answer: one radio or box each, false, one prompt of each pair.
    assert html.count(" checked") == 6 and html.count(" selected") >= 4


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


def body_cases(quiz, attempt):
    """(shown, page) for every page of `attempt`: the question list's current page moves."""
    generation = page_cache.read_generation()
    kept = selectors.attempt_quiz(quiz_id=quiz.pk, generation=generation)
    pages = len(attempt.layout) if quiz.one_per_page else 1
    for page in range(1, pages + 1):
        yield selectors.attempt_shown(attempt=attempt, quiz=kept, page=page, generation=generation)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_attempt_body_is_byte_for_byte_what_its_template_rendered(site, language):
    engine = engines["django"]
    template = engine.from_string(frozen("attempt_form.html"))
    learner = LearnerFactory()
    deadlines = [None, datetime(2026, 12, 2, 14, 5, tzinfo=UTC)]
    compared = 0
    for paged in (False, True):
        quiz = make_quiz(questions=make_questions(), slug=f"body-{paged}", one_per_page=paged)
        attempt = services.attempt_start(user=learner, quiz=quiz, language=language)
        services.attempt_save_answers(attempt=attempt, answers=partly_answered(attempt))
        attempt.number = 12
        with translation.override(language):
            for shown in body_cases(quiz, attempt):
                for deadline in deadlines:
                    attempt.deadline = deadline
                    for saved in (False, True):
                        context = {"attempt": attempt, "shown": shown, "saved": saved}
                        expected = template.render({**context, "csrf_token": "t<k>&"})
                        built = attempt_form.render_body(
                            shown, number=12, deadline=deadline, saved=saved, csrf_token="t<k>&"
                        )
                        assert built == expected
                        compared += 1
    assert compared == 4 * (1 + len(ALL_TYPES))


def test_a_repeat_visit_renders_no_template(taken, client):
    _quiz, attempt = taken
    page_of(client, attempt, "en")
    response = visit(client, attempt, "en")
    assert 'class="quiz-outline__item' in response.content.decode()
    assert [template.name for template in response.templates] == []


def test_the_kept_form_texts_are_translations_only(taken, client):
    quiz, attempt = taken
    other = LearnerFactory(username="someone-else")
    theirs = services.attempt_start(user=other, quiz=quiz, language="en")
    services.attempt_save_answers(attempt=theirs, answers=partly_answered(theirs))
    pages = []
    for language in LANGUAGES:
        pages.append(page_of(client, attempt, language))
    client.force_login(other)
    pages.append(page_of(client, theirs, "fr"))
    assert sorted(attempt_form._words._cache.keys()) == sorted(LANGUAGES)
    kept = repr(attempt_form._words.values())
    tokens = {match for html in pages for match in _CSRF_VALUE.findall(html)}
    for entry in [*attempt.layout, *theirs.layout]:
        tokens.update([entry.get("name")] + [t for t, _v in entry.get("options", [])])
        tokens.update(t for t, _v in entry.get("prompts", []))
    tokens.discard(None)
    assert tokens and not any(token in kept for token in tokens)
    assert "someone-else" not in kept and "is-answered" not in kept and "checked" not in kept
    assert "Attempt %(number)s" in kept or "%(number)s" in kept


def test_answers_and_last_changes_are_one_query_and_this_attempts_own(taken):
    quiz, attempt = taken
    theirs = services.attempt_start(user=LearnerFactory(), quiz=quiz, language="en")
    assert selectors.answers_and_changes(theirs)[0] == selectors.attempt_answers(theirs)
    services.attempt_save_answers(attempt=theirs, answers=right_answers(theirs))
    services.attempt_save_answers(attempt=attempt, answers=partly_answered(attempt))
    read = []
    for mine in (attempt, theirs):
        with CaptureQueriesContext(connection) as queries:
            answers, changes = selectors.answers_and_changes(mine)
        assert len(queries) == 1
        assert answers == selectors.attempt_answers(mine)
        assert sorted(changes) == sorted(entry["question"] for entry in mine.layout)
        read.append(answers)
    assert read[0] != read[1]
    edited = Question.objects.get(pk=attempt.layout[0]["question"])
    before = selectors.answers_and_changes(attempt)[1]
    edited.save()
    after = selectors.answers_and_changes(attempt)[1]
    assert after[edited.pk] != before[edited.pk]
    assert {pk: stamp for pk, stamp in after.items() if pk != edited.pk} == {
        pk: stamp for pk, stamp in before.items() if pk != edited.pk
    }


def test_the_attempt_is_read_alone_as_the_orm_reads_it(taken):
    """One statement, without the content generation (the session's statement brings it)."""
    _quiz, attempt = taken
    services.attempt_save_answers(attempt=attempt, answers=partly_answered(attempt))
    with CaptureQueriesContext(connection) as queries:
        read = selectors.own_attempt(pk=attempt.pk, user_id=attempt.user_id)
    assert len(queries) == 1
    assert page_cache._table() not in queries[0]["sql"]
    orm = type(attempt).objects.get(pk=attempt.pk)
    fields = [field.attname for field in type(attempt)._meta.concrete_fields]
    assert [getattr(read, name) for name in fields] == [getattr(orm, name) for name in fields]
    assert read.layout == attempt.layout and not read._state.adding
    other = LearnerFactory()
    assert selectors.own_attempt(pk=attempt.pk, user_id=other.pk) is None


def test_the_attempt_and_its_answers_are_one_statement_and_only_the_learners(taken):
    """What the form's GET reads (w21q): the attempt as the ORM reads it, its answers and its
    questions' last changes as `answers_and_changes` gives them, in one statement; nothing
    for an attempt that is not the learner's, even with answers saved on it."""
    quiz, attempt = taken
    theirs = services.attempt_start(user=LearnerFactory(), quiz=quiz, language="en")
    services.attempt_save_answers(attempt=theirs, answers=right_answers(theirs))
    services.attempt_save_answers(attempt=attempt, answers=partly_answered(attempt))
    fields = [field.attname for field in type(attempt)._meta.concrete_fields]
    for mine in (attempt, theirs):
        with CaptureQueriesContext(connection) as queries:
            read, answers, changes = selectors.own_attempt_with_answers(
                pk=mine.pk, user_id=mine.user_id
            )
        assert len(queries) == 1
        assert page_cache._table() not in queries[0]["sql"]
        orm = type(mine).objects.get(pk=mine.pk)
        assert [getattr(read, name) for name in fields] == [getattr(orm, name) for name in fields]
        assert not read._state.adding
        assert answers == selectors.attempt_answers(mine) and answers
        assert sorted(changes) == sorted(entry["question"] for entry in mine.layout)
    assert selectors.own_attempt_with_answers(pk=theirs.pk, user_id=attempt.user_id) is None
    assert selectors.own_attempt_with_answers(pk=attempt.pk, user_id=theirs.user_id) is None
    # An edit of a question changes its stamp alone.
    edited = Question.objects.get(pk=attempt.layout[0]["question"])
    before = selectors.own_attempt_with_answers(pk=attempt.pk, user_id=attempt.user_id)[2]
    edited.save()
    after = selectors.own_attempt_with_answers(pk=attempt.pk, user_id=attempt.user_id)[2]
    assert after[edited.pk] != before[edited.pk]
    assert {pk: stamp for pk, stamp in after.items() if pk != edited.pk} == {
        pk: stamp for pk, stamp in before.items() if pk != edited.pk
    }


def test_an_attempt_with_no_questions_reads_its_row(taken):
    _quiz, attempt = taken
    type(attempt).objects.filter(pk=attempt.pk).update(layout=[])
    read, answers, changes = selectors.own_attempt_with_answers(
        pk=attempt.pk, user_id=attempt.user_id
    )
    assert read.pk == attempt.pk and read.layout == [] and answers == {} and changes == {}
