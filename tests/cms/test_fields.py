"""The sanitised fields (`cms.fields`): whatever path a value takes to the database, in every
language, it is what the allow-list permits; and saving never fills a language from another."""

import pytest
from django.utils import translation

from cms.models import HomePage
from courses.models import CourseIndexPage, CoursePage, ModulePage
from tests.courses.factories import make_course, make_module

pytestmark = pytest.mark.django_db
LANGUAGES = ("en", "fr", "ar")
HOSTILE = '<p onclick="alert(1)">x<script>alert(2)</script><a href="javascript:alert(3)">l</a></p>'
CLEAN = "<p>x<a>l</a></p>"


def rich_text_fields(site):
    course = make_course(slug="sanitised")
    return [
        (HomePage.objects.get(), "body"),
        (CourseIndexPage.objects.get(), "intro"),
        (CoursePage.objects.get(pk=course.pk), "objectives"),
    ]


def test_hostile_rich_text_saved_through_the_orm_is_sanitised_in_every_language(site):
    for page, field in rich_text_fields(site):
        for code in LANGUAGES:
            setattr(page, f"{field}_{code}", HOSTILE)
        page.save()
        stored = (
            type(page)
            .objects.filter(pk=page.pk)
            .values(*(f"{field}_{code}" for code in LANGUAGES))[0]
        )
        assert set(stored.values()) == {CLEAN}, (type(page).__name__, stored)


def test_a_new_revision_holds_the_sanitised_text(site):
    for page, field in rich_text_fields(site):
        setattr(page, f"{field}_ar", HOSTILE)
        revision = page.save_revision()
        assert revision.content[f"{field}_ar"] == CLEAN
        assert getattr(revision.as_object(), f"{field}_ar") == CLEAN


def test_saving_in_a_language_without_text_leaves_that_language_empty(site):
    for page, field in rich_text_fields(site):
        setattr(page, f"{field}_en", "<p>English</p>")
        setattr(page, f"{field}_fr", "")
        with translation.override("fr"):
            page.save()
        page.refresh_from_db()
        assert getattr(page, f"{field}_fr") in ("", None), type(page).__name__
        assert getattr(page, f"{field}_en") == "<p>English</p>"


def test_module_blocks_assigned_as_raw_json_are_cleaned_on_save(site):
    module = make_module(make_course(slug="raw"), slug="raw", blocks=0)
    for code in LANGUAGES:
        setattr(
            module,
            f"body_{code}",
            [
                {"type": "paragraph", "value": HOSTILE},
                {"type": "heading", "value": "<b>Bold</b> heading"},
            ],
        )
    module.save()
    stored = ModulePage.objects.get(pk=module.pk)
    for code in LANGUAGES:
        values = [block["value"] for block in getattr(stored, f"body_{code}").raw_data]
        assert values == [CLEAN, "Bold heading"], code
