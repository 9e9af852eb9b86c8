from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from cms.admin_menu import SuperuserMenuItem

from .admin_views import HeldBeforeChangeView, RevokeView
from .models import Certificate


class CertificatePermissionPolicy(ModelPermissionPolicy):
    """Certificates are issued by completing, never typed in, edited or deleted: the admin
    lists and inspects them (administrators) and revokes them through its own view."""

    READ_ONLY = {"view", "inspect"}

    def user_has_permission(self, user, action):
        return action in self.READ_ONLY and user.is_active and user.is_superuser

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Certificate, CertificatePermissionPolicy(Certificate))


class RevokeColumn(Column):
    cell_template_name = "certificates/admin/revoke_cell.html"


class CertificateViewSet(ModelViewSet):
    model = Certificate
    # The public pages own the "certificates" URL namespace.
    url_namespace = "certificates_admin"
    icon = "doc-full"
    menu_label = _("Certificates")
    menu_order = 260
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        TitleColumn("serial", label=_("Serial"), url_name="certificates_admin:inspect"),
        Column("admin_summary", label=_("Certificate")),
        Column("admin_state", label=_("Status")),
        RevokeColumn("revoke", label=_("Revoke")),
    ]
    list_filter = ["course", "language", "revocation_reason"]
    search_fields = ["serial", "holder_name_latin", "holder_name_arabic", "holder__username"]
    inspect_view_fields = [
        "serial",
        "holder",
        "holder_name_arabic",
        "holder_name_latin",
        "course",
        "language",
        "hours",
        "grade",
        "completed_at",
        "issued_at",
        "valid_until",
        "round",
        "supersedes",
        "revoked_at",
        "revocation_reason",
        "revocation_note",
        "revoked_by",
    ]
    # Never added, edited or deleted here (the policy refuses too): no form, no such routes.
    form_fields = ["revocation_note"]
    ROUTES = {"index", "index_results", "inspect", "history", "history_results", "usage"}

    def get_urlpatterns(self):
        return [pattern for pattern in super().get_urlpatterns() if pattern.name in self.ROUTES]


certificate_viewset = CertificateViewSet("certificates")


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return certificate_viewset


@hooks.register("register_admin_urls")
def register_certificate_urls():
    return [
        path("certificates/revoke/<int:pk>/", RevokeView.as_view(), name="certificates_revoke"),
        path(
            "certificates/held-before-change/",
            HeldBeforeChangeView.as_view(),
            name="certificates_held_before_change",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_held_before_change_menu_item():
    return SuperuserMenuItem(
        _("Certificates before a course change"),
        reverse("certificates_held_before_change"),
        icon_name="doc-full",
        order=710,
    )
