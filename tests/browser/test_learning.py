from datetime import timedelta

import pytest
from django.utils import timezone, translation

from tests.browser.conftest import sign_in
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory
from tests.reports.factories import enrol

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_investigator_completes_a_module_in_arabic_and_keeps_progress_in_french(
    page, live_server, screenshot, axe, password
):
    LearnerFactory(username="investigator", preferred_language="ar")
    course = make_course(
        slug="evidence",
        title={
            "en": "Electronic evidence",
            "fr": "Preuve électronique",
            "ar": "الأدلة الإلكترونية",
        },
    )
    for slug in ("types", "preservation"):
        make_module(course, slug=slug)
    with translation.override("ar"):
        course_url = live_server.url + course.get_url()

    sign_in(page, live_server.url, "en", "investigator", password)
    assert page.url == f"{live_server.url}/ar/"
    page.goto(course_url)
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.locator("progress").get_attribute("value") == "0"
    assert axe(page) == []
    page.click("a.button")  # "ابدأ الدورة": opens the first module
    assert page.locator("h1").inner_text() == "وحدة types"
    assert axe(page) == []
    screenshot(page, "module-ar")
    page.click("form button.button")  # وضع علامة "مكتمل"
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "وحدة preservation"
    assert page.locator("progress").first.get_attribute("value") == "50"

    page.click("nav.language-switcher >> text=Français")
    assert "/fr/cours/evidence/preservation/" in page.url
    assert page.get_attribute("html", "dir") == "ltr"
    assert page.locator("progress").first.get_attribute("value") == "50"
    page.goto(f"{live_server.url}/fr/learning/")
    assert "Preuve électronique" in page.inner_text("main")
    assert page.locator("progress").get_attribute("value") == "50"
    assert axe(page) == []
    screenshot(page, "my-learning-fr")


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_my_learning_on_a_phone_shows_what_is_overdue_first(
    page, live_server, screenshot, axe, password, language
):
    learner = LearnerFactory(username="investigator", preferred_language=language)
    today = timezone.localdate()
    courses = {}
    for slug, due in (("later", 30), ("none", None), ("late", -2)):
        courses[slug] = make_course(
            slug=slug,
            title={"en": f"Course {slug}", "fr": f"Cours {slug}", "ar": f"دورة {slug}"},
        )
        make_module(courses[slug], slug=f"{slug}-1")
        enrol(
            learner,
            courses[slug],
            due_date=None if due is None else today + timedelta(days=due),
            last_activity_at=timezone.now(),
        )
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, language, "investigator", password)
    page.goto(f"{live_server.url}/{language}/learning/")
    titles = page.locator(".card__title").all_inner_texts()
    named = {"ar": "دورة {}", "fr": "Cours {}"}[language]
    assert titles == [named.format(slug) for slug in ("late", "later", "none")]
    overdue = page.locator(".card .status--overdue")
    assert overdue.count() == 1
    assert overdue.inner_text() == {"ar": "متأخر", "fr": "En retard"}[language]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe(page) == []
    screenshot(page, f"my-learning-overdue-{language}-360")
    page.locator(".card__title a").first.click()
    page.wait_for_load_state()
    assert page.locator(".course-outline .status--overdue").count() == 1
    assert axe(page) == []
    screenshot(page, f"course-overdue-{language}-360")
