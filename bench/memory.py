"""A gunicorn worker's resident memory after 20,000 mixed learner requests.

    .venv/bin/python bench/memory.py [--requests 20000] [--learners 2000] [--label L]

Seeds a scratch SQLite site as `make bench` does (`seed_demo`, `seed_load --learners N`),
signs every synthetic learner in (a session each, as the sign-in form would make it), starts
gunicorn with production settings and **one worker**, so every request lands in the process
measured, and sends `--requests` GETs, four at a time, each from a learner and to a page
drawn at random: every demo course's page, module pages and quiz pages, My learning and the
catalogue, in English, French and Arabic. The worker's VmRSS (from /proc) is read after
start-up and warm-up, and after the requests. The budget (docs/performance.md): ≤ 250 MB.

Prints one JSON line and writes it to `bench/results/memory-<UTC time>[-label].json`. Exits
1 when the worker is over the budget or a request failed. Every process is stopped by its PID.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import PYTHON, RESULTS, ROOT, Server, log, manage

BUDGET_MB = 250
PREPARE = r"""
import json, os, sys
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils import translation
from django.urls import reverse
from django.utils.module_loading import import_string
from cms.models import User
from courses.models import ActivityPage, CoursePage
from courses.selectors import activity_models

store_class = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
cookies = []
learners = User.objects.filter(username__startswith="load-").exclude(username="load-manager")
for user in learners[: int(sys.argv[1])]:
    store = store_class()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    cookies.append(f"{settings.SESSION_COOKIE_NAME}={store.session_key}")
paths = []
pages = list(CoursePage.objects.live())
for model in activity_models():
    pages += list(model.objects.live())
for code, _name in settings.LANGUAGES:
    with translation.override(code):
        paths += [p.get_url() for p in pages]
        paths.append(reverse("courses:my_learning"))
json.dump({"cookies": cookies, "paths": [p for p in paths if p]}, sys.stdout)
"""


def worker_rss_mb(master_pid: int) -> dict[int, float]:
    """VmRSS of each child of gunicorn's master, in MB."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid != master_pid:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    found[int(entry.name)] = int(line.split()[1]) / 1024
        except (OSError, ValueError, IndexError):
            continue
    return found


def send(base: str, plan: list[tuple[str, str]], threads: int) -> dict[str, int]:
    """GET every (path, cookie) of `plan`, `threads` connections at a time."""
    netloc = urlsplit(base).netloc
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    position = iter(range(len(plan)))

    def run():
        connection = http.client.HTTPConnection(netloc, timeout=30)
        while True:
            with lock:
                index = next(position, None)
            if index is None:
                break
            path, cookie = plan[index]
            try:
                connection.request(
                    "GET",
                    path,
                    headers={"Cookie": cookie, "Accept-Encoding": "gzip", "Host": "127.0.0.1"},
                )
                reply = connection.getresponse()
                reply.read()
                code = str(reply.status)
            except (OSError, http.client.HTTPException):
                code = "error"
                connection.close()
                connection = http.client.HTTPConnection(netloc, timeout=30)
            with lock:
                statuses[code] = statuses.get(code, 0) + 1
        connection.close()

    workers = [threading.Thread(target=run) for _n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=3600)
    return statuses


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--learners", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--label", default="")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="tadrib-memory-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "TADRIB_DATA_DIR": str(workdir),
        "DJANGO_SECRET_KEY": "bench-only-" + os.urandom(16).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "REDIS_URL": "",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = None
    try:
        log(f"memory: seeding in {workdir}")
        manage(env, "migrate", "--noinput")
        manage(env, "setup_site")
        manage(env, "seed_demo")
        manage(env, "seed_load", "--learners", str(args.learners))
        manage(env, "collectstatic", "--noinput", "-v", "0", settings="cms.settings.production")
        prepared = subprocess.run(
            [str(PYTHON), "-c", PREPARE, str(args.learners)],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "cms.settings.production"},
            check=True,
            capture_output=True,
            text=True,
            timeout=900,
        )
        site = json.loads(prepared.stdout)
        cookies, paths = site["cookies"], site["paths"]
        log(f"memory: {len(cookies)} learners signed in, {len(paths)} addresses; serving")
        server = Server(env, workdir, 1)
        # Production cookies are Secure: the CSRF and session cookies are sent as headers.
        rng = random.Random(21)
        warm = [(path, cookies[0]) for path in paths]
        send(server.base, warm, 1)
        start = worker_rss_mb(server.process.pid)
        plan = [(rng.choice(paths), rng.choice(cookies)) for _n in range(args.requests)]
        started = time.monotonic()
        statuses = send(server.base, plan, args.connections)
        seconds = time.monotonic() - started
        end = worker_rss_mb(server.process.pid)
        peak = max(end.values()) if end else None
        result = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "label": args.label,
            "requests": args.requests,
            "learners": len(cookies),
            "addresses": len(paths),
            "seconds": round(seconds, 1),
            "statuses": statuses,
            "worker_rss_mb_after_warmup": round(max(start.values()), 1) if start else None,
            "worker_rss_mb_after_requests": round(peak, 1) if peak else None,
            "budget_mb": BUDGET_MB,
        }
        print(json.dumps(result))
        RESULTS.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + (
            f"-{args.label}" if args.label else ""
        )
        (RESULTS / f"memory-{stamp}.json").write_text(json.dumps(result, indent=2))
        failed = peak is None or peak > BUDGET_MB or "error" in statuses
        failed |= any(code.startswith("5") for code in statuses)
        sys.exit(1 if failed else 0)
    finally:
        if server is not None:
            server.stop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
