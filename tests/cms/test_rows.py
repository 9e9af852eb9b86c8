"""Rows read by statements written in SQL (cms/rows.py) are the instances the ORM builds:
every field's value converted alike (datetimes, decimals, JSON, on SQLite and PostgreSQL),
the multi-table page models joined, and the fields left out loaded on access."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.fields import StreamField

from cms import rows
from courses.models import CoursePage, Enrolment, ModulePage
from courses.selectors import live_course_and_enrolment
from courses.services import enrolment_ensure
from quizzes import selectors, services
from quizzes.attempt_post import _last_changes
from quizzes.models import Question, QuizAttempt, QuizPage
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory
from tests.quizzes.factories import make_questions, make_quiz

pytestmark = pytest.mark.django_db


def _values(instance, names):
    return {name: getattr(instance, name) for name in names}


def _concrete(model, deferred=()):
    return [f.attname for f in model._meta.concrete_fields if not isinstance(f, deferred)]


@pytest.fixture
def attempt(site):
    course = make_course(slug="rows")
    quiz = make_quiz(course, slug="rows-quiz", questions=make_questions(), pass_mark=65)
    learner = LearnerFactory()
    attempt = services.attempt_start(user=learner, quiz=quiz, language="fr")
    QuizAttempt.objects.filter(pk=attempt.pk).update(score=Decimal("52.35"))
    return attempt


def test_an_attempt_and_its_quiz_are_read_as_the_orm_reads_them(attempt):
    expected = QuizAttempt.objects.select_related("quiz").get(pk=attempt.pk)
    with CaptureQueriesContext(connection) as queries:
        read = selectors.own_attempt_with_quiz(pk=attempt.pk, user_id=attempt.user_id)
        assert isinstance(read.quiz, QuizPage)
        fields = _concrete(QuizPage, (StreamField,))
        assert _values(read.quiz, fields) == _values(expected.quiz, fields)
    assert len(queries) == 1
    assert _values(read, _concrete(QuizAttempt)) == _values(expected, _concrete(QuizAttempt))
    assert read.score == Decimal("52.35") and read.started_at.tzinfo is not None
    assert isinstance(read.layout, list) and read.layout == expected.layout
    assert not read._state.adding and read._state.db == "default"


def test_fields_left_out_are_read_when_used(site):
    """A module's StreamFields (left out by type) load on access, one query, as with defer()."""
    course = make_course(slug="rows-module")
    module = make_module(course, slug="rows-part")
    reader = rows.reader(ModulePage, connection=connection, deferred=(StreamField,))
    assert "body" not in reader.names and "title_ar" in reader.names
    sql = f"SELECT {reader.select} FROM {reader.tables} WHERE {reader.column('pk')} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [module.pk])
        read = reader.instance(connection, cursor.fetchone())
    expected = ModulePage.objects.get(pk=module.pk)
    assert (read.title, read.path, read.live) == (expected.title, expected.path, True)
    with CaptureQueriesContext(connection) as queries:
        assert list(read.body_en.raw_data) == list(expected.body_en.raw_data)
    assert len(queries) == 1


def test_anyone_elses_attempt_is_not_read(attempt):
    other = LearnerFactory()
    assert selectors.own_attempt_with_quiz(pk=attempt.pk, user_id=other.pk) is None
    assert selectors.own_attempt(pk=attempt.pk, user_id=other.pk) is None


def test_the_course_and_the_enrolment_are_read_as_the_orm_reads_them(attempt):
    quiz = QuizPage.objects.get(pk=attempt.quiz_id)
    learner = attempt.user
    course, enrolment = live_course_and_enrolment(activity=quiz, user=learner)
    expected = CoursePage.objects.get(pk=course.pk)
    fields = _concrete(CoursePage, (StreamField,))
    assert _values(course, fields) == _values(expected, fields)
    row = Enrolment.objects.get(user=learner, course=course)
    assert enrolment == (row.pk, None)
    now = timezone.now()
    Enrolment.objects.filter(pk=row.pk).update(completed_at=now)
    assert live_course_and_enrolment(activity=quiz, user=learner)[1] == (row.pk, now)
    # Not enrolled: the course, no enrolment.
    stranger = LearnerFactory()
    assert live_course_and_enrolment(activity=quiz, user=stranger) == (course, None)
    enrolment_ensure(user=stranger, course=course, language="ar")
    assert live_course_and_enrolment(activity=quiz, user=stranger)[1] is not None
    # A course that is not live has no completions written to it.
    CoursePage.objects.filter(pk=course.pk).update(live=False)
    assert live_course_and_enrolment(activity=quiz, user=learner) == (None, None)


def test_only_the_fields_named_are_read(attempt):
    questions = list(Question.objects.all())
    reader = rows.reader(Question, connection=connection, only=("id", "updated_at"))
    assert reader.names == ("id", "updated_at")
    assert reader.column("category").endswith('"category_id"')  # not selected, still named
    changes = _last_changes([q.pk for q in questions])
    assert changes == {q.pk: q.updated_at for q in questions}
    assert all(stamp.tzinfo is not None for stamp in changes.values())
    assert _last_changes([]) == {}
