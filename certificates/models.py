import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from . import rules


class RevocationReason(models.TextChoices):
    ISSUED_IN_ERROR = "issued_in_error", _("Issued in error")
    MISCONDUCT = "misconduct", _("Obtained by fraud or misconduct")
    HOLDER_REQUEST = "holder_request", _("At the holder's request")
    COURSE_WITHDRAWN = "course_withdrawn", _("Training withdrawn")
    OTHER = "other", _("Other reason")


def state_labels() -> dict[rules.State, str]:
    """Each state's name, in the active language."""
    return {
        rules.State.VALID: str(_("Valid")),
        rules.State.EXPIRED: str(_("Expired")),
        rules.State.REVOKED: str(_("Revoked")),
    }


class Kind(models.TextChoices):
    COURSE = "course", _("Course")
    WORKSHOP = "workshop", _("Workshop")


class Certificate(models.Model):
    """Proof that someone completed a course (and, later, a workshop).

    Everything shown on the certificate is copied here when it is issued (names, title, hours,
    issuer), so it reads the same years later whatever happens to the course or the account.
    A renewal is a new certificate with the next `round` that `supersedes` the previous one:
    at most one certificate per holder, course and round (a workshop certificate will be one
    more optional foreign key with the same constraint; docs/certificates.md).
    """

    # A record of what someone did, not content: Wagtail's usage index has nothing to learn
    # from it, and would cost queries on every write (docs/performance.md).
    wagtail_reference_index_ignore = True

    serial = models.CharField(_("serial"), max_length=24, unique=True)
    credential_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A workshop certificate (docs/certificates.md): named by app label, never imported —
    # the `workshop_certificates` app plugs workshops in through `certificates.sources`.
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.COURSE)
    # A workshop's first and last day (in its own time zone) and venue, as when issued; an
    # empty venue country with dates means online.
    starts_on = models.DateField(_("first day"), null=True, blank=True)
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    venue_country = models.CharField(_("venue country"), max_length=2, blank=True)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("renews"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_by",
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    holder_name_arabic = models.CharField(_("name in Arabic script"), max_length=200, blank=True)
    holder_name_latin = models.CharField(_("name in Latin script"), max_length=200, blank=True)
    # {"en": …, "fr": …, "ar": …}, as they read when the certificate was issued.
    title = models.JSONField(_("title"), default=dict)
    issuer_name = models.JSONField(_("issuing organisation"), default=dict)
    hours = models.DecimalField(
        _("nominal hours"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    grade = models.DecimalField(
        _("final grade (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    completed_at = models.DateTimeField(_("completed"))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.CharField(
        _("reason for revocation"), max_length=32, choices=RevocationReason.choices, blank=True
    )
    revocation_note = models.TextField(
        _("note"), blank=True, help_text=_("For administrators; never shown in public.")
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The signed Open Badges 3.0 credential exactly as issued (certificates.credentials).
    credential = models.JSONField(default=dict, editable=False)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "course", "round"],
                condition=Q(course__isnull=False),
                name="unique_course_certificate_round",
            ),
            models.UniqueConstraint(
                fields=["holder", "workshop", "round"],
                condition=Q(workshop__isnull=False),
                name="unique_workshop_certificate_round",
            ),
            models.CheckConstraint(
                condition=~(Q(course__isnull=False) & Q(workshop__isnull=False)),
                name="certificate_names_one_course_or_workshop",
            ),
        ]
        indexes = [
            models.Index(fields=["course", "issued_at"]),
            models.Index(fields=["workshop", "issued_at"]),
        ]

    def __str__(self):
        return self.serial

    def title_in(self, language: str) -> str:
        """The title in `language`, else in the certificate's own language, else English."""
        for code in (language, self.language, settings.LANGUAGE_CODE):
            if self.title.get(code):
                return self.title[code]
        return next(iter(self.title.values()), "")

    def issuer_in(self, language: str) -> str:
        for code in (language, self.language, settings.LANGUAGE_CODE):
            if self.issuer_name.get(code):
                return self.issuer_name[code]
        return settings.WAGTAIL_SITE_NAME

    @property
    def current_title(self) -> str:
        return self.title_in(translation.get_language() or settings.LANGUAGE_CODE)

    @property
    def current_issuer(self) -> str:
        return self.issuer_in(translation.get_language() or settings.LANGUAGE_CODE)

    def admin_summary(self) -> str:
        """One sentence for lists: who, what, when."""
        names = " / ".join(self.holder_names) or _("(name erased)")
        return _("%(names)s — %(title)s, issued %(date)s") % {
            "names": names,
            "title": self.current_title,
            "date": date_format(self.issued_at, "DATE_FORMAT"),
        }

    def admin_state(self) -> str:
        return state_labels()[self.state()]

    @property
    def is_workshop(self) -> bool:
        return self.kind == Kind.WORKSHOP

    def venue_in(self, language: str) -> str:
        """Where the workshop was held: the country's name in `language`, or "online"."""
        from django_countries import countries

        with translation.override(language):
            if self.venue_country:
                return str(countries.name(self.venue_country))
            return str(_("online"))

    @property
    def current_venue(self) -> str:
        return self.venue_in(translation.get_language() or settings.LANGUAGE_CODE)

    def state(self, now=None) -> rules.State:
        return rules.state_of(
            revoked=self.revoked_at is not None,
            valid_until=self.valid_until,
            now=now or timezone.now(),
        )

    @property
    def holder_names(self) -> list[str]:
        return self.names_for(translation.get_language() or settings.LANGUAGE_CODE)

    def names_for(self, language: str) -> list[str]:
        """The holder's names, the one in the script of `language` first."""
        names = [self.holder_name_arabic, self.holder_name_latin]
        if language != "ar":
            names.reverse()
        return [name for name in names if name]


class RenewalInvitation(models.Model):
    """A holder was invited (and re-enrolled) to renew a certificate, once per window."""

    # A record of what someone did, not content: Wagtail's usage index has nothing to learn
    # from it, and would cost queries on every write (docs/performance.md).
    wagtail_reference_index_ignore = True

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="renewal_invitations"
    )
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    refresher = models.ForeignKey(
        "courses.CoursePage", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)

    class Meta:
        verbose_name = _("renewal invitation")
        verbose_name_plural = _("renewal invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "days_before"], name="unique_renewal_invitation"
            )
        ]

    def __str__(self):
        return f"{self.certificate} · {self.days_before}"


@register_setting(icon="doc-full")
class IssuerSettings(BaseGenericSetting):
    """Who issues the certificates: printed on each and named in every credential."""

    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    name_fr = models.CharField(_("name in French"), max_length=200, blank=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=200, blank=True)
    url = models.URLField(_("website"), blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("name_en"), FieldPanel("name_fr"), FieldPanel("name_ar")],
            heading=_("Issuing organisation"),
        ),
        FieldPanel("url"),
    ]

    class Meta:
        verbose_name = _("certificate issuer")

    def names(self) -> dict[str, str]:
        """The organisation's name per language; the site's name where none is set."""
        fallback = self.name_en or settings.WAGTAIL_SITE_NAME
        return {
            code: getattr(self, f"name_{code}", "") or fallback for code, _n in settings.LANGUAGES
        }
