"""Writes for the learner's state in courses. Other apps (quizzes) report completion here."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

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


def activity_open(*, user, activity: Page, language: str, course: CoursePage | None = None) -> None:
    """A learner opened an activity: enrol them, mark it in progress, note the time.

    Two UPDATEs on a repeat visit; the rows are created only on the first.
    """
    course = course or _course_of(activity)
    now = timezone.now()
    touched = Enrolment.objects.filter(user=user, course=course).update(
        last_activity_at=now, language=language
    )
    if not touched:
        enrolment_ensure(user=user, course=course, language=language)
        Enrolment.objects.filter(user=user, course=course).update(last_activity_at=now)
    seen = ActivityCompletion.objects.filter(user=user, activity_id=activity.pk).update(
        last_seen_at=now
    )
    if not seen:
        try:
            with transaction.atomic():
                ActivityCompletion.objects.create(
                    user=user, activity_id=activity.pk, course=course, last_seen_at=now
                )
        except IntegrityError:  # a concurrent request created it first
            pass


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
        ActivityCompletion.objects.filter(pk=completion.pk, completed_at__isnull=True).update(
            state=ActivityCompletion.State.COMPLETE, completed_at=now
        )
        update = {"last_activity_at": now}
        if language:
            update["language"] = language
        Enrolment.objects.filter(user=user, course=course).update(**update)
        course_completion_refresh(user=user, course=course)
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


def _page_fields(page, data: dict, fields_html: dict[str, bool]) -> None:
    from .packages import set_translated

    for name, html in fields_html.items():
        set_translated(page, name, data.get(name), html=html)
    page.title = page.title_en
    page.slug = data["slug"]
    for code in ("en", "fr", "ar"):
        setattr(page, f"slug_{code}", data["slug"] if code == "en" else None)


def _module_create(*, course, data: dict):
    from .models import ModulePage
    from .packages import LANGUAGE_CODES

    module = ModulePage(
        required=data.get("required", True), estimated_minutes=data.get("estimated_minutes", 15)
    )
    _page_fields(module, data, {"title": False})
    for code in LANGUAGE_CODES:
        setattr(module, f"body_{code}", data["body"].get(code) or [])
    course.refresh_from_db()
    course.add_child(instance=module)
    module.save_revision().publish()
    return module


@transaction.atomic
def course_import(*, data: dict, index=None) -> CoursePage:
    """Create a course from a valid package under the catalogue. Raises PackageError, writing
    nothing, when the package has any problem."""
    from django.utils import translation

    from .models import CourseIndexPage
    from .packages import ACTIVITY_HANDLERS, PackageError, package_problems

    problems = package_problems(data)
    if problems:
        raise PackageError(problems)
    index = index or CourseIndexPage.objects.get()
    if CoursePage.objects.filter(Q(slug=data["slug"]) | Q(slug_en=data["slug"])).exists():
        raise PackageError([f"slug: a course with the slug {data['slug']!r} already exists"])
    with translation.override("en"):
        course = CoursePage(estimated_minutes=data.get("estimated_minutes", 60))
        _page_fields(
            course, data, {"title": False, "summary": False, "objectives": True, "audience": False}
        )
        index.refresh_from_db()
        index.add_child(instance=course)
        course.save_revision().publish()
        title = data["title"]["en"]
        for activity in data["activities"]:
            if activity["type"] == "module":
                _module_create(course=course, data=activity)
            else:
                ACTIVITY_HANDLERS[activity["type"]].create(
                    course=course, data=activity, category_name=title
                )
    return course
