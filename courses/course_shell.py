"""Course pages from shared shells (`cms.page_cache`), as lessons are (`lesson_shell`).

A course page is the same for every learner but for the outline's state: the progress bar, the
due date, "Continue" or "Start the course" (or the completion date), and each activity's
status. Those are two slots, `course-status` and `course-activities`, whose values
`outline_slot_values` gives; the rest (title, summary, objectives, image) is the shell,
rendered for nobody and shared.

A path served once is remembered with the course's activities (ids, titles, addresses), so the
next request skips routing and the page load: one statement reads the learner's completions in
the course and their enrolment, and the shell goes out with them in its slots.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from cms import page_cache
from cms.statements import repeated_cursor

from .models import ActivityCompletion, Enrolment
from .progress import ActivityState, Status, course_progress
from .selectors import ActivityItem, CourseOutline, course_outline, is_overdue, status_of


@dataclass(frozen=True)
class CourseRoute:
    course_id: int
    # In course order; their titles and addresses are this generation's and language's.
    activities: tuple[ActivityItem, ...]


def _status_values(
    *,
    percent: int,
    enrolled: bool,
    due_date: date | None,
    completed_at: datetime | None,
    continue_url: str | None,
) -> dict:
    return {
        "percent": percent,
        "enrolled": enrolled,
        "due_date": due_date,
        # A date in the reader's time zone, as `|date` would show the time.
        "completed_on": timezone.localdate(completed_at) if completed_at else None,
        "overdue": is_overdue(
            due_date=due_date, completed_at=completed_at, today=timezone.localdate()
        ),
        "continue_url": continue_url,
    }


def _activity_values(items, statuses: dict[int, Status]) -> dict:
    return {
        "activities": tuple(
            (
                item.url,
                item.title,
                item.label,
                item.required,
                str(statuses.get(item.id, Status.NOT_STARTED)),
            )
            for item in items
        )
    }


def outline_slot_values(outline: CourseOutline) -> dict:
    """The course page's slots for a full render (from the outline)."""
    enrolment = outline.enrolment
    next_item = next(
        (a for a in outline.activities if a.id == outline.progress.next_activity_id), None
    )
    return {
        "course-status": _status_values(
            percent=outline.progress.percent,
            enrolled=enrolment is not None,
            due_date=enrolment.due_date if enrolment else None,
            completed_at=enrolment.completed_at if enrolment else None,
            continue_url=next_item.url if next_item else None,
        ),
        "course-activities": _activity_values(
            outline.activities, {a.id: a.status for a in outline.activities}
        ),
    }


def _shell_key(request, course_id: int) -> tuple:
    return page_cache.shell_key(request, "course", course_id)


Render = Callable[..., HttpResponse]


def serve_course(page, request, render: Render) -> HttpResponse:
    """A signed-in learner opens a course through Wagtail: the outline in its slots, the
    rest from the course's shell; the path is remembered for the next request."""
    outline = course_outline(course=page, user=request.user, request=request)
    if not page_cache.may_use(request):
        return render(request, outline=outline)
    response = page_cache.serve_shell(
        request,
        _shell_key(request, page.pk),
        render=lambda r: render(r, outline=None if page_cache.is_shell(r) else outline),
        values=outline_slot_values(outline),
    )
    route = CourseRoute(course_id=page.pk, activities=tuple(outline.activities))
    page_cache.remember_route(request, page, serve_remembered_course, route)
    return response


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return parse_date(str(value))


def _as_datetime(value) -> datetime | None:
    if value is not None and not isinstance(value, datetime):
        value = parse_datetime(str(value))  # SQLite returns text
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)  # stored in UTC (USE_TZ)
    return value


def _learner_rows(*, user_id: int, route: CourseRoute) -> tuple[dict[int, Status], tuple | None]:
    """The learner's completions of the course's activities and their enrolment (due date,
    completion time) in one statement: {activity id: status}, and (due, completed) or None."""
    completion = ActivityCompletion._meta.db_table
    enrolment = Enrolment._meta.db_table
    ids = [item.id for item in route.activities] or [0]
    sql = (
        f"SELECT activity_id, state, NULL, NULL"  # noqa: S608 - table names from the models
        f" FROM {completion} WHERE user_id = %s AND activity_id IN ({', '.join(['%s'] * len(ids))})"
        f" UNION ALL SELECT NULL, NULL, due_date, completed_at"
        f" FROM {enrolment} WHERE user_id = %s AND course_id = %s"
    )
    with repeated_cursor(connection) as cursor:
        cursor.execute(sql, [user_id, *ids, user_id, route.course_id])
        rows = cursor.fetchall()
    statuses: dict[int, Status] = {}
    enrolled = None
    for activity_id, state, due_date, completed_at in rows:
        if activity_id is None:
            enrolled = (_as_date(due_date), _as_datetime(completed_at))
        else:
            statuses[activity_id] = status_of(state)
    return statuses, enrolled


def serve_remembered_course(request, route: CourseRoute) -> HttpResponse | None:
    """A repeat visit to a remembered course path: one query and a shell, or None."""
    shell = page_cache.shells.get(_shell_key(request, route.course_id))
    if shell is None:
        return None
    statuses, enrolled = _learner_rows(user_id=request.user.pk, route=route)
    progress = course_progress(
        [
            ActivityState(item.id, item.required, statuses.get(item.id, Status.NOT_STARTED))
            for item in route.activities
        ]
    )
    next_item = next((a for a in route.activities if a.id == progress.next_activity_id), None)
    due_date, completed_at = enrolled if enrolled is not None else (None, None)
    values = {
        "course-status": _status_values(
            percent=progress.percent,
            enrolled=enrolled is not None,
            due_date=due_date,
            completed_at=completed_at,
            continue_url=next_item.url if next_item else None,
        ),
        "course-activities": _activity_values(route.activities, statuses),
    }
    return page_cache.respond(request, shell, values)
