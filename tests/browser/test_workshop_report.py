"""The knowledge-gain report in Chromium: axe in three languages, and Arabic on a phone."""

from pathlib import Path

import pytest

from tests.browser.conftest import sign_in
from tests.workshops.report_world import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/w14-gain-shots")


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_report_pages_pass_axe_in_three_languages(page, live_server, axe, password):
    w = build()
    w.facilitator.set_password(password)
    w.facilitator.save()
    sign_in(page, live_server.url, "en", "facilitator", password)
    for language in ("en", "fr", "ar"):
        for path in ("", "tui/"):
            page.goto(f"{live_server.url}/{language}/reports/workshops/{path}")
            assert page.get_attribute("html", "lang") == language
            assert axe(page) == [], (language, path)
    _shot(page, "report-ar-desktop")


def test_the_arabic_report_on_a_phone(page, live_server, password):
    w = build()
    w.manager.set_password(password)
    w.manager.is_superuser = True  # sees every participant and both countries
    w.manager.save()
    page.set_viewport_size({"width": 360, "height": 800})
    sign_in(page, live_server.url, "ar", "manager", password)
    page.goto(f"{live_server.url}/ar/reports/workshops/tui/")
    assert page.get_attribute("html", "dir") == "rtl"
    # Nothing wider than the screen but the tables' own scrolling regions.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    rows = page.locator(".dumbbell__row")
    assert rows.count() == 2
    # Mirrored: the post-test dot (80 %) of Niger lies left of its pre-test dot (70 %).
    pre = rows.first.locator(".dumbbell__pre").bounding_box()
    post = rows.first.locator(".dumbbell__post").bounding_box()
    assert post["x"] < pre["x"]
    # Labels are text, never cut: each label's box fits in its row.
    for n in range(rows.count()):
        label = rows.nth(n).locator(".dumbbell__label").bounding_box()
        row = rows.nth(n).bounding_box()
        assert (
            label["x"] >= row["x"] - 1
            and label["x"] + label["width"] <= row["x"] + row["width"] + 1
        )
    _shot(page, "report-ar-360")
    page.goto(f"{live_server.url}/ar/reports/workshops/")
    _shot(page, "list-ar-360")
