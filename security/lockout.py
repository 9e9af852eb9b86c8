"""Sign-in lockout (docs/security.md, "Lockout").

Failed sign-ins are counted three ways, each in a fixed window of `TADRIB_LOCKOUT_WINDOW`
seconds (`security.throttle`, in the database, so every worker and server counts together):

- one account from one address: `TADRIB_LOCKOUT_FAILURES` (10) locks that account from that
  address only, so someone guessing from elsewhere cannot lock the officer out of their office;
- one account from anywhere: `TADRIB_LOCKOUT_ACCOUNT_FAILURES` (20) locks the account from
  every address, against guessing spread over many addresses;
- one address for every account: `TADRIB_LOCKOUT_ADDRESS_FAILURES` (100), much higher, because
  a whole office, or a country's government network, may reach the site from one address.

A lockout is a `Lockout` row, and sign-in refuses while one applies: lifting it is one
update that every server sees at once. Attempts refused while locked check no password and
count for nothing. A successful sign-in forgets the account's failures (not the address's).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from cms.requests import client_ip

from . import throttle
from .audit import Action, audit_log
from .models import Lockout

Scope = Lockout.Scope

_LIMIT_SETTINGS = {
    Scope.ACCOUNT_ADDRESS: ("TADRIB_LOCKOUT_FAILURES", 10),
    Scope.ACCOUNT: ("TADRIB_LOCKOUT_ACCOUNT_FAILURES", 20),
    Scope.ADDRESS: ("TADRIB_LOCKOUT_ADDRESS_FAILURES", 100),
}


def failure_limit(scope: str) -> int:
    name, default = _LIMIT_SETTINGS[Scope(scope)]
    return getattr(settings, name, default)


def window_seconds() -> int:
    return getattr(settings, "TADRIB_LOCKOUT_WINDOW", 15 * 60)


def normalise_username(username: str | None) -> str:
    return (username or "").strip().casefold()[:150]


@dataclass(frozen=True)
class Subject:
    """One way a sign-in attempt is counted: the account, the address, or both together."""

    scope: str
    username: str = ""
    address: str | None = None

    @property
    def key(self) -> str:
        return throttle.counter_key("sign-in", self.scope, self.username, self.address or "")


def subjects_for(*, request, username: str | None) -> list[Subject]:
    name = normalise_username(username)
    address = client_ip(request)
    subjects = []
    if name and address:
        subjects.append(Subject(Scope.ACCOUNT_ADDRESS, name, address))
    if name:
        subjects.append(Subject(Scope.ACCOUNT, name))
    if address:
        subjects.append(Subject(Scope.ADDRESS, address=address))
    return subjects


def _applying(subjects: list[Subject]) -> Q:
    """The lockouts that would refuse an attempt counted under `subjects`."""
    match = Q(pk__in=[])
    for subject in subjects:
        match |= Q(scope=subject.scope, username=subject.username, address=subject.address)
    return match


def is_locked(*, request, username: str | None) -> bool:
    """True while a lockout applies to this account from this address (one query)."""
    subjects = subjects_for(request=request, username=username)
    return lockouts_active().filter(_applying(subjects)).exists()


def failure_record(*, request, username: str | None) -> list[Lockout]:
    """Count a failed sign-in; return the lockouts it has just caused."""
    caused = []
    for subject in subjects_for(request=request, username=username):
        count = throttle.attempt_record(key=subject.key, window=window_seconds())
        if count != failure_limit(subject.scope):
            continue
        found = Lockout.objects.create(
            scope=subject.scope,
            username=subject.username,
            address=subject.address,
            expires_at=timezone.now() + timedelta(seconds=window_seconds()),
        )
        caused.append(found)
        audit_log(
            action=Action.LOCKOUT,
            request=request,
            username=username or "",
            obj=found,
            data=_facts(found),
        )
    return caused


def success_record(*, request, username: str | None) -> None:
    """Forget the account's failures after a successful sign-in."""
    keys = [
        subject.key
        for subject in subjects_for(request=request, username=username)
        if subject.scope != Scope.ADDRESS
    ]
    throttle.attempts_forget(*keys)


def lockout_lift(*, lockout: Lockout, by, request=None) -> None:
    """End `lockout` now, everywhere, and forget the failures that caused it.

    Lifting an account's lockout also lifts the lockouts of that account from single
    addresses, so the officer is not still refused at their own office.
    """
    lifted = lockouts_active().filter(pk=lockout.pk)
    if lockout.scope == Scope.ACCOUNT:
        lifted = lockouts_active().filter(
            Q(pk=lockout.pk) | Q(scope=Scope.ACCOUNT_ADDRESS, username=lockout.username)
        )
    subjects = {Subject(found.scope, found.username, found.address) for found in lifted}
    if lockout.username:
        # The person's failures start afresh, or the next few would lock them again.
        subjects.add(Subject(Scope.ACCOUNT, lockout.username))
    lifted.update(lifted_at=timezone.now(), lifted_by=by)
    throttle.attempts_forget(*(subject.key for subject in subjects))
    audit_log(
        action=Action.LOCKOUT_LIFTED,
        request=request,
        user=by,
        obj=lockout,
        data=_facts(lockout),
    )


def lockouts_active():
    """Lockouts not lifted and not yet over, newest first."""
    return Lockout.objects.filter(lifted_at__isnull=True, expires_at__gt=timezone.now())


def _facts(lockout: Lockout) -> dict:
    return {"scope": lockout.scope, "username": lockout.username, "address": lockout.address}
