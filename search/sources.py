"""What the index holds and how results are shown: one registered source per kind of object.

Search knows pages of courses (its own source, `search.pages`); other apps register theirs
from `AppConfig.ready()` (the glossary registers its terms), so search imports none of them.
A source turns objects into `Entry` rows for the index, and hits back into `Target`s to show.
Expanders add phrases to a query (the glossary adds a term's names in the other languages).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Text:
    """What an object says in one language."""

    language: str
    title: str
    body: str


@dataclass(frozen=True)
class Entry:
    """An object as the index holds it."""

    object_id: int
    kind: str
    texts: tuple[Text, ...]
    page_id: int | None = None
    course_id: int | None = None


@dataclass(frozen=True)
class Target:
    """A result as the reader sees it, in the reader's language where it exists."""

    url: str
    title: str
    title_language: str
    context: str = ""
    context_language: str = ""
    # The object's name in other languages, (language, text): glossary terms.
    other_names: tuple[tuple[str, str], ...] = ()


class Source(Protocol):
    name: str

    def entries(self, object_ids: Iterable[int] | None) -> Iterable[Entry]:
        """Entries of the given objects (all objects for None). An object that is gone or
        must not be found (an unpublished page) yields nothing: its rows are removed."""

    def targets(self, object_ids: Sequence[int], *, request) -> dict[int, Target]:
        """How each hit is shown, in a constant number of queries."""


class Expander(Protocol):
    def __call__(self, query: str) -> list[str]:
        """Other phrases that mean what `query` means, in any language."""


_sources: dict[str, Source] = {}
_expanders: list[Expander] = []


def register_source(source: Source) -> None:
    _sources[source.name] = source


def register_expander(expander: Expander) -> None:
    if expander not in _expanders:
        _expanders.append(expander)


def sources() -> dict[str, Source]:
    return dict(_sources)


def source(name: str) -> Source:
    return _sources[name]


def expanders() -> tuple[Expander, ...]:
    return tuple(_expanders)
