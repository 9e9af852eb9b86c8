"""Surveys: a course activity of questions nobody is scored on (docs/surveys.md).

An anonymous survey's stored response carries no link to the person: no user, no exact time
(the day only), a random id, and — while the survey is open, so the person can change their
answers — a keyed hash that only the server's secret turns back into "this person's
response"; it is erased when the survey closes. Who has responded is a separate record.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from cms.fields import SanitizedRichTextField
from courses.blocks import RICH_TEXT_FEATURES
from courses.models import ActivityPage

TEXT_LIMIT = 5000


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale (Likert)")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RANKING = "ranking", _("Ranking")
    TEXT = "text", _("Free text")


# Kinds whose options are a list, one per line.
LISTED_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING)


def lines(text: str | None) -> list[str]:
    """The non-empty lines of `text`, stripped: a list field's options."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SurveyPage(ActivityPage):
    """A survey in a course: questions, dates, anonymous or named; answered once per person."""

    coverage_fields = ("title", "intro")

    intro = SanitizedRichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_(
            "Responses keep no link to the person. Cannot be changed once someone has responded."
        ),
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(
        _("closes"),
        null=True,
        blank=True,
        help_text=_("Respondents may change their answers until then."),
    )

    content_panels = [
        *ActivityPage.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("anonymous"),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
            ],
            heading=_("Rules"),
        ),
        InlinePanel("questions", label=_("Question"), heading=_("Questions, in order")),
    ]
    activity_label = _("Survey")
    template = "surveys/survey_page.html"

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A survey closes after it opens.")})
        if self.pk:
            before = SurveyPage.objects.filter(pk=self.pk).values_list("anonymous", flat=True)
            if (
                before
                and before[0] != self.anonymous
                and SurveyParticipation.objects.filter(survey_id=self.pk).exists()
            ):
                raise ValidationError(
                    {"anonymous": _("People have already responded: anonymity cannot change.")}
                )

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.opens_at is None or self.opens_at <= now) and (
            self.closes_at is None or now < self.closes_at
        )

    def has_closed(self, now=None) -> bool:
        return self.closes_at is not None and (now or timezone.now()) >= self.closes_at

    def serve(self, request, *args, **kwargs):
        from .views import survey_serve  # deferred: views builds on these models

        if not request.user.is_authenticated or getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        return survey_serve(self, request, lambda r, **ctx: super(SurveyPage, self).serve(r))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(getattr(request, "survey_context", {}))
        context.update(self.fallback_context("intro"))
        return context


class SurveyQuestion(Orderable):
    """One question of a survey. Options are lines of text, in the same order in every
    language; answers refer to an option by its position."""

    page = ParentalKey(SurveyPage, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    text = SanitizedRichTextField(_("question"), features=["bold", "italic", "link"])
    required = models.BooleanField(_("required"), default=True)
    options = models.TextField(
        _("options"),
        blank=True,
        help_text=_(
            "Choice, multiple-choice and ranking questions: one option per line, in the same "
            "order in every language. Do not reorder options once people have responded."
        ),
    )
    scale_points = models.PositiveSmallIntegerField(
        _("points on the scale"), choices=[(5, "5"), (7, "7")], default=5
    )
    scale_labels = models.TextField(
        _("scale labels"),
        blank=True,
        help_text=_("One label per point, from the lowest; empty: the points are numbered."),
    )
    not_applicable = models.BooleanField(_("offer “not applicable”"), default=False)
    max_length = models.PositiveSmallIntegerField(
        _("longest answer (characters)"),
        default=1000,
        validators=[MinValueValidator(1), MaxValueValidator(TEXT_LIMIT)],
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("required")]),
        FieldPanel("text"),
        FieldPanel("options"),
        FieldRowPanel(
            [FieldPanel("scale_points"), FieldPanel("not_applicable"), FieldPanel("max_length")]
        ),
        FieldPanel("scale_labels"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")

    def __str__(self):
        return f"{self.page_id} · {self.sort_order} · {self.kind}"

    def option_lines(self, language: str | None = None) -> list[str]:
        """The options in `language` (the active one by default), falling back to English."""
        if language is None:
            return lines(self.options) or lines(self.options_en)
        return lines(getattr(self, f"options_{language}", "")) or lines(self.options_en)

    def point_labels(self) -> list[str]:
        """A label for each point of a scale, lowest first."""
        labels = lines(self.scale_labels) or lines(self.scale_labels_en)
        if len(labels) != self.scale_points:
            return [str(n) for n in range(1, self.scale_points + 1)]
        return labels

    def clean(self):
        super().clean()
        problems = {}
        for code, _name in settings.LANGUAGES:
            count = len(lines(getattr(self, f"options_{code}", "")))
            english = len(lines(self.options_en))
            if self.kind in LISTED_KINDS and code != "en" and count and count != english:
                problems[f"options_{code}"] = _("As many options as in English, one per line.")
            labels = len(lines(getattr(self, f"scale_labels_{code}", "")))
            if self.kind == QuestionKind.SCALE and labels and labels != self.scale_points:
                problems[f"scale_labels_{code}"] = _("One label per point, one per line.")
        if self.kind in LISTED_KINDS and len(lines(self.options_en)) < 2:
            problems["options_en"] = _("At least two options, one per line.")
        if problems:
            raise ValidationError(problems)


class SurveyParticipation(models.Model):
    """That a person has responded to a survey: what completion and "change your answers"
    need. No time, no answer: for an anonymous survey it is all that names the person."""

    # A record of what someone did, not content: Wagtail's usage index has nothing to learn
    # from it, and would cost queries on every write (docs/performance.md).
    wagtail_reference_index_ignore = True

    survey = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("survey participation")
        verbose_name_plural = _("survey participations")
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="unique_survey_participation")
        ]


class SurveyResponse(models.Model):
    """One person's answers to a survey. The id is random, so the order of rows says nothing
    of the order people answered in; `submitted_on` is a day, never a time."""

    # A record of what someone did, not content: Wagtail's usage index has nothing to learn
    # from it, and would cost queries on every write (docs/performance.md).
    wagtail_reference_index_ignore = True

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="+")
    # Named surveys only.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Anonymous surveys only, while open: a keyed hash of (survey, person); see services.
    # NULL, not "", is "no key": the uniqueness below holds only among keys that are set.
    respondent_key = models.CharField(  # noqa: DJ001
        max_length=64, null=True, blank=True, editable=False
    )
    submitted_on = models.DateField(_("day"))
    # Groups for results, as they were when the response was given.
    country = models.CharField(_("country"), max_length=2, blank=True)
    organisation = models.ForeignKey(
        "cms.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=models.Q(user__isnull=False),
                name="unique_named_survey_response",
            ),
            models.UniqueConstraint(
                fields=["survey", "respondent_key"],
                condition=models.Q(respondent_key__isnull=False),
                name="unique_anonymous_survey_response",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=True) | models.Q(respondent_key__isnull=True),
                name="survey_response_named_or_keyed",
            ),
        ]
        indexes = [models.Index(fields=["survey", "country"])]


class SurveyAnswer(models.Model):
    """One answer, or one part of one: a scale point (`value`, 0 for "not applicable"), a
    chosen option (`option`), an item's rank (`option` and `value`), a text. A multiple-choice
    answer also has one row with neither, marking the question answered (so results count
    respondents with a plain GROUP BY)."""

    # A record of what someone did, not content: Wagtail's usage index has nothing to learn
    # from it, and would cost queries on every write (docs/performance.md).
    wagtail_reference_index_ignore = True

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="+")
    option = models.PositiveSmallIntegerField(null=True, blank=True)
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        indexes = [models.Index(fields=["question", "option", "value"])]
