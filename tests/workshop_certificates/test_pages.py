"""Where a workshop certificate shows: the public verification page (valid, revoked), the
revocation status list, My learning and the participant's workshop page."""

import pytest
from django.urls import reverse
from django.utils import translation

from certificates import services
from certificates.models import RevocationReason
from tests.certificates.test_credentials import status_bit

pytestmark = pytest.mark.django_db


def verify_url(language, serial):
    return f"/{language}/verify/{serial}/"


@pytest.mark.parametrize(
    ("language", "valid", "label", "venue", "dates"),
    [
        ("en", "Valid certificate", "Workshop", "Niger", "2 March 2026 – 3 March 2026"),
        ("fr", "Certificat valide", "Atelier", "Niger", "2 mars 2026 – 3 mars 2026"),
        ("ar", "شهادة صالحة", "ورشة العمل", "النيجر", "2 مارس 2026 – 3 مارس 2026"),
    ],
)
def test_the_verification_page_states_the_workshop(
    client, completed, language, valid, label, venue, dates
):
    response = client.get(verify_url(language, completed.serial))
    assert response.status_code == 200
    html = response.content.decode()
    assert valid in html and completed.title[language] in html
    assert f"<dt>{label}</dt>" in html and venue in html and dates in html
    assert ">6<" in html  # hours
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert len(__import__("gzip").compress(response.content)) <= 14 * 1024


def test_revoking_a_workshop_certificate_shows_everywhere(
    client, completed, django_capture_on_commit_callbacks
):
    assert status_bit(client, completed) is False
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(certificate=completed, reason=RevocationReason.OTHER)
    assert status_bit(client, completed) is True
    html = client.get(verify_url("fr", completed.serial)).content.decode()
    assert "Certificat révoqué" in html


def test_my_learning_lists_the_workshop_certificate(client, completed, learner):
    client.force_login(learner)
    with translation.override("fr"):
        html = client.get(reverse("courses:my_learning")).content.decode()
        assert reverse("certificates:pdf", args=[completed.serial]) in html
        assert reverse("certificates:credential", args=[completed.serial]) in html
    assert "Certificats d’atelier" in html
    assert completed.title["fr"] in html
    # The holder downloads both.
    assert client.get(reverse("certificates:pdf", args=[completed.serial])).status_code == 200
    credential = client.get(reverse("certificates:credential", args=[completed.serial]))
    assert credential.status_code == 200 and b"LearningProgram" in credential.content


def test_the_workshop_page_links_the_participants_certificate(client, completed, learner, workshop):
    client.force_login(learner)
    with translation.override("ar"):
        page = reverse("workshops:detail", args=[workshop.slug])
    html = client.get(page).content.decode()
    assert "شهادتك" in html
    assert completed.serial in html
    with translation.override("ar"):
        assert reverse("certificates:verify", args=[completed.serial]) in html


def test_a_participant_without_a_certificate_sees_no_certificate_section(client, workshop, site):
    from tests.factories import LearnerFactory
    from tests.workshops.factories import add_participants

    other = LearnerFactory(username="other")
    add_participants(workshop, [other])
    client.force_login(other)
    with translation.override("en"):
        html = client.get(reverse("workshops:detail", args=[workshop.slug])).content.decode()
    assert "Your certificate" not in html
