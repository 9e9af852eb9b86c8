from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("E-mail notifications")

    def ready(self):
        from cms.account_sections import account_section_register
        from tasks.registry import JobKind, Periodic, job_kind_register, periodic_register

        from . import receivers  # noqa: F401
        from .services import (
            DELIVER,
            notification_deliver,
            notification_retry_allow,
            reminders_send_now,
        )
        from .views import preferences_section

        job_kind_register(
            JobKind(
                name=DELIVER,
                run=notification_deliver,
                describe=describe_delivery,
                before_retry=notification_retry_allow,
            )
        )
        job_kind_register(
            JobKind(
                name="notifications.reminders",
                run=reminders_send_now,
                describe=lambda arguments: _("Send the reminders of due dates"),
            )
        )
        periodic_register(
            Periodic(name="reminders", every_seconds=3600, kind="notifications.reminders")
        )
        account_section_register(preferences_section)
        if apps.is_installed("certificates"):
            # Renewal invitations (certificates_invite_renewals) are recorded daily here; each
            # recorded invitation is then mailed (receivers.renewal_was_invited).
            job_kind_register(
                JobKind(
                    name="certificates.renewals",
                    run=_invite_renewals,
                    describe=lambda arguments: _(
                        "Invite holders of expiring certificates to renew"
                    ),
                )
            )
            periodic_register(
                Periodic(name="renewals", every_seconds=86400, kind="certificates.renewals")
            )


def _invite_renewals() -> int:
    from django.utils import timezone

    from certificates.services import certificates_invite_renewals

    return len(certificates_invite_renewals(now=timezone.now()))


def describe_delivery(arguments: dict):
    from django.urls import reverse
    from django.utils.html import format_html

    from .kinds import email_kind

    label = email_kind(arguments["kind"]).label
    return format_html(
        _("E-mail “{kind}” to {person}"),
        kind=label,
        person=format_html(
            '<a href="{}">{}</a>',
            reverse("wagtailusers_users:edit", args=[arguments["user_id"]]),
            arguments["recipient"],
        ),
    )
