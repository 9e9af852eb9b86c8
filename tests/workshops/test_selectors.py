from decimal import Decimal

import pytest

from tests.factories import LearnerFactory
from tests.quizzes.factories import make_quiz
from workshops.selectors import test_scores as scores_of

from .factories import add_participants, make_workshop, submitted_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def tests_pair(site):
    pre = make_quiz(slug="pre")
    post = make_quiz(slug="post")
    return pre, post


def test_scores_are_the_first_submitted_attempts(tests_pair, django_assert_num_queries):
    pre, post = tests_pair
    workshop = make_workshop(pre_test=pre, post_test=post)
    a, b, c = LearnerFactory.create_batch(3)
    outsider = LearnerFactory()
    add_participants(workshop, [a, b, c])
    submitted_attempt(user=a, quiz=pre, number=1, score="40")
    submitted_attempt(user=a, quiz=pre, number=2, score="90")  # a retake: ignored
    submitted_attempt(user=a, quiz=post, number=1, score="80")
    submitted_attempt(user=a, quiz=post, number=2, score="100")
    submitted_attempt(user=b, quiz=pre, number=1, score="55.5")
    submitted_attempt(user=outsider, quiz=pre, number=1, score="10")
    with django_assert_num_queries(2):
        found = scores_of(workshop)
    assert found == {
        a.pk: (Decimal("40.00"), Decimal("80.00")),
        b.pk: (Decimal("55.50"), None),
        c.pk: (None, None),
    }


def test_query_count_does_not_grow_with_participants(tests_pair, django_assert_num_queries):
    pre, post = tests_pair
    workshop = make_workshop(pre_test=pre, post_test=post)
    users = LearnerFactory.create_batch(12)
    add_participants(workshop, users)
    for user in users:
        submitted_attempt(user=user, quiz=pre, score="30")
        submitted_attempt(user=user, quiz=post, score="70")
    with django_assert_num_queries(2):
        assert len(scores_of(workshop)) == 12


def test_an_in_progress_first_attempt_does_not_count(tests_pair):
    from django.utils import timezone

    from quizzes.models import QuizAttempt

    pre, post = tests_pair
    workshop = make_workshop(pre_test=pre, post_test=post)
    user = LearnerFactory()
    add_participants(workshop, [user])
    QuizAttempt.objects.create(
        user=user, quiz=pre, number=1, state="in_progress", started_at=timezone.now()
    )
    submitted_attempt(user=user, quiz=pre, number=2, score="65")
    assert scores_of(workshop) == {user.pk: (Decimal("65.00"), None)}


def test_a_workshop_without_tests_has_no_scores(site):
    workshop = make_workshop()
    user = LearnerFactory()
    add_participants(workshop, [user])
    assert scores_of(workshop) == {user.pk: (None, None)}
