"""Trainers' page editors in the admin, through the pages a trainer opens and the forms they
post: activities in course order and where the trainer puts them, the learners a required
activity affects, drafts left by autosave and the address clashes they caused, the direction
of every language's fields, missing translations before publishing, fallback text's language.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page
from wagtail.test.utils.form_data import querydict_from_html

from cms.services import user_set_preferred_language
from courses import services
from courses.models import ModulePage
from tests.factories import LearnerFactory, TrainerFactory
from tests.quizzes.factories import make_quiz

from .factories import make_course, make_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(site):
    return make_course(slug="evidence")


@pytest.fixture
def trainer(client, site):
    trainer = TrainerFactory(username="formatrice")
    user_set_preferred_language(user=trainer, language="fr")
    client.force_login(trainer)
    return trainer


def add_url(course, model="modulepage"):
    return reverse("wagtailadmin_pages:add", args=["courses", model, course.pk])


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def form_data(client, url, **values):
    """What the editor at `url` would post with `values` typed in."""
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    for name, value in values.items():
        data[name] = value
    return data


def new_module(client, course, title, **values):
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    # A browser sends "on" for a ticked box without a value; the form parser sends "".
    return form_data(
        client,
        add_url(course),
        title_en=title,
        slug_en=slug,
        required="on",
        **{"body_en-count": "0", "body_fr-count": "0", "body_ar-count": "0"},
        **values,
    )


def children(course):
    return [p.title_en for p in Page.objects.get(pk=course.pk).get_children()]


def messages_in(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- the order of activities ------------------------------------------------------------------


def test_the_explorer_lists_a_courses_activities_in_course_order(client, trainer, course):
    for slug in ("first", "second", "third"):
        make_module(course, slug=slug)
    second = ModulePage.objects.get(slug_en="second")
    second.save_revision().publish()  # the most recently edited, once listed first
    html = client.get(reverse("wagtailadmin_explore", args=[course.pk])).content.decode()
    positions = [html.index(f"Module {slug}") for slug in ("first", "second", "third")]
    assert positions == sorted(positions)


def test_a_module_added_after_the_final_quiz_goes_where_the_trainer_chooses(
    client, trainer, course
):
    intro = make_module(course, slug="intro")
    make_quiz(course, slug="final-quiz")
    html = client.get(add_url(course)).content.decode()
    # The default is said in words: the end of the course, after the quiz.
    assert re.search(r'<option value="\d+" selected>Après « Quiz', html) or re.search(
        r'<option value="\d+" selected>After “Quiz', html
    ), re.findall(r"<option[^>]*>[^<]*", html)
    data = new_module(client, course, "Cross-border requests", place_after=str(intro.pk))
    data["action-publish"] = "action-publish"
    response = client.post(add_url(course), data)
    assert response.status_code == 302, response.context["form"].errors
    assert children(course) == ["Module intro", "Cross-border requests", "Quiz final-quiz"]


EMPTY_BODIES = {"body_en-count": "0", "body_fr-count": "0", "body_ar-count": "0"}


def test_an_activity_moves_when_its_position_is_changed_in_the_editor(client, trainer, course):
    first, _second, third = (
        make_module(course, slug=s, blocks=0) for s in ("first", "second", "third")
    )
    data = form_data(client, edit_url(third), place_after="start", **EMPTY_BODIES)
    assert client.post(edit_url(third), data).status_code == 302
    assert children(course) == ["Module third", "Module first", "Module second"]
    # Saving again without changing the position leaves the order alone.
    data = form_data(client, edit_url(first), **EMPTY_BODIES)
    assert client.post(edit_url(first), data).status_code == 302
    assert children(course) == ["Module third", "Module first", "Module second"]


# --- learners whose progress a required activity changes ------------------------------------


def test_adding_a_required_activity_says_how_many_enrolled_learners_it_affects(
    client, trainer, course
):
    make_module(course, slug="intro")
    for learner in (LearnerFactory(), LearnerFactory()):
        services.enrolment_ensure(user=learner, course=course)
    response = client.get(add_url(course))
    assert any("2 apprenants sont déjà inscrits" in m for m in messages_in(response))
    data = new_module(client, course, "New module")
    data["action-publish"] = "action-publish"
    response = client.post(add_url(course), data, follow=True)
    assert any(
        "compte désormais dans la progression des 2 apprenants" in m for m in messages_in(response)
    ), messages_in(response)


def test_an_optional_activity_or_an_empty_course_says_nothing(client, trainer, course):
    response = client.get(add_url(course))
    assert not any("inscrit" in m for m in messages_in(response))
    services.enrolment_ensure(user=LearnerFactory(), course=course)
    data = new_module(client, course, "Optional reading")
    data.pop("required", None)
    data["action-publish"] = "action-publish"
    response = client.post(add_url(course), data, follow=True)
    assert not any("progression" in m for m in messages_in(response))


# --- drafts left by autosave, and the address clash on a retry -------------------------------


def test_a_draft_left_by_autosave_is_offered_and_a_retry_says_why_it_clashes(
    client, trainer, course
):
    data = new_module(client, course, "Preservation requests")
    autosave = client.post(add_url(course), data, HTTP_ACCEPT="application/json")
    assert autosave.json()["success"] is True
    draft = ModulePage.objects.get(title_en="Preservation requests")
    assert not draft.live

    # The trainer comes back to "add a page": the draft is offered first.
    response = client.get(add_url(course))
    notices = messages_in(response)
    assert any("« Preservation requests »" in m and "brouillon" in m for m in notices), notices
    assert edit_url(draft) in response.content.decode()

    # Starting again anyway: the title itself says which page has the address, in French.
    response = client.post(add_url(course), new_module(client, course, "Preservation requests"))
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["title_en"]] == [
        "slug_in_use"
    ]
    html = response.content.decode()
    assert "même adresse que le brouillon non publié « Preservation requests »" in html
    assert "This slug is already in use" not in html
    assert "Ce slug est déjà utilisé" in html


# --- the direction of each language's fields -------------------------------------------------


def widget_attrs(html: str, name: str) -> str:
    match = re.search(rf'<(?:input|textarea|select)\b[^>]*\bname="{re.escape(name)}"[^>]*>', html)
    assert match, f"no widget named {name}"
    return match.group(0)


def assert_directions(html: str, base: str):
    assert 'dir="rtl"' in widget_attrs(html, f"{base}_ar")
    assert 'lang="ar"' in widget_attrs(html, f"{base}_ar")
    for code in ("fr", "en"):
        assert 'dir="ltr"' in widget_attrs(html, f"{base}_{code}")
        assert f'lang="{code}"' in widget_attrs(html, f"{base}_{code}")


def test_every_languages_fields_have_its_direction_in_a_page_editor(client, trainer, course):
    module = make_module(course, slug="m")
    for url in (edit_url(module), add_url(course), edit_url(course)):
        html = client.get(url).content.decode()
        assert_directions(html, "title")
    assert_directions(client.get(edit_url(course)).content.decode(), "summary")


def test_every_languages_fields_have_its_direction_in_a_snippet_and_the_question_editor(
    admin_client, course
):
    html = admin_client.get(reverse("wagtailsnippets_quizzes_questioncategory:add")).content
    assert_directions(html.decode(), "name")
    quiz = make_quiz(course, slug="check")
    question = quiz.quiz_questions.first().question
    html = admin_client.get(
        reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk])
    ).content.decode()
    for inline in ("choices", "pairs", "items"):
        assert re.search(rf'name="{inline}-__prefix__-\w+_ar"[^>]*dir="rtl"', html) or re.search(
            rf'dir="rtl"[^>]*name="{inline}-__prefix__-\w+_ar"', html
        ), inline
    first_choice = next(name for name in re.findall(r'name="(choices-0-text_ar)"', html))
    assert 'dir="rtl"' in widget_attrs(html, first_choice)
    assert 'dir="ltr"' in widget_attrs(html, "choices-0-text_fr")


# --- strings the French and Arabic admin showed in English ------------------------------------


@pytest.mark.parametrize(("language", "password"), [("fr", "Mot de passe"), ("ar", "كلمة المرور")])
def test_the_admin_sign_in_labels_the_password_in_the_readers_language(
    client, site, language, password
):
    html = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert re.search(rf"<label[^>]*>\s*{password}", html)
    assert not re.search(r"<label[^>]*>\s*Password", html)


def test_the_question_bank_speaks_the_trainers_language(client, trainer, course):
    make_quiz(course, slug="check")
    for url in (
        reverse("wagtailsnippets_quizzes_question:list"),
        reverse("wagtailsnippets_quizzes_question:add"),
        edit_url(course),
    ):
        html = client.get(url).content.decode()
        assert not re.search(r">\s*Home\s*<", html), url
        assert "Choose question category" not in html
        assert "View / edit fields for" not in html
    html = client.get(reverse("wagtailsnippets_quizzes_question:add")).content.decode()
    assert "Choisir catégorie de questions" in html
    assert re.search(r">\s*Accueil\s*<", html)


# --- missing translations, before and on publishing -------------------------------------------


def test_the_editor_says_which_languages_are_missing_before_publishing(client, trainer, course):
    blocks = [{"type": "paragraph", "value": "<p>x</p>"}]
    module = make_module(course, slug="m", body={"en": blocks, "fr": blocks})
    module.title_ar = ""
    module.save_revision().publish()
    notices = messages_in(client.get(edit_url(module)))
    assert any("pas encore traduit : arabe (titre, corps du texte)" in m.lower() for m in notices)


def test_publishing_without_a_complete_translation_says_what_is_missing(client, trainer, course):
    course.summary_ar = ""
    course.audience_fr = ""
    course.save_revision().publish()
    data = form_data(client, edit_url(course), **{"action-publish": "action-publish"})
    response = client.post(edit_url(course), data, follow=True)
    notices = [m.lower() for m in messages_in(response)]
    assert any(
        "publiée sans traduction complète : français (public visé) ; arabe (résumé)" in m
        for m in notices
    ), notices


def test_a_complete_page_shows_no_translation_warning(client, trainer, course):
    module = make_module(course, slug="m")
    assert not any("traduit" in m for m in messages_in(client.get(edit_url(module))))


def test_text_shown_in_a_fallback_language_carries_that_language(client, course):
    client.force_login(LearnerFactory())
    course.summary_ar = ""
    course.title_ar = ""
    course.save_revision().publish()
    module = make_module(course, slug="m", title={"en": "Module", "fr": "Module fr", "ar": ""})
    with translation.override("ar"):
        course_html = client.get(course.get_url()).content.decode()
        module_html = client.get(module.get_url()).content.decode()
    assert '<h1 lang="fr" dir="ltr">Cours evidence</h1>' in course_html
    assert '<p class="lead" lang="fr" dir="ltr">Résumé</p>' in course_html
    assert '<h1 lang="fr" dir="ltr">Module fr</h1>' in module_html
    with translation.override("fr"):
        course_html = client.get(course.get_url()).content.decode()
    assert '<h1 dir="auto">Cours evidence</h1>' in course_html
