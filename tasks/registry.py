"""What background jobs there are: one registered kind per variation, added by each app from
its `AppConfig.ready`, so this app never imports the apps whose work it runs."""

from collections.abc import Callable
from dataclasses import dataclass

from .rules import MAX_ATTEMPTS


class PermanentFailure(Exception):
    """Raised by a job that must not be tried again by itself (its message says why); an
    administrator may still retry it from *Settings → Background tasks*."""


@dataclass(frozen=True)
class JobKind:
    name: str
    # Does the work, given the job's arguments as keyword arguments. Must be idempotent.
    run: Callable[..., object]
    # A sentence for administrators, in the active language, from the arguments alone (no
    # query): what the job does, naming people and things. May return safe HTML (links).
    describe: Callable[[dict], str]
    max_attempts: int = MAX_ATTEMPTS
    # Called before an administrator's retry, to undo a PermanentFailure's guard.
    before_retry: Callable[[dict], None] | None = None


@dataclass(frozen=True)
class Periodic:
    """A job kind every scheduler enqueues once per period of `every_seconds`."""

    name: str
    every_seconds: int
    kind: str


_kinds: dict[str, JobKind] = {}
_periodic: dict[str, Periodic] = {}


def job_kind_register(kind: JobKind) -> JobKind:
    _kinds[kind.name] = kind
    return kind


def job_kind(name: str) -> JobKind | None:
    return _kinds.get(name)


def periodic_register(periodic: Periodic) -> Periodic:
    _periodic[periodic.name] = periodic
    return periodic


def periodic_jobs() -> list[Periodic]:
    return list(_periodic.values())
