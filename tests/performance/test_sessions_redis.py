"""With REDIS_URL, sign-in state is read from Redis: no learner page asks the session table.

The settings (cms/settings/base.py) choose `cached_db` sessions in a Redis cache when
REDIS_URL is set: read from Redis, written through to the database, deleted from both at
sign-out, so a session ended on one server is ended on every other at once (the two-server
proof without Redis is tests/security/test_shared_state.py). Skipped without a Redis server.
"""

import socket
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from courses import services
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory

REDIS = ("127.0.0.1", 6379)


def redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture
def redis_sessions(settings):
    """The settings REDIS_URL gives, in a key space of this test's own."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/9",
            "KEY_PREFIX": f"tadrib-test-{uuid.uuid4().hex}",
        }
    }
    settings.SESSION_ENGINE = "security.cached_sessions"
    yield
    from django.core.cache import cache

    cache.clear()  # only this prefix's keys


def learner_pages(learner) -> dict[str, str]:
    course = make_course(slug="redis")
    module = make_module(course, slug="redis-lesson", blocks=1)
    services.activity_open(user=learner, activity=module, language="en")
    pages = {"course": course, "module": module}
    with translation.override("en"):
        urls = {name: page.get_url() for name, page in pages.items()}
        urls["my_learning"] = reverse("courses:my_learning")
    try:
        from tests.quizzes.factories import make_questions, make_quiz
    except ImportError:
        return urls
    quiz = make_quiz(course, slug="redis-quiz", questions=make_questions(["single"]))
    with translation.override("en"):
        urls["quiz"] = quiz.get_url()
    return urls


def session_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "security_session" in q["sql"]]


def test_learner_pages_read_the_session_from_redis_not_the_database(client, site, redis_sessions):
    learner = LearnerFactory(username="redis-reader")
    urls = learner_pages(learner)
    client.force_login(learner)
    for name, url in urls.items():
        assert client.get(url).status_code == 200, name  # first visits, the session's clocks
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, name
        assert session_queries(captured) == [], name
        assert captured.captured_queries, name  # the capture works: pages do query


def test_signing_out_ends_the_session_in_redis_too(client, site, redis_sessions):
    learner = LearnerFactory(username="redis-leaver")
    urls = learner_pages(learner)
    client.force_login(learner)
    assert client.get(urls["course"]).status_code == 200
    cookie = client.cookies["sessionid"].value
    with translation.override("en"):
        client.post(reverse("logout"))
    client.cookies["sessionid"] = cookie  # a copy kept, as another tab or server would
    response = client.get(urls["course"])
    assert response.status_code == 302
    assert "/account/sign-in/" in response["Location"]


def test_with_redis_the_users_statement_reads_the_generation_and_the_standing(
    client, site, redis_sessions
):
    """The one statement a cached session costs (its user) also reads the content generation
    and the Managers standing for the header (security.sessions)."""
    learner = LearnerFactory(username="redis-generation")
    urls = learner_pages(learner)
    client.force_login(learner)
    url = urls["module"]
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    naming = [q["sql"] for q in captured.captured_queries if "cms_contentgeneration" in q["sql"]]
    assert len(naming) == 1 and learner._meta.db_table in naming[0]
    assert "auth_group" in naming[0]
