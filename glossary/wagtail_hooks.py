from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.admin_menu import PermissionMenuItem

from .admin_views import GlossaryExportView, GlossaryImportView
from .models import Term


class TermViewSet(SnippetViewSet):
    model = Term
    icon = "help"
    menu_label = _("Glossary")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["term_en", "term_fr", "term_ar", "updated_at"]
    list_filter = ["courses"]
    list_export = ["slug", "term_en", "term_fr", "term_ar", "definition_en"]
    # Searched in the database (the admin's own search), over every language.
    search_backend_name = None
    search_fields = [
        "term_en", "term_fr", "term_ar", "abbreviation_en", "abbreviation_fr", "abbreviation_ar",
        "variants_en", "variants_fr", "variants_ar", "definition_en", "definition_fr",
        "definition_ar",
    ]  # fmt: skip
    ordering = ["term_en"]


register_snippet(TermViewSet)


@hooks.register("register_admin_urls")
def register_glossary_urls():
    return [
        path("glossary/import/", GlossaryImportView.as_view(), name="glossary_import"),
        path("glossary/export/", GlossaryExportView.as_view(), name="glossary_export"),
    ]


@hooks.register("register_admin_menu_item")
def register_glossary_import_menu_item():
    return PermissionMenuItem(
        _("Import glossary"),
        reverse("glossary_import"),
        icon_name="upload",
        order=261,
        permission="glossary.add_term",
    )
