"""Security middleware: response headers, session lifetime, second factor, audit context."""

import re
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.middleware import (
    AuthenticationMiddleware as DjangoAuthenticationMiddleware,
)
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.functional import LazyObject, SimpleLazyObject, empty
from django.utils.translation import gettext as _
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware

from . import sessions, twofactor
from .audit import Action, audit_log
from .context import request_bind, request_unbind

PUBLIC_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; media-src 'self'; frame-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Wagtail's admin writes inline styles and a few inline scripts; it is reached by staff only,
# behind a second factor in production. Previews are framed by the admin itself.
ADMIN_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; media-src 'self'; "
    "frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'"
)
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
    "fullscreen=(self)"
)
_LANGUAGE_PREFIX = r"^/(?:[a-z]{2})/"
# Where a staff user must have passed a second factor when enforcement is on.
_STAFF_GATED_RE = re.compile(rf"^/admin/|{_LANGUAGE_PREFIX}reports/")
# Pages a session waiting for its second factor may still reach.
_SECOND_FACTOR_EXEMPT_RE = re.compile(
    rf"^/(?:static|media)/|^/healthz$|^/admin/logout/|"
    rf"{_LANGUAGE_PREFIX}account/(?:sign-out|two-factor)/"
)
# Denials worth recording: every 403, and a signed-in user's 404s where an identifier is
# guessed (anonymous 404s are mostly crawlers).
_AUDITED_404_RE = re.compile(rf"{_LANGUAGE_PREFIX}(?:reports|quizzes|learning)/|^/documents/")


def admin_path(path: str) -> bool:
    return path.startswith("/admin/")


class SecurityHeadersMiddleware:
    """Content-Security-Policy (public and admin) and Permissions-Policy on every response.

    HSTS, nosniff, Referrer-Policy and framing come from Django's own settings and middleware.
    A response that already has a policy (Wagtail's document view) keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(settings, "TADRIB_CSP_ENABLED", True):
            policy = ADMIN_CSP if admin_path(request.path_info) else PUBLIC_CSP
            response.headers.setdefault("Content-Security-Policy", policy)
        # Responses returned before Django's clickjacking middleware (redirects) get it too.
        if not getattr(response, "xframe_options_exempt", False):
            response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class PrivateMediaMiddleware:
    """Documents are served only by Wagtail's view, which checks collection privacy: never
    straight from the media directory, even where a development server serves /media/."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = f"{settings.MEDIA_URL.rstrip('/')}/documents/"

    def __call__(self, request):
        if request.path_info.startswith(self.prefix):
            raise Http404
        return self.get_response(request)


def _cached_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = sessions.get_user(request)
    return request._cached_user


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, with `request.user` from `security.sessions.get_user`: the same checks, the
    user taken from the statement that read the session (`security.sessions`)."""

    def process_request(self, request):
        super().process_request(request)  # checks the session middleware; sets `auser`
        request.user = SimpleLazyObject(lambda: _cached_user(request))


def _resolved(value):
    """What a lazy object (or a lazy object around one) stands for, evaluated."""
    while isinstance(value, LazyObject):
        if value._wrapped is empty:
            value._setup()
        value = value._wrapped
    return value


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's, with `request.user` resolved at once to the user itself rather than left
    as its lazy object around the authentication middleware's: the middleware after it reads
    the user on every request anyway, and each later read of an attribute went through both
    wrappers (some fifty reads a page). The user, `otp_device` and `is_verified()` are what
    django-otp gives; only when they are computed changes (here, not at the first read)."""

    def __call__(self, request):
        if self._is_async:
            return super().__call__(request)
        self._install_lazy_accessors(request)
        if getattr(request, "user", None) is not None:
            request.user = _resolved(request.user)
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """Sign out after `TADRIB_SESSION_IDLE_SECONDS` without a request, or
    `TADRIB_SESSION_ABSOLUTE_SECONDS` after signing in, whichever comes first.

    The last-seen time is written at most once a minute, not on every request.
    """

    STARTED = "security_started"
    SEEN = "security_seen"
    WRITE_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    @classmethod
    def session_start(cls, session) -> None:
        """Called when a user signs in: both clocks start now."""
        session[cls.STARTED] = session[cls.SEEN] = int(time.time())

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            now = int(time.time())
            started = session.get(self.STARTED)
            seen = session.get(self.SEEN)
            if started is None or seen is None:
                session[self.STARTED] = started = now
                session[self.SEEN] = seen = now
            idle = getattr(settings, "TADRIB_SESSION_IDLE_SECONDS", 30 * 60)
            absolute = getattr(settings, "TADRIB_SESSION_ABSOLUTE_SECONDS", 12 * 3600)
            if now - seen > idle or now - started > absolute:
                auth.logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
            elif now - seen >= self.WRITE_EVERY:
                session[self.SEEN] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """Ask for the second factor: on every page for users who have one, and before the admin
    and the reports for staff without one when `TADRIB_REQUIRE_STAFF_2FA` is on.

    Comes after django-otp's OTPMiddleware, which tells whether the session is verified.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        redirect = self._redirect(request)
        return redirect if redirect is not None else self.get_response(request)

    def _redirect(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        path = request.path_info
        if _SECOND_FACTOR_EXEMPT_RE.search(path):
            return None
        if user.is_verified():
            return None
        session = request.session
        if twofactor.SESSION_HAS_DEVICE not in session:
            twofactor.session_flags_set(request=request, user=user)
        if session[twofactor.SESSION_HAS_DEVICE]:
            name = "security:two_factor_verify"
        elif (
            twofactor.staff_2fa_required()
            and session[twofactor.SESSION_IS_STAFF]
            and _STAFF_GATED_RE.search(path)
        ):
            name = "security:two_factor"
        else:
            return None
        language = translation.get_language() if not admin_path(path) else None
        with translation.override(language or user.preferred_language or None):
            url = reverse(name)
        return HttpResponseRedirect(f"{url}?{urlencode({'next': request.get_full_path()})}")


class AuditMiddleware:
    """Make the request available to signal receivers, and record permission denials."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_bind(request)
        try:
            response = self.get_response(request)
        finally:
            request_unbind(token)
        status = response.status_code
        path = request.path_info
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if status == 403 or (status == 404 and signed_in and _AUDITED_404_RE.search(path)):
            audit_log(
                action=Action.PERMISSION_DENIED,
                request=request,
                detail=f"{status} {request.method} {path}",
                data={"status": status, "method": request.method, "path": path},
            )
        return response
