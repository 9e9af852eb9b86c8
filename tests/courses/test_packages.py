import copy
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page

from courses import services
from courses.models import ActivityCompletion, CoursePage, ModulePage
from courses.packages import (
    PackageError,
    course_export,
    package_problems,
    package_read,
    package_write,
)
from tests.factories import LearnerFactory

from .packages import T, minimal, write

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "courses" / "demo"


def db_snapshot():
    return (Page.objects.count(), get_image_model().objects.count())


def refused(tmp_path, path):
    before = db_snapshot()
    with pytest.raises(CommandError) as error:
        call_command("import_course", str(path), stderr=io.StringIO())
    assert db_snapshot() == before
    return error


def problems_of(data, media=frozenset()):
    return package_problems(data, frozenset(media))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"format": "tadrib.course/2"}, "format: expected 'tadrib.course/1'"),
        ({"title": None}, "title: missing"),
        ({"title": {"fr": "Sans anglais"}}, "title.en: English text is required"),
        ({"title": "plain"}, "title: expected an object with en, fr, ar texts"),
        ({"estimated_minutes": "ninety"}, "estimated_minutes: expected a whole number"),
        ({"slug": "Not a slug!"}, "slug: not a valid slug"),
        ({"activities": []}, "activities: expected a non-empty list"),
    ],
)
def test_bad_course_fields_are_refused_with_their_place(site, change, expected):
    problems = problems_of(minimal(**change))
    assert any(p.startswith(expected) for p in problems), problems


def test_unknown_block_and_activity_types_and_duplicate_slugs_are_all_reported_together(site):
    data = minimal()
    data["activities"].append(copy.deepcopy(data["activities"][0]))
    data["activities"][0]["body"]["en"].append({"type": "iframe", "value": "x"})
    data["activities"].append({"type": "forum", "slug": "s", "title": T})
    problems = problems_of(data)
    assert "activities[0].body.en[1].type: unknown block type 'iframe'" in problems
    assert "activities[1].slug: duplicate of activities[0].slug 'one'" in problems
    assert "activities[2].type: unknown activity type 'forum'" in problems


def test_quiz_question_without_a_correct_answer_is_refused(site):
    data = minimal()
    data["activities"].append(
        {
            "type": "quiz", "slug": "check", "title": T, "pass_mark": 70, "max_attempts": 3,
            "grading": "highest", "time_limit_minutes": 0, "shuffle": False,
            "questions": [
                {"type": "single", "marks": 1, "text": T,
                 "choices": [{"text": T, "correct": False}, {"text": T, "correct": False}]}
            ],
        }
    )  # fmt: skip
    problems = problems_of(data)
    assert any(
        p.startswith("activities[1].questions[0].choices") and "correct" in p for p in problems
    ), problems


def test_invalid_json_is_refused_with_its_position(site, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "tadrib.course/1", "slug": ', encoding="utf-8")
    error = refused(tmp_path, path)
    assert "refused" in str(error.value)
    with pytest.raises(PackageError, match="invalid JSON at line 1"):
        package_read(path)


def test_a_refused_package_writes_nothing(site, tmp_path):
    data = minimal()
    data["activities"].append({"type": "module", "slug": "two", "title": {"fr": "x"}, "body": {}})
    refused(tmp_path, write(tmp_path, data))
    assert not CoursePage.objects.exists()


@pytest.mark.parametrize("entry", ["../evil.txt", "/etc/passwd", "media/../../evil", "C:/x"])
def test_zip_entries_escaping_the_package_are_refused(site, tmp_path, entry):
    path = tmp_path / "slip.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("course.json", json.dumps(minimal()))
        archive.writestr(entry, "x")
    with pytest.raises(PackageError) as error:
        package_read(path)
    assert error.value.problems == [f"zip: entry {entry!r} escapes the package folder"]
    refused(tmp_path, path)


def test_file_over_the_size_limit_is_refused(site, tmp_path, monkeypatch):
    monkeypatch.setattr("courses.packages.archive.MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("course.json", json.dumps(minimal()))
        archive.writestr("media/big.png", b"0" * 5000)
    with pytest.raises(PackageError, match="larger than the"):
        package_read(path)


def test_missing_media_file_is_refused(site):
    data = minimal()
    data["activities"][0]["body"]["en"].append(
        {"type": "image", "value": {"image": "media/missing.png", "alt": "A chart", "caption": ""}}
    )
    assert problems_of(data) == [
        "activities[0].body.en[1].value.image: file 'media/missing.png' is not in the package"
    ]


HOSTILE = '<p onclick="alert(1)">x<script>alert(2)</script><a href="javascript:alert(3)">l</a></p>'


def test_hostile_html_in_every_text_field_comes_out_sanitised(site, client, tmp_path):
    hostile = {"en": HOSTILE, "fr": HOSTILE, "ar": HOSTILE}
    data = minimal(title=hostile, summary=hostile, objectives=hostile, audience=hostile)
    block_values = [
        {"type": "heading", "value": HOSTILE},
        {"type": "paragraph", "value": HOSTILE},
        {"type": "callout", "value": {"kind": "note", "title": HOSTILE, "body": HOSTILE}},
        {"type": "case_study", "value": {"title": HOSTILE, "scenario": HOSTILE, "prompts": [HOSTILE]}},  # noqa: E501
        {"type": "legal_reference", "value": {"instrument": HOSTILE, "provision": HOSTILE, "url": "", "summary": HOSTILE}},  # noqa: E501
        {"type": "glossary_term", "value": {"term_en": HOSTILE, "term_fr": HOSTILE, "term_ar": HOSTILE, "definition": HOSTILE}},  # noqa: E501
    ]  # fmt: skip
    data["activities"][0]["title"] = hostile
    data["activities"][0]["body"] = {"en": block_values, "fr": block_values, "ar": block_values}
    course = services.course_import(data=data)
    learner = LearnerFactory()
    client.force_login(learner)
    module = ModulePage.objects.get()
    for language in ("en", "fr", "ar"):
        for page in (course, module):
            from django.utils import translation

            with translation.override(language):
                html = client.get(page.get_url()).content.decode()
            assert "<script>alert" not in html and "onclick" not in html
            assert "javascript:" not in html
    exported, _media = course_export(course)
    dumped = json.dumps(exported)
    assert "<script" not in dumped and "onclick" not in dumped and "javascript:" not in dumped


@pytest.mark.parametrize("name", sorted(p.stem for p in DEMO.glob("*.json")))
def test_demo_course_round_trips_exactly(site, tmp_path, name):
    original = json.loads((DEMO / f"{name}.json").read_text(encoding="utf-8"))
    call_command("import_course", str(DEMO / f"{name}.json"), stdout=io.StringIO())
    first = tmp_path / "first.json"
    call_command("export_course", name, str(first), stdout=io.StringIO())
    assert json.loads(first.read_text(encoding="utf-8")) == original
    # Into an empty site, then export again: the same JSON.
    Page.objects.get(pk=CoursePage.objects.get(slug_en=name).pk).delete()
    call_command("import_course", str(first), stdout=io.StringIO())
    second = tmp_path / "second.json"
    call_command("export_course", name, str(second), stdout=io.StringIO())
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")


def test_zip_package_carries_its_images(site, tmp_path):
    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 10), "teal").save(buffer, "PNG")
    data = minimal()
    data["activities"][0]["body"]["en"].append(
        {
            "type": "image",
            "value": {"image": "media/chart.png", "alt": "A chart", "caption": "Fig. 1"},
        }
    )
    path = tmp_path / "course.zip"
    package_write(path, data, {"media/chart.png": buffer.getvalue()})
    call_command("import_course", str(path), stdout=io.StringIO())
    image = get_image_model().objects.get()
    assert (image.width, image.height) == (20, 10)
    exported, media = course_export(CoursePage.objects.get())
    block = exported["activities"][0]["body"]["en"][1]["value"]
    assert block["image"] in media and media[block["image"]] == buffer.getvalue()
    with pytest.raises(PackageError, match=r"export it as a \.zip"):
        package_write(tmp_path / "x.json", exported, media)


def test_replace_keeps_progress_on_activities_that_remain(site, tmp_path):
    data = minimal()
    data["activities"].append(
        {
            "type": "module",
            "slug": "two",
            "title": T,
            "body": {"en": [{"type": "paragraph", "value": "<p>2</p>"}]},
        }
    )
    course = services.course_import(data=data)
    learner = LearnerFactory()
    one, two = ModulePage.objects.child_of(course).order_by("path")
    services.activity_complete(user=learner, activity=one)
    services.activity_complete(user=learner, activity=two)

    data["title"]["en"] = "Mini course, second edition"
    data["activities"][0]["body"]["en"] = [{"type": "paragraph", "value": "<p>Rewritten</p>"}]
    data["activities"][1]["slug"] = "three"  # "two" disappears
    call_command("import_course", str(write(tmp_path, data)), "--replace", stdout=io.StringIO())

    course.refresh_from_db()
    assert course.title_en == "Mini course, second edition"
    pages = list(ModulePage.objects.child_of(course).order_by("path"))
    assert [p.slug_en for p in pages] == ["one", "three"]
    assert pages[0].pk == one.pk and "Rewritten" in str(pages[0].body_en.raw_data)
    kept = ActivityCompletion.objects.filter(user=learner)
    assert list(kept.values_list("activity_id", "state")) == [(one.pk, "complete")]


def test_import_without_replace_refuses_an_existing_slug(site, tmp_path):
    path = write(tmp_path, minimal())
    call_command("import_course", str(path), stdout=io.StringIO())
    error = refused(tmp_path, path)
    assert "refused" in str(error.value)


def test_trainer_imports_a_course_in_the_admin_and_sees_problems(site, client, tmp_path):
    from tests.factories import LearnerFactory, TrainerFactory

    client.force_login(TrainerFactory())
    bad = minimal(title={"fr": "x"})
    response = client.post(
        "/admin/courses/import/",
        {"file": io.BytesIO(json.dumps(bad).encode())},
    )
    assert response.status_code == 200
    assert "title.en: English text is required" in response.content.decode()
    assert not CoursePage.objects.exists()
    upload = io.BytesIO(json.dumps(minimal()).encode())
    upload.name = "course.json"
    response = client.post("/admin/courses/import/", {"file": upload})
    assert response.status_code == 302
    assert CoursePage.objects.get().title_en == "Mini course"
    client.force_login(LearnerFactory())
    assert client.get("/admin/courses/import/").status_code in (302, 403)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"nominal_hours": "twelve"}, "nominal_hours: expected a number of hours"),
        ({"nominal_hours": 12.25}, "nominal_hours: at most one decimal"),
        ({"nominal_hours": -1}, "nominal_hours: must be between 0 and 9999.9"),
        ({"validity_months": 0}, "validity_months: must be between 1 and 600"),
        ({"refresher_course": "Not a slug"}, "refresher_course: not a valid slug"),
        ({"substantially_changed_on": "1/12/2026"}, "substantially_changed_on: expected a date"),
    ],
)
def test_bad_certificate_keys_are_refused_with_their_place(site, change, expected):
    problems = problems_of(minimal(**change))
    assert any(p.startswith(expected) for p in problems), problems


def test_certificate_keys_round_trip_and_name_a_refresher_by_slug(site, tmp_path):
    services.course_import(data=minimal(slug="basics"))
    data = minimal(
        slug="advanced",
        nominal_hours=7.5,
        validity_months=24,
        refresher_course="basics",
        substantially_changed_on="2026-11-30",
    )
    course = services.course_import(data=data)
    course.refresh_from_db()
    assert str(course.nominal_hours) == "7.5" and course.validity_months == 24
    assert course.refresher_course.slug_en == "basics"
    assert str(course.substantially_changed_on) == "2026-11-30"
    exported, _media = course_export(course)
    assert {k: exported[k] for k in data if k != "activities"} == {
        k: v for k, v in data.items() if k != "activities"
    }


def test_a_refresher_that_is_not_on_the_platform_is_refused_and_nothing_written(site):
    before = db_snapshot()
    with pytest.raises(PackageError) as error:
        services.course_import(data=minimal(slug="advanced", refresher_course="missing"))
    assert error.value.problems == [
        "refresher_course: no course with the slug 'missing' (import that course first)"
    ]
    assert db_snapshot() == before


def test_a_course_may_be_its_own_refresher(site):
    course = services.course_import(data=minimal(slug="basics", refresher_course="basics"))
    course.refresh_from_db()
    assert course.refresher_course_id == course.pk
