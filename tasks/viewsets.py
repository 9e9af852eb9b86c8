"""*Settings → Background tasks*: the job ledger as sentences, for superusers, with a retry
button on failed jobs."""

import django_filters
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column

from cms.viewsets import RecordIndexView, RecordViewSet, SuperuserPolicy

from .models import Job
from .registry import job_kind


class JobPolicy(SuperuserPolicy):
    """Superusers see the ledger and retry failed jobs; nobody adds, edits or deletes."""

    actions = ("view", "change")


def job_sentence(job: Job) -> str:
    """What the job does, in the reader's language (its kind says it from the arguments)."""
    kind = job_kind(job.kind)
    if kind is None:
        return gettext("A task of an unknown kind (%(kind)s)") % {"kind": job.kind}
    return kind.describe(job.arguments)


def job_state_sentence(job: Job):
    """Where the job stands, with the error that stopped it."""
    when = date_format(job.run_after, "Y-m-d H:i")
    if job.state == Job.State.QUEUED and job.attempts:
        return format_html(
            "{} <span class='task-error'>{}</span>",
            ngettext(
                "Failed once; tried again after %(when)s (UTC).",
                "Failed %(count)s times; tried again after %(when)s (UTC).",
                job.attempts,
            )
            % {"count": job.attempts, "when": when},
            job.error,
        )
    if job.state == Job.State.QUEUED:
        return gettext("Queued, to run after %(when)s (UTC).") % {"when": when}
    if job.state == Job.State.RUNNING:
        return gettext("Running (attempt %(count)s).") % {"count": job.attempts}
    if job.state == Job.State.DONE:
        return gettext("Done on %(when)s (UTC).") % {
            "when": date_format(job.finished_at, "Y-m-d H:i")
        }
    return format_html(
        "{} <span class='task-error'>{}</span> <a class='button button-small' href='{}'>{}</a>",
        ngettext(
            "Failed after %(count)s attempt:",
            "Failed after %(count)s attempts:",
            job.attempts,
        )
        % {"count": job.attempts},
        job.error,
        reverse("tasks_job_retry", args=[job.pk]),
        gettext("Retry"),
    )


class JobFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), choices=Job.State.choices)

    class Meta:
        model = Job
        fields = []


class JobIndexView(RecordIndexView):
    page_title = _("Background tasks")

    @cached_property
    def columns(self):
        return [
            Column(
                "created_at",
                label=_("Recorded (UTC)"),
                accessor=lambda job: date_format(job.created_at, "Y-m-d H:i:s"),
                sort_key="created_at",
                width="12em",
            ),
            Column("task", label=_("Task"), accessor=job_sentence),
            Column("state", label=_("State"), accessor=job_state_sentence),
        ]


class JobViewSet(RecordViewSet):
    model = Job
    icon = "cogs"
    menu_label = _("Background tasks")
    menu_order = 620
    index_view_class = JobIndexView
    filterset_class = JobFilterSet
