"""Reads of the glossary: its version, the terms as plain data (kept per process), the A–Z
listing and a term's page."""

import threading
from dataclasses import dataclass

from django.conf import settings

from courses.models import CoursePage
from search.normalise import normalise, strip_article
from search.selectors import Restrictions

from .exchange import COLUMNS, SEPARATOR, write
from .linking import Glossary, TermEntry
from .models import LANGUAGE_CODES, GlossaryVersion, Term

NO_VERSION = "none"
_loaded: tuple[str, Glossary] | None = None
_lock = threading.Lock()


def glossary_version() -> str:
    """The current version: one indexed row, read where glossary data is about to be used."""
    value = GlossaryVersion.objects.filter(pk=1).values_list("value", flat=True).first()
    return str(value) if value else NO_VERSION


def term_entry(term: Term) -> TermEntry:
    return TermEntry(
        id=term.pk,
        slug=term.slug,
        names={code: term.name(code) for code in LANGUAGE_CODES},
        definitions={code: term.definition(code) for code in LANGUAGE_CODES},
        abbreviations={code: term.abbreviation(code) for code in LANGUAGE_CODES},
        variants={code: term.variants(code) for code in LANGUAGE_CODES},
    )


def glossary_at(version: str) -> Glossary:
    """Every term as of `version` (or newer), loaded once per process and version.

    Terms are read after the version, so a change committed in between gives data newer than
    the version says, never older; the next request sees the new version and reloads.
    """
    global _loaded
    with _lock:
        if _loaded is not None and _loaded[0] == version:
            return _loaded[1]
    glossary = Glossary(tuple(term_entry(t) for t in Term.objects.order_by("term_en", "pk")))
    with _lock:
        _loaded = (version, glossary)
    return glossary


def current_glossary() -> Glossary:
    return glossary_at(glossary_version())


def forget_loaded() -> None:
    """Drop the per-process copy (tests that roll the database back)."""
    global _loaded
    with _lock:
        _loaded = None


# --- pages ---------------------------------------------------------------------------------


def shown_language(values: dict[str, str], language: str) -> str:
    """The language a trilingual value is shown in for a reader of `language`."""
    if values.get(language):
        return language
    chains = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    for code in chains.get(language, chains["default"]):
        if values.get(code):
            return code
    return settings.LANGUAGE_CODE


def sort_key(text: str, language: str) -> str:
    """Alphabetical order in `language`: Arabic ignores the article and letter variants
    (الأدلة files under ا), French ignores accents and case."""
    folded = normalise(text)
    if language == "ar":
        folded = " ".join(strip_article(w) for w in folded.split())
    return folded


def initial(text: str, language: str) -> str:
    key = sort_key(text, language)
    first = next((c for c in key if c.isalnum()), "#")
    return first.upper() if first.isalpha() else "#"


@dataclass(frozen=True)
class TermListing:
    slug: str
    name: str
    name_language: str
    abbreviation: str
    others: tuple[tuple[str, str], ...]
    definition: str
    definition_language: str


@dataclass(frozen=True)
class LetterGroup:
    letter: str
    terms: tuple[TermListing, ...]


def term_listing(term: Term, language: str) -> TermListing:
    names = {code: term.name(code) for code in LANGUAGE_CODES}
    definitions = {code: term.definition(code) for code in LANGUAGE_CODES}
    name_language = shown_language(names, language)
    definition_language = shown_language(definitions, language)
    return TermListing(
        slug=term.slug,
        name=names[name_language],
        name_language=name_language,
        abbreviation=term.abbreviation(name_language),
        others=tuple((c, names[c]) for c in LANGUAGE_CODES if c != name_language and names[c]),
        definition=definitions[definition_language],
        definition_language=definition_language,
    )


def glossary_by_letter(*, language: str, course_id: int | None = None) -> list[LetterGroup]:
    """Every term (of one course, if given), A–Z in the reader's alphabet, by first letter."""
    terms = Term.objects.all()
    if course_id is not None:
        terms = terms.filter(courses__id=course_id)
    listings = sorted(
        (term_listing(t, language) for t in terms.distinct()),
        key=lambda t: (sort_key(t.name, t.name_language), t.slug),
    )
    groups: dict[str, list[TermListing]] = {}
    for listing in listings:
        groups.setdefault(initial(listing.name, listing.name_language), []).append(listing)
    return [LetterGroup(letter, tuple(items)) for letter, items in groups.items()]


def open_courses(courses, *, request) -> list:
    """The live courses of `courses` that the reader of `request` may open."""
    restrictions = Restrictions(request)
    return [c for c in courses if c.live and restrictions.allow(c.path)]


def glossary_courses(*, request) -> list:
    """Courses with glossary terms that the reader may open, for the filter, in course order."""
    courses = CoursePage.objects.live().filter(glossary_terms__isnull=False).distinct()
    return open_courses(courses.order_by("path"), request=request)


def term_detail(*, slug: str) -> Term | None:
    return Term.objects.filter(slug=slug).prefetch_related("related_terms", "courses").first()


def glossary_export() -> str:
    """The whole glossary as CSV (`glossary.exchange`), in English alphabetical order."""
    records = []
    terms = Term.objects.order_by("term_en", "pk").prefetch_related("related_terms", "courses")
    for term in terms:
        record = {name: getattr(term, name) for name in COLUMNS if hasattr(term, name)}
        for code in LANGUAGE_CODES:
            record[f"variants_{code}"] = SEPARATOR.join(term.variants(code))
        record["related"] = SEPARATOR.join(sorted(t.slug for t in term.related_terms.all()))
        record["courses"] = SEPARATOR.join(sorted(c.slug_en or c.slug for c in term.courses.all()))
        records.append(record)
    return write(records)
