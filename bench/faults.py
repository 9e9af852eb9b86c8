"""Faults under load: PostgreSQL restarted, then gunicorn workers killed, mid-submission.

A throwaway PostgreSQL database seeded with the demo; bench/prepare.py gives many learners one
attempt in progress per quiz (session cookie and submission body each); gunicorn, production
settings, 4 workers.

(a) Threads submit the attempts, each once, while the machine's PostgreSQL cluster is
    restarted (`pg_ctlcluster --skip-systemctl-redirect <version> main restart`). Then: the
    app answers again by itself (/healthz and signed-in pages, every worker), the submissions
    that failed are sent again, and in the database every attempt whose submission was answered
    with the redirect to its result is submitted, scored, audited once; no learner has a second
    attempt; nothing is duplicated.
(b) Threads submit other attempts while gunicorn workers are killed with SIGKILL one after the
    other. Then: no attempt is half-written (in progress with no score, or submitted with a
    score and every response scored), and the interrupted ones can still be submitted.

PostgreSQL is started again in any case (try/finally), and `pg_isready` must answer at the end.
Prints JSON; exits 1 when a check fails.

    .venv/bin/python bench/faults.py [--learners 60] [--workers 4] [--kills 6]
"""

import argparse
import json
import queue
import random
import sys
import threading
import time
from collections import Counter
from http.client import HTTPException

from _servers import (
    LOCATION_ATTEMPT,
    Http,
    Scratch,
    attempts_in_db,
    consistent,
    kill,
    log,
    pg_ready,
    pg_restart,
    pg_start_if_down,
    worker_pids,
)


def success(result: dict) -> bool:
    """The answer to a submission that worked: a redirect to the attempt's result."""
    return result.get("status") == 302 and result.get("location", "").endswith("/result/")


def post_row(base: str, row: dict, timeout: float = 30) -> dict:
    client = Http(base, Http.parse_cookie_header(row["cookie"]), timeout=timeout)
    started = time.monotonic()
    try:
        status, headers, _text = client.request("POST", row["path"], row["body"], keep=False)
        return {
            "status": status,
            "location": headers.get("location", ""),
            "at": started,
            "seconds": time.monotonic() - started,
        }
    except (OSError, HTTPException) as error:
        return {"error": type(error).__name__, "at": started}


def load(base: str, rows: list[dict], *, threads: int, budget: float, pace: float = 0.0):
    """Submit every row once with `threads` threads; bounded by `budget` seconds."""
    todo: queue.Queue = queue.Queue()
    for i in range(len(rows)):
        todo.put(i)
    results: dict[int, dict] = {}
    deadline = time.monotonic() + budget

    def work():
        while time.monotonic() < deadline:
            try:
                i = todo.get_nowait()
            except queue.Empty:
                return
            results[i] = post_row(base, rows[i])
            if pace:
                time.sleep(pace)

    pool = [threading.Thread(target=work, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(max(0.0, deadline - time.monotonic()) + 35)
    return results


def attempt_of(row: dict) -> int:
    return int(LOCATION_ATTEMPT.search(row["path"]).group(1))


def statuses(results: dict) -> dict:
    return dict(Counter(str(r.get("status", r.get("error"))) for r in results.values()))


def wait_healthy(base: str, timeout: float = 60) -> float | None:
    """Seconds until /healthz answers 200 again, or None."""
    started = time.monotonic()
    client = Http(base, timeout=3)
    while time.monotonic() - started < timeout:
        try:
            if client.get("/healthz")[0] == 200:
                return round(time.monotonic() - started, 2)
        except OSError:
            pass
        time.sleep(0.2)
    return None


def signed_in_probe(base: str, cookie: str, count: int = 24) -> dict:
    """My learning `count` times (spread over every worker): statuses."""
    client = Http(base, Http.parse_cookie_header(cookie), timeout=10)
    found: Counter = Counter()
    for _ in range(count):
        try:
            found[str(client.request("GET", "/en/learning/", keep=False)[0])] += 1
        except (OSError, HTTPException) as error:
            found[type(error).__name__] += 1
    return dict(found)


def verify(scratch: Scratch, rows: list[dict], results: dict, retried: dict) -> dict:
    ids = [attempt_of(r) for r in rows]
    db = attempts_in_db(scratch, ids)
    answered = [attempt_of(rows[i]) for i, r in results.items() if success(r)]
    lost = [a for a in answered if db["attempts"][a]["state"] != "submitted"]
    duplicated_audit = {k: n for k, n in db["audits"].items() if n > 1}
    unaudited = [a for a in answered if db["audits"].get(str(a), 0) != 1]
    extra_attempts = {k: n for k, n in db["attempts_per_learner_quiz"].items() if n != 1}
    half_written = [a for a in ids if not consistent(db["attempts"][a])]
    states = Counter(db["attempts"][a]["state"] for a in ids)
    still_open = [
        attempt_of(rows[i]) for i, r in retried.items() if not success(r)
    ]  # failed even after the retry
    return {
        "attempts": len(ids),
        "answered_success_first_time": len(answered),
        "states_in_db": dict(states),
        "lost_success": lost,
        "audited_not_once": unaudited,
        "duplicated_audit_entries": duplicated_audit,
        "second_attempts": extra_attempts,
        "half_written": half_written,
        "retry_failures": still_open,
    }


def fault_restart(scratch, server, rows, cookie, args) -> dict:
    log(f"(a) {len(rows)} submissions; PostgreSQL restart after {args.restart_after} s")
    restart: dict = {}

    def restarter():
        time.sleep(args.restart_after)
        restart["at"] = time.monotonic()
        try:
            restart["seconds"] = round(pg_restart(), 2)
        except Exception as error:  # noqa: BLE001 - reported
            restart["error"] = str(error)
        restart["done"] = time.monotonic()

    thread = threading.Thread(target=restarter, daemon=True)
    started = time.monotonic()
    thread.start()
    results = load(server.base, rows, threads=args.threads, budget=120, pace=args.pace)
    thread.join(150)
    ended = time.monotonic()
    healthy_after = wait_healthy(server.base)
    probe = signed_in_probe(server.base, cookie)
    failed = {i: r for i, r in results.items() if not success(r)}
    during = [
        r
        for r in results.values()
        if restart.get("at", 0) - 0.5 <= r["at"] <= restart.get("done", 0) + 2
    ]
    before_retry = verify(scratch, rows, results, {})
    retried = {i: post_row(server.base, rows[i]) for i in sorted(failed)}
    found = verify(scratch, rows, results, retried)
    after = [r for r in results.values() if r["at"] > restart.get("done", 1e18) + 2]
    checks = {
        "restart_happened": "seconds" in restart,
        "restart_mid_load": bool(restart) and started < restart.get("at", 0) < ended,
        "recovered_by_itself": healthy_after is not None and set(probe) == {"200"},
        "no_5xx_after_recovery": all(str(r.get("status", "x"))[0] != "5" for r in after),
        "no_lost_submission": not found["lost_success"],
        "audited_exactly_once": not found["audited_not_once"]
        and not found["duplicated_audit_entries"],
        "no_duplicate_attempt": not found["second_attempts"],
        "no_half_written": not before_retry["half_written"] and not found["half_written"],
        "all_submitted_after_retry": not found["retry_failures"]
        and found["states_in_db"] == {"submitted": len(rows)},
    }
    return {
        "submissions": len(rows),
        "statuses": statuses(results),
        "requests_during_restart": len(during),
        "failed_first_time": len(failed),
        # a failed answer may still have been committed (the answer was lost, not the work)
        "states_before_retry": before_retry["states_in_db"],
        "restart_seconds": restart.get("seconds"),
        "restart_at_s": round(restart.get("at", started) - started, 2),
        "load_seconds": round(ended - started, 2),
        "healthz_ok_after_s": healthy_after,
        "signed_in_probe_after": probe,
        "retry_statuses": statuses(retried),
        **found,
        "checks": checks,
    }


def fault_kill(scratch, server, rows, args) -> dict:
    log(f"(b) {len(rows)} submissions; SIGKILL a worker {args.kills} times")
    killed: list[int] = []
    stop = threading.Event()

    def killer():
        time.sleep(0.5)
        while len(killed) < args.kills and not stop.is_set():
            pids = worker_pids(server.process.pid)
            if pids:
                pid = random.choice(pids)
                if kill(pid):
                    killed.append((pid, time.monotonic()))
            stop.wait(args.kill_every)

    thread = threading.Thread(target=killer, daemon=True)
    started = time.monotonic()
    thread.start()
    results = load(server.base, rows, threads=args.threads, budget=120)
    stop.set()
    thread.join(10)
    ended = time.monotonic()
    healthy_after = wait_healthy(server.base)
    deadline = time.monotonic() + 30
    while len(worker_pids(server.process.pid)) < args.workers and time.monotonic() < deadline:
        time.sleep(0.3)
    workers_back = len(worker_pids(server.process.pid))
    failed = {i: r for i, r in results.items() if not success(r)}
    before_retry = verify(scratch, rows, results, {})
    retried = {i: post_row(server.base, rows[i]) for i in sorted(failed)}
    found = verify(scratch, rows, results, retried)
    checks = {
        "workers_killed_mid_load": len(killed) == args.kills
        and all(started < at < ended for _pid, at in killed),
        "workers_respawned": workers_back == args.workers,
        "no_half_written": not before_retry["half_written"] and not found["half_written"],
        "no_lost_submission": not found["lost_success"],
        "no_duplicate_attempt": not found["second_attempts"],
        "audited_exactly_once": not found["audited_not_once"]
        and not found["duplicated_audit_entries"],
        "interrupted_ones_submit_later": not found["retry_failures"]
        and found["states_in_db"] == {"submitted": len(rows)},
    }
    return {
        "submissions": len(rows),
        "killed_worker_pids": [pid for pid, _at in killed],
        "kill_times_s": [round(at - started, 2) for _pid, at in killed],
        "statuses": statuses(results),
        "failed_first_time": len(failed),
        "states_before_retry": before_retry["states_in_db"],
        "load_seconds": round(ended - started, 2),
        "healthz_ok_after_s": healthy_after,
        "workers_after": workers_back,
        "retry_statuses": statuses(retried),
        **found,
        "checks": checks,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=90, help="learners (bench/prepare.py)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8, help="concurrent submitters")
    parser.add_argument("--pace", type=float, default=0.05, help="pause between submissions (a)")
    parser.add_argument("--restart-after", type=float, default=2.0, help="seconds into load (a)")
    parser.add_argument("--kills", type=int, default=6)
    parser.add_argument("--kill-every", type=float, default=0.25, help="seconds between kills")
    args = parser.parse_args()
    summary: dict = {"workers": args.workers, "learners": args.learners}
    scratch = None
    server = None
    try:
        scratch = Scratch("faults")
        scratch.seed()
        plan = scratch.prepare(args.learners)
        rows = plan["targets"]["quiz_submit"]["rows"]
        random.Random(8).shuffle(rows)
        half = len(rows) // 2
        server = scratch.server("gunicorn", args.workers)
        summary["server"] = server.base
        summary["restart"] = fault_restart(scratch, server, rows[:half], plan["cookie"], args)
        summary["worker_kill"] = fault_kill(scratch, server, rows[half:], args)
        summary["ok"] = all(
            all(summary[part]["checks"].values()) for part in ("restart", "worker_kill")
        )
    except Exception as error:  # noqa: BLE001 - reported in the JSON
        summary.update(ok=False, error=f"{type(error).__name__}: {error}")
    finally:
        if server is not None:
            server.stop()
        pg_start_if_down()
        summary["postgres_ready_at_end"] = pg_ready(timeout=60)
        if scratch is not None:
            scratch.close()
    summary["ok"] = bool(summary.get("ok")) and summary["postgres_ready_at_end"]
    print(json.dumps(summary, indent=2))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
