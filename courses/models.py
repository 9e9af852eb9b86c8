from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page

from cms.fields import SanitizedRichTextField, SanitizedStreamField
from cms.models import ViewRestrictionShortcutMixin
from cms.page_forms import TadribPageForm

from .blocks import MODULE_BLOCKS, RICH_TEXT_FEATURES
from .forms import ActivityPageForm
from .render_cache import rendered_stream


class TranslationCoverageMixin(models.Model):
    """Records, on every save, the languages in which all of `coverage_fields` are filled.

    Kept on the row so catalogues and the admin can show coverage without loading bodies.
    """

    languages_complete = models.CharField(
        _("languages complete"), max_length=32, blank=True, editable=False
    )
    coverage_fields: tuple[str, ...] = ("title",)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.languages_complete = self.compute_languages_complete()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "languages_complete"}
        super().save(*args, **kwargs)

    def missing_fields(self, language: str) -> list[str]:
        missing = []
        for field in self.coverage_fields:
            if self._is_empty(getattr(self, f"{field}_{language}", None)):
                missing.append(field)
        return missing

    def fallback_language(self, field: str) -> str | None:
        """The language `field` is shown in when it is empty in the reader's language, else None."""
        current = translation.get_language() or settings.LANGUAGE_CODE
        if not self._is_empty(getattr(self, f"{field}_{current}", None)):
            return None
        chains = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
        for code in chains.get(current, chains["default"]):
            if code != current and not self._is_empty(getattr(self, f"{field}_{code}", None)):
                return code
        return None

    def fallback_context(self, field: str) -> dict:
        """Template context for the "not yet translated" notice about `field`."""
        code = self.fallback_language(field)
        if code is None:
            return {"fallback_language": None}
        info = translation.get_language_info(code)
        return {
            "fallback_language": code,
            "fallback_language_name": info["name_translated"],
            "fallback_direction": "rtl" if info["bidi"] else "ltr",
        }

    @staticmethod
    def _is_empty(value) -> bool:
        return value is None or value == "" or (hasattr(value, "__len__") and len(value) == 0)

    def compute_languages_complete(self) -> str:
        return ",".join(code for code, _name in settings.LANGUAGES if not self.missing_fields(code))


class SignedInPageMixin(ViewRestrictionShortcutMixin):
    """Course content is for signed-in officers: anyone else is sent to sign in, then back."""

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)


class CourseIndexPage(SignedInPageMixin, Page):
    """The catalogue: every published course."""

    intro = SanitizedRichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    base_form_class = TadribPageForm
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from .selectors import catalogue_courses  # deferred: selectors imports this module

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = catalogue_courses(index=self, user=request.user)
        return context


class CoursePage(SignedInPageMixin, TranslationCoverageMixin, Page):
    """A course. Its activities are its children, in order."""

    coverage_fields = ("title", "summary", "objectives", "audience")

    summary = models.TextField(_("summary"), max_length=600)
    objectives = SanitizedRichTextField(
        _("learning objectives"), blank=True, features=RICH_TEXT_FEATURES
    )
    audience = models.CharField(_("intended audience"), max_length=300, blank=True)
    estimated_minutes = models.PositiveIntegerField(
        _("estimated time (minutes)"), default=60, help_text=_("How long the whole course takes.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # What a certificate of this course states and how long it stays valid (certificates app).
    nominal_hours = models.DecimalField(
        _("nominal hours"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("The training time a certificate of this course states."),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("certificate validity (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for certificates that never expire."),
    )
    refresher_course = models.ForeignKey(
        "self",
        verbose_name=_("refresher course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The course holders take to renew their certificate; empty: this course itself."
        ),
    )
    substantially_changed_on = models.DateField(
        _("substantially changed on"),
        null=True,
        blank=True,
        help_text=_(
            "Set when what the course teaches changed (a law, a procedure): managers then see "
            "who holds a certificate issued before this date."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("objectives"),
        FieldPanel("audience"),
        FieldPanel("estimated_minutes"),
        FieldPanel("image"),
        MultiFieldPanel(
            [
                FieldPanel("nominal_hours"),
                FieldPanel("validity_months"),
                FieldPanel("refresher_course"),
                FieldPanel("substantially_changed_on"),
            ],
            heading=_("Certificate"),
        ),
    ]
    base_form_class = TadribPageForm
    parent_page_types = ["courses.CourseIndexPage"]
    # Trainers see a course's activities in the order learners meet them.
    admin_default_ordering = "ord"
    # No subpage_types: its children are the page types whose parent_page_types name it, as
    # every ActivityPage does (modules here, quizzes from their app), so courses lists none.

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated or getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        from .course_shell import serve_course  # deferred: course_shell imports this module

        # Wagtail's own serve, the sign-in check above made: the shell is rendered for nobody.
        return serve_course(
            self, request, lambda r, **context: Page.serve(self, r, *args, **kwargs, **context)
        )

    def get_context(self, request, *args, outline=None, **kwargs):
        # Deferred: course_shell and selectors import this module.
        from .course_shell import outline_slot_values
        from .selectors import course_outline

        context = super().get_context(request, *args, **kwargs)
        # Given by serve_course for a learner; computed here for nobody (a shell), previews.
        if outline is None:
            outline = course_outline(course=self, user=request.user, request=request)
        context["outline"] = outline
        context["slot_values"] = outline_slot_values(outline)
        context.update(self.fallback_context("summary"))
        return context


class ActivityPage(SignedInPageMixin, TranslationCoverageMixin, Page):
    """Something a learner does inside a course: a module, a quiz …

    Subclasses decide how they are completed; they report it through `courses.services`.
    """

    required = models.BooleanField(
        _("required for course completion"),
        default=True,
        help_text=_("Course progress counts only required activities."),
    )

    parent_page_types = ["courses.CoursePage"]
    subpage_types = []
    content_panels = [*Page.content_panels, FieldPanel("place_after")]
    settings_panels = [*Page.settings_panels, FieldPanel("required")]
    base_form_class = ActivityPageForm
    # Shown in outlines; subclasses set their own.
    activity_label = _("Activity")

    class Meta:
        abstract = True


class ModulePage(ActivityPage):
    """A lesson: a body of blocks, marked complete by the learner."""

    coverage_fields = ("title", "body")

    body = SanitizedStreamField(MODULE_BLOCKS, verbose_name=_("body"), blank=True)
    estimated_minutes = models.PositiveIntegerField(_("estimated time (minutes)"), default=15)

    content_panels = [
        *ActivityPage.content_panels,
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
    ]
    activity_label = _("Module")

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def serve(self, request, *args, **kwargs):
        # A trainer's preview in the admin is not learning.
        if not request.user.is_authenticated or getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        from .lesson_shell import serve_lesson  # deferred: lesson_shell imports this module

        # Wagtail's own serve, the sign-in check above made: the shell is rendered for nobody.
        return serve_lesson(
            self, request, lambda r, **context: Page.serve(self, r, *args, **kwargs, **context)
        )

    def get_context(self, request, *args, navigation=None, **kwargs):
        # Deferred: lesson_shell and selectors import this module.
        from .lesson_shell import navigation_slot_values
        from .selectors import activity_navigation

        context = super().get_context(request, *args, **kwargs)
        # Given by serve_lesson for a learner (or for nobody, in a shell); else (previews).
        if navigation is None:
            navigation = activity_navigation(activity=self, user=request.user, request=request)
        context["navigation"] = navigation
        if navigation is not None and navigation.current is not None:
            context["slot_values"] = navigation_slot_values(navigation)
        context.update(self.fallback_context("body"))
        # Rendered once per revision and language, shared by every learner (see render_cache).
        context["body_html"] = rendered_stream(page=self, field="body", request=request)
        return context


class Enrolment(models.Model):
    """A learner's place in a course: when it started, whether it is finished."""

    # A record of what someone did, not content: Wagtail's usage index has nothing to learn
    # from it, and would cost queries on every write (docs/performance.md).
    wagtail_reference_index_ignore = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    # The language the learner last studied in, for reports; progress never depends on it.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # Rollup for reports (courses.rollups), kept in the transaction that changes a completion:
    # the language in which the learner did most of the course ("" until an activity is done).
    study_language = models.CharField(max_length=8, blank=True, default="")

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="unique_enrolment")]
        indexes = [models.Index(fields=["course", "completed_at"])]

    def __str__(self):
        return f"{self.user} · {self.course_id}"


class ActivityCompletion(models.Model):
    """A learner's state on one activity, whatever language they read it in."""

    # A record of what someone did, not content: Wagtail's usage index has nothing to learn
    # from it, and would cost queries on every write (docs/performance.md).
    wagtail_reference_index_ignore = True

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETE = "complete", _("Complete")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activity_completions"
    )
    activity = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=16, choices=State.choices, default=State.IN_PROGRESS)
    started_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # For scored activities (quizzes): the grade that counts across attempts, in percent, and
    # whether it passes. Reports aggregate these without knowing what the activity is.
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The language the activity was done in: the one it was completed in, or for a scored
    # activity the language of the result that counts. Study languages in reports come from it.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, blank=True)

    class Meta:
        verbose_name = _("activity completion")
        verbose_name_plural = _("activity completions")
        constraints = [
            models.UniqueConstraint(fields=["user", "activity"], name="unique_activity_completion")
        ]
        indexes = [models.Index(fields=["course", "user"])]

    def __str__(self):
        return f"{self.user} · {self.activity_id} · {self.state}"


class ScoreTally(models.Model):
    """Rollup for reports (courses.rollups): an enrolment's scored activities in one language
    (that of each result; "" for results recorded before activities kept one), kept in the
    transaction that records a result. `manage.py rollups_check --repair` recomputes them."""

    # A record of what someone did, not content: Wagtail's usage index has nothing to learn
    # from it, and would cost queries on every write (docs/performance.md).
    wagtail_reference_index_ignore = True

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="score_tallies")
    language = models.CharField(max_length=8, blank=True)
    scored = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(default=0)
    score_total = models.DecimalField(max_digits=12, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "language"], name="unique_score_tally")
        ]

    def __str__(self):
        return f"{self.enrolment_id} · {self.language or '-'} · {self.scored}"
