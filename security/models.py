"""The audit trail, the record of account lockouts, and sessions, all kept in the database."""

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One security-relevant event. Written only through `security.audit.audit_log`."""

    # A record of what someone did, not content: Wagtail's usage index has nothing to learn
    # from it, and would cost queries on every write (docs/performance.md).
    wagtail_reference_index_ignore = True

    class Action(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        SIGN_OUT = "sign_out", _("Signed out")
        LOCKOUT = "lockout", _("Locked out")
        LOCKOUT_LIFTED = "lockout_lifted", _("Lockout lifted")
        SECOND_FACTOR_ENROLLED = "2fa_enrolled", _("Two-factor enrolled")
        SECOND_FACTOR_VERIFIED = "2fa_verified", _("Two-factor verified")
        SECOND_FACTOR_FAILED = "2fa_failed", _("Two-factor code refused")
        SECOND_FACTOR_REMOVED = "2fa_removed", _("Two-factor removed")
        PERMISSION_DENIED = "denied", _("Permission denied")
        PAGE_PUBLISHED = "page_published", _("Page published")
        QUIZ_SUBMITTED = "quiz_submitted", _("Quiz submitted")
        REPORT_EXPORTED = "report_exported", _("Report exported")
        COURSE_IMPORTED = "course_imported", _("Course imported")
        USERS_IMPORTED = "users_imported", _("Users imported")
        ROLE_CHANGED = "role_changed", _("Role changed")
        DATA_EXPORTED = "data_exported", _("Personal data exported")
        USER_ERASED = "user_erased", _("Learner erased")
        PASSWORD_RESET_SENT = "password_reset_sent", _("Password reset link sent")
        PASSWORD_RESET_UNKNOWN = "password_reset_unknown", _("Password reset for no account")
        PASSWORD_RESET_THROTTLED = "password_reset_throttled", _("Password reset refused")
        PASSWORD_SET = "password_set", _("Password set from a link")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
        CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate revoked")

    created_at = models.DateTimeField(_("time (UTC)"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What the user was called at the time (or the name typed on a failed sign-in).
    username = models.CharField(_("user name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    # Facts the sentence in the audit trail is made of (an attempt's number and score, a
    # lockout's scope), kept as they were when it happened (security.audit_trail).
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="audit_user_time")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action} {self.username}"


class Lockout(models.Model):
    """A lockout that happened, so administrators can list and lift it. Sign-in refuses while
    one applies (`security.lockout.is_locked`), so lifting it ends it at once on every server."""

    # A record of what someone did, not content: Wagtail's usage index has nothing to learn
    # from it, and would cost queries on every write (docs/performance.md).
    wagtail_reference_index_ignore = True

    class Scope(models.TextChoices):
        ACCOUNT_ADDRESS = "account_address", _("Account, from one address")
        ACCOUNT = "account", _("Account, from every address")
        ADDRESS = "address", _("Address, for every account")

    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices)
    # The user name as typed, in lower case; empty for an address lockout.
    username = models.CharField(_("user name"), max_length=150, blank=True)
    # Empty for an account lockout.
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("locked at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("locked until"), db_index=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lockout")
        verbose_name_plural = _("lockouts")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["username", "expires_at"], name="lockout_username")]

    def __str__(self):
        return " @ ".join(part for part in (self.username, self.address) if part)


class AttemptCounter(models.Model):
    """How many times something was tried in a fixed window (failed sign-ins, password-reset
    requests), shared by every worker and server because it is in the database, and raised
    with one atomic UPDATE. Written only through `security.throttle`."""

    # A digest of what is counted, never the user name or address itself.
    key = models.CharField(max_length=96, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_ends = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("attempt counter")
        verbose_name_plural = _("attempt counters")

    def __str__(self):
        return f"{self.key}: {self.count}"


class Session(AbstractBaseSession):
    """A session, as Django's database sessions keep it, with the id of the user it signs in
    (the session data's `_auth_user_id`, written with it on every save): so one statement
    reads a request's session and its user (`security.sessions`).

    A plain column, not a foreign key: nothing about a user points at their sessions (the
    personal-data export never sees them), and a deleted user's session signs nobody in.
    """

    user_id = models.BigIntegerField(null=True, db_index=True, editable=False)

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
