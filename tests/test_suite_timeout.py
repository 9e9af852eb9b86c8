"""A test that hangs fails on its own and the suite goes on: CI ends with the culprit named and
its stack printed, instead of being stopped at its time limit with nothing said (pyproject.toml,
`timeout`). No database needed."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HANGING = """
import threading


def test_waits_for_ever():
    threading.Event().wait()


def test_runs_after_it():
    assert True
"""


def test_the_suite_sets_a_timeout_no_test_phase_comes_near(pytestconfig):
    assert pytestconfig.pluginmanager.hasplugin("timeout")
    # The slowest phase here takes under a minute (`pytest --durations`).
    assert 120 <= float(pytestconfig.getini("timeout")) <= 600
    assert pytestconfig.getini("timeout_method") == "signal"


def test_a_hanging_test_fails_with_its_stack_and_the_next_one_still_runs(tmp_path):
    (tmp_path / "test_hang.py").write_text(HANGING, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:django", "-p", "no:cacheprovider",
         "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(tmp_path),
         "-o", "timeout=2", "-o", "addopts=", str(tmp_path / "test_hang.py")],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout[-2000:]
    assert "1 failed, 1 passed" in done.stdout, done.stdout[-2000:]
    assert "Timeout (>2.0s) from pytest-timeout" in done.stdout
    assert "Event().wait()" in done.stdout  # the stack points at the wait
    assert "test_waits_for_ever" in done.stdout
