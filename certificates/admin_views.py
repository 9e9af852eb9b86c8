"""Administrators' certificate screens in the Wagtail admin: revoke one, and see who holds a
certificate issued before its course was marked substantially changed."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from courses.models import CoursePage

from . import selectors, services
from .forms import RevokeForm
from .models import Certificate


class SuperuserRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RevokeView(SuperuserRequiredMixin, WagtailAdminTemplateMixin, FormView):
    page_title = gettext_lazy("Revoke a certificate")
    header_icon = "warning"
    template_name = "certificates/admin/revoke.html"
    form_class = RevokeForm

    def get_certificate(self) -> Certificate:
        return get_object_or_404(Certificate, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["certificate"] = self.get_certificate()
        return context

    def form_valid(self, form):
        certificate = self.get_certificate()
        try:
            services.certificate_revoke(
                certificate=certificate,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                by=self.request.user,
            )
        except services.AlreadyRevoked:
            messages.error(self.request, _("This certificate was already revoked."))
        else:
            messages.success(
                self.request,
                _("Certificate %(serial)s is revoked.") % {"serial": certificate.serial},
            )
        return HttpResponseRedirect(reverse("certificates_admin:index"))


class HeldBeforeChangeView(SuperuserRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("Certificates issued before a course changed")
    header_icon = "doc-full"
    template_name = "certificates/admin/held_before_change.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        courses = selectors.courses_changed()
        selected = None
        course_id = self.request.GET.get("course", "")
        if course_id.isdigit():
            selected = get_object_or_404(CoursePage, pk=int(course_id))
        elif courses:
            selected = courses[0]
        context.update(
            courses=courses,
            selected=selected,
            certificates=selectors.holders_before_change(course=selected) if selected else [],
        )
        return context
