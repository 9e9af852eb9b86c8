"""200 concurrent submissions of one quiz attempt, on PostgreSQL → exactly one result, no 5xx.

A throwaway database (created and dropped here) seeded with the demo; gunicorn with production
settings and 4 workers on a free 127.0.0.1 port; the demo learner signs in through the sign-in
form, opens a quiz, starts an attempt, reads the attempt form (and its CSRF token), then 200
threads released together POST that one form with `action=submit`. Checks in the database:
the attempt is submitted once, scored, every response scored, one `quiz_submitted` audit entry,
no second attempt. Prints a JSON summary; exits 1 when a check fails.

    .venv/bin/python bench/concurrency.py [--requests 200] [--workers 4]
"""

import argparse
import json
import sys
import threading
import time
from collections import Counter
from http.client import HTTPConnection
from urllib.parse import urlencode

from _servers import LOCATION_ATTEMPT, Http, Scratch, attempts_in_db, consistent, form_fields, log

QUIZ_CODE = """
import json
from django.utils import translation
from quizzes.models import QuizPage
quiz = QuizPage.objects.live().order_by("path").first()
with translation.override("en"):
    print(json.dumps({"id": quiz.pk, "url": quiz.get_url()}))
"""


def submit_all(base_port: int, path: str, cookie: str, body: str, count: int, timeout: float):
    """`count` threads wait at a barrier, then each POSTs `body` once."""
    barrier = threading.Barrier(count, timeout=60)
    results: list[dict] = [{} for _ in range(count)]

    def one(i: int):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            results[i] = {"error": "barrier"}
            return
        started = time.monotonic()
        connection = HTTPConnection("127.0.0.1", base_port, timeout=timeout)
        try:
            connection.request(
                "POST",
                path,
                body=body,
                headers={
                    "Cookie": cookie,
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            response = connection.getresponse()
            response.read()
            results[i] = {
                "status": response.status,
                "location": response.getheader("Location", ""),
                "seconds": time.monotonic() - started,
            }
        except OSError as error:
            results[i] = {"error": type(error).__name__, "seconds": time.monotonic() - started}
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout + 90
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return results, sum(t.is_alive() for t in threads)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=60, help="seconds per request")
    args = parser.parse_args()
    scratch = Scratch("conc")
    server = None
    summary: dict = {"requests": args.requests, "workers": args.workers}
    try:
        scratch.seed()
        quiz = scratch.shell(QUIZ_CODE)
        server = scratch.server("gunicorn", args.workers)
        summary["server"] = server.base
        learner = Http(server.base)
        learner.sign_in("investigator", scratch.password)
        status, _h, page = learner.get(quiz["url"])
        assert status == 200, f"quiz page {status}"
        token = form_fields(page)["csrfmiddlewaretoken"][0]
        status, headers, _page = learner.post(
            f"/en/quizzes/{quiz['id']}/start/", {"csrfmiddlewaretoken": token}
        )
        match = LOCATION_ATTEMPT.search(headers.get("location", ""))
        assert status == 302 and match, f"start answered {status} {headers.get('location')}"
        attempt_id = int(match.group(1))
        attempt_path = f"/en/quizzes/attempts/{attempt_id}/"
        status, _h, page = learner.get(attempt_path)
        assert status == 200, f"attempt page {status}"
        fields = {k: v for k, v in form_fields(page).items() if k != "action"}
        body = urlencode({**fields, "action": "submit"}, doseq=True)
        log(f"attempt {attempt_id}: {args.requests} concurrent submissions")
        started = time.monotonic()
        results, stuck = submit_all(
            server.port, attempt_path, learner.cookie_header, body, args.requests, args.timeout
        )
        elapsed = time.monotonic() - started
        statuses = Counter(str(r.get("status", r.get("error", "none"))) for r in results)
        result_path = f"{attempt_path}result/"
        to_result = sum(1 for r in results if r.get("location", "").endswith(result_path))
        seconds = sorted(r["seconds"] for r in results if "seconds" in r)
        result_status, _h, _page = learner.get(result_path)
        db = attempts_in_db(scratch, [attempt_id])
        row = db["attempts"][attempt_id]
        checks = {
            "no_5xx": not any(k.startswith("5") for k in statuses),
            "no_connection_errors": all("status" in r for r in results) and not stuck,
            "all_redirected_to_result": to_result == args.requests,
            "submitted_once": row["state"] == "submitted" and row["submitted_at"],
            "consistent": consistent(row),
            "one_attempt_for_learner_and_quiz": set(db["attempts_per_learner_quiz"].values())
            == {1},
            "one_quiz_submitted_audit_entry": db["audits"].get(str(attempt_id), 0) == 1,
            "result_page_200": result_status == 200,
        }
        summary.update(
            attempt=attempt_id,
            statuses=dict(statuses),
            redirected_to_result=to_result,
            stuck_threads=stuck,
            seconds_total=round(elapsed, 2),
            latency_ms={
                "p50": round(seconds[len(seconds) // 2] * 1000) if seconds else None,
                "max": round(seconds[-1] * 1000) if seconds else None,
            },
            attempt_in_db=row,
            attempts_per_learner_quiz=db["attempts_per_learner_quiz"],
            quiz_submitted_audit_entries=db["audits"].get(str(attempt_id), 0),
            checks=checks,
            ok=all(checks.values()),
        )
    except Exception as error:  # noqa: BLE001 - reported in the JSON
        summary.update(ok=False, error=f"{type(error).__name__}: {error}")
    finally:
        if server is not None:
            server.stop()
        scratch.close()
    print(json.dumps(summary, indent=2))
    return 0 if summary.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
