"""The audit trail in the admin: a read-only listing, for superusers, of sentences."""

import django_filters
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column

from cms.viewsets import RecordIndexView, RecordViewSet, SuperuserPolicy

from .audit_trail import entries_describe
from .models import AuditEntry


class AuditTrailPolicy(SuperuserPolicy):
    """Superusers read the trail; nobody changes it through the admin, superusers included."""


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


class AuditIndexView(RecordIndexView):
    page_title = _("Audit trail")

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

    def get_table(self, object_list):
        return super().get_table(entries_describe(object_list))


class AuditEntryViewSet(RecordViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = _("Audit trail")
    menu_order = 610
    index_view_class = AuditIndexView
    filterset_class = AuditFilterSet
