"""Administrators' views in the Wagtail admin: lockouts and personal data (the audit trail is
security.viewsets)."""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from . import lockout, privacy

User = get_user_model()


class SuperuserRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class LockoutIndexView(SuperuserRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("Sign-in lockouts")
    header_icon = "lock"
    template_name = "security/admin/lockouts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lockouts"] = lockout.lockouts_active()
        return context

    def post(self, request):
        found = lockout.lockouts_active().filter(pk=request.POST.get("lockout")).first()
        if found is not None:
            lockout.lockout_lift(lockout=found, by=request.user, request=request)
            messages.success(request, _("The lockout of %(value)s is lifted.") % {"value": found})
        return HttpResponseRedirect(reverse("security_lockouts"))


class PersonalDataView(SuperuserRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Find a person, then export what is held about them or erase them."""

    page_title = gettext_lazy("Personal data")
    header_icon = "user"
    template_name = "security/admin/personal_data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()
        users = User.objects.none()
        if query:
            users = User.objects.filter(username__icontains=query).order_by("username")[:50]
        context.update(query=query, users=users)
        return context


def personal_data_export(request, user_id: int):
    if not request.user.is_superuser:
        raise PermissionDenied
    person = get_object_or_404(User, pk=user_id)
    data = privacy.learner_data_export(user=person, by=request.user, request=request)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="personal-data-{person.pk}-{stamp}.json"'
    )
    response["Cache-Control"] = "no-store"
    return response


class PersonalDataEraseView(SuperuserRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("Erase a learner")
    header_icon = "bin"
    template_name = "security/admin/erase.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person"] = get_object_or_404(User, pk=self.kwargs["user_id"])
        return context

    def post(self, request, user_id: int):
        person = get_object_or_404(User, pk=user_id)
        try:
            privacy.learner_erase(user=person, by=request.user, request=request)
        except privacy.ErasureRefused:
            messages.error(request, _("Administrators cannot be erased."))
        else:
            messages.success(request, _("The learner's personal data is erased."))
        return HttpResponseRedirect(reverse("security_personal_data"))
