"""Surveys in course packages: validation with places, nothing written on refusal,
export(import(x)) == x, replace keeps answers, hostile text made inert."""

import copy
import json
from pathlib import Path

import pytest

from courses.models import CoursePage
from courses.packages import ACTIVITY_HANDLERS, PackageError, course_export
from courses.services import course_import
from surveys import services
from surveys.models import SurveyAnswer, SurveyPage, SurveyQuestion
from surveys.packages import survey_validate
from tests.factories import LearnerFactory

from .factories import answers_for, survey_data, tr

DEMO = Path(__file__).resolve().parents[2] / "surveys" / "demo" / "surveys.json"


def package(*activities) -> dict:
    return {
        "format": "tadrib.course/1",
        "slug": "needs-course",
        "title": tr("Needs"),
        "summary": tr("Summary"),
        "activities": list(activities) or [survey_data()],
    }


def test_survey_handler_is_registered():
    assert ACTIVITY_HANDLERS["survey"].model is SurveyPage


@pytest.mark.parametrize(
    "activity", json.loads(DEMO.read_text())["activities"], ids=lambda a: a["slug"]
)
def test_demo_surveys_are_valid(activity):
    assert survey_validate(activity, "activities[0]") == []


def test_invalid_surveys_are_refused_with_their_places():
    bad = survey_data(anonymous="yes", closes_at="tomorrow")
    bad["questions"][0]["points"] = 4
    bad["questions"][1]["options"] = {"en": ["Only one"], "fr": ["Un", "Deux"]}
    bad["questions"][3]["options"]["ar"] = ["a", "b"]
    bad["questions"][4]["max_length"] = 0
    bad["questions"].append({"type": "slider", "text": tr("x")})
    problems = survey_validate(bad, "activities[0]")
    assert "activities[0].anonymous: expected true or false" in problems
    assert any(p.startswith("activities[0].closes_at: expected a date and time") for p in problems)
    assert "activities[0].questions[0].points: expected 5 or 7" in problems
    assert "activities[0].questions[1].options.fr: 2 items, English has 1" in problems
    assert "activities[0].questions[1].options.en: at least 2 items" in problems
    assert "activities[0].questions[3].options.ar: 2 items, English has 3" in problems
    assert any(p.startswith("activities[0].questions[4].max_length") for p in problems)
    assert any(p.startswith("activities[0].questions[5].type: expected one of") for p in problems)


@pytest.mark.django_db
def test_a_refused_package_writes_nothing(site):
    bad = survey_data()
    bad["questions"][0]["labels"] = {"en": ["too", "few"]}
    with pytest.raises(PackageError) as refused:
        course_import(data=package(bad))
    assert "activities[0].questions[0].labels.en: one label per point (5)" in refused.value.problems
    assert not CoursePage.objects.filter(slug_en="needs-course").exists()
    assert not SurveyPage.objects.exists() and not SurveyQuestion.objects.exists()


@pytest.mark.django_db
def test_export_import_round_trip(site):
    data = package(
        survey_data(opens_at="2026-01-05T08:00:00+00:00", closes_at="2027-01-05T08:00:00+00:00")
    )
    course = course_import(data=data)
    first, _media = course_export(course)
    assert first["activities"][0] == data["activities"][0]
    course.delete()
    again = course_import(data=copy.deepcopy(first))
    second, _media = course_export(again)
    assert second == first


@pytest.mark.django_db
def test_demo_surveys_round_trip(site):
    activities = json.loads(DEMO.read_text())["activities"]
    course = course_import(data=package(*activities))
    exported, _media = course_export(course)
    assert exported["activities"] == activities


@pytest.mark.django_db
def test_replace_keeps_questions_and_answers_in_place(site):
    course = course_import(data=package())
    survey = SurveyPage.objects.get()
    learner = LearnerFactory()
    services.response_submit(
        survey=survey, user=learner, answers=answers_for(survey), language="en"
    )
    kept = list(survey.questions.order_by("sort_order").values_list("pk", flat=True))
    changed = survey_data()
    changed["questions"][0]["text"] = tr("<p>The training was very relevant</p>")
    course_import(data=package(changed), replace=True)
    survey.refresh_from_db()
    assert list(survey.questions.order_by("sort_order").values_list("pk", flat=True)) == kept
    assert SurveyAnswer.objects.count() > 0
    # Anonymity cannot change once people have responded.
    with pytest.raises(PackageError) as refused:
        course_import(data=package(survey_data(anonymous=False)), replace=True)
    assert any("anonymous" in p for p in refused.value.problems)
    assert course.pk == CoursePage.objects.get(slug_en="needs-course").pk


@pytest.mark.django_db
def test_hostile_intro_and_question_text_are_sanitised(client, site):
    hostile = survey_data(intro=tr('<p onclick="steal()">Hi<script>alert(1)</script></p>'))
    hostile["questions"][0]["text"] = tr('<p><img src=x onerror="alert(2)">Relevant</p>')
    hostile["questions"][1]["options"] = {"en": ["<b>Bold</b> option", "Other"]}
    course_import(data=package(hostile))
    survey = SurveyPage.objects.get()
    learner = LearnerFactory()
    client.force_login(learner)
    html = client.get(survey.url).content.decode()
    assert "<script>alert(1)" not in html and "onclick" not in html and "onerror" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; option" in html  # an option is plain text, escaped
