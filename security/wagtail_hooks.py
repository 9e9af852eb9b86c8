from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from cms.admin_menu import SuperuserMenuItem

from . import admin_views
from .models import AuditEntry
from .viewsets import AuditEntryViewSet, AuditTrailPolicy

# Before the viewset asks for one, or Wagtail would make the default model policy.
register_permission_policy(AuditEntry, AuditTrailPolicy(AuditEntry))


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return AuditEntryViewSet("audit", url_prefix="security/audit")


@hooks.register("register_admin_urls")
def register_security_urls():
    return [
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


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return SuperuserMenuItem(
        _("Sign-in lockouts"), reverse("security_lockouts"), icon_name="lock", order=611
    )


@hooks.register("register_settings_menu_item")
def register_personal_data_menu_item():
    return SuperuserMenuItem(
        _("Personal data"), reverse("security_personal_data"), icon_name="user", order=612
    )
