"""The French admin, as a trainer sees it: Arabic typed right to left in every editor."""

import pytest

from cms.services import user_set_preferred_language
from tests.courses.factories import make_course, make_module
from tests.factories import TrainerFactory
from tests.quizzes.factories import make_quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def admin_sign_in(page, base_url, username, password):
    page.goto(f"{base_url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def show_arabic(page):
    """The language picker shows English only at first; show Arabic instead."""
    page.get_by_role("button", name="ar", exact=True).first.click()
    page.get_by_role("button", name="en", exact=True).first.click()


def direction(page, selector: str) -> str:
    return page.locator(selector).first.evaluate("el => getComputedStyle(el).direction")


def test_arabic_fields_are_right_to_left_in_the_french_admin(
    page, live_server, screenshot, password
):
    trainer = TrainerFactory(username="formatrice")
    user_set_preferred_language(user=trainer, language="fr")
    course = make_course(slug="evidence")
    blocks = [{"type": "heading", "value": "عنوان"}, {"type": "paragraph", "value": "<p>نص</p>"}]
    module = make_module(course, slug="m", body={"en": blocks, "fr": blocks, "ar": blocks})
    quiz = make_quiz(course, slug="check")
    question = quiz.quiz_questions.first().question
    admin_sign_in(page, live_server.url, "formatrice", password)

    page.goto(f"{live_server.url}/admin/pages/{module.pk}/edit/")
    page.wait_for_selector("[name=body_ar-0-value]", state="attached")
    assert page.get_attribute("html", "lang") == "fr"
    assert direction(page, "input[name=title_ar]") == "rtl"
    assert direction(page, "input[name=title_fr]") == "ltr"
    assert direction(page, "[name=body_ar-0-value]") == "rtl"
    assert direction(page, "[name=body_fr-0-value]") == "ltr"
    show_arabic(page)
    screenshot(page, "admin-module-editor-fr")

    page.goto(f"{live_server.url}/admin/snippets/quizzes/question/edit/{question.pk}/")
    page.wait_for_selector("[name=choices-0-text_ar]", state="attached")
    assert direction(page, "[name=choices-0-text_ar]") == "rtl"
    assert direction(page, "[name=choices-0-text_en]") == "ltr"
    show_arabic(page)
    screenshot(page, "admin-question-editor-fr")
