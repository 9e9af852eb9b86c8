import pytest
from django.core.management import call_command

from certificates.models import Certificate

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_arabic_and_a_french_certificate_and_a_revoked_one(client):
    call_command("seed_demo", verbosity=0)
    certificates = {
        (c.holder.username, c.language, c.revoked_at is not None)
        for c in Certificate.objects.select_related("holder")
    }
    assert ("investigator", "ar", False) in certificates
    assert ("prosecutor", "fr", False) in certificates
    assert any(revoked for _u, _l, revoked in certificates)
    investigator = Certificate.objects.get(holder__username="investigator", kind="course")
    assert investigator.holder_name_arabic and investigator.holder_name_latin
    assert investigator.grade is not None and investigator.hours == 12
    html = client.get(f"/ar/verify/{investigator.serial}/").content.decode()
    assert "شهادة صالحة" in html


def test_the_demo_certificates_are_deterministic_and_seeded_once():
    call_command("seed_demo", verbosity=0)
    first = sorted(
        Certificate.objects.filter(kind="course").values_list(
            "serial", "holder__username", "revoked_at"
        )
    )
    call_command("seed_demo", verbosity=0)
    assert (
        sorted(
            Certificate.objects.filter(kind="course").values_list(
                "serial", "holder__username", "revoked_at"
            )
        )
        == first
    )
    assert [s for s, _u, _r in first] == sorted(
        ["TDR-4RWD-7KQ2-M9XP-M", "TDR-8HNC-3TFA-6YJE-6", "TDR-5GKV-2PQX-9MRA-2"]
    )
