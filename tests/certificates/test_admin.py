"""Administrators list, inspect and revoke certificates in the Wagtail admin."""

import pytest
from django.utils import timezone

from certificates.models import Certificate
from security.models import AuditEntry
from tests.factories import TrainerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(db, password):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_the_list_reads_as_sentences_with_the_status(client, completed, administrator, password):
    client.login(username="root", password=password)
    html = client.get("/admin/certificates/").content.decode()
    assert completed.serial in html
    assert f"{completed.holder_name_latin} — Course evidence, issued" in html
    assert "Valid" in html
    assert f"/admin/certificates/revoke/{completed.pk}/" in html
    assert "/admin/certificates/new/" not in html
    assert client.get(f"/admin/certificates/inspect/{completed.pk}/").status_code == 200


def test_certificates_cannot_be_added_edited_or_deleted_in_the_admin(
    client, completed, administrator, password
):
    client.login(username="root", password=password)
    for path in ("new/", f"edit/{completed.pk}/", f"delete/{completed.pk}/"):
        assert client.get(f"/admin/certificates/{path}", follow=True).status_code == 404


def test_an_administrator_revokes_with_a_reason_and_it_is_audited(
    client, completed, administrator, password
):
    client.login(username="root", password=password)
    page = client.get(f"/admin/certificates/revoke/{completed.pk}/")
    assert page.status_code == 200
    assert "cannot be undone" in page.content.decode()
    response = client.post(
        f"/admin/certificates/revoke/{completed.pk}/",
        {"reason": "holder_request", "note": "asked by mail"},
    )
    assert response.status_code == 302
    completed.refresh_from_db()
    assert completed.revoked_at is not None
    assert completed.revocation_reason == "holder_request"
    assert completed.revoked_by == administrator
    entry = AuditEntry.objects.get(action="certificate_revoked")
    assert entry.user == administrator and entry.object_repr == completed.serial


def test_a_missing_reason_is_answered_in_the_form(client, completed, administrator, password):
    client.login(username="root", password=password)
    response = client.post(f"/admin/certificates/revoke/{completed.pk}/", {"reason": ""})
    assert response.status_code == 200
    assert not Certificate.objects.filter(revoked_at__isnull=False).exists()


def test_trainers_cannot_reach_certificates(client, completed, password):
    TrainerFactory(username="author", is_staff=True)
    client.login(username="author", password=password)
    # Wagtail answers a refusal in the admin by going back to the dashboard with a message.
    for path in ("/admin/certificates/", f"/admin/certificates/revoke/{completed.pk}/"):
        response = client.get(path)
        assert response.status_code in (302, 403)
        assert response.get("Location", "/admin/") == "/admin/"
    client.post(f"/admin/certificates/revoke/{completed.pk}/", {"reason": "other"})
    assert Certificate.objects.get().revoked_at is None


def test_holders_before_a_substantial_change_are_listed(
    client, completed, course, administrator, password
):
    client.login(username="root", password=password)
    assert (
        "No course is marked"
        in client.get("/admin/certificates/held-before-change/").content.decode()
    )
    course.substantially_changed_on = (timezone.now() + timezone.timedelta(days=1)).date()
    course.save_revision().publish()
    html = client.get("/admin/certificates/held-before-change/").content.decode()
    assert completed.serial in html
    course.substantially_changed_on = (completed.issued_at - timezone.timedelta(days=1)).date()
    course.save_revision().publish()
    html = client.get(
        f"/admin/certificates/held-before-change/?course={course.pk}"
    ).content.decode()
    assert "Nobody holds a certificate issued before this date." in html


def test_the_issuer_is_a_setting_printed_on_new_certificates(
    client, course, learner, administrator, password, django_capture_on_commit_callbacks
):
    from certificates.models import IssuerSettings

    from .conftest import complete_course

    settings = IssuerSettings.load()
    settings.name_en = "Regional Judicial Training Programme"
    settings.name_ar = "البرنامج الإقليمي للتدريب القضائي"
    settings.save()
    complete_course(learner, course, capture=django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get()
    assert certificate.issuer_name["ar"] == "البرنامج الإقليمي للتدريب القضائي"
    assert certificate.issuer_name["fr"] == "Regional Judicial Training Programme"
    assert certificate.credential["issuer"]["name"] == "Regional Judicial Training Programme"
    client.login(username="root", password=password)
    assert (
        client.get("/admin/settings/certificates/issuersettings/", follow=True).status_code == 200
    )
