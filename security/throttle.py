"""Counting attempts in fixed windows, in the database that every worker and server shares.

A cache would do on Redis, but the embedded default has no Redis, and Django's database cache
increments by reading and writing back, so two workers counting at once would lose failures.
Here a count goes up with one `UPDATE … SET count = count + 1`, whichever database it is.

A window opens with the first attempt and lasts `window` seconds; the next attempt after it
opens a new one. Keys are digests, so the table holds no user name or address.
"""

import hashlib
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import AttemptCounter


def counter_key(*parts: str) -> str:
    """The key for what `parts` name, e.g. ("sign-in", "account", "amina")."""
    kind, *values = parts
    digest = hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:64]
    return f"{kind}:{digest}"


def attempt_count(*, key: str) -> int:
    """Attempts counted under `key` in its current window (0 once the window is over)."""
    found = (
        AttemptCounter.objects.filter(key=key, window_ends__gt=timezone.now())
        .values_list("count", flat=True)
        .first()
    )
    return found or 0


def attempt_record(*, key: str, window: int) -> int:
    """Count one attempt under `key`; return the count in the window, this attempt included.

    Exactly one caller sees each value, so `== limit` fires once per window.
    """
    now = timezone.now()
    for _retry in range(3):
        try:
            with transaction.atomic():
                if AttemptCounter.objects.filter(key=key, window_ends__gt=now).update(
                    count=F("count") + 1
                ):
                    return AttemptCounter.objects.values_list("count", flat=True).get(key=key)
                # No open window: start one. Finished windows count for nothing; they go now,
                # so the table holds only what is being counted.
                AttemptCounter.objects.filter(window_ends__lte=now).delete()
                AttemptCounter.objects.create(
                    key=key, count=1, window_ends=now + timedelta(seconds=window)
                )
                return 1
        except IntegrityError:
            # Another worker created the row first: count on it.
            continue
    return attempt_count(key=key)


def attempts_forget(*keys: str) -> None:
    """Start `keys` afresh (after a successful sign-in, or a lockout lifted)."""
    AttemptCounter.objects.filter(key__in=keys).delete()
