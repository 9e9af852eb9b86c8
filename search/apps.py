from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cms.navigation import register_link


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from . import signals
        from .pages import PageSource
        from .sources import register_source

        register_source(PageSource())
        signals.connect()
        register_link(label=_("Search"), url_name="search:search", order=400)

    def setup_site(self):
        """Index everything on a site that has no index yet (new, or from before search)."""
        from .services import index_ensure

        index_ensure()
