"""What a learner's browser sent from its offline queue, kept so each item counts once."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReceivedAction(models.Model):
    """One queued action (a completion, a quiz submission) made on the learner's device.

    The browser makes `client_id` when the learner acts; a retried or duplicated send carries
    the same id and gets the stored `outcome` back instead of acting again.
    """

    # A record of what someone did, not content: Wagtail's usage index has nothing to learn
    # from it, and would cost queries on every write (docs/performance.md).
    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        COMPLETE = "complete", _("module completion")
        QUIZ_SUBMIT = "quiz-submit", _("quiz submission")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offline_actions"
    )
    client_id = models.UUIDField(_("client id"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # When the learner acted, by the device's clock (shown back to them, never trusted).
    client_at = models.DateTimeField(_("made on the device at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    outcome = models.JSONField(_("outcome"), default=dict)

    class Meta:
        verbose_name = _("offline action")
        verbose_name_plural = _("offline actions")
        constraints = [
            models.UniqueConstraint(fields=["user", "client_id"], name="offline_action_once")
        ]

    def __str__(self):
        return f"{self.kind} {self.client_id}"
