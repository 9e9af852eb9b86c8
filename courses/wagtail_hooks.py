from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import TranslationCoverageView


@hooks.register("register_admin_urls")
def register_coverage_url():
    return [
        path(
            "reports/translation-coverage/",
            TranslationCoverageView.as_view(),
            name="courses_translation_coverage",
        )
    ]


@hooks.register("register_reports_menu_item")
def register_coverage_menu_item():
    return MenuItem(
        _("Translation coverage"),
        reverse("courses_translation_coverage"),
        icon_name="globe",
        order=700,
    )
