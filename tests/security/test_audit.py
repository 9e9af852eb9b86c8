"""The audit trail: what is recorded, how, and who may read it."""

import pytest
from django.contrib.auth.models import Group

from cms.roles import GROUP_NAMES, Role
from security.audit import Action, audit_log, one_line
from security.models import AuditEntry
from tests.courses.factories import make_course

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    entries = AuditEntry.objects.exclude(action=Action.ROLE_CHANGED).order_by("pk")
    return list(entries.values_list("action", flat=True))


def test_sign_in_failure_and_sign_out_are_recorded_with_address(client, learner, password):
    sign_in(client, "learner", "not-the-password", REMOTE_ADDR="192.0.2.10")
    sign_in(client, "learner", password, REMOTE_ADDR="192.0.2.10")
    client.post("/en/account/sign-out/", REMOTE_ADDR="192.0.2.10")
    assert actions() == [Action.SIGN_IN_FAILED, Action.SIGN_IN, Action.SIGN_OUT]
    for entry in AuditEntry.objects.exclude(action=Action.ROLE_CHANGED):
        assert entry.ip_address == "192.0.2.10"
        assert entry.username == "learner"
        assert entry.created_at.utcoffset().total_seconds() == 0
    assert AuditEntry.objects.get(action=Action.SIGN_IN).user == learner


def test_no_password_is_ever_stored(client, learner, password):
    sign_in(client, "learner", "Sup3r-secret-typo!")
    sign_in(client, "learner", password)
    stored = " ".join(str(v) for row in AuditEntry.objects.values() for v in row.values())
    assert "Sup3r-secret-typo!" not in stored
    assert password not in stored


def test_cr_and_lf_cannot_forge_a_second_entry(client, learner):
    forged = "x\r\n2026-01-01 00:00:00 sign_in admin\u2028y"
    sign_in(client, forged, "whatever-password")
    entry = AuditEntry.objects.get(action=Action.SIGN_IN_FAILED)
    assert "\n" not in entry.username and "\r" not in entry.username
    assert "\u2028" not in entry.username
    assert one_line("a\x00b\tc\x1bd", 10) == "a b c d"


def test_forwarded_addresses_are_ignored_unless_a_proxy_is_trusted(client, learner, settings):
    sign_in(client, "x", "y-password", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    settings.TADRIB_TRUSTED_PROXIES = 1
    sign_in(client, "x", "y-password", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    failures = AuditEntry.objects.filter(action=Action.SIGN_IN_FAILED).order_by("pk")
    assert [e.ip_address for e in failures] == [
        "192.0.2.1",
        "203.0.113.9",
    ]


def test_a_page_publish_is_recorded_with_its_page(site):
    course = make_course(slug="audited")
    assert AuditEntry.objects.filter(
        action=Action.PAGE_PUBLISHED, object_type="courses.coursepage", object_id=str(course.pk)
    ).exists()


def test_role_changes_are_recorded_both_ways(db, learner):
    trainers = Group.objects.get(name=GROUP_NAMES[Role.TRAINER])
    AuditEntry.objects.all().delete()
    learner.groups.add(trainers)
    trainers.user_set.remove(learner)
    details = list(
        AuditEntry.objects.filter(action=Action.ROLE_CHANGED)
        .order_by("pk")
        .values_list("detail", flat=True)
    )
    assert details == ["added: Trainers", "removed: Trainers"]


def test_a_forbidden_request_is_recorded(client, site, learner, password):
    sign_in(client, "learner", password)
    client.get("/admin/security/audit/")
    client.get("/en/reports/")
    denied = AuditEntry.objects.filter(action=Action.PERMISSION_DENIED)
    assert denied.exists()
    assert all(entry.user == learner for entry in denied)


def test_a_guessed_attempt_id_is_recorded(client, site, learner, password):
    sign_in(client, "learner", password)
    response = client.get("/en/quizzes/attempts/999999/")
    assert response.status_code in (403, 404)
    assert AuditEntry.objects.filter(action=Action.PERMISSION_DENIED, user=learner).exists()


def test_audit_log_works_without_a_request(learner):
    entry = audit_log(action=Action.QUIZ_SUBMITTED, user=learner, obj=learner, detail="score 80")
    assert entry.ip_address is None and entry.object_repr == str(learner)


def test_wagtail_admin_denials_are_audited(site, client):
    from security.models import AuditEntry
    from tests.factories import TrainerFactory

    trainer = TrainerFactory()
    client.force_login(trainer)
    response = client.get("/admin/users/")
    assert response.status_code == 302  # Wagtail's answer: back to the dashboard
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PERMISSION_DENIED)
    assert entry.user == trainer and "/admin/users/" in entry.detail
