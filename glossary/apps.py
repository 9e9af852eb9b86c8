from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cms.navigation import register_link

DEMO_CSV = Path(__file__).resolve().parent / "demo" / "glossary.csv"
TRAINER_PERMISSIONS = ["add_term", "change_term", "delete_term", "view_term"]


class GlossaryConfig(AppConfig):
    name = "glossary"
    verbose_name = _("Glossary")

    def ready(self):
        from courses.rendering import register_body_processor
        from search.sources import register_expander, register_source

        from . import signals
        from .rendering import glossary_links
        from .search import TermSource, expand_query

        register_body_processor(glossary_links)
        register_source(TermSource())
        register_expander(expand_query)
        signals.connect()
        register_link(label=_("Glossary"), url_name="glossary:index", order=500)

    def setup_site(self):
        """Trainers edit the glossary, as they edit courses."""
        from django.contrib.auth.models import Group, Permission

        from cms.roles import GROUP_NAMES, Role

        trainers = Group.objects.get(name=GROUP_NAMES[Role.TRAINER])
        trainers.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="glossary", codename__in=TRAINER_PERMISSIONS
            )
        )

    def seed_demo(self):
        """The demo glossary (glossary/demo/glossary.csv): terms added or brought up to date;
        a second run changes nothing."""
        from .services import glossary_import

        glossary_import(text=DEMO_CSV.read_text(encoding="utf-8"))
