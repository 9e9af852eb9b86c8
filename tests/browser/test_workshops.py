"""Workshop pages in a browser: the facilitator's attendance sheet on a 360 px phone in Arabic,
saved without JavaScript; axe on every new page in three languages."""

import pytest

from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.factories import LearnerFactory, OrganisationFactory, TrainerFactory
from tests.quizzes.factories import make_quiz
from tests.workshops.factories import add_participants, make_workshop
from workshops.models import Attendance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}
NAMES = [
    ("Aminata", "Ouédraogo", "أمينة ويدراوغو"),
    ("Youssef", "El Idrissi", "يوسف الإدريسي"),
    ("Mariam", "Maïga", "مريم مايغا"),
    ("Hichem", "Ben Salah", "هشام بن صالح"),
    ("Fatoumata", "Diallo-Traoré", "فاطمة ديالو"),
]


def world():
    organisation = OrganisationFactory(
        name_en="Judicial Police — Cybercrime Unit",
        name_fr="Police judiciaire — Brigade de lutte contre la cybercriminalité",
        name_ar="الشرطة القضائية — وحدة مكافحة الجرائم الإلكترونية",
    )
    workshop = make_workshop(
        slug="regional",
        pre_test=make_quiz(slug="pre", required=False),
        post_test=make_quiz(slug="post", required=False),
    )
    facilitator = TrainerFactory(username="fac", preferred_language="ar")
    workshop.facilitators.add(facilitator)
    workshop.save()
    people = [
        LearnerFactory(
            username=f"p{n}", first_name=first, last_name=last, organisation=organisation
        )
        for n, (first, last, _ar) in enumerate(NAMES)
    ]
    add_participants(workshop, people)
    return workshop, people


def no_page_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_attendance_on_a_phone_in_arabic_without_javascript(browser, live_server, site, password):
    workshop, people = world()
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "ar", "fac", password)
        page.goto(f"{live_server.url}/ar/workshops/regional/attendance/?session=2")
        assert page.get_attribute("html", "dir") == "rtl"
        assert no_page_overflow(page)
        labels = page.locator(".roll__item label")
        assert labels.count() == 5
        for n in range(5):
            box = labels.nth(n).bounding_box()
            assert box["height"] >= 44 and box["x"] >= 0
            assert box["x"] + box["width"] <= PHONE["width"]
        # Right to left: the checkbox sits at the label's right-hand (start) edge.
        box, tick = labels.first.bounding_box(), page.locator(".roll__item input").first
        assert tick.bounding_box()["x"] > box["x"] + box["width"] / 2
        page.click(f"label[for=present-{workshop.participants.get(user=people[0]).pk}]")
        page.click(f"label[for=present-{workshop.participants.get(user=people[2]).pk}]")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "workshop-attendance-ar-360.png"), full_page=True)
        page.click("button[name=next]")
        page.wait_for_load_state()
        assert page.url.endswith("?session=3")
        assert "حُفظ الحضور" in page.inner_text(".messages")
        session = list(workshop.sessions.all())[1]
        present = set(
            Attendance.objects.filter(session=session, attended=True).values_list(
                "participant__user__username", flat=True
            )
        )
        assert present == {"p0", "p2"}
        assert Attendance.objects.filter(session=session).count() == 5
        page.screenshot(
            path=str(SCREENSHOTS / "workshop-attendance-ar-360-saved.png"), full_page=True
        )
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_new_pages_pass_axe(page, live_server, axe, password, screenshot, language):
    world()
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, language, "p0", password)
    for path in ("workshops/", "workshops/regional/"):
        page.goto(f"{live_server.url}/{language}/{path}")
        assert page.get_attribute("html", "lang") == language
        assert no_page_overflow(page)
        assert axe(page) == [], path
    screenshot(page, f"workshop-detail-{language}-360")
    page.context.clear_cookies()
    sign_in(page, live_server.url, language, "fac", password)
    for path in ("workshops/", "workshops/regional/attendance/"):
        page.goto(f"{live_server.url}/{language}/{path}")
        assert no_page_overflow(page)
        assert axe(page) == [], path
    screenshot(page, f"workshop-attendance-{language}-360")
