from django.conf import settings
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem

from .admin_views import CourseImportView, TranslationCoverageView
from .forms import AT_THE_START
from .models import ActivityPage, CourseIndexPage, TranslationCoverageMixin
from .selectors import enrolment_count
from .services import activity_place


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


# --- page editors -------------------------------------------------------------------------------


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def place_activity(request, page):
    """Put an activity where its editor's "Position in the course" says (`ActivityPageForm`)."""
    choice = request.POST.get("place_after")
    if choice is None or not issubclass(page.specific_class, ActivityPage):
        return None
    if choice != AT_THE_START and not choice.isdigit():
        return None
    course = page.get_parent()
    if course.permissions_for_user(request.user).can_reorder_children():
        activity_place(
            activity=page,
            after_id=None if choice == AT_THE_START else int(choice),
            user=request.user,
        )
    return None


@hooks.register("before_create_page")
def notice_enrolled_learners(request, parent_page, page_class):
    """Before a trainer adds an activity: how many learners a required one would affect."""
    if request.method != "GET" or not issubclass(page_class, ActivityPage):
        return None
    count = enrolment_count(course=parent_page)
    if count:
        messages.info(
            request,
            ngettext(
                "%(count)d learner is already enrolled in this course. Once published, a "
                "required activity counts in their progress, which goes down until they "
                "complete it.",
                "%(count)d learners are already enrolled in this course. Once published, a "
                "required activity counts in their progress, which goes down until they "
                "complete it.",
                count,
            )
            % {"count": count},
        )
    return None


@hooks.register("before_publish_page")
def notice_progress_change(request, page):
    """Publishing a required activity that learners' progress did not count yet."""
    specific = page.specific
    if not isinstance(specific, ActivityPage) or not specific.required:
        return None
    counted = (
        type(specific)
        .objects.filter(pk=page.pk, live=True, required=True, first_published_at__isnull=False)
        .exists()
    )
    course = page.get_parent().specific
    count = 0 if counted else enrolment_count(course=course)
    if count:
        messages.warning(
            request,
            ngettext(
                "This required activity now counts in the progress of the %(count)d learner "
                "already enrolled in “%(course)s”.",
                "This required activity now counts in the progress of the %(count)d learners "
                "already enrolled in “%(course)s”.",
                count,
            )
            % {"count": count, "course": course.get_admin_display_title()},
        )
    return None


def _missing_translations(page) -> str:
    """ "French (summary, audience); Arabic (title)", in the trainer's language; "" when the
    page is complete in every language."""
    parts = []
    for code, _name in settings.LANGUAGES:
        fields = page.missing_fields(code)
        if fields:
            names = pgettext("between field names", ", ").join(
                str(page._meta.get_field(field).verbose_name) for field in fields
            )
            language = translation.get_language_info(code)["name_translated"]
            parts.append(
                pgettext("a language and its missing fields", "%(language)s (%(fields)s)")
                % {"language": language, "fields": names}
            )
    return pgettext("between languages", "; ").join(parts)


@hooks.register("before_edit_page")
def warn_missing_translations(request, page):
    """Before publishing: which languages the page's latest version is missing."""
    if request.method != "GET" or not issubclass(page.specific_class, TranslationCoverageMixin):
        return None
    missing = _missing_translations(page.specific.get_latest_revision_as_object())
    if missing:
        messages.warning(
            request,
            _(
                "Not yet translated: %(missing)s. Learners reading those languages are shown "
                "another language instead, with a notice."
            )
            % {"missing": missing},
        )
    return None


@hooks.register("after_publish_page")
def warn_published_incomplete(request, page):
    specific = page.specific
    if isinstance(specific, TranslationCoverageMixin) and (
        missing := _missing_translations(specific)
    ):
        messages.warning(
            request,
            _("Published without a complete translation: %(missing)s.") % {"missing": missing},
        )
    return None
