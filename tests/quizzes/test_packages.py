"""Quizzes in course packages: validation with places, creation, export(import(x)) == x."""

import copy
import json
from pathlib import Path

import pytest

from courses.packages import ACTIVITY_HANDLERS
from quizzes.models import Question, QuestionCategory, QuizPage
from quizzes.packages import quiz_create, quiz_export, quiz_validate
from tests.courses.factories import make_course

from .factories import question_data, tr

DEMO = sorted((Path(__file__).resolve().parents[2] / "courses" / "demo").glob("*.json"))


def demo_quizzes():
    for path in DEMO:
        package = json.loads(path.read_text())
        for activity in package["activities"]:
            if activity["type"] == "quiz":
                yield pytest.param(activity, id=f"{path.stem}:{activity['slug']}")


def minimal_quiz(**overrides) -> dict:
    data = {
        "type": "quiz",
        "slug": "check",
        "title": tr("Check"),
        "required": True,
        "pass_mark": 70,
        "max_attempts": 3,
        "grading": "highest",
        "time_limit_minutes": 0,
        "shuffle": False,
        "questions": [question_data(k, i) for i, k in enumerate(
            ["single", "multiple", "true_false", "matching", "ordering"]
        )],
    }  # fmt: skip
    data.update(overrides)
    return data


def test_quiz_handler_is_registered():
    assert ACTIVITY_HANDLERS["quiz"].model is QuizPage


@pytest.mark.parametrize("activity", list(demo_quizzes()))
def test_demo_quizzes_are_valid_and_use_every_type(activity):
    assert quiz_validate(activity, "activities[0]") == []
    assert len(activity["questions"]) >= 8
    assert {q["type"] for q in activity["questions"]} == {
        "single", "multiple", "true_false", "matching", "ordering"
    }  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("activity", list(demo_quizzes()))
def test_demo_quizzes_export_what_was_imported(site, activity):
    course = make_course(slug="demo")
    page = quiz_create(course=course, data=copy.deepcopy(activity), category_name="Demo bank")
    assert page.live
    assert QuestionCategory.objects.get().name_en == "Demo bank"
    assert Question.objects.count() == len(activity["questions"])
    assert quiz_export(QuizPage.objects.get(pk=page.pk)) == activity


@pytest.mark.django_db
def test_created_quiz_is_a_live_child_of_the_course_with_its_rules(site):
    course = make_course(slug="c")
    page = quiz_create(
        course=course,
        data=minimal_quiz(pass_mark=80, max_attempts=0, grading="last", shuffle=True),
        category_name="C",
    )
    page.refresh_from_db()
    assert page.get_parent().pk == course.pk
    assert (page.pass_mark, page.attempts_allowed, page.grading) == (80, 0, "last")
    assert page.shuffle_questions and page.shuffle_choices
    assert page.quiz_questions.count() == 5


@pytest.mark.django_db
def test_authored_html_is_sanitised_on_import(site):
    data = minimal_quiz()
    data["questions"][0]["text"] = {"en": '<p onclick="x()">Hi<script>alert(1)</script></p>'}
    page = quiz_create(course=make_course(slug="s"), data=data, category_name="S")
    question = page.quiz_questions.first().question
    assert question.text_en == "<p>Hi</p>"


class TestValidation:
    def problems(self, **overrides):
        return quiz_validate(minimal_quiz(**overrides), "activities[2]")

    def test_valid(self):
        assert self.problems() == []

    def test_no_correct_choice_is_named_with_its_place(self):
        data = minimal_quiz()
        for choice in data["questions"][0]["choices"]:
            choice["correct"] = False
        assert quiz_validate(data, "activities[2]") == [
            "activities[2].questions[0].choices: no correct choice"
        ]

    def test_every_problem_is_reported(self):
        data = minimal_quiz(pass_mark=120, grading="median", title={"fr": "Sans anglais"})
        data["questions"][1]["choices"] = []
        data["questions"][2].pop("answer")
        data["questions"][3]["pairs"] = data["questions"][3]["pairs"][:1]
        data["questions"][4]["items"] = [{"en": "only"}]
        data["questions"].append({"type": "essay", "text": tr("?")})
        problems = quiz_validate(data, "activities[2]")
        assert problems == [
            "activities[2].title.en: English text is required",
            "activities[2].pass_mark: must be between 0 and 100",
            "activities[2].grading: expected one of highest, average, first, last",
            "activities[2].questions[1].choices: fewer than two choices",
            "activities[2].questions[1].choices: no correct choice",
            "activities[2].questions[2].answer: missing",
            "activities[2].questions[3].pairs: fewer than two pairs",
            "activities[2].questions[4].items: fewer than two items",
            "activities[2].questions[5].type: expected one of single, multiple, true_false, "
            "matching, ordering, got 'essay'",
        ]

    def test_types_are_checked(self):
        data = minimal_quiz(shuffle="yes", max_attempts="3")
        data["questions"][0]["choices"][0]["correct"] = "true"
        data["questions"][0]["marks"] = 0
        data["questions"][0]["choices"][1]["text"] = "plain string"
        problems = quiz_validate(data, "a")
        assert "a.shuffle: expected true or false" in problems
        assert "a.max_attempts: expected a whole number" in problems
        assert "a.questions[0].choices[0].correct: expected true or false" in problems
        assert "a.questions[0].marks: must be between 1 and 100" in problems
        assert (
            "a.questions[0].choices[1].text: expected an object with en, fr, ar texts" in problems
        )

    def test_single_with_two_correct_choices(self):
        data = minimal_quiz()
        data["questions"][0]["choices"][1]["correct"] = True
        assert quiz_validate(data, "a") == ["a.questions[0].choices: more than one correct choice"]

    def test_no_questions(self):
        assert self.problems(questions=[]) == ["activities[2].questions: expected a non-empty list"]

    def test_french_and_arabic_are_optional(self):
        data = minimal_quiz()
        data["questions"][0]["text"] = {"en": "<p>Only English</p>"}
        assert quiz_validate(data, "a") == []
