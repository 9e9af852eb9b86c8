"""Shared by bench/concurrency.py, bench/faults.py and bench/multi_server.py.

A throwaway PostgreSQL database seeded like `make bench` does (bench/run.py's helpers), gunicorn
servers with production settings (bench/run.py's `Server`), a small HTTP client that carries the
cookies itself (production cookies are `Secure`, which no client sends over plain http), and
queries of the database through `manage.py shell`.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import redis
from form_fields import form_fields
from run import POSTGRES_URL, PYTHON, ROOT, Server, log, manage, postgres_database

DEMO_PASSWORD = "bench-demo-password-" + uuid.uuid4().hex[:8]


class Scratch:
    """A scratch directory and PostgreSQL database, seeded; `close()` drops both."""

    def __init__(self, label: str, *, redis_url: str = "", extra_env: dict | None = None):
        self.workdir = Path(tempfile.mkdtemp(prefix=f"tadrib-{label}-"))
        self.db_name = f"tadrib_{label}_{os.getpid()}"
        if not postgres_database(self.db_name, "create"):
            raise RuntimeError(f"PostgreSQL does not answer at {POSTGRES_URL}")
        self.url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{self.db_name}"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "TADRIB_DATA_DIR": str(self.workdir),
            "DJANGO_SECRET_KEY": "bench-only-" + os.urandom(16).hex(),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DEMO_PASSWORD": DEMO_PASSWORD,
            "REDIS_URL": redis_url,
            **(extra_env or {}),
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.password = DEMO_PASSWORD

    def seed(self) -> None:
        started = time.monotonic()
        manage(self.env, "migrate", "--noinput")
        manage(self.env, "setup_site")
        manage(self.env, "seed_demo")
        # As bench/run.py does: the manifest must list every static file the templates name,
        # or production settings answer 500 (a stale manifest after a new script, say).
        manage(
            self.env, "collectstatic", "--noinput", "-v", "0", settings="cms.settings.production"
        )
        log(f"seeded {self.db_name} in {time.monotonic() - started:.0f} s")

    def shell(self, code: str, *, settings: str = "cms.settings.dev", timeout: int = 300):
        """Run `code` in `manage.py shell`; it prints one JSON line last, returned decoded."""
        done = subprocess.run(
            [str(PYTHON), "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env={**self.env, "DJANGO_SETTINGS_MODULE": settings},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"shell failed: {done.stderr[-2000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def prepare(self, submitters: int) -> dict:
        """bench/prepare.py (production settings): `submitters` learners with one attempt in
        progress per quiz, each with a session cookie and a submission body."""
        done = subprocess.run(
            [str(PYTHON), "bench/prepare.py"],
            cwd=ROOT,
            env={
                **self.env,
                "DJANGO_SETTINGS_MODULE": "cms.settings.production",
                "BENCH_SUBMITTERS": str(submitters),
            },
            check=True,
            capture_output=True,
            text=True,
            timeout=900,
        )
        return json.loads(done.stdout)

    def server(self, name: str, workers: int) -> Server:
        workdir = self.workdir / name
        workdir.mkdir(exist_ok=True)
        return Server(self.env, workdir, workers)

    def close(self) -> None:
        postgres_database(self.db_name, "drop")
        shutil.rmtree(self.workdir, ignore_errors=True)


class Http:
    """One visitor: keeps its cookies (by name) and sends them in a Cookie header."""

    def __init__(self, base: str, cookies: dict | None = None, timeout: float = 60):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = dict(cookies or {})
        self.timeout = timeout

    @staticmethod
    def parse_cookie_header(header: str) -> dict:
        return dict(p.strip().split("=", 1) for p in header.split(";") if "=" in p)

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, data: dict | str | None = None, *, keep=True):
        """(status, headers as a dict with lower-case names, body text)."""
        body = urlencode(data, doseq=True) if isinstance(data, dict) else data
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = self.cookie_header
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            if keep:
                for name, value in response.getheaders():
                    if name.lower() == "set-cookie":
                        key, _, rest = value.partition("=")
                        cookie_value = rest.split(";", 1)[0]
                        if "max-age=0" in value.lower() or cookie_value in ('""', ""):
                            self.cookies.pop(key.strip(), None)
                        else:
                            self.cookies[key.strip()] = cookie_value
            return response.status, {k.lower(): v for k, v in response.getheaders()}, text
        finally:
            connection.close()

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, data):
        return self.request("POST", path, data)

    def sign_in(self, username: str, password: str, language: str = "en") -> None:
        path = f"/{language}/account/sign-in/"
        status, _headers, page = self.get(path)
        assert status == 200, f"sign-in page answered {status}"
        token = form_fields(page)["csrfmiddlewaretoken"][0]
        status, headers, _page = self.post(
            path, {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in of {username} failed: {status} {headers}")


def worker_pids(master_pid: int) -> list[int]:
    """gunicorn's workers: the children of its master process."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    try:
        return [int(p) for p in children.read_text().split()]
    except OSError:
        return []


def kill(pid: int, sig=signal.SIGKILL) -> bool:
    try:
        os.kill(pid, sig)
        return True
    except ProcessLookupError:
        return False


def pg_ready(timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (
            subprocess.run(
                ["pg_isready", "-h", "127.0.0.1", "-t", "2"], capture_output=True
            ).returncode
            == 0
        ):
            return True
        time.sleep(0.5)
    return False


def pg_cluster() -> tuple[str, str]:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return version, "main"


def pg_restart() -> float:
    """Restart the machine's PostgreSQL cluster; seconds the command took."""
    version, cluster = pg_cluster()
    started = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "restart"],
        check=True,
        timeout=120,
        capture_output=True,
    )
    return time.monotonic() - started


def pg_start_if_down() -> None:
    if pg_ready(timeout=3):
        return
    version, cluster = pg_cluster()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "start"],
        timeout=120,
        capture_output=True,
    )
    pg_ready(timeout=60)


def redis_flush(url: str) -> None:
    client = redis.Redis.from_url(url, socket_timeout=5)
    client.flushdb()
    client.close()


LOCATION_ATTEMPT = re.compile(r"/quizzes/attempts/(\d+)/")


_ATTEMPTS_CODE = """
import json
from django.db.models import Count, Q
from quizzes.models import QuizAttempt
from security.models import AuditEntry
pks = {pks!r}
rows = {{}}
for a in QuizAttempt.objects.filter(pk__in=pks).annotate(
    n_responses=Count("responses"),
    n_scored=Count("responses", filter=Q(responses__fraction__isnull=False)),
):
    rows[a.pk] = dict(
        state=a.state, score=None if a.score is None else str(a.score),
        submitted_at=a.submitted_at is not None, responses=a.n_responses, scored=a.n_scored,
        user=a.user_id, quiz=a.quiz_id,
    )
pairs = {{(r["user"], r["quiz"]) for r in rows.values()}}
siblings = {{}}
for user, quiz in pairs:
    siblings[f"{{user}}:{{quiz}}"] = QuizAttempt.objects.filter(user_id=user, quiz_id=quiz).count()
audits = {{}}
for object_id, n in (
    AuditEntry.objects.filter(action="quiz_submitted", object_id__in=[str(p) for p in pks])
    .values_list("object_id").annotate(n=Count("id"))
):
    audits[object_id] = n
print(json.dumps({{"attempts": rows, "attempts_per_learner_quiz": siblings, "audits": audits}}))
"""


def attempts_in_db(scratch: Scratch, pks) -> dict:
    """For each attempt: state, score, responses (all, scored); attempts per (learner, quiz);
    quiz_submitted audit entries per attempt."""
    found = scratch.shell(_ATTEMPTS_CODE.format(pks=sorted(set(pks))))
    found["attempts"] = {int(k): v for k, v in found["attempts"].items()}
    return found


def consistent(row: dict) -> bool:
    """Either in progress with no score, or submitted with a score and every response scored."""
    if row["state"] == "in_progress":
        return row["score"] is None and not row["submitted_at"] and row["scored"] == 0
    return (
        row["state"] == "submitted"
        and row["score"] is not None
        and row["submitted_at"]
        and row["scored"] == row["responses"]
    )
