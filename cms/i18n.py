"""Language helpers: which language a request should get, and the same page in another one."""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, resolve, translate_url
from django.utils import translation
from wagtail.models import Page, Site

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def supported_language(code: str | None) -> str | None:
    """Return `code` if it is one of the site's languages (`fr-CA` counts as `fr`)."""
    if not code:
        return None
    code = code.lower()
    if code in LANGUAGE_CODES:
        return code
    base = code.split("-")[0]
    return base if base in LANGUAGE_CODES else None


def language_of_path(path: str) -> str | None:
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in LANGUAGE_CODES else None


def page_for_path(request, path: str) -> Page | None:
    """The Wagtail page that `path` (with its language prefix) serves, or None."""
    language = language_of_path(path)
    if language is None:
        return None
    with translation.override(language):
        try:
            match = resolve(path)
        except Resolver404:
            return None
        if match.url_name != "wagtail_serve":
            return None
        site = Site.find_for_request(request)
        if site is None:
            return None
        components = [c for c in (match.args[0] if match.args else "").split("/") if c]
        try:
            page, _args, _kwargs = site.root_page.specific.route(request, components)
        except Http404:
            return None
    return page


def url_in_language(request, url: str, language: str, page: Page | None = None) -> str:
    """The URL of the same page as `url`, in `language` (translated slugs included).

    Query strings are kept. Anything that cannot be translated is returned with only its
    language prefix switched, so the reader is never sent somewhere unrelated.
    """
    parts = urlsplit(url)
    path = parts.path or "/"
    if page is None:
        page = page_for_path(request, path)
    if page is not None:
        with translation.override(language):
            page_url = page.get_url(request)
        if page_url:
            return urlunsplit(("", "", page_url, parts.query, ""))
    translated = translate_url(path, language)
    if translated == path and language_of_path(path):
        translated = "/" + language + path[len(language_of_path(path)) + 1 :]
    return urlunsplit(("", "", translated, parts.query, ""))
