"""Writes for e-mail: record a notification once and enqueue its delivery on commit, deliver
it once, send the due-date reminders, keep each person's choices. See docs/email.md."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tasks.registry import PermanentFailure
from tasks.services import job_enqueue

from . import rules
from .calendar import WorkshopSession
from .kinds import TOPICS, absolute, email_kind
from .models import EmailOptOut, Notification

DELIVER = "notifications.deliver"


class HandOverInterrupted(PermanentFailure):
    """The worker stopped while the mail server was receiving the message."""


def notification_send(
    *, kind: str, recipient, key: str, params: dict | None = None
) -> Notification | None:
    """Record e-mail `key` of `kind` to `recipient` and deliver it once the transaction commits.

    Returns None, recording nothing, when that e-mail was recorded before: an event mails once.
    """
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                key=key, recipient=recipient, kind=kind, params=params or {}
            )
    except IntegrityError:
        return None
    job_enqueue(
        kind=DELIVER,
        key=f"email:{notification.pk}",
        arguments={
            "notification_id": notification.pk,
            "kind": kind,
            "user_id": recipient.pk,
            "recipient": recipient.get_full_name() or recipient.get_username(),
        },
    )
    return notification


def _not_sent_because(notification: Notification) -> str:
    user = notification.recipient
    if not user.is_active:
        return "inactive"
    if not user.email:
        return "no address"
    topic = email_kind(notification.kind).topic
    if topic and EmailOptOut.objects.filter(user=user, topic=topic).exists():
        return "turned off"
    return ""


def email_build(notification: Notification) -> EmailMultiAlternatives:
    """The message, in the recipient's language and direction: plain text and HTML (no
    remote images), with the site's name, the sign-in link and any attachment."""
    user = notification.recipient
    kind = email_kind(notification.kind)
    language = user.preferred_language
    with translation.override(language):
        context = {
            "user": user,
            "name": user.get_full_name() or user.get_username(),
            "language": language,
            "direction": "rtl" if translation.get_language_bidi() else "ltr",
            "site_name": settings.WAGTAIL_SITE_NAME,
            "sign_in_url": absolute(reverse("login")),
            "preferences_url": absolute(reverse("notifications:preferences")) if kind.topic else "",
            **kind.context(user, notification.params),
        }
        base = f"notifications/email/{kind.name}"
        subject = " ".join(render_to_string(f"{base}.subject.txt", context).split())
        context["subject"] = subject
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
        attachments = kind.attachments(user, notification.params)
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[user.email],
        headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message


def notification_deliver(*, notification_id: int, **facts) -> str:
    """Send notification `notification_id` unless it was sent (or skipped) already.

    The message is rendered, the connection opened and the server greeted first;
    `handed_over_at` is written just before the hand-over and `sent_at` after it. A worker
    killed in between leaves the first without the second: that message may have arrived,
    so it is not sent again by itself (HandOverInterrupted, shown in *Settings → Background
    tasks*, where Retry sends it).
    """
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    if notification.sent_at or notification.skipped:
        return "already"
    if notification.handed_over_at:
        raise HandOverInterrupted(
            "The worker stopped while handing this e-mail to the mail server; it may have "
            "arrived. Retry sends it again."
        )
    reason = _not_sent_because(notification)
    if reason:
        Notification.objects.filter(pk=notification.pk).update(skipped=reason)
        return reason
    message = email_build(notification)
    connection = get_connection()
    connection.open()
    smtp = getattr(connection, "connection", None)
    if smtp is not None:
        # Greet the server now, so that the hand-over starts at the message itself.
        smtp.ehlo_or_helo_if_needed()
    try:
        Notification.objects.filter(pk=notification.pk).update(handed_over_at=timezone.now())
        try:
            connection.send_messages([message])
        except Exception:
            # The server answered with a refusal: nothing arrived, so it may be tried again.
            Notification.objects.filter(pk=notification.pk).update(handed_over_at=None)
            raise
    finally:
        connection.close()
    Notification.objects.filter(pk=notification.pk).update(sent_at=timezone.now())
    return "sent"


def notification_retry_allow(arguments: dict) -> None:
    """An administrator retries an interrupted hand-over, accepting a possible second copy."""
    Notification.objects.filter(pk=arguments["notification_id"], sent_at__isnull=True).update(
        handed_over_at=None
    )


def reminders_send(*, now: datetime | None = None) -> list[Notification]:
    """Record the due-date reminders due today (a week before, the day before, once overdue)
    for unfinished enrolments with a due date. Idempotent: each reminder has a ledger key, so
    two schedulers, or two runs, record and send it once."""
    from courses.models import Enrolment

    today = timezone.localdate(now or timezone.now())
    enrolments = list(
        Enrolment.objects.filter(
            due_date__isnull=False,
            due_date__lte=today + timedelta(days=7),
            completed_at__isnull=True,
            user__is_active=True,
            course__live=True,
        ).select_related("user", "course")
    )
    wanted = {}
    for enrolment in enrolments:
        due = enrolment.due_date
        assert due is not None  # filtered above
        stage = rules.reminder_stage(due_date=due, today=today)
        if stage is not None:
            key = rules.reminder_key(stage=stage, enrolment_id=enrolment.pk, due_date=due)
            wanted[key] = (enrolment, stage, due)
    existing = set(Notification.objects.filter(key__in=list(wanted)).values_list("key", flat=True))
    made = []
    for key, (enrolment, stage, due) in wanted.items():
        if key in existing:
            continue
        notification = notification_send(
            kind="due_reminder",
            recipient=enrolment.user,
            key=key,
            params={
                "course_id": enrolment.course_id,
                "course_title": enrolment.course.title,
                "due_date": due.isoformat(),
                "stage": stage,
            },
        )
        if notification is not None:
            made.append(notification)
    return made


def reminders_send_now() -> int:
    return len(reminders_send())


def email_topics_set(*, user, receive: Sequence[str]) -> None:
    """Keep the topics of TOPICS that `user` receives; the others are turned off."""
    with transaction.atomic():
        EmailOptOut.objects.filter(user=user).exclude(topic__in=list(TOPICS)).delete()
        EmailOptOut.objects.filter(user=user, topic__in=list(receive)).delete()
        off = [topic for topic in TOPICS if topic not in receive]
        EmailOptOut.objects.bulk_create(
            [EmailOptOut(user=user, topic=topic) for topic in off], ignore_conflicts=True
        )


def email_topics_received(*, user) -> list[str]:
    off = set(EmailOptOut.objects.filter(user=user).values_list("topic", flat=True))
    return [topic for topic in TOPICS if topic not in off]


def workshop_invitation_send(
    *,
    user,
    workshop_key: str,
    title: str,
    sessions: Sequence[WorkshopSession],
    time_zone: str,
    url: str = "",
) -> Notification | None:
    """Invite `user` to a workshop: an e-mail with the agenda in `time_zone` (an IANA name,
    e.g. "Africa/Niamey") and an iCalendar attachment. The one call the workshops app makes,
    with plain values: `title` in the participant's language, sessions with UTC times.
    `workshop_key` names the workshop for good (e.g. its slug): one invitation per person."""
    return notification_send(
        kind="workshop_invitation",
        recipient=user,
        key=f"workshop:{workshop_key}:{user.pk}",
        params={
            "workshop_key": workshop_key,
            "title": title,
            "sessions": [session.to_json() for session in sessions],
            "time_zone": time_zone,
            "url": url,
            "sent_on": timezone.now().isoformat(),
        },
    )
