"""Lockouts, sessions, password resets and the cache as `make run` serves them: two app
processes on one SQLite file, without Redis. Every request alternates between the two, so a
counter or a session kept in one process's memory shows up as a failure here. Mail goes
through a real SMTP server, named by EMAIL_URL as in a deployment."""

import re

import pytest

from .live_servers import (
    Browser,
    CannotStart,
    field_value,
    python_in_site,
    servers_start,
)
from .smtp import smtp_server

PASSWORD = "lantern-harbour-quietly-79"
WRONG = "not-the-password-at-all"
LOCKED = "Too many failed sign-in attempts"


@pytest.fixture(scope="module")
def inbox():
    try:
        with smtp_server() as received:
            yield received
    except OSError as error:
        pytest.skip(f"cannot start the SMTP server: {error}")


@pytest.fixture(scope="module")
def servers(tmp_path_factory, inbox):
    try:
        running = servers_start(
            tmp_path_factory.mktemp("embedded"), EMAIL_URL=f"smtp://127.0.0.1:{inbox.port}"
        )
    except CannotStart as reason:
        pytest.skip(f"cannot start two app servers: {reason}")
    try:
        running.users_create(
            PASSWORD,
            {
                "amina": {},
                "karim": {},
                "leila": {},
                "omar": {},
                "root": {"is_superuser": True, "is_staff": True},
                "salma": {},
                "nour": {"email": "nour@example.invalid", "preferred_language": "fr"},
            },
        )
        yield running
    finally:
        running.stop()


def signed_in(reply) -> bool:
    return reply.status == 302 and "/account/sign-in/" not in reply.location


def test_eleven_wrong_passwords_lock_the_account_on_every_server(servers):
    browser = Browser(address="10.9.1.1")
    replies = [browser.sign_in(servers[n], "amina", WRONG) for n in range(11)]
    # The tenth failure locks, and says so; the eleventh is refused unchecked.
    assert [LOCKED in reply.body for reply in replies] == [False] * 9 + [True, True]
    for n in range(2):
        reply = browser.sign_in(servers[n], "amina", PASSWORD)
        assert reply.status == 200 and LOCKED in reply.body


def test_a_locked_account_does_not_lock_out_a_colleague_at_the_same_address(servers):
    office = "10.9.2.1"
    for n in range(22):
        Browser(address=office).sign_in(servers[n], "karim", WRONG)
    assert LOCKED in Browser(address=office).sign_in(servers[0], "karim", PASSWORD).body
    for n in range(2):
        assert signed_in(Browser(address=office).sign_in(servers[n], "leila", PASSWORD))


def test_after_an_administrator_lifts_the_lockout_every_correct_sign_in_succeeds(servers):
    for n in range(11):
        Browser(address="10.9.3.1").sign_in(servers[n], "omar", WRONG)
    admin = Browser(address="10.9.3.200")
    assert signed_in(admin.sign_in(servers[1], "root", PASSWORD))
    listing = admin.get(f"{servers[0]}/admin/security/lockouts/")
    rows = re.findall(r"<tr>.*?</tr>", listing.body, flags=re.S)
    ids = [
        re.search(r'name="lockout" value="(\d+)"', row).group(1) for row in rows if "omar" in row
    ]
    assert ids
    for pk in ids:
        assert admin.post(f"{servers[0]}/admin/security/lockouts/", {"lockout": pk}).status == 302
    for n in range(6):
        browser = Browser(address="10.9.3.1")
        assert signed_in(browser.sign_in(servers[n], "omar", PASSWORD)), f"sign-in {n + 1}"


def test_a_session_started_on_one_server_is_honoured_and_ended_on_the_other(servers):
    browser = Browser(address="10.9.4.1")
    assert signed_in(browser.sign_in(servers[0], "salma", PASSWORD))
    assert browser.get(f"{servers[1]}/en/account/preferences/").status == 200
    assert browser.post(f"{servers[1]}/en/account/sign-out/", {}).status == 302
    assert browser.get(f"{servers[0]}/en/account/preferences/").status == 302


def test_the_default_cache_is_shared_between_processes(servers):
    python_in_site(servers.env, "from django.core.cache import cache; cache.set('probe', 41)")
    seen = python_in_site(
        servers.env, "from django.core.cache import cache; print(cache.get('probe'))"
    )
    assert seen.strip().splitlines()[-1] == "41"


def test_a_forgotten_password_is_reset_across_servers_through_smtp(servers, inbox):
    browser = Browser(address="10.9.5.1")
    reply = browser.post(
        f"{servers[0]}/en/account/password/forgot/", {"email": "nour@example.invalid"}
    )
    assert reply.status == 302
    message = inbox.messages[-1]
    assert inbox.recipients[-1] == ["nour@example.invalid"] and message["Content-Language"] == "fr"
    link = re.search(r"http://127\.0\.0\.1:\d+(/fr/account/password/reset/\S+/)", inbox.text())
    form = browser.get(f"{servers[1]}{link.group(1)}")
    assert form.status == 302
    page = browser.get(f"{servers[0]}{form.location}")
    assert field_value(page.body, "username") == "nour"
    done = browser.post(
        f"{servers[0]}{form.location}",
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert done.status == 302 and done.location == "/fr/account/sign-in/"
    sign_in = browser.get(f"{servers[1]}/fr/account/sign-in/")
    assert field_value(sign_in.body, "username") == "nour"
    assert signed_in(browser.sign_in(servers[0], "nour", "a-new-long-passphrase"))


def test_reset_requests_are_limited_per_address_across_servers(servers):
    browser = Browser(address="10.9.6.1")
    replies = [
        browser.post(
            f"{servers[n]}/en/account/password/forgot/", {"email": f"x{n}@example.invalid"}
        )
        for n in range(11)
    ]
    assert [reply.status for reply in replies] == [302] * 10 + [200]
    assert "Too many password requests" in replies[-1].body
