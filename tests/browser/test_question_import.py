"""A trainer brings a Moodle bank through the admin in Arabic; a learner then takes the
imported questions (an image, a matching question with a distractor, Moodle's ordering
grading) in Arabic on a phone."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import translation

from cms.services import user_set_preferred_language
from quizzes.interchange.services import questions_import
from quizzes.models import Question, QuizAttempt
from tests.browser.conftest import sign_in
from tests.factories import LearnerFactory, TrainerFactory
from tests.quizzes.factories import make_quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BANK = Path(__file__).resolve().parents[1] / "quizzes" / "fixtures" / "bank.moodle.xml"


def trainer_rights():
    """What migrations give trainers here; a transactional test before this one flushed it."""
    trainers, _created = Group.objects.get_or_create(name="Trainers")
    trainers.permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "add_question", "add_questioncategory", "view_question"]
        )
    )


def test_a_trainer_imports_a_moodle_bank_in_arabic(page, live_server, screenshot, password, axe):
    trainer_rights()
    user_set_preferred_language(user=TrainerFactory(username="trainer1"), language="ar")
    sign_in(page, live_server.url, "ar", "trainer1", password)
    page.goto(live_server.url + "/admin/quizzes/questions/import/")
    assert page.get_attribute("html", "dir") == "rtl"
    page.set_input_files("input[name=file]", str(BANK))
    page.check("input[name=dry_run]")
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    page.wait_for_load_state()
    with translation.override("ar"):
        checked = translation.gettext("Check only: nothing was written")
        unsupported = translation.gettext("short-answer questions are not supported")
    assert checked in page.inner_text("main")
    assert unsupported in page.inner_text("main")
    assert not Question.objects.exists()
    assert axe(page) == []
    screenshot(page, "question-import-report-ar")
    page.set_input_files("input[name=file]", str(BANK))
    page.uncheck("input[name=dry_run]")
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    page.wait_for_load_state()
    assert Question.objects.count() == 6


def test_imported_questions_on_a_phone_in_arabic(page, live_server, screenshot, password, axe):
    questions_import(data=BANK.read_bytes(), filename="bank.xml")
    names = ["Preservation request", "Who holds what", "Steps"]
    quiz = make_quiz(questions=[Question.objects.get(name=n) for n in names], slug="imported")
    LearnerFactory(username="officer", preferred_language="ar")
    page.set_viewport_size({"width": 360, "height": 740})
    with translation.override("ar"):
        quiz_path = quiz.get_url()
    sign_in(page, live_server.url, "ar", "officer", password)
    page.goto(live_server.url + quiz_path)
    page.click("form[action*='/start/'] button")
    page.wait_for_load_state()
    assert "/ar/quizzes/attempts/" in page.url
    attempt = QuizAttempt.objects.get()
    assert page.locator("img.quiz-question__image").count() == 1
    assert "أي طلب يمنع حذف البيانات؟" in page.inner_text("main")
    matching = next(e for e in attempt.layout if e["type"] == "matching")
    select = page.locator(f"select[name={matching['prompts'][0][0]}] option")
    assert select.count() == 4  # the placeholder, two answers and the distractor
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow
    assert axe(page) == []
    screenshot(page, "quiz-imported-ar-360")
