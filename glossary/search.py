"""The glossary in search: its terms as an index source, and the cross-language lookup.

A query that is the name of a term (in any language, any variant or abbreviation) also looks
for every other name of the term, so "entraide judiciaire" finds modules written in English
or Arabic that say "mutual legal assistance" or "المساعدة القانونية المتبادلة".
"""

from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils import translation

from search.sources import Entry, Target, Text

from .models import LANGUAGE_CODES, Term
from .selectors import current_glossary, shown_language

MAX_EXPANDED_TERMS = 3


def term_texts(term: Term) -> tuple[Text, ...]:
    texts = []
    for code in LANGUAGE_CODES:
        parts = [
            term.abbreviation(code),
            *term.variants(code),
            term.definition(code),
        ]
        if code == "en":
            parts += [term.source_instrument, term.source_provision]
        body = "\n".join(p for p in parts if p)
        if term.name(code) or body:
            texts.append(Text(code, term.name(code), body))
    return tuple(texts)


class TermSource:
    name = "glossary"

    def entries(self, object_ids: Iterable[int] | None) -> Iterable[Entry]:
        terms = Term.objects.all()
        if object_ids is not None:
            terms = terms.filter(pk__in=list(object_ids))
        for term in terms:
            yield Entry(object_id=term.pk, kind=Term._meta.label_lower, texts=term_texts(term))

    def targets(self, object_ids: Sequence[int], *, request) -> dict[int, Target]:
        reader = translation.get_language() or "en"
        result = {}
        for term in Term.objects.filter(pk__in=object_ids):
            names = {code: term.name(code) for code in LANGUAGE_CODES}
            shown = shown_language(names, reader)
            result[term.pk] = Target(
                url=reverse("glossary:term", args=[term.slug]),
                title=names[shown],
                title_language=shown,
                other_names=tuple((c, names[c]) for c in LANGUAGE_CODES if c != shown and names[c]),
            )
        return result


def expand_query(query: str) -> list[str]:
    """Every other name of the terms that `query` names."""
    glossary = current_glossary()
    entries = glossary.by_id()
    phrases: list[str] = []
    for term_id in glossary.terms_named(query)[:MAX_EXPANDED_TERMS]:
        entry = entries[term_id]
        for code in LANGUAGE_CODES:
            for phrase in (*entry.forms(code), entry.abbreviations.get(code, "")):
                if phrase and phrase not in phrases:
                    phrases.append(phrase)
    return phrases
