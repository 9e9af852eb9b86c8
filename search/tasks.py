"""Index updates as background tasks (django-tasks, as Wagtail uses it).

Enqueued when the change commits, and only then, so a task never reads what a rolled-back
transaction wrote, and a failing task never undoes or blocks the publish that caused it: with
the immediate backend of a single machine it runs right after the commit and any error is
logged; with a worker it runs there. Idempotent: a task run twice or late changes nothing
more. See docs/glossary-and-search.md.
"""

import logging
from collections.abc import Iterable

from django.db import transaction
from django_tasks import task

from .services import index_update

logger = logging.getLogger(__name__)


@task()
def index_objects_task(source_name: str, object_ids: list[int]) -> int:
    try:
        return index_update(source_name=source_name, object_ids=object_ids)
    except Exception:
        # The immediate backend records a failure without logging it.
        logger.exception("Search index update failed for %s %s", source_name, object_ids)
        raise


def index_later(*, source_name: str, object_ids: Iterable[int]) -> None:
    """Enqueue an index update for these objects once the current transaction commits."""
    ids = sorted({int(i) for i in object_ids})
    if not ids:
        return

    def enqueue():
        index_objects_task.enqueue(source_name, ids)

    transaction.on_commit(enqueue, robust=True)
