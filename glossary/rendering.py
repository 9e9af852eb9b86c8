"""Glossary links in module text: the body processor registered with `courses.rendering`.

Terms are linked when a body is rendered and the result is cached with it (keyed by the
glossary's version); the stored text never changes. Each linked term has a note after the
body — its equivalents in the two other languages and its definition in the reader's — which
a link reaches without JavaScript; `glossary/glossary.js` opens the same note as a popover.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse

from .linking import TermEntry, link_terms, note_id
from .models import LANGUAGE_CODES
from .selectors import glossary_at, glossary_version, shown_language

SCRIPT = "glossary/glossary.js"


@dataclass(frozen=True)
class Note:
    id: str
    url: str
    name: str
    name_language: str
    others: tuple[tuple[str, str], ...]
    definition: str
    definition_language: str


def note_for(entry: TermEntry, language: str) -> Note:
    name_language = shown_language(dict(entry.names), language)
    definition_language = shown_language(dict(entry.definitions), language)
    return Note(
        id=note_id(entry.slug),
        url=reverse("glossary:term", args=[entry.slug]),
        name=entry.names.get(name_language, ""),
        name_language=name_language,
        others=tuple(
            (code, entry.names[code])
            for code in LANGUAGE_CODES
            if code != name_language and entry.names.get(code)
        ),
        definition=entry.definitions.get(definition_language, ""),
        definition_language=definition_language,
    )


class GlossaryLinks:
    """Links the first occurrence of each glossary term per section of a module's body."""

    def cache_token(self, request) -> str:
        # The script's address changes with each release (hashed static files).
        return f"{glossary_version()} {static(SCRIPT)}"

    def process(self, html: str, *, token: str, text_language: str, reader_language: str) -> str:
        version = token.split(" ", 1)[0]
        glossary = glossary_at(version)
        linked = link_terms(html, glossary, text_language)
        if not linked.term_ids:
            return html
        entries = glossary.by_id()
        notes = render_to_string(
            "glossary/notes.html",
            {
                "notes": [note_for(entries[i], reader_language) for i in linked.term_ids],
                "script": SCRIPT,
            },
        )
        return linked.html + notes


glossary_links = GlossaryLinks()
