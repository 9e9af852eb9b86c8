"""Remembered URL matches (cms/url_cache.py): the same match as Django's resolver, per
language and path, bounded, copied per request, and never for a URLconf whose match could
depend on more than the path."""

import pytest
from django.core.handlers.base import BaseHandler
from django.urls import Resolver404, get_resolver, path
from django.urls.resolvers import RoutePattern, URLResolver
from django.utils import translation

from cms import url_cache
from cms.page_cache import BoundedCache


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    monkeypatch.setattr(url_cache, "matches", BoundedCache(50))


def counting(monkeypatch) -> list[str]:
    calls: list[str] = []
    original = URLResolver.resolve

    def resolve(self, path_info):
        if self is get_resolver():
            calls.append(path_info)
        return original(self, path_info)

    monkeypatch.setattr(URLResolver, "resolve", resolve)
    return calls


def test_every_handler_resolves_through_the_cache():
    assert BaseHandler.resolve_request is url_cache.resolve_request


@pytest.mark.parametrize(
    "path_info",
    ["/en/learning/", "/fr/courses/some/lesson/", "/ar/quizzes/attempts/12/", "/admin/", "/"],
)
def test_a_remembered_match_is_djangos_and_costs_no_second_walk(monkeypatch, path_info):
    resolver = get_resolver()
    language = path_info.split("/")[1] if path_info.count("/") > 2 else "en"
    with translation.override(language if language in ("en", "fr", "ar") else "en"):
        expected = resolver.resolve(path_info)
        calls = counting(monkeypatch)
        first = url_cache.resolve(resolver, path_info)
        second = url_cache.resolve(resolver, path_info)
    assert calls == [path_info]  # the second did not walk the patterns
    for match in (first, second):
        assert (match.func, match.args, match.kwargs, match.url_name, match.route) == (
            expected.func,
            expected.args,
            expected.kwargs,
            expected.url_name,
            expected.route,
        )


def test_another_language_is_resolved_for_itself():
    resolver = get_resolver()
    with translation.override("en"):
        assert url_cache.resolve(resolver, "/en/learning/").url_name == "my_learning"
    with translation.override("fr"), pytest.raises(Resolver404):
        url_cache.resolve(resolver, "/en/learning/")  # as Django: the prefix is the language's
    with translation.override("fr"):
        assert url_cache.resolve(resolver, "/fr/learning/").url_name == "my_learning"


def test_each_request_gets_its_own_copy():
    resolver = get_resolver()
    with translation.override("en"):
        first = url_cache.resolve(resolver, "/en/quizzes/attempts/12/")
        first.kwargs["attempt_id"] = 99
        first.kwargs["extra"] = True
        second = url_cache.resolve(resolver, "/en/quizzes/attempts/12/")
    assert "extra" not in second.kwargs and first is not second


def test_the_cache_is_bounded_in_entries(monkeypatch):
    monkeypatch.setattr(url_cache, "matches", BoundedCache(3))
    resolver = get_resolver()
    with translation.override("en"):
        for n in range(10):
            url_cache.resolve(resolver, f"/en/courses/course-{n}/")
    assert len(url_cache.matches) == 3


def test_a_path_that_matches_nothing_is_not_remembered():
    resolver = get_resolver()
    with translation.override("en"), pytest.raises(Resolver404):
        url_cache.resolve(resolver, "/nowhere-at-all")
    assert len(url_cache.matches) == 0


class HeaderPattern(RoutePattern):
    """A pattern whose match could depend on more than the path."""


def test_a_urlconf_with_another_pattern_class_is_never_remembered():
    class Conf:
        urlpatterns = [path("x/", lambda request: None, name="x")]

    Conf.urlpatterns[0].pattern.__class__ = HeaderPattern
    resolver = URLResolver(RoutePattern(""), Conf)
    assert not url_cache.is_pure(resolver)
    assert url_cache.resolve(resolver, "x/").url_name == "x"
    assert len(url_cache.matches) == 0
    assert url_cache.is_pure(get_resolver())
