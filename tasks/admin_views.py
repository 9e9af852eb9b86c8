"""The retry button of *Settings → Background tasks*: a confirmation page, then a POST."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .models import Job
from .services import job_retry


class JobRetryView(WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("Retry a background task")
    header_icon = "cogs"
    template_name = "tasks/job_retry.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        self.job = get_object_or_404(Job, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from .viewsets import job_sentence, job_state_sentence

        return {
            **super().get_context_data(**kwargs),
            "job": self.job,
            "sentence": job_sentence(self.job),
            "state": job_state_sentence(self.job),
        }

    def post(self, request, *args, **kwargs):
        if job_retry(job=self.job):
            messages.success(request, _("The task will run again in a moment."))
        else:
            messages.warning(request, _("This task has not failed, so it was not run again."))
        return HttpResponseRedirect(reverse("tasks_jobs:index"))
