"""SQL queries per learner-facing page: within the budget, and the same whatever the size.

Each page is measured twice, on a small and a large course tree (blocks, activities, courses,
questions, attempts); the counts must be equal and within the budget of docs/performance.md.
The first visit (which enrols the learner) is made before measuring, as a learner's repeat
visits are what the budget is about.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from courses.models import CourseIndexPage
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory

# The course outline reads one table per activity type (module, quiz, survey).
PAGE_BUDGET = 13
LANGUAGES = ("en", "fr", "ar")


def page_url(page, language="en") -> str:
    with translation.override(language):
        return page.get_url()


def queries(client, url: str) -> int:
    """Queries of a repeat GET of `url`, after a first visit."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def course_tree(*, slug: str, activities: int, blocks: int):
    course = make_course(slug=slug)
    modules = [make_module(course, slug=f"{slug}-m{i}", blocks=blocks) for i in range(activities)]
    return course, modules


@pytest.fixture
def signed_in(client, site):
    def sign_in(user=None):
        client.force_login(user or LearnerFactory())
        return client

    return sign_in


@pytest.mark.parametrize("language", LANGUAGES)
def test_module_page_queries_constant_in_blocks_and_activities(signed_in, language):
    _course, small = course_tree(slug="small", activities=2, blocks=2)
    _course, big = course_tree(slug="big", activities=12, blocks=40)
    client = signed_in()
    counts = [queries(client, page_url(m[1], language)) for m in (small, big)]
    assert counts[0] == counts[1] <= PAGE_BUDGET


@pytest.mark.parametrize("language", LANGUAGES)
def test_course_page_queries_constant_in_activities(signed_in, language):
    small_course, _small = course_tree(slug="small", activities=2, blocks=2)
    big_course, _big = course_tree(slug="big", activities=12, blocks=20)
    client = signed_in()
    counts = [queries(client, page_url(c, language)) for c in (small_course, big_course)]
    assert counts[0] == counts[1] <= PAGE_BUDGET


def test_catalogue_queries_constant_in_courses_and_activities(signed_in):
    client = signed_in()
    course_tree(slug="first", activities=2, blocks=1)
    catalogue = CourseIndexPage.objects.get()
    small = queries(client, page_url(catalogue))
    for n in range(8):
        course_tree(slug=f"more{n}", activities=6, blocks=1)
    assert queries(client, page_url(catalogue)) == small <= PAGE_BUDGET


def test_my_learning_queries_constant_in_courses_and_activities(signed_in):
    client = signed_in()
    _course, modules = course_tree(slug="first", activities=2, blocks=1)
    client.get(page_url(modules[0]))  # enrols
    my_learning = reverse("courses:my_learning")
    small = queries(client, my_learning)
    for n in range(6):
        _course, modules = course_tree(slug=f"more{n}", activities=8, blocks=1)
        client.get(page_url(modules[0]))
        client.get(page_url(modules[1]))
    assert queries(client, my_learning) == small <= PAGE_BUDGET


@pytest.mark.parametrize("signed", [False, True])
def test_home_page_queries_within_budget_and_constant_in_courses(client, site, signed):
    if signed:
        client.force_login(LearnerFactory())
    course_tree(slug="first", activities=1, blocks=1)
    small = queries(client, page_url(site))
    for n in range(6):
        course_tree(slug=f"more{n}", activities=4, blocks=1)
    assert queries(client, page_url(site)) == small <= PAGE_BUDGET


def test_quiz_pages_queries_constant_in_questions_and_attempts(signed_in):
    """Quiz page and attempt page: constant (submission: tests/quizzes/test_views.py)."""
    quizzes = pytest.importorskip("quizzes.services")
    from tests.quizzes.factories import make_questions, make_quiz

    learner = LearnerFactory()
    client = signed_in(learner)
    course = make_course(slug="quizzes")
    small = make_quiz(course, slug="small", questions=make_questions(["single", "true_false"]))
    kinds = ["single", "multiple", "true_false", "matching", "ordering"] * 6
    big = make_quiz(course, slug="big", questions=make_questions(kinds), attempts_allowed=0)
    # Earlier attempts at the big quiz: the quiz page lists them without a query each.
    for _n in range(4):
        attempt = quizzes.attempt_start(user=learner, quiz=big)
        quizzes.attempt_submit(attempt=attempt)
    quiz_pages = [queries(client, page_url(q)) for q in (small, big)]
    assert quiz_pages[0] == quiz_pages[1]
    attempt_pages = []
    for quiz in (small, big):
        attempt = quizzes.attempt_start(user=learner, quiz=quiz)
        with translation.override("en"):
            attempt_pages.append(queries(client, reverse("quizzes:attempt", args=[attempt.pk])))
    assert attempt_pages[0] == attempt_pages[1]
