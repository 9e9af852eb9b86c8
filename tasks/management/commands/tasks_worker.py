import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.crypto import get_random_string
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from tasks.scheduler import scheduler_loop


class Command(BaseCommand):
    help = (
        "Run the database queue's worker and, beside it, the periodic loop, until Ctrl-C or "
        "SIGTERM (a task being run is finished first). For `make run` and one server."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-scheduler", action="store_true", help="Run tasks only.")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls when idle."
        )

    def handle(self, *args, no_scheduler=False, interval=1.0, **options):
        if not isinstance(task_backends["default"], DatabaseBackend):
            raise CommandError(
                "The task backend is not the database queue: run `celery -A "
                "tasks.celery_backend worker` and `manage.py tasks_scheduler` instead."
            )
        if not no_scheduler:
            # A daemon thread: it ends with the worker, which owns the signal handlers.
            threading.Thread(
                target=scheduler_loop,
                kwargs={
                    "tick_seconds": settings.TADRIB_SCHEDULER_TICK_SECONDS,
                    "stop": threading.Event(),
                },
                name="scheduler",
                daemon=True,
            ).start()
        worker = Worker(
            queue_names=["*"],
            interval=interval,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        self.stdout.write("Background worker started (Ctrl-C stops it).")
        worker.run()
