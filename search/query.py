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
    # Each alternative: keys that must all start a word.
    alternatives: tuple[tuple[str, ...], ...]
    # The normalised text of each alternative, for stemmed full-text search.
    phrases: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.alternatives)

    @property
    def marks(self) -> tuple[str, ...]:
        """Every key of every alternative: what a passage highlights."""
        found: list[str] = []
        for alternative in self.alternatives:
            found += [k for k in alternative if k not in found]
        return tuple(found)


def query_keys(text: str) -> tuple[str, ...]:
    found = [singular(k) for k in keys(text[:MAX_QUERY_LENGTH])]
    meaningful = [k for k in found if k not in STOPWORDS and len(k) > 1]
    chosen: list[str] = []
    for k in meaningful or found:
        if k not in chosen and is_key(k):
            chosen.append(k)
    return tuple(chosen[:MAX_KEYS])


def build_query(text: str, expansions: Sequence[str] = ()) -> Query:
    """The query for `text` typed by the reader, with phrases that mean the same."""
    alternatives: list[tuple[str, ...]] = []
    phrases: list[str] = []
    for phrase in (text, *expansions):
        found = query_keys(phrase)
        if found and found not in alternatives and len(alternatives) < MAX_ALTERNATIVES:
            alternatives.append(found)
            phrases.append(normalise(phrase[:MAX_QUERY_LENGTH]))
    return Query(text=text, alternatives=tuple(alternatives), phrases=tuple(phrases))


def tsquery(query: Query) -> str:
    """PostgreSQL `to_tsquery` syntax for prefix matches of every alternative's keys.

    Keys hold letters and digits only (`is_key`), so nothing typed can change the syntax.
    """
    return " | ".join(
        "(" + " & ".join(f"'{k}':*" for k in alternative) + ")"
        for alternative in query.alternatives
    )
