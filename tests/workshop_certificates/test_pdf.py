"""The printed workshop certificate, in Arabic (shaped, right to left) and French, compared
pixel by pixel with reviewed references as the course certificates are (tests/certificates)."""

from pathlib import Path

import pytest

from certificates.pdf import certificate_html, certificate_pdf
from tests.certificates.samples import sample_workshop_certificate
from tests.certificates.test_pdf import (
    MAX_DIFFERING_SHARE,
    differing_share,
    render,
)
from tests.certificates.test_pdf import pytestmark as _pdf_marks

REFERENCES = Path(__file__).parent / "references"

pytestmark = list(_pdf_marks)


@pytest.fixture
def reference_base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_workshop_certificate_looks_like_its_reviewed_reference(language, tmp_path):
    from PIL import Image

    pdf = certificate_pdf(sample_workshop_certificate(language))
    assert len(pdf) <= 100 * 1024
    image = render(pdf)
    reference_path = REFERENCES / f"workshop-certificate-{language}.png"
    image.save(tmp_path / reference_path.name)
    reference = Image.open(reference_path).convert("RGB")
    share = differing_share(image, reference)
    assert share <= MAX_DIFFERING_SHARE, f"{share:.4%} of pixels differ; see {tmp_path}"


def test_another_venue_does_not_pass_for_the_reference():
    from PIL import Image

    image = render(certificate_pdf(sample_workshop_certificate("fr", venue_country="")))
    reference = Image.open(REFERENCES / "workshop-certificate-fr.png").convert("RGB")
    assert differing_share(image, reference) > MAX_DIFFERING_SHARE


@pytest.mark.parametrize(
    ("language", "wording", "venue"),
    [
        ("ar", "قد أتمّ الورشة", "النيجر"),
        ("fr", "a suivi jusqu’au bout l’atelier", "Niger"),
        ("en", "has completed the workshop", "Niger"),
    ],
)
def test_the_html_names_the_workshop_its_dates_and_venue(language, wording, venue):
    html = certificate_html(sample_workshop_certificate(language))
    assert wording in html and venue in html
    assert ('dir="rtl"' in html) == (language == "ar")
    assert "2026" in html and "has completed the course" not in html
