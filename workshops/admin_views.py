"""The Wagtail admin for workshops: the workshop editor (a ModelViewSet whose every view is
limited to the workshops the editor facilitates, all of them for an administrator) and the
participants screen (add one person, a whole organisation; remove)."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from django_countries import countries
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import ObjectList
from wagtail.admin.views import generic
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton, ListingButton

from . import selectors, services
from .forms import AddOrganisationForm, AddParticipantForm, WorkshopAdminForm
from .models import Participant, Workshop


class WorkshopFilterSet(WagtailFilterSet):
    starts_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Dates"), widget=DateRangePickerWidget
    )
    venue_country = django_filters.ChoiceFilter(
        label=gettext_lazy("Venue country"),
        choices=lambda: list(countries),
        empty_label=gettext_lazy("Any country"),
    )
    mode = django_filters.ChoiceFilter(
        label=gettext_lazy("Mode"),
        choices=Workshop.Mode.choices,
        empty_label=gettext_lazy("Any mode"),
    )

    class Meta:
        model = Workshop
        fields = []


class OwnWorkshopMixin:
    """404 for a workshop the editor does not facilitate (administrators manage all)."""

    def dispatch(self, request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None:
            workshop = Workshop.objects.filter(pk=pk).first()
            if workshop is None or not selectors.may_manage(request.user, workshop):
                raise Http404
        return super().dispatch(request, *args, **kwargs)


class WorkshopIndexView(generic.IndexView):
    def get_base_queryset(self):
        return selectors.facilitated(self.request.user).select_related("host_organisation")

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        buttons.append(
            ListingButton(
                _("Participants"),
                reverse("workshops_participants", args=[instance.pk]),
                icon_name="group",
                priority=15,
            )
        )
        return buttons


class WorkshopCreateView(generic.CreateView):
    def save_instance(self):
        workshop = super().save_instance()
        # A trainer who creates a workshop facilitates it, or could not open it again.
        if not self.request.user.is_superuser:
            workshop.facilitators.add(self.request.user)
            workshop.save()
        return workshop


class WorkshopEditView(OwnWorkshopMixin, generic.EditView):
    @property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            HeaderButton(
                _("Participants"),
                reverse("workshops_participants", args=[self.object.pk]),
                icon_name="group",
            ),
        ]


class WorkshopDeleteView(OwnWorkshopMixin, generic.DeleteView):
    pass


class WorkshopHistoryView(OwnWorkshopMixin, HistoryView):
    pass


class WorkshopUsageView(OwnWorkshopMixin, UsageView):
    pass


class WorkshopViewSet(ModelViewSet):
    model = Workshop
    icon = "date"
    menu_label = gettext_lazy("Workshops")
    menu_order = 260
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["title", "starts_at", "mode", "venue_country", "host_organisation"]
    list_export = ["slug", "title", "starts_at", "ends_at", "mode", "venue_country"]
    filterset_class = WorkshopFilterSet
    search_fields = ["title_en", "title_fr", "title_ar", "slug"]
    ordering = ["-starts_at"]
    index_view_class = WorkshopIndexView
    add_view_class = WorkshopCreateView
    edit_view_class = WorkshopEditView
    delete_view_class = WorkshopDeleteView
    history_view_class = WorkshopHistoryView
    usage_view_class = WorkshopUsageView

    def get_edit_handler(self):
        return ObjectList(self.model.panels, base_form_class=WorkshopAdminForm).bind_to_model(
            self.model
        )


class ParticipantsView(WagtailAdminTemplateMixin, TemplateView):
    """A workshop's participants: who, from where, how far; add one, add an organisation,
    remove. Every write goes through workshops.services."""

    template_name = "workshops/admin/participants.html"
    page_title = gettext_lazy("Participants")
    header_icon = "group"

    def get_page_subtitle(self):
        return self.workshop.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("workshop_admin:index"), "label": gettext_lazy("Workshops")},
            {"url": reverse("workshop_admin:edit", args=[self.workshop.pk]),
             "label": self.workshop.title},
            {"url": "", "label": gettext_lazy("Participants")},
        ]  # fmt: skip

    def dispatch(self, request, pk: int, *args, **kwargs):
        self.workshop = get_object_or_404(Workshop, pk=pk)
        if not selectors.may_manage(request.user, self.workshop):
            if not selectors.facilitated(request.user).exists():
                raise PermissionDenied
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        standings = selectors.standings(self.workshop)
        participants = (
            Participant.objects.filter(workshop=self.workshop)
            .select_related("user", "user__organisation")
            .order_by("user__last_name", "user__first_name", "user__username")
        )
        context.update(
            workshop=self.workshop,
            rows=[(p, standings.get(p.user_id)) for p in participants],
            person_form=kwargs.get("person_form") or AddParticipantForm(prefix="person"),
            organisation_form=kwargs.get("organisation_form")
            or AddOrganisationForm(prefix="organisation"),
            edit_url=reverse("workshop_admin:edit", args=[self.workshop.pk]),
            page_url=reverse("workshops:detail", args=[self.workshop.slug]),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        here = reverse("workshops_participants", args=[self.workshop.pk])
        if action == "person":
            form = AddParticipantForm(request.POST, prefix="person")
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(person_form=form))
            added = services.participants_add(
                workshop=self.workshop, users=[form.cleaned_data["username"]], added_by=request.user
            )
            if added:
                messages.success(request, _("The participant was added."))
            else:
                messages.info(request, _("This person already takes part in the workshop."))
            return redirect(here)
        if action == "organisation":
            form = AddOrganisationForm(request.POST, prefix="organisation")
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(organisation_form=form))
            added = services.participants_add_organisation(
                workshop=self.workshop,
                organisation=form.cleaned_data["organisation"],
                with_units=form.cleaned_data["with_units"],
                added_by=request.user,
            )
            messages.success(
                request,
                ngettext(
                    "%(count)s participant was added.",
                    "%(count)s participants were added.",
                    added,
                )
                % {"count": added},
            )
            return redirect(here)
        if action == "remove":
            user_id = request.POST.get("user")
            if user_id and user_id.isdigit():
                services.participant_remove(workshop=self.workshop, user=int(user_id))
                messages.success(request, _("The participant was removed."))
            return redirect(here)
        return redirect(here)
