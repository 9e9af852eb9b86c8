"""Course page, My learning, quiz page and attempt form from shells (cms.page_cache).

As for lessons (test_page_cache.py): a repeat visit costs a constant few queries whatever the
course, the attempts or the enrolments; it is byte for byte what a full render shows the same
learner; and learners share a shell but never their state.
"""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from cms import page_cache
from courses import services
from courses.models import Enrolment
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory
from tests.performance.pages import get, page_url, queries_of

LANGUAGES = ("en", "fr", "ar")
# session, user, content generation, the learner's rows
COURSE_QUERIES = 2  # the session with its user and the generation, the learner's rows
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"|content="[A-Za-z0-9]{64}"')


def full_render(client, url, monkeypatch) -> str:
    """The page rendered for this learner with no shell at all."""
    with monkeypatch.context() as patch:
        patch.setattr(page_cache, "may_use", lambda request: False)
        return get(client, url).content.decode()


def signed_in(username) -> tuple[Client, object]:
    user = LearnerFactory(username=username)
    client = Client()
    client.force_login(user)
    return client, user


def others_enrolled(course, modules, count: int) -> None:
    """Other learners in the course, with progress: the page must not read them."""
    for n in range(count):
        other = LearnerFactory(username=f"{course.slug}-other-{n}")
        services.enrolment_ensure(user=other, course=course)
        services.activity_complete(user=other, activity=modules[0], language="en")


@pytest.fixture
def tree(site):
    course = make_course(slug="shelled")
    modules = [make_module(course, slug=f"part-{n}", blocks=1) for n in range(3)]
    return course, modules


def test_a_course_page_repeat_visit_is_constant_in_activities_and_enrolments(site):
    small = make_course(slug="few")
    small_modules = [make_module(small, slug=f"few-{n}", blocks=1) for n in range(2)]
    big = make_course(slug="many")
    big_modules = [make_module(big, slug=f"many-{n}", blocks=1) for n in range(12)]
    others_enrolled(big, big_modules, 25)
    client, user = signed_in("counter")
    counts = []
    for course, modules in ((small, small_modules), (big, big_modules)):
        services.activity_open(user=user, activity=modules[1], language="en")
        url = page_url(course)
        get(client, url)
        counts.append(queries_of(client, url)[0])
    assert counts == [COURSE_QUERIES, COURSE_QUERIES]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_remembered_course_page_is_byte_for_byte_the_full_render(tree, language, monkeypatch):
    course, modules = tree
    client, user = signed_in("same-course")
    url = page_url(course, language)
    get(client, url)
    count, remembered = queries_of(client, url)
    assert count == COURSE_QUERIES
    assert "Start the course" in remembered or language != "en"
    assert CSRF.sub("", remembered) == CSRF.sub("", full_render(client, url, monkeypatch))
    # Enrolled with a due date passed, one module done: the slots change, the bytes agree.
    services.activity_complete(user=user, activity=modules[0], language=language)
    Enrolment.objects.filter(user=user).update(due_date=timezone.localdate() - timedelta(days=2))
    count, remembered = queries_of(client, url)
    assert count == COURSE_QUERIES
    assert CSRF.sub("", remembered) == CSRF.sub("", full_render(client, url, monkeypatch))
    if language == "en":
        assert "Overdue" in remembered and "Continue" in remembered
        assert remembered.count("status--complete") == 1
    # Course complete: the date it was completed on, in the reader's language.
    for module in modules[1:]:
        services.activity_complete(user=user, activity=module, language=language)
    count, remembered = queries_of(client, url)
    assert count == COURSE_QUERIES
    assert CSRF.sub("", remembered) == CSRF.sub("", full_render(client, url, monkeypatch))
    if language == "en":
        assert "Course completed on" in remembered


def test_learners_share_a_course_shell_but_never_their_state(tree):
    course, modules = tree
    url = page_url(course)
    done, done_user = signed_in("done-course")
    services.activity_complete(user=done_user, activity=modules[0], language="en")
    get(done, url)
    mine = get(done, url).content.decode()
    assert "33% complete" in mine and "Continue" in mine
    other, _user = signed_in("fresh-course")
    get(other, url)  # (the header asks once a minute whether they read reports)
    count, theirs = queries_of(other, url)
    assert count == COURSE_QUERIES  # the route and the shell are the first learner's
    assert "0% complete" in theirs and "Start the course" in theirs
    assert "status--complete" not in theirs
    assert "done-course" not in theirs
    assert all("done-course" not in "".join(shell.parts) for shell in page_cache.shells.values())


def test_a_retitled_activity_shows_at_once_on_a_remembered_course_page(tree):
    course, modules = tree
    client, _user = signed_in("retitle")
    url = page_url(course)
    get(client, url)
    get(client, url)
    modules[2].refresh_from_db()
    modules[2].title_en = "A lesson with a new name"
    modules[2].save_revision().publish()
    assert "A lesson with a new name" in get(client, url).content.decode()
    course.refresh_from_db()
    course.unpublish()
    get(client, url, expect=404)


# --- My learning ----------------------------------------------------------------------------

# one statement for the session, its user and the content generation (security.sessions), and
# one for the learner's enrolments, completions and certificates
LEARNING_QUERIES = 2


def my_learning_url(language="en") -> str:
    from django.urls import reverse

    with translation.override(language):
        return reverse("courses:my_learning")


def test_my_learning_is_constant_in_courses_activities_and_enrolments(site):
    client, user = signed_in("learning-counter")
    url = my_learning_url()
    first = make_course(slug="one")
    modules = [make_module(first, slug=f"one-{n}", blocks=1) for n in range(2)]
    services.activity_open(user=user, activity=modules[0], language="en")
    get(client, url)
    small = queries_of(client, url)[0]
    for n in range(5):
        course = make_course(slug=f"more-{n}")
        more = [make_module(course, slug=f"more-{n}-{m}", blocks=1) for m in range(8)]
        services.activity_complete(user=user, activity=more[0], language="en")
        others_enrolled(course, more, 5)
    get(client, url)  # a publish: the courses' shapes are read again, once
    count, html = queries_of(client, url)
    assert small == count == LEARNING_QUERIES
    assert html.count('class="card"') == 6


@pytest.mark.parametrize("language", LANGUAGES)
def test_my_learning_from_its_shell_is_byte_for_byte_the_full_render(
    site, language, monkeypatch, django_capture_on_commit_callbacks
):
    client, user = signed_in("learning-same")
    url = my_learning_url(language)
    count, empty = queries_of(client, url)
    assert CSRF.sub("", empty) == CSRF.sub("", full_render(client, url, monkeypatch))
    due = make_course(slug="due")
    due_modules = [make_module(due, slug=f"due-{n}", blocks=1) for n in range(3)]
    done = make_course(slug="done", nominal_hours=2)
    done_module = make_module(done, slug="done-0", blocks=1)
    quiet = make_course(slug="quiet")
    make_module(quiet, slug="quiet-0", blocks=1)
    services.enrolment_ensure(user=user, course=quiet)
    services.activity_complete(user=user, activity=due_modules[0], language=language)
    Enrolment.objects.filter(user=user, course=due).update(
        due_date=timezone.localdate() - timedelta(days=3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_complete(user=user, activity=done_module, language=language)
    get(client, url)
    count, shelled = queries_of(client, url)
    assert count == LEARNING_QUERIES
    assert CSRF.sub("", shelled) == CSRF.sub("", full_render(client, url, monkeypatch))
    assert shelled.count('class="card"') == 3
    if language == "en":
        assert "Overdue" in shelled and "Completed" in shelled
        assert "Certificate (PDF)" in shelled
        assert shelled.index("Course due") < shelled.index("Course quiet")


def test_learners_share_the_my_learning_shell_but_never_their_list(site):
    course = make_course(slug="private-list")
    module = make_module(course, slug="private-0", blocks=1)
    mine, me = signed_in("list-owner")
    services.activity_complete(user=me, activity=module, language="en")
    url = my_learning_url()
    get(mine, url)
    assert "Course private-list" in get(mine, url).content.decode()
    theirs, _them = signed_in("list-other")
    get(theirs, url)
    count, html = queries_of(theirs, url)
    assert count == LEARNING_QUERIES
    assert "Course private-list" not in html and "You have not started a course yet." in html
    assert all("private-list" not in "".join(s.parts) for s in page_cache.shells.values())


# --- the quiz page --------------------------------------------------------------------------

# one statement for the session, its user and the content generation, and one for the learner's
# rows, their attempts and the probes of the gates on new attempts (workshops: a quiz kept for a
# workshop's participants; asked only when its probe finds the learner is one)
QUIZ_QUERIES = 2


def quiz_tree(learner):
    quizzes = pytest.importorskip("quizzes.services")
    from tests.quizzes.factories import make_questions, make_quiz

    course = make_course(slug="quizzed")
    make_module(course, slug="before-quiz", blocks=1)
    small = make_quiz(course, slug="small", questions=make_questions(["single", "true_false"]))
    kinds = ["single", "multiple", "true_false", "matching", "ordering"] * 4
    big = make_quiz(course, slug="big", questions=make_questions(kinds), attempts_allowed=0)
    for _n in range(4):  # earlier attempts, listed without a query each
        quizzes.attempt_submit(attempt=quizzes.attempt_start(user=learner, quiz=big))
    return quizzes, course, small, big


def test_a_quiz_page_repeat_visit_is_constant_in_questions_and_attempts(site):
    client, learner = signed_in("quiz-counter")
    _quizzes, course, small, big = quiz_tree(learner)
    others_enrolled(course, [small], 10)
    counts = []
    for quiz in (small, big):
        url = page_url(quiz)
        get(client, url)
        counts.append(queries_of(client, url)[0])
    assert counts == [QUIZ_QUERIES, QUIZ_QUERIES]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_remembered_quiz_page_is_byte_for_byte_the_full_render(site, language, monkeypatch):
    client, learner = signed_in("quiz-same")
    quizzes, _course, small, big = quiz_tree(learner)
    for quiz in (small, big):
        url = page_url(quiz, language)
        get(client, url)
        count, remembered = queries_of(client, url)
        assert count == QUIZ_QUERIES
        assert CSRF.sub("", remembered) == CSRF.sub("", full_render(client, url, monkeypatch))
    # An attempt started: "Continue your attempt", still the same bytes.
    attempt = quizzes.attempt_start(user=learner, quiz=small)
    url = page_url(small, language)
    count, remembered = queries_of(client, url)
    # (+1: the enrolment's study language, which the attempt set to its own, written back)
    assert count == QUIZ_QUERIES + 1
    assert f"/quizzes/attempts/{attempt.pk}/" in remembered
    assert CSRF.sub("", remembered) == CSRF.sub("", full_render(client, url, monkeypatch))
    if language == "en":
        big_page = get(client, page_url(big)).content.decode()
        assert "See attempt 4" in big_page and "Your grade:" in big_page


def test_learners_share_a_quiz_shell_but_never_their_attempts(site):
    client, learner = signed_in("quiz-owner")
    _quizzes, _course, _small, big = quiz_tree(learner)
    url = page_url(big)
    get(client, url)
    assert "See attempt 4" in get(client, url).content.decode()
    other, _them = signed_in("quiz-other")
    get(other, url)  # the first visit enrols them
    count, html = queries_of(other, url)
    assert count == QUIZ_QUERIES
    assert "You have not taken this quiz yet." in html and "See attempt" not in html
    assert all("See attempt" not in "".join(s.parts) for s in page_cache.shells.values())


# --- the attempt form -----------------------------------------------------------------------


def test_authored_text_is_sanitised_once_unless_it_links_or_embeds(site):
    quiz_tags = pytest.importorskip("quizzes.templatetags.quiz_tags")
    quiz_tags._authored.clear()
    text = "<p>Which <b>seal</b>?</p><p><script>alert(1)</script>Pick one.</p>"
    first = quiz_tags.authored_inline(text)
    assert first == quiz_tags.authored_inline(text) == "Which <b>seal</b>?<br>Pick one."
    assert len(quiz_tags._authored) == 1
    # A link to a page is expanded to its current address every time: never kept.
    linked = f'<p><a linktype="page" id="{site.pk}">home</a></p>'
    assert 'href="/' in quiz_tags.authored_html(linked)
    assert len(quiz_tags._authored) == 1


# the session with its user (and the generation), then the attempt with its questions' last
# changes and its saved answers in one statement (w21q; w21n dropped its second read of the
# generation, the session's statement brings it): the chrome from a shell, the questions'
# content kept per worker
ATTEMPT_QUERIES = 2


def test_an_attempt_form_repeat_visit_is_constant_in_questions_attempts_and_learners(site):
    from tests.quizzes.factories import right_answers

    client, learner = signed_in("attempt-counter")
    quizzes, _course, small, big = quiz_tree(learner)
    for n in range(3):  # other learners with attempts of their own
        _client, other = signed_in(f"attempt-other-{n}")
        quizzes.attempt_start(user=other, quiz=big)
    counts, pages = [], []
    for quiz in (small, big):
        attempt = quizzes.attempt_start(user=learner, quiz=quiz)
        quizzes.attempt_save_answers(attempt=attempt, answers=right_answers(attempt))
        url = f"/en/quizzes/attempts/{attempt.pk}/"
        get(client, url)
        count, html = queries_of(client, url)
        counts.append(count)
        pages.append(html)
    assert counts == [ATTEMPT_QUERIES, ATTEMPT_QUERIES]
    assert pages[1].count('class="quiz-question"') == 20 and " checked" in pages[1]


def test_an_attempt_form_reads_the_content_generation_once(site):
    """The session's statement brings the generation: the attempt's statement does not read
    it again (a scalar subquery it carried before w21n)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.quizzes.factories import right_answers

    client, learner = signed_in("attempt-generation")
    quizzes, _course, small, _big = quiz_tree(learner)
    attempt = quizzes.attempt_start(user=learner, quiz=small)
    quizzes.attempt_save_answers(attempt=attempt, answers=right_answers(attempt))
    url = f"/en/quizzes/attempts/{attempt.pk}/"
    get(client, url)
    with CaptureQueriesContext(connection) as captured:
        assert get(client, url).status_code == 200
    table = page_cache._table()
    assert [table in query["sql"] for query in captured] == [True, False]


def test_an_attempt_shell_holds_no_token_number_or_answer(site):
    from tests.quizzes.factories import right_answers

    client, learner = signed_in("shell-owner")
    quizzes, _course, small, _big = quiz_tree(learner)
    attempt = quizzes.attempt_start(user=learner, quiz=small)
    quizzes.attempt_save_answers(attempt=attempt, answers=right_answers(attempt))
    get(client, f"/en/quizzes/attempts/{attempt.pk}/")
    kept = "".join("".join(shell.parts) for shell in page_cache.shells.values())
    assert "\x00attempt-body\x00" in kept and "quiz-question" not in kept
    tokens = [entry["name"] for entry in attempt.layout if "name" in entry]
    assert tokens and not any(token in kept for token in tokens)
    assert "csrfmiddlewaretoken" not in kept and "shell-owner" not in kept
