"""What every signed-in page pays before its own work (issue 21, round 4).

The session, its user, the content generation and the user's Managers standing (the header's
Reports link) come from one statement (security.sessions); Django's CSRF mask is drawn from
one call to the random source (security.csrf). These tests hold that each costs nothing more
and changes nothing: the same freshness (a publish and a group change are seen by the next
request), the same tokens, the same links.
"""

import re
from collections import Counter

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.middleware import csrf as django_csrf
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cms import page_cache
from cms.models import ContentGeneration
from cms.roles import GROUP_NAMES, Role
from reports import scope
from security import csrf as fast_csrf
from security.sessions import IN_MANAGERS_ATTR
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory, ManagerFactory, UserFactory
from tests.performance.pages import get, page_url

pytestmark = pytest.mark.django_db
GENERATION_TABLE = ContentGeneration._meta.db_table


def reports_url() -> str:
    with translation.override("en"):
        return reverse("reports:by_course")


def has_reports_link(html: str) -> bool:
    return f'href="{reports_url()}"' in html


@pytest.fixture
def lesson(site):
    course = make_course(slug="pipeline")
    return make_module(course, slug="pipeline-lesson", blocks=1)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_generation_is_read_by_the_sessions_statement(lesson):
    client = signed_in(LearnerFactory(username="pipeline"))
    url = page_url(lesson)
    get(client, url)
    with CaptureQueriesContext(connection) as captured:
        get(client, url)
    statements = [q["sql"] for q in captured.captured_queries]
    naming = [sql for sql in statements if GENERATION_TABLE in sql]
    assert len(naming) == 1 and "security_session" in naming[0], statements


def test_a_publish_is_seen_by_the_next_request(lesson):
    client = signed_in(LearnerFactory(username="publish-reader"))
    url = page_url(lesson)
    get(client, url)
    get(client, url)
    before = page_cache.read_generation()
    lesson.title = "Renamed lesson"
    lesson.save_revision().publish()
    assert page_cache.read_generation() != before
    assert "Renamed lesson" in get(client, url).content.decode()


def test_no_generation_row_turns_the_caches_off_as_before(lesson):
    client = signed_in(LearnerFactory(username="no-generation"))
    url = page_url(lesson)
    ContentGeneration.objects.all().delete()
    get(client, url)
    assert len(page_cache.shells) == 0 and len(page_cache.routes) == 0


def test_the_reports_link_costs_no_cache_read_and_follows_the_group_at_once(lesson, monkeypatch):
    """Without Redis the cache is the database: the header must not ask it on every page."""

    asked = []
    for name in ("get", "set"):
        original = getattr(scope.cache, name)

        def watched(key, *args, _original=original, **kwargs):
            if str(key).startswith("tadrib:report-reader:"):
                asked.append(key)
            return _original(key, *args, **kwargs)

        monkeypatch.setattr(scope.cache, name, watched)
    manager = ManagerFactory(username="pipeline-manager")
    client = signed_in(manager)
    url = page_url(lesson)
    assert has_reports_link(get(client, url).content.decode())
    managers = Group.objects.get(name=GROUP_NAMES[Role.MANAGER])
    manager.groups.remove(managers)
    assert not has_reports_link(get(client, url).content.decode())  # not a minute later
    learner = LearnerFactory(username="promoted")
    other = signed_in(learner)
    assert not has_reports_link(get(other, url).content.decode())
    learner.groups.add(managers)
    assert has_reports_link(get(other, url).content.decode())
    assert asked == []


def test_the_reports_link_follows_the_rules_of_is_report_reader(site):
    superuser = UserFactory(username="pipeline-root", is_superuser=True)
    inactive = ManagerFactory(username="pipeline-inactive", is_active=False)
    for user, expected in ((superuser, True), (inactive, False)):
        setattr(user, IN_MANAGERS_ATTR, False)
        assert scope.is_report_reader_cached(user) is expected
        assert scope.is_report_reader(user) is expected


# --- the CSRF mask ----------------------------------------------------------------------------


def test_get_token_uses_the_single_draw_mask():
    assert django_csrf._mask_cipher_secret is fast_csrf.mask_cipher_secret


def test_the_mask_reads_back_with_djangos_unmask_and_is_fresh_each_time():
    secret = django_csrf._get_new_csrf_string()
    tokens = {fast_csrf.mask_cipher_secret(secret) for _ in range(200)}
    assert len(tokens) == 200  # a fresh mask per response (BREACH)
    for token in tokens:
        assert len(token) == django_csrf.CSRF_TOKEN_LENGTH
        assert re.fullmatch("[a-zA-Z0-9]+", token)
        assert django_csrf._unmask_cipher_token(token) == secret
        django_csrf._check_token_format(token)


def test_the_mask_is_the_same_sum_as_djangos():
    """Given the same mask, the cipher is Django's character for character."""
    secret = django_csrf._get_new_csrf_string()
    chars = django_csrf.CSRF_ALLOWED_CHARS
    token = fast_csrf.mask_cipher_secret(secret)
    mask = token[:32]
    expected = "".join(
        chars[(chars.index(x) + chars.index(y)) % len(chars)]
        for x, y in zip(secret, mask, strict=False)
    )
    assert token[32:] == expected


def test_every_mask_character_is_as_likely(monkeypatch):
    """Rejection sampling: bytes 248-255 are discarded, each kept byte modulo 62 is uniform.
    Fed every byte value once, each character comes out exactly four times."""
    counts = Counter(fast_csrf.symbols(bytes(range(256))))
    assert set(counts) == set(range(62)) and set(counts.values()) == {4}
    # Discarded bytes are made up for by drawing again, and the mask is the bytes' order.
    draws = iter([bytes([255] * 30 + list(range(10))), bytes(range(100, 140))])
    monkeypatch.setattr(fast_csrf.secrets, "token_bytes", lambda _n: next(draws))
    assert fast_csrf.random_mask() == [*range(10), *(b % 62 for b in range(100, 122))]


def test_a_form_posted_with_a_masked_token_is_accepted(site):
    """The sign-out form of the header, with the token of the page, end to end."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(LearnerFactory(username="csrf-poster"))
    html = client.get("/en/learning/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    with translation.override("en"):
        logout = reverse("logout")
    assert client.post(logout, {"csrfmiddlewaretoken": token}).status_code == 302
