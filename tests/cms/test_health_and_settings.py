import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import DatabaseError

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_answers_ok_after_a_database_round_trip(client):
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")  # any host: load balancers
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down(client):
    with mock.patch("cms.middleware.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503


def run_manage(args, **env):
    full_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        DJANGO_SECRET_KEY="x" * 20 + "a-long-random-production-secret-1234567890",
        DJANGO_ALLOWED_HOSTS="tadrib.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "WARNINGS" not in result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"DJANGO_ALLOWED_HOSTS": "tadrib.example.org"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "s" * 50}, "DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_production_settings_refuse_to_start_without_secrets(env, missing):
    result = run_manage(["check"], DJANGO_SETTINGS_MODULE="cms.settings.production", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} must be set" in result.stderr


@pytest.mark.django_db
def test_an_unreachable_database_answers_503_with_retry_after(client, site, learner):
    from django.db import OperationalError

    client.force_login(learner)
    with mock.patch("cms.views.render", side_effect=OperationalError("server closed")):
        response = client.get("/en/account/preferences/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
