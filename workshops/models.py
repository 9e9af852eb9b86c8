"""Workshops: a live training event (online, in person or both) with its agenda, its
participants and their attendance, the courses taken before and after it, and a pre-test and a
post-test whose first attempts measure what the participants learned.

Times: `starts_at`/`ends_at` are aware datetimes (stored in UTC); a session's date and times
are wall-clock times in the workshop's own `time_zone`, as the agenda is printed.
"""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from cms.fields import SanitizedRichTextField

DEFAULT_TIME_ZONE = "Africa/Niamey"
RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Africa/Niamey."),
            code="invalid_time_zone",
            params={"value": value},
        )


class Ordered(models.Model):
    """An inline row kept in the order the editor gave (as Wagtail's Orderable, named
    `position`)."""

    position = models.IntegerField(null=True, blank=True, editable=False)
    sort_order_field = "position"

    class Meta:
        abstract = True
        ordering = ["position"]


class Workshop(ClusterableModel):
    class Mode(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")
        BLENDED = "blended", _("Blended")

    title = models.CharField(_("title"), max_length=255)
    description = SanitizedRichTextField(_("description"), blank=True, features=RICH_TEXT_FEATURES)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("The workshop's address and its name in CSV files."),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=DEFAULT_TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_("The agenda's times are in this time zone, e.g. Africa/Niamey."),
    )
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.ONLINE)
    venue_country = CountryField(
        _("venue country"), blank=True, help_text=_("Leave empty for a workshop held online.")
    )
    host_organisation = models.ForeignKey(
        "cms.Organisation",
        verbose_name=_("host organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_workshops",
    )
    facilitators = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitators"),
        blank=True,
        related_name="facilitated_workshops",
    )
    pre_test = models.ForeignKey(
        "quizzes.QuizPage",
        verbose_name=_("pre-test"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pre_test_of_workshops",
        help_text=_("Taken before the first session; its grade completes nothing."),
    )
    post_test = models.ForeignKey(
        "quizzes.QuizPage",
        verbose_name=_("post-test"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="post_test_of_workshops",
        help_text=_("Opens after the last session."),
    )
    needs_survey = models.ForeignKey(
        "surveys.SurveyPage",
        verbose_name=_("needs assessment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A survey participants answer before the workshop."),
    )
    evaluation_survey = models.ForeignKey(
        "surveys.SurveyPage",
        verbose_name=_("evaluation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "A survey participants answer after the workshop: it opens to them once the last "
            "session has ended (and within the survey's own dates)."
        ),
    )
    attendance_threshold = models.PositiveSmallIntegerField(
        _("attendance threshold (%)"),
        default=75,
        help_text=_("The share of sessions a participant must attend to complete the workshop."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("time_zone"),
                FieldPanel("mode"),
                FieldPanel("venue_country"),
                FieldPanel("host_organisation"),
            ],
            heading=_("When and where"),
        ),
        FieldPanel("facilitators"),
        MultiFieldPanel(
            [
                FieldPanel("pre_test"),
                FieldPanel("post_test"),
                FieldPanel("attendance_threshold"),
            ],
            heading=_("Tests and completion"),
        ),
        MultiFieldPanel(
            [FieldPanel("needs_survey"), FieldPanel("evaluation_survey")],
            heading=_("Surveys"),
        ),
        InlinePanel("sessions", heading=_("Sessions"), label=_("session")),
        InlinePanel("courses", heading=_("Courses"), label=_("course")),
        InlinePanel("documents", heading=_("Materials"), label=_("document")),
    ]

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-starts_at", "slug"]
        indexes = [models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="workshop_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(attendance_threshold__lte=100),
                name="workshop_threshold_is_a_percentage",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("A workshop cannot end before it starts.")
        if self.attendance_threshold is not None and self.attendance_threshold > 100:
            errors["attendance_threshold"] = _("A percentage is at most 100.")
        if self.pre_test_id and self.pre_test_id == self.post_test_id:
            errors["post_test"] = _("The post-test must be another quiz than the pre-test.")
        if self.needs_survey_id and self.needs_survey_id == self.evaluation_survey_id:
            errors["evaluation_survey"] = _(
                "The evaluation must be another survey than the needs assessment."
            )
        if errors:
            raise ValidationError(errors)


class WorkshopCourse(Ordered):
    """A course participants take around the workshop, due on a date or N days after it ends."""

    workshop = ParentalKey(Workshop, on_delete=models.CASCADE, related_name="courses")
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="workshop_links",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    due_days_after_end = models.PositiveSmallIntegerField(
        _("due days after the workshop ends"),
        null=True,
        blank=True,
        help_text=_("Instead of a date: the course is due this many days after the workshop."),
    )

    panels = [FieldPanel("course"), FieldPanel("due_date"), FieldPanel("due_days_after_end")]

    class Meta(Ordered.Meta):
        verbose_name = _("workshop course")
        verbose_name_plural = _("workshop courses")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "course"], name="unique_workshop_course")
        ]

    def __str__(self):
        return f"{self.workshop_id} · {self.course_id}"

    def clean(self):
        super().clean()
        if self.due_date is not None and self.due_days_after_end is not None:
            raise ValidationError(
                {"due_days_after_end": _("Give a due date or a number of days, not both.")}
            )


class WorkshopSession(models.Model):
    """An agenda item, in the workshop's time zone."""

    workshop = ParentalKey(Workshop, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    topic = models.CharField(_("topic"), max_length=300)
    speaker = models.CharField(_("speaker"), max_length=300, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("start_time"), FieldPanel("end_time")]),
        FieldPanel("topic"),
        FieldPanel("speaker"),
    ]

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "start_time", "pk"]

    def __str__(self):
        return f"{self.date} {self.start_time:%H:%M} {self.topic}"

    def clean(self):
        super().clean()
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("A session ends after it starts.")})


class WorkshopDocument(Ordered):
    """Material handed to participants (slides, reading, exercises)."""

    workshop = ParentalKey(Workshop, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("document")]

    class Meta(Ordered.Meta):
        verbose_name = _("workshop document")
        verbose_name_plural = _("workshop documents")

    def __str__(self):
        return f"{self.workshop_id} · {self.document_id}"


class Participant(models.Model):
    # A record of what someone did, not content: Wagtail's usage index has nothing to learn
    # from it, and would cost queries on every write (docs/performance.md).
    wagtail_reference_index_ignore = True
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="workshop_participations",
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Recorded once, when the participant first meets workshops.rules.workshop_complete.
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "user"], name="unique_participant")
        ]

    def __str__(self):
        return f"{self.workshop_id} · {self.user_id}"


class Attendance(models.Model):
    # A record of what someone did, not content: Wagtail's usage index has nothing to learn
    # from it, and would cost queries on every write (docs/performance.md).
    wagtail_reference_index_ignore = True
    session = models.ForeignKey(
        WorkshopSession, on_delete=models.CASCADE, related_name="attendance"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendance"
    )
    attended = models.BooleanField(_("attended"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="unique_attendance")
        ]

    def __str__(self):
        return f"{self.session_id} · {self.participant_id} · {self.attended}"


class SurveyResponseWorkshop(models.Model):
    """The workshop a survey response was given for: written when a participant of a workshop
    that names the survey responds (`receivers.on_survey_response_saved`), so survey results
    break down by workshop. It holds the response and the workshop only — no person, no time —
    like the country and organisation the response itself keeps."""

    # A record of what someone did, not content: Wagtail's usage index has nothing to learn
    # from it, and would cost queries on every write (docs/performance.md).
    wagtail_reference_index_ignore = True

    response = models.OneToOneField(
        "surveys.SurveyResponse",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="workshop_link",
    )
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="survey_responses"
    )

    class Meta:
        verbose_name = _("survey response of a workshop")
        verbose_name_plural = _("survey responses of workshops")
        indexes = [models.Index(fields=["workshop"])]

    def __str__(self):
        return f"{self.workshop_id} · {self.response_id}"
