"""Glossary links in module text: the body processor registered with `courses.rendering`.

Terms are linked when a body is rendered and the result is cached with it (keyed by the
glossary's version); the stored text never changes. Each linked term has a note after the
body — its equivalents in the two other languages and its definition in the reader's — which
a link reaches without JavaScript; `glossary/glossary.js` opens the same note as a popover.
A term the module already explains in a glossary box (the glossary term block, marked
`data-term`) is linked to that box instead of getting a second note.
"""

import html as html_lib
import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse

from .linking import TermEntry, link_terms, note_id
from .models import LANGUAGE_CODES
from .selectors import glossary_at, glossary_version, shown_language

SCRIPT = "glossary/glossary.js"
POPOVER = "glossary/popover.js"  # fetched by SCRIPT on the first term a reader opens
_BOX = re.compile(r'<dl class="glossary-term"[^>]*? data-term="([^"]*)"[^>]*>')


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
        # The scripts' addresses change with each release (hashed static files).
        return f"{glossary_version()} {static(SCRIPT)} {static(POPOVER)}"

    def process(self, html: str, *, token: str, text_language: str, reader_language: str) -> str:
        version = token.split(" ", 1)[0]
        glossary = glossary_at(version)
        linked = link_terms(html, glossary, text_language)
        if not linked.term_ids:
            return html
        body, boxed = _boxes_as_notes(linked.html, glossary, linked.term_ids)
        entries = glossary.by_id()
        notes = render_to_string(
            "glossary/notes.html",
            {
                "notes": [
                    note_for(entries[i], reader_language) for i in linked.term_ids if i not in boxed
                ],
                "script": SCRIPT,
                "popover": POPOVER,
            },
        )
        return body + notes


def _boxes_as_notes(html: str, glossary, term_ids) -> tuple[str, set[int]]:
    """Give the first glossary box of each linked term the id its links point to."""
    entries = glossary.by_id()
    boxed: set[int] = set()
    for match in _BOX.finditer(html):
        named = glossary.terms_named(html_lib.unescape(match.group(1)))
        term_id = next((i for i in named if i in term_ids and i not in boxed), None)
        if term_id is None:
            continue
        boxed.add(term_id)
        tag = match.group(0)
        html = html.replace(tag, f'{tag[:-1]} id="{note_id(entries[term_id].slug)}">', 1)
    return html, boxed


glossary_links = GlossaryLinks()
