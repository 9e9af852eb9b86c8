import pytest
from django.utils import translation

from tests.browser.conftest import sign_in
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory

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
