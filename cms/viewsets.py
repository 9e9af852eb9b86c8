from django.conf import settings
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail.snippets.widgets import AdminSnippetChooser
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


def _translated(message: str, **values) -> str:
    return gettext(message) % values


_lazy_translated = lazy(_translated, str)


class TranslatedSnippetViewSet(SnippetViewSet):
    """A snippet viewset whose words follow each request's language.

    Wagtail builds a snippet viewset's breadcrumbs and form class once, when the admin's URLs
    are first loaded, and words both with an immediate `gettext` in whatever language was
    active then: the French and Arabic admin read "Home" and "Choose question category". Here
    the breadcrumbs and the snippet choosers' button texts are translated when rendered.
    """

    @property
    def breadcrumbs_items(self):
        items = [{"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Home")}]
        if (
            getattr(settings, "WAGTAILSNIPPETS_MENU_SHOW_ALL", False)
            or not self.get_menu_item_is_registered()
        ):
            items.append(
                {"url": reverse_lazy("wagtailsnippets:index"), "label": gettext_lazy("Snippets")}
            )
        return items

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update=for_update)
        forms = [form_class, *(formset.form for formset in form_class.formsets.values())]
        for form in forms:
            for field in form.base_fields.values():
                if isinstance(field.widget, AdminSnippetChooser):
                    _translate_chooser(field.widget)
        return form_class


def _translate_chooser(widget: AdminSnippetChooser) -> None:
    name = widget.model._meta.verbose_name
    widget.choose_one_text = _lazy_translated("Choose %(object)s", object=name)
    widget.choose_another_text = _lazy_translated("Choose another %(object)s", object=name)
    widget.link_to_chosen_text = _lazy_translated("Edit this %(object)s", object=name)
