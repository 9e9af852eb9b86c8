"""Reading the search index: the search page and "which pages use these words".

A constant number of queries whatever the number of results: the glossary's version, the
candidate rows, view restrictions, the rows shown, and one or two per source for their
targets. Every hit is checked on each query: a page must be live and in a live course (rows
of pages unpublished since they were indexed are never shown) and open to the reader under
every view restriction above it.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import translation
from django.utils.text import capfirst
from wagtail.models import PageViewRestriction

from .highlight import Passage, passage
from .models import SearchDocument
from .query import Query, build_query, tsquery
from .services import PG_CONFIGS
from .sources import Target, expanders, source

PAGE_SIZE = 20
MAX_CANDIDATES = 300


@dataclass(frozen=True)
class Hit:
    source: str
    object_id: int
    kind: str
    kind_label: str
    # The language of the text that matched (the reader's when it matched there too).
    language: str
    target: Target
    passage: Passage
    # The whole text that matched, for callers that look further (glossary term pages).
    body: str = field(default="", repr=False)


@dataclass(frozen=True)
class SearchResults:
    query: Query
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    # True when more rows matched than are ranked: the reader should add words.
    capped: bool = False
    page: int = 1
    pages: int = 0


def expanded_query(text: str) -> Query:
    phrases = [phrase for expand in expanders() for phrase in expand(text)]
    return build_query(text, phrases)


def _visible_rows():
    """Rows of objects that exist for readers: pages only while live and in a live course."""
    return SearchDocument.objects.filter(
        Q(page__isnull=True) | Q(page__live=True, course__live=True)
    )


def _matching(query: Query, rows):
    if connection.vendor == "postgresql":
        match = SearchQuery(tsquery(query), search_type="raw", config="simple")
        for phrase in query.phrases:
            for config in PG_CONFIGS.values():
                match |= SearchQuery(phrase, search_type="plain", config=config)
        return rows.filter(vector=match).annotate(rank=SearchRank(F("vector"), match))
    anywhere, in_title = Q(), Q()
    for alternative in query.alternatives:
        every, every_in_title = Q(), Q()
        for k in alternative:
            every &= Q(keys__contains=f" {k}")
            every_in_title &= Q(title_keys__contains=f" {k}")
        anywhere |= every
        in_title |= every_in_title
    return rows.filter(anywhere).annotate(
        rank=Case(When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField())
    )


class Restrictions:
    """View restrictions, each checked against the request at most once."""

    def __init__(self, request):
        self.request = request
        self._all: list[PageViewRestriction] | None = None
        self._passed: dict[int, bool] = {}

    def allow(self, path: str) -> bool:
        if self._all is None:
            self._all = list(
                PageViewRestriction.objects.select_related("page").prefetch_related("groups")
            )
        for restriction in self._all:
            if path.startswith(restriction.page.path):
                if restriction.pk not in self._passed:
                    self._passed[restriction.pk] = restriction.accept_request(self.request)
                if not self._passed[restriction.pk]:
                    return False
        return True


def _candidates(query: Query, request, *, kinds: Sequence[str] = ()) -> tuple[list[dict], bool]:
    """The best rows, one per object (in the reader's language when it matched there), that
    the reader may open; and whether more rows matched than were ranked."""
    rows = _matching(query, _visible_rows())
    if kinds:
        rows = rows.filter(kind__in=kinds)
    ranked = list(
        rows.order_by("-rank", "pk").values(
            "pk", "source", "object_id", "language", "kind", "page__path"
        )[: MAX_CANDIDATES + 1]
    )
    capped = len(ranked) > MAX_CANDIDATES
    reader = translation.get_language() or settings.LANGUAGE_CODE
    restrictions = Restrictions(request)
    best: dict[tuple[str, int], dict] = {}
    for row in ranked[:MAX_CANDIDATES]:
        ident = (row["source"], row["object_id"])
        chosen = best.get(ident)
        if chosen is None:
            path = row["page__path"]
            if path is not None and not restrictions.allow(path):
                continue
            best[ident] = row
        elif row["language"] == reader and chosen["language"] != reader:
            best[ident] = row
    return list(best.values()), capped


def _kind_label(kind: str) -> str:
    try:
        model = apps.get_model(kind)
    except LookupError:
        return ""
    return capfirst(model._meta.verbose_name)


def _hits(rows: list[dict], query: Query, request) -> list[Hit]:
    texts = {
        r["pk"]: r
        for r in SearchDocument.objects.filter(pk__in=[r["pk"] for r in rows]).values(
            "pk", "title", "body"
        )
    }
    targets: dict[tuple[str, int], Target] = {}
    for name in {r["source"] for r in rows}:
        ids = [r["object_id"] for r in rows if r["source"] == name]
        for object_id, target in source(name).targets(ids, request=request).items():
            targets[(name, object_id)] = target
    hits = []
    for row in rows:
        target = targets.get((row["source"], row["object_id"]))
        text = texts.get(row["pk"])
        if target is None or text is None:
            continue  # removed since the rows were read
        shown = passage(text["body"], query.marks) or passage(text["title"], query.marks)
        hits.append(
            Hit(
                source=row["source"],
                object_id=row["object_id"],
                kind=row["kind"],
                kind_label=_kind_label(row["kind"]),
                language=row["language"],
                target=target,
                passage=shown,
                body=text["body"],
            )
        )
    return hits


def search(*, request, text: str, page: int = 1) -> SearchResults:
    """Results for `text` typed by the reader of `request`, a page of them at a time."""
    query = expanded_query(text)
    if not query:
        return SearchResults(query=query)
    rows, capped = _candidates(query, request)
    pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return SearchResults(
        query=query,
        hits=_hits(shown, query, request),
        total=len(rows),
        capped=capped,
        page=page,
        pages=pages,
    )


def pages_mentioning(
    *, request, phrases: Sequence[str], kinds: Sequence[str], limit: int = 50
) -> list[Hit]:
    """Pages of `kinds` the reader may open whose text has the words of any of `phrases`
    (in any order: callers that need the phrase itself check `Hit.body`)."""
    query = build_query(phrases[0], phrases[1:]) if phrases else None
    if not query:
        return []
    rows, _capped = _candidates(query, request, kinds=kinds)
    return _hits(rows[:limit], query, request)
