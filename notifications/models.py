"""The ledger of e-mails (one row per message, recorded once per key) and the kinds of e-mail
each person has turned off."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One e-mail to one person. `key` names the event it tells of (a reminder's stage, due
    date and enrolment; a certificate…), so the same event never mails twice, however many
    schedulers, workers or retries there are."""

    # A record of what someone did, not content: Wagtail's usage index has nothing to learn
    # from it, and would cost queries on every write (docs/performance.md).
    wagtail_reference_index_ignore = True

    key = models.CharField(_("key"), max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Set just before the message goes to the mail server, cleared if the server refuses it:
    # set without `sent_at` means the worker stopped during the hand-over.
    handed_over_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # Why nothing was sent (turned off, no address, account closed), or empty.
    skipped = models.CharField(_("not sent because"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        indexes = [models.Index(fields=["recipient", "kind"])]

    def __str__(self):
        return self.key


class EmailOptOut(models.Model):
    """`user` does not want e-mails about `topic` (see notifications.kinds.TOPICS)."""

    # A record of what someone did, not content: Wagtail's usage index has nothing to learn
    # from it, and would cost queries on every write (docs/performance.md).
    wagtail_reference_index_ignore = True

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="unique_email_opt_out")
        ]

    def __str__(self):
        return f"{self.user_id} · {self.topic}"
