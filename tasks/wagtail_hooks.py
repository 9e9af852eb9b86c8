from django.urls import path
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import JobRetryView
from .models import Job
from .viewsets import JobPolicy, JobViewSet

register_permission_policy(Job, JobPolicy(Job))


@hooks.register("register_admin_viewset")
def register_job_viewset():
    return JobViewSet("tasks_jobs", url_prefix="tasks/jobs")


@hooks.register("register_admin_urls")
def register_retry_url():
    return [path("tasks/jobs/<int:pk>/retry/", JobRetryView.as_view(), name="tasks_job_retry")]
