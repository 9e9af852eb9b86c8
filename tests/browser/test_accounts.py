"""A forgotten password, in Arabic on a 360 px phone, from the sign-in page to signing in again;
and Preferences leading to two-step verification. Screenshots in test-results/screenshots/."""

import re

import pytest
from django.core import mail

from tests.browser.conftest import sign_in
from tests.factories import LearnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "lantern-harbour-quietly-79"


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_forgotten_password_on_a_phone_in_arabic(page, live_server, screenshot, axe):
    LearnerFactory(username="amina", email="amina@example.invalid", preferred_language="ar")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/ar/account/sign-in/")
    page.click("text=نسيت كلمة المرور؟")
    assert page.url.endswith("/ar/account/password/forgot/")
    assert fits(page) and axe(page) == []
    page.fill("input[name=email]", "amina@example.invalid")
    screenshot(page, "password-forgot-ar-360")
    page.click("form.form button[type=submit]")
    assert page.url.endswith("/ar/account/password/forgot/sent/")
    assert "ساعتين" in page.inner_text("[role=status]")
    screenshot(page, "password-sent-ar-360")
    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/ar/account/password/reset/\S+/)", message.body).group(1)
    page.goto(live_server.url + link)
    assert page.input_value("input[name=username]") == "amina"
    assert fits(page) and axe(page) == []
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    screenshot(page, "password-choose-ar-360")
    page.click("form.form button[type=submit]")
    assert page.url.endswith("/ar/account/sign-in/")
    assert page.input_value("input[name=username]") == "amina"
    assert page.evaluate("document.activeElement.name") == "password"
    screenshot(page, "password-sign-in-prefilled-ar-360")
    page.fill("input[name=password]", NEW_PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/ar/"


def test_preferences_lead_to_two_step_verification(page, live_server, screenshot, axe, password):
    LearnerFactory(username="karim", preferred_language="ar")
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, "ar", "karim", password)
    page.goto(f"{live_server.url}/ar/account/preferences/")
    assert fits(page) and axe(page) == []
    screenshot(page, "preferences-ar-360")
    page.click("text=إعداد التحقق بخطوتين")
    assert page.url.endswith("/ar/account/two-factor/")
