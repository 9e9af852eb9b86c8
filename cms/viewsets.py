import django_filters
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Prefetch
from django.urls import path, reverse_lazy
from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail.snippets.widgets import AdminSnippetChooser
from wagtail.users.views import users as wagtail_users
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .forms import TadribUserCreationForm, TadribUserEditForm
from .models import Organisation
from .roles import GROUP_NAMES, Role

_ROLE_BY_GROUP = {name: role for role, name in GROUP_NAMES.items()}


def organisation_and_units(organisation: Organisation) -> set[int]:
    """`organisation` and every unit under it, at any depth (one query)."""
    children: dict[int, list[int]] = {}
    for pk, parent_id in Organisation.objects.values_list("pk", "parent_id"):
        if parent_id is not None:
            children.setdefault(parent_id, []).append(pk)
    found, todo = set(), [organisation.pk]
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, []))
    return found


class UserFilterSet(wagtail_users.UserFilterSet):
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Role.choices, method="filter_role", empty_label=_("Any role")
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.select_related("parent"),
        method="filter_organisation",
        empty_label=_("Any organisation"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        field_name="organisation__country",
        choices=lambda: list(countries),
        empty_label=_("Any country"),
    )

    class Meta(wagtail_users.UserFilterSet.Meta):
        fields = []

    def filter_role(self, queryset, name, value):
        return queryset.filter(groups__name=GROUP_NAMES[Role(value)])

    def filter_organisation(self, queryset, name, value):
        # Units belong with their organisation, as in managers' scope.
        return queryset.filter(organisation__in=organisation_and_units(value))


class UserIndexView(wagtail_users.IndexView):
    """Wagtail's user list, with each person's role and organisation."""

    @cached_property
    def columns(self):
        columns = list(super().columns)
        after_username = [column.name for column in columns].index(self.model.USERNAME_FIELD) + 1
        columns[after_username:after_username] = [
            Column("role", label=_("Role"), accessor=self.roles_of, width="12%"),
            Column(
                "organisation",
                label=_("Organisation"),
                accessor="organisation",
                sort_key="organisation__name",
                width="20%",
            ),
        ]
        return columns

    @staticmethod
    def roles_of(user) -> str:
        return ", ".join(
            str(_ROLE_BY_GROUP[group.name].label)
            for group in user.groups.all()
            if group.name in _ROLE_BY_GROUP
        )

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("organisation__parent")
            .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
        )


class UserViewSet(WagtailUserViewSet):
    create_template_name = "cms/admin/user_create.html"
    edit_template_name = "cms/admin/user_edit.html"
    index_view_class = UserIndexView
    filterset_class = UserFilterSet

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


class SuperuserPolicy(BasePermissionPolicy):
    """Administrators may do `actions` ("view" by default) and nobody else anything, whatever
    groups say: for records of what happened, which the admin never changes."""

    actions: tuple[str, ...] = ("view",)

    def user_has_permission(self, user, action):
        return action in self.actions and user.is_active and user.is_superuser

    def users_with_any_permission(self, actions):
        if not set(actions) & set(self.actions):
            return get_user_model().objects.none()
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


class RecordIndexView(IndexView):
    """A list of records, newest first by `created_at`; those written in the same second keep
    the order they were written in."""

    default_ordering = "-created_at"

    def get_valid_orderings(self):
        return ["created_at", "-created_at"]

    def order_queryset(self, queryset):
        return queryset.order_by(self.ordering, "-pk" if self.ordering[0] == "-" else "pk")


class RecordViewSet(ModelViewSet):
    """A read-only listing under *Settings*: no add, edit or delete page, and no group
    permissions to grant (the model's `SuperuserPolicy` decides)."""

    add_to_settings_menu = True
    list_per_page = 50
    index_view_class = RecordIndexView

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]

    def get_permissions_to_register(self):
        return Permission.objects.none()
