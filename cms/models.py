from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Exists
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult

from .fields import SanitizedRichTextField
from .page_forms import TadribPageForm


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
    # An officer's name as their documents write it, in each script they use; certificates
    # show both where present (first and last name stay the account's working name).
    full_name_arabic = models.CharField(_("full name in Arabic script"), max_length=200, blank=True)
    full_name_latin = models.CharField(_("full name in Latin script"), max_length=200, blank=True)
    # The zone times are shown in (workshop agendas); empty: each page's own default.
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_("Times are shown in this zone. Empty: the workshop's own time zone."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # The order of learners in reports: a page of a course matrix reads 50 users in it
        # instead of sorting every enrolment (docs/performance.md).
        indexes = [
            models.Index(
                fields=["last_name", "first_name", "username", "id"], name="user_report_order"
            )
        ]


class ViewRestrictionShortcutMixin:
    """Skip Wagtail's per-request privacy query while no page has a view restriction.

    Wagtail's privacy hook asks `get_view_restrictions()` of every page served (a query).
    Tadrib keeps course content private by sign-in, so restrictions are rare. The routing query
    (`HomePage.route_by_url_path`) also asks the database whether any restriction exists at
    all, in the same statement, so the answer is never stale in any worker; pages reached any
    other way take Wagtail's full check. Kept because lesson pages depend on it: remembered
    routes (`cms.page_cache.remember_route`) are only taken on that same answer.
    """

    def get_view_restrictions(self):
        if getattr(self, "any_view_restriction", True) is False:
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class HomePage(ViewRestrictionShortcutMixin, Page):
    """The site's front page: what Tadrib is, and an invitation to sign in."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    body = SanitizedRichTextField(
        _("body"), blank=True, features=["bold", "italic", "ol", "ul", "link"]
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    base_form_class = TadribPageForm
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from .home_sections import home_sections  # deferred: apps register when ready

        context = super().get_context(request, *args, **kwargs)
        # What this reader is doing (their courses), never the visitors' text; see
        # docs/learner-pages.md. Never a shell: it is rendered for the one reader.
        context["home_sections"] = home_sections(request)
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if request.user.is_authenticated:
            # One reader's courses: no shared cache (a proxy, the browser's for another
            # account on a shared computer) may keep or serve it.
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ("Cookie",))
        return response

    def route_by_url_path(self, request, path_components) -> RouteResult | None:
        """Find a live descendant by its translated URL path in one query, or None.

        Wagtail's routing (as wagtail-modeltranslation replaces it) walks the tree a level at
        a time, loading each level's pages, and lesson pages sit four levels down. Kept for
        lesson pages: it is their first visit's route, and it tells remembered routes whether
        any view restriction exists. `CmsConfig.ready` installs this in front of the translated
        default, which still serves anything not found here.
        """
        if path_components:
            language = translation.get_language() or settings.LANGUAGE_CODE
            url_path = self.url_path + "/".join(path_components) + "/"
            field = f"url_path_{language}" if language in dict(settings.LANGUAGES) else "url_path"
            page = (
                Page.objects.live()
                .filter(**{field: url_path}, path__startswith=self.path)
                .annotate(any_view_restriction=Exists(PageViewRestriction.objects.all()))
                .specific()
                .first()
            )
            if page is not None:
                return RouteResult(page)
        return None


class ContentGeneration(models.Model):
    """A single counter that moves whenever anything a cached page depends on changes.

    Bumped in the same transaction as the change (see `cms.page_cache`), read with one indexed
    row per request: every worker, on every app server, sees a publish the moment it commits,
    without a shared cache or a message between processes.
    """

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("content generation")
