from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .user_import import (
    UserImportError,
    links_csv,
    set_password_links_renew,
    users_import,
)

MAX_CSV_BYTES = 5 * 1024 * 1024
# The accounts the last import in this session created, for downloading their links.
IMPORTED_SESSION_KEY = "cms_user_import_ids"


class UserImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: username, email, first_name, last_name, organisation, country, role, "
            "language. UTF-8, with or without BOM."
        ),
    )
    create_organisations = forms.BooleanField(
        label=_("Create organisations that do not exist yet"),
        required=False,
        help_text=_(
            "Leave this unticked and a misspelt organisation is reported, with the closest "
            "existing names, instead of being created. Each organisation created is listed "
            "afterwards."
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


class UserImportPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("cms.add_user"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class UserImportView(UserImportPermissionMixin, WagtailAdminTemplateMixin, FormView):
    """Administrators upload a CSV of users, then see what was created and download the
    set-password links."""

    page_title = _("Import users")
    header_icon = "user"
    template_name = "cms/admin/user_import.html"
    form_class = UserImportForm

    def form_valid(self, form):
        try:
            result = users_import(
                text=form.cleaned_data["file"],
                base_url=self.request.build_absolute_uri("/"),
                create_organisations=form.cleaned_data["create_organisations"],
            )
        except UserImportError as error:
            return self.render_to_response(
                self.get_context_data(form=form, problems=error.problems)
            )
        # Only ids: the links are made again on download, and only for accounts still
        # without a password.
        self.request.session[IMPORTED_SESSION_KEY] = result.user_ids
        return self.render_to_response(self.get_context_data(form=self.form_class(), result=result))


class UserImportLinksView(UserImportPermissionMixin, View):
    def get(self, request):
        links = set_password_links_renew(
            user_ids=request.session.get(IMPORTED_SESSION_KEY, []),
            base_url=request.build_absolute_uri("/"),
        )
        response = HttpResponse(links_csv(links), content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="set-password-links-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        return response
