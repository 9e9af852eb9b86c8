"""Bytes and round trips on a slow link: what each learner page costs, first and repeat visit.

    .venv/bin/python bench/weight.py [--servers production,make-run] [--label after]

In a scratch SQLite database and data directory: migrate, setup_site, seed_demo, collectstatic
(as `make run` does). Then, for each server — gunicorn with production settings, and gunicorn
with `make run`'s development settings (DEBUG on) — Chromium (Playwright) signs in as the demo
learner and loads the main learner pages in en, fr and ar on an emulated 400 kbit/s link with a
400 ms round trip (CDP Network.emulateNetworkConditions), each page:
  - first visit: a fresh browser context (cold cache);
  - repeat visit: the same page again in that context (static files from the cache).
For each load: bytes transferred (compressed bodies, and with headers), by kind, and the largest
contentful paint (LCP). Chromium sees only DejaVu fonts (a fontconfig of its own), so the Arabic
web font's local() names find nothing and the font is downloaded: the worst case, a computer
without Noto Naskh Arabic or Amiri (`--system-fonts` uses this machine's fonts instead).

Budgets (exit 1 when one is missed, or a page touches another host): every page's HTML ≤ 14 KB;
module page first visit en/fr ≤ 12 KB, ar ≤ 30 KB, repeat visit ≤ 8 KB; Arabic module page
LCP ≤ 3 s. Byte
budgets are on compressed bodies (HTML, CSS, JS, fonts, favicon; images excluded), as
bench/README.md's figures always were; bytes with headers ("wire") are reported beside them.

Writes bench/results/weight-<UTC time>[-label].json. Every process started here is stopped by
its PID; every wait is bounded.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import GUNICORN, PYTHON, RESULTS, free_port, log, manage  # noqa: E402

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

LANGUAGES = ("en", "fr", "ar")
KBIT = 400  # kbit/s, both ways
RTT_MS = 400
BUDGETS = {
    "html": 14 * 1024,
    "module_first": {"en": 12 * 1024, "fr": 12 * 1024, "ar": 30 * 1024},
    "repeat": 8 * 1024,
    "lcp_ar_module_ms": 3000,
}
SETTINGS = {"production": "cms.settings.production", "make-run": "cms.settings.dev"}
# Everything but images and media (a lesson's own pictures and videos): HTML, CSS, JS, fonts,
# the favicon, the web manifest.
UNCOUNTED = {"image", "media"}

PLAN = """
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string
from cms.models import User
from courses.models import CourseIndexPage, CoursePage, ModulePage
from quizzes.models import QuizPage

user = User.objects.get(username="investigator")
store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.create()
course = CoursePage.objects.live().order_by("path").first()
module = ModulePage.objects.live().child_of(course).order_by("path").first()
quiz = QuizPage.objects.live().descendant_of(course).order_by("path").first()
pages = {}
for code in ("en", "fr", "ar"):
    with translation.override(code):
        pages[code] = {
            "home": f"/{code}/",
            "catalogue": CourseIndexPage.objects.live().first().url,
            "course": course.url,
            "module": module.url,
            "quiz": quiz.url,
            "my_learning": reverse("courses:my_learning"),
            "glossary": reverse("glossary:index"),
        }
print(json.dumps({"cookie": {settings.SESSION_COOKIE_NAME: store.session_key}, "pages": pages}))
"""

FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>/usr/share/fonts/truetype/dejavu</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""

LCP_JS = """() => new Promise(resolve => {
  let last = null;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) last = entry;
  }).observe({type: "largest-contentful-paint", buffered: true});
  const name = e => e.tagName.toLowerCase() + (e.className ? "." + e.className : "");
  setTimeout(() => resolve(last && {
    ms: last.startTime, element: last.element ? name(last.element) : null, size: last.size,
  }), 300);
})"""


class Server:
    """gunicorn as `make run` (or production) starts it, stopped by its PID."""

    def __init__(self, name: str, env: dict, workdir: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(workdir / f"gunicorn-{name}.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "cms.wsgi:application",
                *("--bind", f"127.0.0.1:{self.port}", "--workers", "2"),
                *("--graceful-timeout", "5"),
            ],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": SETTINGS[name]},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn ({name}) did not answer /healthz; see {self.log.name}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.close()


WORKER_SETTLED_JS = """async () => {
  if (!navigator.serviceWorker || !window.TadribOffline || !TadribOffline.ready) return false;
  await navigator.serviceWorker.ready;
  await TadribOffline.ready;
  return true;
}"""


def worker_files(requests: list, base: str) -> list[dict]:
    """What the service worker fetched from the network (Playwright reports its requests to
    the context, not to the page's CDP session): a repeat visit's HTML, which the worker
    fetches for the page, and what the worker stores when it starts."""
    files = []
    for request in requests:
        response = request.response()
        if response is None:
            continue
        sizes = request.sizes()
        files.append(
            {
                "url": request.url.removeprefix(base),
                "kind": "worker-" + request.resource_type,
                "status": response.status,
                "cached": False,
                "encoding": response.headers.get("content-encoding"),
                "cache_control": response.headers.get("cache-control"),
                # From the HTTP cache: nothing received (Chromium reports negative sizes).
                "body": max(0, sizes["responseBodySize"]),
                "wire": max(0, sizes["responseBodySize"] + sizes["responseHeadersSize"]),
            }
        )
    return files


def settle_worker(page, pending: list, timeout_s: float = 30) -> None:
    """Wait until the worker has been told whose stores are current and its fetches are over."""
    deadline = time.monotonic() + timeout_s
    try:
        page.evaluate(WORKER_SETTLED_JS)
    except Exception:  # noqa: BLE001 - an anonymous page has no worker to wait for
        return
    quiet_since = time.monotonic()
    seen = len(pending)
    while time.monotonic() < deadline:
        page.wait_for_timeout(200)
        if len(pending) != seen:
            seen, quiet_since = len(pending), time.monotonic()
        elif time.monotonic() - quiet_since > 1.5:
            return


def load(page, cdp, url: str, base: str, worker: list | None = None) -> dict:
    """Navigate to `url`; what went over the wire (from CDP's Network events, and the
    worker's requests from Playwright's) and the LCP."""
    responses: dict[str, dict] = {}
    if worker is not None:
        del worker[:]

    def on_response(event):
        r = event["response"]
        responses[event["requestId"]] = {
            "url": r["url"],
            "kind": event["type"].lower(),
            "status": r["status"],
            "cached": bool(r.get("fromDiskCache") or r.get("fromMemoryCache")),
            "encoding": {k.lower(): v for k, v in r["headers"].items()}.get("content-encoding"),
            "cache_control": {k.lower(): v for k, v in r["headers"].items()}.get("cache-control"),
            "headers": r.get("encodedDataLength", 0),  # the status line and headers
            "body": 0,
            "wire": 0,
        }

    def on_finished(event):  # bytes received, headers included; 0 when served from the cache
        if event["requestId"] in responses:
            entry = responses[event["requestId"]]
            entry["wire"] = event["encodedDataLength"]
            entry["body"] = max(0, entry["wire"] - entry.pop("headers"))

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    started = time.monotonic()
    response = page.goto(base + url, wait_until="load", timeout=60_000)
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_load_state("networkidle", timeout=60_000)
    loaded_s = time.monotonic() - started
    lcp = page.evaluate(LCP_JS)
    for name, handler in (
        ("Network.responseReceived", on_response),
        ("Network.loadingFinished", on_finished),
    ):
        cdp.remove_listener(name, handler)
    files = list(responses.values())
    background: list[dict] = []
    if worker is not None:
        settle_worker(page, worker)
        asked = {f["url"]: f["body"] for f in files}
        for f in worker_files(worker, base):
            f["url"] = base + f["url"]
            if asked.get(f["url"]):
                continue  # the page's side has its bytes already
            if f["url"] in asked:
                # Fetched by the worker for the page (a repeat visit's HTML, answered through
                # it): the page's side shows 0 bytes, these are the bytes. Counted.
                files.append(f)
            else:
                # What the worker fetches on its own when it starts (the static files and
                # offline page it stores): background, once per deployment, not counted in
                # the page's budget, reported beside it.
                background.append(f)
    host = urlsplit(base).netloc
    by_kind: dict[str, int] = {}
    for f in files:
        by_kind[f["kind"]] = by_kind.get(f["kind"], 0) + f["body"]
    counted = [f for f in files if f["kind"].removeprefix("worker-") not in UNCOUNTED]
    return {
        "url": url,
        "status": response.status if response else None,
        "bytes": sum(f["body"] for f in counted),
        "wire_bytes": sum(f["wire"] for f in counted),
        "html_bytes": sum(f["body"] for f in files if f["kind"] in ("document", "worker-document")),
        "worker_background_bytes": sum(
            f["body"] for f in background if f["kind"].removeprefix("worker-") not in UNCOUNTED
        ),
        "by_kind": by_kind,
        "lcp_ms": round(lcp["ms"]) if lcp else None,
        "lcp_element": lcp["element"] if lcp else None,
        "loaded_s": round(loaded_s, 2),
        "other_hosts": sorted({f["url"] for f in files if urlsplit(f["url"]).netloc != host}),
        "files": [
            {k: v for k, v in f.items() if k != "url"} | {"url": f["url"].removeprefix(base)}
            for f in files
        ],
        "worker_background_files": [
            {k: v for k, v in f.items() if k != "url"} | {"url": f["url"].removeprefix(base)}
            for f in background
        ],
    }


def measure(
    server: Server, plan: dict, *, system_fonts: bool, workdir: Path, shots: Path | None = None
) -> dict:
    from playwright.sync_api import sync_playwright

    env = dict(os.environ)
    if not system_fonts:
        (workdir / "fontconfig").mkdir(exist_ok=True)
        conf = workdir / "fontconfig" / "fonts.conf"
        conf.write_text(FONTS_CONF.format(cache=workdir / "fontconfig" / "cache"))
        env["FONTCONFIG_FILE"] = str(conf)
    results: dict[str, dict] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env)
        try:
            for code in LANGUAGES:
                for name, url in plan["pages"][code].items():
                    context = browser.new_context(viewport={"width": 360, "height": 740})
                    context.add_cookies(
                        [
                            {"name": k, "value": v, "url": server.base}
                            for k, v in plan["cookie"].items()
                        ]
                    )
                    worker: list = []
                    context.on(
                        "requestfinished",
                        lambda request, worker=worker: (
                            request.service_worker and worker.append(request)
                        ),
                    )
                    page = context.new_page()
                    cdp = context.new_cdp_session(page)
                    cdp.send("Network.enable")
                    cdp.send(
                        "Network.emulateNetworkConditions",
                        {
                            "offline": False,
                            "latency": RTT_MS,
                            "downloadThroughput": KBIT * 1000 / 8,
                            "uploadThroughput": KBIT * 1000 / 8,
                        },
                    )
                    first = load(page, cdp, url, server.base, worker)
                    if shots and name == "module":  # look at these: the subset shapes Arabic
                        shots.mkdir(parents=True, exist_ok=True)
                        path = shots / f"{urlsplit(server.base).port}-{code}-module-360.png"
                        page.screenshot(path=str(path), full_page=False)
                    repeat = load(page, cdp, url, server.base, worker)
                    context.close()
                    results.setdefault(code, {})[name] = {"first": first, "repeat": repeat}
                    log(
                        f"{code} {name:11} first {first['bytes'] / 1024:5.1f} KB "
                        f"(wire {first['wire_bytes'] / 1024:5.1f}, HTML "
                        f"{first['html_bytes'] / 1024:4.1f}), LCP {first['lcp_ms']} ms; "
                        f"repeat {repeat['bytes'] / 1024:4.1f} KB; worker's own "
                        f"{first['worker_background_bytes'] / 1024:4.1f} KB"
                    )
        finally:
            browser.close()
    return results


def check(results: dict) -> list[str]:
    missed = []
    for code, pages in results.items():
        for name, visits in pages.items():
            first, repeat = visits["first"], visits["repeat"]
            for visit in (first, repeat):
                if visit["status"] != 200:
                    missed.append(f"{code} {name}: status {visit['status']}")
                if visit["other_hosts"]:
                    missed.append(f"{code} {name}: other hosts {visit['other_hosts']}")
            if first["html_bytes"] > BUDGETS["html"]:
                missed.append(f"{code} {name}: HTML {first['html_bytes']} B > 14 KB")
            if name != "module":
                continue
            if repeat["bytes"] > BUDGETS["repeat"]:
                missed.append(f"{code} module: repeat visit {repeat['bytes']} B > 8 KB")
            if first["bytes"] > BUDGETS["module_first"][code]:
                missed.append(f"{code} module: first visit {first['bytes']} B over budget")
    lcp = results.get("ar", {}).get("module", {}).get("first", {}).get("lcp_ms")
    if lcp is None or lcp > BUDGETS["lcp_ar_module_ms"]:
        missed.append(f"ar module: LCP {lcp} ms > 3000 ms")
    return missed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", default="production,make-run")
    parser.add_argument("--label", default="")
    parser.add_argument("--system-fonts", action="store_true", help="let Chromium see every font")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument("--screenshots", type=Path, help="save each module page's first view")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    workdir = Path(tempfile.mkdtemp(prefix="tadrib-weight-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'weight.sqlite3'}",
        "TADRIB_DATA_DIR": str(workdir),
        "DJANGO_SECRET_KEY": "bench-only-" + os.urandom(16).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "REDIS_URL": "",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "label": args.label,
        "link": {"kbit_s": KBIT, "rtt_ms": RTT_MS, "cache": "cold, then repeat"},
        "fonts": "system" if args.system_fonts else "DejaVu only (no local Arabic font)",
        "budgets": BUDGETS,
        "servers": {},
    }
    missed: list[str] = []
    try:
        started = time.monotonic()
        log(f"seeding in {workdir}")
        manage(env, "compile_translations", "-v", "0")
        manage(env, "migrate", "--noinput")
        manage(env, "setup_site")
        manage(env, "seed_demo")
        for name in args.servers.split(","):  # what production's image and `make run` collect
            manage(env, "collectstatic", "--noinput", "-v", "0", settings=SETTINGS[name])
        done = subprocess.run(
            [str(PYTHON), "manage.py", "shell", "-c", PLAN],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "cms.settings.production"},
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        )
        plan = json.loads(done.stdout.strip().splitlines()[-1])
        log(f"seeded in {time.monotonic() - started:.0f} s")
        for name in args.servers.split(","):
            server = Server(name, env, workdir)
            try:
                log(f"{name}: {server.base}, {KBIT} kbit/s, {RTT_MS} ms round trip")
                results = measure(
                    server,
                    plan,
                    system_fonts=args.system_fonts,
                    workdir=workdir,
                    shots=args.screenshots,
                )
            finally:
                server.stop()
            report["servers"][name] = results
            missed += [f"{name}: {m}" for m in check(results)]
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    report["missed"] = missed
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + (f"-{args.label}" if args.label else "")
    out = RESULTS / f"weight-{stamp}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print_table(report)
    for line in missed:
        print(f"BUDGET MISSED: {line}")
    print(f"\nJSON: {out}")
    sys.exit(1 if missed else 0)


def print_table(report: dict) -> None:
    print(f"\n{'server':10} {'lang':4} {'page':11} {'first KB':>8} {'wire KB':>8} {'HTML KB':>8}")
    print(f"{'':10} {'':4} {'':11} {'repeat KB':>8} {'LCP ms':>8} {'worker KB':>9}")
    for server, results in report["servers"].items():
        for code, pages in results.items():
            for name, v in pages.items():
                f, r = v["first"], v["repeat"]
                print(
                    f"{server:10} {code:4} {name:11} {f['bytes'] / 1024:8.1f} "
                    f"{f['wire_bytes'] / 1024:8.1f} {f['html_bytes'] / 1024:8.1f} "
                    f"{r['bytes'] / 1024:9.1f} {f['lcp_ms'] or '':>8} "
                    f"{f['worker_background_bytes'] / 1024:9.1f}"
                )


if __name__ == "__main__":
    main()
