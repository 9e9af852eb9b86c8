"""How Tadrib launches Debian's Chromium, for the browser tests and the bench's page weight.

Playwright's own browser download cannot work on closed networks, so the executable is fixed;
the flags keep Chromium from reaching any other host (updates, sync, QUIC probes).
"""

import os

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
