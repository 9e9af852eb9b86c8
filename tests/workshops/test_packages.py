"""tadrib.workshop/1: export, import, all-or-nothing validation naming each place."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.courses.factories import make_course
from tests.factories import LearnerFactory
from tests.quizzes.factories import make_quiz
from workshops.models import Workshop, WorkshopCourse

from .factories import add_participants, make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(site):
    workshop = make_workshop(
        slug="src",
        pre_test=make_quiz(slug="pre-q", required=False),
        post_test=make_quiz(slug="post-q", required=False),
        venue_country="MA",
        mode="in_person",
    )
    WorkshopCourse.objects.create(
        workshop=workshop, course=make_course(slug="prep"), due_days_after_end=14
    )
    add_participants(workshop, [LearnerFactory(username="secret-person")])
    return workshop


def export(slug, tmp_path):
    path = tmp_path / "w.json"
    call_command("export_workshop", slug, str(path), stdout=io.StringIO())
    return json.loads(path.read_text(encoding="utf-8"))


def run_import(tmp_path, data):
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    err = io.StringIO()
    try:
        call_command("import_workshop", str(path), stdout=io.StringIO(), stderr=err)
    except CommandError as error:
        return err.getvalue() + str(error)
    return ""


def test_round_trip_without_personal_data(source, tmp_path):
    data = export("src", tmp_path)
    assert data["format"] == "tadrib.workshop/1"
    assert "secret-person" not in json.dumps(data)
    assert data["pre_test"] == "pre-q" and data["courses"][0]["course"] == "prep"
    data["slug"] = "copy"
    assert run_import(tmp_path, data) == ""
    copy = Workshop.objects.get(slug="copy")
    assert copy.title_ar == source.title_ar
    assert copy.sessions.count() == source.sessions.count() == 4
    assert list(copy.sessions.values_list("topic_fr", flat=True)) == list(
        source.sessions.values_list("topic_fr", flat=True)
    )
    assert copy.courses.get().due_days_after_end == 14
    assert copy.participants.count() == 0
    assert copy.venue_country == "MA" and copy.pre_test_id == source.pre_test_id


def test_every_problem_is_named_and_nothing_written(source, tmp_path):
    data = export("src", tmp_path)
    data.update(slug="src", pre_test="missing-quiz", time_zone="Mars/Olympus", colour="red")
    data["courses"].append({"course": "prep"})
    data["sessions"][1]["end_time"] = "08:00"
    data["sessions"][2]["date"] = "2026-13-01"
    before = Workshop.objects.count()
    errors = run_import(tmp_path, data)
    for expected in (
        "slug: a workshop with the slug 'src' exists already",
        "pre_test: no quiz with the slug 'missing-quiz'",
        "time_zone:",
        "colour: unknown key",
        "courses[1].course: already listed at courses[0]",
        "sessions[1].end_time: must be after start_time",
        "sessions[2].date: expected a date written YYYY-MM-DD",
        "refused, 7 problem(s); nothing was imported.",
    ):
        assert expected in errors
    assert Workshop.objects.count() == before


def test_description_is_sanitised(source, tmp_path):
    data = export("src", tmp_path)
    data["slug"] = "clean"
    data["description"] = {"en": "<p>Hi</p><script>alert(1)</script>"}
    assert run_import(tmp_path, data) == ""
    assert "script" not in Workshop.objects.get(slug="clean").description_en


def test_the_workshops_surveys_round_trip_and_are_checked(source, tmp_path):
    from tests.surveys.factories import make_survey

    course = make_course(slug="evidence")
    source.needs_survey = make_survey(course, slug="needs-s", required=False)
    source.evaluation_survey = make_survey(course, slug="evaluation-s", required=False)
    source.save()
    data = export("src", tmp_path)
    assert (data["needs_survey"], data["evaluation_survey"]) == ("needs-s", "evaluation-s")
    data["slug"] = "copy"
    assert run_import(tmp_path, data) == ""
    copy = Workshop.objects.get(slug="copy")
    assert (copy.needs_survey_id, copy.evaluation_survey_id) == (
        source.needs_survey_id,
        source.evaluation_survey_id,
    )
    data.update(slug="bad", needs_survey="nope", evaluation_survey="evaluation-s")
    assert "needs_survey: no survey with the slug 'nope'" in run_import(tmp_path, data)
    data.update(needs_survey="evaluation-s")
    assert "evaluation_survey: must be another survey than needs_survey" in run_import(
        tmp_path, data
    )
    assert not Workshop.objects.filter(slug="bad").exists()
