"""Every read behind the manager reports, pages and CSV alike.

Each selector takes the reader's `Scope` and filters by it in the database. Queries aggregate
with GROUP BY or fetch one page (or one batch) of rows at a time: their number never depends on
how many learners there are.
"""

import statistics
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from wagtail.models import Page

from cms.models import Organisation
from cms.roles import GROUP_NAMES, Role
from courses.models import ActivityCompletion, CoursePage, Enrolment, ScoreTally
from courses.progress import ActivityState, Status, course_progress
from courses.selectors import activity_models, is_overdue

from .scope import OutOfScope, Scope, organisation_tree

BATCH_SIZE = 1000


class Dimension(models.TextChoices):
    COURSE = "course", _("Course")
    ORGANISATION = "organisation", _("Organisation")
    COUNTRY = "country", _("Country")
    LANGUAGE = "language", _("Study language")


class DateField(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolment date")
    COMPLETED = "completed", _("Completion date")


class CellStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETE = "complete", _("Complete")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


@dataclass(frozen=True)
class ReportFilters:
    """What a reader narrowed a report to; every field is optional."""

    course_id: int | None = None
    # An organisation together with its units.
    organisation_ids: frozenset[int] | None = None
    country: str = ""
    date_field: str = DateField.ENROLLED
    date_from: date | None = None
    date_to: date | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _enrolments_q(*, scope: Scope, filters: ReportFilters, prefix: str = "") -> Q:
    """The reader's scope, then the reader's filters, on enrolments (or, with `prefix` such
    as ``"enrolment__"``, on rows that have one)."""
    condition = scope.users_q(f"{prefix}user__")
    if filters.course_id is not None:
        condition &= Q(**{f"{prefix}course_id": filters.course_id})
    if filters.organisation_ids is not None:
        condition &= Q(**{f"{prefix}user__organisation_id__in": sorted(filters.organisation_ids)})
    if filters.country:
        condition &= Q(**{f"{prefix}user__organisation__country": filters.country})
    column = "completed_at" if filters.date_field == DateField.COMPLETED else "enrolled_at"
    if filters.date_from is not None:
        condition &= Q(**{f"{prefix}{column}__gte": _day_start(filters.date_from)})
    if filters.date_to is not None:
        # The whole of the last day counts.
        end = _day_start(filters.date_to + timedelta(days=1))
        condition &= Q(**{f"{prefix}{column}__lt": end})
    return condition


def enrolments_in_scope(*, scope: Scope, filters: ReportFilters) -> QuerySet[Enrolment]:
    """The enrolments a report counts: the reader's scope, then the reader's filters."""
    return Enrolment.objects.filter(_enrolments_q(scope=scope, filters=filters))


def percent(part: int, whole: int) -> int | None:
    """`part` of `whole` as a whole percent, rounded half up; None when there is no whole."""
    if not whole:
        return None
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP))


# --- Completion rates, by course, organisation, country or study language -----------------


@dataclass(frozen=True)
class SummaryRow:
    key: object
    label: str
    enrolled: int
    not_started: int
    in_progress: int
    completed: int
    completion_rate: int | None
    scored: int
    passed: int
    pass_rate: int | None
    mean_score: Decimal | None
    median_days: Decimal | None


def study_language() -> Coalesce:
    """The study language of an enrolment (an expression on Enrolment, docs/reports.md): the
    language in which the learner did most of the course, read from its rollup
    (`Enrolment.study_language`, kept by courses.rollups as completions change).

    Each activity completed or graded counts once, in the language it was done in (for a quiz,
    that of the attempt that counts). A tie goes to the tied language of the activity worked on
    most recently, then to the first code in alphabetical order. Until an activity is done:
    the language the learner last opened the course in ("" if never).
    """
    return Coalesce(NullIf(F("study_language"), Value("")), F("language"))


def _enrolment_key(dimension: str, prefix: str = ""):
    if dimension == Dimension.LANGUAGE:
        return Coalesce(NullIf(F(f"{prefix}study_language"), Value("")), F(f"{prefix}language"))
    return F(
        prefix
        + {
            Dimension.COURSE: "course_id",
            Dimension.ORGANISATION: "user__organisation_id",
            Dimension.COUNTRY: "user__organisation__country",
        }[dimension]
    )


def _score_key(dimension: str):
    # A quiz result counts under the language of the attempt that counts (rows recorded before
    # activities kept a language: the language of the learner's enrolment).
    if dimension == Dimension.LANGUAGE:
        return Coalesce(NullIf(F("language"), Value("")), F("enrolment__language"))
    return _enrolment_key(dimension, "enrolment__")


def _scored(*, scope: Scope, filters: ReportFilters) -> QuerySet[ScoreTally]:
    """The score rollups (scored activities per enrolment and language) of the enrolments
    a report counts, joined once to them."""
    return ScoreTally.objects.filter(
        _enrolments_q(scope=scope, filters=filters, prefix="enrolment__")
    )


def _labels(dimension: str, keys: Iterable) -> dict:
    keys = [k for k in keys if k is not None and k != ""]
    if dimension == Dimension.COURSE:
        return {p.pk: p.title for p in Page.objects.filter(pk__in=keys)}
    if dimension == Dimension.ORGANISATION:
        return {
            o.pk: str(o) for o in Organisation.objects.filter(pk__in=keys).select_related("parent")
        }
    if dimension == Dimension.COUNTRY:
        return {code: countries.name(code) or code for code in keys}
    names = dict(settings.LANGUAGES)
    return {code: str(names.get(code, code)) for code in keys}


def _none_label(dimension: str) -> str:
    if dimension == Dimension.LANGUAGE:
        return str(_("Not started yet"))
    if dimension == Dimension.ORGANISATION:
        return str(_("No organisation"))
    return str(_("Unknown"))


def _mean(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _days(duration: timedelta) -> Decimal:
    # A completion stamped a moment before the enrolment row counts as no time at all.
    return Decimal(max(duration.total_seconds(), 0) / 86400)


def completion_rates(
    *, scope: Scope, filters: ReportFilters, by: str = Dimension.COURSE
) -> list[SummaryRow]:
    """Enrolled, not started, in progress, completed, completion rate, pass rate and mean score
    of scored activities (quizzes), and median days from enrolment to completion, per `by`.

    Three grouped queries and one for the labels, whatever the number of learners.
    """
    dimension = Dimension(by)
    enrolments = enrolments_in_scope(scope=scope, filters=filters)
    keyed = enrolments.annotate(key=_enrolment_key(dimension))
    counts = {
        row["key"]: row
        for row in keyed.values("key")
        .annotate(
            enrolled=Count("pk"),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
            not_started=Count(
                "pk", filter=Q(completed_at__isnull=True, last_activity_at__isnull=True)
            ),
        )
        .order_by()
    }
    scores = {
        row["key"]: row
        for row in _scored(scope=scope, filters=filters)
        .values(key=_score_key(dimension))
        .annotate(scored=Sum("scored"), passed=Sum("passed"), total=Sum("score_total"))
        .order_by()
    }
    durations: dict[object, list[timedelta]] = {}
    for group, duration in (
        keyed.filter(completed_at__isnull=False)
        .annotate(
            duration=ExpressionWrapper(
                F("completed_at") - F("enrolled_at"), output_field=DurationField()
            )
        )
        .values_list("key", "duration")
        .order_by()
    ):
        durations.setdefault(group, []).append(duration)
    # A language may hold quiz results of learners who studied the course in another one.
    groups = [*counts, *(group for group in scores if group not in counts)]
    labels = _labels(dimension, groups)
    rows = []
    no_enrolment = {"enrolled": 0, "completed": 0, "not_started": 0}
    for group in groups:
        count = counts.get(group, no_enrolment)
        score = scores.get(group, {})
        scored, passed = score.get("scored", 0), score.get("passed", 0)
        median = None
        if durations.get(group):
            median = _days(statistics.median(durations[group])).quantize(
                Decimal("0.1"), ROUND_HALF_UP
            )
        rows.append(
            SummaryRow(
                key=group,
                label=labels.get(group) or _none_label(dimension),
                enrolled=count["enrolled"],
                not_started=count["not_started"],
                in_progress=count["enrolled"] - count["completed"] - count["not_started"],
                completed=count["completed"],
                completion_rate=percent(count["completed"], count["enrolled"]),
                scored=scored,
                passed=passed,
                pass_rate=percent(passed, scored),
                mean_score=_mean(Decimal(score["total"]) / scored) if scored else None,
                median_days=median,
            )
        )
    return sorted(rows, key=lambda r: (r.label.casefold(), str(r.key)))


# --- Activities of courses ------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityColumn:
    id: int
    title: str
    required: bool


def course_activities(*, course_ids: Iterable[int]) -> dict[int, list[ActivityColumn]]:
    """Live activities of each course, in course order: one query."""
    course_ids = list(course_ids)
    if not course_ids:
        return {}
    courses = {p.path: p.pk for p in Page.objects.filter(pk__in=course_ids).only("path")}
    result: dict[int, list[ActivityColumn]] = {pk: [] for pk in course_ids}
    if not courses:
        return result
    models_ = activity_models()
    content_types = ContentType.objects.get_for_models(*models_).values()
    paths = Q()
    for path in courses:
        paths |= Q(path__startswith=path, depth=len(path) // Page.steplen + 1)
    pages = (
        Page.objects.live()
        .filter(paths, content_type__in=content_types)
        .order_by("path")
        .only("pk", "path", "title")
    )
    required = _required_flags([p.pk for p in pages], models_)
    for page in pages:
        course_pk = courses.get(page.path[: -Page.steplen])
        if course_pk is not None:
            result[course_pk].append(
                ActivityColumn(id=page.pk, title=page.title, required=required.get(page.pk, True))
            )
    return result


def _required_flags(page_ids: list[int], models_) -> dict[int, bool]:
    # `required` lives on each activity model's own table; the ids are already known, so one
    # union query reads them all.
    if not page_ids:
        return {}
    queries = [
        m.objects.filter(pk__in=page_ids).order_by().values_list("pk", "required") for m in models_
    ]
    union = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    return dict(union)


def _name(user) -> str:
    return user.get_full_name() or user.username


def _cell_status(state: str | None, passed: bool | None) -> str:
    if passed is True:
        return CellStatus.PASSED
    if passed is False:
        return CellStatus.FAILED
    if state == ActivityCompletion.State.COMPLETE:
        return CellStatus.COMPLETE
    if state == ActivityCompletion.State.IN_PROGRESS:
        return CellStatus.IN_PROGRESS
    return CellStatus.NOT_STARTED


@dataclass(frozen=True)
class Cell:
    status: str
    score: Decimal | None = None
    complete: bool = False
    completed_at: datetime | None = None
    last_seen_at: datetime | None = None
    attempts: int = 0

    @property
    def status_label(self) -> str:
        return str(CellStatus(self.status).label)


NOT_STARTED = Cell(status=CellStatus.NOT_STARTED)


def _cell(state, score, passed, completed_at, last_seen_at, attempts=0) -> Cell:
    complete = state == ActivityCompletion.State.COMPLETE
    return Cell(
        status=_cell_status(state, passed),
        score=score,
        complete=complete,
        completed_at=completed_at if complete else None,
        last_seen_at=last_seen_at,
        attempts=attempts,
    )


def _progress_percent(activities: list[ActivityColumn], cells: list[Cell]) -> int:
    states = [
        ActivityState(
            a.id,
            a.required,
            Status.COMPLETE
            if c.complete
            else Status.NOT_STARTED
            if c.status == CellStatus.NOT_STARTED
            else Status.IN_PROGRESS,
        )
        for a, c in zip(activities, cells, strict=True)
    ]
    return course_progress(states).percent


# --- One course: learners × activities ------------------------------------------------------


@dataclass(frozen=True)
class MatrixRow:
    user_id: int
    name: str
    username: str
    organisation: str
    enrolled_at: datetime
    last_activity_at: datetime | None
    completed_at: datetime | None
    due_date: date | None
    percent: int
    cells: list[Cell]


_MATRIX_FIELDS = (
    "user_id",
    "user__first_name",
    "user__last_name",
    "user__username",
    "user__organisation_id",
    "enrolled_at",
    "last_activity_at",
    "completed_at",
    "due_date",
)


def organisation_label(organisation_id: int) -> str:
    """One organisation's name as shown ("Agency › Unit"): one query."""
    found = Organisation.objects.select_related("parent").filter(pk=organisation_id).first()
    return str(found) if found is not None else ""


def organisation_labels() -> dict[int, str]:
    """Every organisation's name as shown ("Agency › Unit"), in the active language."""
    return {o.pk: str(o) for o in Organisation.objects.select_related("parent")}


@dataclass
class CourseMatrix:
    """A course's learners (in scope, filtered) against its activities.

    `enrolments` yields value tuples (`_MATRIX_FIELDS`) in learner order, so a paginator can
    slice it. `rows(enrolments)` builds rows for one page; `iter_rows()` streams them all in
    batches, for the CSV. Both go through the same code. Cells carry state and score only, and
    equal cells are shared: an export of 10,000 learners × 50 activities stays light.
    """

    course: CoursePage
    activities: list[ActivityColumn]
    enrolments: QuerySet
    _activity_ids: list[int] = field(init=False)
    _organisations: dict[int, str] | None = field(init=False, default=None)
    _cells: dict[tuple, Cell] = field(init=False, default_factory=dict)

    def __post_init__(self):
        self._activity_ids = [a.id for a in self.activities]

    @property
    def organisations(self) -> dict[int, str]:
        """Every organisation's label, read once per matrix."""
        if self._organisations is None:
            self._organisations = organisation_labels()
        return self._organisations

    def rows(self, enrolments: Iterable[tuple]) -> list[MatrixRow]:
        enrolments = list(enrolments)
        if not enrolments:
            return []
        organisations = self.organisations
        # Equal cells are one object for the whole matrix (bounded: states × distinct scores).
        shared = self._cells
        cells: dict[tuple[int, int], Cell] = {}
        for user_id, activity_id, state, score, passed in (
            ActivityCompletion.objects.filter(
                course_id=self.course.pk, user_id__in=[e[0] for e in enrolments]
            )
            .values_list("user_id", "activity_id", "state", "score", "passed")
            .order_by()
        ):
            key = (state, score, passed)
            cell = shared.get(key)
            if cell is None:
                cell = shared[key] = _cell(state, score, passed, None, None)
            cells[user_id, activity_id] = cell
        required = [a.required for a in self.activities]
        required_total = sum(required)
        rows = []
        for (
            user_id,
            first_name,
            last_name,
            username,
            organisation_id,
            enrolled_at,
            last_activity_at,
            completed_at,
            due_date,
        ) in enrolments:
            row_cells = [cells.get((user_id, a), NOT_STARTED) for a in self._activity_ids]
            done = sum(1 for c, r in zip(row_cells, required, strict=True) if r and c.complete)
            rows.append(
                MatrixRow(
                    user_id=user_id,
                    name=f"{first_name} {last_name}".strip() or username,
                    username=username,
                    organisation=organisations.get(organisation_id, ""),
                    enrolled_at=enrolled_at,
                    last_activity_at=last_activity_at,
                    completed_at=completed_at,
                    due_date=due_date,
                    # courses.progress.course_progress's percent, from counts.
                    percent=(done * 100) // required_total if required_total else 0,
                    cells=row_cells,
                )
            )
        return rows

    def iter_rows(self, batch_size: int = BATCH_SIZE) -> Iterator[MatrixRow]:
        batch: list[tuple] = []
        for enrolment in self.enrolments.iterator(chunk_size=batch_size):
            batch.append(enrolment)
            if len(batch) == batch_size:
                yield from self.rows(batch)
                batch = []
        yield from self.rows(batch)


_LEARNER_ORDER = ("user__last_name", "user__first_name", "user__username", "pk")


def course_matrix(*, scope: Scope, filters: ReportFilters, course: CoursePage) -> CourseMatrix:
    enrolments = (
        enrolments_in_scope(scope=scope, filters=filters)
        .filter(course_id=course.pk)
        .order_by(*_LEARNER_ORDER)
        .values_list(*_MATRIX_FIELDS)
    )
    return CourseMatrix(
        course=course,
        activities=course_activities(course_ids=[course.pk])[course.pk],
        enrolments=enrolments,
    )


# --- One learner ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LearnerActivity:
    activity: ActivityColumn
    cell: Cell


@dataclass(frozen=True)
class LearnerCourse:
    course_id: int
    title: str
    enrolled_at: datetime
    last_activity_at: datetime | None
    completed_at: datetime | None
    due_date: date | None
    language: str
    percent: int
    activities: list[LearnerActivity]


@dataclass(frozen=True)
class LearnerReport:
    user: object
    organisation: str
    courses: list[LearnerCourse]


def learner_in_scope(*, scope: Scope, user_id: int):
    """The user `user_id` if the scope covers them; raises OutOfScope otherwise."""
    user = (
        get_user_model()
        .objects.filter(scope.users_q(), pk=user_id)
        .select_related("organisation", "organisation__parent")
        .first()
    )
    if user is None:
        raise OutOfScope(user_id)
    return user


def learner_report(*, scope: Scope, user_id: int) -> LearnerReport:
    """A learner's courses, each activity's state, score and attempts used: four queries."""
    user = learner_in_scope(scope=scope, user_id=user_id)
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .annotate(course_language=study_language())
        .select_related("course")
        .order_by("-enrolled_at")
    )
    activities = course_activities(course_ids=[e.course_id for e in enrolments])
    cells = {
        activity_id: _cell(state, score, passed, completed_at, last_seen_at, attempts)
        for activity_id, state, score, passed, completed_at, last_seen_at, attempts in (
            ActivityCompletion.objects.filter(user=user).values_list(
                "activity_id",
                "state",
                "score",
                "passed",
                "completed_at",
                "last_seen_at",
                "attempts",
            )
        )
    }
    courses = []
    for enrolment in enrolments:
        columns = activities.get(enrolment.course_id, [])
        row_cells = [cells.get(a.id, NOT_STARTED) for a in columns]
        courses.append(
            LearnerCourse(
                course_id=enrolment.course_id,
                title=enrolment.course.title,
                enrolled_at=enrolment.enrolled_at,
                last_activity_at=enrolment.last_activity_at,
                completed_at=enrolment.completed_at,
                due_date=enrolment.due_date,
                language=enrolment.course_language,
                percent=_progress_percent(columns, row_cells),
                activities=[
                    LearnerActivity(activity=a, cell=c)
                    for a, c in zip(columns, row_cells, strict=True)
                ],
            )
        )
    return LearnerReport(
        user=user,
        organisation=str(user.organisation) if user.organisation_id else "",
        courses=courses,
    )


# --- Assignments and due dates ----------------------------------------------------------------


class AssignmentStatus(models.TextChoices):
    COMPLETE = "complete", _("Complete")
    OVERDUE = "overdue", _("Overdue")
    DUE = "due", _("Due")
    NO_DUE_DATE = "no_due_date", _("No due date")


@dataclass(frozen=True)
class AssignmentRow:
    enrolment_id: int
    user_id: int
    name: str
    username: str
    organisation: str
    course_id: int
    course: str
    assigned_by: str
    enrolled_at: datetime
    due_date: date | None
    completed_at: datetime | None
    status: str

    @property
    def status_label(self) -> str:
        return str(AssignmentStatus(self.status).label)


def _assignment_status(enrolment: Enrolment, today: date) -> str:
    if enrolment.completed_at is not None:
        return AssignmentStatus.COMPLETE
    if enrolment.due_date is None:
        return AssignmentStatus.NO_DUE_DATE
    if is_overdue(due_date=enrolment.due_date, completed_at=None, today=today):
        return AssignmentStatus.OVERDUE
    return AssignmentStatus.DUE


def assignments(
    *, scope: Scope, filters: ReportFilters, overdue_only: bool = False, today: date | None = None
) -> QuerySet[Enrolment]:
    """Assigned enrolments (by a manager, or with a due date), soonest due first.

    Overdue: a due date before `today` and not complete.
    """
    today = today or timezone.localdate()
    enrolments = enrolments_in_scope(scope=scope, filters=filters).filter(
        Q(assigned_by__isnull=False) | Q(due_date__isnull=False)
    )
    if overdue_only:
        enrolments = enrolments.filter(due_date__lt=today, completed_at__isnull=True)
    return enrolments.select_related(
        "user", "user__organisation", "user__organisation__parent", "course", "assigned_by"
    ).order_by(F("due_date").asc(nulls_last=True), *_LEARNER_ORDER)


def assignment_in_scope(*, scope: Scope, enrolment_id: int) -> Enrolment:
    """The assignment (an enrolment a manager made, or with a due date) `enrolment_id`, if
    its learner is in the scope; raises OutOfScope otherwise (or if there is none)."""
    enrolment = (
        Enrolment.objects.filter(
            Q(assigned_by__isnull=False) | Q(due_date__isnull=False),
            scope.users_q("user__"),
            pk=enrolment_id,
        )
        .select_related("user", "user__organisation", "user__organisation__parent", "course")
        .first()
    )
    if enrolment is None:
        raise OutOfScope(enrolment_id)
    return enrolment


def assignment_rows(
    enrolments: Iterable[Enrolment], *, today: date | None = None
) -> Iterator[AssignmentRow]:
    today = today or timezone.localdate()
    for enrolment in enrolments:
        user = enrolment.user
        assigned_by = enrolment.assigned_by
        yield AssignmentRow(
            enrolment_id=enrolment.pk,
            user_id=user.pk,
            name=_name(user),
            username=user.username,
            organisation=str(user.organisation) if user.organisation_id else "",
            course_id=enrolment.course_id,
            course=enrolment.course.title,
            assigned_by=_name(assigned_by) if assigned_by else "",
            enrolled_at=enrolment.enrolled_at,
            due_date=enrolment.due_date,
            completed_at=enrolment.completed_at,
            status=_assignment_status(enrolment, today),
        )


def assignable_learners(*, scope: Scope, organisation_ids: Iterable[int]):
    """Active learners of these organisations that the scope covers."""
    return get_user_model().objects.filter(
        scope.users_q(),
        organisation_id__in=sorted(organisation_ids),
        is_active=True,
        groups__name=GROUP_NAMES[Role.LEARNER],
    )


# --- Filter choices ---------------------------------------------------------------------------


def organisations_in_scope(*, scope: Scope) -> QuerySet[Organisation]:
    organisations = Organisation.objects.select_related("parent")
    if scope.everything:
        return organisations
    return organisations.filter(
        Q(pk__in=sorted(scope.organisation_ids)) | Q(country__in=sorted(scope.countries))
    )


def countries_in_scope(*, scope: Scope) -> list[tuple[str, str]]:
    """Countries the reader may filter by, as (code, translated name), by name."""
    codes = set(scope.countries)
    codes.update(
        str(c)
        for c in organisations_in_scope(scope=scope).order_by().values_list("country", flat=True)
    )
    return sorted(((c, countries.name(c) or c) for c in codes if c), key=lambda c: c[1])


def organisation_with_units(*, organisation: Organisation) -> frozenset[int]:
    return organisation_tree([organisation.pk])
