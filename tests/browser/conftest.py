"""Browser tests: Playwright drives Debian's Chromium (`apt-get install chromium`).

Playwright's own browser download cannot work on closed networks, so the executable is fixed.
Tests skip with a reason where Chromium or Playwright is missing.
"""

import os
import shutil
from pathlib import Path

import pytest

from .chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-results" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
# test itself (fixtures) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, site):
    # The strict CSP would block the axe-core script the tests inject.
    context = browser.new_context(viewport={"width": 1200, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def axe():
    """Run axe-core in the page; return the serious and critical violations."""
    if not AXE.exists():
        pytest.skip("axe-core not installed (npm ci)")
    source = AXE.read_text()

    def check(page):
        page.add_script_tag(content=source)
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', "
            "'wcag21aa', 'wcag22aa', 'best-practice']})"
        )
        return [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return check


def sign_in(page, base_url, language, username, password):
    page.goto(f"{base_url}/{language}/account/sign-in/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
