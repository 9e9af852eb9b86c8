"""Writes for background jobs: record once, run once, retry with backoff, recover after a
worker was killed, retry by hand. See docs/background-tasks.md."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import rules
from .models import Job
from .registry import PermanentFailure, job_kind, periodic_jobs

logger = logging.getLogger(__name__)

# Re-hand to the queue a job still queued this long after it was due or last handed over.
REDISPATCH_AFTER = timedelta(minutes=5)


def lease_seconds() -> int:
    """How long a job may run before the scheduler takes its worker for dead."""
    return int(getattr(settings, "TADRIB_TASK_LEASE_SECONDS", 300))


def job_enqueue(
    *, kind: str, key: str, arguments: dict | None = None, run_after: datetime | None = None
) -> Job | None:
    """Record job `key` and hand it to the queue once the current transaction commits.

    Returns the new job, or None when a job with this key exists already (nothing is
    enqueued twice). A rolled-back transaction records and enqueues nothing.
    """
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                key=key,
                arguments=arguments or {},
                run_after=run_after or timezone.now(),
            )
    except IntegrityError:
        return None
    # An unreachable queue must not undo the caller's work: the scheduler hands it over later.
    transaction.on_commit(lambda: job_dispatch(job_id=job.pk, run_after=job.run_after), robust=True)
    return job


def job_dispatch(*, job_id: int, run_after: datetime | None = None) -> None:
    """Hand job `job_id` to the task queue (outside any transaction that could roll it back)."""
    from .tasks import job_run_task

    now = timezone.now()
    task = job_run_task
    if run_after is not None and run_after > now:
        if not task.get_backend().supports_defer:
            return  # the scheduler hands it over once it is due
        task = task.using(run_after=run_after)
    Job.objects.filter(pk=job_id).update(enqueued_at=now)
    task.enqueue(job_id)


def job_run(*, job_id: int) -> bool:
    """Run job `job_id` if it is due and nobody runs it: the claim is one UPDATE, so a job
    handed over twice runs once. Returns whether this call ran it."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED, run_after__lte=now).update(
        state=Job.State.RUNNING,
        attempts=F("attempts") + 1,
        lease_until=now + timedelta(seconds=lease_seconds()),
    )
    if not claimed:
        return False
    job = Job.objects.get(pk=job_id)
    kind = job_kind(job.kind)
    try:
        if kind is None:
            raise PermanentFailure(f"unknown kind of job {job.kind!r}")
        kind.run(**job.arguments)
    except PermanentFailure as error:
        _finish(job, state=Job.State.FAILED, error=str(error))
    except Exception as error:
        logger.exception("Background job %s failed (attempt %s)", job.key, job.attempts)
        text = f"{type(error).__name__}: {error}"
        if rules.gives_up(job.attempts, kind.max_attempts if kind else rules.MAX_ATTEMPTS):
            _finish(job, state=Job.State.FAILED, error=text)
        else:
            retry_at = timezone.now() + rules.retry_delay(job.attempts)
            Job.objects.filter(pk=job.pk).update(
                state=Job.State.QUEUED, run_after=retry_at, lease_until=None, error=text
            )
            job_dispatch(job_id=job.pk, run_after=retry_at)
    else:
        _finish(job, state=Job.State.DONE, error="")
    return True


def _finish(job: Job, *, state: str, error: str) -> None:
    Job.objects.filter(pk=job.pk).update(
        state=state, error=error, lease_until=None, finished_at=timezone.now()
    )


def jobs_recover(*, now: datetime) -> int:
    """Put back in the queue the jobs whose worker died (lease over) and hand over again the
    due jobs the queue seems to have lost. Returns how many jobs were handed over."""
    stalled = list(Job.objects.filter(state=Job.State.RUNNING, lease_until__lt=now))
    resumed = []
    for job in stalled:
        kind = job_kind(job.kind)
        error = "the worker stopped before the task finished"
        if rules.gives_up(job.attempts, kind.max_attempts if kind else rules.MAX_ATTEMPTS):
            Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
                state=Job.State.FAILED, error=error, lease_until=None, finished_at=now
            )
        elif Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
            state=Job.State.QUEUED, error=error, lease_until=None, run_after=now
        ):
            resumed.append(job.pk)
    lost = Job.objects.filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - REDISPATCH_AFTER),
        state=Job.State.QUEUED,
        run_after__lte=now,
    ).exclude(pk__in=resumed)
    ids = resumed + list(lost.values_list("pk", flat=True)[:500])
    for job_id in ids:
        job_dispatch(job_id=job_id)
    return len(ids)


def jobs_prune_now() -> int:
    return jobs_prune(now=timezone.now())


def scheduler_tick(*, now: datetime) -> None:
    """What every scheduler does each tick: recover jobs, then record the periodic ones."""
    jobs_recover(now=now)
    periodic_enqueue(now=now)


def periodic_enqueue(*, now: datetime) -> list[Job]:
    """Record this period's job of every periodic kind (once per period, however many
    schedulers run)."""
    made = []
    for periodic in periodic_jobs():
        key = rules.period_key(
            periodic.name, timestamp=now.timestamp(), every_seconds=periodic.every_seconds
        )
        job = job_enqueue(kind=periodic.kind, key=key)
        if job is not None:
            made.append(job)
    return made


def job_retry(*, job: Job) -> bool:
    """An administrator's retry of a failed job: tried again now, its attempts counted afresh.
    Returns False when the job is not failed (it ran or runs meanwhile)."""
    kind = job_kind(job.kind)
    with transaction.atomic():
        updated = Job.objects.filter(pk=job.pk, state=Job.State.FAILED).update(
            state=Job.State.QUEUED, attempts=0, run_after=timezone.now(), finished_at=None
        )
        if not updated:
            return False
        if kind is not None and kind.before_retry is not None:
            kind.before_retry(job.arguments)
        transaction.on_commit(lambda: job_dispatch(job_id=job.pk), robust=True)
    return True


def jobs_prune(*, now: datetime, days: int = 30) -> int:
    """Forget jobs that finished successfully more than `days` ago."""
    deleted, _ = Job.objects.filter(
        state=Job.State.DONE, finished_at__lt=now - timedelta(days=days)
    ).delete()
    return deleted
