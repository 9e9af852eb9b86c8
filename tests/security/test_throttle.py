"""Attempt counters in the database: windows, forgetting, and no lost count under concurrency."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from security import throttle
from security.models import AttemptCounter


@pytest.mark.django_db
def test_counts_go_up_within_a_window_and_start_again_after_it():
    key = throttle.counter_key("test", "a")
    assert [throttle.attempt_record(key=key, window=60) for _ in range(3)] == [1, 2, 3]
    assert throttle.attempt_count(key=key) == 3
    AttemptCounter.objects.update(window_ends=timezone.now())
    assert throttle.attempt_count(key=key) == 0
    assert throttle.attempt_record(key=key, window=60) == 1


@pytest.mark.django_db
def test_forgetting_a_key_leaves_the_others():
    first, second = throttle.counter_key("test", "a"), throttle.counter_key("test", "b")
    throttle.attempt_record(key=first, window=60)
    throttle.attempt_record(key=second, window=60)
    throttle.attempts_forget(first)
    assert (throttle.attempt_count(key=first), throttle.attempt_count(key=second)) == (0, 1)


@pytest.mark.django_db
def test_finished_windows_are_removed_when_a_new_one_opens():
    throttle.attempt_record(key=throttle.counter_key("test", "old"), window=60)
    AttemptCounter.objects.update(window_ends=timezone.now())
    throttle.attempt_record(key=throttle.counter_key("test", "new"), window=60)
    assert AttemptCounter.objects.count() == 1


def test_keys_differ_by_what_they_count_and_hide_it():
    key = throttle.counter_key("sign-in", "account", "amina")
    assert key != throttle.counter_key("sign-in", "account", "amina2")
    assert key != throttle.counter_key("sign-in", "address", "amina")
    assert "amina" not in key and len(key) <= 96


@pytest.mark.django_db(transaction=True)
def test_concurrent_attempts_are_each_counted_once():
    """Eight workers failing at the same moment: every count from 1 to 8 is seen exactly once,
    so the failure that reaches a limit is always noticed."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:"):
        pytest.skip("the in-memory SQLite test database is not shared between threads")
    key = throttle.counter_key("test", "concurrent")
    seen: list[int] = []
    start = threading.Barrier(8)

    def attempt():
        start.wait()
        try:
            seen.append(throttle.attempt_record(key=key, window=60))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(seen) == list(range(1, 9))
    assert throttle.attempt_count(key=key) == 8
