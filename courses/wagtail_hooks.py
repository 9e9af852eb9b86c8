from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import CourseImportView, TranslationCoverageView


@hooks.register("register_admin_urls")
def register_coverage_url():
    return [
        path(
            "reports/translation-coverage/",
            TranslationCoverageView.as_view(),
            name="courses_translation_coverage",
        ),
        path("courses/import/", CourseImportView.as_view(), name="courses_course_import"),
    ]


class _CourseImportMenuItem(MenuItem):
    def is_shown(self, request):
        from .models import CourseIndexPage

        catalogue = CourseIndexPage.objects.first()
        return bool(catalogue and catalogue.permissions_for_user(request.user).can_add_subpage())


@hooks.register("register_admin_menu_item")
def register_course_import_menu_item():
    return _CourseImportMenuItem(
        _("Import course"), reverse("courses_course_import"), icon_name="upload", order=250
    )


@hooks.register("register_reports_menu_item")
def register_coverage_menu_item():
    return MenuItem(
        _("Translation coverage"),
        reverse("courses_translation_coverage"),
        icon_name="globe",
        order=700,
    )
