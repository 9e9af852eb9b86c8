import pytest
from django.core.management import call_command

from certificates.models import Certificate, Kind
from tests.certificates.node_verifier import node_verify
from tests.certificates.test_node_verifier import issuer_documents
from workshops.models import Participant

pytestmark = pytest.mark.django_db


def test_the_demo_workshop_certificates_are_deterministic_and_seeded_once(client):
    call_command("seed_demo", verbosity=0)
    workshop_certificates = Certificate.objects.filter(kind=Kind.WORKSHOP)
    first = sorted(
        workshop_certificates.values_list("serial", "holder__username", "workshop__slug")
    )
    completed = Participant.objects.filter(completed_at__isnull=False)
    # Every demo participant who completed holds one, and only they do.
    assert sorted((u, s) for _serial, u, s in first) == sorted(
        completed.values_list("user__username", "workshop__slug")
    )
    assert 3 <= len(first) <= 70
    assert {c.venue_country for c in workshop_certificates} == {"", "NE"}
    assert {c.language for c in workshop_certificates} >= {"ar", "fr"}
    call_command("seed_demo", verbosity=0)
    assert (
        sorted(workshop_certificates.values_list("serial", "holder__username", "workshop__slug"))
        == first
    )
    # The same serials on a fresh database: derived from workshop and username.
    from workshop_certificates.demo import derived_serial

    assert all(serial == derived_serial(slug, user) for serial, user, slug in first)
    # One of them, checked publicly and independently.
    certificate = workshop_certificates.order_by("serial").first()
    assert client.get(f"/fr/verify/{certificate.serial}/").status_code == 200
    credential = certificate.credential
    assert node_verify(credential, documents=issuer_documents(client, credential))["verified"]
