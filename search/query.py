"""What a search query asks for: pure functions, no ORM.

A query is one or more *alternatives* (the words typed, and phrases the glossary says mean the
same); an alternative matches a text when every one of its keys starts a word of the text.
Keys are normalised (`search.normalise`) and singular; small words (of, de, في …) are dropped
unless nothing else was typed.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from .normalise import is_key, keys, normalise, singular

MAX_QUERY_LENGTH = 200
MAX_KEYS = 10
MAX_ALTERNATIVES = 24
# In normalised form; "ال" never reaches here (an article is part of its word's key).
STOPWORDS = frozenset(
    {
        "a", "an", "and", "by", "for", "in", "of", "on", "or", "the", "to", "with",
        "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "ou", "par",
        "pour", "sur", "un", "une",
        "او", "ان", "الي", "علي", "عن", "في", "من", "و",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Query:
    text: str
    # Each alternative: keys that must all start a word. None is a superset of another.
    alternatives: tuple[tuple[str, ...], ...]
    # The normalised text typed, for stemmed full-text search (empty: nothing to stem).
    phrases: tuple[str, ...]
    # Every key of every alternative before pruning: what a passage highlights.
    marks: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.alternatives)


def query_keys(text: str) -> tuple[str, ...]:
    found = [singular(k) for k in keys(text[:MAX_QUERY_LENGTH])]
    meaningful = [k for k in found if k not in STOPWORDS and len(k) > 1]
    chosen: list[str] = []
    for k in meaningful or found:
        if k not in chosen and is_key(k):
            chosen.append(k)
    return tuple(chosen[:MAX_KEYS])


def build_query(text: str, expansions: Sequence[str] = ()) -> Query:
    """The query for `text` typed by the reader, with phrases that mean the same.

    A text that has every key of an alternative matches it whatever else it has, so an
    alternative with all the keys of another is dropped: "demande de conservation des données"
    adds nothing to "demande de conservation".
    """
    candidates: list[tuple[str, ...]] = []
    for phrase in (text, *expansions):
        found = query_keys(phrase)
        if found:
            candidates.append(found)
    marks: list[str] = []
    for found in candidates:
        marks += [k for k in found if k not in marks]
    alternatives: list[tuple[str, ...]] = []
    for i, found in enumerate(candidates):
        covered = any(
            set(other) < set(found) or (set(other) == set(found) and j < i)
            for j, other in enumerate(candidates)
        )
        if not covered:
            alternatives.append(found)
    alternatives = alternatives[:MAX_ALTERNATIVES]
    typed = normalise(text[:MAX_QUERY_LENGTH]).strip()
    return Query(
        text=text,
        alternatives=tuple(alternatives),
        phrases=(typed,) if typed and alternatives else (),
        marks=tuple(marks),
    )


def tsquery(query: Query) -> str:
    """PostgreSQL `to_tsquery` syntax for prefix matches of every alternative's keys.

    Keys hold letters and digits only (`is_key`), so nothing typed can change the syntax.
    """
    return " | ".join(
        "(" + " & ".join(f"'{k}':*" for k in alternative) + ")"
        for alternative in query.alternatives
    )
