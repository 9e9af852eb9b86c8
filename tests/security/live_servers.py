"""Two real app servers on one embedded (SQLite) database, for state that must be shared.

Each server is a gunicorn process of its own, started with the settings `make run` uses and
without Redis, so anything kept in one process's memory shows up as a difference between them.
Requests alternate between the two. Servers are stopped by their PID.
"""

import http.client
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from tests.migrated import migrated_sqlite
from tests.ports import free_ports

ROOT = Path(__file__).resolve().parents[2]
PYTHON = Path(sys.executable)
GUNICORN = PYTHON.parent / "gunicorn"
START_TIMEOUT = 90


class CannotStart(Exception):
    """The servers could not be started here (port taken, no gunicorn); the tests skip."""


def embedded_env(data_dir: Path, **extra: str) -> dict:
    """The environment of `make run`: dev settings, SQLite in `data_dir`, no Redis."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DJANGO_DEBUG="0",
        TADRIB_DATA_DIR=str(data_dir),
        # Without DEBUG, pages name hashed static files: collected here, as `make run` does.
        TADRIB_STATIC_ROOT=str(data_dir / "static"),
        # The tests play several client addresses through one trusted proxy hop.
        TADRIB_TRUSTED_PROXIES="1",
        PYTHONDONTWRITEBYTECODE="1",
        **extra,
    )
    return env


def manage(env: dict, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def python_in_site(env: dict, code: str) -> str:
    """Run `code` in a fresh process with the servers' settings (a third process)."""
    return manage(env, "shell", "-c", code)


@dataclass
class Servers:
    env: dict
    urls: list[str]
    processes: list[subprocess.Popen] = field(default_factory=list)

    def __getitem__(self, index: int) -> str:
        return self.urls[index % len(self.urls)]

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait()

    def users_create(self, password: str, users: dict[str, dict]) -> None:
        """Create `users` (username: field values), all with `password`, in one process."""
        python_in_site(
            self.env,
            "from cms.models import User\n"
            f"for name, fields in {users!r}.items():\n"
            "    values = {'email': f'{name}@example.invalid', 'preferred_language': 'en', "
            "**fields}\n"
            "    user = User(username=name, **values)\n"
            f"    user.set_password({password!r})\n"
            "    user.save()\n",
        )


def servers_start(data_dir: Path, **extra_env: str) -> Servers:
    if not GUNICORN.exists():
        raise CannotStart(f"no gunicorn at {GUNICORN}")
    server_ports = free_ports(2)
    env = embedded_env(data_dir, **extra_env)
    migrated_sqlite(data_dir / "db.sqlite3", env)
    manage(env, "setup_site")
    manage(env, "collectstatic", "--noinput")
    servers = Servers(env=env, urls=[f"http://127.0.0.1:{port}" for port in server_ports])
    logs = []
    for port in server_ports:
        log = open(data_dir / f"server-{port}.log", "w")  # noqa: SIM115 - closed with the process
        logs.append(log)
        servers.processes.append(
            subprocess.Popen(
                [str(GUNICORN), "cms.wsgi:application", "--bind", f"127.0.0.1:{port}",
                 "--workers", "1", "--graceful-timeout", "5", "--no-control-socket"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        )  # fmt: skip
    deadline = time.monotonic() + START_TIMEOUT
    for url, process in zip(servers.urls, servers.processes, strict=True):
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                servers.stop()
                raise CannotStart(
                    f"{url} did not start:\n{(data_dir / f'server-{url[-4:]}.log').read_text()}"
                )
            time.sleep(0.2)
    for log in logs:
        log.close()
    return servers


def _healthy(url: str) -> bool:
    try:
        return Browser().get(url + "/healthz").status == 200
    except OSError:
        return False


@dataclass
class Reply:
    status: int
    headers: dict
    body: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class Browser:
    """One person's browser: cookies for 127.0.0.1 whatever the port (as browsers keep them),
    an address announced through the trusted proxy header, no automatic redirects."""

    def __init__(self, address: str = "10.9.0.1"):
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(self, method: str, url: str, data: dict | None = None) -> Reply:
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        headers = {"X-Forwarded-For": self.address, "Accept-Language": "en"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
            for value in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, content)
        finally:
            connection.close()

    def get(self, url: str) -> Reply:
        return self.request("GET", url)

    def post(self, url: str, data: dict) -> Reply:
        """POST a form, with the CSRF token a page of this site would carry."""
        if "csrftoken" not in self.cookies:
            self.get(url)
        return self.request("POST", url, {"csrfmiddlewaretoken": self.cookies["csrftoken"], **data})

    def sign_in(self, server: str, username: str, password: str) -> Reply:
        return self.post(
            f"{server}/en/account/sign-in/", {"username": username, "password": password}
        )


def field_value(html: str, name: str) -> str | None:
    found = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    if found is None:
        return None
    value = re.search(r'value="([^"]*)"', found.group(0))
    return value.group(1) if value else None
