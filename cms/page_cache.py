"""Shared page shells and remembered routes, per worker, keyed by the content generation.

A signed-in lesson page is the same HTML for every learner who is at the same point of the
same course, except for the CSRF token. So a page type may keep the HTML it rendered as a
*shell*, keyed by everything the HTML depends on (page, content generation, host, path,
language, and the page's own per-learner state such as progress), with the CSRF token cut
out; the next learner in the same state gets the shell with their own token put back.

A page type may also *remember its route*: which page a path leads to, so that the next request
for that path skips Wagtail's routing (site lookup, tree walk, page load) and goes straight to
the learner's state and a shell. Only pages with no view restriction are remembered, and only
while the page-serving hooks are Wagtail's own (method and privacy checks), so skipping them
skips nothing that would have refused the request.

Freshness: both caches are keyed by `ContentGeneration.value`, read once per request with one
indexed row before anything else. Every change to pages, view restrictions, sites, images and
documents bumps it in the same transaction (`connect_signals`), so a publish is seen by every
worker on every server the moment it commits; nothing needs a shared cache or a broadcast.
Entries also expire after `MAX_AGE_SECONDS`, a safety net for changes made behind the ORM's
back (raw SQL, a database restored from a backup).

What never goes in: pages with messages for the user, requests with a query string, previews,
anonymous requests, anything not a 200. Nothing personal is in a shell: the key holds the
per-learner state the HTML shows, so two learners share a shell only when they would have been
served the same bytes.
"""

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

MAX_AGE_SECONDS = 15 * 60
# Cut out of shells and put back per request. NUL never occurs in rendered HTML.
CSRF_SLOT = "\x00csrf\x00"
_CSRF_FIELD = re.compile(r'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(">)')
_GENERATION_ATTR = "_tadrib_generation"


class LRU:
    """A small thread-safe least-recently-used map whose entries also expire."""

    def __init__(self, size: int):
        self.size = size
        self._data: OrderedDict[Hashable, tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable):
        with self._lock:
            found = self._data.get(key)
            if found is None:
                return None
            expires, value = found
            if expires < time.monotonic():
                del self._data[key]
                return None
            self._data.move_to_end(key)
            return value

    def set(self, key: Hashable, value) -> None:
        with self._lock:
            self._data[key] = (time.monotonic() + MAX_AGE_SECONDS, value)
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


# A lesson shell is ~15 KB: 600 of them stay under 10 MB per worker.
shells = LRU(600)
routes = LRU(4000)


def clear() -> None:
    shells.clear()
    routes.clear()


# --- the content generation ---------------------------------------------------------------


def _table() -> str:
    from .models import ContentGeneration

    return connection.ops.quote_name(ContentGeneration._meta.db_table)


def read_generation() -> int | None:
    """The current generation, or None when the row is missing (caching is then off)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {_table()} WHERE id = 1")  # noqa: S608 - table name
        row = cursor.fetchone()
    return row[0] if row else None


def generation(request) -> int | None:
    """The generation this request works with, read once and before any content."""
    if not hasattr(request, _GENERATION_ATTR):
        setattr(request, _GENERATION_ATTR, read_generation())
    return getattr(request, _GENERATION_ATTR)


def bump_generation(**_kwargs) -> None:
    """Move the generation on, inside the caller's transaction (a signal receiver)."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_table()} SET value = value + 1 WHERE id = 1")  # noqa: S608


def connect_signals() -> None:
    """Bump the generation whenever something a page's HTML or route depends on changes."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction, Site, get_page_models
    from wagtail.signals import page_published, page_unpublished, post_page_move

    senders = {Page, PageViewRestriction, Site, get_image_model(), get_document_model()}
    senders.update(get_page_models())
    for sender in senders:
        uid = f"tadrib-generation-{sender._meta.label}"
        post_save.connect(bump_generation, sender=sender, weak=False, dispatch_uid=uid)
        post_delete.connect(bump_generation, sender=sender, weak=False, dispatch_uid=uid)
    for name, signal in (
        ("published", page_published),
        ("unpublished", page_unpublished),
        ("moved", post_page_move),
    ):
        signal.connect(bump_generation, weak=False, dispatch_uid=f"tadrib-generation-{name}")


# --- shells ---------------------------------------------------------------------------------


def may_use(request) -> bool:
    """Whether this request may be answered from, or fill, the shared caches."""
    return (
        request.method in ("GET", "HEAD")
        and not request.GET
        and request.user.is_authenticated
        and not getattr(request, "is_preview", False)
        and not has_messages(request)
        and generation(request) is not None
    )


def has_messages(request) -> bool:
    """Messages waiting for the user, without consuming them."""
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def shell_key(request, *parts: Hashable) -> tuple:
    return (
        generation(request),
        request.get_host(),
        request.path,
        translation.get_language(),
        *parts,
    )


def make_shell(html: str) -> str:
    return _CSRF_FIELD.sub(lambda m: m.group(1) + CSRF_SLOT + m.group(2), html)


def respond(request, shell: str) -> HttpResponse:
    """The shell with this user's CSRF token (`cms.views.serve` marks it private)."""
    html = shell.replace(CSRF_SLOT, get_token(request)) if CSRF_SLOT in shell else shell
    return HttpResponse(html)


def serve_shell(request, key: tuple, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The shell under `key`, rendered by `render` (a TemplateResponse) on a miss."""
    shell = shells.get(key)
    if shell is None:
        response = render()
        if hasattr(response, "render"):
            response.render()
        if response.status_code != 200 or response.cookies:
            return response
        shell = make_shell(response.content.decode(response.charset))
        shells.set(key, shell)
    return respond(request, shell)


# --- remembered routes ----------------------------------------------------------------------

# serve_remembered(request, entry) -> HttpResponse, or None to fall back to Wagtail's serve.
Handler = Callable[[object, object], HttpResponse | None]


def route_key(request) -> tuple:
    return (generation(request), request.get_host(), request.path, translation.get_language())


# Wagtail's own page hooks: the HTTP method check (GET and HEAD always pass) and the privacy
# check (nothing to check while no page has a view restriction). Anything else, from another
# app, could refuse or change a response, so its presence turns remembered routes off.
_DEFAULT_HOOKS = {
    "before_serve_page": {("wagtail.wagtail_hooks", "check_request_method")},
    "on_serve_page": {("wagtail.wagtail_hooks", "check_view_restrictions")},
}


def _only_default_hooks() -> bool:
    from wagtail import hooks

    return all(
        {
            (getattr(fn, "__module__", ""), getattr(fn, "__name__", ""))
            for fn in hooks.get_hooks(name)
        }
        <= allowed
        for name, allowed in _DEFAULT_HOOKS.items()
    )


def remember_route(request, page, handler: Handler, entry) -> None:
    """Let the next request for this path go straight to `handler(request, entry)`.

    Only when routing itself found that no page has a view restriction (`any_view_restriction`
    from `HomePage.route_by_url_path`, read after the generation) and the page hooks are
    Wagtail's own.
    """
    if getattr(page, "any_view_restriction", True) is not False or not may_use(request):
        return
    if _only_default_hooks():
        routes.set(route_key(request), (handler, entry))


def serve_remembered(request) -> HttpResponse | None:
    if not may_use(request):
        return None
    found = routes.get(route_key(request))
    if found is None:
        return None
    handler, entry = found
    return handler(request, entry)
