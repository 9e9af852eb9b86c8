from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages

from .admin_menu import PermissionMenuItem
from .admin_views import UserImportLinksView, UserImportView
from .viewsets import OrganisationViewSet


@hooks.register("register_admin_viewset")
def register_organisation_viewset():
    return OrganisationViewSet("organisations")


@hooks.register("register_admin_urls")
def register_user_import_url():
    return [
        path("users/import/", UserImportView.as_view(), name="cms_user_import"),
        path("users/import/links/", UserImportLinksView.as_view(), name="cms_user_import_links"),
    ]


@hooks.register("register_settings_menu_item")
def register_user_import_menu_item():
    return PermissionMenuItem(
        _("Import users"),
        reverse("cms_user_import"),
        icon_name="user",
        order=601,
        permission="cms.add_user",
    )


@hooks.register("insert_global_admin_css")
def language_direction_css():
    return format_html('<link rel="stylesheet" href="{}">', static("cms/admin-languages.css"))


# Unfinished drafts shown on an "add page" form, most recent first.
DRAFTS_SHOWN = 3


@hooks.register("before_create_page")
def notice_unfinished_drafts(request, parent_page, page_class):
    """Wagtail's autosave creates a draft page as soon as an "add page" form holds a title, so
    a form left half-way leaves a draft behind, and starting again with the same title clashes
    with its address. The trainer who comes back is shown their unpublished drafts here first,
    to go on with one or delete it."""
    if request.method != "GET":
        return None
    drafts = (
        parent_page.get_children()
        .filter(owner=request.user, live=False, first_published_at__isnull=True)
        .order_by("-latest_revision_created_at")[:DRAFTS_SHOWN]
    )
    for draft in drafts:
        started = draft.latest_revision_created_at or draft.first_published_at
        messages.warning(
            request,
            _(
                "You started “%(title)s” here (last saved %(date)s) and have not published it: "
                "it is kept as a draft. Go on with it rather than starting again, or delete it."
            )
            % {
                "title": draft.get_admin_display_title(),
                "date": formats.date_format(timezone.localtime(started), "DATETIME_FORMAT")
                if started
                else "",
            },
            buttons=[
                messages.button(
                    reverse("wagtailadmin_pages:edit", args=[draft.pk]), _("Continue this draft")
                ),
                messages.button(
                    reverse("wagtailadmin_pages:delete", args=[draft.pk]), _("Delete the draft")
                ),
            ],
        )
    return None
