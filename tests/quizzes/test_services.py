"""Starting, saving and submitting attempts (SQLite by default; PostgreSQL with DATABASE_URL)."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import ActivityCompletion
from quizzes import services
from quizzes.models import QuizAttempt, QuizDraw, Response
from quizzes.question_types import QUESTION_TYPES
from quizzes.selectors import quiz_overview
from tests.factories import LearnerFactory

from .factories import make_category, make_questions, make_quiz, right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(site):
    return make_quiz()


def test_start_freezes_the_questions_and_creates_empty_responses(quiz, learner):
    attempt = services.attempt_start(user=learner, quiz=quiz, language="fr")
    assert attempt.number == 1
    assert attempt.state == QuizAttempt.State.IN_PROGRESS
    assert attempt.language == "fr"
    assert [e["type"] for e in attempt.layout] == list(QUESTION_TYPES)
    assert Response.objects.filter(attempt=attempt, answer__isnull=True).count() == 5


def test_start_marks_the_quiz_in_progress_in_the_course(quiz, learner):
    services.attempt_start(user=learner, quiz=quiz, language="en")
    completion = ActivityCompletion.objects.get(user=learner, activity_id=quiz.pk)
    assert completion.state == ActivityCompletion.State.IN_PROGRESS


def test_start_resumes_the_attempt_in_progress(quiz, learner):
    first = services.attempt_start(user=learner, quiz=quiz)
    again = services.attempt_start(user=learner, quiz=quiz)
    assert again.pk == first.pk
    assert QuizAttempt.objects.count() == 1


def test_attempt_limit_is_enforced(site, learner):
    quiz = make_quiz(attempts_allowed=2)
    for _ in range(2):
        services.attempt_submit(attempt=services.attempt_start(user=learner, quiz=quiz))
    with pytest.raises(services.NoAttemptsLeft):
        services.attempt_start(user=learner, quiz=quiz)
    assert QuizAttempt.objects.filter(user=learner).count() == 2


def test_unlimited_attempts(site, learner):
    quiz = make_quiz(attempts_allowed=0)
    for number in range(1, 5):
        attempt = services.attempt_start(user=learner, quiz=quiz)
        assert attempt.number == number
        services.attempt_submit(attempt=attempt)


def test_database_refuses_a_second_attempt_in_progress_and_a_duplicate_number(quiz, learner):
    attempt = services.attempt_start(user=learner, quiz=quiz)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuizAttempt.objects.create(user=learner, quiz=quiz, number=2, started_at=timezone.now())
    attempt.state = QuizAttempt.State.SUBMITTED
    attempt.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        QuizAttempt.objects.create(
            user=learner, quiz=quiz, number=1, started_at=timezone.now(), state="submitted"
        )


def test_all_right_answers_score_100_and_complete_the_quiz(quiz, learner):
    attempt = services.attempt_start(user=learner, quiz=quiz)
    assert services.attempt_save_answers(attempt=attempt, answers=right_answers(attempt))
    attempt = services.attempt_submit(attempt=attempt)
    assert attempt.score == Decimal("100.00")
    assert attempt.passed is True
    assert attempt.submitted_at is not None
    assert set(Response.objects.values_list("fraction", flat=True)) == {Decimal("1")}
    completion = ActivityCompletion.objects.get(user=learner, activity_id=quiz.pk)
    assert completion.state == ActivityCompletion.State.COMPLETE


def test_partial_answers_and_unanswered_questions(quiz, learner):
    attempt = services.attempt_start(user=learner, quiz=quiz)
    answers = right_answers(attempt)
    single, multiple = attempt.layout[0]["question"], attempt.layout[1]["question"]
    # Only single (right) and one of the two right multiple choices: (1 + 0.5) / 5 = 30 %.
    partial = {single: answers[single], multiple: frozenset([min(answers[multiple])])}
    services.attempt_save_answers(attempt=attempt, answers=partial)
    attempt = services.attempt_submit(attempt=attempt)
    assert attempt.score == Decimal("30.00")
    assert attempt.passed is False
    assert not ActivityCompletion.objects.filter(
        user=learner, activity_id=quiz.pk, state="complete"
    ).exists()


def test_failing_every_attempt_completes_only_when_the_quiz_says_so(site, learner):
    strict = make_quiz(slug="strict", attempts_allowed=1)
    lenient = make_quiz(slug="lenient", attempts_allowed=1, complete_when_attempts_exhausted=True)
    for quiz in (strict, lenient):
        services.attempt_submit(attempt=services.attempt_start(user=learner, quiz=quiz))
    states = dict(ActivityCompletion.objects.values_list("activity_id", "state"))
    assert states[strict.pk] == "in_progress"
    assert states[lenient.pk] == "complete"


def test_saving_replaces_the_previous_answers(quiz, learner):
    attempt = services.attempt_start(user=learner, quiz=quiz)
    answers = right_answers(attempt)
    services.attempt_save_answers(attempt=attempt, answers=answers)
    services.attempt_save_answers(attempt=attempt, answers={})  # everything cleared
    assert not Response.objects.filter(attempt=attempt, answer__isnull=False).exists()


def test_submitting_twice_scores_once(quiz, learner):
    attempt = services.attempt_start(user=learner, quiz=quiz)
    services.attempt_save_answers(attempt=attempt, answers=right_answers(attempt))
    first = services.attempt_submit(attempt=attempt)
    stale = QuizAttempt.objects.get(pk=attempt.pk)
    stale.state = QuizAttempt.State.IN_PROGRESS  # a replayed request holding an old copy
    again = services.attempt_submit(attempt=stale)
    assert again.score == first.score
    assert again.submitted_at == first.submitted_at
    assert QuizAttempt.objects.count() == 1


def test_saving_after_submission_is_ignored(quiz, learner):
    attempt = services.attempt_start(user=learner, quiz=quiz)
    services.attempt_submit(attempt=attempt)
    stale = QuizAttempt.objects.get(pk=attempt.pk)
    stale.state = QuizAttempt.State.IN_PROGRESS
    assert services.attempt_save_answers(attempt=stale, answers=right_answers(stale)) is False
    assert not Response.objects.filter(answer__isnull=False).exists()


class TestTimeLimit:
    @pytest.fixture
    def timed(self, site):
        return make_quiz(slug="timed", time_limit_minutes=10)

    def test_deadline_is_set_from_the_time_limit(self, timed, learner):
        now = timezone.now()
        attempt = services.attempt_start(user=learner, quiz=timed, now=now)
        assert attempt.deadline == now + timedelta(minutes=10)

    def test_answers_within_the_grace_period_are_accepted(self, timed, learner, settings):
        settings.QUIZ_TIME_LIMIT_GRACE_SECONDS = 30
        now = timezone.now()
        attempt = services.attempt_start(user=learner, quiz=timed, now=now)
        late = now + timedelta(minutes=10, seconds=29)
        assert services.attempt_save_answers(
            attempt=attempt, answers=right_answers(attempt), now=late
        )
        attempt = services.attempt_submit(attempt=attempt, now=late)
        assert attempt.score == Decimal("100.00")

    def test_answers_after_the_grace_period_are_refused_and_saved_ones_submitted(
        self, timed, learner
    ):
        now = timezone.now()
        attempt = services.attempt_start(user=learner, quiz=timed, now=now)
        answers = right_answers(attempt)
        first = attempt.layout[0]["question"]
        services.attempt_save_answers(attempt=attempt, answers={first: answers[first]}, now=now)
        late = now + timedelta(minutes=11)
        assert services.attempt_save_answers(attempt=attempt, answers=answers, now=late) is False
        attempt.refresh_from_db()
        assert attempt.state == QuizAttempt.State.SUBMITTED
        assert attempt.score == Decimal("20.00")  # only the answer saved in time counts

    def test_an_overdue_attempt_is_submitted_when_the_next_one_starts(self, timed, learner):
        now = timezone.now()
        first = services.attempt_start(user=learner, quiz=timed, now=now)
        second = services.attempt_start(user=learner, quiz=timed, now=now + timedelta(hours=1))
        first.refresh_from_db()
        assert first.state == QuizAttempt.State.SUBMITTED
        assert second.number == 2

    def test_overdue_attempts_are_submitted_when_the_quiz_is_opened(self, timed, learner):
        now = timezone.now()
        attempt = services.attempt_start(user=learner, quiz=timed, now=now)
        services.attempts_submit_overdue(user=learner, quiz=timed, now=now + timedelta(hours=1))
        attempt.refresh_from_db()
        assert attempt.state == QuizAttempt.State.SUBMITTED


def test_random_draws_are_fixed_per_attempt(site, learner):
    category = make_category("Pool")
    pool = make_questions(["single"] * 6, category=category)
    quiz = make_quiz(slug="drawn", questions=pool[:1], attempts_allowed=0)
    QuizDraw.objects.create(page=quiz, category=category, count=3)
    attempt = services.attempt_start(user=learner, quiz=quiz, rng=random.Random(1))
    ids = attempt.question_ids
    assert len(ids) == 4 and ids[0] == pool[0].pk and len(set(ids)) == 4
    assert services.attempt_start(user=learner, quiz=quiz).question_ids == ids  # resumed
    attempt.refresh_from_db()
    assert attempt.question_ids == ids


def test_shuffling_keeps_every_question_and_choice(site, learner):
    quiz = make_quiz(slug="shuffled", shuffle_questions=True, shuffle_choices=True)
    attempt = services.attempt_start(user=learner, quiz=quiz, rng=random.Random(3))
    assert sorted(attempt.question_ids) == sorted(q.question_id for q in quiz.quiz_questions.all())
    services.attempt_save_answers(attempt=attempt, answers=right_answers(attempt))
    assert services.attempt_submit(attempt=attempt).score == Decimal("100.00")


def test_ordering_items_are_never_shown_in_their_correct_order(site, learner):
    quiz = make_quiz(slug="ordering", questions=make_questions(["ordering"]), attempts_allowed=0)
    for seed in range(20):
        attempt = services.attempt_start(user=learner, quiz=quiz, rng=random.Random(seed))
        shown = [pk for _token, pk in attempt.layout[0]["prompts"]]
        assert shown != sorted(shown)  # items were created in order
        services.attempt_submit(attempt=attempt)


def test_per_quiz_marks_override(site, learner):
    questions = make_questions(["single", "true_false"])
    quiz = make_quiz(slug="marks", questions=questions)
    overridden = quiz.quiz_questions.get(question=questions[0])
    overridden.marks = 3
    overridden.save()
    attempt = services.attempt_start(user=learner, quiz=quiz)
    answers = right_answers(attempt)
    services.attempt_save_answers(
        attempt=attempt, answers={questions[0].pk: answers[questions[0].pk]}
    )
    assert services.attempt_submit(attempt=attempt).score == Decimal("75.00")


def test_overview_grades_across_attempts(site, learner):
    quiz = make_quiz(slug="graded", attempts_allowed=3, grading="average")
    for all_right in (True, False):
        attempt = services.attempt_start(user=learner, quiz=quiz)
        services.attempt_save_answers(
            attempt=attempt, answers=right_answers(attempt) if all_right else {}
        )
        services.attempt_submit(attempt=attempt)
    overview = quiz_overview(quiz=quiz, user=learner)
    assert overview.grade == Decimal("50.00")
    assert overview.used == 2 and overview.left == 1
    assert overview.can_start is True


def test_attempts_of_other_learners_do_not_count(quiz, learner):
    other = LearnerFactory()
    services.attempt_submit(attempt=services.attempt_start(user=other, quiz=quiz))
    assert services.attempt_start(user=learner, quiz=quiz).number == 1


def test_grade_and_attempts_reach_the_course_for_reports(quiz, learner):
    failed = services.attempt_submit(attempt=services.attempt_start(user=learner, quiz=quiz))
    assert failed.passed is False
    completion = ActivityCompletion.objects.get(user=learner, activity_id=quiz.pk)
    assert (completion.score, completion.passed, completion.attempts) == (Decimal("0.00"), False, 1)
    assert completion.state == ActivityCompletion.State.IN_PROGRESS
    attempt = services.attempt_start(user=learner, quiz=quiz)
    services.attempt_save_answers(attempt=attempt, answers=right_answers(attempt))
    services.attempt_submit(attempt=attempt)
    completion.refresh_from_db()
    assert (completion.score, completion.passed, completion.attempts) == (
        Decimal("100.00"),
        True,
        2,
    )
    assert completion.state == ActivityCompletion.State.COMPLETE
