"""The audit trail in the admin: a read-only listing, for superusers, of sentences."""

import django_filters
from django.contrib.auth.models import Permission
from django.urls import path
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from .audit_trail import entries_describe
from .models import AuditEntry


class AuditTrailPolicy(BasePermissionPolicy):
    """Superusers read the trail; nobody changes it through the admin, superusers included."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_superuser

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        if "view" not in actions:
            return get_user_model().objects.none()
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


class AuditFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(label=_("Action"), choices=AuditEntry.Action.choices)
    user = django_filters.CharFilter(
        label=_("User name"), field_name="username", lookup_expr="iexact"
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Date (UTC)"), widget=DateRangePickerWidget
    )

    class Meta:
        model = AuditEntry
        fields = []


class AuditIndexView(IndexView):
    page_title = _("Audit trail")
    default_ordering = "-created_at"

    @cached_property
    def columns(self):
        return [
            Column(
                "created_at",
                label=_("Time (UTC)"),
                accessor=lambda entry: date_format(entry.created_at, "Y-m-d H:i:s"),
                sort_key="created_at",
                width="12em",
            ),
            Column("sentence", label=_("What happened"), accessor="sentence"),
            Column(
                "ip_address", label=_("Address"), accessor="ip_address", classname="audit-address"
            ),
        ]

    def get_valid_orderings(self):
        return ["created_at", "-created_at"]

    def order_queryset(self, queryset):
        # Entries written in the same second stay in the order they were written.
        return queryset.order_by(self.ordering, "-pk" if self.ordering[0] == "-" else "pk")

    def get_table(self, object_list):
        return super().get_table(entries_describe(object_list))


class AuditEntryViewSet(ModelViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = _("Audit trail")
    menu_order = 610
    add_to_settings_menu = True
    index_view_class = AuditIndexView
    list_per_page = 50
    filterset_class = AuditFilterSet

    def get_urlpatterns(self):
        # Read only: a listing, and no add, edit or delete page.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]

    def get_permissions_to_register(self):
        # The policy above decides; group permissions for the trail would mean nothing.
        return Permission.objects.none()
