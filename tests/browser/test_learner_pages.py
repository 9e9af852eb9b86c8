"""The signed-in home page, the catalogue and the module pager, as learners see them: axe clean
in three languages, right to left in Arabic, usable at 360 px (docs/learner-pages.md).

Screenshots are written to /tmp/w13-learners-shots/ (or $TADRIB_SHOTS) to be looked at.
"""

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation

from courses.services import activity_complete, activity_open, enrolment_ensure
from tests.browser.conftest import sign_in
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory, ManagerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("TADRIB_SHOTS", "/tmp/w13-learners-shots"))
TITLES = {
    "evidence": {
        "en": "Electronic evidence",
        "fr": "Preuve électronique",
        "ar": "الأدلة الإلكترونية",
    },
    "finance": {
        "en": "Terrorist financing",
        "fr": "Financement du terrorisme",
        "ar": "تمويل الإرهاب",
    },
}
MODULES = {
    "en": ("Types of evidence", "Preservation", "Chain of custody"),
    "fr": ("Types de preuves", "Conservation", "Chaîne de possession"),
    "ar": ("أنواع الأدلة", "الحفظ", "سلسلة العهدة"),
}


def shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def learning(db):
    learner = LearnerFactory(username="investigator", first_name="Amina", preferred_language="en")
    evidence = make_course(slug="evidence", title=TITLES["evidence"])
    modules = [
        make_module(
            evidence,
            slug=f"m{i}",
            title={code: MODULES[code][i] for code in MODULES},
        )
        for i in range(3)
    ]
    finance = make_course(slug="finance", title=TITLES["finance"])
    make_module(finance, slug="f1")
    manager = ManagerFactory()
    enrolment_ensure(user=learner, course=evidence, assigned_by=manager, due_date=date(2099, 3, 1))
    enrolment_ensure(
        user=learner,
        course=finance,
        assigned_by=manager,
        due_date=timezone.localdate() - timedelta(days=2),
    )
    activity_complete(user=learner, activity=modules[0])
    activity_open(user=learner, activity=modules[1], language="en")
    return {"learner": learner, "evidence": evidence, "modules": modules, "finance": finance}


def _go_home(page, live_server, password, language):
    sign_in(page, live_server.url, language, "investigator", password)
    page.goto(f"{live_server.url}/{language}/")


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_signed_in_home_page_shows_the_learners_work_and_passes_axe(
    page, live_server, axe, password, learning, language
):
    _go_home(page, live_server, password, language)
    main = page.inner_text("main")
    assert "Amina" in page.inner_text("h1")
    assert MODULES[language][1] in page.inner_text(".resume")
    assert TITLES["finance"][language] in page.inner_text("#home-assigned + ul")
    assert page.locator("#home-assigned + ul .status--overdue").count() == 1
    assert {"en": "1 March 2099", "fr": "1 mars 2099", "ar": "1 مارس 2099"}[language] in main
    assert axe(page) == []
    shot(page, f"home-signed-in-{language}")


def test_the_arabic_home_page_at_360_px(page, live_server, axe, password, learning):
    page.set_viewport_size({"width": 360, "height": 740})
    _go_home(page, live_server, password, "ar")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.title() == "تدريب"
    assert axe(page) == []
    shot(page, "home-ar-360")


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_module_pager_on_a_phone_is_stacked_with_next_at_the_inline_end(
    page, live_server, axe, password, learning, language
):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, language, "investigator", password)
    with translation.override(language):
        page.goto(live_server.url + learning["modules"][1].get_url())
    pager = page.locator("nav.pager").bounding_box()
    previous = page.locator(".pager__previous").bounding_box()
    following = page.locator(".pager__next").bounding_box()
    assert following["y"] >= previous["y"] + previous["height"]  # stacked
    if language == "ar":  # the inline end is the left
        assert abs(following["x"] - pager["x"]) < 2
        assert abs(previous["x"] + previous["width"] - (pager["x"] + pager["width"])) < 2
    else:
        assert abs(following["x"] + following["width"] - (pager["x"] + pager["width"])) < 2
        assert abs(previous["x"] - pager["x"]) < 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    label = page.inner_text(".module-actions button")
    assert '"' not in label
    assert axe(page) == []
    shot(page, f"module-{language}-360-full")
    page.locator("nav.pager").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"module-pager-{language}-360.png"))


def test_the_catalogue_marks_assigned_courses_in_arabic_at_360_px(
    page, live_server, axe, password, learning
):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, "ar", "investigator", password)
    with translation.override("ar"):
        page.goto(live_server.url + learning["evidence"].get_parent().get_url())
    cards = page.locator(".card")
    evidence = cards.filter(has_text=TITLES["evidence"]["ar"])
    finance = cards.filter(has_text=TITLES["finance"]["ar"])
    assert evidence.locator(".status--assigned").count() == 1
    assert "1 مارس 2099" in evidence.inner_text()
    assert evidence.locator("progress").get_attribute("value") == "33"
    assert finance.locator(".status--overdue").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe(page) == []
    shot(page, "catalogue-ar-360")


def test_the_favicon_is_linked_and_served_without_a_redirect(page, live_server):
    page.goto(f"{live_server.url}/en/")
    for selector in ("link[rel=icon][type='image/svg+xml']", "link[rel=icon][sizes]"):
        href = page.get_attribute(selector, "href")
        response = page.request.get(live_server.url + href, max_redirects=0)
        assert response.status == 200 and response.headers["content-type"].startswith("image/")
    response = page.request.get(f"{live_server.url}/favicon.ico", max_redirects=0)
    assert response.status == 200
    assert response.headers["content-type"] == "image/x-icon"
