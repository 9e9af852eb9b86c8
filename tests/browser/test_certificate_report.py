"""The managers' certificate report in a browser: accessible in three languages, right to
left and usable at 360 px in Arabic, and on paper with its printed header."""

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from certificates.models import Certificate
from certificates.serials import serial_generate
from courses.models import CoursePage
from tests.browser.conftest import sign_in
from tests.courses.factories import make_course
from tests.factories import LearnerFactory, ManagerFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/w16b-cert-reports-shots")
PHONE = {"width": 360, "height": 740}


def certificate_world():
    """A national police with a unit (the manager's), a customs service elsewhere; a course
    with a long title, marked substantially changed; certificates in every state."""
    agency = OrganisationFactory(
        name_en="National judicial police",
        name_fr="Direction de la police judiciaire",
        name_ar="المديرية العامة للشرطة القضائية",
        country="MA",
    )
    unit = OrganisationFactory(
        name_en="Cybercrime unit",
        name_fr="Brigade de lutte contre la cybercriminalité",
        name_ar="فرقة مكافحة الجريمة الإلكترونية",
        country="MA",
        parent=agency,
    )
    customs = OrganisationFactory(name_en="Customs", name_fr="Douanes", country="TN")
    ManagerFactory(username="manager", organisation=agency, preferred_language="fr")
    course = make_course(
        slug="sit",
        title={
            "en": "Special investigation techniques against online recruitment",
            "fr": "Techniques spéciales d'enquête contre le recrutement en ligne",
            "ar": "أساليب التحري الخاصة لمكافحة التجنيد عبر الإنترنت",
        },
    )
    CoursePage.objects.filter(pk=course.pk).update(substantially_changed_on=date(2026, 1, 15))
    now = timezone.now()
    for n, (organisation, issued_days, valid_days, revoked) in enumerate(
        [
            (agency, 400, None, False),
            (agency, 380, 30, False),
            (unit, 370, -5, False),
            (unit, 10, 700, False),
            (unit, 360, None, True),
            (customs, 300, None, False),
        ]
    ):
        holder = LearnerFactory(
            username=f"officer{n}",
            first_name="Mohamed-Amine",
            last_name=f"Benabdellah {n}",
            full_name_arabic=f"محمد أمين بن عبد الله {n}",
            full_name_latin=f"Mohamed-Amine Benabdellah {n}",
            organisation=organisation,
        )
        issued = now - timedelta(days=issued_days)
        Certificate.objects.create(
            serial=serial_generate(),
            holder=holder,
            course=course,
            language="ar",
            holder_name_arabic=holder.full_name_arabic,
            holder_name_latin=holder.full_name_latin,
            title={"en": course.title},
            completed_at=issued,
            issued_at=issued,
            valid_until=None if valid_days is None else now + timedelta(days=valid_days),
            revoked_at=now if revoked else None,
        )
    return course


def keep(path, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / f"{name}.png")


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_certificate_report_has_no_serious_accessibility_violation(
    page, live_server, axe, screenshot, password, language
):
    course = certificate_world()
    sign_in(page, live_server.url, language, "manager", password)
    page.goto(f"{live_server.url}/{language}/reports/certificates/")
    assert page.get_attribute("html", "lang") == language
    rows = page.locator(".report-table tbody tr")
    assert rows.count() == 1
    # Issued, valid, expiring, expired, renewed, revoked: the manager's five certificates.
    cells = rows.first.locator("td").all_inner_texts()
    assert cells == ["5", "3", "1", "1", "0", "1"]
    assert "Douanes" not in page.inner_text("main")
    assert axe(page) == []
    keep(screenshot(page, f"certificate-report-{language}"), f"counts-{language}")

    page.goto(f"{live_server.url}/{language}/reports/certificates/organisations/")
    assert page.locator(".report-table tbody tr").count() == 2
    assert axe(page) == []

    page.goto(f"{live_server.url}/{language}/reports/certificates/changed/{course.pk}/")
    # Issued before 15 January 2026, neither revoked nor renewed: officers 0, 1 and 2.
    assert page.locator(".report-table tbody tr").count() == 3
    assert axe(page) == []
    keep(screenshot(page, f"certificate-holders-{language}"), f"holders-{language}")


def test_the_arabic_report_reads_right_to_left_at_360_px_and_prints(
    page, live_server, screenshot, password
):
    course = certificate_world()
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "ar", "manager", password)
    for path, name in (
        ("reports/certificates/", "counts-ar-360"),
        ("reports/certificates/organisations/", "organisations-ar-360"),
        (f"reports/certificates/changed/{course.pk}/", "holders-ar-360"),
    ):
        page.goto(f"{live_server.url}/ar/{path}")
        assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        keep(screenshot(page, f"certificate-report-{name}"), name)
    # The table scrolls inside its region; the page itself never scrolls sideways.
    region = page.locator(".table-scroll").first
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")

    page.emulate_media(media="print")
    assert page.locator(".print-header").is_visible()
    assert not page.locator(".report-nav").is_visible()
    assert not page.locator(".report-filters").is_visible()
    assert not page.locator(".report-export").is_visible()
    keep(screenshot(page, "certificate-report-print-ar"), "holders-print-ar")
