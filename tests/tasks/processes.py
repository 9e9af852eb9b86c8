"""Worker processes for the process-level tests and bench/tasks_celery.py: a site database
shared with the test, real workers (the database queue's or Celery's), a real SMTP server."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.security.smtp import Inbox

ROOT = Path(__file__).resolve().parents[2]
PYTHON = Path(sys.executable)


class HoldingInbox(Inbox):
    """An inbox whose server can stall a client at its greeting (EHLO) until released."""

    def __init__(self):
        super().__init__()
        self.hold = threading.Event()
        self.greeted = threading.Event()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        self.greeted.set()
        while self.hold.is_set():
            await asyncio.sleep(0.05)
        return responses


def site_env(data_dir: Path, **extra: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE", "CELERY_BROKER_URL"}
    }
    if "DATABASE_URL" not in extra:
        env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DJANGO_DEBUG="0",
        TADRIB_DATA_DIR=str(data_dir),
        TADRIB_TASK_LEASE_SECONDS="2",
        TADRIB_SCHEDULER_TICK_SECONDS="0.5",
        PYTHONDONTWRITEBYTECODE="1",
        **extra,
    )
    return env


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def in_site(env: dict, code: str) -> str:
    return manage(env, "shell", "--no-imports", "-c", code)


def start(env: dict, *command: str) -> subprocess.Popen:
    return subprocess.Popen(
        list(command),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(os.environ.get("W18_LOG", os.devnull), "a"),
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


def wait_for(condition, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


# Records one e-mail for each of N new people (`n` in the code's globals).
ENQUEUE_EMAILS = """
from django.db import transaction
from cms.models import User
from notifications.services import notification_send
for i in range({n}):
    user = User.objects.create(username=f"{prefix}{{i}}", email=f"{prefix}{{i}}@example.org")
    with transaction.atomic():
        notification_send(kind="second_factor_added", recipient=user, key=f"{prefix}:{{i}}")
"""

JOB_STATES = """
from tasks.models import Job
print(sorted(Job.objects.filter(kind="notifications.deliver").values_list("state", "attempts")))
"""
