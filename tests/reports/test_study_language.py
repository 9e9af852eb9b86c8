"""Study languages (docs/reports.md): of a course, the language in which the learner did most
of it; of a quiz result, the language of the attempt that counts. Never the last page viewed."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from courses import rollups
from courses.models import ActivityCompletion
from courses.services import activity_complete, activity_record_result
from reports.scope import manager_scope
from reports.selectors import Dimension, ReportFilters, completion_rates, learner_report
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory
from tests.reports.factories import enrol


@pytest.fixture
def course(site):
    course = make_course(slug="languages")
    for n in range(4):
        make_module(course, slug=f"part-{n}")
    return course


def parts(course):
    return list(course.get_children().specific().order_by("path"))


def by_language(user, *, course=None) -> dict:
    filters = ReportFilters(course_id=course.pk if course else None)
    scope = manager_scope(user=user)
    return {r.key: r for r in completion_rates(scope=scope, filters=filters, by=Dimension.LANGUAGE)}


@pytest.fixture
def reader(db):
    from tests.factories import UserFactory

    return UserFactory(username="root", is_superuser=True, organisation=None)


def test_a_quiz_taken_in_arabic_then_one_english_page_counts_as_arabic(client, site, reader):
    quizzes = pytest.importorskip("quizzes.services")
    from tests.quizzes.factories import make_questions, make_quiz

    course = make_course(slug="evidence")
    module = make_module(course, slug="intro")
    quiz = make_quiz(course, slug="check", questions=make_questions(["single", "true_false"]))
    learner = LearnerFactory(username="officer", preferred_language="ar")
    client.force_login(learner)
    with translation.override("ar"):
        assert client.get(quiz.get_url()).status_code == 200
    attempt = quizzes.attempt_start(user=learner, quiz=quiz, language="ar")
    quizzes.attempt_submit(attempt=attempt)
    with translation.override("en"):
        assert client.get(module.get_url()).status_code == 200  # one page, in English
    rows = by_language(reader, course=course)
    assert list(rows) == ["ar"]
    assert rows["ar"].enrolled == 1 and rows["ar"].scored == 1
    (report,) = learner_report(scope=manager_scope(user=reader), user_id=learner.pk).courses
    assert report.language == "ar"


def test_the_course_language_is_the_one_most_of_its_activities_were_done_in(course, reader):
    learner = LearnerFactory(username="mostly-french")
    first, second, third, _fourth = parts(course)
    activity_complete(user=learner, activity=first, language="fr")
    activity_complete(user=learner, activity=second, language="fr")
    activity_complete(user=learner, activity=third, language="ar")
    assert list(by_language(reader)) == ["fr"]


def test_a_quiz_counts_in_the_language_of_its_result(course, reader):
    learner = LearnerFactory(username="graded")
    first, second, third, _fourth = parts(course)
    activity_complete(user=learner, activity=first, language="en")
    # Graded twice, in French then in Arabic: the result that counts is the Arabic one.
    for language in ("fr", "ar"):
        activity_record_result(
            user=learner, activity=second, score=50, passed=False, complete=False, language=language
        )
    activity_record_result(
        user=learner, activity=third, score=90, passed=True, complete=True, language="ar"
    )
    rows = by_language(reader)
    assert list(rows) == ["ar"]
    assert rows["ar"].scored == 2
    assert ActivityCompletion.objects.get(user=learner, activity=second).language == "ar"


def test_a_tie_goes_to_the_language_worked_in_most_recently(course, reader):
    learner = LearnerFactory(username="both")
    first, second, _third, _fourth = parts(course)
    activity_complete(user=learner, activity=first, language="fr")
    activity_complete(user=learner, activity=second, language="ar")
    earlier = timezone.now() - timedelta(days=2)
    ActivityCompletion.objects.filter(user=learner, activity=second).update(last_seen_at=earlier)
    # The times were moved behind courses.services' back: refresh the rollups as it would.
    rollups.enrolment_refresh(user_id=learner.pk, course_id=course.pk)
    assert list(by_language(reader)) == ["fr"]
    ActivityCompletion.objects.filter(user=learner, activity=first).update(
        last_seen_at=earlier - timedelta(days=1)
    )
    rollups.enrolment_refresh(user_id=learner.pk, course_id=course.pk)
    assert list(by_language(reader)) == ["ar"]


def test_before_any_activity_is_done_the_language_it_was_opened_in_counts(client, course, reader):
    learner = LearnerFactory(username="browsing")
    client.force_login(learner)
    with translation.override("fr"):
        client.get(parts(course)[0].get_url())
    assert list(by_language(reader)) == ["fr"]
    enrol(LearnerFactory(username="never-opened"), make_course(slug="other"))
    rows = by_language(reader)
    assert rows[""].label == "Not started yet"


def test_completing_again_in_another_language_changes_nothing(course, reader):
    learner = LearnerFactory(username="again")
    first = parts(course)[0]
    activity_complete(user=learner, activity=first, language="ar")
    activity_complete(user=learner, activity=first, language="en")
    assert ActivityCompletion.objects.get(user=learner, activity=first).language == "ar"
    assert list(by_language(reader)) == ["ar"]


def test_the_language_report_costs_the_same_queries_for_3_and_60_learners(client, course, reader):
    activities = parts(course)

    def learners(start, count):
        for n in range(start, start + count):
            learner = LearnerFactory(username=f"l{n}")
            for i, activity in enumerate(activities[: 1 + n % 4]):
                activity_complete(
                    user=learner, activity=activity, language=("en", "fr", "ar")[i % 3]
                )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("reports:by_language")).status_code == 200
        return len(queries)

    client.force_login(reader)
    learners(0, 3)
    count()
    small = count()
    learners(3, 57)
    assert count() == small


def test_a_better_attempt_in_arabic_keeps_arabic_after_a_weaker_one_in_english(site, reader):
    """Graded by the highest score: the result's language is that of the best attempt, not of
    the latest."""
    quizzes = pytest.importorskip("quizzes.services")
    from tests.quizzes.factories import make_questions, make_quiz, right_answers

    course = make_course(slug="evidence-best")
    quiz = make_quiz(
        course,
        slug="check",
        questions=make_questions(["single", "true_false"]),
        grading="highest",
        pass_mark=100,
        attempts_allowed=3,
    )
    learner = LearnerFactory(username="officer-best")
    best = quizzes.attempt_start(user=learner, quiz=quiz, language="ar")
    quizzes.attempt_save_answers(attempt=best, answers=right_answers(best))
    quizzes.attempt_submit(attempt=best)
    weaker = quizzes.attempt_start(user=learner, quiz=quiz, language="en")
    quizzes.attempt_submit(attempt=weaker)  # nothing answered
    completion = ActivityCompletion.objects.get(user=learner, activity_id=quiz.pk)
    assert completion.language == "ar"
