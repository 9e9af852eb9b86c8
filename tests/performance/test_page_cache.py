"""Lesson shells and remembered routes (cms.page_cache, courses.lesson_shell).

A second visit to a lesson skips Wagtail's routing and renders nothing: these tests hold that
it is still correct — the same bytes as a full render, fresh after every kind of change in
every language, private to each learner, and never taken where a hook or a restriction applies.
"""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from wagtail import hooks
from wagtail.models import PageViewRestriction, Site

from cms import page_cache
from courses.models import ActivityCompletion
from tests.courses.factories import make_course, make_module, paragraph_blocks
from tests.factories import LearnerFactory, ManagerFactory
from tests.performance.pages import get, page_url, queries_of

LANGUAGES = ("en", "fr", "ar")
REMEMBERED_QUERIES = 2  # the session with its user and the generation, the learner's rows
# docs/performance.md, for a lesson rendered through Wagtail: 12, and the glossary version that
# keys the cached body with its glossary links (glossary.rendering), read once per full render;
# and after a publish, the catalogue's address for the header's Courses link (so that the link
# does not redirect), found once per worker, language and content generation (cms.navigation);
# the course outline reads one table per activity type (module, quiz, survey).
PAGE_BUDGET = 15
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def warm(client, url) -> None:
    """First visit (enrols, renders the shell, remembers the route), then a remembered one."""
    get(client, url)
    count, _html = queries_of(client, url)
    assert count == REMEMBERED_QUERIES


@pytest.fixture
def course(site):
    return make_course(slug="shells")


@pytest.fixture
def modules(course):
    return [
        make_module(
            course,
            slug=f"lesson-{n}",
            body={code: paragraph_blocks(2, text=f"v1-{code}-{n}") for code in LANGUAGES},
        )
        for n in range(3)
    ]


def signed_in(username, *, factory=LearnerFactory, **client_kwargs) -> Client:
    client = Client(**client_kwargs)
    client.force_login(factory(username=username))
    return client


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_repeat_visit_costs_the_same_few_queries_whatever_the_course_size(site, language):
    small = make_course(slug="small")
    small_module = [make_module(small, slug=f"s{i}", blocks=2) for i in range(2)][1]
    big = make_course(slug="big")
    big_module = [make_module(big, slug=f"b{i}", blocks=40) for i in range(12)][6]
    client = signed_in("reader")
    counts = []
    for module in (small_module, big_module):
        get(client, page_url(module, language))
        counts.append(queries_of(client, page_url(module, language))[0])
    assert counts == [REMEMBERED_QUERIES, REMEMBERED_QUERIES]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_full_render_after_a_publish_stays_within_the_page_budget(site, language):
    counts = []
    for slug, activities, blocks in (("few", 2, 2), ("many", 12, 40)):
        course = make_course(slug=slug)
        module = [make_module(course, slug=f"{slug}{i}", blocks=blocks) for i in range(activities)]
        url = page_url(module[-1], language)
        client = signed_in(f"budget-{slug}")
        warm(client, url)
        page_cache.bump_generation()  # what any publish does: routes and shells start again
        counts.append(queries_of(client, url)[0])
    assert counts[0] == counts[1] <= PAGE_BUDGET


def full_render(client, url, monkeypatch) -> str:
    """The page rendered through Wagtail for this learner, with no shell at all."""
    with monkeypatch.context() as patch:
        patch.setattr(page_cache, "may_use", lambda request: False)
        return get(client, url).content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_remembered_page_is_byte_for_byte_the_full_render(modules, language, monkeypatch):
    client = signed_in("same")
    url = page_url(modules[1], language)
    get(client, url)
    count, remembered = queries_of(client, url)
    assert count == REMEMBERED_QUERIES
    assert CSRF.sub("", remembered) == CSRF.sub("", full_render(client, url, monkeypatch))
    assert f"v1-{language}-1 0" in remembered
    # And once the learner's state has changed (the slots), still the same bytes.
    client.post(f"/{language}/learning/activities/{modules[1].pk}/complete/", {"next": url})
    get(client, url)  # the message
    count, remembered = queries_of(client, url)
    assert count == REMEMBERED_QUERIES
    percent = {"fr": "33\u202f%", "ar": "33\u200e%\u200e"}.get(language, "33%")
    assert percent in remembered  # one format per language: docs/learner-pages.md
    assert CSRF.sub("", remembered) == CSRF.sub("", full_render(client, url, monkeypatch))


@pytest.mark.parametrize("language", LANGUAGES)
def test_publishing_is_served_at_once_on_a_remembered_route(modules, language):
    client = signed_in("fresh")
    module = modules[0]
    url = page_url(module, language)
    warm(client, url)
    module.refresh_from_db()
    setattr(module, f"body_{language}", paragraph_blocks(1, text=f"v2-{language}"))
    setattr(module, f"title_{language}", f"Retitled {language}")
    module.save_revision().publish()
    html = get(client, url).content.decode()
    assert f"v2-{language} 0" in html
    assert f"Retitled {language}" in html
    assert f"v1-{language}-0 0" not in html


def test_a_neighbour_retitled_shows_in_previous_and_next_links(modules):
    client = signed_in("pager")
    url = page_url(modules[1])
    warm(client, url)
    neighbour = modules[2]
    neighbour.refresh_from_db()
    neighbour.title_en = "A new name for the next lesson"
    neighbour.save_revision().publish()
    assert "A new name for the next lesson" in get(client, url).content.decode()


def test_unpublishing_a_remembered_lesson_or_its_course_takes_effect_at_once(course, modules):
    client = signed_in("gone")
    first, second = page_url(modules[0]), page_url(modules[1])
    warm(client, first)
    warm(client, second)
    modules[0].refresh_from_db()
    modules[0].unpublish()
    get(client, first, expect=404)
    course.refresh_from_db()
    course.unpublish()
    get(client, second, expect=404)


def test_a_view_restriction_added_later_applies_to_a_remembered_route(course, modules):
    client = signed_in("restricted")
    url = page_url(modules[0])
    warm(client, url)
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Special unit"))
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert "v1-en-0" not in response.content.decode()


def test_a_page_hook_from_another_app_turns_remembered_routes_off(modules):
    client = signed_in("hooked")
    url = page_url(modules[0])
    get(client, url)
    seen = []

    def watch(page, request, serve_args, serve_kwargs):
        seen.append(page.pk)

    with hooks.register_temporarily("before_serve_page", watch):
        page_cache.clear()
        get(client, url)
        get(client, url)
    assert seen == [modules[0].pk, modules[0].pk]


def test_learners_share_a_shell_but_never_their_state_or_token(modules):
    url = page_url(modules[0])
    done = signed_in("done", enforce_csrf_checks=True)
    get(done, url)
    token_of_done = CSRF.search(get(done, url).content.decode()).group(1)
    done.post(
        f"/en/learning/activities/{modules[0].pk}/complete/",
        {"next": url, "csrfmiddlewaretoken": token_of_done},
    )
    get(done, url)  # the message, shown once, outside any shell
    completed = get(done, url).content.decode()
    assert "You have completed this module." in completed
    assert "33% complete" in completed

    other = signed_in("other", enforce_csrf_checks=True)
    get(other, url)
    count, html = queries_of(other, url)
    assert count == REMEMBERED_QUERIES
    assert "Mark as complete" in html
    assert "You have completed this module." not in html
    assert "0% complete" in html
    # Another learner's token is refused; the learner's own token works.
    stolen = other.post(
        f"/en/learning/activities/{modules[0].pk}/complete/",
        {"next": url, "csrfmiddlewaretoken": token_of_done},
    )
    assert stolen.status_code == 403
    own = CSRF.search(html).group(1)
    assert own != token_of_done
    accepted = other.post(
        f"/en/learning/activities/{modules[0].pk}/complete/",
        {"next": url, "csrfmiddlewaretoken": own},
    )
    assert accepted.status_code == 302
    assert ActivityCompletion.objects.get(user__username="other", activity=modules[0]).completed_at


def test_the_reports_link_follows_the_reader_not_the_shell(modules):
    url = page_url(modules[0])
    learner = signed_in("plain")
    warm(learner, url)
    manager = signed_in("boss", factory=ManagerFactory)
    get(manager, url)
    assert "/en/reports/" in get(manager, url).content.decode()
    assert "/en/reports/" not in get(learner, url).content.decode()


def test_a_message_is_shown_once_and_never_kept_in_a_shell(modules):
    client = signed_in("messaged")
    url = page_url(modules[0])
    warm(client, url)
    response = client.post(f"/en/learning/activities/{modules[0].pk}/complete/", {"next": url})
    assert response.status_code == 302
    assert "Module marked as complete." in get(client, url).content.decode()
    assert "Module marked as complete." not in get(client, url).content.decode()
    other = signed_in("no-message")
    get(other, url)
    assert "Module marked as complete." not in get(other, url).content.decode()


def test_a_query_string_is_served_through_wagtail_and_not_remembered(modules):
    client = signed_in("query")
    url = page_url(modules[0]) + "?from=search"
    get(client, url)
    count, html = queries_of(client, url)
    assert count > REMEMBERED_QUERIES
    assert "from=search" in html  # the language links keep it
    assert len(page_cache.routes) == 0


def test_opening_a_remembered_lesson_still_records_the_visit(modules):
    client = signed_in("visits")
    url = page_url(modules[0])
    warm(client, url)
    completion = ActivityCompletion.objects.get(user__username="visits", activity=modules[0])
    ActivityCompletion.objects.filter(pk=completion.pk).update(last_seen_at=None)
    get(client, page_url(modules[0], "fr"))
    get(client, url)
    completion.refresh_from_db()
    assert completion.last_seen_at is not None
    enrolment = completion.user.enrolments.get()
    assert enrolment.language == "en"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    ["page", "restriction", "site", "image", "document", "unpublish", "delete"],
)
def test_every_change_a_page_depends_on_moves_the_generation(course, modules, change):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    before = page_cache.read_generation()
    if change == "page":
        modules[0].save_revision().publish()
    elif change == "restriction":
        PageViewRestriction.objects.create(page=course, restriction_type="login")
    elif change == "site":
        Site.objects.get().save()
    elif change == "image":
        get_image_model().objects.create(title="x", file=get_test_image_file())
    elif change == "document":
        get_document_model().objects.create(title="y", file="documents/y.pdf")
    elif change == "unpublish":
        modules[0].unpublish()
    else:
        modules[0].delete()
    assert page_cache.read_generation() > before


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_the_generation_alone(site):
    before = page_cache.read_generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_course(slug="never")
        raise RuntimeError
    assert page_cache.read_generation() == before


# --- shells fail closed -----------------------------------------------------------------------

TEST_TEMPLATES = Path(__file__).resolve().parent / "templates"
SENTINEL = {
    "username": "zq-sentinel-login",
    "email": "zq-sentinel@example.invalid",
    "first_name": "Zqfirstname",
    "last_name": "Zqlastname",
}
META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]*)">')


def shell_text() -> str:
    return "\n".join("".join(shell.parts) for shell in page_cache.shells.values())


@pytest.fixture
def careless_templates(settings):
    """base.html and the header overridden by templates that read the user every way."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [TEST_TEMPLATES]},
        *settings.TEMPLATES[1:],
    ]


def sentinel_client() -> tuple[Client, object]:
    user = LearnerFactory(**SENTINEL)
    client = Client(HTTP_USER_AGENT="zq-sentinel-agent", REMOTE_ADDR="203.0.113.77")
    client.force_login(user)
    return client, user


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_shell_holds_the_name_address_token_or_session_of_the_learner_who_built_it(
    modules, language, careless_templates
):
    client, _user = sentinel_client()
    pages = []
    for module in modules[:2]:
        url = page_url(module, language)
        pages.append(get(client, url).content.decode())
        pages.append(get(client, url).content.decode())  # remembered
    assert len(page_cache.shells) == 2
    stored = shell_text()
    secrets = [*SENTINEL.values(), client.session.session_key, "zq-sentinel-agent"]
    secrets += ["203.0.113.77", *(META_CSRF.search(html).group(1) for html in pages)]
    for secret in secrets:
        assert secret not in stored
    # The careless header shows the learner nothing of themselves either (fail closed) …
    assert SENTINEL["username"] not in pages[-1]
    assert "Signed in" not in pages[-1]
    # … while the slot shows them their own links and a token that works.
    assert f'href="/{language}/learning/"' in pages[-1]
    own = META_CSRF.search(pages[-1]).group(1)
    assert own and own == CSRF.search(pages[-1]).group(1)


def test_a_template_reading_the_user_cannot_show_one_learner_to_another(
    modules, careless_templates
):
    url = page_url(modules[0])
    first, _user = sentinel_client()
    get(first, url)
    seen_by_first = get(first, url).content.decode()
    other = signed_in("someone-else", enforce_csrf_checks=True)
    for html in (get(other, url).content.decode(), get(other, url).content.decode()):
        for value in SENTINEL.values():
            assert value not in html
        token = META_CSRF.search(html).group(1)
        assert token != META_CSRF.search(seen_by_first).group(1)
    # The token in the meta tag is the learner's own: a script using it is accepted.
    accepted = other.post(
        f"/en/learning/activities/{modules[0].pk}/complete/",
        {"next": url},
        HTTP_X_CSRFTOKEN=token,
    )
    assert accepted.status_code == 302


def test_a_shell_is_shared_by_learners_at_different_points(modules):
    url = page_url(modules[0])
    ahead = signed_in("ahead")
    get(ahead, url)
    ahead.post(f"/en/learning/activities/{modules[0].pk}/complete/", {"next": url})
    behind = signed_in("behind")
    for client in (ahead, behind, ahead, behind):
        get(client, url)
    assert len(page_cache.shells) == 1
    assert "You have completed this module." in get(ahead, url).content.decode()
    assert "Mark as complete" in get(behind, url).content.decode()


def test_wagtails_own_page_hooks_let_a_remembered_request_through(modules, rf):
    """What `only_wagtail_page_hooks` trusts: Wagtail's hooks refuse no GET of a page without
    a view restriction, so skipping them on a remembered route changes nothing."""
    page = modules[0].specific
    request = rf.get(page_url(page))
    request.user = LearnerFactory(username="hooks")
    assert page_cache.only_wagtail_page_hooks()
    for before in hooks.get_hooks("before_serve_page"):
        assert before(page, request, (), {}) is None
    served = HttpResponse("served")
    for around in hooks.get_hooks("on_serve_page"):
        assert around(lambda *_args: served)(page, request, (), {}) is served


def test_a_hook_from_another_module_is_foreign_whatever_its_name(modules):
    def check_request_method(page, request, serve_args, serve_kwargs):
        return None

    with hooks.register_temporarily("before_serve_page", check_request_method):
        assert not page_cache.only_wagtail_page_hooks()


def test_a_slot_nobody_registered_is_a_clear_configuration_error():
    from django.core.exceptions import ImproperlyConfigured
    from django.template import Context, Template

    with pytest.raises(ImproperlyConfigured, match="No slot 'greeting' is registered"):
        Template('{% load slots %}{% slot "greeting" %}').render(Context({}))
    with pytest.raises(ValueError, match="invalid slot name"):
        page_cache.register_slot("Greeting!", template="components/account_nav.html")
