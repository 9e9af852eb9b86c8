"""Erasing a learner's personal data reaches the copies of their name on certificates."""

import pytest

from certificates.models import Certificate, RevocationReason
from security.privacy import learner_erase

pytestmark = pytest.mark.django_db


def test_erasure_clears_the_names_and_the_credential_and_revokes_the_certificate(
    client, completed, learner, admin_user, django_capture_on_commit_callbacks
):
    learner.full_name_arabic = "سلمى بن علي"
    learner.full_name_latin = "Salma Ben Ali"
    learner.save()
    assert completed.credential
    with django_capture_on_commit_callbacks(execute=True):
        learner_erase(user=learner, by=admin_user)

    learner.refresh_from_db()
    assert (learner.full_name_arabic, learner.full_name_latin) == ("", "")
    certificate = Certificate.objects.get(pk=completed.pk)
    assert (certificate.holder_name_arabic, certificate.holder_name_latin) == ("", "")
    assert certificate.credential == {}
    assert certificate.revocation_reason == RevocationReason.HOLDER_REQUEST
    html = client.get(f"/en/verify/{certificate.serial}/").content.decode()
    assert "Salma" not in html and "سلمى" not in html
    assert "Revoked" in html or "revoked" in html


def test_the_audit_trail_reads_certificate_events_as_sentences(completed, admin_user):
    from certificates.services import certificate_revoke
    from security.audit_trail import entries_describe
    from security.models import AuditEntry

    certificate_revoke(
        certificate=completed, reason=RevocationReason.ISSUED_IN_ERROR, by=admin_user
    )
    entries = entries_describe(
        AuditEntry.objects.filter(action__startswith="certificate_").order_by("pk")
    )
    texts = [str(entry.sentence) for entry in entries]
    assert completed.serial in texts[0] and "awarded" in texts[0]
    assert "revoked" in texts[1] and "Issued in error" in texts[1]
