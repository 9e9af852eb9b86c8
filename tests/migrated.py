"""An SQLite database migrated once, copied for every test that starts site processes of its
own (workers, two servers, the import command).

`manage.py migrate` from nothing takes half a minute of CPU; the suite used to run it once per
such test module, on both of CI's passes. The migrated file is kept in the temporary directory
under a key of everything the schema is made from: the settings module, every migration, the
settings and translation registrations (wagtail-modeltranslation adds its columns during
`migrate`), and the pinned requirements. A changed migration makes a new key, so a stale copy
is never used. Test processes that need it at once (pytest-xdist) wait on a file lock.
"""

import fcntl
import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_SOURCES = (
    "*/migrations/*.py",
    "cms/settings/*.py",
    "*/translation.py",
    "requirements.txt",
    "constraints.txt",
)


def schema_key(settings_module: str) -> str:
    digest = hashlib.sha256(settings_module.encode())
    for path in sorted({p for pattern in SCHEMA_SOURCES for p in ROOT.glob(pattern)}):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def _migrate_into(path: Path, env: Mapping[str, str]) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**env, "DATABASE_URL": f"sqlite:///{path}"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py migrate failed:\n{done.stderr[-3000:]}")
    # Back from WAL to a single file, so that copies can read it without writing beside it.
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()


def migrated_sqlite(target: Path, env: Mapping[str, str]) -> None:
    """Write at `target` a database in the state `manage.py migrate` leaves with `env`'s
    settings (its DJANGO_SETTINGS_MODULE), migrating only when no copy for this schema exists."""
    key = schema_key(env.get("DJANGO_SETTINGS_MODULE", ""))
    cache = Path(tempfile.gettempdir()) / f"tadrib-migrated-{key}.sqlite3"
    with open(f"{cache}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not cache.exists():
            partial = cache.with_suffix(".partial")
            _migrate_into(partial, env)
            os.replace(partial, cache)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{cache}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
