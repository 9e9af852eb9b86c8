"""Writes to the search index. Every function is idempotent: running it twice, or late, leaves
the index as running it once on time would."""

from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Value

from . import normalise
from .models import SearchDocument
from .sources import Entry, Text, source, sources

# The stemmed half of a PostgreSQL row, per language of the text.
PG_CONFIGS = {"en": "english", "fr": "french", "ar": "arabic"}
MAX_TEXT = 200_000


def keys_field(text: str) -> str:
    """Keys between spaces, so that `LIKE '% key%'` finds a word starting with `key`; an
    Arabic word that may carry a proclitic is there with and without it."""
    found = [form for k in normalise.keys(text) for form in normalise.key_forms(k)]
    return f" {' '.join(found)} " if found else ""


def _document(source_name: str, entry: Entry, text: Text) -> SearchDocument:
    body = text.body[:MAX_TEXT]
    return SearchDocument(
        source=source_name,
        object_id=entry.object_id,
        language=text.language,
        kind=entry.kind,
        page_id=entry.page_id,
        course_id=entry.course_id,
        title=text.title,
        body=body,
        title_keys=keys_field(text.title),
        keys=keys_field(f"{text.title}\n{body}"),
    )


def _vectors(ids: list[int]) -> None:
    """PostgreSQL: weight the title's keys A, the body's D, and add the stemmed text (B, D)."""
    if connection.vendor != "postgresql" or not ids:
        return
    for language, config in PG_CONFIGS.items():
        rows = SearchDocument.objects.filter(pk__in=ids, language=language)
        rows.update(
            vector=SearchVector("title_keys", config=Value("simple"), weight="A")
            + SearchVector("keys", config=Value("simple"), weight="D")
            + SearchVector("title", config=Value(config), weight="B")
            + SearchVector("body", config=Value(config), weight="D")
        )


@transaction.atomic
def index_update(*, source_name: str, object_ids: Iterable[int] | None = None) -> int:
    """Bring the rows of these objects of `source_name` (all of them for None) up to date;
    the number of rows written."""
    wanted = None if object_ids is None else sorted(set(object_ids))
    stale = SearchDocument.objects.filter(source=source_name)
    if wanted is not None:
        stale = stale.filter(object_id__in=wanted)
    stale.delete()
    documents = [
        _document(source_name, entry, text)
        for entry in source(source_name).entries(wanted)
        for text in entry.texts
    ]
    created = SearchDocument.objects.bulk_create(documents, batch_size=500)
    # SQLite and PostgreSQL both return the new primary keys.
    _vectors([d.pk for d in created])
    return len(created)


def index_rebuild() -> int:
    """Every source indexed afresh; the number of rows written."""
    return sum(index_update(source_name=name) for name in sources())


def index_ensure() -> int:
    """Build the index if it is empty (a new installation, or one from before search)."""
    if SearchDocument.objects.exists():
        return 0
    return index_rebuild()
