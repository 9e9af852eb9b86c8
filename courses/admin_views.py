from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .selectors import translation_coverage


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
