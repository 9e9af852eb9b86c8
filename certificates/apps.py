from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from courses.learning_shell import CertificateRows, register_certificate_reader
        from reports.navigation import register_report

        from . import receivers  # noqa: F401 - connects the course_completed receiver
        from .selectors import (
            learning_decode,
            learning_links,
            learning_null_types,
            learning_statement,
        )

        register_certificate_reader(
            learning_links,
            rows=CertificateRows(
                statement=learning_statement, null_types=learning_null_types, decode=learning_decode
            ),
        )

        register_report(
            label=_("Certificates"),
            url_name="certificates:report_by_course",
            order=100,
            current_for=(
                "certificates:report_by_organisation",
                "certificates:report_by_country",
                "certificates:report_held_before_change",
            ),
        )

    def seed_demo(self):
        """Demo certificates: the investigator's in Arabic, the prosecutor's in French (revoked
        as well, so the revoked state is there to see), each once."""
        from .demo import demo_seed_certificates

        demo_seed_certificates()
