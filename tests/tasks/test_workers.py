"""Real worker processes (slow: each test starts processes; kept to two).

- The database queue's worker killed (SIGKILL) in the middle of a task, then a new one: the
  task completes, and the e-mail arrives once.
- Two Celery workers sharing a Redis broker and the database: each task runs once, even when
  every task is handed to the broker twice.
"""

import collections

import pytest
from aiosmtpd.controller import Controller

from tests.migrated import migrated_sqlite
from tests.ports import free_port

from .processes import (
    ENQUEUE_EMAILS,
    JOB_STATES,
    PYTHON,
    HoldingInbox,
    in_site,
    reachable,
    site_env,
    start,
    stop,
    wait_for,
)

pytestmark = pytest.mark.slow
# Redis database 7 for the Celery broker; the SMTP server on a free port.
SMTP_PORT = free_port()
REDIS_URL = "redis://127.0.0.1:6379/7"


@pytest.fixture(scope="module")
def inbox():
    received = HoldingInbox()
    controller = Controller(received, hostname="127.0.0.1", port=SMTP_PORT)
    try:
        controller.start()
    except OSError as error:
        pytest.skip(f"cannot start the SMTP server on port {SMTP_PORT}: {error}")
    yield received
    controller.stop()


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("workers")
    migrated_sqlite(data_dir / "db.sqlite3", site_env(data_dir))
    return data_dir


def test_a_worker_killed_mid_task_and_restarted_sends_the_mail_once(inbox, site_dir):
    env = site_env(site_dir, EMAIL_URL=f"smtp://127.0.0.1:{SMTP_PORT}")
    inbox.hold.set()  # the first worker stalls at the mail server's greeting
    in_site(env, ENQUEUE_EMAILS.format(n=1, prefix="killed"))
    first = start(env, str(PYTHON), "manage.py", "tasks_worker")
    try:
        assert wait_for(inbox.greeted.is_set), "the worker never reached the mail server"
        first.kill()  # SIGKILL: no clean-up of any kind
        first.wait()
    finally:
        stop(first)
    inbox.hold.clear()
    assert inbox.messages == []
    second = start(env, str(PYTHON), "manage.py", "tasks_worker")
    try:
        assert wait_for(lambda: len(inbox.messages) >= 1, timeout=60)
        wait_for(lambda: len(inbox.messages) > 1, timeout=3)  # a second copy would come now
    finally:
        stop(second)
    assert [r for r in inbox.recipients if r[0].startswith("killed")] == [["killed0@example.org"]]
    assert in_site(env, JOB_STATES).strip() == "[('done', 2)]"


@pytest.mark.skipif(not reachable("127.0.0.1", 6379), reason="no Redis on 127.0.0.1:6379")
def test_two_celery_workers_on_one_broker_run_each_task_once(inbox, site_dir):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    env = site_env(
        site_dir,
        EMAIL_URL=f"smtp://127.0.0.1:{SMTP_PORT}",
        CELERY_BROKER_URL=REDIS_URL,
        TADRIB_CELERY_QUEUE_PREFIX="w18-tests-",
    )
    celery = str(PYTHON.parent / "celery")
    workers = [
        start(env, celery, "-A", "tasks.celery_backend", "worker", "--queues",
              "w18-tests-default", "--concurrency", "2", "--hostname", f"w18-{n}@%h",
              "--without-heartbeat", "--without-gossip", "--without-mingle")
        for n in (1, 2)
    ]  # fmt: skip
    count = 20
    try:
        in_site(env, "from tasks.models import Job; Job.objects.all().delete()")
        in_site(env, ENQUEUE_EMAILS.format(n=count, prefix="celery"))
        # Every job handed to the broker a second time: the ledger lets one delivery run it.
        in_site(
            env,
            "from tasks.models import Job\nfrom tasks.services import job_dispatch\n"
            "for pk in Job.objects.values_list('pk', flat=True): job_dispatch(job_id=pk)",
        )
        celery_mail = lambda: [r for r in inbox.recipients if r[0].startswith("celery")]  # noqa: E731
        assert wait_for(lambda: len(celery_mail()) >= count, timeout=120)
        wait_for(lambda: len(celery_mail()) > count, timeout=3)
    finally:
        for worker in workers:
            stop(worker)
    assert collections.Counter(r[0] for r in celery_mail()) == {
        f"celery{i}@example.org": 1 for i in range(count)
    }
    assert in_site(env, JOB_STATES).strip() == str([("done", 1)] * count)
