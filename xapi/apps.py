from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XapiConfig(AppConfig):
    name = "xapi"
    verbose_name = _("Learning records (xAPI)")

    def ready(self):
        from tasks.registry import JobKind, Periodic, job_kind_register, periodic_register

        from . import receivers  # noqa: F401
        from .services import statements_deliver_now

        job_kind_register(
            JobKind(
                name="xapi.deliver",
                run=statements_deliver_now,
                describe=lambda arguments: _("Send the learning records to the LRS"),
            )
        )
        periodic_register(Periodic(name="xapi", every_seconds=30, kind="xapi.deliver"))
