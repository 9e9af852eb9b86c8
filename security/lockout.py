"""Sign-in throttling per account and per address, counted in the shared cache.

With Redis as the cache every app server sees the same counters. Each counter is a fixed window:
it starts with the first failure and expires `TADRIB_LOCKOUT_WINDOW` seconds later; reaching the
limit inside the window locks until the window ends. A successful sign-in clears the account's
counter (not the address's). Lockouts are also written to the database, where administrators
list and lift them.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .audit import Action, audit_log
from .models import Lockout
from .requests import client_ip

Scope = Lockout.Scope


def failure_limit(scope: str) -> int:
    if scope == Scope.ADDRESS:
        return getattr(settings, "TADRIB_LOCKOUT_ADDRESS_FAILURES", 10)
    return getattr(settings, "TADRIB_LOCKOUT_FAILURES", 10)


def window_seconds() -> int:
    return getattr(settings, "TADRIB_LOCKOUT_WINDOW", 15 * 60)


def normalise_username(username: str | None) -> str:
    return (username or "").strip().casefold()[:150]


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"security:failures:{scope}:{digest}"


@dataclass(frozen=True)
class Subject:
    """What a sign-in attempt is counted against."""

    scope: str
    value: str


def subjects_for(*, request, username: str | None) -> list[Subject]:
    subjects = []
    name = normalise_username(username)
    if name:
        subjects.append(Subject(Scope.ACCOUNT, name))
    address = client_ip(request)
    if address:
        subjects.append(Subject(Scope.ADDRESS, address))
    return subjects


def failures(subject: Subject) -> int:
    return int(cache.get(_key(subject.scope, subject.value), 0))


def is_locked(*, request, username: str | None) -> bool:
    """True when the account or the address has used up its failures for now."""
    return any(
        failures(subject) >= failure_limit(subject.scope)
        for subject in subjects_for(request=request, username=username)
    )


def _incr(key: str) -> int:
    # `add` creates the window only if absent; `incr` is atomic on Redis and locmem.
    cache.add(key, 0, timeout=window_seconds())
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds())
        return 1


def failure_record(*, request, username: str | None) -> bool:
    """Count a failed sign-in; return True if it has just locked the account or the address."""
    locked_now = False
    for subject in subjects_for(request=request, username=username):
        count = _incr(_key(subject.scope, subject.value))
        if count == failure_limit(subject.scope):
            locked_now = True
            Lockout.objects.create(
                scope=subject.scope,
                value=subject.value,
                expires_at=timezone.now() + timedelta(seconds=window_seconds()),
            )
            audit_log(
                action=Action.LOCKOUT,
                request=request,
                username=username or "",
                detail=f"{subject.scope}: {subject.value}",
            )
    return locked_now


def success_record(*, username: str | None) -> None:
    name = normalise_username(username)
    if name:
        cache.delete(_key(Scope.ACCOUNT, name))


def lockout_lift(*, lockout: Lockout, by, request=None) -> None:
    """End `lockout` now and forget its failures."""
    cache.delete(_key(lockout.scope, lockout.value))
    Lockout.objects.filter(pk=lockout.pk).update(lifted_at=timezone.now(), lifted_by=by)
    audit_log(
        action=Action.LOCKOUT_LIFTED,
        request=request,
        user=by,
        obj=lockout,
        detail=f"{lockout.scope}: {lockout.value}",
    )


def lockouts_active():
    """Lockouts not lifted and not yet over, newest first."""
    return Lockout.objects.filter(lifted_at__isnull=True, expires_at__gt=timezone.now())
