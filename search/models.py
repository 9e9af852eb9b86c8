"""The search index: one row per searchable object and language, with normalised keys.

Rows are written only by `search.services` (from the publish tasks and the rebuild command)
and never shown as they are: the search page re-checks, on every query, that a page is live,
in a live course and open to the reader. See docs/glossary-and-search.md.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """What one object (a page, a glossary term …) says in one language."""

    # A record of what someone did, not content: Wagtail's usage index has nothing to learn
    # from it, and would cost queries on every write (docs/performance.md).
    wagtail_reference_index_ignore = True

    source = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=8)
    # The model the object is an instance of ("courses.modulepage"): what results call it.
    kind = models.CharField(max_length=100)
    # Pages only: the page and the course it belongs to (itself, for a course), so that a
    # query can keep to live pages of live courses.
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    course = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # Normalised keys (search.normalise) between spaces, " k1 k2 … ", for prefix matching.
    title_keys = models.TextField(blank=True)
    keys = models.TextField(blank=True)
    # PostgreSQL only (NULL elsewhere): the keys and the stemmed text, GIN-indexed.
    vector = SearchVectorField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "object_id", "language"], name="unique_search_document"
            )
        ]
        indexes = [models.Index(fields=["source", "object_id"])]

    def __str__(self):
        return f"{self.kind} {self.object_id} ({self.language})"
