import re

import pytest
from django.utils import translation
from wagtail.models import Page

from cms.models import HomePage
from courses.models import ActivityCompletion, CourseIndexPage, CoursePage, ModulePage
from tests.courses.factories import catalogue, make_course, make_module, paragraph_blocks
from tests.factories import LearnerFactory, TrainerFactory

pytestmark = pytest.mark.django_db


def url(page, language):
    with translation.override(language):
        return page.get_url()


@pytest.fixture
def course(site):
    course = make_course(slug="sit")
    make_module(course, slug="first")
    make_module(course, slug="second")
    return course


def first_module(course):
    return ModulePage.objects.child_of(course).order_by("path").first()


def test_page_tree_rules():
    assert CoursePage.allowed_parent_page_models() == [CourseIndexPage]
    assert ModulePage in CoursePage.allowed_subpage_models()
    assert CoursePage not in CoursePage.allowed_subpage_models()
    assert ModulePage.allowed_subpage_models() == []
    assert CourseIndexPage.allowed_parent_page_models() == [HomePage]


def test_module_cannot_be_created_outside_a_course(site):
    assert not ModulePage.can_create_at(site)
    assert not ModulePage.can_create_at(catalogue())
    assert not CoursePage.can_create_at(site)


@pytest.mark.parametrize("path_of", [lambda c: url(c, "fr"), lambda c: url(first_module(c), "ar")])
def test_anonymous_visitors_are_sent_to_sign_in_and_back(client, course, path_of):
    path = path_of(course)
    response = client.get(path)
    assert response.status_code == 302
    assert (
        response["Location"].startswith("/en/account/sign-in/?next=")
        or "sign-in/?next=" in response["Location"]
    )
    assert "next=" in response["Location"]


def test_course_page_shows_statuses_progress_and_continue(client, course, learner):
    client.force_login(learner)
    module = first_module(course)
    client.get(url(module, "en"))
    client.post(f"/en/learning/activities/{module.pk}/complete/")
    body = client.get(url(course, "en")).content.decode()
    assert 'value="50"' in body and "50% complete" in body
    assert "Complete" in body and "Not started" in body
    second = ModulePage.objects.child_of(course).order_by("path").last()
    assert (
        f'href="{url(second, "en")}">Continue' in body.replace("\n", "").replace("  ", "")
        or "Continue" in body
    )


def test_mark_complete_is_post_only_idempotent_and_redirects(client, course, learner):
    client.force_login(learner)
    module = first_module(course)
    endpoint = f"/fr/learning/activities/{module.pk}/complete/"
    assert client.get(endpoint).status_code == 405
    for _ in range(2):
        response = client.post(endpoint)
        assert response.status_code == 302
    assert ActivityCompletion.objects.get(user=learner, activity_id=module.pk).state == "complete"


def test_mark_complete_requires_csrf(course, learner):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    response = strict.post(f"/en/learning/activities/{first_module(course).pk}/complete/")
    assert response.status_code == 403
    assert not ActivityCompletion.objects.filter(state="complete").exists()


def test_learner_cannot_mark_an_unpublished_or_non_module_page(client, course, learner):
    client.force_login(learner)
    draft = make_module(course, slug="draft", live=False)
    assert client.post(f"/en/learning/activities/{draft.pk}/complete/").status_code == 404
    assert client.post(f"/en/learning/activities/{course.pk}/complete/").status_code == 404
    assert client.post("/en/learning/activities/999999/complete/").status_code == 404
    assert not ActivityCompletion.objects.filter(state="complete").exists()


def test_mark_complete_ignores_an_offsite_next(client, course, learner):
    client.force_login(learner)
    module = first_module(course)
    response = client.post(
        f"/en/learning/activities/{module.pk}/complete/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == url(module, "en")


def test_progress_is_the_same_in_every_language(client, course, learner):
    client.force_login(learner)
    module = first_module(course)
    client.get(url(module, "ar"))
    client.post(f"/ar/learning/activities/{module.pk}/complete/")
    for language in ("en", "fr", "ar"):
        assert 'value="50"' in client.get(url(course, language)).content.decode()
        assert 'value="50"' in client.get(f"/{language}/learning/").content.decode()


def test_missing_translation_falls_back_with_a_notice_in_the_reader_language(
    client, course, learner
):
    client.force_login(learner)
    module = make_module(course, slug="partial", body={"en": paragraph_blocks(1, "English only")})
    ar = client.get(url(module, "ar")).content.decode()
    assert "English only" in ar
    assert "لم تُترجم بعد" in ar or "لم يُترجم بعد" in ar
    assert re.search(r'<div class="prose module__body" lang="en" dir="ltr">', ar)
    fr = client.get(url(module, "fr")).content.decode()
    assert "pas encore traduit" in fr
    en = client.get(url(module, "en")).content.decode()
    assert "fallback-notice" not in en


def test_arabic_falls_back_to_french_before_english(client, course, learner):
    client.force_login(learner)
    module = make_module(
        course,
        slug="fr-only",
        body={"en": paragraph_blocks(1, "English"), "fr": paragraph_blocks(1, "Français")},
    )
    ar = client.get(url(module, "ar")).content.decode()
    assert "Français" in ar and 'lang="fr"' in ar


def test_catalogue_lists_courses_with_their_complete_languages(client, course, learner):
    partial = make_course(slug="partial")
    make_module(partial, slug="m", body={"en": paragraph_blocks(1)})
    client.force_login(learner)
    body = client.get(url(catalogue(), "en")).content.decode()
    assert "Course sit" in body and "Course partial" in body
    entries = body.split('class="card"')
    sit = next(e for e in entries if "Course sit" in e)
    part = next(e for e in entries if "Course partial" in e)
    assert 'lang="ar"' in sit and 'lang="fr"' in sit and 'lang="en"' in sit
    assert 'lang="ar"' not in part and 'lang="en"' in part


def test_my_learning_lists_courses_with_progress_and_continue(client, course, learner):
    client.force_login(learner)
    module = first_module(course)
    client.get(url(module, "fr"))
    body = client.get("/fr/learning/").content.decode()
    assert "Cours sit" in body and 'value="0"' in body
    assert url(module, "fr") in body


def test_my_learning_shows_only_my_courses(client, course, learner):
    other = LearnerFactory()
    client.force_login(other)
    client.get(url(first_module(course), "en"))
    client.force_login(learner)
    assert "Course sit" not in client.get("/en/learning/").content.decode()


def test_authored_html_is_sanitised_when_saved_and_rendered(client, course, learner):
    hostile = [{"type": "paragraph", "value": '<p onclick="x()">ok<script>alert(1)</script></p>'}]
    module = make_module(course, slug="hostile", body={"en": hostile, "fr": hostile, "ar": hostile})
    module.refresh_from_db()
    assert "script" not in str(module.body_en.raw_data)
    client.force_login(learner)
    body = client.get(url(module, "en")).content.decode()
    assert "alert(1)" not in body and "onclick" not in body


def test_trainer_sees_translation_coverage_in_the_admin(client, course):
    client.force_login(TrainerFactory())
    response = client.get("/admin/reports/translation-coverage/")
    assert response.status_code == 200
    assert "Course sit" in response.content.decode()


def test_trainer_can_edit_course_pages_in_the_admin(client, course):
    client.force_login(TrainerFactory())
    assert client.get(f"/admin/pages/{course.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/add/courses/modulepage/{course.pk}/").status_code == 200
    home = HomePage.objects.get()
    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code in (302, 403)


def test_admin_refuses_wrong_nesting(client, course):
    client.force_login(TrainerFactory())
    module = first_module(course)
    assert client.get(f"/admin/pages/add/courses/modulepage/{course.pk}/").status_code == 200
    for parent in (module, catalogue()):
        response = client.get(f"/admin/pages/add/courses/modulepage/{parent.pk}/")
        assert response.status_code in (302, 403), parent
    response = client.get(f"/admin/pages/add/courses/coursepage/{course.pk}/")
    assert response.status_code in (302, 403)


@pytest.mark.parametrize(("blocks", "activities"), [(5, 3), (50, 3), (5, 20)])
def test_module_page_queries_do_not_grow(
    client, site, learner, django_assert_max_num_queries, blocks, activities
):
    course = make_course(slug=f"q{blocks}-{activities}")
    for i in range(activities):
        make_module(course, slug=f"m{i}", blocks=blocks)
    module = first_module(course)
    client.force_login(learner)
    client.get(url(module, "ar"))  # first visit creates the enrolment
    with django_assert_max_num_queries(12):
        response = client.get(url(module, "ar"))
    assert response.status_code == 200


def test_a_view_restriction_added_later_is_enforced_at_once(client, course, learner):
    from wagtail.models import PageViewRestriction

    client.force_login(learner)
    module = first_module(course)
    assert client.get(url(module, "en")).status_code == 200
    PageViewRestriction.objects.create(
        page=Page.objects.get(pk=course.pk), restriction_type=PageViewRestriction.GROUPS
    )
    assert client.get(url(module, "en")).status_code != 200
