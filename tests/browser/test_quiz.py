"""Taking a demo quiz in Arabic, every question type, without JavaScript-dependent widgets."""

import copy
import json
from fractions import Fraction
from pathlib import Path

import pytest
from django.utils import translation

from quizzes.models import QuizAttempt
from quizzes.packages import quiz_create
from quizzes.question_types import QUESTION_TYPES
from quizzes.scoring import round_percent
from tests.browser.conftest import sign_in
from tests.courses.factories import make_course
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

    page.click("button[value=submit]")
    page.wait_for_load_state()
    total = sum(e["marks"] for e in attempt.layout)
    expected = round_percent(Fraction(total - wrong["marks"], total) * 100)
    attempt.refresh_from_db()
    assert attempt.score == expected
    score = page.inner_text("[data-testid=score]")
    digits = score.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩٫", "0123456789."))
    assert digits.replace(",", ".").rstrip("%٪ ") == str(expected)
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
