from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def register_security_urls():
    return [
        path("security/audit/", admin_views.AuditIndexView.as_view(), name="security_audit"),
        path(
            "security/lockouts/", admin_views.LockoutIndexView.as_view(), name="security_lockouts"
        ),
        path(
            "security/personal-data/",
            admin_views.PersonalDataView.as_view(),
            name="security_personal_data",
        ),
        path(
            "security/personal-data/<int:user_id>/export/",
            admin_views.personal_data_export,
            name="security_personal_data_export",
        ),
        path(
            "security/personal-data/<int:user_id>/erase/",
            admin_views.PersonalDataEraseView.as_view(),
            name="security_personal_data_erase",
        ),
    ]


class _SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_audit_menu_item():
    return _SuperuserMenuItem(
        _("Audit trail"), reverse("security_audit"), icon_name="history", order=610
    )


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return _SuperuserMenuItem(
        _("Sign-in lockouts"), reverse("security_lockouts"), icon_name="lock", order=611
    )


@hooks.register("register_settings_menu_item")
def register_personal_data_menu_item():
    return _SuperuserMenuItem(
        _("Personal data"), reverse("security_personal_data"), icon_name="user", order=612
    )
