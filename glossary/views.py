from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control

from search.selectors import pages_mentioning

from .linking import TermEntry
from .models import LANGUAGE_CODES
from .selectors import (
    current_glossary,
    glossary_by_letter,
    glossary_courses,
    open_courses,
    shown_language,
    sort_key,
    term_detail,
    term_entry,
    term_listing,
)

MODULE_KIND = "courses.modulepage"


def _private(response):
    patch_cache_control(response, private=True)
    return response


def _course_id(value: str | None, courses) -> int | None:
    """The course the list is filtered by, if it is one the reader may choose."""
    try:
        wanted = int(value or "")
    except ValueError:
        return None
    return wanted if any(c.pk == wanted for c in courses) else None


def glossary_index(request):
    """`/<lang>/glossary/`: every term A–Z in the reader's alphabet, optionally one course's."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    language = translation.get_language()
    courses = glossary_courses(request=request)
    course_id = _course_id(request.GET.get("course"), courses)
    groups = glossary_by_letter(language=language, course_id=course_id)
    return _private(
        render(
            request,
            "glossary/glossary_index.html",
            {
                "groups": groups,
                "courses": courses,
                "course_id": course_id,
                "course_asked": bool(request.GET.get("course")) and course_id is None,
            },
        )
    )


def modules_using(entry: TermEntry, request) -> list:
    """Modules the reader may open that use the term in the language they are written in."""
    glossary = current_glossary()
    phrases = [p for code in LANGUAGE_CODES for p in entry.forms(code)]
    hits = pages_mentioning(request=request, phrases=phrases, kinds=[MODULE_KIND])
    return [hit for hit in hits if entry.id in glossary.terms_in(hit.body, hit.language)]


def glossary_term(request, slug: str):
    """`/<lang>/glossary/<slug>/`: one term in three languages and the modules using it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    term = term_detail(slug=slug)
    if term is None:
        raise Http404
    language = translation.get_language()
    definitions = {code: term.definition(code) for code in LANGUAGE_CODES}
    definition_language = shown_language(definitions, language)
    return _private(
        render(
            request,
            "glossary/glossary_term.html",
            {
                "term": term,
                "listing": term_listing(term, language),
                "definitions": [
                    (code, definitions[code])
                    for code in LANGUAGE_CODES
                    if definitions[code] and code != definition_language
                ],
                "variants": [
                    (code, term.variants(code)) for code in LANGUAGE_CODES if term.variants(code)
                ],
                "related": sorted(
                    (term_listing(t, language) for t in term.related_terms.all()),
                    key=lambda t: sort_key(t.name, t.name_language),
                ),
                "courses": open_courses(term.courses.all(), request=request),
                "modules": modules_using(term_entry(term), request),
            },
        )
    )
