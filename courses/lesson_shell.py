"""Lesson pages from shared shells (`cms.page_cache`): the same HTML for every learner at the
same point of the course, the learner's own state read with one small query.

The shell key holds what the page shows about the learner: whether this module is complete,
the course's percent, and whether the header links to reports. Everything else on a lesson page
(body, breadcrumb, previous/next, language links) depends on the content and the language only.

A path served once is remembered, so the next request skips routing and the page load: it
reads the learner's completions in the course and their enrolment (one statement), refreshes
the times as `activity_open` would, and answers from the shell. A first visit (no rows yet), a
missing shell or any request `cms.page_cache.may_use` refuses takes Wagtail's path, which
builds them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.http import Http404, HttpResponse
from django.utils import timezone

from cms import page_cache

from .context_processors import is_report_reader_cached
from .models import ActivityCompletion, Enrolment
from .progress import ActivityState, Status, course_progress
from .selectors import activity_navigation, live_course_of, status_of
from .services import SEEN_REFRESH_SECONDS, activity_open, activity_seen


@dataclass(frozen=True)
class LessonRoute:
    page_id: int
    course_id: int
    # (activity id, required) in course order: all the progress rule needs.
    activities: tuple[tuple[int, bool], ...]


def _shell_key(request, *, page_id: int, complete: bool, percent: int) -> tuple:
    reader = is_report_reader_cached(request.user)
    return page_cache.shell_key(request, "lesson", page_id, reader, complete, percent)


def serve_lesson(page, request, render: Callable[[], HttpResponse]) -> HttpResponse:
    """A signed-in learner opens a module through Wagtail: record the visit, then answer from
    the shell for their state (rendering it with `render` on a miss)."""
    course = live_course_of(activity=page)
    if course is None:
        raise Http404  # a lesson of an unpublished course is not there for learners

    user = request.user
    activity_open(user=user, activity=page, language=request.LANGUAGE_CODE, course=course)
    # get_context shows exactly the state the shell key is made of.
    page._navigation = navigation = activity_navigation(
        activity=page, user=user, request=request, course=course
    )
    if not page_cache.may_use(request) or navigation is None:
        return render()
    current = navigation.current
    key = _shell_key(
        request,
        page_id=page.pk,
        complete=current is not None and current.status is Status.COMPLETE,
        percent=navigation.progress.percent,
    )
    response = page_cache.serve_shell(request, key, render)
    route = LessonRoute(
        page_id=page.pk,
        course_id=course.pk,
        activities=tuple((a.id, a.required) for a in navigation.activities),
    )
    page_cache.remember_route(request, page, serve_remembered_lesson, route)
    return response


def _learner_rows(*, user_id: int, route: LessonRoute) -> tuple[dict, tuple | None]:
    """The learner's completions of the course's activities and their enrolment, in one
    statement: {activity id: (state, stale)} and (study language, stale) or None.

    Written in SQL because this is the only query of the hot path besides the session and
    the user, and the ORM spends longer building it than the database answering. "Stale" is
    decided by the database (time older than SEEN_REFRESH_SECONDS), so no timestamps need
    converting; the parameter is adapted as the ORM adapts it.
    """
    completion = ActivityCompletion._meta.db_table
    enrolment = Enrolment._meta.db_table
    ids = [activity_id for activity_id, _required in route.activities]
    fresh = connection.ops.adapt_datetimefield_value(
        timezone.now() - timedelta(seconds=SEEN_REFRESH_SECONDS)
    )
    sql = (
        f"SELECT activity_id, state,"  # noqa: S608 - table names from the models, values bound
        f" CASE WHEN last_seen_at IS NULL OR last_seen_at < %s THEN 1 ELSE 0 END"
        f" FROM {completion} WHERE user_id = %s AND activity_id IN ({', '.join(['%s'] * len(ids))})"
        f" UNION ALL SELECT NULL, language,"
        f" CASE WHEN last_activity_at IS NULL OR last_activity_at < %s THEN 1 ELSE 0 END"
        f" FROM {enrolment} WHERE user_id = %s AND course_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [fresh, user_id, *ids, fresh, user_id, route.course_id])
        rows = cursor.fetchall()
    completions = {}
    enrolled = None
    for activity_id, state, stale in rows:
        if activity_id is None:
            enrolled = (state, bool(stale))
        else:
            completions[activity_id] = (state, bool(stale))
    return completions, enrolled


def serve_remembered_lesson(request, route: LessonRoute) -> HttpResponse | None:
    """A repeat visit to a remembered lesson path: one query and a shell, or None."""
    user = request.user
    completions, enrolled = _learner_rows(user_id=user.pk, route=route)
    if enrolled is None or route.page_id not in completions:
        return None  # a first visit: Wagtail's path enrols the learner
    statuses = {activity_id: status_of(state) for activity_id, (state, _s) in completions.items()}
    progress = course_progress(
        [
            ActivityState(activity_id, required, statuses.get(activity_id, Status.NOT_STARTED))
            for activity_id, required in route.activities
        ]
    )
    key = _shell_key(
        request,
        page_id=route.page_id,
        complete=statuses[route.page_id] is Status.COMPLETE,
        percent=progress.percent,
    )
    shell = page_cache.shells.get(key)
    if shell is None:
        return None
    study_language, enrolment_stale = enrolled
    activity_seen(
        user=user,
        activity_id=route.page_id,
        course_id=route.course_id,
        language=request.LANGUAGE_CODE,
        enrolment_stale=enrolment_stale,
        study_language=study_language,
        activity_stale=completions[route.page_id][1],
    )
    return page_cache.respond(request, shell)
