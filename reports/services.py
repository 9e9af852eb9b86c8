"""Writes made from the reports: assigning courses to learners, changing and withdrawing
assignments. The forms refuse due dates in the past (reports.forms.DueDateField); these
functions take any date, so imports and tests may record what already happened."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from courses.models import ActivityCompletion, CoursePage, Enrolment
from courses.services import course_assign_users, course_assigned_announce

from .scope import OutOfScope, is_report_reader, manager_scope, users_in_scope


def _check_scope(*, manager, user_ids: set[int]) -> None:
    """PermissionDenied unless `manager` reads reports; OutOfScope for learners beyond them."""
    if not is_report_reader(manager):
        raise PermissionDenied
    if not user_ids:
        return
    scope = manager_scope(user=manager)
    allowed = set(
        users_in_scope(scope=scope).filter(pk__in=sorted(user_ids)).values_list("pk", flat=True)
    )
    if user_ids - allowed:
        raise OutOfScope(sorted(user_ids - allowed))


@transaction.atomic
def course_assign(
    *, manager, learners: Iterable, course: CoursePage, due_date: date | None = None
) -> int:
    """Assign `course` to `learners` on behalf of `manager`, with an optional due date.

    Learners already enrolled keep their progress; their due date becomes `due_date`. Raises
    PermissionDenied unless `manager` reads reports, and OutOfScope (writing nothing) if any
    learner lies outside the manager's scope. Returns the number of learners assigned.
    """
    ids = {getattr(learner, "pk", learner) for learner in learners}
    _check_scope(manager=manager, user_ids=ids)
    if not ids:
        return 0
    course_assign_users(course=course, user_ids=ids, due_date=due_date, assigned_by=manager)
    return len(ids)


@transaction.atomic
def assignment_change(*, manager, enrolment: Enrolment, due_date: date | None) -> None:
    """Give an assignment a new due date (None: none), on behalf of `manager`.

    Raises PermissionDenied unless `manager` reads reports, OutOfScope for a learner beyond
    their scope.
    """
    _check_scope(manager=manager, user_ids={enrolment.user_id})
    Enrolment.objects.filter(pk=enrolment.pk).update(due_date=due_date, assigned_by=manager)
    course_assigned_announce(
        course=enrolment.course,
        user_ids=[enrolment.user_id],
        due_date=due_date,
        assigned_by=manager,
    )


@transaction.atomic
def assignment_withdraw(*, manager, enrolment: Enrolment) -> bool:
    """Withdraw an assignment: the course is no longer assigned to the learner nor due.

    A learner who never opened the course loses the enrolment, which only the assignment had
    made; one who has started keeps it, with their progress, as a course of their own. Returns
    whether the enrolment was removed. Raises as `assignment_change`.
    """
    _check_scope(manager=manager, user_ids={enrolment.user_id})
    started = (
        enrolment.last_activity_at is not None
        or enrolment.completed_at is not None
        or ActivityCompletion.objects.filter(
            user_id=enrolment.user_id, course_id=enrolment.course_id
        ).exists()
    )
    if not started:
        # Still unopened at the moment of deleting: a learner opening it now keeps their row.
        deleted, _by_model = Enrolment.objects.filter(
            pk=enrolment.pk, last_activity_at__isnull=True, completed_at__isnull=True
        ).delete()
        if deleted:
            return True
    Enrolment.objects.filter(pk=enrolment.pk).update(due_date=None, assigned_by=None)
    return False
