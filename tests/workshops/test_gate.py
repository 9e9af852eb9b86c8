"""The pre-test closes when the first session starts; the post-test opens after the last."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from quizzes import services
from quizzes.gates import attempt_refusal
from quizzes.models import QuizAttempt
from tests.factories import LearnerFactory
from tests.quizzes.factories import make_quiz

from .factories import add_participants, make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(site):
    pre = make_quiz(slug="pre", required=False)
    post = make_quiz(slug="post", required=False)
    workshop = make_workshop(pre_test=pre, post_test=post)
    user = LearnerFactory()
    add_participants(workshop, [user])
    return workshop, pre, post, user


def _first_start(workshop):
    from workshops.selectors import span_of

    return span_of(workshop)


def test_pre_test_before_the_first_session(setup):
    workshop, pre, _post, user = setup
    span = _first_start(workshop)
    before = span.first_starts - timedelta(minutes=1)
    assert attempt_refusal(user=user, quiz=pre, now=before) is None
    attempt = services.attempt_start(user=user, quiz=pre, now=before)
    assert attempt.pk


def test_pre_test_refused_once_the_first_session_started(setup):
    workshop, pre, _post, user = setup
    span = _first_start(workshop)
    with pytest.raises(services.AttemptRefused) as refused:
        services.attempt_start(user=user, quiz=pre, now=span.first_starts)
    assert "pre-test" in str(refused.value.message)
    assert not QuizAttempt.objects.filter(user=user, quiz=pre).exists()


def test_post_test_refused_before_the_last_session_ends(setup):
    workshop, _pre, post, user = setup
    span = _first_start(workshop)
    with pytest.raises(services.AttemptRefused):
        services.attempt_start(user=user, quiz=post, now=span.last_ends - timedelta(seconds=1))
    assert services.attempt_start(user=user, quiz=post, now=span.last_ends).pk


def test_non_participants_are_not_gated(setup):
    workshop, _pre, post, _user = setup
    other = LearnerFactory()
    span = _first_start(workshop)
    assert attempt_refusal(user=other, quiz=post, now=span.first_starts) is None


def test_the_quiz_page_says_why_and_the_start_view_refuses(setup, client):
    _workshop, _pre, post, user = setup
    client.force_login(user)
    with translation.override("en"):
        page = client.get(post.get_url())
        start = reverse("quizzes:start", args=[post.pk])
    html = page.content.decode()
    assert "opens after the last session" in html
    assert f'action="{start}"' not in html
    response = client.post(start)
    assert response.status_code == 302
    assert not QuizAttempt.objects.filter(user=user, quiz=post).exists()


def test_workshop_page_links_the_open_pre_test(setup, client):
    workshop, pre, _post, user = setup
    client.force_login(user)
    with translation.override("fr"):
        response = client.get(reverse("workshops:detail", args=[workshop.slug]))
        pre_url = pre.get_url()
    assert response.status_code == 200
    assert pre_url in response.content.decode()
    assert timezone.now() < _first_start(workshop).first_starts


def test_a_submitted_post_test_is_looked_up_for_its_participants_only(setup):
    """After every submission the workshops receiver asks which of the learner's workshops
    have this quiz as their post-test: one statement, and only those are refreshed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from workshops.receivers import _post_test_workshops, on_attempt_submitted

    workshop, pre, post, user = setup
    stranger = LearnerFactory()
    assert _post_test_workshops(quiz_id=post.pk, user_id=user.pk) == [workshop.pk]
    assert _post_test_workshops(quiz_id=pre.pk, user_id=user.pk) == []
    assert _post_test_workshops(quiz_id=post.pk, user_id=stranger.pk) == []
    with CaptureQueriesContext(connection) as queries:
        on_attempt_submitted(None, user=stranger, quiz=post, attempt=None)
    assert len(queries) == 1
