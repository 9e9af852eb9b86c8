"""Moodle's multi-language text, split into Tadrib's languages and written back.

Moodle keeps one text with every language inside it and its filters show the reader's part:
`<span lang="fr" class="multilang">…</span>` (core filter) and `{mlang fr}…{mlang}` (the
multi-language content filter, which also knows `{mlang other}` and lists such as
`{mlang en,fr}`). Tadrib keeps one field per language, so an imported text is split: each
language gets the text outside the markers plus its own marked parts; a language no marker
names stays empty (Tadrib's own fallback then says it is missing). A text without markers goes
to the language the trainer picked. Regional codes (`fr_ca`, `ar-SA`) count as their language.
"""

import re
from dataclasses import dataclass

LANGUAGES = ("en", "fr", "ar")

_SPAN = re.compile(
    r"<(?P<tag>span|lang)\b(?P<attrs>[^>]*\blang\s*=\s*[\"']?(?P<lang>[A-Za-z0-9_-]+)[\"']?[^>]*)>"
    r"(?P<body>.*?)</(?P=tag)\s*>",
    re.IGNORECASE | re.DOTALL,
)
_MLANG = re.compile(
    r"\{\s*mlang\s+(?P<lang>[A-Za-z0-9_,\s-]+?)\s*\}(?P<body>.*?)\{\s*mlang\s*\}",
    re.IGNORECASE | re.DOTALL,
)
OTHER = "other"


@dataclass(frozen=True)
class Split:
    texts: dict[str, str]  # language → text ("" where none)
    marked: bool  # the text had markers
    unknown: frozenset[str]  # languages named that Tadrib does not have (their text dropped)


def _language(code: str) -> str:
    return re.split(r"[_-]", code.strip().lower(), maxsplit=1)[0]


def _blocks(text: str) -> list[tuple[frozenset[str] | None, str]]:
    """The text as (languages, part) pieces in order; None for text outside markers."""
    found = []
    for match in _SPAN.finditer(text):
        if match["tag"].lower() == "span" and "multilang" not in match["attrs"].lower():
            continue
        found.append((match.start(), match.end(), frozenset({_language(match["lang"])}), match))
    for match in _MLANG.finditer(text):
        codes = frozenset(_language(c) for c in match["lang"].split(",") if c.strip())
        found.append((match.start(), match.end(), codes, match))
    found.sort(key=lambda entry: entry[0])
    pieces: list[tuple[frozenset[str] | None, str]] = []
    at = 0
    for start, end, codes, match in found:
        if start < at:  # inside a block already taken (a span within an {mlang} block)
            continue
        pieces.append((None, text[at:start]))
        pieces.append((codes, match["body"]))
        at = end
    pieces.append((None, text[at:]))
    return pieces


def split(text: str | None, *, language: str = "en") -> Split:
    """`text` as {"en": …, "fr": …, "ar": …}; unmarked text goes to `language`."""
    text = text or ""
    pieces = _blocks(text)
    if all(codes is None for codes, _part in pieces):
        texts = dict.fromkeys(LANGUAGES, "")
        texts[language] = text.strip()
        return Split(texts=texts, marked=False, unknown=frozenset())
    named = set().union(*(codes for codes, _part in pieces if codes is not None))
    texts = {}
    for code in LANGUAGES:
        wanted = {code} if code in named else {OTHER}
        if code not in named and OTHER not in named:
            texts[code] = ""
            continue
        texts[code] = "".join(
            part for codes, part in pieces if codes is None or codes & wanted
        ).strip()
    return Split(texts=texts, marked=True, unknown=frozenset(named - set(LANGUAGES) - {OTHER}))


def join(texts: dict[str, str], *, plain: bool = False) -> str:
    """One text for Moodle from Tadrib's translations: English alone is written as it is (it
    comes back as English); otherwise each language in its span (or `{mlang}` block for
    `plain` texts such as attributes, where a span cannot go)."""
    present = {code: texts[code] for code in LANGUAGES if texts.get(code)}
    if not present:
        return ""
    if list(present) == ["en"]:
        return present["en"]
    if plain:
        return "".join(f"{{mlang {code}}}{text}{{mlang}}" for code, text in present.items())
    return "".join(
        f'<span lang="{code}" class="multilang">{text}</span>' for code, text in present.items()
    )
