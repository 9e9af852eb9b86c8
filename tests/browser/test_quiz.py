"""Taking a demo quiz in Arabic, every question type, without JavaScript-dependent widgets."""

import copy
import json
from fractions import Fraction
from pathlib import Path

import pytest
from django.utils import translation

from quizzes.models import QuizAttempt, QuizPage
from quizzes.packages import quiz_create
from quizzes.question_types import QUESTION_TYPES
from quizzes.scoring import round_percent
from tests.browser.conftest import sign_in
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory
from tests.quizzes.factories import right_answers

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

DEMO = Path(__file__).resolve().parents[2] / "courses" / "demo" / "electronic-evidence.json"


def demo_quiz():
    package = json.loads(DEMO.read_text())
    activity = next(a for a in package["activities"] if a["type"] == "quiz")
    course = make_course(slug="e-evidence")
    return quiz_create(course=course, data=copy.deepcopy(activity), category_name="Demo")


def answer(page, attempt, answers, wrong: int):
    """Fill the form: every answer right except question `wrong`, which is left unanswered.

    Fields are found by the attempt's tokens, as the browser only knows those."""
    for entry in attempt.layout:
        if entry["question"] == wrong:
            continue
        values = QUESTION_TYPES[entry["type"]].initial(entry, answers[entry["question"]])
        for name, value in values.items():
            if "prompts" in entry:
                page.select_option(f"select[name={name}]", value)
            else:
                for token in value if isinstance(value, list) else [value]:
                    page.check(f"input[name={name}][value={token}]")


def test_taking_a_quiz_in_arabic(page, live_server, screenshot, password, axe):
    learner = LearnerFactory(username="officer", preferred_language="ar")
    quiz = demo_quiz()
    with translation.override("ar"):
        quiz_path = quiz.get_url()
    sign_in(page, live_server.url, "ar", "officer", password)
    page.goto(live_server.url + quiz_path)
    assert page.get_attribute("html", "dir") == "rtl"
    page.click("form[action*='/start/'] button")
    page.wait_for_load_state()
    assert "/ar/quizzes/attempts/" in page.url
    assert page.locator("fieldset").count() == 12
    assert page.locator("fieldset > legend > span[dir=auto]").count() == 12
    assert axe(page) == []

    attempt = QuizAttempt.objects.get(user=learner)
    answers = right_answers(attempt)
    wrong = next(e for e in attempt.layout if e["type"] == "matching")
    # Save half way, reload: the answers are still there.
    answer(page, attempt, answers, wrong=wrong["question"])
    page.click("button[value=save]")
    page.wait_for_load_state()
    first = attempt.layout[0]["name"]
    assert page.locator(f"input[name={first}]:checked").count() == 1
    screenshot(page, "quiz-attempt-ar")

    # One question is left unanswered: the learner is asked to confirm, and shown which.
    page.click("button[value=submit]")
    page.wait_for_load_state()
    assert page.url.endswith(f"/attempts/{attempt.pk}/submit/")
    number = attempt.layout.index(wrong) + 1
    assert page.locator(f".quiz-unanswered a[href$='#question-{number}']").count() == 1
    assert axe(page) == []
    screenshot(page, "quiz-confirm-ar")
    page.click("button[name=confirm]")
    page.wait_for_load_state()
    total = sum(e["marks"] for e in attempt.layout)
    expected = round_percent(Fraction(total - wrong["marks"], total) * 100)
    attempt.refresh_from_db()
    assert attempt.score == expected
    score = page.inner_text("[data-testid=score]")
    digits = score.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩٫", "0123456789."))
    assert digits.replace(",", ".").rstrip("%٪ \u200e\u202f") == str(expected)
    assert page.locator(".quiz-result--passed").count() == 1
    with translation.override("ar"):
        passed = translation.gettext("Passed")
    assert passed in page.inner_text(".quiz-result__verdict")
    assert axe(page) == []
    screenshot(page, "quiz-result-ar")


def test_answers_are_saved_as_the_learner_goes(page, live_server, password):
    learner = LearnerFactory(username="officer", preferred_language="fr")
    quiz = demo_quiz()
    with translation.override("fr"):
        quiz_path = quiz.get_url()
    sign_in(page, live_server.url, "fr", "officer", password)
    page.goto(live_server.url + quiz_path)
    page.click("form[action*='/start/'] button")
    page.wait_for_load_state()
    attempt = QuizAttempt.objects.get(user=learner)
    first = next(e for e in attempt.layout if e["type"] == "single")["name"]
    page.locator(f"input[name={first}]").first.check()
    page.wait_for_function(
        "document.getElementById('autosave-status').textContent.includes('enregistrées')"
    )
    page.reload()  # no "Save answers" click: the answer survived the reload
    assert page.locator(f"input[name={first}]:checked").count() == 1


# Each question's text lies inside its fieldset, below the top border (not across it).
LEGEND_INSIDE = """() => [...document.querySelectorAll('fieldset.quiz-question')].map(f => {
    const box = f.getBoundingClientRect();
    const legend = f.querySelector('legend').getBoundingClientRect();
    const border = parseFloat(getComputedStyle(f).borderTopWidth);
    return legend.top - box.top - border >= 0
        && legend.left >= box.left && legend.right <= box.right;
})"""


def test_a_quiz_on_a_phone_in_arabic(page, live_server, screenshot, password, axe):
    """360 px: question texts inside their fieldsets, "answered n of N" kept up to date, the
    confirmation before submitting, a review that says "not answered", and what comes next."""
    learner = LearnerFactory(username="officer", preferred_language="ar")
    quiz = demo_quiz()
    after = make_module(quiz.get_parent().specific, slug="after", title={
        "en": "After the quiz", "fr": "Après le quiz", "ar": "بعد الاختبار"})  # fmt: skip
    page.set_viewport_size({"width": 360, "height": 740})
    with translation.override("ar"):
        quiz_path, after_path = quiz.get_url(), after.get_url()
        answered = translation.ngettext(
            "Answered %(answered)s of %(total)s question",
            "Answered %(answered)s of %(total)s questions",
            12,
        )
    sign_in(page, live_server.url, "ar", "officer", password)
    page.goto(live_server.url + quiz_path)
    page.click("form[action*='/start/'] button")
    page.wait_for_load_state()
    assert page.evaluate(LEGEND_INSIDE) == [True] * 12
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    count = answered % {"answered": 0, "total": 12}
    assert page.inner_text(".quiz-outline__count") == count
    attempt = QuizAttempt.objects.get(user=learner)
    entry = attempt.layout[0]
    page.check(f"input[name={entry['name']}][value={entry['options'][0][0]}]")
    page.wait_for_function("document.querySelector('.quiz-outline__answered').textContent === '1'")
    assert page.locator("#outline-1.is-answered").count() == 1
    assert axe(page) == []
    screenshot(page, "quiz-attempt-ar-360")

    page.click("button[value=submit]")
    page.wait_for_load_state()
    assert page.locator(".quiz-unanswered li").count() == 11
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe(page) == []
    screenshot(page, "quiz-confirm-ar-360")
    page.click("button[name=confirm]")
    page.wait_for_load_state()
    assert "/result/" in page.url
    assert page.locator(".quiz-verdict--not_answered").count() == 11
    assert page.locator(".quiz-review h3 .icon").count() == 12
    assert page.get_attribute("a[rel=next]", "href") == after_path
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe(page) == []
    screenshot(page, "quiz-result-ar-360")


def test_one_question_per_page_on_a_phone(page, live_server, screenshot, password, axe):
    learner = LearnerFactory(username="officer", preferred_language="ar")
    quiz = demo_quiz()
    QuizPage.objects.filter(pk=quiz.pk).update(one_per_page=True)
    page.set_viewport_size({"width": 360, "height": 740})
    with translation.override("ar"):
        quiz_path = quiz.get_url()
    sign_in(page, live_server.url, "ar", "officer", password)
    page.goto(live_server.url + quiz_path)
    page.click("form[action*='/start/'] button")
    page.wait_for_load_state()
    assert page.locator("fieldset.quiz-question").count() == 1
    attempt = QuizAttempt.objects.get(user=learner)
    first = attempt.layout[0]
    page.check(f"input[name={first['name']}][value={first['options'][0][0]}]")
    page.click(".quiz-actions button[name=goto]")  # "Next question" saves on the way
    page.wait_for_load_state()
    assert page.url.endswith("?page=2")
    assert page.locator("#question-2").count() == 1
    assert page.locator("#outline-1.is-answered").count() == 1
    assert page.locator("button[aria-current=step]").inner_text().startswith("2")
    assert page.evaluate(LEGEND_INSIDE) == [True]
    assert axe(page) == []
    screenshot(page, "quiz-one-per-page-ar-360")
    page.click("#outline-12 button")
    page.wait_for_load_state()
    assert page.url.endswith("?page=12") and page.locator("#question-12").count() == 1


def test_without_javascript_submitting_asks_to_confirm(browser, live_server, site, password):
    context = browser.new_context(java_script_enabled=False, bypass_csp=True)
    page = context.new_page()
    try:
        learner = LearnerFactory(username="officer", preferred_language="fr")
        quiz = demo_quiz()
        with translation.override("fr"):
            quiz_path = quiz.get_url()
        sign_in(page, live_server.url, "fr", "officer", password)
        page.goto(live_server.url + quiz_path)
        page.click("form[action*='/start/'] button")
        page.wait_for_load_state()
        attempt = QuizAttempt.objects.get(user=learner)
        first = attempt.layout[0]
        page.check(f"input[name={first['name']}][value={first['options'][0][0]}]")
        page.click("button[value=submit]")
        page.wait_for_load_state()
        assert page.url.endswith("/submit/")
        assert page.locator(".quiz-unanswered li").count() == 11
        page.click("button[name=confirm]")
        page.wait_for_load_state()
        assert "/result/" in page.url
        attempt.refresh_from_db()
        assert attempt.state == QuizAttempt.State.SUBMITTED
    finally:
        context.close()
