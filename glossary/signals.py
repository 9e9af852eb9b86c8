"""A term saved or deleted anywhere (admin, import) moves the glossary version and the
content generation on, in the same transaction, and queues the term's search rows.

The version keys cached module bodies with their glossary links; the content generation keys
the lesson shells around them (`cms.page_cache`). Both are cache keys, not business rules.
"""

import uuid

from django.db.models.signals import post_delete, post_save

from cms import page_cache
from search.tasks import index_later

from .models import GlossaryVersion, Term


def glossary_changed() -> None:
    GlossaryVersion.objects.update_or_create(pk=1, defaults={"value": uuid.uuid4()})
    page_cache.bump_generation()


def _term_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    glossary_changed()
    index_later(source_name="glossary", object_ids=[instance.pk])


def connect() -> None:
    post_save.connect(_term_changed, sender=Term, dispatch_uid="tadrib-glossary-saved")
    post_delete.connect(_term_changed, sender=Term, dispatch_uid="tadrib-glossary-deleted")
