"""Which due-date reminder is due: pure, no Django."""

from datetime import date

# Stages, least urgent first: a week before, the day before, once overdue.
WEEK_BEFORE = "7d"
DAY_BEFORE = "1d"
OVERDUE = "overdue"
STAGES = (WEEK_BEFORE, DAY_BEFORE, OVERDUE)


def reminder_stage(*, due_date: date, today: date) -> str | None:
    """The most urgent reminder stage reached on `today`, or None (more than 7 days left).

    Only the most urgent stage is sent: a learner assigned three days before the due date gets
    the week's reminder now and the day's later; a scheduler that was stopped for a week sends
    the overdue one alone, not three at once. Each stage is sent once (the ledger's key).
    """
    days_left = (due_date - today).days
    if days_left < 0:
        return OVERDUE
    if days_left <= 1:
        return DAY_BEFORE
    if days_left <= 7:
        return WEEK_BEFORE
    return None


def reminder_key(*, stage: str, enrolment_id: int, due_date: date) -> str:
    """The ledger key of one reminder: a new due date gets its own reminders."""
    return f"reminder:{stage}:{enrolment_id}:{due_date.isoformat()}"
