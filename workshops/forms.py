from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from cms.models import Organisation
from cms.roles import GROUP_NAMES, Role

MAX_CSV_BYTES = 2 * 1024 * 1024


class AttendanceCsvForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns username,session,attended — session is its number in the agenda; attended "
            "is 1 or 0. Nothing is saved unless every row is right."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None


class WorkshopAdminForm(WagtailAdminModelForm):
    """The workshop editor: facilitators are chosen among trainers and administrators, and a
    workshop's tests must be optional activities, so their grades complete no course."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("facilitators")
        if field is not None:
            field.queryset = (
                get_user_model()
                .objects.filter(
                    Q(is_superuser=True) | Q(groups__name=GROUP_NAMES[Role.TRAINER]),
                    is_active=True,
                )
                .distinct()
                .order_by("last_name", "first_name", "username")
            )

    def clean(self):
        cleaned = super().clean()
        for name in ("pre_test", "post_test"):
            quiz = cleaned.get(name)
            if quiz is not None and quiz.required:
                self.add_error(
                    name,
                    _(
                        "Make this quiz an optional activity (untick “required”) first: a "
                        "workshop test must not complete a course."
                    ),
                )
        return cleaned


class AddParticipantForm(forms.Form):
    username = forms.CharField(
        label=_("User name or e-mail address"),
        max_length=254,
    )

    def clean_username(self):
        value = self.cleaned_data["username"].strip()
        users = get_user_model().objects.filter(is_active=True)
        user = (
            users.filter(username__iexact=value).first()
            or users.filter(email__iexact=value).order_by("pk").first()
        )
        if user is None:
            raise forms.ValidationError(_("No active account has this user name or address."))
        return user


class AddOrganisationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.select_related("parent")
    )
    with_units = forms.BooleanField(label=_("Include its units"), required=False, initial=True)
