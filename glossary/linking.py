"""Glossary links in rendered text: pure functions and dataclasses, no ORM.

`Glossary` holds the terms as plain data and, per language, a `Matcher` of every written form
of every term (the term, the term without its parenthesis, its variants, its abbreviation).
`link_terms` walks rendered HTML and turns the first occurrence of each term in each section
(the text between two `<h2>` headings) into a link to the term's note. It never changes
anything else: text inside headings, links, buttons, code, captions, `<summary>` and any
element marked `data-autolink="off"` (legal citations, glossary boxes, blocks for which the
trainer switched links off) is left as it is, and so is all markup.

Words match by their keys (`search.normalise`), so Arabic matches with or without tashkeel,
hamza on the alef or the article, and Latin words with or without accents and a plural s.
Abbreviations match only as written (capitals), so "MLA" never links the word "mla".
"""

import html as html_lib
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

from search.normalise import Word, key, without_proclitic, words
from search.normalise import singular as base

SKIP_TAGS = frozenset(
    {
        "a", "h1", "h2", "h3", "h4", "h5", "h6", "summary", "button", "label", "code", "pre",
        "kbd", "samp", "script", "style", "textarea", "select", "option", "figcaption", "svg",
    }
)  # fmt: skip
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip
SECTION_TAG = "h2"
NO_AUTOLINK = ("data-autolink", "off")
_PARENTHESIS = re.compile(r"\s*\([^)]*\)")


@dataclass(frozen=True)
class TermEntry:
    """A glossary term as the linker and the glossary pages need it."""

    id: int
    slug: str
    names: Mapping[str, str]
    definitions: Mapping[str, str] = field(default_factory=dict)
    abbreviations: Mapping[str, str] = field(default_factory=dict)
    variants: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def forms(self, language: str) -> list[str]:
        """Every way the term is written in `language`, the abbreviation excepted."""
        found: list[str] = []
        for text in (self.names.get(language, ""), *self.variants.get(language, ())):
            for form in (text, _PARENTHESIS.sub("", text)):
                form = form.strip()
                if form and form not in found:
                    found.append(form)
        return found


@dataclass(frozen=True)
class Form:
    term_id: int
    bases: tuple[str, ...]
    # What the form has between its words, spaces removed ("," in "poursuites, réadaptation").
    gaps: tuple[str, ...] = ()
    # Abbreviations: the words exactly as written.
    exact: tuple[str, ...] | None = None

    def allows(self, j: int, gap: str) -> bool:
        """Whether `gap`, found in a text between this form's words j and j + 1, fits: the
        form's own punctuation, or spaces where the form has spaces or a parenthesis."""
        own = self.gaps[j] if j < len(self.gaps) else ""
        if _squash(gap) == own:
            return True
        return _JOINER.fullmatch(gap) is not None and _JOINER.fullmatch(own.strip("()")) is not None


# What may stand between two words of one term in any text: spaces, apostrophes, hyphens, a
# slash (24/7). Other punctuation only where the term itself has it.
_JOINER = re.compile("[\\s\u00a0'\u2019\u2010\u2011\\-/]*")
_SPACE = re.compile(r"[\s\u00a0]+")


def _squash(gap: str) -> str:
    return _SPACE.sub("", gap).replace("\u2019", "'")


def _form(term_id: int, text: str, *, exact: bool = False) -> Form:
    found = words(text)
    return Form(
        term_id,
        tuple(base(w.key) for w in found),
        gaps=tuple(_squash(text[a.end : b.start]) for a, b in itertools.pairwise(found)),
        exact=tuple(w.text for w in found) if exact else None,
    )


class Matcher:
    """Finds terms in a run of words: leftmost first, then longest form."""

    def __init__(self, forms: Sequence[Form]):
        self._by_first: dict[str, list[Form]] = {}
        for form in forms:
            if form.bases:
                self._by_first.setdefault(form.bases[0], []).append(form)
        for candidates in self._by_first.values():
            candidates.sort(key=lambda f: len(f.bases), reverse=True)

    def __bool__(self) -> bool:
        return bool(self._by_first)

    def find(self, text: str, run: Sequence[Word]) -> Iterator[tuple[int, int, int]]:
        """(first word, last word + 1, term id) of each match in `text`, whose words are
        `run`, not overlapping. A match spans only the punctuation its form allows."""
        bases = [base(w.key) for w in run]
        gaps = [text[run[j].end : run[j + 1].start] for j in range(len(run) - 1)]
        i = 0
        while i < len(run):
            match = self._match_at(run, bases, gaps, i)
            if match is None:
                i += 1
                continue
            yield i, i + len(match.bases), match.term_id
            i += len(match.bases)

    def _match_at(self, run, bases, gaps, i) -> Form | None:
        # The first word may carry an Arabic proclitic: "وبيانات الحركة".
        bare = without_proclitic(run[i].key)
        for first in (bases[i], bare):
            for form in self._by_first.get(first or "", ()):
                n = len(form.bases)
                if i + n > len(run) or bases[i + 1 : i + n] != list(form.bases[1:]):
                    continue
                if not all(form.allows(j, gaps[i + j]) for j in range(n - 1)):
                    continue
                if form.exact is not None and tuple(w.text for w in run[i : i + n]) != form.exact:
                    continue
                return form
        return None


def build_matcher(entries: Sequence[TermEntry], language: str) -> Matcher:
    forms: list[Form] = []
    for entry in entries:
        forms += [_form(entry.id, text) for text in entry.forms(language)]
        abbreviation = entry.abbreviations.get(language, "").strip()
        if abbreviation:
            forms.append(_form(entry.id, abbreviation, exact=True))
    return Matcher(forms)


@dataclass(frozen=True)
class Glossary:
    """Every term, and a matcher per language (built on first use)."""

    entries: tuple[TermEntry, ...]
    _matchers: dict[str, Matcher] = field(default_factory=dict, compare=False, repr=False)

    def by_id(self) -> dict[int, TermEntry]:
        return {e.id: e for e in self.entries}

    def matcher(self, language: str) -> Matcher:
        if language not in self._matchers:
            self._matchers[language] = build_matcher(self.entries, language)
        return self._matchers[language]

    def terms_in(self, text: str, language: str) -> list[int]:
        """The ids of the terms written in plain `text`, in order of first appearance."""
        found: list[int] = []
        for _start, _end, term_id in self.matcher(language).find(text, words(text)):
            if term_id not in found:
                found.append(term_id)
        return found

    def terms_named(self, query: str) -> list[int]:
        """Terms of which `query` is one of the written forms, in any language (a plural or
        missing accents allowed): the cross-language lookup."""
        wanted = tuple(base(k) for k in (key(w) for w in _words_text(query)))
        if not wanted:
            return []
        found = []
        for entry in self.entries:
            for language in entry.names:
                texts = [*entry.forms(language), entry.abbreviations.get(language, "")]
                if any(_bases(text) == wanted for text in texts if text):
                    found.append(entry.id)
                    break
        return found


def _words_text(text: str) -> list[str]:
    return [w.text for w in words(text)]


def _bases(text: str) -> tuple[str, ...]:
    return tuple(base(w.key) for w in words(text))


@dataclass(frozen=True)
class LinkedHTML:
    html: str
    # Terms linked at least once, in order of their first link.
    term_ids: tuple[int, ...]


def note_id(slug: str) -> str:
    return f"glossary-{slug}"


def link_terms(html: str, glossary: Glossary, language: str) -> LinkedHTML:
    """`html` with the first occurrence of each term per section linked to its note."""
    matcher = glossary.matcher(language)
    if not matcher or not html:
        return LinkedHTML(html, ())
    parser = _Linker(matcher, glossary.by_id())
    parser.feed(html)
    parser.close()
    return LinkedHTML("".join(parser.out), tuple(parser.linked))


class _Linker(HTMLParser):
    """Copies the HTML it reads, linking terms in the text it may link.

    Text is gathered up to the next tag, character references included, so that
    "d&#x27;entraide" reads as "d'entraide"; links are put into the text as it was written.
    """

    def __init__(self, matcher: Matcher, entries: Mapping[int, TermEntry]):
        super().__init__(convert_charrefs=False)
        self.matcher = matcher
        self.entries = entries
        self.out: list[str] = []
        self.stack: list[tuple[str, bool]] = []
        self.in_section: set[int] = set()
        self.linked: list[int] = []
        # The text since the last tag: (as written, as read) pieces.
        self.pieces: list[tuple[str, str]] = []

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def _markup(self, raw: str) -> None:
        self._flush()
        self.out.append(raw)

    def handle_starttag(self, tag, attrs):
        self._markup(self.get_starttag_text() or "")
        if tag == SECTION_TAG:
            self.in_section = set()
        if tag in VOID_TAGS:
            return
        self.stack.append((tag, tag in SKIP_TAGS or NO_AUTOLINK in attrs))

    def handle_startendtag(self, tag, attrs):
        self._markup(self.get_starttag_text() or "")

    def handle_endtag(self, tag):
        self._markup(f"</{tag}>")
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        self.pieces.append((data, data))

    def handle_entityref(self, name):
        raw = f"&{name};"
        self.pieces.append((raw, html_lib.unescape(raw)))

    def handle_charref(self, name):
        raw = f"&#{name};"
        self.pieces.append((raw, html_lib.unescape(raw)))

    def handle_comment(self, data):
        self._markup(f"<!--{data}-->")

    def handle_decl(self, decl):
        self._markup(f"<!{decl}>")

    def unknown_decl(self, data):
        self._markup(f"<![{data}]>")

    def handle_pi(self, data):
        self._markup(f"<?{data}>")

    def close(self):
        super().close()
        self._flush()

    def _flush(self) -> None:
        if not self.pieces:
            return
        pieces, self.pieces = self.pieces, []
        raw = "".join(written for written, _read in pieces)
        if self._skipping():
            self.out.append(raw)
            return
        # Where each character of the text as read starts in the text as written.
        text_parts: list[str] = []
        starts: list[int] = []
        offset = 0
        for written, read in pieces:
            text_parts.append(read)
            if written == read:
                starts.extend(range(offset, offset + len(read)))
            else:
                starts.extend([offset] * len(read))
            offset += len(written)
        starts.append(offset)
        self.out.append(self._link(raw, "".join(text_parts), starts))

    def _link(self, raw: str, text: str, starts: list[int]) -> str:
        run = words(text)
        if not run:
            return raw
        parts: list[str] = []
        position = 0
        for first, last, term_id in self.matcher.find(text, run):
            if term_id in self.in_section:
                continue
            self.in_section.add(term_id)
            start, end = starts[run[first].start], starts[run[last - 1].end]
            parts.append(raw[position:start])
            parts.append(self._anchor(term_id, raw[start:end]))
            position = end
        parts.append(raw[position:])
        return "".join(parts)

    def _anchor(self, term_id: int, written: str) -> str:
        if term_id not in self.linked:
            self.linked.append(term_id)
        slug = html_lib.escape(self.entries[term_id].slug)
        # `written` is a slice of the parsed HTML's text as it was: already escaped.
        return f'<a class="glossary-link" href="#{note_id(slug)}">{written}</a>'
