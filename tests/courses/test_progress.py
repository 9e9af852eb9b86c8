"""The progress rule, pure: no database."""

import pytest

from courses.progress import ActivityState, Status, course_progress

C, P, N = Status.COMPLETE, Status.IN_PROGRESS, Status.NOT_STARTED


def states(*specs):
    return [ActivityState(i, required, status) for i, (required, status) in enumerate(specs, 1)]


def test_progress_counts_only_required_activities():
    progress = course_progress(states((True, C), (False, N), (True, N)))
    assert (progress.required_complete, progress.required_total, progress.percent) == (1, 2, 50)
    assert not progress.complete


def test_percent_is_a_whole_number_rounded_down():
    assert course_progress(states((True, C), (True, N), (True, N))).percent == 33
    assert course_progress(states((True, C), (True, C), (True, N))).percent == 66


def test_course_is_complete_when_every_required_activity_is_even_if_optional_ones_are_not():
    progress = course_progress(states((True, C), (False, P), (True, C)))
    assert progress.complete and progress.percent == 100


def test_in_progress_does_not_count_as_complete():
    progress = course_progress(states((True, P), (True, P)))
    assert progress.percent == 0 and not progress.complete


def test_next_activity_is_the_first_not_complete_in_course_order():
    assert course_progress(states((True, C), (False, N), (True, N))).next_activity_id == 2
    assert course_progress(states((True, C), (True, C))).next_activity_id is None


@pytest.mark.parametrize("activities", [[], states((False, C), (False, N))])
def test_a_course_without_required_activities_is_never_complete(activities):
    progress = course_progress(activities)
    assert progress.percent == 0 and not progress.complete and progress.required_total == 0


def test_percent_reaches_100_only_when_complete():
    many = states(*([(True, C)] * 199 + [(True, N)]))
    assert course_progress(many).percent == 99
