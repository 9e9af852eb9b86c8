from datetime import timedelta

import pytest

from tasks.rules import MAX_ATTEMPTS, MAX_DELAY_SECONDS, gives_up, period_key, retry_delay


def test_the_wait_grows_fourfold_from_a_minute():
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=1),
        timedelta(minutes=4),
        timedelta(minutes=16),
        timedelta(minutes=64),
    ]


def test_the_wait_never_passes_six_hours():
    assert retry_delay(40) == timedelta(seconds=MAX_DELAY_SECONDS)


def test_a_wait_needs_a_failure():
    with pytest.raises(ValueError):
        retry_delay(0)


def test_a_task_is_given_up_after_its_last_attempt():
    assert not gives_up(MAX_ATTEMPTS - 1)
    assert gives_up(MAX_ATTEMPTS)
    assert gives_up(2, max_attempts=2)


def test_every_scheduler_computes_the_same_period_key():
    assert period_key("reminders", timestamp=7199.9, every_seconds=3600) == "periodic:reminders:1"
    assert period_key("reminders", timestamp=7200, every_seconds=3600) == "periodic:reminders:2"
