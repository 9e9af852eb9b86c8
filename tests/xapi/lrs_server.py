"""Ralph's own LRS (FastAPI, file backend) as a process of its own, for the delivery tests.
Started on a free port (chosen once per test process) with basic auth; stopped by its PID."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import bcrypt

from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
LRS_PORT = free_port()
USERNAME, PASSWORD = "tadrib", "lrs-test-secret"
HEADERS = {"X-Experience-API-Version": "1.0.3"}


def _auth_header() -> str:
    import base64

    return "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()


@contextmanager
def ralph_lrs(directory: Path):
    (directory / "auth.json").write_text(
        json.dumps(
            [
                {
                    "agent": {"mbox": "mailto:tadrib@example.org"},
                    "scopes": ["all"],
                    "hash": bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode(),
                    "username": USERNAME,
                }
            ]
        )
    )
    env = {
        **os.environ,
        "RALPH_APP_DIR": str(directory),
        "RALPH_AUTH_FILE": str(directory / "auth.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(directory),
    }
    # Its log goes to a file: a pipe nobody reads while it runs would stop the server once
    # 64 KB of warnings had filled it.
    log = open(directory / "ralph.log", "w+b")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "tests.xapi.ralph_app:app", "--port", str(LRS_PORT),
         "--host", "127.0.0.1", "--log-level", "warning"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                statements(limit=1)
                break
            except OSError as error:  # refused, reset or timed out (URLError is one)
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"Ralph did not start: {log.read()[-3000:]!r}") from error
                time.sleep(0.3)
        yield f"http://127.0.0.1:{LRS_PORT}/xAPI"
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=20)
        log.close()


def statements(limit: int = 1000) -> list[dict]:
    """Every statement the LRS holds (GET /xAPI/statements)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{LRS_PORT}/xAPI/statements?limit={limit}",
        headers={**HEADERS, "Authorization": _auth_header()},
    )
    with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310 - local LRS
        return json.loads(reply.read())["statements"]
