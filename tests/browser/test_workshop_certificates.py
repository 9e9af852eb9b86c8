"""A participant in Casablanca on a Niamey workshop they completed, in a browser at 360 px in
three languages: the agenda by their clock with the workshop's beside it, the certificate's
links, and My learning's workshop certificates — no page overflow, axe clean."""

from datetime import date

import pytest
from django.utils import timezone

from certificates.services import certificate_issue
from tests.browser.conftest import sign_in
from tests.factories import LearnerFactory
from tests.workshops.factories import make_workshop
from workshops.models import Participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


def world():
    workshop = make_workshop(
        slug="sahel", starts_on=date(2026, 3, 21), days=2, mode="in_person", venue_country="NE"
    )
    reader = LearnerFactory(
        username="casa",
        first_name="Salma",
        last_name="Bennani",
        full_name_arabic="سلمى بناني",
        full_name_latin="Salma Bennani",
        time_zone="Africa/Casablanca",
    )
    Participant.objects.create(workshop=workshop, user=reader, completed_at=timezone.now())
    return certificate_issue(holder=reader, workshop=workshop)


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_agenda_and_certificate_on_a_phone(page, live_server, axe, password, screenshot, language):
    certificate = world()
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, language, "casa", password)
    page.goto(f"{live_server.url}/{language}/workshops/sahel/")
    assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # 21 March: 08:00 in Casablanca, 09:00 in Niamey beside it; 22 March: both 09:00.
    times = page.locator(".agenda__time").all_inner_texts()
    assert times[:2] == ["08:00–09:30", "10:00–11:30"] and times[2] == "09:00–10:30"
    assert page.locator(".agenda__own").count() == 2
    assert certificate.serial in page.inner_text("main")
    assert axe(page) == []
    screenshot(page, f"workshop-certificate-agenda-{language}-360")
    page.goto(f"{live_server.url}/{language}/learning/")
    assert page.locator(".workshop-certificates .card").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe(page) == []
    screenshot(page, f"my-learning-workshop-certificate-{language}-360")
