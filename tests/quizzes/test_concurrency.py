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


def test_two_concurrent_form_submissions_submit_and_report_once(site, learner):
    """Two POSTs of the attempt form at once (a double click on two connections): each is
    answered with the result; the attempt is scored, audited and reported to courses once."""
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from courses import rollups
    from security.models import AuditEntry

    from .factories import post_data

    quiz = make_quiz()
    attempt = services.attempt_start(user=learner, quiz=quiz, language="en")
    data = post_data(attempt, right_answers(attempt))
    with translation.override("en"):
        path = reverse("quizzes:attempt", kwargs={"pk": attempt.pk})
        result = reverse("quizzes:result", kwargs={"pk": attempt.pk})
    clients = []
    for _n in range(2):
        client = Client()
        client.force_login(learner)
        clients.append(client)

    def post():
        response = clients.pop().post(path, data)
        return response.status_code, response.url

    results = run_in_threads(2, post)
    assert results == [(302, result), (302, result)]
    attempt.refresh_from_db()
    assert (attempt.state, attempt.score, attempt.passed) == ("submitted", Decimal("100.00"), True)
    assert Response.objects.filter(attempt=attempt, fraction=1).count() == 5
    assert AuditEntry.objects.filter(action="quiz_submitted").count() == 1
    completion = ActivityCompletion.objects.get(user=learner, activity_id=quiz.pk)
    assert (completion.state, completion.attempts) == ("complete", 1)
    assert rollups.differences() == []
