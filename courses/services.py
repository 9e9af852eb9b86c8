"""Writes for the learner's state in courses. Other apps (quizzes) report completion here."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, Q, Subquery
from django.utils import timezone
from wagtail.actions.move_page import MovePageAction
from wagtail.models import Page

from cms.audit import audit

from . import rollups, selectors
from .models import ActivityCompletion, CourseIndexPage, CoursePage, Enrolment
from .packages import PackageMedia, package_import
from .signals import activity_completed, activity_opened, course_assigned, course_completed


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
            enrolment, created = Enrolment.objects.get_or_create(
                user=user, course=course, defaults=defaults
            )
    except IntegrityError:  # a concurrent request created it first
        return Enrolment.objects.get(user=user, course=course)
    if created and (due_date or assigned_by):
        course_assigned_announce(
            course=course, user_ids=[user.pk], due_date=due_date, assigned_by=assigned_by
        )
    return enrolment


def course_assign_users(*, course: CoursePage, user_ids, due_date=None, assigned_by=None) -> None:
    """Assign `course` to `user_ids` with an optional due date, in bulk: learners already
    enrolled keep their progress and get the new due date; the others are enrolled. Announces
    the assignment once the transaction commits. Callers check who may assign to whom."""
    ids = sorted(set(user_ids))
    if not ids:
        return
    with transaction.atomic():
        enrolled = Enrolment.objects.filter(course=course, user_id__in=ids)
        enrolled.update(due_date=due_date, assigned_by=assigned_by)
        existing = set(enrolled.values_list("user_id", flat=True))
        Enrolment.objects.bulk_create(
            [
                Enrolment(user_id=pk, course=course, assigned_by=assigned_by, due_date=due_date)
                for pk in ids
                if pk not in existing
            ],
            batch_size=1000,
            # A learner who enrols at the same moment keeps their own row.
            ignore_conflicts=True,
        )
        course_assigned_announce(
            course=course, user_ids=ids, due_date=due_date, assigned_by=assigned_by
        )


def course_assigned_announce(*, course: CoursePage, user_ids: list[int], due_date, assigned_by):
    """Tell listeners (e-mail) once the transaction commits that `user_ids` were assigned
    `course`. Called by every path that assigns a course or sets a due date."""
    transaction.on_commit(
        lambda: course_assigned.send(
            sender=CoursePage,
            course=course,
            user_ids=list(user_ids),
            due_date=due_date,
            assigned_by=assigned_by,
        ),
        robust=True,
    )


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
            counted=Exists(
                ActivityCompletion.objects.filter(
                    Q(state=ActivityCompletion.State.COMPLETE) | Q(score__isnull=False),
                    user=user,
                    activity_id=activity.pk,
                ).exclude(language="")
            ),
        )
        .values("last_activity_at", "language", "seen", "seen_exists", "counted")
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
            counted=state["counted"],
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
            activity_opened.send(
                sender=ActivityCompletion,
                user=user,
                activity_id=activity.pk,
                course_id=course.pk,
                language=language,
                at=now,
                first=True,
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
    counted: bool | None = None,
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
        with transaction.atomic():
            ActivityCompletion.objects.filter(user=user, activity_id=activity_id).update(
                last_seen_at=now
            )
            # The time breaks a tie between study languages, for an activity that counts in
            # them (`counted`, when the caller knows it: completed or graded in a language).
            if counted is None:
                counted = (
                    ActivityCompletion.objects.filter(
                        Q(state=ActivityCompletion.State.COMPLETE) | Q(score__isnull=False),
                        user=user,
                        activity_id=activity_id,
                    )
                    .exclude(language="")
                    .exists()
                )
            if counted:
                rollups.enrolment_refresh(user_id=user.pk, course_id=course_id)
        activity_opened.send(
            sender=ActivityCompletion,
            user=user,
            activity_id=activity_id,
            course_id=course_id,
            language=language,
            at=now,
            first=False,
        )


def activity_complete(
    *, user, activity: Page, language: str = "", course: CoursePage | None = None
) -> ActivityCompletion:
    """Mark `activity` complete for `user` (idempotent) and refresh the course's completion.

    The completion time is set once: completing again never moves it.
    """
    course = course or _course_of(activity)
    with transaction.atomic(savepoint=False):
        _completion_write(
            user=user,
            activity=activity,
            course=course,
            complete=True,
            language=language,
            result=None,
        )
    return ActivityCompletion.objects.get(user=user, activity_id=activity.pk)


def activity_record_result(
    *,
    user,
    activity: Page,
    score,
    passed: bool,
    complete: bool,
    attempts: int = 0,
    language: str = "",
    course: CoursePage | None = None,
    enrolment: tuple[int, datetime | None] | None = None,
) -> None:
    """Record a scored activity's current grade (the one that counts across attempts) and,
    when `complete`, complete the activity. Called by activity types that score learners;
    `language` is the language of the attempt (or other work) that the grade comes from;
    `course`, when the caller has it, is the activity's live course (else it is read), and
    `enrolment` the learner's enrolment in it as (id, completed_at), read in the caller's
    transaction (selectors.live_course_and_enrolment; else it is read)."""
    course = course or _course_of(activity)
    result: dict[str, object] = {"score": score, "passed": passed, "attempts": attempts}
    with transaction.atomic(savepoint=False):
        _completion_write(
            user=user,
            activity=activity,
            course=course,
            complete=complete,
            language=language,
            result=result,
            enrolment=enrolment,
        )


def _completion_write(
    *,
    user,
    activity: Page,
    course: CoursePage,
    complete: bool,
    language: str,
    result,
    enrolment: tuple[int, datetime | None] | None = None,
) -> None:
    """The learner's completion of `activity` written once, with its consequences, in the
    caller's transaction: the result (`result`: score, passed, attempts; None for an activity
    without one) and, when `complete`, the completion time (set once), the enrolment's time
    and language, the course's completion; then the reports' rollups.

    A repeat writes one row: the enrolment is read once, the completion is updated in place
    (created only the first time), the course's completion is worked out only when this
    activity has just been completed or the course is not complete yet.
    """
    now = timezone.now()
    if enrolment is None:
        enrolment = (
            Enrolment.objects.filter(user=user, course=course)
            .values_list("pk", "completed_at")
            .first()
        )
    if enrolment is None:
        created = enrolment_ensure(user=user, course=course, language=language)
        enrolment = (created.pk, created.completed_at)
    enrolment_id, course_completed_at = enrolment
    chosen = {"language": language} if language else {}  # set once, as the time
    completed = {"state": ActivityCompletion.State.COMPLETE, "completed_at": now, **chosen}
    # The result's language is the one of the result that counts: it follows the result.
    fields = {} if result is None else {**result, "last_seen_at": now, **chosen}
    completions = ActivityCompletion.objects.filter(user=user, activity_id=activity.pk)
    newly = False
    for _attempt in range(2):
        if complete and completions.filter(completed_at__isnull=True).update(
            **{**fields, **completed}
        ):
            newly = True
            break
        if completions.update(**fields) if fields else completions.exists():
            break
        try:  # the first result or completion: the row was not there yet
            with transaction.atomic():
                ActivityCompletion.objects.create(
                    user=user, activity_id=activity.pk, course=course, last_seen_at=now
                )
        except IntegrityError:  # a concurrent request created it first
            pass
    if newly:
        activity_completed.send(
            sender=ActivityCompletion,
            user=user,
            activity_id=activity.pk,
            course_id=course.pk,
            language=language,
            completed_at=now,
        )
    locked = False
    if complete:
        update: dict[str, object] = {"last_activity_at": now}
        if language:
            update["language"] = language
        # Also the row lock that orders concurrent rollup refreshes of this enrolment.
        locked = bool(Enrolment.objects.filter(pk=enrolment_id).update(**update))
        if newly or course_completed_at is None:
            course_completion_refresh(user=user, course=course)
    rollups.enrolment_refresh(
        user_id=user.pk, course_id=course.pk, enrolment_id=enrolment_id if locked else None
    )


def course_completion_refresh(*, user, course: CoursePage) -> bool:
    """Record the course's completion time once every required activity is complete."""
    complete = selectors.course_complete(course=course, user=user)
    if complete:
        now = timezone.now()
        if Enrolment.objects.filter(Q(completed_at__isnull=True), user=user, course=course).update(
            completed_at=now
        ):
            transaction.on_commit(
                lambda: course_completed.send(
                    sender=CoursePage, user=user, course=course, completed_at=now
                ),
                # A listener's failure is logged; it never undoes or fails the completion.
                robust=True,
            )
    return complete


def course_import(
    *,
    data: dict,
    media: dict[str, bytes] | None = None,
    index: CourseIndexPage | None = None,
    replace: bool = False,
    user=None,
) -> CoursePage:
    """Create a course from a `tadrib.course/1` package under the catalogue, or with `replace`
    update the course with the same slug in place (docs/course-packages.md).

    All or nothing: raises PackageError, with every problem and its place, when the package is
    invalid or anything refuses to be written; the database is rolled back and the files
    stored so far are removed.
    """
    files = PackageMedia(media)
    try:
        with transaction.atomic():
            course = package_import(data=data, files=files, index=index, replace=replace)
            audit("course_imported", obj=course, detail=f"replace={replace}", user=user)
    except Exception:
        files.discard()
        raise
    return course


def activity_place(*, activity: Page, after_id: int | None, user=None) -> bool:
    """Move `activity` right after its sibling `after_id` in the course, or first when None.

    Nothing happens when it is there already, or when `after_id` is not one of its siblings.
    Returns whether it moved. The caller checks that `user` may reorder the course.
    """
    page = Page.objects.get(pk=activity.pk)
    previous = page.get_prev_sibling()
    if (previous.pk if previous else None) == after_id:
        return False
    if after_id is None:
        target, position = page.get_parent(), "first-child"
    else:
        target = page.get_siblings(inclusive=False).filter(pk=after_id).first()
        if target is None:
            return False
        position = "right"
    MovePageAction(page, target, pos=position, user=user).execute(skip_permission_checks=True)
    return True
