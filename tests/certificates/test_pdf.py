"""The printed certificate, rendered to pixels and compared with reviewed reference images
(extracted PDF text breaks Arabic ligatures, so text is never compared)."""

import shutil
import subprocess
from pathlib import Path

import pytest

from certificates.pdf import certificate_pdf

from .samples import sample_certificate

REFERENCES = Path(__file__).parent / "references"
# Pixels per inch of the comparison: enough to see letters join, small enough to commit.
SCALE = 100 / 72
# A pixel "differs" when a channel moves by more than this (anti-aliasing drifts slightly
# between pango/freetype builds); at most this share of the page may differ. One changed
# word of the holder's name moves about 0.2 %.
PIXEL_TOLERANCE = 48
MAX_DIFFERING_SHARE = 0.0005


def _amiri_installed() -> bool:
    if shutil.which("fc-list") is None:
        return False
    listing = subprocess.run(["fc-list", ":family"], capture_output=True, text=True, check=False)
    return "Amiri" in listing.stdout


pytestmark = [
    pytest.mark.skipif(
        not _amiri_installed(),
        reason="the Amiri font is not installed (apt-get install fonts-hosny-amiri)",
    ),
    # The QR code and the printed address depend on it; the references were made with this.
    pytest.mark.usefixtures("reference_base_url"),
]


@pytest.fixture
def reference_base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"


def render(pdf: bytes):
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(pdf)
    try:
        assert len(document) == 1
        return document[0].render(scale=SCALE).to_pil().convert("RGB")
    finally:
        document.close()


def differing_share(image, reference) -> float:
    from PIL import ImageChops

    assert image.size == reference.size
    difference = ImageChops.difference(image, reference).convert("L")
    histogram = difference.histogram()
    differing = sum(histogram[PIXEL_TOLERANCE + 1 :])
    return differing / (image.size[0] * image.size[1])


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_certificate_looks_like_its_reviewed_reference(language, tmp_path):
    from PIL import Image

    pdf = certificate_pdf(sample_certificate(language))
    assert len(pdf) <= 100 * 1024
    image = render(pdf)
    reference_path = REFERENCES / f"certificate-{language}.png"
    image.save(tmp_path / reference_path.name)
    reference = Image.open(reference_path).convert("RGB")
    share = differing_share(image, reference)
    assert share <= MAX_DIFFERING_SHARE, f"{share:.4%} of pixels differ; see {tmp_path}"


def test_a_different_certificate_does_not_pass_for_the_reference():
    """The comparison is sharp enough to see one changed word."""
    from PIL import Image

    reference = Image.open(REFERENCES / "certificate-fr.png").convert("RGB")
    other = sample_certificate("fr", holder_name_latin="Karim Ben Ali")
    assert differing_share(render(certificate_pdf(other)), reference) > MAX_DIFFERING_SHARE


def test_the_arabic_certificate_is_laid_out_right_to_left():
    from certificates.pdf import certificate_html

    html = certificate_html(sample_certificate("ar"))
    assert '<html lang="ar" dir="rtl">' in html
    assert '<p class="serial" dir="ltr">TDR-7KQ4-M2XP-R8WD-E</p>' in html


def test_the_qr_code_leads_to_the_verification_page():
    from certificates.pdf import certificate_html

    html = certificate_html(sample_certificate("fr"))
    assert "/fr/verify/TDR-7KQ4-M2XP-R8WD-E/" in html
    assert "<svg" in html
