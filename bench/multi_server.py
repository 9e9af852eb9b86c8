"""Two app servers sharing PostgreSQL and Redis: sessions and published pages are shared.

A throwaway PostgreSQL database seeded with the demo; Redis database `--redis-db` (flushed at
the start and at the end) as cache and session cache (`REDIS_URL` makes sessions `cached_db`);
two gunicorn instances, production settings, on two free 127.0.0.1 ports.

1. The demo learner signs in through server A; the same session cookie gets My learning and a
   module page from server B. Signing out through B ends the session on A too.
2. A module page is viewed in en/fr/ar through both servers (its rendered body is cached in
   Redis), then published twice with a new body (a Wagtail revision published in a
   `manage.py shell` with production settings and the same Redis): after each publish both
   servers serve the new body in every language, and never the previous one.
Prints JSON; exits 1 when a check fails.

    .venv/bin/python bench/multi_server.py [--redis-db 11] [--workers 2]
"""

import argparse
import json
import sys
import uuid

import redis
from _servers import Http, Scratch, form_fields, log, redis_flush

MODULE_CODE = """
import json
from django.utils import translation
from courses.models import ModulePage
module = ModulePage.objects.live().order_by("path").first()
urls = {}
for code in ("en", "fr", "ar"):
    with translation.override(code):
        urls[code] = module.get_url()
print(json.dumps({"id": module.pk, "urls": urls}))
"""

PUBLISH_CODE = """
import json
from courses.models import ModulePage
page = ModulePage.objects.get(pk={pk}).specific
for code in ("en", "fr", "ar"):
    blocks = [b for b in getattr(page, f"body_{{code}}").raw_data
              if "bench-marker" not in str(b.get("value"))]
    marker = {{"type": "paragraph",
               "value": f'<p class="x">bench-marker {marker}-{{code}}</p>'}}
    setattr(page, f"body_{{code}}", [marker, *blocks])
revision = page.save_revision()
revision.publish()
page.refresh_from_db()
print(json.dumps({{"revision": revision.pk, "live_revision": page.live_revision_id}}))
"""


def bodies(servers: dict, cookies: dict, urls: dict) -> dict:
    """{server: {language: (status, html)}}"""
    found = {}
    for name, server in servers.items():
        client = Http(server.base, cookies)
        found[name] = {}
        for code, url in urls.items():
            status, _h, html = client.request("GET", url, keep=False)
            found[name][code] = (status, html)
    return found


def redis_keys(url: str, match: str) -> int:
    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        return sum(1 for _ in client.scan_iter(match=match, count=500))
    finally:
        client.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis-db", type=int, default=11)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    args = parser.parse_args()
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    summary: dict = {"redis": redis_url}
    checks: dict = {}
    scratch = None
    servers: dict = {}
    try:
        redis_flush(redis_url)
        scratch = Scratch("multi", redis_url=redis_url)
        scratch.seed()
        module = scratch.shell(MODULE_CODE)
        servers["a"] = scratch.server("server-a", args.workers)
        servers["b"] = scratch.server("server-b", args.workers)
        summary["servers"] = {k: s.base for k, s in servers.items()}

        # 1. one session, two servers
        log("session: sign in on A, continue on B, sign out on B")
        on_a = Http(servers["a"].base)
        on_a.sign_in("investigator", scratch.password)
        session = dict(on_a.cookies)
        summary["session_keys_in_redis"] = redis_keys(redis_url, "*sessions.cached_db*")
        on_b = Http(servers["b"].base, session)
        sessions = {
            "a_my_learning": on_a.get("/en/learning/")[0],
            "b_my_learning": on_b.get("/en/learning/")[0],
            "b_module": on_b.get(module["urls"]["en"])[0],
        }
        status, _h, page = on_b.get("/en/learning/")
        token = form_fields(page).get("csrfmiddlewaretoken", [""])[0]
        sign_out = on_b.post("/en/account/sign-out/", {"csrfmiddlewaretoken": token})
        sessions["b_sign_out"] = sign_out[0]
        after = Http(servers["a"].base, session)
        status, headers, _page = after.request("GET", "/en/learning/", keep=False)
        sessions["a_my_learning_after_sign_out_on_b"] = status
        sessions["a_redirect"] = headers.get("location", "")
        summary["session"] = sessions
        checks["signed_in_on_a_continues_on_b"] = (
            sessions["a_my_learning"] == 200
            and sessions["b_my_learning"] == 200
            and sessions["b_module"] == 200
        )
        checks["sessions_in_redis"] = summary["session_keys_in_redis"] > 0
        checks["sign_out_on_b_ends_session_on_a"] = (
            sessions["a_my_learning_after_sign_out_on_b"] == 302
            and "/account/sign-in/" in sessions["a_redirect"]
        )

        # 2. a published page is fresh on both servers, in every language
        reader = Http(servers["a"].base)
        reader.sign_in("investigator", scratch.password)
        cookies = dict(reader.cookies)
        urls = module["urls"]
        # Several rounds, so every worker of both servers has rendered the shells and
        # remembered the routes (cms.page_cache) before the publishes below.
        for _round in range(4):
            warm = bodies(servers, cookies, urls)
        summary["render_cache_keys_after_warm_up"] = redis_keys(redis_url, "*tadrib:render*")
        rounds = []
        previous = None
        for n in (1, 2):
            marker = uuid.uuid4().hex[:12]
            published = scratch.shell(
                PUBLISH_CODE.format(pk=module["id"], marker=marker),
                settings="cms.settings.production",
            )
            seen = bodies(servers, cookies, urls)
            table = {
                name: {
                    code: {
                        "status": status,
                        "new_body": f"bench-marker {marker}-{code}" in html,
                        "previous_body": previous is not None
                        and f"bench-marker {previous}-{code}" in html,
                    }
                    for code, (status, html) in by_language.items()
                }
                for name, by_language in seen.items()
            }
            rounds.append({"publish": n, **published, "served": table})
            checks[f"publish_{n}_fresh_on_both_in_every_language"] = all(
                cell["status"] == 200 and cell["new_body"] and not cell["previous_body"]
                for by_language in table.values()
                for cell in by_language.values()
            )
            previous = marker
            # seen again: now from the cache, still the new body
            again = bodies(servers, cookies, urls)
            checks[f"publish_{n}_fresh_when_cached"] = all(
                f"bench-marker {marker}-{code}" in html
                for by_language in again.values()
                for code, (_status, html) in by_language.items()
            )
        summary["warm_up_statuses"] = {
            name: {code: status for code, (status, _html) in by_language.items()}
            for name, by_language in warm.items()
        }
        summary["publishes"] = rounds
        summary["render_cache_keys_at_end"] = redis_keys(redis_url, "*tadrib:render*")
        checks["render_cache_in_redis"] = summary["render_cache_keys_after_warm_up"] > 0
    except Exception as error:  # noqa: BLE001 - reported in the JSON
        summary["error"] = f"{type(error).__name__}: {error}"
    finally:
        for server in servers.values():
            server.stop()
        if scratch is not None:
            scratch.close()
        try:
            redis_flush(redis_url)
        except redis.RedisError as error:
            summary["redis_flush_error"] = str(error)
    summary["checks"] = checks
    summary["ok"] = bool(checks) and all(checks.values()) and "error" not in summary
    print(json.dumps(summary, indent=2))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
