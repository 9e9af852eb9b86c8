"""Reads for course pages, "My learning" and progress. Query counts do not grow with the
number of activities or blocks: one query per activity *type*, one for the learner's state."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.utils import timezone
from wagtail.fields import StreamField
from wagtail.models import Page, get_page_models

from cms import rows
from cms.statements import repeated_cursor

from .models import ActivityCompletion, ActivityPage, CourseIndexPage, CoursePage, Enrolment
from .progress import ActivityState, CourseProgress, Status, course_progress


def catalogue_url(request) -> str:
    """The catalogue page's address in the active language ("" when there is none)."""
    catalogue = CourseIndexPage.objects.live().first()
    return (catalogue.get_url(request) or "") if catalogue else ""


def activity_models() -> list[type[ActivityPage]]:
    return [m for m in get_page_models() if issubclass(m, ActivityPage)]


@dataclass(frozen=True)
class ActivityItem:
    id: int
    title: str
    url: str
    required: bool
    label: str
    languages_complete: tuple[str, ...]
    status: Status = Status.NOT_STARTED


@dataclass(frozen=True)
class CourseOutline:
    course: CoursePage
    activities: list[ActivityItem]
    progress: CourseProgress
    enrolment: Enrolment | None
    continue_url: str | None
    languages_complete: tuple[str, ...] = field(default=())

    @property
    def overdue(self) -> bool:
        enrolment = self.enrolment
        return enrolment is not None and is_overdue(
            due_date=enrolment.due_date,
            completed_at=enrolment.completed_at,
            today=timezone.localdate(),
        )


def live_course_of(*, activity: Page) -> CoursePage | None:
    """The live course an activity belongs to, if the activity is a live ActivityPage."""
    if not activity.live or not isinstance(activity, ActivityPage):
        return None
    parent_path = activity.path[: -Page.steplen]
    return CoursePage.objects.live().filter(path=parent_path).first()


def live_course_and_enrolment(
    *, activity: Page, user
) -> tuple[CoursePage | None, tuple[int, datetime | None] | None]:
    """`live_course_of(activity)` and the learner's enrolment in it as (id, completed_at),
    None when not enrolled: one prepared statement (what a completion write reads first,
    issue 21), the course built as the ORM builds it (cms.rows), its StreamFields loaded on
    access."""
    if not activity.live or not isinstance(activity, ActivityPage):
        return None, None
    courses = rows.reader(CoursePage, connection=connection, deferred=(StreamField,))
    enrolments = rows.reader(Enrolment, connection=connection)
    sql = (
        f"SELECT {courses.select}, {enrolments.select}"  # noqa: S608 - names only
        f" FROM {courses.tables} LEFT JOIN {enrolments.table}"
        f" ON {enrolments.column('course')} = {courses.column('pk')}"
        f" AND {enrolments.column('user')} = %s"
        f" WHERE {courses.column('path')} = %s AND {courses.column('live')} = %s"
    )
    with repeated_cursor(connection) as cursor:
        cursor.execute(sql, [user.pk, activity.path[: -Page.steplen], True])
        row = cursor.fetchone()
    if row is None:
        return None, None
    course = courses.instance(connection, row[: courses.width])
    if row[courses.width + enrolments.names.index("id")] is None:
        return course, None
    enrolment = enrolments.instance(connection, row[courses.width :])
    return course, (enrolment.pk, enrolment.completed_at)


def _activities_by_course(
    courses, request=None, *, with_urls: bool = True
) -> dict[int, list[ActivityItem]]:
    """Live activities of each course, in course order: one query per activity type.

    URLs need the site's root paths; rules that only count progress skip them.
    """
    courses = list(courses)
    result: dict[int, list[tuple[str, ActivityItem]]] = {c.pk: [] for c in courses}
    if not courses:
        return {}
    by_path = {c.path: c.pk for c in courses}
    scope = Q()
    for course in courses:
        scope |= Q(path__startswith=course.path, depth=course.depth + 1)
    for model in activity_models():
        for page in model.objects.live().filter(scope).defer_streamfields():
            course_pk = by_path.get(page.path[: -Page.steplen])
            if course_pk is None:
                continue
            result[course_pk].append(
                (
                    page.path,
                    ActivityItem(
                        id=page.pk,
                        title=page.title,
                        url=page.get_url(request) if with_urls else "",
                        required=page.required,
                        label=str(model.activity_label),
                        languages_complete=tuple(filter(None, page.languages_complete.split(","))),
                    ),
                )
            )
    return {
        pk: [item for _p, item in sorted(rows, key=lambda r: r[0])] for pk, rows in result.items()
    }


def _activities(course: CoursePage, request=None) -> list[ActivityItem]:
    return _activities_by_course([course], request)[course.pk]


def _statuses(user, activity_ids) -> dict[int, Status]:
    if not user.is_authenticated or not activity_ids:
        return {}
    rows = ActivityCompletion.objects.filter(user=user, activity_id__in=activity_ids).values_list(
        "activity_id", "state"
    )
    return {activity_id: status_of(state) for activity_id, state in rows}


def status_of(state: str) -> Status:
    """The progress rule's status for an `ActivityCompletion.state` (a row exists: started)."""
    return Status.COMPLETE if state == ActivityCompletion.State.COMPLETE else Status.IN_PROGRESS


def activity_states(*, course: CoursePage, user) -> list[ActivityState]:
    activities = _activities_by_course([course], with_urls=False)[course.pk]
    statuses = _statuses(user, [a.id for a in activities])
    return [
        ActivityState(a.id, a.required, statuses.get(a.id, Status.NOT_STARTED)) for a in activities
    ]


def course_complete(*, course: CoursePage, user) -> bool:
    """Whether `user` has completed every required live activity of `course` (the progress
    rule's `complete`, as `course_progress(activity_states(…))` says it): one query, whatever
    the number of activities and activity types."""
    done = Exists(
        ActivityCompletion.objects.filter(
            user=user, activity_id=OuterRef("pk"), state=ActivityCompletion.State.COMPLETE
        )
    )
    parts = [
        model.objects.live()
        .filter(path__startswith=course.path, depth=course.depth + 1, required=True)
        .order_by()
        .annotate(done=done)
        .values_list("done", flat=True)
        for model in activity_models()
    ]
    if not parts:
        return False
    flags = list(parts[0].union(*parts[1:], all=True))
    return bool(flags) and all(flags)


def course_outline(
    *, course: CoursePage, user, request=None, with_enrolment: bool = True
) -> CourseOutline:
    items = _activities(course, request)
    items = _with_status(items, _statuses(user, [a.id for a in items]))
    progress = _progress(items)
    enrolment = None
    if with_enrolment and user.is_authenticated:
        enrolment = Enrolment.objects.filter(user=user, course=course).first()
    next_item = next((a for a in items if a.id == progress.next_activity_id), None)
    return CourseOutline(
        course=course,
        activities=items,
        progress=progress,
        enrolment=enrolment,
        continue_url=next_item.url if next_item else None,
        languages_complete=_languages_complete(course, items),
    )


@dataclass(frozen=True)
class ActivityNavigation:
    course: CoursePage
    course_url: str
    previous: ActivityItem | None
    next: ActivityItem | None
    current: ActivityItem
    position: int
    total: int
    progress: CourseProgress
    activities: tuple[ActivityItem, ...] = ()

    def for_everyone(self) -> "ActivityNavigation":
        """The same navigation as a learner who has started nothing sees: what a shell shared
        by every learner may be rendered with."""
        untouched = {
            item.id: replace(item, status=Status.NOT_STARTED)
            for item in (*self.activities, self.previous, self.next, self.current)
            if item is not None
        }
        activities = tuple(untouched[a.id] for a in self.activities)
        return replace(
            self,
            previous=self.previous and untouched[self.previous.id],
            next=self.next and untouched[self.next.id],
            current=self.current and untouched[self.current.id],
            progress=_progress(list(activities)),
            activities=activities,
        )


def activity_navigation(
    *, activity: ActivityPage, user, request=None, course: CoursePage | None = None
) -> ActivityNavigation | None:
    course = course or live_course_of(activity=activity)
    if course is None:
        return None
    outline = course_outline(course=course, user=user, request=request, with_enrolment=False)
    ids = [a.id for a in outline.activities]
    index = ids.index(activity.pk) if activity.pk in ids else 0
    return ActivityNavigation(
        course=course,
        course_url=course.get_url(request),
        previous=outline.activities[index - 1] if index > 0 else None,
        next=outline.activities[index + 1] if index + 1 < len(ids) else None,
        current=outline.activities[index] if ids else None,
        position=index + 1,
        total=len(ids),
        progress=outline.progress,
        activities=tuple(outline.activities),
    )


@dataclass(frozen=True)
class CatalogueEntry:
    course: CoursePage
    url: str
    languages_complete: tuple[str, ...]
    percent: int | None
    assigned: bool = False
    due_date: date | None = None
    overdue: bool = False


def _with_status(items: list[ActivityItem], statuses: dict[int, Status]) -> list[ActivityItem]:
    return [
        ActivityItem(**{**a.__dict__, "status": statuses.get(a.id, Status.NOT_STARTED)})
        for a in items
    ]


def _progress(items: list[ActivityItem]) -> CourseProgress:
    return course_progress([ActivityState(a.id, a.required, a.status) for a in items])


def _languages_complete(course: CoursePage, items: list[ActivityItem]) -> tuple[str, ...]:
    languages = set(filter(None, course.languages_complete.split(",")))
    for item in items:
        languages &= set(item.languages_complete)
    return tuple(code for code, _name in settings.LANGUAGES if code in languages)


def catalogue_courses(*, index, user, request=None) -> list[CatalogueEntry]:
    """Every live course under `index`, with the languages it is fully available in and the
    learner's progress where they are enrolled."""
    courses = list(CoursePage.objects.child_of(index).live().order_by("path"))
    activities = _activities_by_course(courses, request)
    enrolled: dict[int, Enrolment] = {}
    if user.is_authenticated and courses:
        enrolled = {
            e.course_id: e
            for e in Enrolment.objects.filter(user=user, course__in=courses).only(
                "course_id", "assigned_by_id", "due_date", "completed_at"
            )
        }
    statuses = _statuses(user, [a.id for pk in enrolled for a in activities[pk]])
    today = timezone.localdate()
    entries = []
    for c in courses:
        enrolment = enrolled.get(c.pk)
        entries.append(
            CatalogueEntry(
                course=c,
                url=c.get_url(request),
                languages_complete=_languages_complete(c, activities[c.pk]),
                percent=_progress(_with_status(activities[c.pk], statuses)).percent
                if enrolment is not None
                else None,
                assigned=enrolment is not None and is_assigned(enrolment),
                due_date=enrolment.due_date if enrolment is not None else None,
                overdue=enrolment is not None
                and is_overdue(
                    due_date=enrolment.due_date, completed_at=enrolment.completed_at, today=today
                ),
            )
        )
    return entries


@dataclass(frozen=True)
class LearningEntry:
    course: CoursePage
    url: str
    percent: int
    complete: bool
    enrolled_at: datetime
    last_activity_at: datetime | None
    completed_at: datetime | None
    due_date: date | None
    continue_url: str | None
    overdue: bool = False
    assigned: bool = False


def is_overdue(*, due_date: date | None, completed_at: datetime | None, today: date) -> bool:
    """Due before today and not complete: a course due today is not late yet."""
    return due_date is not None and completed_at is None and due_date < today


def my_learning(*, user, request=None, today: date | None = None) -> list[LearningEntry]:
    """The learner's live courses with progress, in constant queries: unfinished ones first,
    each group soonest due first (no due date last), then the most recently active."""
    today = today or timezone.localdate()
    enrolments = list(
        Enrolment.objects.filter(user=user, course__live=True)
        .select_related("course")
        .annotate(
            finished=ExpressionWrapper(Q(completed_at__isnull=False), output_field=BooleanField())
        )
        .order_by(
            "finished",
            F("due_date").asc(nulls_last=True),
            F("last_activity_at").desc(nulls_last=True),
            "-enrolled_at",
        )
    )
    activities = _activities_by_course([e.course for e in enrolments], request)
    statuses = _statuses(user, [a.id for items in activities.values() for a in items])
    entries = []
    for enrolment in enrolments:
        items = _with_status(activities[enrolment.course_id], statuses)
        progress = _progress(items)
        next_item = next((a for a in items if a.id == progress.next_activity_id), None)
        entries.append(
            LearningEntry(
                course=enrolment.course,
                url=enrolment.course.get_url(request),
                percent=progress.percent,
                complete=enrolment.completed_at is not None,
                enrolled_at=enrolment.enrolled_at,
                last_activity_at=enrolment.last_activity_at,
                completed_at=enrolment.completed_at,
                due_date=enrolment.due_date,
                continue_url=next_item.url if next_item else None,
                overdue=is_overdue(
                    due_date=enrolment.due_date, completed_at=enrolment.completed_at, today=today
                ),
                assigned=is_assigned(enrolment),
            )
        )
    return entries


def is_assigned(enrolment: Enrolment) -> bool:
    """A manager put the learner on the course (or gave it a due date), not the learner."""
    return enrolment.assigned_by_id is not None or enrolment.due_date is not None


@dataclass(frozen=True)
class ResumePoint:
    """Where the learner left off: the activity they last opened, in a live course."""

    activity_title: str
    activity_label: str
    url: str
    course_title: str
    course_url: str
    percent: int
    complete: bool


@dataclass(frozen=True)
class LearnerHome:
    resume: ResumePoint | None
    assigned: list[LearningEntry]
    enrolled: int


# How many recent visits to look through for one still live (unpublished pages are skipped).
RESUME_CANDIDATES = 5


def learner_home(*, user, request=None, today: date | None = None) -> LearnerHome:
    """The signed-in home page: the activity last opened in a course not yet finished, and the
    unfinished courses assigned to the learner, soonest due first. Constant queries, whatever
    the learner has done."""
    entries = my_learning(user=user, request=request, today=today)
    recent = list(
        ActivityCompletion.objects.filter(
            user=user,
            course__live=True,
            last_seen_at__isnull=False,
            # Only courses still to finish: a finished course is not left off anywhere.
            course__enrolments__user=user,
            course__enrolments__completed_at__isnull=True,
        )
        .order_by("-last_seen_at")
        .values_list("activity_id", "course_id")[:RESUME_CANDIDATES]
    )
    resume = None
    if recent:
        by_course = {entry.course.pk: entry for entry in entries}
        live = {
            page.pk: page
            for page in Page.objects.live()
            .filter(pk__in=[activity_id for activity_id, _course in recent])
            .specific(defer=True)
        }
        for activity_id, course_id in recent:
            page, entry = live.get(activity_id), by_course.get(course_id)
            if page is None or entry is None or not isinstance(page, ActivityPage):
                continue
            resume = ResumePoint(
                activity_title=page.title,
                activity_label=str(page.activity_label),
                url=page.get_url(request),
                course_title=entry.course.title,
                course_url=entry.url,
                percent=entry.percent,
                complete=entry.complete,
            )
            break
    return LearnerHome(
        resume=resume,
        assigned=[e for e in entries if e.assigned and not e.complete],
        enrolled=len(entries),
    )


def translation_coverage() -> list[dict]:
    """Every course and activity with, per language, whether it is complete: for trainers."""
    rows: list[tuple[str, dict]] = []
    for model in [CoursePage, *activity_models()]:
        for path, pk, title, languages in model.objects.values_list(
            "path", "pk", "title", "languages_complete"
        ):
            done = set(filter(None, languages.split(",")))
            rows.append(
                (
                    path,
                    {
                        "id": pk,
                        "title": title,
                        "kind": model._meta.verbose_name,
                        "depth": model is not CoursePage,
                        "languages": [(code, code in done) for code, _name in settings.LANGUAGES],
                    },
                )
            )
    return [row for _path, row in sorted(rows, key=lambda r: r[0])]


def enrolment_count(*, course: CoursePage) -> int:
    """How many learners are enrolled in `course`, finished or not."""
    return Enrolment.objects.filter(course=course).count()
