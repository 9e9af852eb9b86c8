"""Lesson pages from shared shells (`cms.page_cache`): one per page and language, the same for
every learner, the learner's own state read with one small query and shown in slots.

A lesson's shell is rendered for nobody, with a navigation that knows no learner (every
activity not started). What the page shows about the learner goes in two slots,
`lesson-completion` (the "Mark as complete" form, or "You have completed this module.") and
`lesson-progress` (the course's percent), whose values `lesson_slot_values` gives; the header's
`account` slot (cms) shows the reader's own links.

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
from cms.statements import repeated_cursor

from .models import ActivityCompletion, Enrolment
from .progress import ActivityState, Status, course_progress
from .selectors import ActivityNavigation, activity_navigation, live_course_of, status_of
from .services import SEEN_REFRESH_SECONDS, activity_open, activity_seen


@dataclass(frozen=True)
class LessonRoute:
    page_id: int
    course_id: int
    # Where "Mark as complete" leads: the next activity, else the course.
    next_url: str
    # (activity id, required) in course order: all the progress rule needs.
    activities: tuple[tuple[int, bool], ...]


def lesson_slot_values(*, page_id: int, next_url: str, complete: bool, percent: int) -> dict:
    """The values of a lesson's slots, for a full render and a remembered visit alike."""
    return {
        "lesson-completion": {"page_id": page_id, "next_url": next_url, "complete": complete},
        "lesson-progress": {"percent": percent},
    }


def next_url_of(navigation: ActivityNavigation) -> str:
    return navigation.next.url if navigation.next else navigation.course_url


def navigation_slot_values(navigation: ActivityNavigation) -> dict:
    current = navigation.current
    return lesson_slot_values(
        page_id=current.id,
        next_url=next_url_of(navigation),
        complete=current.status is Status.COMPLETE,
        percent=navigation.progress.percent,
    )


# The offline worker (offline app) fetches a kept course's modules to store them: that is not
# the learner opening them, so no visit is recorded.
STORE_PURPOSE_HEADER = "X-Tadrib-Purpose"


def is_stored_fetch(request) -> bool:
    return request.headers.get(STORE_PURPOSE_HEADER) == "offline"


def _shell_key(request, page_id: int) -> tuple:
    return page_cache.shell_key(request, "lesson", page_id)


Render = Callable[..., HttpResponse]


def serve_lesson(page, request, render: Render) -> HttpResponse:
    """A signed-in learner opens a module through Wagtail: record the visit, then answer from
    the lesson's shell with their state in its slots.

    `render(request, navigation=…)` is Wagtail's page serve; the shell is rendered from a
    `ShellRequest` with the navigation every learner shares.
    """
    course = live_course_of(activity=page)
    if course is None:
        raise Http404  # a lesson of an unpublished course is not there for learners

    if not is_stored_fetch(request):
        activity_open(
            user=request.user, activity=page, language=request.LANGUAGE_CODE, course=course
        )
    navigation = activity_navigation(
        activity=page, user=request.user, request=request, course=course
    )
    if not page_cache.may_use(request):
        return render(request, navigation=navigation)
    shared = navigation.for_everyone()
    response = page_cache.serve_shell(
        request,
        _shell_key(request, page.pk),
        render=lambda r: render(r, navigation=shared if page_cache.is_shell(r) else navigation),
        values=navigation_slot_values(navigation),
    )
    route = LessonRoute(
        page_id=page.pk,
        course_id=course.pk,
        next_url=next_url_of(navigation),
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
    with repeated_cursor(connection) as cursor:
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
    shell = page_cache.shells.get(_shell_key(request, route.page_id))
    if shell is None:
        return None
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
    study_language, enrolment_stale = enrolled
    if is_stored_fetch(request):
        return page_cache.respond(request, shell, _values(route, statuses, progress))
    activity_seen(
        user=user,
        activity_id=route.page_id,
        course_id=route.course_id,
        language=request.LANGUAGE_CODE,
        enrolment_stale=enrolment_stale,
        study_language=study_language,
        activity_stale=completions[route.page_id][1],
    )
    return page_cache.respond(request, shell, _values(route, statuses, progress))


def _values(route: LessonRoute, statuses: dict, progress) -> dict:
    return lesson_slot_values(
        page_id=route.page_id,
        next_url=route.next_url,
        complete=statuses[route.page_id] is Status.COMPLETE,
        percent=progress.percent,
    )
