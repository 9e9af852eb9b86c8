"""Publishing, unpublishing or moving a course page queues its index update (`search.tasks`).

A deleted page's rows go with it (foreign keys). View restrictions and a course's own state
need no update: they are checked on every query.
"""

from wagtail.signals import page_published, page_unpublished, post_page_move

from .pages import indexed_models
from .tasks import index_later


def _page_changed(sender, instance, **kwargs):
    if isinstance(instance, tuple(indexed_models())):
        index_later(source_name="pages", object_ids=[instance.pk])


def connect() -> None:
    for signal, name in (
        (page_published, "published"),
        (page_unpublished, "unpublished"),
        (post_page_move, "moved"),
    ):
        signal.connect(_page_changed, weak=False, dispatch_uid=f"tadrib-search-{name}")
