"""Caches never serve stale or someone else's content.

Module bodies are rendered once per revision and language (courses.render_cache); these tests
hold that publishing shows at once in every language, and that nothing per learner is shared.
"""

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from courses.render_cache import KEY_PREFIX
from tests.courses.factories import make_course, make_module, paragraph_blocks
from tests.factories import LearnerFactory

LANGUAGES = ("en", "fr", "ar")


def page_url(page, language="en") -> str:
    with translation.override(language):
        return page.get_url()


def body_of(client, page, language) -> str:
    response = client.get(page_url(page, language))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def module(site):
    course = make_course(slug="cache")
    return make_module(
        course,
        slug="cached",
        body={code: paragraph_blocks(2, text=f"first-{code}") for code in LANGUAGES},
    )


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


def cached_keys() -> list[str]:
    return [k for k in cache._cache if KEY_PREFIX in k]  # locmem in the test settings


def test_module_body_is_rendered_once_per_language_and_reused(learner_client, module):
    for language in LANGUAGES:
        assert f"first-{language} 0" in body_of(learner_client, module, language)
    assert len(cached_keys()) == len(LANGUAGES)
    for language in LANGUAGES:
        body_of(learner_client, module, language)
    assert len(cached_keys()) == len(LANGUAGES)


def test_publishing_a_module_changes_what_is_served_in_every_language(learner_client, module):
    for language in LANGUAGES:
        assert f"first-{language} 0" in body_of(learner_client, module, language)
    for code in LANGUAGES:
        setattr(module, f"body_{code}", paragraph_blocks(2, text=f"second-{code}"))
    module.save_revision().publish()
    for language in LANGUAGES:
        served = body_of(learner_client, module, language)
        assert f"second-{language} 0" in served
        assert f"first-{language} 0" not in served


def test_a_draft_is_not_served_until_published(learner_client, module):
    body_of(learner_client, module, "en")
    module.body_en = paragraph_blocks(1, text="draft")
    module.save_revision()
    assert "draft 0" not in body_of(learner_client, module, "en")
    module.get_latest_revision().publish()
    assert "draft 0" in body_of(learner_client, module, "en")


def test_a_body_saved_without_a_revision_is_not_served_stale(learner_client, module):
    # Imports and scripts may save a page directly; the cache key holds the content's digest.
    body_of(learner_client, module, "fr")
    module.body_fr = paragraph_blocks(1, text="direct")
    module.save()
    assert "direct 0" in body_of(learner_client, module, "fr")


def test_learner_progress_is_never_served_to_another_learner(site, module):
    first, second = Client(), Client()
    first.force_login(LearnerFactory(username="first"))
    second.force_login(LearnerFactory(username="second"))
    first.get(page_url(module))
    first.post(f"/en/learning/activities/{module.pk}/complete/", {"next": page_url(module)})
    seen_by_first = body_of(first, module, "en")
    assert "You have completed this module." in seen_by_first
    seen_by_second = body_of(second, module, "en")
    assert "You have completed this module." not in seen_by_second
    assert "Mark as complete" in seen_by_second
    assert "first" not in seen_by_second.replace("first-en", "")


@pytest.mark.parametrize("language", LANGUAGES)
def test_signed_in_pages_are_private_to_shared_http_caches(learner_client, module, language):
    response = learner_client.get(page_url(module, language))
    assert "Cookie" in response.get("Vary", "")
    assert "public" not in response.get("Cache-Control", "")


def test_cached_body_is_not_served_to_anonymous_visitors(learner_client, module):
    body_of(learner_client, module, "en")
    response = Client().get(page_url(module, "en"))
    assert response.status_code == 302
    assert "first-en" not in response.content.decode()


def test_previews_are_rendered_not_cached(module, learner_client):
    from django.test import RequestFactory

    from courses.render_cache import rendered_stream

    request = RequestFactory().get("/")
    request.is_preview = True
    module.body_en = paragraph_blocks(1, text="preview")
    with translation.override("en"):
        assert "preview 0" in rendered_stream(page=module, field="body", request=request)
    assert cached_keys() == []
