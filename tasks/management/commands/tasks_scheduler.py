import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from tasks.scheduler import scheduler_loop


class Command(BaseCommand):
    help = (
        "Run the periodic loop (due-date reminders, renewal invitations, learning records, "
        "recovery of interrupted tasks) until stopped. Safe to run on several machines at "
        "once. With the database queue, `tasks_worker` runs it already."
    )

    def handle(self, *args, **options):
        stop = threading.Event()
        for name in ("SIGINT", "SIGTERM"):
            signal.signal(getattr(signal, name), lambda *_: stop.set())
        scheduler_loop(tick_seconds=settings.TADRIB_SCHEDULER_TICK_SECONDS, stop=stop)
