from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .models import CourseIndexPage
from .packages import PackageError, package_read
from .selectors import translation_coverage
from .services import course_import


class TranslationCoverageView(WagtailAdminTemplateMixin, TemplateView):
    """Which languages each course and activity is complete in, for trainers."""

    page_title = _("Translation coverage")
    header_icon = "globe"
    template_name = "courses/admin/translation_coverage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["languages"] = settings.LANGUAGES
        context["rows"] = translation_coverage()
        return context


class CourseImportForm(forms.Form):
    file = forms.FileField(
        label=_("Course package"),
        help_text=_(
            "A tadrib.course/1 package: course.json, or a .zip with course.json and media/."
        ),
    )
    replace = forms.BooleanField(
        label=_("Replace the course with the same slug"),
        required=False,
        help_text=_("Learners keep their progress on activities whose slugs remain."),
    )


class CourseImportView(WagtailAdminTemplateMixin, FormView):
    """Trainers upload a course package; a bad one is refused whole, every problem listed."""

    page_title = _("Import course")
    header_icon = "upload"
    template_name = "courses/admin/course_import.html"
    form_class = CourseImportForm

    def dispatch(self, request, *args, **kwargs):
        catalogue = CourseIndexPage.objects.first()
        if catalogue is None or not catalogue.permissions_for_user(request.user).can_add_subpage():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            data, media = package_read(form.cleaned_data["file"])
            course = course_import(
                data=data,
                media=media,
                replace=form.cleaned_data["replace"],
                user=self.request.user,
            )
        except PackageError as error:
            return self.render_to_response(
                self.get_context_data(form=form, problems=error.problems)
            )
        messages.success(self.request, _("Course imported: %(title)s") % {"title": course.title})
        return redirect("wagtailadmin_explore", course.pk)
