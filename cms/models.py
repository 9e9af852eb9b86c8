from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class Organisation(models.Model):
    """An agency (or a unit of one) whose officers use the platform."""

    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        help_text=_("Set for a unit of a larger agency."),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )

    panels = [FieldPanel("name"), FieldPanel("country"), FieldPanel("parent")]

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country"], name="unique_organisation_per_country"
            )
        ]

    def __str__(self):
        if self.parent_id:
            return f"{self.parent} › {self.name}"
        return self.name


class User(AbstractUser):
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the site opens in after signing in."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")


class HomePage(Page):
    """The site's front page: what Tadrib is, and an invitation to sign in."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    body = RichTextField(_("body"), blank=True, features=["bold", "italic", "ol", "ul", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
