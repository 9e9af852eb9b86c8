"""The periodic loop: django-tasks has no scheduler, so this one runs beside the database
worker (`manage.py tasks_worker`) or on its own (`manage.py tasks_scheduler`, with Celery).
Any number may run at once: each period's job is recorded once (its key names the period)
and every job it starts is idempotent."""

import logging
import threading

from django.db import close_old_connections
from django.utils import timezone

from .services import scheduler_tick

logger = logging.getLogger(__name__)


def scheduler_loop(*, tick_seconds: float, stop: threading.Event) -> None:
    while not stop.is_set():
        close_old_connections()
        try:
            scheduler_tick(now=timezone.now())
        except Exception:
            # A database that is briefly away must not end the loop; the next tick retries.
            logger.exception("Scheduler tick failed")
        close_old_connections()
        stop.wait(tick_seconds)
