"""Question bank (snippets), quiz pages, attempts and responses.

Question types are in `question_types/`, the rules in `scoring.py`; writes in `services.py`;
reads in `selectors.py` (docs/quizzes.md).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page

from cms.fields import SanitizedRichTextField
from courses.blocks import RICH_TEXT_FEATURES
from courses.models import ActivityPage
from courses.selectors import activity_navigation, live_course_of
from courses.services import activity_open

from .scoring import Grading

QUESTION_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]


def question_type_choices() -> list[tuple[str, str]]:
    """The registered question types, read when the choices are needed: the registry
    (question_types/) builds on the models below, so it cannot be imported before them."""
    from .question_types import QUESTION_TYPES

    return [(name, kind.label) for name, kind in QUESTION_TYPES.items()]


def grading_choices() -> list[tuple[str, str]]:
    """Every grading rule a registered type declares beside its usual one, once each."""
    from .question_types import QUESTION_TYPES

    choices: dict[str, str] = {}
    for kind in QUESTION_TYPES.values():
        for name, label in list(kind.gradings.items())[1:]:
            choices.setdefault(name, label)
    return list(choices.items())


class GradingChoices(models.TextChoices):
    HIGHEST = Grading.HIGHEST.value, _("Highest score")
    AVERAGE = Grading.AVERAGE.value, _("Average score")
    FIRST = Grading.FIRST.value, _("First attempt")
    LAST = Grading.LAST.value, _("Last attempt")


class ReviewContent(models.TextChoices):
    SCORE = "score", _("Score only")
    CORRECTNESS = "correctness", _("Score and which answers were right")
    FEEDBACK = "feedback", _("Score, right answers and feedback")


class ReviewTiming(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately after each attempt")
    AFTER_LAST = "after_last", _("After the learner's last attempt")
    NEVER = "never", _("Never")


class QuestionCategory(models.Model):
    """A group of questions in the bank, e.g. one per course or topic; quizzes draw from it.

    Categories nest (`parent`), as Moodle's do: an imported `$course$/A/B` becomes B inside A.
    """

    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    panels = [FieldPanel("name"), FieldPanel("parent")]

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Question(ClusterableModel):
    """One question of the bank, with its choices, pairs or items as child rows."""

    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    type = models.CharField(
        _("type"), max_length=16, choices=question_type_choices, default="single"
    )
    name = models.CharField(
        _("name"),
        max_length=255,
        blank=True,
        help_text=_("For trainers only: how the question is known in the bank (Moodle keeps one)."),
    )
    grading = models.CharField(
        _("grading"),
        max_length=32,
        blank=True,
        choices=grading_choices,
        help_text=_(
            "Leave empty for this question type's usual rule. The other rules are Moodle's, "
            "so that imported questions give the grade they gave in Moodle."
        ),
    )
    marks = models.PositiveSmallIntegerField(
        _("marks"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    text = SanitizedRichTextField(_("question"), features=QUESTION_TEXT_FEATURES)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown with the question, under its text."),
    )
    image_alt = models.CharField(
        _("image description"),
        max_length=255,
        blank=True,
        help_text=_("What the image shows, for learners who cannot see it."),
    )
    all_or_nothing = models.BooleanField(
        _("all or nothing"),
        default=False,
        help_text=_(
            "Multiple response only: give marks only when exactly the right choices are "
            "selected. Otherwise each right choice earns a share and each wrong one takes a "
            "share away."
        ),
    )
    true_false_answer = models.BooleanField(
        _("correct answer"),
        null=True,
        blank=True,
        choices=[(True, _("True")), (False, _("False"))],
        help_text=_("True or false questions only."),
    )
    feedback = SanitizedRichTextField(
        _("general feedback"),
        blank=True,
        features=QUESTION_TEXT_FEATURES,
        help_text=_("Shown after submission when the quiz's review policy allows it."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The editor's form (QuestionAdminForm) is set by its viewset in wagtail_hooks.py.
    panels = [
        FieldRowPanel([FieldPanel("category"), FieldPanel("type"), FieldPanel("marks")]),
        FieldRowPanel([FieldPanel("name"), FieldPanel("grading")]),
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("image"), FieldPanel("image_alt")]),
        MultiFieldPanel(
            [InlinePanel("choices", label=_("Choice"))],
            heading=_("Choices (single choice and multiple response)"),
        ),
        FieldPanel("all_or_nothing"),
        FieldPanel("true_false_answer"),
        MultiFieldPanel(
            [InlinePanel("pairs", label=_("Pair"))],
            heading=_("Pairs (matching); a pair without a prompt is an extra, wrong answer"),
        ),
        MultiFieldPanel(
            [InlinePanel("items", label=_("Item"))],
            heading=_("Items in their correct order (ordering)"),
        ),
        FieldPanel("feedback"),
    ]

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category", "pk"]

    def __str__(self):
        return self.name or Truncator(strip_tags(self.text or "")).chars(80)


class Choice(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("text"), max_length=500)
    correct = models.BooleanField(_("correct"), default=False)
    # A share of the marks between -1 and 1 (Moodle's answer grade), used by the "weights"
    # grading; 0.3333333 three times still makes full marks (scoring.moodle_rounded).
    weight = models.DecimalField(
        _("weight"),
        max_digits=8,
        decimal_places=7,
        null=True,
        blank=True,
        validators=[MinValueValidator(-1), MaxValueValidator(1)],
        help_text=_(
            "Grading by weights only: the share of the marks this choice earns, from -1 to 1 "
            "(0.5 is half the marks; negative takes marks away)."
        ),
    )
    feedback = models.CharField(
        _("feedback"),
        max_length=1000,
        blank=True,
        help_text=_("Shown beside this choice when the review policy allows feedback."),
    )

    panels = [
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("correct"), FieldPanel("weight")]),
        FieldPanel("feedback"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self):
        return self.text


class MatchingPair(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="pairs")
    # Without a prompt, the answer is only an extra wrong option (a distractor).
    prompt = models.CharField(_("prompt"), max_length=500, blank=True)
    answer = models.CharField(_("answer"), max_length=500)

    panels = [FieldPanel("prompt"), FieldPanel("answer")]

    class Meta(Orderable.Meta):
        verbose_name = _("pair")
        verbose_name_plural = _("pairs")

    def __str__(self):
        return f"{self.prompt} → {self.answer}"


class OrderingItem(Orderable):
    """An item of an ordering question; `sort_order` is its correct position."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="items")
    text = models.CharField(_("text"), max_length=500)

    panels = [FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self):
        return self.text


class QuizPage(ActivityPage):
    """A quiz in a course: rules, questions picked and drawn, scored on the server."""

    coverage_fields = ("title", "intro")

    intro = SanitizedRichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MaxValueValidator(100)]
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3, help_text=_("0 means unlimited.")
    )
    grading = models.CharField(
        _("grade across attempts"),
        max_length=16,
        choices=GradingChoices.choices,
        default=GradingChoices.HIGHEST,
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), default=0, help_text=_("0 means no time limit.")
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    one_per_page = models.BooleanField(
        _("one question per page"),
        default=False,
        help_text=_(
            "Learners see one question at a time and move between them with a list of the "
            "questions; answers are saved at each step."
        ),
    )
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=False)
    review_content = models.CharField(
        _("what learners see after submitting"),
        max_length=16,
        choices=ReviewContent.choices,
        default=ReviewContent.FEEDBACK,
    )
    review_timing = models.CharField(
        _("when they see it"),
        max_length=16,
        choices=ReviewTiming.choices,
        default=ReviewTiming.IMMEDIATELY,
        help_text=_(
            "The score is always shown. With unlimited attempts, “after the last attempt” "
            "never comes."
        ),
    )
    complete_when_attempts_exhausted = models.BooleanField(
        _("complete when all attempts are used"),
        default=False,
        help_text=_("Otherwise the quiz is complete only once it is passed."),
    )

    content_panels = [
        *ActivityPage.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("attempts_allowed")]),
                FieldRowPanel([FieldPanel("grading"), FieldPanel("time_limit_minutes")]),
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_choices")]),
                FieldPanel("one_per_page"),
                FieldRowPanel([FieldPanel("review_content"), FieldPanel("review_timing")]),
                FieldPanel("complete_when_attempts_exhausted"),
            ],
            heading=_("Rules"),
        ),
        InlinePanel("quiz_questions", label=_("Question"), heading=_("Questions, in order")),
        InlinePanel("draws", label=_("Random draw"), heading=_("Questions drawn at random")),
    ]
    activity_label = _("Quiz")
    template = "quizzes/quiz_page.html"

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def serve(self, request, *args, **kwargs):
        # A trainer's preview in the admin is not learning, as for modules.
        if request.user.is_authenticated and not getattr(request, "is_preview", False):
            # services.py and quiz_shell.py build on these models: imported when served.
            from cms import page_cache

            from .quiz_shell import serve_quiz
            from .services import attempts_submit_overdue

            course = live_course_of(activity=self)
            if course is None:
                # A quiz of an unpublished course is not there for learners (as lessons).
                raise Http404
            activity_open(
                user=request.user, activity=self, language=request.LANGUAGE_CODE, course=course
            )
            attempts_submit_overdue(user=request.user, quiz=self)
            if page_cache.may_use(request):
                # Wagtail's own serve, the sign-in check made: the shell is for nobody.
                return serve_quiz(
                    self, request, lambda r: Page.serve(self, r, *args, **kwargs), course=course
                )
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        # As services.py, quiz_shell.py builds on these models.
        from cms import page_cache

        from .quiz_shell import learner_slot_values, question_count

        context = super().get_context(request, *args, **kwargs)
        # A shell (rendered for nobody) has the rules and the navigation; the learner's
        # attempts are the `quiz-attempts` slot.
        if request.user.is_authenticated or page_cache.is_shell(request):
            count = question_count(self)
            context["question_count"] = count
            context["navigation"] = activity_navigation(
                activity=self, user=request.user, request=request
            )
            if request.user.is_authenticated:
                context["slot_values"] = learner_slot_values(self, request.user, count)
        return context


class QuizQuestion(Orderable):
    """A question picked for a quiz, in order, with an optional marks override."""

    page = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="quiz_questions")
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )
    marks = models.PositiveSmallIntegerField(
        _("marks in this quiz"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Leave empty to use the question's own marks."),
    )

    panels = [FieldPanel("question"), FieldPanel("marks")]

    class Meta(Orderable.Meta):
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")


class QuizDraw(Orderable):
    """N questions drawn at random from a category, fixed when an attempt starts."""

    page = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="draws")
    category = models.ForeignKey(
        QuestionCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveSmallIntegerField(
        _("number of questions"), default=1, validators=[MinValueValidator(1)]
    )

    panels = [FieldRowPanel([FieldPanel("category"), FieldPanel("count")])]

    class Meta(Orderable.Meta):
        verbose_name = _("random draw")
        verbose_name_plural = _("random draws")


class QuizAttempt(models.Model):
    """One attempt at a quiz. Moves from in progress to submitted exactly once."""

    # A record of what someone did, not content: Wagtail's usage index has nothing to learn
    # from it, and would cost queries on every write (docs/performance.md).
    wagtail_reference_index_ignore = True

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("attempt number"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    # The language the attempt was taken in, for item statistics; scoring never depends on it.
    language = models.CharField(_("language"), max_length=8, blank=True)
    # Frozen at start, one entry per question in the order shown: {"question": id, "type": …,
    # "marks": n} and the type's tokens, e.g. "name": "…", "options": [["…", choice id], …],
    # "prompts": [["…", pair id], …]. The form uses only the tokens (docs/quizzes.md).
    layout = models.JSONField(default=list)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz", "number"], name="unique_quiz_attempt_number"
            ),
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=Q(state="in_progress"),
                name="one_quiz_attempt_in_progress",
            ),
        ]
        indexes = [models.Index(fields=["quiz", "state"])]

    def __str__(self):
        return f"{self.user} · {self.quiz_id} · {self.number}"

    @property
    def question_ids(self) -> list[int]:
        return [entry["question"] for entry in self.layout]

    @property
    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED


class Response(models.Model):
    """The learner's answer to one question of an attempt; `fraction` is set on submission."""

    # A record of what someone did, not content: Wagtail's usage index has nothing to learn
    # from it, and would cost queries on every write (docs/performance.md).
    wagtail_reference_index_ignore = True

    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="responses")
    answer = models.JSONField(null=True, blank=True)
    fraction = models.DecimalField(max_digits=7, decimal_places=6, null=True, blank=True)
    marks = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="unique_response")
        ]

    def __str__(self):
        return f"{self.attempt_id} · {self.question_id}"
