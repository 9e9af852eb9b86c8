from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel

from cms.models import Organisation


class ManagerScope(models.Model):
    """Whose learners a manager may see, beyond the default of their own organisation and its
    units: whole organisations (with their units) and whole countries, set by an administrator."""

    manager = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.CASCADE,
        related_name="manager_scope",
    )
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("organisations"),
        blank=True,
        related_name="+",
        help_text=_("Learners of these organisations and of their units."),
    )
    countries = CountryField(
        _("countries"), multiple=True, blank=True, help_text=_("All learners in these countries.")
    )
    include_own_organisation = models.BooleanField(_("include own organisation"), default=True)

    panels = [
        FieldPanel("manager"),
        FieldPanel("include_own_organisation"),
        FieldPanel("organisations"),
        FieldPanel("countries"),
    ]

    class Meta:
        # The model moved here from cms; its rows stayed where they were.
        db_table = "cms_managerscope"
        verbose_name = _("manager scope")
        verbose_name_plural = _("manager scopes")

    def __str__(self):
        return str(self.manager)
