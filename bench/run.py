"""`make bench`: throughput ratios and page weight under production-like settings.

For each database (SQLite always; PostgreSQL when one answers at $BENCH_POSTGRES_URL), in a
scratch data directory and database of its own:
  1. migrate, setup_site, seed_demo (dev settings: the demo refuses production), seed_load;
  2. collectstatic, then bench/prepare.py with production settings: learner sessions, quiz
     attempts, the targets;
  3. gunicorn (2 workers, production settings, DEBUG off, whitenoise) on a free 127.0.0.1 port
     (the first free one of $BENCH_PORTS, e.g. `8130-8139`, where ports are shared out);
  4. wrk in rounds (`--rounds`, 3): /healthz, every page, /healthz, every page, … /healthz;
     each page's requests/s as a ratio of the /healthz readings either side of its round, and
     each page's figures those of its median round; then the budgets of docs/performance.md
     checked (exit status 1 when one is missed);
  5. page weight of a module page in every language, loaded by Chromium as a learner:
     compressed bytes of HTML, CSS, JS and fonts, and any request to another host.
Writes bench/results/<timestamp>[-label].json and bench/results/latest.json. Every process
started here is stopped by its PID; every wait is bounded.
"""

import argparse
import json
import os
import shutil
import signal
import socket
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

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402 - after the path

RESULTS = ROOT / "bench" / "results"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
WRK_SCRIPT = ROOT / "bench" / "wrk.lua"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# docs/performance.md: each learner page ≥ 0.25 × /healthz; a quiz submission ≥ 0.05 × on
# PostgreSQL with p95 ≤ 4 × p50, and on every database no submission failing or waiting on a lock.
PAGE_BUDGETS = dict.fromkeys(("module", "course", "my_learning", "quiz", "attempt"), 0.25)
SUBMIT_BUDGET = {"postgres": 0.05}
SUBMIT_TAIL = 4.0
BUDGET_WEIGHT = 60 * 1024


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    """A free port: the first free one of BENCH_PORTS (e.g. `8130-8139`, for a machine whose
    ports are shared out), else any."""
    first, _sep, last = os.environ.get("BENCH_PORTS", "").partition("-")
    candidates = range(int(first), int(last or first) + 1) if first else [0]
    for candidate in candidates:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return s.getsockname()[1]
    raise SystemExit(f"No free port in BENCH_PORTS={os.environ['BENCH_PORTS']}")


def manage(env: dict, *args: str, settings: str = "cms.settings.dev", timeout: int = 900):
    subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": settings},
        check=True,
        timeout=timeout,
        stdout=subprocess.DEVNULL,
    )


def postgres_database(name: str, action: str) -> bool:
    """CREATE or DROP the bench database; False when PostgreSQL does not answer."""
    code = (
        "import sys, psycopg\n"
        "c = psycopg.connect(sys.argv[1], autocommit=True, connect_timeout=3)\n"
        f"c.execute('DROP DATABASE IF EXISTS {name}')\n"
        + (f"c.execute('CREATE DATABASE {name}')\n" if action == "create" else "")
    )
    done = subprocess.run(
        [str(PYTHON), "-c", code, POSTGRES_URL], capture_output=True, timeout=60, text=True
    )
    if done.returncode and action == "create":
        log(f"PostgreSQL not reachable at {POSTGRES_URL}: skipped ({done.stderr.strip()[-200:]})")
    return done.returncode == 0


class Server:
    """gunicorn with production settings, stopped by its PID."""

    def __init__(self, env: dict, workdir: Path, workers: int):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "cms.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "cms.settings.production"},
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
        raise RuntimeError(f"gunicorn did not answer /healthz; see {workdir / 'gunicorn.log'}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.close()


def wrk(base: str, rows: list[dict], *, duration: float, connections: int, workdir: Path):
    """Run wrk over `rows` (method, path, cookie, body); its JSON summary plus requests/s."""
    listing = workdir / "requests.tsv"
    listing.write_text(
        "".join(
            f"{r.get('method', 'GET')}\t{r['path']}\t{r.get('cookie', '')}\t{r.get('body', '')}\n"
            for r in rows
        ),
        encoding="utf-8",
    )
    threads = 1
    done = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{int(duration)}s",
            "--timeout",
            "10s",
            "-s",
            str(WRK_SCRIPT),
            base,
        ],
        env={**os.environ, "BENCH_REQUESTS": str(listing), "BENCH_THREADS": str(threads)},
        capture_output=True,
        text=True,
        timeout=duration + 60,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = raw["duration_us"] / 1e6
    return {
        "rps": round(raw["requests"] / seconds, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw.get("max_us", 0) / 1000, 2),
        "requests": raw["requests"],
        # Connection errors and timeouts (wrk's --timeout), then the answers outside 2xx/3xx.
        "errors": raw["errors"],
        "failed": sum(n for code, n in raw["statuses"].items() if not 200 <= int(code) < 400),
        "statuses": raw["statuses"],
        "exhausted": raw["wrapped"],
    }


def _one_shot(target: dict) -> bool:
    """Whether `target` is a list of requests each to be sent once (quiz submissions)."""
    return bool(target.get("rows"))


def throughput(server: Server, targets: dict, args, workdir: Path) -> dict:
    """Every target's requests/s as a ratio of `/healthz`'s, in `args.rounds` rounds: /healthz,
    every page, /healthz, every page, … /healthz. A round's ratios are against the mean of the
    /healthz readings on either side of it; a target's figures are those of its median round
    (by ratio), all rounds' ratios kept with them. On a shared machine a few seconds of
    someone else's load fall in one round, not in the figure."""

    def rows(target):
        return target.get("rows") or [target]

    for target in targets.values():  # warm every worker's caches, outside the measure
        if not _one_shot(target):
            wrk(
                server.base, rows(target), duration=1, connections=args.connections, workdir=workdir
            )
    names = [n for n in targets if n != "healthz"]
    sent = dict.fromkeys(names, 0)  # one-shot requests already used, never sent twice
    healthz = [measure_one(server, "healthz", rows(targets["healthz"]), args, workdir)]
    rounds: dict[str, list[dict]] = {name: [] for name in names}
    for number in range(1, args.rounds + 1):
        measured = {}
        for name in names:
            target = targets[name]
            one_shot = _one_shot(target)
            listing = rows(target)[sent[name] :] if one_shot else rows(target)
            reused = one_shot and not listing  # every one sent already: sent again
            result = measure_one(
                server,
                name,
                listing or rows(target),
                args,
                workdir,
                number=number,
                one_shot=one_shot,
            )
            if one_shot:
                sent[name] += result["requests"]
                result["exhausted"] = result["exhausted"] or reused
            expected = str(target["expect"])
            unexpected = {k: v for k, v in result["statuses"].items() if k != expected}
            if unexpected:
                result["unexpected_statuses"] = unexpected
                log(f"{name}: unexpected statuses {unexpected} (expected {expected})")
            measured[name] = result
        healthz.append(measure_one(server, "healthz", rows(targets["healthz"]), args, workdir))
        base_rps = (healthz[-2]["rps"] + healthz[-1]["rps"]) / 2
        for name, result in measured.items():
            result["ratio"] = round(result["rps"] / base_rps, 4)
            result["round"] = number
            rounds[name].append(result)
    results = {}
    for name, measured in rounds.items():
        ordered = sorted(measured, key=lambda r: r["ratio"])
        median = ordered[(len(ordered) - 1) // 2]  # the lower middle of an even count
        results[name] = {
            **median,
            "round_ratios": [r["ratio"] for r in measured],
            # Failures anywhere count, not only in the round shown.
            "failed": sum(r["failed"] for r in measured),
            "errors": sum(r["errors"] for r in measured),
            "max_ms": max(r["max_ms"] for r in measured),
            "exhausted": any(r["exhausted"] for r in measured),
        }
        unexpected: dict[str, int] = {}
        for r in measured:
            for code, count in r.get("unexpected_statuses", {}).items():
                unexpected[code] = unexpected.get(code, 0) + count
        if unexpected:
            results[name]["unexpected_statuses"] = unexpected
    base = sum(r["rps"] for r in healthz) / len(healthz)
    runs = [r["rps"] for r in healthz]
    return {"healthz": {**healthz[0], "rps_runs": runs, "rps": base}, **results}


def measure_one(
    server: Server, name: str, listing, args, workdir: Path, *, number=None, one_shot=False
) -> dict:
    # One-shot requests (each quiz submission sent once) are fewer than the pages' reads:
    # two seconds a round is what the prepared attempts last.
    duration = min(args.duration, 2) if one_shot else args.duration
    result = wrk(
        server.base, listing, duration=duration, connections=args.connections, workdir=workdir
    )
    label = f"{name:12}" + (f" round {number}" if number else "        ")
    log(
        f"{label} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:7.2f} ms  "
        f"p95 {result['p95_ms']:7.2f} ms"
    )
    return result


def sent_size(reply) -> int:
    """The bytes of `reply`'s body as sent: its Content-Length, else its body's length
    (decoded, so never less than what was sent)."""
    if reply is None:
        return 0
    length = reply.headers.get("content-length", "")
    if length.isdigit():
        return int(length)
    try:
        return len(reply.body())
    except Exception:  # noqa: BLE001 - Playwright keeps no body for some requests
        return 0


def page_weight(server: Server, module_urls: dict, cookie: str) -> dict:
    """Load each module page in Chromium as the learner; sum compressed transfer per kind."""
    if not Path(CHROMIUM).exists():
        return {"skipped": f"Chromium not found at {CHROMIUM} (apt-get install chromium)"}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "playwright not installed"}
    cookies = [
        {"name": k, "value": v, "url": server.base}
        for k, v in (part.strip().split("=", 1) for part in cookie.split(";"))
    ]
    weights = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
        )
        try:
            for code, url in module_urls.items():
                context = browser.new_context()
                context.add_cookies(cookies)
                page = context.new_page()
                seen = []
                page.on("requestfinished", lambda request, seen=seen: seen.append(request))
                response = page.goto(server.base + url, wait_until="networkidle", timeout=30_000)
                page.evaluate("document.fonts.ready.then(() => true)")
                page.wait_for_load_state("networkidle", timeout=30_000)
                by_kind, files, other_hosts = {}, [], []
                for request in seen:
                    host = urlsplit(request.url).netloc
                    if host != urlsplit(server.base).netloc:
                        other_hosts.append(request.url)
                    sizes = request.sizes()
                    reply = request.response()
                    kind = request.resource_type
                    size = sizes["responseBodySize"]
                    if size < 0:
                        # Chromium sometimes reports no size (a negative one, seen for the
                        # favicon): the bytes sent, from the header, else the body itself.
                        size = sent_size(reply)
                    by_kind[kind] = by_kind.get(kind, 0) + size
                    files.append(
                        {
                            "url": request.url.removeprefix(server.base),
                            "kind": kind,
                            "bytes": size,
                            "headers_bytes": sizes["responseHeadersSize"],
                            "encoding": (reply.headers.get("content-encoding") if reply else None),
                            "cache_control": (
                                reply.headers.get("cache-control") if reply else None
                            ),
                        }
                    )
                counted = sum(v for k, v in by_kind.items() if k != "image")
                weights[code] = {
                    "status": response.status if response else None,
                    "bytes": counted,
                    "kb": round(counted / 1024, 1),
                    "within_budget": counted <= BUDGET_WEIGHT,
                    "by_kind": by_kind,
                    "files": files,
                    "other_hosts": other_hosts,
                }
                log(
                    f"page weight {code}: {counted / 1024:.1f} KB {by_kind}"
                    + (f" OTHER HOSTS {other_hosts}" if other_hosts else "")
                )
                context.close()
        finally:
            browser.close()
    return weights


def server_log(path: Path) -> dict:
    """What went wrong on the server's side during the run, from gunicorn's log: SQLite's
    "database is locked" (a writer waited past the busy timeout), tracebacks, worker
    timeouts. Logged as it happens; all zero in a good run."""
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    found = {
        "database_locked": text.count("database is locked"),
        "tracebacks": text.count("Traceback (most recent call last)"),
        "worker_timeouts": text.count("WORKER TIMEOUT"),
    }
    if any(found.values()):
        log(f"server log {path}: {found}")
    return found


def breakdown(env: dict, plan: dict, workdir: Path, requests: int) -> dict:
    """bench/breakdown.py in a process of its own (production settings, same database): each
    GET page's time split into session and user, SQL, rendering, middleware and the view."""
    plan_file = workdir / "plan.json"  # written by bench_database
    done = subprocess.run(
        [str(PYTHON), "bench/breakdown.py", "--plan", str(plan_file), "--requests", str(requests)],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "cms.settings.production"},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("PROFILE_JSON ")), None)
    if line is None:
        log(f"breakdown failed: {done.stderr[-2000:]}")
        return {"failed": done.stderr[-2000:]}
    return json.loads(line.removeprefix("PROFILE_JSON "))


def bench_database(kind: str, args) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"tadrib-bench-{kind}-"))
    pg_name = f"tadrib_bench_{os.getpid()}"
    if kind == "sqlite":
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        if not postgres_database(pg_name, "create"):
            return {"skipped": f"PostgreSQL not reachable at {POSTGRES_URL}"}
        url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{pg_name}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TADRIB_DATA_DIR": str(workdir),
        # BENCH_SECRET_KEY: a kept scratch directory (--keep) can be profiled again by hand.
        "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET_KEY")
        or "bench-only-" + os.urandom(16).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "REDIS_URL": "",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = None
    try:
        started = time.monotonic()
        log(f"{kind}: seeding in {workdir}")
        manage(env, "migrate", "--noinput")
        manage(env, "setup_site")
        manage(env, "seed_demo")
        manage(env, "seed_load", "--learners", str(args.learners))
        manage(env, "collectstatic", "--noinput", "-v", "0", settings="cms.settings.production")
        prepared = subprocess.run(
            [str(PYTHON), "bench/prepare.py"],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "cms.settings.production"},
            check=True,
            capture_output=True,
            text=True,
            timeout=900,
        )
        plan = json.loads(prepared.stdout)
        (workdir / "plan.json").write_text(prepared.stdout, encoding="utf-8")
        log(f"{kind}: seeded in {time.monotonic() - started:.0f} s; serving")
        server = Server(env, workdir, args.workers)
        result = {"throughput": throughput(server, plan["targets"], args, workdir)}
        result["server_log"] = server_log(workdir / "gunicorn.log")
        if not args.no_breakdown:
            result["breakdown"] = breakdown(env, plan, workdir, args.breakdown_requests)
        if not args.no_weight:
            result["page_weight"] = page_weight(server, plan["module_urls"], plan["cookie"])
        result["targets"] = {
            k: v.get("path", f"{len(v.get('rows', []))} one-shot requests")
            for k, v in plan["targets"].items()
        }
        return result
    finally:
        if server is not None:
            server.stop()
        if kind == "postgres" and not args.keep:
            postgres_database(pg_name, "drop")
        if args.keep:
            log(f"{kind}: kept {workdir} ({url})")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def budgets_missed(kind: str, result: dict) -> list[str]:
    """What `result` (one database's) says of the throughput budgets, one line per miss."""
    measured = result["throughput"]
    missed = []
    for name, budget in PAGE_BUDGETS.items():
        page = measured.get(name)
        if page is None:
            missed.append(f"{name}: not measured")
        elif page["ratio"] < budget or page.get("unexpected_statuses"):
            rounds = ", ".join(f"{r:.3f}" for r in page["round_ratios"])
            missed.append(f"{name} ratio {page['ratio']:.3f} < {budget} (rounds {rounds})")
    submit = measured.get("quiz_submit")
    if submit is None:
        return [*missed, "quiz_submit: not measured"]
    if submit["failed"] or submit["errors"] or submit.get("unexpected_statuses"):
        missed.append(
            f"quiz_submit: {submit['failed']} failed, {submit['errors']} errors or timeouts"
        )
    log_problems = {k: v for k, v in result.get("server_log", {}).items() if v}
    if log_problems:
        missed.append(f"server log: {log_problems}")
    if submit["exhausted"]:
        missed.append("quiz_submit: ran out of prepared attempts (some were sent twice)")
    budget = SUBMIT_BUDGET.get(kind)
    if budget is not None:
        if submit["ratio"] < budget:
            missed.append(f"quiz_submit ratio {submit['ratio']:.3f} < {budget}")
        if submit["p95_ms"] > SUBMIT_TAIL * submit["p50_ms"]:
            missed.append(
                f"quiz_submit p95 {submit['p95_ms']} ms"
                f" > {SUBMIT_TAIL:g} × p50 {submit['p50_ms']} ms"
            )
    return missed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--duration", type=int, default=5, help="seconds per target and round (submissions: 2)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds; each target's median counts")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--learners", type=int, default=2000, help="seed_load learners")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--label", default="", help="added to the result file's name")
    parser.add_argument("--no-weight", action="store_true", help="skip the page-weight check")
    parser.add_argument(
        "--keep", action="store_true", help="keep the scratch directory and the PostgreSQL database"
    )
    parser.add_argument("--no-breakdown", action="store_true", help="skip bench/breakdown.py")
    parser.add_argument(
        "--breakdown-requests", type=int, default=200, help="requests per page profiled"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install -y wrk")
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "label": args.label,
        "cpus": os.cpu_count(),
        "settings": {
            k: getattr(args, k)
            for k in ("duration", "rounds", "connections", "workers", "learners")
        },
        "databases": {},
    }
    for kind in args.databases.split(","):
        report["databases"][kind] = bench_database(kind.strip(), args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + (f"-{args.label}" if args.label else "")
    text = json.dumps(report, indent=2, ensure_ascii=False)
    (RESULTS / f"{stamp}.json").write_text(text, encoding="utf-8")
    (RESULTS / "latest.json").write_text(text, encoding="utf-8")
    failed = False
    header = f"{'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'ratio':>7}  ratio by round"
    print(f"\n{'database':9} {'target':12} {header}")
    for kind, result in report["databases"].items():
        if "skipped" in result:
            print(f"{kind:9} skipped: {result['skipped']}")
            continue
        for name, r in result["throughput"].items():
            ratio = "" if name == "healthz" else f"{r['ratio']:.3f}"
            figures = f"{r['rps']:8.1f} {r['p50_ms']:8.2f} {r['p95_ms']:8.2f} {ratio:>7}"
            rounds = " ".join(f"{x:.3f}" for x in r.get("round_ratios", ()))
            print(f"{kind:9} {name:12} {figures}  {rounds}".rstrip())
        quiz = result["throughput"].get("quiz_submit")
        if quiz:
            print(
                f"{kind:9} quiz submission: {quiz['failed']} answers outside 2xx/3xx, "
                f"{quiz['errors']} connection errors or timeouts, slowest {quiz['max_ms']} ms; "
                f"server log {result.get('server_log')}"
            )
        shares = result.get("breakdown", {})
        if shares and "failed" not in shares:
            print(f"{kind:9} time per request (in-process) and its shares:")
            for name, b in shares.items():
                parts = "  ".join(f"{k} {v:.0%}" for k, v in b["shares"].items())
                print(f"{kind:9}   {name:12} {b['ms_per_request']:7.2f} ms  {parts}")
        missed = budgets_missed(kind, result)
        for line in missed:
            print(f"{kind:9} BUDGET MISSED: {line}")
        if not missed:
            print(f"{kind:9} budgets met: learner pages, quiz submission")
        failed |= bool(missed)
        for code, w in result.get("page_weight", {}).items():
            if isinstance(w, dict):
                print(
                    f"{kind:9} weight {code}: {w['kb']} KB (budget 60 KB), other hosts: "
                    f"{len(w['other_hosts'])}"
                )
                failed |= not w["within_budget"] or bool(w["other_hosts"])
    print(f"\nJSON: {RESULTS / (stamp + '.json')}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
