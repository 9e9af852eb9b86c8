"""Scale-out proof: two Celery workers share a broker (Redis or RabbitMQ) and PostgreSQL, and
every task runs exactly once, even when each is handed to the broker twice.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tadrib_bench \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/7 .venv/bin/python bench/tasks_celery.py [N]

(`amqp://guest:guest@127.0.0.1:5672//` works the same.) Each task mails a new person through
a local SMTP sink; the script prints how many mails arrived per person, the jobs' states and
the throughput. The database is migrated first and must be one you can write to.
"""

import collections
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiosmtpd.controller import Controller

from tests.tasks.processes import (
    ENQUEUE_EMAILS,
    JOB_STATES,
    PYTHON,
    HoldingInbox,
    in_site,
    manage,
    site_env,
    start,
    stop,
    wait_for,
)

SMTP_PORT = 8214


def main(count: int) -> int:
    database, broker = os.environ.get("DATABASE_URL"), os.environ.get("CELERY_BROKER_URL")
    if not database or not broker:
        print(__doc__)
        return 2
    inbox = HoldingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    env = site_env(
        Path(tempfile.mkdtemp()),
        DATABASE_URL=database,
        CELERY_BROKER_URL=broker,
        EMAIL_URL=f"smtp://127.0.0.1:{SMTP_PORT}",
        TADRIB_CELERY_QUEUE_PREFIX="bench-",
    )
    manage(env, "migrate", "--noinput", "-v", "0")
    prefix = f"bench{int(time.time())}-"
    celery = str(PYTHON.parent / "celery")
    workers = [
        start(env, celery, "-A", "tasks.celery_backend", "worker", "--queues", "bench-default",
              "--concurrency", "2", "--hostname", f"bench-{n}@%h")
        for n in (1, 2)
    ]  # fmt: skip
    try:
        started = time.monotonic()
        in_site(env, ENQUEUE_EMAILS.format(n=count, prefix=prefix))
        in_site(
            env,
            "from tasks.models import Job\nfrom tasks.services import job_dispatch\n"
            "for pk in Job.objects.filter(key__startswith='email:').values_list('pk', flat=True):"
            " job_dispatch(job_id=pk)",
        )
        mine = lambda: [r[0] for r in inbox.recipients if r[0].startswith(prefix)]  # noqa: E731
        wait_for(lambda: len(mine()) >= count, timeout=600)
        elapsed = time.monotonic() - started
        wait_for(lambda: len(mine()) > count, timeout=5)
    finally:
        for worker in workers:
            stop(worker)
        controller.stop()
    per_person = collections.Counter(collections.Counter(mine()).values())
    print(f"{count} tasks, 2 workers × 2 processes, each task handed to the broker twice")
    print(f"mails per person: {dict(per_person)} (exactly once: {per_person == {1: count}})")
    print(f"elapsed {elapsed:.1f} s, {count / elapsed:.1f} tasks/s")
    states = in_site(env, JOB_STATES)
    print("job states:", collections.Counter(eval(states)))  # noqa: S307 - our own output
    return 0 if per_person == {1: count} else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
