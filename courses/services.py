"""Writes for the learner's state in courses. Other apps (quizzes) report completion here."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, Q, Subquery
from django.utils import timezone
from wagtail.models import Page

from cms.audit import audit

from . import selectors
from .models import ActivityCompletion, CoursePage, Enrolment
from .progress import course_progress


class NotAnActivity(Exception):
    """The page is not a live activity of a live course."""


def _course_of(activity: Page) -> CoursePage:
    course = selectors.live_course_of(activity=activity)
    if course is None:
        raise NotAnActivity(activity.pk)
    return course


def enrolment_ensure(
    *, user, course: CoursePage, language: str = "", assigned_by=None, due_date=None
) -> Enrolment:
    """The learner's enrolment in `course`, created on first need. Idempotent and race-safe."""
    defaults = {"language": language, "assigned_by": assigned_by, "due_date": due_date}
    try:
        with transaction.atomic():
            enrolment, _created = Enrolment.objects.get_or_create(
                user=user, course=course, defaults=defaults
            )
    except IntegrityError:  # a concurrent request created it first
        enrolment = Enrolment.objects.get(user=user, course=course)
    return enrolment


# Opening an activity refreshes these times at most this often: a lesson view stays a read.
SEEN_REFRESH_SECONDS = 60


def activity_open(*, user, activity: Page, language: str, course: CoursePage | None = None) -> None:
    """A learner opened an activity: enrol them, mark it in progress, note the time.

    One read on a repeat visit; the times are written when older than a minute or when the
    study language changed, and the rows are created only on the first visit.
    """
    course = course or _course_of(activity)
    state = (
        Enrolment.objects.filter(user=user, course=course)
        .annotate(
            seen=Subquery(
                ActivityCompletion.objects.filter(user=user, activity_id=activity.pk).values(
                    "last_seen_at"
                )[:1]
            ),
            seen_exists=Exists(
                ActivityCompletion.objects.filter(user=user, activity_id=activity.pk)
            ),
        )
        .values("last_activity_at", "language", "seen", "seen_exists")
        .first()
    )
    if state is not None and state["seen_exists"]:
        fresh = timezone.now() - timedelta(seconds=SEEN_REFRESH_SECONDS)
        activity_seen(
            user=user,
            activity_id=activity.pk,
            course_id=course.pk,
            language=language,
            enrolment_stale=_stale(state["last_activity_at"], fresh),
            study_language=state["language"],
            activity_stale=_stale(state["seen"], fresh),
        )
        return
    now = timezone.now()
    if state is None:
        enrolment_ensure(user=user, course=course, language=language)
        Enrolment.objects.filter(user=user, course=course).update(last_activity_at=now)
    else:
        Enrolment.objects.filter(user=user, course=course).update(
            last_activity_at=now, language=language
        )
    try:
        with transaction.atomic():
            ActivityCompletion.objects.create(
                user=user, activity_id=activity.pk, course=course, last_seen_at=now
            )
    except IntegrityError:  # a concurrent request created it first
        pass


def _stale(moment, fresh) -> bool:
    return moment is None or moment < fresh


def activity_seen(
    *,
    user,
    activity_id: int,
    course_id: int,
    language: str,
    enrolment_stale: bool,
    study_language: str,
    activity_stale: bool,
) -> None:
    """A repeat visit, given what the learner's rows hold: refresh the enrolment's and the
    activity's times when older than SEEN_REFRESH_SECONDS (or the study language changed);
    most visits write nothing."""
    now = timezone.now()
    if enrolment_stale or study_language != language:
        Enrolment.objects.filter(user=user, course_id=course_id).update(
            last_activity_at=now, language=language
        )
    if activity_stale:
        ActivityCompletion.objects.filter(user=user, activity_id=activity_id).update(
            last_seen_at=now
        )


def activity_complete(*, user, activity: Page, language: str = "") -> ActivityCompletion:
    """Mark `activity` complete for `user` (idempotent) and refresh the course's completion.

    The completion time is set once: completing again never moves it.
    """
    course = _course_of(activity)
    now = timezone.now()
    with transaction.atomic():
        enrolment_ensure(user=user, course=course, language=language)
        completion, _created = ActivityCompletion.objects.get_or_create(
            user=user, activity_id=activity.pk, defaults={"course": course, "last_seen_at": now}
        )
        completed: dict[str, object] = {
            "state": ActivityCompletion.State.COMPLETE,
            "completed_at": now,
        }
        if language:  # the language it was completed in, set once like the time
            completed["language"] = language
        ActivityCompletion.objects.filter(pk=completion.pk, completed_at__isnull=True).update(
            **completed
        )
        update: dict[str, object] = {"last_activity_at": now}
        if language:
            update["language"] = language
        Enrolment.objects.filter(user=user, course=course).update(**update)
        course_completion_refresh(user=user, course=course)
    completion.refresh_from_db()
    return completion


def activity_record_result(
    *,
    user,
    activity: Page,
    score,
    passed: bool,
    complete: bool,
    attempts: int = 0,
    language: str = "",
) -> ActivityCompletion:
    """Record a scored activity's current grade (the one that counts across attempts) and,
    when `complete`, complete the activity. Called by activity types that score learners;
    `language` is the language of the attempt (or other work) that the grade comes from."""
    course = _course_of(activity)
    with transaction.atomic():
        enrolment_ensure(user=user, course=course, language=language)
        completion, _created = ActivityCompletion.objects.get_or_create(
            user=user, activity_id=activity.pk, defaults={"course": course}
        )
        result: dict[str, object] = {
            "score": score,
            "passed": passed,
            "attempts": attempts,
            "last_seen_at": timezone.now(),
        }
        if language:  # the language of the result that counts, as the activity type says
            result["language"] = language
        ActivityCompletion.objects.filter(pk=completion.pk).update(**result)
        if complete:
            return activity_complete(user=user, activity=activity, language=language)
    completion.refresh_from_db()
    return completion


def course_completion_refresh(*, user, course: CoursePage) -> bool:
    """Record the course's completion time once every required activity is complete."""
    progress = course_progress(selectors.activity_states(course=course, user=user))
    if progress.complete:
        Enrolment.objects.filter(Q(completed_at__isnull=True), user=user, course=course).update(
            completed_at=timezone.now()
        )
    return progress.complete


def _course_fill(course, data: dict) -> None:
    from .packages import set_translated

    course.estimated_minutes = data.get("estimated_minutes", 60)
    for name, html in {
        "title": False,
        "summary": False,
        "objectives": True,
        "audience": False,
    }.items():
        set_translated(course, name, data.get(name), html=html)
    course.title = course.title_en
    course.slug = course.slug_en = data["slug"]


@transaction.atomic
def course_import(
    *, data: dict, media: dict[str, bytes] | None = None, index=None, replace: bool = False
) -> CoursePage:
    """Create a course from a package under the catalogue, or with `replace` update the course
    with the same slug in place: activities whose slugs remain keep their pages, so learners'
    progress on them stays; activities gone from the package are removed.

    Raises PackageError, writing nothing, when the package has any problem.
    """
    from django.utils import translation

    from .models import CourseIndexPage
    from .packages import ACTIVITY_HANDLERS, PackageError, PackageMedia, package_problems
    from .selectors import activity_models

    files = PackageMedia(media)
    problems = package_problems(data, files.names)
    if problems:
        raise PackageError(problems)
    index = index or CourseIndexPage.objects.get()
    existing = CoursePage.objects.filter(slug_en=data["slug"]).first()
    if existing is not None and not replace:
        raise PackageError(
            [f"slug: a course with the slug {data['slug']!r} already exists (use --replace)"]
        )
    with translation.override(settings.LANGUAGE_CODE):
        if existing is None:
            course = CoursePage()
            _course_fill(course, data)
            index.refresh_from_db()
            index.add_child(instance=course)
        else:
            course = existing
            _course_fill(course, data)
        course.save_revision().publish()
        current = {}
        for model in activity_models():
            for page in model.objects.child_of(course):
                current[page.slug_en or page.slug] = page
        kept = set()
        for activity in data["activities"]:
            handler = ACTIVITY_HANDLERS[activity["type"]]
            page = current.get(activity["slug"])
            if page is not None and isinstance(page, handler.model):
                page = handler.update(course=course, page=page, data=activity, media=files)
            else:
                if page is not None:  # same slug, another type: the old activity goes
                    page.delete()
                    current.pop(activity["slug"])
                page = handler.create(course=course, data=activity, media=files)
            kept.add(page.pk)
            # Package order is course order.
            page.refresh_from_db()
            page.move(course, pos="last-child")
        for page in current.values():
            if page.pk not in kept:
                page.delete()
    audit("course_imported", obj=course, detail=f"replace={replace}")
    return course
