"""Personal data: pseudonymous codes, export, and erasure that keeps statistics right."""

import json

import pytest

from courses.models import ActivityCompletion
from courses.services import activity_complete
from security.models import AuditEntry, Session
from security.privacy import ErasureRefused, learner_code, learner_data_export, learner_erase
from security.twofactor import recovery_codes_regenerate
from tests.courses.factories import make_course, make_module

from .conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def progress(site, learner):
    course = make_course(slug="privacy")
    module = make_module(course, slug="one")
    activity_complete(user=learner, activity=module, language="en")
    return module


def test_learner_codes_are_stable_distinct_and_opaque(learner, other_learner, settings):
    code = learner_code(learner)
    assert code == learner_code(learner) and code != learner_code(other_learner)
    assert code.startswith("L-") and len(code) == 12
    settings.SECRET_KEY = "another-key"
    assert learner_code(learner) != code


def test_the_export_holds_the_account_and_progress_but_no_secret(learner, progress, admin_user):
    recovery_codes_regenerate(user=learner)
    data = learner_data_export(user=learner, by=admin_user)
    text = json.dumps(data)
    assert data["account"]["fields"]["username"] == "learner"
    assert data["account"]["fields"]["password"] is None
    assert "courses.ActivityCompletion" in data["records"]
    assert "courses.Enrolment" in data["records"]
    assert data["second_factor_devices"] == 1
    assert "otp_static" not in text
    assert AuditEntry.objects.filter(action="data_exported", user=admin_user).exists()


def test_the_admin_download_is_json_for_superusers_only(client, learner, admin_user, progress):
    client.force_login(learner)
    assert client.get(f"/admin/security/personal-data/{learner.pk}/export/").status_code in (
        302,
        403,
    )
    client.force_login(admin_user)
    response = client.get(f"/admin/security/personal-data/{learner.pk}/export/")
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["account"]["fields"]["email"] == learner.email
    assert (
        "learner" in client.get("/admin/security/personal-data/", {"q": "learn"}).content.decode()
    )


def test_erasure_removes_personal_data_and_keeps_progress(
    client, learner, password, progress, admin_user
):
    sign_in(client, "learner", password, REMOTE_ADDR="198.51.100.4")
    code = learner_code(learner)
    admin = client.__class__()
    admin.force_login(admin_user)
    admin.post(f"/admin/security/personal-data/{learner.pk}/erase/")
    learner.refresh_from_db()
    assert learner.username == f"erased-{code}".lower()
    assert (learner.email, learner.first_name, learner.last_name) == ("", "", "")
    assert not learner.is_active and not learner.has_usable_password()
    assert ActivityCompletion.objects.filter(user=learner).count() == 1
    assert not AuditEntry.objects.filter(username="learner").exists()
    assert not AuditEntry.objects.filter(ip_address="198.51.100.4").exists()
    # The erased person's open session no longer signs anyone in.
    assert client.get("/en/learning/").status_code == 302
    assert Session.objects.exists()


def test_administrators_cannot_be_erased(admin_user):
    with pytest.raises(ErasureRefused):
        learner_erase(user=admin_user)


def test_erasure_removes_the_lockouts_naming_the_learner(client, learner, admin_user):
    from security import lockout
    from security.models import Lockout

    for _ in range(10):
        sign_in(client, "learner", "wrong-password!", REMOTE_ADDR="198.51.100.9")
    lockout.lockout_lift(lockout=Lockout.objects.get(), by=admin_user)
    learner_erase(user=learner, by=admin_user)
    assert not Lockout.objects.exists()
    stored = " ".join(str(v) for row in AuditEntry.objects.values() for v in row.values())
    assert "198.51.100.9" not in stored
    assert "'learner'" not in stored and "learner @" not in stored
