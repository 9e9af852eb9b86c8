"""When a failed background task is tried again: pure, no Django."""

from datetime import timedelta

# A task is tried this many times in all before it is recorded as failed.
MAX_ATTEMPTS = 5
# Waits after the 1st, 2nd, 3rd… failure: 1, 4, 16, 64 minutes, at most 6 hours.
BASE_DELAY_SECONDS = 60
FACTOR = 4
MAX_DELAY_SECONDS = 6 * 3600


def retry_delay(attempts: int) -> timedelta:
    """The wait before the next try, after `attempts` (≥ 1) failed tries."""
    if attempts < 1:
        raise ValueError("retry_delay needs at least one failed attempt")
    seconds = BASE_DELAY_SECONDS * FACTOR ** (attempts - 1)
    return timedelta(seconds=min(seconds, MAX_DELAY_SECONDS))


def gives_up(attempts: int, max_attempts: int = MAX_ATTEMPTS) -> bool:
    """Whether a task that has failed `attempts` times is recorded as failed for good."""
    return attempts >= max_attempts


def period_key(name: str, *, timestamp: float, every_seconds: int) -> str:
    """The ledger key of periodic task `name` for the period `timestamp` falls in: every
    scheduler computes the same key, so a period's task is recorded once however many run."""
    return f"periodic:{name}:{int(timestamp) // every_seconds}"
