"""The kinds of e-mail, one registered class each: what topic a person can turn off (none for
account and security notices), which templates render it, what it says and attaches.

Templates: `notifications/email/<name>.subject.txt`, `.txt` and `.html` (both extending the
base templates, which add the site's name, the sign-in link and, for kinds a person may turn
off, the link to *Preferences → E-mails*). Rendered in the recipient's language.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .calendar import WorkshopSession, workshop_calendar

# Topics a person may turn off in Preferences → E-mails, in the order shown.
TOPICS = {
    "assignments": _("Courses assigned to me"),
    "reminders": _("Reminders of due dates"),
    "workshops": _("Workshop invitations"),
    "certificates": _("Certificates issued and renewals"),
}


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class EmailKind:
    name: str
    label: str
    # A key of TOPICS, or None: account and security notices are always sent.
    topic: str | None
    # Extra template context from the recipient and the notification's parameters.
    context: Callable[..., dict] = field(default=lambda user, params: {})
    attachments: Callable[..., list[Attachment]] = field(default=lambda user, params: [])


_kinds: dict[str, EmailKind] = {}


def email_kind_register(kind: EmailKind) -> EmailKind:
    _kinds[kind.name] = kind
    return kind


def email_kind(name: str) -> EmailKind:
    return _kinds[name]


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _course(params: dict):
    from courses.models import CoursePage

    return CoursePage.objects.filter(pk=params.get("course_id")).first()


def _course_context(user, params: dict) -> dict:
    course = _course(params)
    due = params.get("due_date")
    return {
        "course_title": course.title if course else params.get("course_title", ""),
        "course_url": absolute(course.get_url() or "") if course else "",
        "due_date": date_format(date.fromisoformat(due), "DATE_FORMAT") if due else "",
        "stage": params.get("stage", ""),
    }


def _set_password_context(user, params: dict) -> dict:
    from cms.tokens import set_password_days
    from cms.user_import import set_password_path

    base = params.get("base_url") or settings.WAGTAILADMIN_BASE_URL
    return {"url": base.rstrip("/") + set_password_path(user), "days": set_password_days()}


def _certificate_context(user, params: dict) -> dict:
    from django.urls import reverse

    from certificates.models import Certificate

    certificate = Certificate.objects.filter(pk=params.get("certificate_id")).first()
    if certificate is None:
        return {}
    language = user.preferred_language
    renewal = params.get("refresher_id")
    refresher = _course({"course_id": renewal}) if renewal else None
    return {
        "certificate": certificate,
        "course_title": certificate.title_in(language),
        "serial": certificate.serial,
        "verify_url": absolute(reverse("certificates:verify", args=[certificate.serial])),
        "valid_until": (
            date_format(certificate.valid_until, "DATE_FORMAT") if certificate.valid_until else ""
        ),
        "refresher_title": refresher.title if refresher else "",
        "refresher_url": absolute(refresher.get_url() or "") if refresher else "",
    }


def _sessions(params: dict) -> list[WorkshopSession]:
    return [WorkshopSession.from_json(item) for item in params.get("sessions", [])]


def _workshop_context(user, params: dict) -> dict:
    zone = ZoneInfo(params["time_zone"])
    agenda = []
    for session in _sessions(params):
        starts, ends = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
        agenda.append(
            {
                "title": session.title,
                "location": session.location,
                "day": date_format(starts, "l j F Y"),
                "starts": date_format(starts, "H:i"),
                "ends": date_format(ends, "H:i"),
            }
        )
    return {
        "title": params["title"],
        "url": params.get("url", ""),
        "time_zone": params["time_zone"],
        "agenda": agenda,
    }


def _workshop_attachments(user, params: dict) -> list[Attachment]:
    content = workshop_calendar(
        uid=f"{params['workshop_key']}@{_host()}",
        title=params["title"],
        sessions=_sessions(params),
        time_zone=params["time_zone"],
        url=params.get("url", ""),
        stamp=datetime.fromisoformat(params["sent_on"]),
    )
    return [Attachment("workshop.ics", content, "text/calendar")]


def _host() -> str:
    from urllib.parse import urlsplit

    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"


def _security_context(user, params: dict) -> dict:
    from django.urls import reverse

    return {"two_factor_url": absolute(reverse("security:two_factor"))}


for _kind in (
    EmailKind("set_password", _("Set-password link"), None, _set_password_context),
    EmailKind("course_assigned", _("Course assigned"), "assignments", _course_context),
    EmailKind("due_reminder", _("Due-date reminder"), "reminders", _course_context),
    EmailKind(
        "workshop_invitation",
        _("Workshop invitation"),
        "workshops",
        _workshop_context,
        _workshop_attachments,
    ),
    EmailKind("certificate_issued", _("Certificate issued"), "certificates", _certificate_context),
    EmailKind(
        "certificate_renewal", _("Certificate renewal"), "certificates", _certificate_context
    ),
    EmailKind("lockout", _("Sign-in lockout notice"), None, _security_context),
    EmailKind("second_factor_added", _("Two-step verification turned on"), None, _security_context),
    EmailKind(
        "second_factor_removed", _("Two-step verification turned off"), None, _security_context
    ),
):
    email_kind_register(_kind)
