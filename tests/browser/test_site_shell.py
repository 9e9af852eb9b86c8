import pytest

from tests.browser.conftest import sign_in
from tests.factories import LearnerFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_arabic_home_is_right_to_left_with_an_arabic_font(page, live_server, screenshot):
    page.goto(f"{live_server.url}/ar/")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    # The heading is laid out from the right edge.
    box = page.locator("h1").bounding_box()
    width = page.viewport_size["width"]
    assert box["x"] + box["width"] > width / 2
    fonts_ready = page.evaluate(
        "async () => { await document.fonts.ready;"
        " return document.fonts.check('16px \"Noto Naskh Arabic\"', 'تدريب'); }"
    )
    assert fonts_ready
    path = screenshot(page, "home-ar")
    assert path.stat().st_size > 5_000


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_home_and_sign_in_have_no_serious_accessibility_violation(page, live_server, axe, language):
    for path in (f"/{language}/", f"/{language}/account/sign-in/"):
        page.goto(live_server.url + path)
        assert axe(page) == [], path


def test_switching_language_and_signing_in_on_a_narrow_screen(
    page, live_server, screenshot, password
):
    LearnerFactory(username="officer", preferred_language="ar")
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(f"{live_server.url}/en/")
    page.click("nav.language-switcher >> text=Français")
    assert page.url.endswith("/fr/")
    # Nothing overflows horizontally at 320 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    screenshot(page, "home-fr-320")
    sign_in(page, live_server.url, "fr", "officer", "wrong")
    assert "Saisissez un nom d’utilisateur" in page.inner_text("[role=alert]")
    sign_in(page, live_server.url, "fr", "officer", password)
    assert page.url == f"{live_server.url}/ar/"
    assert page.get_attribute("html", "dir") == "rtl"
    screenshot(page, "signed-in-ar-320")
