from datetime import date, timedelta

import pytest

from notifications.rules import DAY_BEFORE, OVERDUE, WEEK_BEFORE, reminder_key, reminder_stage

DUE = date(2026, 5, 10)


@pytest.mark.parametrize(
    ("days_left", "stage"),
    [
        (30, None),
        (8, None),
        (7, WEEK_BEFORE),
        (2, WEEK_BEFORE),
        (1, DAY_BEFORE),
        (0, DAY_BEFORE),
        (-1, OVERDUE),
        (-90, OVERDUE),
    ],
)
def test_the_most_urgent_stage_reached_is_due(days_left, stage):
    assert reminder_stage(due_date=DUE, today=DUE - timedelta(days=days_left)) == stage


def test_a_new_due_date_gets_reminders_of_its_own():
    assert reminder_key(stage=WEEK_BEFORE, enrolment_id=4, due_date=DUE) != reminder_key(
        stage=WEEK_BEFORE, enrolment_id=4, due_date=DUE + timedelta(days=1)
    )
