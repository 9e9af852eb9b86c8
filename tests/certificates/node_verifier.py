"""Run the independent Node verifier (tests/certificates/verifier/verify.cjs)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from certificates.jsonld import BUNDLED, CONTEXTS_DIR

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).parent / "verifier" / "verify.cjs"
PACKAGE = ROOT / "node_modules" / "@digitalbazaar" / "eddsa-rdfc-2022-cryptosuite"


def require_node():
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the independent verifier cannot run")
    if not PACKAGE.exists():
        pytest.skip("npm packages are not installed (npm ci)")


def node_verify(document: dict, *, documents: dict | None = None, contexts: dict | None = None):
    """The verifier's verdict on one credential."""
    return node_verify_all([document], documents=documents, contexts=contexts)[0]


def node_verify_all(
    credentials: list[dict], *, documents: dict | None = None, contexts: dict | None = None
) -> list[dict]:
    require_node()
    paths = {url: str(CONTEXTS_DIR / name) for url, name in BUNDLED.items()}
    paths.update(contexts or {})
    completed = subprocess.run(
        ["node", str(SCRIPT)],
        input=json.dumps(
            {"credentials": credentials, "documents": documents or {}, "contexts": paths}
        ),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)
