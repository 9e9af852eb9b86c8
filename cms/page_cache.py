"""Shared page shells and remembered routes, per worker, keyed by the content generation.

docs/page-cache.md explains this module to template authors; in short:

*Shells fail closed.* A page type may keep the HTML it rendered as a *shell* shared by every
learner. A shell is rendered for nobody: from a `ShellRequest` (the same URL, host and language,
with no user, session, cookies or client headers) whose user is an anonymous stand-in, with the
CSRF token a marker. So a template that reads `user` or `request.user` shows nothing personal,
and one learner's page can never carry another's name or token.

*Slots.* What differs between learners is written in a template as `{% slot "name" %}` (tag
library `slots`). A slot is registered (`register_slot`) with a small template of its own, which
is rendered from the slot's values only, never from the request or the user: values the page
gives (`slot_values` in its context, or to `respond`), or values the slot reads from the request
itself (the header's account links). A shell keeps a marker where each slot goes; answering
from it fills the slots for this request, then puts this request's CSRF token in. Fragments
rendered for the same values are kept (`fragments`), as they hold nothing personal either.

*Remembered routes.* A page type may also remember which page a path leads to, so that the
next request for that path skips Wagtail's routing (site lookup, tree walk, page load) and goes
straight to the learner's state and a shell. Only pages with no view restriction are
remembered, and only while every page-serving hook is Wagtail's own (method and privacy checks,
which remembered routes make themselves), so skipping them skips nothing that would have
refused the request.

*Freshness.* Both caches are keyed by `ContentGeneration.value`, read once per request with one
indexed row before anything else (for a signed-in request, by the statement that reads its
session and user: `security.sessions`). Every change to pages, view restrictions, sites, images and
documents bumps it in the same transaction (`connect_signals`), so a publish is seen by every
worker on every server the moment it commits; nothing needs a shared cache or a broadcast.
Entries also expire after `MAX_AGE_SECONDS`, a safety net for changes made behind the ORM's
back (raw SQL, a database restored from a backup).

What never goes in: pages with messages for the user, requests with a query string, previews,
anonymous requests, anything a shell render does not answer with a plain 200.
"""

import contextlib
import re
import threading
import weakref
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass

from cachetools import TTLCache
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import ContentGeneration

MAX_AGE_SECONDS = 15 * 60
# Markers in shells and fragments. NUL never occurs in rendered HTML.
CSRF_MARK = "\x00csrf\x00"
_SLOT_MARK = "\x00slot:{}\x00"
_SLOT_SPLIT = re.compile("\x00slot:([a-z0-9-]+)\x00")
_GENERATION_ATTR = "_tadrib_generation"


# Every BoundedCache made, wherever it lives, so that `clear()` forgets them all.
_every_cache: "weakref.WeakSet[BoundedCache]" = weakref.WeakSet()


class BoundedCache:
    """A thread-safe map whose entries expire and whose size is bounded (a cachetools
    TTLCache: least recently used first out): at most `max_entries` entries and, with
    `getsizeof`, at most `max_bytes` by its measure (characters of text). Each entry counts
    for at least `max_bytes / max_entries`, so both bounds hold at once."""

    def __init__(
        self,
        max_entries: int,
        *,
        max_bytes: int | None = None,
        getsizeof: Callable[[object], int] | None = None,
    ):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        if getsizeof is None or max_bytes is None:
            self._cache: TTLCache = TTLCache(max_entries, MAX_AGE_SECONDS)
        else:
            floor = max(max_bytes // max_entries, 1)
            self._cache = TTLCache(
                max_bytes, MAX_AGE_SECONDS, getsizeof=lambda value: max(getsizeof(value), floor)
            )
        self._lock = threading.Lock()
        _every_cache.add(self)

    @property
    def currsize(self) -> int:
        return self._cache.currsize

    def get(self, key: Hashable):
        # TTLCache.get asks `key in cache`, then `cache[key]`: the clock read and the entry
        # found twice. Its item lookup alone does both checks (expired: KeyError).
        with self._lock:
            try:
                return self._cache[key]
            except KeyError:
                return None

    def get_many(self, keys: Iterable[Hashable]) -> dict:
        """The entries kept for `keys`, by key (those not kept are left out): one lock."""
        found = {}
        cache = self._cache
        with self._lock:
            for key in keys:
                try:  # noqa: SIM105 - suppress() would cost more than the lookup
                    found[key] = cache[key]
                except KeyError:
                    pass
        return found

    def set(self, key: Hashable, value) -> None:
        # A value larger than the whole cache is not kept.
        with self._lock, contextlib.suppress(ValueError):
            self._cache[key] = value

    def values(self) -> list:
        with self._lock:
            return list(self._cache.values())

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()

    def __len__(self) -> int:
        return len(self._cache)


@dataclass(frozen=True)
class Shell:
    """A page rendered for nobody: text, slot name, text, …, text."""

    parts: tuple[str, ...]

    @property
    def size(self) -> int:
        return sum(len(part) for part in self.parts)


# Per worker, each bounded in entries and in characters (docs/page-cache.md, "Memory";
# bench/memory.py measures a worker). A lesson shell is ~15 KB: 10 M characters hold some 650.
shells = BoundedCache(2000, max_bytes=10_000_000, getsizeof=lambda shell: shell.size)
# A route holds one page's course outline (ids, titles, addresses) or a quiz's rules.
routes = BoundedCache(4000)
# Fragments are small (a progress bar, a button) except My learning's list and a quiz's
# attempts: 2,000 entries and 4 M characters.
fragments = BoundedCache(2000, max_bytes=4_000_000, getsizeof=len)


def clear() -> None:
    """Forget every per-worker cache: shells, routes, fragments and those other apps keep
    (keyed by a generation that a rolled-back test sets back, so a later test would reuse them)."""
    for cache in list(_every_cache):
        cache.clear()


# --- the content generation ---------------------------------------------------------------


def _table() -> str:
    return connection.ops.quote_name(ContentGeneration._meta.db_table)


def read_generation() -> int | None:
    """The current generation, or None when the row is missing (caching is then off)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {_table()} WHERE id = 1")  # noqa: S608 - table name
        row = cursor.fetchone()
    return row[0] if row else None


_UNREAD = object()


def generation(request) -> int | None:
    """The generation this request works with, read once and before any content: by the
    statement that read this request's session and its user when it did (`security.sessions`,
    at the start of the request), else now."""
    if not hasattr(request, _GENERATION_ATTR):
        value = getattr(getattr(request, "session", None), "content_generation", _UNREAD)
        if value is _UNREAD or not isinstance(value, int | None):
            value = read_generation()
        setattr(request, _GENERATION_ATTR, value)
    return getattr(request, _GENERATION_ATTR)


def generation_sql() -> str:
    """The current generation as a scalar subquery (NULL when the row is missing), for a
    view reading its first row anyway to read the generation with it (`remember_generation`):
    one statement fewer."""
    return f"(SELECT value FROM {_table()} WHERE id = 1)"  # noqa: S608 - table name


def remember_generation(request, value: int | None) -> None:
    """Make `value` (read with `generation_sql`, before any content) the generation of
    `request`, unless it has one already."""
    if not hasattr(request, _GENERATION_ATTR):
        setattr(request, _GENERATION_ATTR, value)


def bump_generation(**_kwargs) -> None:
    """Move the generation on, inside the caller's transaction (a signal receiver)."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_table()} SET value = value + 1 WHERE id = 1")  # noqa: S608


def connect_signals() -> None:
    """Bump the generation whenever something a page's HTML or route depends on changes."""
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


# --- who a shell is rendered for ------------------------------------------------------------


class ShellUser(AnonymousUser):
    """The stand-in user of a shell: nobody, with no name, address or permission."""

    def __str__(self):
        return ""


SHELL_USER = ShellUser()
# What a page may depend on from the request beyond its path: the host, the port and the
# scheme, all in the shell key. Cookies, the session, addresses and other headers stay out.
_SHELL_META = (
    "HTTP_HOST",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
)


class ShellRequest(HttpRequest):
    """A GET for the same URL, in the same language, by nobody: what a shell is rendered from."""

    def __init__(self, request: HttpRequest):
        super().__init__()
        self.method = "GET"
        self.path = request.path
        self.path_info = request.path_info
        self.META = {key: request.META[key] for key in _SHELL_META if key in request.META}
        self.META["REQUEST_METHOD"] = "GET"
        self._shell_scheme = request.scheme
        self.user = SHELL_USER
        self.resolver_match = request.resolver_match
        self.LANGUAGE_CODE = getattr(request, "LANGUAGE_CODE", translation.get_language())
        self.is_preview = False
        setattr(self, _GENERATION_ATTR, generation(request))
        # Wagtail keeps the site it found on the request (`Site.find_for_request`); routing
        # found it already, so the shell does not look it up again.
        self._wagtail_site = Site.find_for_request(request)

    @property
    def scheme(self):
        return self._shell_scheme


def is_shell(request) -> bool:
    """Whether `request` is a shell's stand-in: a page rendering for it must show nothing about
    any learner (and leave what differs between them to slots)."""
    return isinstance(request, ShellRequest)


# --- slots ----------------------------------------------------------------------------------

# Values a slot reads from the request (e.g. the header's links); None: the page gives them.
ValuesOf = Callable[[HttpRequest], Mapping[str, Hashable]]


@dataclass(frozen=True)
class Slot:
    template: str
    values: ValuesOf | None = None


_slots: dict[str, Slot] = {}


def register_slot(name: str, *, template: str, values: ValuesOf | None = None) -> None:
    """Declare slot `name` (lower-case letters, digits, hyphens), drawn by `template` from its
    values alone. Call from AppConfig.ready()."""
    if not _SLOT_SPLIT.fullmatch(_SLOT_MARK.format(name)):
        raise ValueError(f"invalid slot name {name!r}")
    _slots[name] = Slot(template=template, values=values)


def _slot(name: str) -> Slot:
    try:
        return _slots[name]
    except KeyError:
        raise ImproperlyConfigured(f"No slot {name!r} is registered (register_slot).") from None


def _fragment(name: str, values: Mapping[str, Hashable]) -> str:
    """The slot's HTML for `values` in the active language, CSRF token still a marker."""
    slot = _slot(name)
    key = (name, translation.get_language(), get_script_prefix(), tuple(sorted(values.items())))
    html = fragments.get(key)
    if html is None:
        # No request: a slot's template sees its values and nothing else.
        html = render_to_string(slot.template, {**values, "csrf_token": CSRF_MARK})
        fragments.set(key, html)
    return html


def _with_token(request, html: str) -> str:
    if CSRF_MARK not in html:
        return html
    return html.replace(CSRF_MARK, get_token(request) if request is not None else "")


def slot_html(request, name: str, given: Mapping[str, Hashable]) -> SafeString:
    """What `{% slot name %}` writes: a marker in a shell; else the slot filled for `request`
    (with `given`, the values the page put in its context, unless the slot reads its own)."""
    slot = _slot(name)
    if is_shell(request):
        return mark_safe(_SLOT_MARK.format(name))  # noqa: S308 - a fixed marker
    values = slot.values(request) if slot.values is not None and request is not None else given
    return mark_safe(_with_token(request, _fragment(name, values)))  # noqa: S308 - rendered


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
        request.scheme,
        request.get_host(),
        request.path,
        translation.get_language(),
        *parts,
    )


def render_shell(render: Callable[[HttpRequest], HttpResponse], request) -> Shell | None:
    """`render(ShellRequest(request))` as a shell, or None unless it is a plain 200 page."""
    response = render(ShellRequest(request))
    context = getattr(response, "context_data", None)
    if context is None:
        return None  # not a template response: nothing is known to be free of the user
    context["csrf_token"] = CSRF_MARK  # the page's context outranks the context processors
    response.render()
    if response.status_code != 200 or response.cookies:
        return None
    return Shell(tuple(_SLOT_SPLIT.split(response.content.decode(response.charset))))


def respond(
    request, shell: Shell, values: Mapping[str, Mapping[str, Hashable]] | None = None
) -> HttpResponse:
    """The shell with its slots filled for `request` (`values`: the page's, by slot name) and
    this request's CSRF token (`cms.views.serve` marks the response private)."""
    values = values or {}
    parts = list(shell.parts)
    for index in range(1, len(parts), 2):
        name = parts[index]
        slot = _slot(name)
        parts[index] = _fragment(
            name, slot.values(request) if slot.values is not None else values.get(name, {})
        )
    return HttpResponse(_with_token(request, "".join(parts)))


def serve_shell(
    request,
    key: tuple,
    *,
    render: Callable[[HttpRequest], HttpResponse],
    values: Mapping[str, Mapping[str, Hashable]],
) -> HttpResponse:
    """The shell under `key`, filled for `request`. On a miss the shell is rendered by
    `render(shell_request)`; if that is not a plain page, `render(request)` answers instead."""
    shell = shells.get(key)
    if shell is None:
        shell = render_shell(render, request)
        if shell is None:
            return render(request)
        shells.set(key, shell)
    return respond(request, shell, values)


# --- remembered routes ----------------------------------------------------------------------

# serve_remembered(request, entry) -> HttpResponse, or None to fall back to Wagtail's serve.
Handler = Callable[[object, object], HttpResponse | None]
_PAGE_HOOKS = ("before_serve_page", "on_serve_page")


def route_key(request) -> tuple:
    return (
        generation(request),
        request.scheme,
        request.get_host(),
        request.path,
        translation.get_language(),
    )


def only_wagtail_page_hooks() -> bool:
    """Whether every page-serving hook comes from Wagtail's core app.

    Wagtail's own are the HTTP method check (GET and HEAD always pass) and the privacy check
    (remembered routes make it themselves: no page may have a view restriction);
    tests/performance/test_page_cache.py holds that they pass a remembered request. A hook from
    any other app could refuse or change a response, so its presence turns remembered routes
    off. Hooks are told apart by the module that registered them, found through the app
    registry, not by their names.
    """
    core_hooks = f"{apps.get_app_config('wagtailcore').name}.wagtail_hooks"
    return all(
        getattr(fn, "__module__", None) == core_hooks
        for name in _PAGE_HOOKS
        for fn in hooks.get_hooks(name)
    )


def remember_route(request, page, handler: Handler, entry) -> None:
    """Let the next request for this path go straight to `handler(request, entry)`.

    Only when routing itself found that no page has a view restriction (`any_view_restriction`
    from `HomePage.route_by_url_path`, read after the generation) and the page hooks are
    Wagtail's own.
    """
    if getattr(page, "any_view_restriction", True) is not False or not may_use(request):
        return
    if only_wagtail_page_hooks():
        routes.set(route_key(request), (handler, entry))


def serve_remembered(request) -> HttpResponse | None:
    if not may_use(request):
        return None
    found = routes.get(route_key(request))
    if found is None:
        return None
    handler, entry = found
    return handler(request, entry)
