"""The workshop's rules, as pure functions (no ORM, no Django): attendance, completion, when
the pre-test and post-test are open, and when a workshop's course is due.

Times given to these functions are aware datetimes; a session's wall-clock times are turned
into one with `local_moment(date, time, zone)`.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def attendance_rate(attended: int, sessions: int) -> Decimal | None:
    """Sessions attended ÷ sessions, in percent, half up to two decimals; None without sessions."""
    if sessions <= 0:
        return None
    attended = max(0, min(attended, sessions))
    return (Decimal(attended) * 100 / Decimal(sessions)).quantize(CENT, rounding=ROUND_HALF_UP)


def attendance_met(attended: int, sessions: int, threshold_percent: int) -> bool:
    """Attended at least `threshold_percent` % of the sessions, compared exactly (in integers:
    3 of 4 meets 75 %, 2 of 3 does not). A workshop without sessions is never attended."""
    if sessions <= 0:
        return False
    return attended * 100 >= threshold_percent * sessions


def workshop_complete(
    attended: int,
    sessions: int,
    threshold_percent: int,
    required_courses_complete: bool,
    post_test_taken: bool,
) -> bool:
    """A participant completes a workshop when they attended at least the threshold share of
    its sessions, completed every course of the workshop, and submitted the post-test.

    The caller passes `required_courses_complete=True` for a workshop without courses and
    `post_test_taken=True` for one without a post-test. The pre-test never counts.
    """
    return (
        attendance_met(attended, sessions, threshold_percent)
        and required_courses_complete
        and post_test_taken
    )


def local_moment(day: date, at: time, zone: tzinfo) -> datetime:
    """The aware moment of the wall-clock `day` `at` in `zone`."""
    return datetime.combine(day, at, tzinfo=zone)


def pre_test_open(now: datetime, first_session_starts: datetime | None) -> bool:
    """The pre-test is taken before the first session starts (no sessions: always open)."""
    return first_session_starts is None or now < first_session_starts


def post_test_open(now: datetime, last_session_ends: datetime | None) -> bool:
    """The post-test opens when the last session has ended (no sessions: never)."""
    return last_session_ends is not None and now >= last_session_ends


def course_due_date(
    *, ends_on: date, due_date: date | None, due_days_after_end: int | None
) -> date | None:
    """A workshop course's due date: its own date, else N days after the workshop's last day
    (`ends_on`, in the workshop's time zone), else none."""
    if due_date is not None:
        return due_date
    if due_days_after_end is not None:
        return ends_on + timedelta(days=due_days_after_end)
    return None


@dataclass(frozen=True)
class SessionTimes:
    """A session's times for one reader: in the reader's zone, and in the workshop's own."""

    starts: datetime  # aware, in the reader's zone
    ends: datetime
    own_starts: datetime  # aware, in the workshop's zone
    own_ends: datetime

    @property
    def day(self) -> date:
        """The day the session starts on, for the reader."""
        return self.starts.date()

    @property
    def differs(self) -> bool:
        """Whether the reader's clock reads otherwise than the workshop's (day or time)."""
        return (self.starts.replace(tzinfo=None), self.ends.replace(tzinfo=None)) != (
            self.own_starts.replace(tzinfo=None),
            self.own_ends.replace(tzinfo=None),
        )


def session_times(
    *, day: date, start: time, end: time, own: tzinfo, reader: tzinfo
) -> SessionTimes:
    """A session held `day` from `start` to `end` by the workshop's clock (`own` zone), as the
    reader's clock (`reader` zone) shows it. Each moment is converted on its own date, so a
    daylight-saving change between two sessions, or a zone that moves its clocks for part of
    the year (Morocco during Ramadan), is followed session by session."""
    own_starts, own_ends = local_moment(day, start, own), local_moment(day, end, own)
    return SessionTimes(
        starts=own_starts.astimezone(reader),
        ends=own_ends.astimezone(reader),
        own_starts=own_starts,
        own_ends=own_ends,
    )


def hours_of(times: list[tuple[time, time]]) -> Decimal:
    """The hours of an agenda: the sum of its sessions' lengths (start, end on one day), as a
    Decimal of hours (exact: minutes ÷ 60, unrounded). Workshop certificates state it."""
    minutes = sum(
        max(0, (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute))
        for start, end in times
    )
    return Decimal(minutes) / 60
