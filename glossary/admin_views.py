from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .exchange import COLUMNS
from .selectors import glossary_export
from .services import GlossaryImportError, glossary_import

MAX_CSV_BYTES = 5 * 1024 * 1024


class GlossaryImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, with or without BOM. Columns: %(columns)s.")
        % {"columns": ", ".join(COLUMNS)},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from error


def _require(request, *codenames: str) -> None:
    if not all(request.user.has_perm(f"glossary.{c}") for c in codenames):
        raise PermissionDenied


class GlossaryImportView(WagtailAdminTemplateMixin, FormView):
    """Trainers upload the glossary as CSV: every row valid, or nothing written."""

    page_title = _("Import glossary")
    header_icon = "upload"
    template_name = "glossary/admin/glossary_import.html"
    form_class = GlossaryImportForm

    def dispatch(self, request, *args, **kwargs):
        _require(request, "add_term", "change_term")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            result = glossary_import(text=form.cleaned_data["file"])
        except GlossaryImportError as error:
            return self.render_to_response(
                self.get_context_data(form=form, problems=error.problems)
            )
        messages.success(
            self.request,
            _("Glossary imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.")
            % {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
        return redirect("wagtailsnippets_glossary_term:list")


class GlossaryExportView(View):
    def get(self, request):
        _require(request, "view_term")
        response = HttpResponse(glossary_export(), content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="glossary-{stamp}.csv"'
        return response
