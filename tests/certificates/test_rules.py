"""Validity, state, renewal windows and names: pure rules, no database."""

from datetime import UTC, datetime, timedelta

import pytest

from certificates.rules import (
    State,
    add_months,
    holder_names,
    is_arabic_script,
    renewal_window_due,
    state_of,
    valid_until_for,
)

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (datetime(2026, 1, 31, tzinfo=UTC), 1, datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2028, 1, 31, tzinfo=UTC), 1, datetime(2028, 2, 29, tzinfo=UTC)),
        (datetime(2026, 5, 4, tzinfo=UTC), 24, datetime(2028, 5, 4, tzinfo=UTC)),
        (datetime(2026, 11, 30, tzinfo=UTC), 3, datetime(2027, 2, 28, tzinfo=UTC)),
        (datetime(2026, 12, 15, tzinfo=UTC), 12, datetime(2027, 12, 15, tzinfo=UTC)),
    ],
)
def test_months_are_calendar_months_clamped_to_the_month_end(start, months, end):
    assert add_months(start, months) == end


def test_no_validity_means_no_expiry():
    assert valid_until_for(issued_at=NOW, validity_months=None) is None
    assert valid_until_for(issued_at=NOW, validity_months=0) is None
    assert valid_until_for(issued_at=NOW, validity_months=6) == datetime(
        2026, 11, 4, 12, tzinfo=UTC
    )


def test_state_revoked_wins_over_expired_and_expiry_starts_at_valid_until():
    later = NOW + timedelta(days=1)
    assert state_of(revoked=False, valid_until=None, now=NOW) is State.VALID
    assert state_of(revoked=False, valid_until=later, now=NOW) is State.VALID
    assert state_of(revoked=False, valid_until=NOW, now=NOW) is State.EXPIRED
    assert state_of(revoked=True, valid_until=NOW - timedelta(days=9), now=NOW) is State.REVOKED
    assert state_of(revoked=True, valid_until=None, now=NOW) is State.REVOKED


def until(days: float) -> datetime:
    return NOW + timedelta(days=days)


@pytest.mark.parametrize(
    ("days_left", "invited", "due"),
    [
        (61, set(), None),
        (60, set(), 60),
        (59.5, set(), 60),
        (30, {60}, None),
        (14, {60}, 14),
        (14, set(), 14),
        (10, set(), 14),
        (10, {14}, None),
        (3, {60, 14}, None),
        (0, set(), None),
        (-5, set(), None),
    ],
)
def test_renewal_windows_send_the_most_urgent_one_not_yet_sent(days_left, invited, due):
    assert renewal_window_due(valid_until=until(days_left), now=NOW, invited=invited) == due


def test_no_expiry_no_renewal():
    assert renewal_window_due(valid_until=None, now=NOW, invited=set()) is None


def test_script_of_names():
    assert is_arabic_script("سلمى بن علي")
    assert not is_arabic_script("Salma Ben Ali")
    assert not is_arabic_script("")
    assert is_arabic_script("سلمى Ali بن")


@pytest.mark.parametrize(
    ("stored", "account", "expected"),
    [
        (("سلمى", "Salma"), ("X", "Y"), ("سلمى", "Salma")),
        (("", "Salma B."), ("X", "Y"), ("", "Salma B.")),
        (("", ""), ("Salma", "Ben Ali"), ("", "Salma Ben Ali")),
        (("", ""), ("سلمى", "بن علي"), ("سلمى بن علي", "")),
        (("", ""), ("", ""), ("", "")),
        (("  ", " Salma "), ("", ""), ("", "Salma")),
    ],
)
def test_holder_names_by_script(stored, account, expected):
    names = holder_names(
        arabic=stored[0], latin=stored[1], first_name=account[0], last_name=account[1]
    )
    assert (names.arabic, names.latin) == expected
