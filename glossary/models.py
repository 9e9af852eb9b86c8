"""The trilingual legal glossary: one snippet per term, in English, French and Arabic.

The three languages are fields of one row, not translations of one field, because a term is
always shown with its equivalents in the two other languages. Writes go through
`glossary.services`; every change moves `GlossaryVersion` on, in the same transaction.
"""

import uuid

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

LANGUAGE_CODES = ("en", "fr", "ar")


class Term(models.Model):
    """A legal or technical term, its equivalents, variants and definitions."""

    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        allow_unicode=False,
        help_text=_("The term's address in the glossary, from the English term."),
    )
    term_en = models.CharField(_("term in English"), max_length=200)
    term_fr = models.CharField(_("term in French"), max_length=200)
    term_ar = models.CharField(_("term in Arabic"), max_length=200)
    abbreviation_en = models.CharField(_("abbreviation in English"), max_length=30, blank=True)
    abbreviation_fr = models.CharField(_("abbreviation in French"), max_length=30, blank=True)
    abbreviation_ar = models.CharField(_("abbreviation in Arabic"), max_length=30, blank=True)
    variants_en = models.TextField(
        _("variants in English"),
        blank=True,
        help_text=_("Other ways of writing the term (plural, synonyms), one per line."),
    )
    variants_fr = models.TextField(
        _("variants in French"),
        blank=True,
        help_text=_("Other ways of writing the term (plural, synonyms), one per line."),
    )
    variants_ar = models.TextField(
        _("variants in Arabic"),
        blank=True,
        help_text=_("Other ways of writing the term (plural, synonyms), one per line."),
    )
    definition_en = models.TextField(_("definition in English"), max_length=1200)
    definition_fr = models.TextField(_("definition in French"), max_length=1200, blank=True)
    definition_ar = models.TextField(_("definition in Arabic"), max_length=1200, blank=True)
    source_instrument = models.CharField(
        _("source instrument"),
        max_length=300,
        blank=True,
        help_text=_("The convention, law or resolution the definition follows."),
    )
    source_provision = models.CharField(_("article or provision"), max_length=200, blank=True)
    related_terms = models.ManyToManyField(
        "self", verbose_name=_("related terms"), blank=True, symmetrical=True
    )
    courses = models.ManyToManyField(
        "courses.CoursePage",
        verbose_name=_("courses"),
        blank=True,
        related_name="glossary_terms",
        help_text=_("The courses this term belongs to, for the glossary's course filter."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("slug"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("term_en"), FieldPanel("abbreviation_en")]),
                FieldPanel("variants_en"),
                FieldPanel("definition_en"),
            ],
            heading=_("English"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("term_fr"), FieldPanel("abbreviation_fr")]),
                FieldPanel("variants_fr"),
                FieldPanel("definition_fr"),
            ],
            heading=_("French"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("term_ar"), FieldPanel("abbreviation_ar")]),
                FieldPanel("variants_ar"),
                FieldPanel("definition_ar"),
            ],
            heading=_("Arabic"),
        ),
        FieldRowPanel([FieldPanel("source_instrument"), FieldPanel("source_provision")]),
        FieldPanel("related_terms"),
        FieldPanel("courses"),
    ]

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["term_en"]

    def __str__(self):
        return f"{self.term_en} · {self.term_fr} · {self.term_ar}"

    def get_absolute_url(self):
        return reverse("glossary:term", args=[self.slug])

    def name(self, language: str) -> str:
        return getattr(self, f"term_{language}", "") or ""

    def abbreviation(self, language: str) -> str:
        return getattr(self, f"abbreviation_{language}", "") or ""

    def variants(self, language: str) -> tuple[str, ...]:
        text = getattr(self, f"variants_{language}", "") or ""
        return tuple(line.strip() for line in text.splitlines() if line.strip())

    def definition(self, language: str) -> str:
        return getattr(self, f"definition_{language}", "") or ""


class GlossaryVersion(models.Model):
    """One row: a new random value whenever any term changes.

    Random rather than a counter so that a value is never reused, even by a transaction that
    rolled back: cached glossary links keyed by it can never outlive the terms they show.
    """

    value = models.UUIDField(default=uuid.uuid4)

    class Meta:
        verbose_name = _("glossary version")

    def __str__(self):
        return str(self.value)
