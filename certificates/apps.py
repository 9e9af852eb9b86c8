from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401 - connects the course_completed receiver

    def seed_demo(self):
        """Demo certificates: the investigator's in Arabic, the prosecutor's in French (revoked
        as well, so the revoked state is there to see), each once."""
        from .demo import demo_seed_certificates

        demo_seed_certificates()
