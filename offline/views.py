"""The installable web app and its offline side: manifest, service worker, offline page,
the strings the scripts show, a learner's state, a course as kept, the queue's endpoint.

Nothing here that a worker may store is personal: the manifest, the worker, the offline page
and the strings are the same for every reader of a language. The learner's own answers
(`state`, `course`, `sync`) are `no-store`.
"""

import hashlib
import json
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cms.page_cache import read_generation
from courses.models import CoursePage

from . import selectors, services

WORKER_SOURCE = "js/sw.js"
# Static files every kept page needs; the worker stores them once, for every learner.
SHELL_ASSETS = (
    "css/tadrib.css",
    "js/offline.js",
    "js/offline-more.js",
    "quizzes/quiz.css",
    "quizzes/autosave.js",
    "glossary/glossary.js",
    "glossary/popover.js",
)
FONT = "fonts/noto-naskh-arabic-400.woff2"


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _public(response: HttpResponse, seconds: int) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=seconds)
    return response


@require_GET
def manifest(request):
    """The web app manifest in the reader's language."""
    language = _language()
    data = {
        "name": _("Tadrib — training for criminal-justice officers"),
        "short_name": _("Tadrib"),
        "description": _("Courses you can keep on this device and follow without a connection."),
        "lang": language,
        "dir": "rtl" if get_language_bidi() else "ltr",
        "id": "/",
        "start_url": reverse("courses:my_learning"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5563",
        "icons": [
            {"src": static("icons/tadrib-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/tadrib-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/tadrib-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )
    return _public(response, 86_400)


@cache
def _worker_source() -> str:
    path = finders.find(WORKER_SOURCE) or str(settings.STATIC_ROOT / WORKER_SOURCE)
    with open(path, encoding="utf-8") as source:
        return source.read()


def worker_config() -> dict:
    languages = [code for code, _name in settings.LANGUAGES]
    offline_pages = {}
    strings = {}
    for code in languages:
        with translation.override(code):
            offline_pages[code] = reverse("offline:page")
            strings[code] = reverse("offline:strings")
    return {
        "assets": [static(name) for name in SHELL_ASSETS] + [static(FONT)],
        "offlinePages": offline_pages,
        "strings": strings,
        "state": reverse("offline_state"),
        "sync": reverse("offline_sync"),
    }


@require_GET
def worker(request):
    """The service worker, from the site's root so that its scope is the whole site.

    Its configuration (hashed static URLs, the offline pages) is written in front of the
    source, so that a new deployment changes the worker's bytes and browsers update it.
    """
    config = json.dumps(worker_config(), sort_keys=True)
    source = _worker_source()
    version = hashlib.blake2b((config + source).encode(), digest_size=6).hexdigest()
    body = f"self.TADRIB = {config};\nself.TADRIB.version = {json.dumps(version)};\n{source}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # Browsers check the worker for updates themselves; never serve a stale one.
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


@require_GET
def offline_page(request):
    """What a page not kept on the device shows offline: the same for every reader."""
    return _public(render(request, "offline/offline.html"), 86_400)


def _strings() -> dict:
    return {
        "offline": _("You are offline."),
        "offlineKept": _("You are offline. You are reading the copy kept on this device."),
        "keepTitle": _("Available offline"),
        "keep": _("Keep this course on this device ({size})"),
        "keeping": _("Downloading the course…"),
        "kept": _("Kept on this device ({size})."),
        "keepFailed": _(
            "The course could not be downloaded. Try again when the connection is better."
        ),
        "remove": _("Remove from this device"),
        "storageTitle": _("Offline storage"),
        "storageUse": _("Courses kept on this device use {size}."),
        "storageNone": _("No course is kept on this device."),
        "storageFree": _("Free the space"),
        "queuedComplete": _(
            "Marked as complete on this device. It will be sent when the connection returns."
        ),
        "answersKept": _("You are offline. Your answers are kept on this device."),
        "queuedSubmit": _(
            "You are offline. Your submission is kept on this device and will be sent when the"
            " connection returns."
        ),
        "received": _("The work you did offline has been received."),
        "within": _("Submitted at {submitted}, received at {received} — within the time limit."),
        "late": _(
            "Submitted at {submitted}, received at {received} — after the time limit: the answers"
            " received in time were marked."
        ),
        "untimed": _("Submitted at {submitted}, received at {received}."),
        "result": _("See your result"),
        "refused": _("Something done offline could not be accepted."),
    }


@require_GET
def strings(request):
    """The scripts' messages in the reader's language (the worker keeps them offline)."""
    response = JsonResponse(_strings(), json_dumps_params={"ensure_ascii": False})
    return _public(response, 3_600)


def _signed_in(view):
    """JSON views answer 403 to an anonymous reader instead of redirecting to sign in."""

    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"signed_in": False}, status=403)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@never_cache
@require_GET
@_signed_in
def state(request):
    """Who the browser's stores belong to, and the content generation (one row): the
    worker compares it with the one it kept and re-checks kept courses only when it moved."""
    return JsonResponse(
        {"partition": selectors.partition_of(request.user), "generation": read_generation()}
    )


@never_cache
@require_GET
@_signed_in
def course(request, course_id: int):
    """What keeping a course stores, in the reader's language, and its size."""
    page = CoursePage.objects.live().filter(pk=course_id).first()
    if page is None:
        raise Http404
    bundle = selectors.course_bundle(course=page, request=request)
    return JsonResponse(bundle.as_json())


@never_cache
@require_POST
@_signed_in
def sync(request):
    """The offline queue: `{"items": [{"id", "kind", "at", …}]}`, each id accepted once."""
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "invalid"}, status=400)
    items = payload.get("items") if isinstance(payload, dict) else None
    if not isinstance(items, list) or len(items) > services.MAX_ITEMS:
        return JsonResponse({"error": "invalid"}, status=400)
    results = [
        services.action_receive(user=request.user, item=item, language=request.LANGUAGE_CODE)
        for item in items
    ]
    return JsonResponse({"results": results})
