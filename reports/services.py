"""Writes made from the reports: assigning a course to learners."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from courses.models import CoursePage, Enrolment

from .scope import OutOfScope, is_report_reader, manager_scope, users_in_scope


@transaction.atomic
def course_assign(
    *, manager, learners: Iterable, course: CoursePage, due_date: date | None = None
) -> int:
    """Assign `course` to `learners` on behalf of `manager`, with an optional due date.

    Learners already enrolled keep their progress; their due date becomes `due_date`. Raises
    PermissionDenied unless `manager` reads reports, and OutOfScope (writing nothing) if any
    learner lies outside the manager's scope. Returns the number of learners assigned.
    """
    if not is_report_reader(manager):
        raise PermissionDenied
    ids = {getattr(learner, "pk", learner) for learner in learners}
    if not ids:
        return 0
    scope = manager_scope(user=manager)
    allowed = set(
        users_in_scope(scope=scope).filter(pk__in=sorted(ids)).values_list("pk", flat=True)
    )
    if ids - allowed:
        raise OutOfScope(sorted(ids - allowed))
    enrolled = Enrolment.objects.filter(course=course, user_id__in=sorted(ids))
    enrolled.update(due_date=due_date, assigned_by=manager)
    existing = set(enrolled.values_list("user_id", flat=True))
    Enrolment.objects.bulk_create(
        [
            Enrolment(user_id=pk, course=course, assigned_by=manager, due_date=due_date)
            for pk in sorted(ids - existing)
        ],
        batch_size=1000,
        # A learner who enrols at the same moment keeps their own row.
        ignore_conflicts=True,
    )
    return len(ids)
