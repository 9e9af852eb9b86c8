"""Importing packages through the paths trainers take (the command, `manage.py` itself, the
admin's upload): whatever refuses to be written is a problem with its place, nothing is
half-written, never a traceback or a 500; `--replace` updates modules in place."""

import copy
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page

from cms.services import user_set_preferred_language
from courses import services
from courses.models import ActivityCompletion, CoursePage, ModulePage
from courses.packages import PackageError, course_export, package_read, package_write
from courses.packages.modules import ModuleHandler
from tests.factories import LearnerFactory, TrainerFactory
from tests.migrated import migrated_sqlite
from tests.quizzes.factories import question_data

from .factories import make_course
from .packages import minimal, module, upload, write

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
IMPORT_URL = "/admin/courses/import/"


def snapshot():
    return (
        Page.objects.count(),
        get_image_model().objects.count(),
        sorted(Page.objects.values_list("title_en", flat=True)),
    )


def command_problems(path, *args) -> list[str]:
    """Run `import_course`, expect a refusal that writes nothing; return what it printed."""
    before = snapshot()
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="refused"):
        call_command("import_course", str(path), *args, stderr=stderr, stdout=io.StringIO())
    assert snapshot() == before
    return stderr.getvalue().splitlines()


def admin_problems(client, data, *, replace=False, name="course.json") -> str:
    """Upload in the admin, expect the form again (200) with the problems; nothing written."""
    before = snapshot()
    form = {"file": upload(data, name)}
    if replace:
        form["replace"] = "on"
    response = client.post(IMPORT_URL, form)
    assert response.status_code == 200
    assert snapshot() == before
    return response.content.decode()


@pytest.fixture
def trainer_client(client, site):
    client.force_login(TrainerFactory())
    return client


def course_with_french_slug(slug: str):
    """Another course whose French slug is `slug` (a trainer set it in the admin)."""
    other = make_course(slug="other-course")
    other.slug_fr = slug
    other.save_revision().publish()
    return other


# --- a slug another page already uses, in one of the languages ------------------------------


def test_a_course_slug_used_in_french_by_another_course_is_a_problem_at_slug(site, tmp_path):
    course_with_french_slug("mini")
    problems = command_problems(write(tmp_path, minimal()))
    assert problems == ["slug: This slug is already in use (in fr, ar)"]


def test_an_activity_slug_used_in_french_by_a_sibling_is_refused_on_replace(site, tmp_path):
    services.course_import(data=minimal())
    existing = ModulePage.objects.get()
    existing.slug_fr = "two"
    existing.save_revision().publish()
    data = minimal()
    data["title"]["en"] = "Changed title"
    data["activities"].append(module("two"))
    problems = command_problems(write(tmp_path, data), "--replace")
    assert problems == ["activities[1].slug: This slug is already in use (in fr, ar)"]
    assert CoursePage.objects.get().title_en == "Mini course"


def test_the_admin_shows_a_translated_slug_clash_in_the_trainers_language(trainer_client):
    course_with_french_slug("mini")
    trainer = TrainerFactory(username="formatrice")
    user_set_preferred_language(user=trainer, language="fr")
    trainer_client.force_login(trainer)
    html = admin_problems(trainer_client, minimal())
    assert "Le paquet a été refusé" in html
    assert "slug: This slug is already in use (in fr, ar)" in html


def test_manage_py_prints_the_problems_and_exits_non_zero_without_a_traceback(tmp_path):
    """The command as an operator runs it, in a process and a database of its own."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("REDIS_URL", None)

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    migrated_sqlite(tmp_path / "db.sqlite3", env)
    assert manage("setup_site", "-v", "0").returncode == 0
    first = minimal(slug="first")
    assert manage("import_course", str(write(tmp_path, first, "first.json"))).returncode == 0
    script = (
        "from courses.models import CoursePage; c = CoursePage.objects.get(slug_en='first');"
        "c.slug_fr = 'mini'; c.save_revision().publish()"
    )
    assert manage("shell", "-c", script).returncode == 0
    result = manage("import_course", str(write(tmp_path, minimal())))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "slug: This slug is already in use (in fr, ar)" in result.stderr
    assert "nothing was imported" in result.stderr


# --- values the page models refuse --------------------------------------------------------


def test_a_title_longer_than_a_page_title_is_refused_before_anything_is_written(site, tmp_path):
    data = minimal(title={"en": "x" * 256})
    data["activities"][0]["title"] = {"en": "Module", "ar": "ع" * 300}
    assert command_problems(write(tmp_path, data)) == [
        "title.en: longer than 255 characters",
        "activities[0].title.ar: longer than 255 characters",
    ]


def test_a_summary_longer_than_the_field_is_refused(site, tmp_path):
    data = minimal(summary={"en": "s" * 601}, audience={"en": "a" * 301})
    assert command_problems(write(tmp_path, data)) == [
        "summary.en: longer than 600 characters",
        "audience.en: longer than 300 characters",
    ]


# --- the database or the storage refusing ---------------------------------------------------


def image_package(tmp_path):
    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 10), "teal").save(buffer, "PNG")
    data = minimal()
    data["activities"].append(module("two"))
    data["activities"][1]["body"]["en"].append(
        {"type": "image", "value": {"image": "media/chart.png", "alt": "A chart", "caption": ""}}
    )
    path = tmp_path / "course.zip"
    package_write(path, data, {"media/chart.png": buffer.getvalue()})
    return path


def test_a_file_the_storage_refuses_is_a_problem_at_its_block(site, tmp_path, monkeypatch):
    def refuse(self, name, content):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(FileSystemStorage, "_save", refuse)
    problems = command_problems(image_package(tmp_path))
    assert problems == [
        "activities[1].body.en[1].value.image: the file 'media/chart.png' could not be stored "
        "(Permission denied)"
    ]


def test_files_stored_before_a_refusal_are_removed(site, tmp_path, monkeypatch):
    stored = []
    original_save = FileSystemStorage._save
    original_create = ModuleHandler.create

    def remember(self, name, content):
        stored.append((self, original_save(self, name, content)))
        return stored[-1][1]

    def create(self, *, course, data, media):
        if data["slug"] == "three":
            raise IntegrityError("UNIQUE constraint failed")
        return original_create(self, course=course, data=data, media=media)

    monkeypatch.setattr(FileSystemStorage, "_save", remember)
    monkeypatch.setattr(ModuleHandler, "create", create)
    data, media = package_read(image_package(tmp_path))
    data["activities"].append(module("three"))
    with pytest.raises(PackageError) as error:
        services.course_import(data=data, media=media)
    assert error.value.problems == [
        "activities[2]: the database refused the change (UNIQUE constraint failed)"
    ]
    assert stored and not any(storage.exists(name) for storage, name in stored)
    assert not CoursePage.objects.exists()


def test_a_database_refusal_in_the_admin_re_shows_the_form(trainer_client, monkeypatch):
    def refuse(self, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: wagtailcore_page.path")

    monkeypatch.setattr(ModuleHandler, "create", refuse)
    html = admin_problems(trainer_client, minimal())
    assert "activities[0]: the database refused the change" in html


# --- damaged files ----------------------------------------------------------------------------


def test_a_damaged_zip_entry_is_refused(site, tmp_path):
    path = tmp_path / "damaged.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("course.json", json.dumps(minimal()))
        archive.writestr("media/notes.pdf", b"%PDF-1.4 " + b"x" * 200)
    raw = bytearray(path.read_bytes())
    offset = raw.index(b"%PDF-1.4 ") + 20
    raw[offset] ^= 0xFF  # the CRC no longer matches
    path.write_bytes(bytes(raw))
    problems = command_problems(path)
    assert len(problems) == 1 and problems[0].startswith("package: the zip file cannot be read")


def test_an_image_with_too_many_pixels_is_refused(site, tmp_path, monkeypatch):
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", 50)
    assert command_problems(image_package(tmp_path)) == [
        "zip: 'media/chart.png' has too many pixels to be an image for the web"
    ]


def test_a_folder_instead_of_a_file_is_refused(site, tmp_path):
    assert command_problems(tmp_path) == [
        f"package: cannot be read ({os.strerror(21)})",
    ]


# --- replace, module by module ----------------------------------------------------------------


def three_modules():
    return minimal(activities=[module("one", "1"), module("two", "2"), module("three", "3")])


def replace_with(client, data):
    form = {"file": upload(data), "replace": "on"}
    response = client.post(IMPORT_URL, form)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_replace_updates_modules_in_place_in_the_packages_order(site, tmp_path):
    course = services.course_import(data=three_modules())
    one, two, three = ModulePage.objects.child_of(course).order_by("path")
    learner = LearnerFactory()
    services.activity_complete(user=learner, activity=one)
    services.activity_complete(user=learner, activity=three)

    data = three_modules()
    data["activities"] = [
        module("three", "3 rewritten", required=False),
        module("four", "4"),
        module("one", "1"),
    ]
    call_command("import_course", str(write(tmp_path, data)), "--replace", stdout=io.StringIO())

    pages = list(ModulePage.objects.child_of(course).order_by("path"))
    assert [p.slug_en for p in pages] == ["three", "four", "one"]
    assert pages[0].pk == three.pk and pages[2].pk == one.pk
    assert pages[0].required is False and "3 rewritten" in str(pages[0].body_en.raw_data)
    assert not ModulePage.objects.filter(pk=two.pk).exists()
    kept = ActivityCompletion.objects.filter(user=learner).order_by("activity_id")
    assert list(kept.values_list("activity_id", "state")) == [
        (one.pk, "complete"),
        (three.pk, "complete"),
    ]
    # Learners' URLs follow the pages, in every language.
    assert all(p.url_path_en.endswith(f"/mini/{p.slug_en}/") for p in pages)


def test_replace_twice_in_the_admin_gives_equal_exports(trainer_client):
    data = three_modules()
    course = services.course_import(data=data)
    learner = LearnerFactory()
    first = ModulePage.objects.child_of(course).order_by("path").first()
    services.activity_complete(user=learner, activity=first)
    changed = copy.deepcopy(data)
    changed["activities"].reverse()
    changed["title"]["ar"] = "دورة قصيرة"

    replace_with(trainer_client, changed)
    once, _media = course_export(CoursePage.objects.get())
    replace_with(trainer_client, changed)
    twice, _media = course_export(CoursePage.objects.get())

    assert once == twice
    assert (
        once["activities"] == [{**a, "estimated_minutes": 15} for a in changed["activities"]]
        and once["title"] == changed["title"]
    )
    assert ModulePage.objects.count() == 3
    assert ActivityCompletion.objects.get(user=learner).activity_id == first.pk


def test_replace_with_another_type_under_an_old_slug_replaces_the_activity(site):
    course = services.course_import(data=three_modules())
    two = ModulePage.objects.child_of(course).get(slug_en="two")
    data = three_modules()
    data["activities"][1] = {
        "type": "quiz",
        "slug": "two",
        "title": {"en": "Check"},
        "questions": [question_data("single")],
    }
    services.course_import(data=data, replace=True)
    children = [p.specific for p in course.get_children()]
    assert [(type(p).__name__, p.slug_en) for p in children] == [
        ("ModulePage", "one"),
        ("QuizPage", "two"),
        ("ModulePage", "three"),
    ]
    assert not Page.objects.filter(pk=two.pk).exists()
