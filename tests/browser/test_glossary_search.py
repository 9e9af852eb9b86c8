"""The glossary and search in a browser: a term's popover opened by keyboard in Arabic (and at
360 px), the same note without JavaScript, and search and glossary pages free of serious
accessibility violations in three languages."""

import pytest
from django.utils import translation

from tests.browser.conftest import sign_in
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory
from tests.glossary.factories import mla_term, preservation_term

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARABIC_TEXT = (
    "<p>ولأن الأدلة الإلكترونية سريعة الزوال، يُرسل المحقق أولاً طلب الحفظ إلى مقدّم الخدمات، "
    "ثم يُعدّ طلبَ المساعدةِ القانونيةِ المتبادلة عبر السلطة المركزية.</p>"
)


@pytest.fixture
def lesson(site):
    mla_term(
        definition_ar="تعاون رسمي تجمع بموجبه دولة الأدلة بناءً على طلب دولة أخرى.",
        definition_en="Formal cooperation by which one State gathers evidence for another.",
    )
    preservation_term()
    course = make_course(
        slug="evidence",
        title={
            "en": "Electronic evidence",
            "fr": "Preuve électronique",
            "ar": "الأدلة الإلكترونية",
        },
    )
    text = {
        "en": "<p>Send a preservation request, then ask for mutual legal assistance.</p>",
        "fr": "<p>Envoyez une demande de conservation, puis demandez l'entraide judiciaire.</p>",
        "ar": ARABIC_TEXT,
    }
    box = {
        "type": "glossary_term",
        "value": {
            "term_en": "preservation request",
            "term_fr": "demande de conservation",
            "term_ar": "طلب حفظ البيانات",
            "definition": "<p>طلب يُبقي البيانات الموجودة محفوظة ريثما يصل الطلب الرسمي.</p>",
        },
    }
    return make_module(
        course,
        slug="cooperation",
        title={"en": "Cooperation", "fr": "Coopération", "ar": "التعاون"},
        body={code: [{"type": "paragraph", "value": value}, box] for code, value in text.items()},
    )


def url_of(page_object, language):
    with translation.override(language):
        return page_object.get_url()


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_term_opens_by_keyboard_in_arabic(page, live_server, screenshot, axe, password, lesson):
    LearnerFactory(username="investigator", preferred_language="ar")
    sign_in(page, live_server.url, "ar", "investigator", password)
    for width, name in ((1200, "glossary-popover-ar"), (360, "glossary-popover-ar-360")):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server.url + url_of(lesson, "ar"))
        assert page.get_attribute("html", "dir") == "rtl"
        term = page.locator("a.glossary-link", has_text="المساعدةِ القانونيةِ المتبادلة")
        assert term.get_attribute("role") == "button"
        assert term.get_attribute("aria-expanded") == "false"
        tab_to(page, 'a.glossary-link[href="#glossary-mutual-legal-assistance"]')
        page.keyboard.press("Enter")
        popover = page.locator("#glossary-popover")
        popover.wait_for()  # the first term opened fetches the dialog's code
        assert popover.is_visible()
        assert term.get_attribute("aria-expanded") == "true"
        assert page.evaluate("document.activeElement.id") == "glossary-popover"
        text = popover.inner_text()
        assert "تعاون رسمي تجمع بموجبه دولة الأدلة" in text
        assert "mutual legal assistance" in text and "entraide judiciaire" in text
        assert page.get_attribute("#glossary-popover", "aria-labelledby") == (
            "glossary-popover-title"
        )
        box = popover.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe(page) == []
        screenshot(page, name)
        assert popover.is_visible()  # the screenshot resized the window: still open
        page.keyboard.press("Escape")
        assert not popover.is_visible()
        assert page.evaluate("document.activeElement.getAttribute('href')") == (
            "#glossary-mutual-legal-assistance"
        )
        # Space opens it too, and Tab goes on from the dialog.
        page.keyboard.press(" ")
        assert popover.is_visible()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('#glossary-popover') !== null")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert not popover.is_visible()
    # A term the module explains in a glossary box opens that box.
    page.locator("a.glossary-link", has_text="طلب الحفظ").focus()
    page.keyboard.press("Enter")
    assert "ريثما يصل الطلب الرسمي" in page.locator("#glossary-popover").inner_text()
    assert page.locator("#glossary-popover dl.glossary-term").count() == 0


def test_without_javascript_a_term_leads_to_its_note(browser, live_server, password, lesson):
    LearnerFactory(username="investigator", preferred_language="en")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "en", "investigator", password)
        page.goto(live_server.url + url_of(lesson, "en"))
        term = page.locator("a.glossary-link", has_text="mutual legal assistance")
        assert term.get_attribute("role") is None
        term.focus()
        page.keyboard.press("Enter")
        assert page.url.endswith("#glossary-mutual-legal-assistance")
        note = page.locator("#glossary-mutual-legal-assistance")
        assert note.is_visible()
        assert "Formal cooperation by which one State gathers evidence" in note.inner_text()
        assert "المساعدة القانونية المتبادلة" in note.inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_search_and_glossary_pages_have_no_serious_violation(
    page, live_server, axe, screenshot, password, lesson, language
):
    LearnerFactory(username="reader", preferred_language=language)
    sign_in(page, live_server.url, language, "reader", password)
    query = {"en": "entraide judiciaire", "fr": "mutual legal assistance", "ar": "الإحتفاظ"}
    paths = [
        f"/{language}/search/?q={query[language]}",
        f"/{language}/search/?q=zzzz",
        f"/{language}/glossary/",
        f"/{language}/glossary/mutual-legal-assistance/",
    ]
    for path in paths:
        page.goto(live_server.url + path)
        assert page.get_attribute("html", "lang") == language
        assert axe(page) == [], path
    page.goto(live_server.url + paths[0])
    assert page.locator("mark").count() >= 1
    if language == "ar":
        screenshot(page, "search-ar")
        page.set_viewport_size({"width": 360, "height": 800})
        for path, name in ((paths[0], "search-ar-360"), (paths[2], "glossary-ar-360")):
            page.goto(live_server.url + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
            screenshot(page, name)
