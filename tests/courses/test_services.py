import pytest
from django.utils import timezone

from courses import selectors, services
from courses.models import ActivityCompletion, Enrolment
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(site):
    course = make_course(slug="evidence")
    make_module(course, slug="one")
    make_module(course, slug="two")
    make_module(course, slug="extra", required=False)
    return course


def modules(course):
    from courses.models import ModulePage

    return list(ModulePage.objects.child_of(course).order_by("path"))


def test_opening_an_activity_enrols_once_and_marks_it_in_progress(course, learner):
    first = modules(course)[0]
    services.activity_open(user=learner, activity=first, language="ar")
    services.activity_open(user=learner, activity=first, language="fr")
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.course_id == course.pk and enrolment.language == "fr"
    completion = ActivityCompletion.objects.get(user=learner, activity_id=first.pk)
    assert completion.state == ActivityCompletion.State.IN_PROGRESS


def test_completing_is_idempotent_and_course_completion_time_is_set_once(course, learner):
    one, two, extra = modules(course)
    services.activity_complete(user=learner, activity=one)
    assert Enrolment.objects.get(user=learner).completed_at is None
    services.activity_complete(user=learner, activity=two)
    first_time = Enrolment.objects.get(user=learner).completed_at
    assert first_time is not None  # the optional module does not hold completion back
    again = services.activity_complete(user=learner, activity=two)
    services.activity_complete(user=learner, activity=extra)
    assert Enrolment.objects.get(user=learner).completed_at == first_time
    assert again.completed_at <= timezone.now()
    assert ActivityCompletion.objects.filter(user=learner).count() == 3


def test_progress_is_per_learner(course, learner):
    other = LearnerFactory()
    services.activity_complete(user=learner, activity=modules(course)[0])
    mine = selectors.course_outline(course=course, user=learner).progress
    theirs = selectors.course_outline(course=course, user=other).progress
    assert (mine.percent, theirs.percent) == (50, 0)


def test_unpublished_activity_cannot_be_opened_or_completed(course, learner):
    draft = make_module(course, slug="draft", live=False)
    with pytest.raises(services.NotAnActivity):
        services.activity_complete(user=learner, activity=draft)
    assert not ActivityCompletion.objects.exists()


def test_activity_of_an_unpublished_course_cannot_be_completed(site, learner):
    hidden = make_course(slug="hidden")
    module = make_module(hidden, slug="m")
    hidden.unpublish()
    module.refresh_from_db()
    with pytest.raises(services.NotAnActivity):
        services.activity_complete(user=learner, activity=module)


def test_progress_needs_constant_queries(course, learner, django_assert_max_num_queries):
    # One query per activity type (module, quiz), the learner's state, the enrolment and the
    # site (activity URLs are computed without a request here).
    budget = len(selectors.activity_models()) + 3
    for i in range(20):
        make_module(course, slug=f"more-{i}")
    with django_assert_max_num_queries(budget):
        selectors.course_outline(course=course, user=learner)
    # Counting progress needs no URLs: activity types and the learner's state only.
    with django_assert_max_num_queries(len(selectors.activity_models()) + 1):
        services.course_completion_refresh(user=learner, course=course)


def test_course_complete_agrees_with_the_progress_rule(course, learner):
    """`selectors.course_complete` (one query over every activity type, used when a completion
    is recorded) says what `course_progress(activity_states(…))` says, step by step."""
    from courses.progress import course_progress
    from tests.quizzes.factories import make_quiz

    one, two, extra = modules(course)
    quiz = make_quiz(course, slug="check")
    make_module(course, slug="draft", live=False)  # a draft never holds completion back
    other = make_course(slug="other")
    make_module(other, slug="elsewhere")

    def both():
        rule = course_progress(selectors.activity_states(course=course, user=learner)).complete
        return rule, selectors.course_complete(course=course, user=learner)

    assert both() == (False, False)
    services.activity_open(user=learner, activity=one, language="en")
    for activity in (one, extra, two):
        services.activity_complete(user=learner, activity=activity, language="en")
        assert both() == (False, False)
    services.activity_record_result(
        user=learner, activity=quiz, score=50, passed=False, complete=False, attempts=1
    )
    assert both() == (False, False)
    services.activity_record_result(
        user=learner, activity=quiz, score=90, passed=True, complete=True, attempts=2
    )
    assert both() == (True, True)
    assert Enrolment.objects.get(user=learner, course=course).completed_at is not None
    assert selectors.course_complete(course=other, user=learner) is False
    assert selectors.course_complete(course=make_course(slug="empty"), user=learner) is False


def test_completing_again_keeps_the_language_it_was_completed_in(course, learner):
    one = modules(course)[0]
    services.activity_complete(user=learner, activity=one, language="ar")
    first = ActivityCompletion.objects.get(user=learner, activity_id=one.pk)
    again = services.activity_complete(user=learner, activity=one, language="fr")
    assert (again.language, again.completed_at) == ("ar", first.completed_at)
    assert Enrolment.objects.get(user=learner).language == "fr"


def test_a_result_follows_the_language_of_the_attempt_that_counts(course, learner):
    from tests.quizzes.factories import make_quiz

    quiz = make_quiz(course, slug="check")
    services.activity_record_result(
        user=learner, activity=quiz, score=90, passed=True, complete=True, attempts=1,
        language="ar",
    )  # fmt: skip
    services.activity_record_result(
        user=learner, activity=quiz, score=95, passed=True, complete=True, attempts=2,
        language="fr",
    )  # fmt: skip
    completion = ActivityCompletion.objects.get(user=learner, activity_id=quiz.pk)
    assert (completion.score, completion.attempts, completion.language) == (95, 2, "fr")
    assert completion.state == ActivityCompletion.State.COMPLETE
