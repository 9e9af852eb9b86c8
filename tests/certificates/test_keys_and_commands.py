"""The signing key from TADRIB_CREDENTIAL_KEY, its command, and issuing what is missing."""

import stat
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from certificates.keys import CredentialKeyMissing, _load, key_generate, signing_key
from certificates.models import Certificate
from certificates.proofs import proof_verify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_key_cache():
    _load.cache_clear()
    yield
    _load.cache_clear()


def test_the_command_writes_a_private_key_file_and_refuses_to_overwrite(tmp_path):
    path = tmp_path / "credential.key"
    call_command("generate_credential_key", "--output", str(path), stdout=StringIO())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith("z3u2")
    with pytest.raises(CommandError, match="refusing to overwrite"):
        call_command("generate_credential_key", "--output", str(path), stdout=StringIO())


def test_the_command_prints_a_key_without_a_file():
    out = StringIO()
    call_command("generate_credential_key", stdout=out)
    assert out.getvalue().strip().startswith("z3u2")


def test_the_key_is_read_from_a_file_path_or_the_value(tmp_path, settings):
    secret = key_generate()
    settings.TADRIB_CREDENTIAL_KEY = secret
    from_value = signing_key()
    assert not from_value.throwaway
    _load.cache_clear()
    path = tmp_path / "k"
    path.write_text(secret + "\n")
    settings.TADRIB_CREDENTIAL_KEY = str(path)
    assert signing_key().public_multibase == from_value.public_multibase


def test_without_a_key_development_signs_with_a_clearly_throwaway_key(settings, monkeypatch):
    monkeypatch.delenv("TADRIB_CREDENTIAL_KEY", raising=False)
    settings.TADRIB_CREDENTIAL_KEY = ""
    key = signing_key()
    assert key.throwaway
    assert signing_key().public_multibase == key.public_multibase


@override_settings(TADRIB_ENVIRONMENT="production", TADRIB_CREDENTIAL_KEY="")
def test_production_without_a_key_refuses(monkeypatch):
    monkeypatch.delenv("TADRIB_CREDENTIAL_KEY", raising=False)
    with pytest.raises(CredentialKeyMissing):
        signing_key()


def test_a_configured_key_signs_credentials_that_verify_with_it(
    settings, course, learner, django_capture_on_commit_callbacks
):
    from .conftest import complete_course

    settings.TADRIB_CREDENTIAL_KEY = key_generate()
    complete_course(learner, course, capture=django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get()
    assert proof_verify(certificate.credential, public_key=signing_key().public)
    assert certificate.credential["proof"]["verificationMethod"].endswith(
        signing_key().public_multibase
    )


def test_issue_certificates_backfills_completions_without_one(course, learner):
    from courses.models import ModulePage
    from courses.services import activity_complete

    # Completed while no receiver ran (the on-commit callbacks are not executed here).
    activity_complete(user=learner, activity=ModulePage.objects.child_of(course).get())
    out = StringIO()
    call_command("issue_certificates", stdout=out)
    call_command("issue_certificates", stdout=out)
    assert out.getvalue().splitlines() == ["1 certificate(s) issued.", "0 certificate(s) issued."]
    assert Certificate.objects.get().holder == learner


@override_settings(TADRIB_ENVIRONMENT="production", TADRIB_CREDENTIAL_KEY="")
def test_issue_certificates_explains_a_missing_key(course, learner, monkeypatch):
    from courses.models import ModulePage
    from courses.services import activity_complete

    monkeypatch.delenv("TADRIB_CREDENTIAL_KEY", raising=False)
    activity_complete(user=learner, activity=ModulePage.objects.child_of(course).get())
    with pytest.raises(CommandError, match="generate_credential_key"):
        call_command("issue_certificates", stdout=StringIO())
