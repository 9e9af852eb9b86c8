from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cms.navigation import register_link


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from .scope import is_report_reader_cached

        register_link(
            label=_("Reports"),
            url_name="reports:by_course",
            visible=is_report_reader_cached,
            order=300,
        )
