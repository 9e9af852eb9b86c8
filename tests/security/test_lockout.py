"""Sign-in lockout per account and per address, with an administrator's lift."""

import pytest

from security import lockout
from security.models import AuditEntry, Lockout
from tests.factories import LearnerFactory

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def fail(client, username, times, language="en", address="10.0.0.1"):
    for _ in range(times):
        response = sign_in(client, username, "wrong-password!", language, REMOTE_ADDR=address)
    return response


def test_nine_failures_still_let_the_right_password_in(client, learner, password):
    fail(client, "learner", 9)
    response = sign_in(client, "learner", password, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302


def test_ten_failures_lock_the_account_even_with_the_right_password(client, learner, password):
    response = fail(client, "learner", 10)
    assert "Too many failed sign-in attempts" in response.content.decode()
    response = sign_in(client, "learner", password, REMOTE_ADDR="10.0.0.99")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "blocked for 15 minutes" in response.content.decode()


def locked_message(language: str) -> str:
    from django.utils import translation
    from django.utils.html import escape

    from security.forms import LockoutAuthenticationForm

    with translation.override(language):
        text = str(LockoutAuthenticationForm.error_messages["locked"]) % {"minutes": 15}
    return escape(text)


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_lockout_message_is_in_the_page_language(client, learner, language):
    response = fail(client, "learner", 10, language=language)
    page = response.content.decode()
    assert f'lang="{language}"' in page
    assert locked_message(language) in page


def test_username_case_does_not_escape_the_lockout(client, learner, password):
    fail(client, "LEARNER", 10)
    assert lockout.is_locked(request=None, username="learner")


def test_ten_failures_from_one_address_lock_that_address_for_every_account(
    client, learner, password
):
    for n in range(10):
        sign_in(client, f"nobody{n}", "wrong-password!", REMOTE_ADDR="10.0.0.7")
    response = sign_in(client, "learner", password, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 200
    response = sign_in(client, "learner", password, REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 302


def test_a_success_clears_the_account_counter(client, learner, password):
    fail(client, "learner", 9, address="10.0.0.1")
    sign_in(client, "learner", password, REMOTE_ADDR="10.0.0.2")
    client.logout()
    fail(client, "learner", 9, address="10.0.0.3")
    assert sign_in(client, "learner", password, REMOTE_ADDR="10.0.0.4").status_code == 302


def test_the_admin_sign_in_is_locked_too(client, learner, password):
    fail(client, "learner", 10)
    response = client.post(
        "/admin/login/", {"username": "learner", "password": password}, REMOTE_ADDR="10.0.0.5"
    )
    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_lockout_is_recorded_and_audited_once(client, learner):
    fail(client, "learner", 12)
    assert Lockout.objects.filter(scope="account", value="learner").count() == 1
    assert AuditEntry.objects.filter(action="lockout").count() == 2  # account and address
    assert AuditEntry.objects.filter(action="sign_in_failed").count() == 10


def test_an_administrator_lifts_a_lockout(client, learner, password, admin_user):
    fail(client, "learner", 10)
    found = Lockout.objects.get(scope="account")
    client.force_login(admin_user)
    listing = client.get("/admin/security/lockouts/")
    assert listing.status_code == 200 and "learner" in listing.content.decode()
    client.post("/admin/security/lockouts/", {"lockout": found.pk})
    client.post("/admin/security/lockouts/", {"lockout": Lockout.objects.get(scope="address").pk})
    client.logout()
    assert sign_in(client, "learner", password, REMOTE_ADDR="10.0.0.1").status_code == 302
    assert AuditEntry.objects.filter(action="lockout_lifted").count() == 2


def test_lockouts_page_is_for_superusers_only(client, learner):
    trainer = LearnerFactory(username="t2", is_staff=True)
    client.force_login(trainer)
    assert client.get("/admin/security/lockouts/").status_code in (302, 403)


def test_failures_outside_the_window_do_not_count(client, learner, password, settings):
    settings.TADRIB_LOCKOUT_WINDOW = 1
    fail(client, "learner", 9)
    import time

    time.sleep(1.1)
    fail(client, "learner", 9)
    assert sign_in(client, "learner", password, REMOTE_ADDR="10.0.0.1").status_code == 302


def test_counters_live_in_the_shared_cache():
    from django.conf import settings

    # With REDIS_URL set, the default cache is Redis, shared by every app server.
    assert "default" in settings.CACHES
    assert lockout._key("account", "x").startswith("security:failures:account:")
