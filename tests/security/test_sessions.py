"""Session lifetime, sign-out, cookies and password rules."""

import json
import os
import subprocess
import sys
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from security.middleware import SessionTimeoutMiddleware
from security.models import Session

from .conftest import sign_in

pytestmark = pytest.mark.django_db
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def age_session(client, *, idle: int = 0, since_sign_in: int = 0):
    session = client.session
    now = int(time.time())
    session[SessionTimeoutMiddleware.SEEN] = now - idle
    session[SessionTimeoutMiddleware.STARTED] = now - since_sign_in
    session.save()


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_session_idle_for_more_than_30_minutes_ends(client, site, learner, password):
    sign_in(client, "learner", password)
    age_session(client, idle=31 * 60, since_sign_in=31 * 60)
    response = client.get("/en/learning/")
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]
    assert not signed_in(client)


def test_a_session_used_within_30_minutes_goes_on(client, site, learner, password):
    sign_in(client, "learner", password)
    age_session(client, idle=29 * 60, since_sign_in=11 * 3600)
    assert client.get("/en/learning/").status_code == 200
    assert signed_in(client)


def test_a_session_ends_12_hours_after_sign_in_even_when_active(client, site, learner, password):
    sign_in(client, "learner", password)
    age_session(client, idle=10, since_sign_in=12 * 3600 + 1)
    assert client.get("/en/learning/").status_code == 302
    assert not signed_in(client)


def test_the_last_seen_time_is_not_written_on_every_request(client, site, learner, password):
    sign_in(client, "learner", password)
    before = client.session[SessionTimeoutMiddleware.SEEN]
    client.get("/en/learning/")
    assert client.session[SessionTimeoutMiddleware.SEEN] == before


def test_sign_out_deletes_the_session_on_the_server(client, site, learner, password):
    sign_in(client, "learner", password)
    key = client.cookies["sessionid"].value
    client.post("/en/account/sign-out/")
    assert not Session.objects.filter(session_key=key).exists()
    # Replaying the old cookie gives an anonymous visitor.
    client.cookies["sessionid"] = key
    response = client.get("/en/learning/")
    assert response.status_code == 302


def test_sign_in_rotates_the_session_key(client, site, learner, password):
    client.get("/en/account/sign-in/")
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    sign_in(client, "learner", password)
    assert client.cookies["sessionid"].value != before


@pytest.mark.parametrize("weak", ["short-pass1", "123456789012", "password1234"])
def test_passwords_need_12_characters_and_are_not_common(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_a_long_uncommon_password_is_accepted():
    validate_password("lantern-harbour-quietly-79")


def production_settings(*names: str) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "tadrib.example.org",
    }
    env.pop("TADRIB_REQUIRE_STAFF_2FA", None)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure_httponly_and_samesite():
    values = production_settings(
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_SAMESITE",
        "LANGUAGE_COOKIE_SECURE",
        "SESSION_COOKIE_AGE",
        "TADRIB_SESSION_IDLE_SECONDS",
        "TADRIB_REQUIRE_STAFF_2FA",
        "SECURE_HSTS_SECONDS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
        "X_FRAME_OPTIONS",
    )
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        "LANGUAGE_COOKIE_SECURE": True,
        "SESSION_COOKIE_AGE": 12 * 3600,
        "TADRIB_SESSION_IDLE_SECONDS": 30 * 60,
        "TADRIB_REQUIRE_STAFF_2FA": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
    }


def test_the_session_cookie_is_httponly_and_samesite(client, site, learner, password):
    sign_in(client, "learner", password)
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
