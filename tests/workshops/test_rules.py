"""The workshop rules, without a database."""

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest

from workshops import rules


@pytest.mark.parametrize(
    ("attended", "sessions", "rate"),
    [
        (0, 0, None),
        (0, 4, Decimal("0.00")),
        (3, 4, Decimal("75.00")),
        (2, 3, Decimal("66.67")),
        (1, 3, Decimal("33.33")),
        (1, 8, Decimal("12.50")),
        (5, 4, Decimal("100.00")),
        (-1, 4, Decimal("0.00")),
    ],
)
def test_attendance_rate(attended, sessions, rate):
    assert rules.attendance_rate(attended, sessions) == rate


@pytest.mark.parametrize(
    ("attended", "sessions", "threshold", "met"),
    [
        (3, 4, 75, True),  # exactly at the threshold
        (2, 3, 67, False),  # 66.67 % < 67 %: compared exactly, never after rounding
        (2, 3, 66, True),
        (5, 6, 75, True),
        (4, 6, 75, False),
        (0, 0, 0, False),  # no sessions: never attended
        (0, 4, 0, True),
        (4, 4, 100, True),
    ],
)
def test_attendance_met(attended, sessions, threshold, met):
    assert rules.attendance_met(attended, sessions, threshold) is met


def test_workshop_complete_needs_all_three_conditions():
    assert rules.workshop_complete(3, 4, 75, True, True) is True
    assert rules.workshop_complete(2, 4, 75, True, True) is False
    assert rules.workshop_complete(4, 4, 75, False, True) is False
    assert rules.workshop_complete(4, 4, 75, True, False) is False
    assert rules.workshop_complete(0, 0, 75, True, True) is False


def test_local_moment_is_in_the_workshops_time_zone():
    niamey = zoneinfo.ZoneInfo("Africa/Niamey")
    moment = rules.local_moment(date(2026, 3, 2), time(9), niamey)
    assert moment == datetime(2026, 3, 2, 8, tzinfo=UTC)


def test_pre_test_is_open_until_the_first_session_starts():
    start = datetime(2026, 3, 2, 8, tzinfo=UTC)
    assert rules.pre_test_open(start - timedelta(seconds=1), start)
    assert not rules.pre_test_open(start, start)
    assert rules.pre_test_open(start, None)


def test_post_test_opens_when_the_last_session_ends():
    end = datetime(2026, 3, 3, 16, tzinfo=UTC)
    assert not rules.post_test_open(end - timedelta(seconds=1), end)
    assert rules.post_test_open(end, end)
    assert not rules.post_test_open(end, None)


def test_course_due_date():
    ends = date(2026, 3, 3)
    assert rules.course_due_date(ends_on=ends, due_date=None, due_days_after_end=None) is None
    assert rules.course_due_date(ends_on=ends, due_date=None, due_days_after_end=14) == date(
        2026, 3, 17
    )
    assert rules.course_due_date(
        ends_on=ends, due_date=date(2026, 2, 1), due_days_after_end=14
    ) == date(2026, 2, 1)
