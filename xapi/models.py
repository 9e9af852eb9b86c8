"""The outbox of learning records: one row per statement, kept until the LRS has it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Statement(models.Model):
    """An xAPI statement to deliver. `id` is the statement's id, derived from the event
    (uuid5), so recording an event twice keeps one row and the LRS recognises a resend.
    `verb` and `facts` say what happened; the statement is built when delivered."""

    id = models.UUIDField(primary_key=True)
    verb = models.CharField(_("verb"), max_length=32)
    facts = models.JSONField(default=dict)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    # A delivery in progress holds the row until `claimed_until`, so two workers never post
    # the same batch at once.
    claim = models.UUIDField(null=True, blank=True, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    # The LRS refused it (400/409): kept for inspection, never sent again.
    rejected = models.TextField(_("refused by the LRS"), blank=True)

    class Meta:
        verbose_name = _("learning record")
        verbose_name_plural = _("learning records")
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self):
        return f"{self.verb} {self.id}"
