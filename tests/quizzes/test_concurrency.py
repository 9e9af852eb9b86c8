"""Concurrent submissions and starts, on PostgreSQL (real row locks and concurrent writers).

Run with DATABASE_URL=postgres://… ; on SQLite, writes are serialised and these are skipped.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from courses.models import ActivityCompletion
from quizzes import services
from quizzes.models import QuizAttempt, Response

from .factories import make_quiz, right_answers

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL=postgres://…): SQLite serialises writers",
    ),
]


def run_in_threads(count: int, target) -> list:
    """Run `target()` in `count` threads released at once; return results or exceptions."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def work(index):
        try:
            barrier.wait()
            results[index] = target()
        except Exception as error:  # noqa: BLE001 - reported to the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_fifty_concurrent_submissions_give_one_result(site, learner):
    quiz = make_quiz()
    attempt = services.attempt_start(user=learner, quiz=quiz)
    services.attempt_save_answers(attempt=attempt, answers=right_answers(attempt))

    def submit():
        fresh = QuizAttempt.objects.get(pk=attempt.pk)
        fresh.state = QuizAttempt.State.IN_PROGRESS  # as every request read it before submitting
        return services.attempt_submit(attempt=fresh)

    results = run_in_threads(50, submit)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors[:3]
    assert {(r.score, r.submitted_at) for r in results} == {
        (Decimal("100.00"), QuizAttempt.objects.get().submitted_at)
    }
    assert QuizAttempt.objects.count() == 1
    assert Response.objects.filter(fraction=1).count() == 5
    assert ActivityCompletion.objects.get(user=learner, activity_id=quiz.pk).state == "complete"


def test_concurrent_starts_never_exceed_the_attempt_limit(site, learner):
    quiz = make_quiz(attempts_allowed=2)

    def start_and_submit():
        # Each thread keeps starting and submitting until the limit refuses it.
        for _ in range(5):
            attempt = services.attempt_start(user=learner, quiz=quiz)
            services.attempt_submit(attempt=attempt)
        return None

    results = run_in_threads(20, start_and_submit)
    unexpected = [
        r
        for r in results
        if isinstance(r, Exception) and not isinstance(r, services.NoAttemptsLeft)
    ]
    assert not unexpected, unexpected[:3]
    assert all(isinstance(r, services.NoAttemptsLeft) for r in results)
    assert sorted(QuizAttempt.objects.values_list("number", flat=True)) == [1, 2]


def test_concurrent_starts_share_one_attempt_in_progress(site, learner):
    quiz = make_quiz(attempts_allowed=0)
    results = run_in_threads(20, lambda: services.attempt_start(user=learner, quiz=quiz).pk)
    assert not [r for r in results if isinstance(r, Exception)]
    assert len(set(results)) == 1
    assert QuizAttempt.objects.count() == 1
