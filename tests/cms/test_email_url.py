"""EMAIL_URL → Django's mail settings (cms.email_url), and the settings reading it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cms.email_url import CONSOLE_BACKEND, SMTP_BACKEND, email_settings

ROOT = Path(__file__).resolve().parents[2]


def test_without_a_url_mail_goes_to_the_console():
    assert email_settings("") == {"EMAIL_BACKEND": CONSOLE_BACKEND}
    assert email_settings(None) == {"EMAIL_BACKEND": CONSOLE_BACKEND}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://relay.local:2525", ("relay.local", 2525, "", "", False, False)),
        ("smtp://relay.local", ("relay.local", 25, "", "", False, False)),
        (
            "smtp+tls://mailer:s%40cret%3A1@mail.example.org:587",
            ("mail.example.org", 587, "mailer", "s@cret:1", True, False),
        ),
        ("smtp+tls://u:p@mail.example.org", ("mail.example.org", 587, "u", "p", True, False)),
        ("smtp+ssl://u:p@mail.example.org", ("mail.example.org", 465, "u", "p", False, True)),
    ],
)
def test_smtp_urls(url, expected):
    values = email_settings(url)
    assert values["EMAIL_BACKEND"] == SMTP_BACKEND
    assert (
        values["EMAIL_HOST"],
        values["EMAIL_PORT"],
        values["EMAIL_HOST_USER"],
        values["EMAIL_HOST_PASSWORD"],
        values["EMAIL_USE_TLS"],
        values["EMAIL_USE_SSL"],
    ) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("imap://mail.example.org", "unknown scheme 'imap'"),
        ("smtp://", "no host name"),
        ("smtp://mail.example.org:port", "Port could not be cast"),
    ],
)
def test_a_wrong_url_fails_loudly_at_start(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        email_settings(url)


def settings_of(module: str, names: list[str], **env) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))"
    )
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "EMAIL_URL"}},
        "DJANGO_SETTINGS_MODULE": module,
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "tadrib.example.org",
        **env,
    }
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_settings_read_email_url():
    values = settings_of(
        "cms.settings.production",
        ["EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS"],
        EMAIL_URL="smtp+tls://u:p@mail.example.org:587",
    )
    assert values == {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_USE_TLS": True,
    }
    assert settings_of("cms.settings.dev", ["EMAIL_BACKEND"]) == {"EMAIL_BACKEND": CONSOLE_BACKEND}


def test_state_workers_share_lives_in_the_database_without_redis():
    names = ["CACHES", "SESSION_ENGINE"]
    embedded = settings_of("cms.settings.dev", names)
    assert embedded["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert embedded["SESSION_ENGINE"] == "security.sessions"
    redis = settings_of("cms.settings.production", names, REDIS_URL="redis://127.0.0.1:6379/0")
    assert redis["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["SESSION_ENGINE"] == "security.cached_sessions"
