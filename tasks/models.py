"""The ledger of background work: one row per job, whatever queue runs it."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """A unit of background work, recorded once per `key` (the idempotency key).

    The queue (database or Celery) only carries the job's id; this row says whether the job
    still has to run, is running (until `lease_until`), has run, or has failed for good, so a
    job handed to the queue twice, or re-run after its worker was killed, runs once.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=64)
    key = models.CharField(_("key"), max_length=255, unique=True)
    arguments = models.JSONField(_("arguments"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    run_after = models.DateTimeField(_("run after"), default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "run_after"])]

    def __str__(self):
        return f"{self.kind} · {self.key} · {self.state}"
