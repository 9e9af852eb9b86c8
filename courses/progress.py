"""Course progress as a pure rule: no ORM, no Django.

See docs/domain-rules.md, "Activity completion and course progress".
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"


@dataclass(frozen=True, slots=True)
class ActivityState:
    activity_id: int
    required: bool
    status: Status


@dataclass(frozen=True, slots=True)
class CourseProgress:
    required_total: int
    required_complete: int
    percent: int
    complete: bool
    # The first activity, in course order, that is not complete (required or not); None when
    # every activity is complete.
    next_activity_id: int | None


def course_progress(activities: Sequence[ActivityState]) -> CourseProgress:
    """Progress over `activities`, given in course order.

    percent = required complete ÷ required, as a whole percent rounded down, so 100 is shown
    only when the course is complete. A course with no required activity is never complete:
    there is nothing to have done.
    """
    required = [a for a in activities if a.required]
    done = sum(1 for a in required if a.status is Status.COMPLETE)
    total = len(required)
    percent = (done * 100) // total if total else 0
    next_id = next((a.activity_id for a in activities if a.status is not Status.COMPLETE), None)
    return CourseProgress(
        required_total=total,
        required_complete=done,
        percent=percent,
        complete=total > 0 and done == total,
        next_activity_id=next_id,
    )
