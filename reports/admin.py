"""The admin screens of the reports app: manager scopes, which administrators set (Settings
menu). Registered in wagtail_hooks.py."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.model import ModelViewSet

from cms.models import User
from cms.roles import GROUP_NAMES, Role

from .models import ManagerScope


class ManagerScopeForm(WagtailAdminModelForm):
    class Meta:
        model = ManagerScope
        fields = ["manager", "include_own_organisation", "organisations", "countries"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = User.objects.filter(
            groups__name=GROUP_NAMES[Role.MANAGER]
        ).order_by("username")
        self.fields["manager"].help_text = _("Only members of the Managers group are listed.")


class ManagerScopeViewSet(ModelViewSet):
    model = ManagerScope
    form_class = ManagerScopeForm
    icon = "group"
    menu_order = 620
    add_to_settings_menu = True
    list_display = ["manager", "include_own_organisation"]
    search_fields = ["manager__username", "manager__last_name"]


manager_scope_viewset = ManagerScopeViewSet("manager_scopes")
