"""The certificate report's filters: the reports' own (course, organisation with its units,
country, limited to the reader's scope), with the date range on the issue date."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.forms import ReportFilterForm

from .models import Kind


class CertificateFilterForm(ReportFilterForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["date_field"]
        self.fields["date_from"].label = _("Issued from")
        self.fields["date_to"].label = _("Issued until")
        self.fields["kind"] = forms.ChoiceField(
            label=_("Certificates"),
            required=False,
            choices=[("", _("Courses and workshops")), *Kind.choices],
        )

    def kind(self) -> str:
        """The kind of certificate asked for ("course", "workshop"), or "" for both."""
        data = getattr(self, "cleaned_data", None) or {}
        return data.get("kind") or ""

    def described(self) -> list[tuple[str, str]]:
        found = super().described()
        data = getattr(self, "cleaned_data", {})
        if found and (data.get("date_from") or data.get("date_to")):
            # The reports state the range last, under their own date's name.
            found[-1] = (str(_("Issue date")), found[-1][1])
        if self.kind():
            found.append((str(_("Certificates")), str(Kind(self.kind()).label)))
        return found
