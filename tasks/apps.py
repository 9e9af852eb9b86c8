from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Background tasks")

    def ready(self):
        from . import services
        from .registry import JobKind, Periodic, job_kind_register, periodic_register

        job_kind_register(
            JobKind(
                name="tasks.prune",
                run=services.jobs_prune_now,
                describe=lambda arguments: _("Forget the background tasks done a month ago"),
            )
        )
        periodic_register(Periodic(name="prune", every_seconds=86400, kind="tasks.prune"))
