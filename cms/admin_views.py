from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .user_import import UserImportError, links_csv, users_import

MAX_CSV_BYTES = 5 * 1024 * 1024


class UserImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: username, email, first_name, last_name, organisation, country, role, "
            "language. UTF-8, with or without BOM."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from error


class UserImportView(WagtailAdminTemplateMixin, FormView):
    """Administrators upload a CSV of users; on success they download the set-password links."""

    page_title = _("Import users")
    header_icon = "user"
    template_name = "cms/admin/user_import.html"
    form_class = UserImportForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("cms.add_user"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            links = users_import(
                text=form.cleaned_data["file"], base_url=self.request.build_absolute_uri("/")
            )
        except UserImportError as error:
            return self.render_to_response(
                self.get_context_data(form=form, problems=error.problems)
            )
        response = HttpResponse(links_csv(links), content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="set-password-links-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        return response
