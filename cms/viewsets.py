from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .forms import TadribUserCreationForm, TadribUserEditForm
from .models import Organisation


class UserViewSet(WagtailUserViewSet):
    create_template_name = "cms/admin/user_create.html"
    edit_template_name = "cms/admin/user_edit.html"

    def get_form_class(self, for_update=False):
        return TadribUserEditForm if for_update else TadribUserCreationForm


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    menu_order = 610
    add_to_settings_menu = True
    list_display = ["name", "country", "parent"]
    list_filter = ["country"]
    search_fields = ["name_en", "name_fr", "name_ar"]
    form_fields = ["name_en", "name_fr", "name_ar", "country", "parent"]
