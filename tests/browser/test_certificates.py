"""The public verification page in a browser: accessible in three languages, right to left in
Arabic, usable at 360 px; and the upload of a credential file."""

import json

import pytest
from django.utils import timezone

from tests.factories import LearnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def certificate(site):
    from certificates import services
    from courses.models import Enrolment
    from tests.courses.factories import make_course, make_module

    holder = LearnerFactory(
        username="holder",
        full_name_arabic="سلمى بن علي",
        full_name_latin="Salma Ben Ali",
        preferred_language="ar",
    )
    course = make_course(slug="e-evidence", nominal_hours=12, validity_months=24)
    make_module(course, slug="e-evidence-m")
    Enrolment.objects.create(user=holder, course=course, completed_at=timezone.now())
    return services.certificate_issue(holder=holder, course=course)


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_verification_page_has_no_serious_accessibility_violation(
    page, live_server, axe, screenshot, certificate, language
):
    page.goto(f"{live_server.url}/{language}/verify/{certificate.serial}/")
    assert page.get_attribute("html", "lang") == language
    assert axe(page) == []
    screenshot(page, f"verify-{language}")
    page.goto(f"{live_server.url}/{language}/verify/TDR-0000-0000-0000-0/")
    assert axe(page) == []


def test_the_arabic_page_reads_right_to_left_at_360_px(page, live_server, screenshot, certificate):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/ar/verify/{certificate.serial}/")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The verdict's coloured edge is on the right, where Arabic lines start.
    border = page.evaluate("getComputedStyle(document.querySelector('.verdict')).borderRightWidth")
    assert border != "0px"
    screenshot(page, "verify-ar-360")


def test_typing_a_serial_with_a_letter_o_finds_the_certificate(page, live_server, certificate):
    typed = certificate.serial.lower().replace("0", "o")
    page.goto(f"{live_server.url}/fr/verify/")
    page.fill("input[name=serial]", typed)
    page.click("text=Vérifier le numéro")
    page.wait_for_load_state()
    assert page.url.split("?")[0].endswith(f"/fr/verify/{certificate.serial}/")
    assert "Certificat valide" in page.inner_text("main")


def test_uploading_the_credential_file_says_the_signature_holds(
    page, live_server, screenshot, certificate, tmp_path
):
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(certificate.credential))
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/ar/verify/")
    page.set_input_files("input[name=credential]", str(path))
    page.click("text=التحقق من الملف")
    page.wait_for_load_state()
    text = page.inner_text("main")
    assert "التوقيع صحيح" in text
    assert "حالته سليمة" in text
    screenshot(page, "verify-upload-ar-360")
