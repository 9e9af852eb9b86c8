"""Workshop certificates: the glue between `workshops` and `certificates`, which never import
each other (docs/architecture.md). This app imports both and nothing imports it:

- it registers the workshop's certificate source with `certificates.sources.register_source`
  (title, hours, completion, dates and venue, read through the workshops app);
- it listens to `workshops.signals.workshop_completed` and issues the certificate;
- it adds the certificate's links to the participant's workshop page through
  `workshops.page_sections`;
- `seed_demo` gives a few demo participants who completed a workshop their certificate.

Without this app installed, workshops and certificates each work on their own.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopCertificatesConfig(AppConfig):
    name = "workshop_certificates"
    verbose_name = _("Workshop certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from certificates.sources import register_source
        from workshops.page_sections import page_section_register
        from workshops.signals import workshop_completed

        from .receivers import workshop_was_completed
        from .sections import certificate_section
        from .sources import WorkshopSource

        register_source(WorkshopSource())
        workshop_completed.connect(
            workshop_was_completed, dispatch_uid="workshop_certificates_completed"
        )
        page_section_register(certificate_section)

    def seed_demo(self):
        from .demo import demo_seed_workshop_certificates

        demo_seed_workshop_certificates()
