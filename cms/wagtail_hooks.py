from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

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


class _PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_settings_menu_item")
def register_user_import_menu_item():
    return _PermissionMenuItem(
        _("Import users"),
        reverse("cms_user_import"),
        icon_name="user",
        order=601,
        permission="cms.add_user",
    )
