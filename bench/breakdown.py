"""Where a learner page's time goes: session and user, SQL, rendering, middleware, the rest.

Run by bench/run.py after bench/prepare.py, with the same settings and database as the server
it measures (production settings), or by hand:

    .venv/bin/python bench/breakdown.py --plan plan.json [--requests 300] [--cprofile module]
    .venv/bin/python bench/breakdown.py --submissions 100 [--cprofile quiz_submit]

`plan.json` is what bench/prepare.py prints. Each target is requested in this process through
Django's WSGI handler (the application gunicorn runs), first a few times to warm the
per-worker caches, then `--requests` times with a timer around:

- *session and user*: loading and saving the session (the engine's `load`, `save`) and the
  user (`django.contrib.auth.get_user`, or `security.sessions.get_user` which Tadrib's
  authentication middleware calls);
- *SQL*: every statement executed outside the above (the learner's state, the content
  generation, …), time in the database driver;
- *rendering*: templates (`Template.render`, fragments included), outside the above;
- *middleware*: everything outside the view (`BaseHandler._get_response`), outside the above;
- *view, other*: the rest of the view: routing, ORM building, Python.

`--submissions N` measures quiz submissions instead (issue 21): N learners made for the run,
each with an attempt at the demo's first quiz in progress, its form read as its browser would
(bench/prepare.py's way), each POSTed once with action=submit (302 to the result); also the
queries of one submission, listed, and with `--cprofile quiz_submit` cProfile over N more.

Times are exclusive (a query run while rendering counts as SQL, not rendering), so the shares
add up to 100 %. Prints one line per target and, as the last line, `PROFILE_JSON {…}`.
`--cprofile NAME` also prints cProfile's 25 most expensive functions for that target.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib import auth  # noqa: E402
from django.core.handlers import base as handlers_base  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db.backends import utils as db_utils  # noqa: E402
from django.template import base as template_base  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from cms import statements  # noqa: E402
from security import sessions as security_sessions  # noqa: E402

CATEGORIES = ("session_user", "sql", "render", "middleware", "view_other")


class Clock:
    """Exclusive time per category: a nested timed call's time leaves its caller's."""

    def __init__(self):
        self.stack: list[list] = []  # [category, started, time of nested calls]
        self.totals = dict.fromkeys(CATEGORIES, 0.0)

    def wrap(self, category: str, function):
        clock = self

        def timed(*args, **kwargs):
            clock.stack.append([category, time.perf_counter(), 0.0])
            try:
                return function(*args, **kwargs)
            finally:
                _category, started, nested = clock.stack.pop()
                spent = time.perf_counter() - started
                clock.totals[category] += spent - nested
                if clock.stack:
                    clock.stack[-1][2] += spent

        timed.__wrapped__ = function
        return timed

    def reset(self):
        self.totals = dict.fromkeys(CATEGORIES, 0.0)


def instrument(clock: Clock) -> None:
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    for name in ("load", "save"):
        setattr(store, name, clock.wrap("session_user", getattr(store, name)))
    auth.get_user = clock.wrap("session_user", auth.get_user)
    # What security.middleware.AuthenticationMiddleware calls instead (security.sessions).
    security_sessions.get_user = clock.wrap("session_user", security_sessions.get_user)
    for cls in (db_utils.CursorWrapper, db_utils.CursorDebugWrapper):
        for name in ("execute", "executemany"):
            setattr(cls, name, clock.wrap("sql", getattr(cls, name)))
    # The pages' repeated statements (cms/statements.py) skip Django's wrapper.
    statements.LeanCursor.execute = clock.wrap("sql", statements.LeanCursor.execute)
    template_base.Template.render = clock.wrap("render", template_base.Template.render)
    handlers_base.BaseHandler._get_response = clock.wrap(
        "view_other", handlers_base.BaseHandler._get_response
    )


def environ_for(target: dict) -> dict:
    cookie = target.get("cookie", "")
    parsed = SimpleCookie()
    parsed.load(cookie)
    path, _sep, query = target["path"].partition("?")
    body = target.get("body", "").encode()
    method = target.get("method", "GET")
    posted = (
        {
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            # Over https, Django's CSRF check wants a same-origin Referer.
            "HTTP_REFERER": "https://127.0.0.1/",
        }
        if method == "POST"
        else {}
    )
    return {
        **posted,
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "443",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        # The headers wrk sends (bench/wrk.lua): no Accept-Encoding, so the shares describe the
        # requests whose throughput bench/run.py measures (compression is docs/page-weight.md's).
        "HTTP_ACCEPT_LANGUAGE": "en",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def request(handler, target: dict) -> str:
    status = []
    body = handler(environ_for(target), lambda s, _headers, *_exc: status.append(s))
    try:
        for _chunk in body:
            pass
    finally:
        if hasattr(body, "close"):
            body.close()
    return status[0].split()[0]


def profile(handler, clock: Clock, target: dict, count: int) -> dict:
    for _n in range(5):
        request(handler, target)
    clock.reset()
    statuses: dict[str, int] = {}
    started, cpu_started = time.perf_counter(), time.process_time()
    for _n in range(count):
        code = request(handler, target)
        statuses[code] = statuses.get(code, 0) + 1
    total = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    timed = dict(clock.totals)
    # The middleware is what the whole request spent outside the view and the other clocks.
    timed["middleware"] = max(total - sum(timed.values()), 0.0)
    return {
        "ms_per_request": round(total / count * 1000, 3),
        # CPU time of this process (the database is SQLite in it, or a server elsewhere): on a
        # shared machine, steadier than the wall-clock time above.
        "cpu_ms_per_request": round(cpu / count * 1000, 3),
        "shares": {k: round(v / total, 3) for k, v in timed.items()},
        "statuses": statuses,
    }


def fresh_submissions(count: int) -> list[dict]:
    """`count` quiz submissions never sent: a learner made for this run per submission, with
    an attempt at the demo's first quiz in progress, its form read as its browser would."""
    import secrets
    from urllib.parse import urlencode

    from django.contrib.auth.models import Group
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation
    from form_fields import form_fields
    from prepare import CSRF, LEARNER, session_cookie

    from cms.models import User
    from cms.roles import GROUP_NAMES, Role
    from quizzes.models import QuizPage
    from quizzes.services import attempt_start

    quiz = QuizPage.objects.live().order_by("path").first()
    group = Group.objects.get(name=GROUP_NAMES[Role.LEARNER])
    organisation = User.objects.get(username=LEARNER).organisation
    run = secrets.token_hex(3)
    client = Client(HTTP_HOST="127.0.0.1")
    rows = []
    for n in range(count):
        name = f"bench-profile-{run}-{n:04d}"
        user = User.objects.create(username=name, organisation=organisation)
        user.set_unusable_password()
        user.save()
        user.groups.add(group)
        cookie = session_cookie(user)
        attempt = attempt_start(user=user, quiz=quiz, language="en")
        with translation.override("en"):
            path = reverse("quizzes:attempt", kwargs={"pk": attempt.pk})
        client.cookies.load(cookie)
        fields = {
            k: v for k, v in form_fields(client.get(path).content.decode()).items() if k != "action"
        }
        body = urlencode({**fields, "action": "submit", "csrfmiddlewaretoken": CSRF}, doseq=True)
        rows.append({"method": "POST", "path": path, "cookie": cookie, "body": body})
    return rows


def submissions(handler, clock: Clock, count: int, cprofile: bool) -> dict:
    """Quiz submissions, each sent once: time per request and its shares, then the queries of
    one (listed), then cProfile's most expensive functions over `count` more."""
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    rows = fresh_submissions(5 + count + 1 + (count if cprofile else 0))
    for row in rows[:5]:  # warm the worker's caches
        request(handler, row)
    timed_rows, listed, profiled = rows[5 : 5 + count], rows[5 + count], rows[6 + count :]
    clock.reset()
    statuses: dict[str, int] = {}
    started = time.perf_counter()
    for row in timed_rows:
        code = request(handler, row)
        statuses[code] = statuses.get(code, 0) + 1
    total = time.perf_counter() - started
    timed = dict(clock.totals)
    timed["middleware"] = max(total - sum(timed.values()), 0.0)
    # A request starts by forgetting the queries logged so far: not while they are counted.
    request_started.disconnect(reset_queries)
    with CaptureQueriesContext(connection) as queries:
        code = request(handler, listed)
    request_started.connect(reset_queries)
    result = {
        "ms_per_request": round(total / count * 1000, 3),
        "shares": {k: round(v / total, 3) for k, v in timed.items()},
        "statuses": statuses,
        "queries": len(queries),
        "sql": [q["sql"][:300] for q in queries.captured_queries],
    }
    print(f"one submission ({code}): {len(queries)} queries", file=sys.stderr)
    for n, query in enumerate(result["sql"], start=1):
        print(f"  {n:3} {query[:200]}", file=sys.stderr)
    if cprofile:
        print_profile(lambda: [request(handler, row) for row in profiled], 40)
    return result


def print_profile(run, limit: int) -> None:
    """cProfile `run()` and print its `limit` most expensive functions to stderr (sorted by
    $BENCH_PSTATS_SORT, cumulative time by default; written to $BENCH_PSTATS_FILE when set)."""
    profiler = cProfile.Profile()
    profiler.enable()
    run()
    profiler.disable()
    if dump := os.environ.get("BENCH_PSTATS_FILE"):
        profiler.dump_stats(dump)  # for pstats by hand: callers, callees, other sorts
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(
        os.environ.get("BENCH_PSTATS_SORT", "cumulative")
    ).print_stats(limit)
    print(out.getvalue(), file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", help="bench/prepare.py's JSON")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--targets", default="", help="comma-separated (default: GET pages)")
    parser.add_argument("--cprofile", default="", help="a target to run under cProfile too")
    parser.add_argument(
        "--submissions", type=int, default=0, help="measure N fresh quiz submissions instead"
    )
    args = parser.parse_args()
    clock = Clock()
    instrument(clock)
    handler = WSGIHandler()
    if args.submissions:
        result = submissions(
            handler, clock, args.submissions, cprofile=args.cprofile == "quiz_submit"
        )
        shares = "  ".join(f"{k} {v:5.1%}" for k, v in result["shares"].items())
        statuses = " ".join(f"{k}×{v}" for k, v in result["statuses"].items())
        print(
            f"quiz_submit  {result['ms_per_request']:7.2f} ms  {shares}  [{statuses}]",
            file=sys.stderr,
        )
        print("PROFILE_JSON " + json.dumps({"quiz_submit": result}))
        return
    if not args.plan:
        parser.error("--plan is needed (or --submissions)")
    plan = json.loads(Path(args.plan).read_text(encoding="utf-8"))["targets"]
    names = [n for n in args.targets.split(",") if n] or [
        n for n, t in plan.items() if "path" in t and n != "reports"
    ]
    results = {}
    for name in names:
        results[name] = result = profile(handler, clock, plan[name], args.requests)
        shares = "  ".join(f"{k} {v:5.1%}" for k, v in result["shares"].items())
        statuses = " ".join(f"{k}×{v}" for k, v in result["statuses"].items())
        print(
            f"{name:12} {result['ms_per_request']:7.2f} ms (CPU {result['cpu_ms_per_request']:.2f})"
            f"  {shares}  [{statuses}]",
            file=sys.stderr,
        )
    if args.cprofile:
        target = plan[args.cprofile]
        print_profile(lambda: [request(handler, target) for _n in range(args.requests)], 25)
    print("PROFILE_JSON " + json.dumps(results))


if __name__ == "__main__":
    main()
