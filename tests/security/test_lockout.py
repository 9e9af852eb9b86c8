"""Sign-in lockout: per account from one address, per account, per address (much higher),
and an administrator's lift. Two real server processes: test_shared_state.py."""

import pytest
from django.test import RequestFactory

from security import lockout
from security.models import AttemptCounter, AuditEntry, Lockout
from tests.factories import LearnerFactory

from .conftest import sign_in

pytestmark = pytest.mark.django_db
LOCKED = "Too many failed sign-in attempts"


def fail(client, username, times, language="en", address="10.0.0.1"):
    for _ in range(times):
        response = sign_in(client, username, "wrong-password!", language, REMOTE_ADDR=address)
    return response


def fail_spread(client, username, times, *, per_address=5, prefix="10.1"):
    """`times` failures from as many addresses as needed, `per_address` from each."""
    for n in range(times):
        sign_in(client, username, "wrong-password!", REMOTE_ADDR=f"{prefix}.{n // per_address}.1")


def signs_in(client, username, password, address) -> bool:
    response = sign_in(client, username, password, REMOTE_ADDR=address)
    client.logout()
    return response.status_code == 302


def test_nine_failures_still_let_the_right_password_in(client, learner, password):
    fail(client, "learner", 9)
    assert signs_in(client, "learner", password, "10.0.0.1")


def test_ten_failures_lock_the_account_from_that_address(client, learner, password):
    response = fail(client, "learner", 10)
    assert LOCKED in response.content.decode()
    response = sign_in(client, "learner", password, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "blocked for 15 minutes" in response.content.decode()


def test_failures_from_one_address_do_not_lock_the_officer_out_elsewhere(client, learner, password):
    fail(client, "learner", 15, address="10.0.0.66")
    assert signs_in(client, "learner", password, "10.0.0.1")


def test_twenty_failures_from_many_addresses_lock_the_account_everywhere(client, learner, password):
    fail_spread(client, "learner", 19)
    assert signs_in(client, "learner", password, "10.0.0.200")
    fail_spread(client, "learner", 20)
    response = sign_in(client, "learner", password, REMOTE_ADDR="10.0.0.201")
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert Lockout.objects.filter(scope="account", username="learner").count() == 1


def test_a_locked_account_does_not_lock_out_a_colleague_at_the_same_address(
    client, learner, password
):
    LearnerFactory(username="colleague")
    fail(client, "learner", 25, address="10.0.0.7")
    assert signs_in(client, "colleague", password, "10.0.0.7")


def test_an_address_is_locked_for_everyone_only_after_a_hundred_failures(client, password):
    LearnerFactory(username="colleague")
    for n in range(99):
        sign_in(client, f"nobody{n % 40}", "wrong-password!", REMOTE_ADDR="10.0.0.8")
    assert signs_in(client, "colleague", password, "10.0.0.8")
    sign_in(client, "nobody-else", "wrong-password!", REMOTE_ADDR="10.0.0.8")
    response = sign_in(client, "colleague", password, REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert signs_in(client, "colleague", password, "10.0.0.9")


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
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1")
    assert lockout.is_locked(request=request, username="learner")


def test_the_admin_sign_in_is_locked_too(client, learner, password):
    fail(client, "learner", 10)
    response = client.post(
        "/admin/login/", {"username": "learner", "password": password}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 200
    assert LOCKED in response.content.decode()


def test_refused_attempts_check_no_password_and_count_for_nothing(client, learner):
    fail(client, "learner", 14)
    assert Lockout.objects.filter(scope="account_address", username="learner").count() == 1
    assert AuditEntry.objects.filter(action="lockout").count() == 1
    assert AuditEntry.objects.filter(action="sign_in_failed").count() == 10


def test_an_administrator_lifts_a_lockout(client, learner, password, admin_user):
    fail(client, "learner", 10)
    found = Lockout.objects.get()
    client.force_login(admin_user)
    listing = client.get("/admin/security/lockouts/")
    assert listing.status_code == 200 and "learner" in listing.content.decode()
    client.post("/admin/security/lockouts/", {"lockout": found.pk})
    client.logout()
    assert signs_in(client, "learner", password, "10.0.0.1")
    assert AuditEntry.objects.filter(action="lockout_lifted").count() == 1


def test_after_a_lift_the_failures_start_afresh(client, learner, password, admin_user):
    fail(client, "learner", 10)
    lockout.lockout_lift(lockout=Lockout.objects.get(), by=admin_user)
    fail(client, "learner", 9)
    assert signs_in(client, "learner", password, "10.0.0.1")


def test_lifting_an_account_lockout_lifts_its_address_lockouts(client, learner, password):
    fail_spread(client, "learner", 20, per_address=10)
    assert Lockout.objects.filter(scope="account_address").count() == 2
    lockout.lockout_lift(lockout=Lockout.objects.get(scope="account"), by=None)
    assert not lockout.lockouts_active().exists()
    assert signs_in(client, "learner", password, "10.1.0.1")


def test_a_success_clears_the_account_counter(client, learner, password):
    fail_spread(client, "learner", 19)
    assert signs_in(client, "learner", password, "10.0.0.2")
    fail_spread(client, "learner", 19, prefix="10.2")
    assert signs_in(client, "learner", password, "10.0.0.4")


def test_lockouts_page_is_for_superusers_only(client, learner):
    trainer = LearnerFactory(username="t2", is_staff=True)
    client.force_login(trainer)
    assert client.get("/admin/security/lockouts/").status_code in (302, 403)


def test_failures_outside_the_window_do_not_count(client, learner, password):
    from django.utils import timezone

    fail(client, "learner", 9)
    # The window ends, as it would 15 minutes later.
    AttemptCounter.objects.update(window_ends=timezone.now())
    fail(client, "learner", 9)
    assert signs_in(client, "learner", password, "10.0.0.1")


def test_a_lockout_ends_by_itself(client, learner, password):
    from django.utils import timezone

    fail(client, "learner", 10)
    Lockout.objects.update(expires_at=timezone.now())
    AttemptCounter.objects.update(window_ends=timezone.now())
    assert signs_in(client, "learner", password, "10.0.0.1")


def test_counters_keep_no_user_name_or_address(client, learner):
    fail(client, "learner", 3, address="10.0.0.42")
    keys = " ".join(AttemptCounter.objects.values_list("key", flat=True))
    assert AttemptCounter.objects.count() == 3
    assert "learner" not in keys and "10.0.0.42" not in keys
