from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from .models import Organisation, User
from .time_zones import time_zone_names


class PreferencesForm(forms.Form):
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        help_text=_("The site and, for staff, the administration open in this language."),
        choices=[
            (code, settings.LANGUAGE_NATIVE_NAMES[code]) for code, _name in settings.LANGUAGES
        ],
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Workshop agendas show their times in this zone."),
        required=False,
        # Built when the form is, so the translated first choice is in the reader's language.
        choices=lambda: (
            [("", _("The workshop's own time zone"))]
            + [(name, name.replace("_", " ")) for name in time_zone_names()]
        ),
    )


# Names as certificates print them: an officer may write theirs in Arabic and in Latin script.
NAME_SCRIPT_FIELDS = ("full_name_arabic", "full_name_latin")
NAME_SCRIPT_WIDGETS = {
    "full_name_arabic": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    "full_name_latin": forms.TextInput(attrs={"dir": "ltr"}),
}


class _OrganisationFields(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.select_related("parent"),
        label=_("Organisation"),
        required=False,
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES
    )


class TadribUserCreationForm(UserCreationForm):
    organisation = _OrganisationFields.base_fields["organisation"]
    preferred_language = _OrganisationFields.base_fields["preferred_language"]

    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | {
            "organisation",
            "preferred_language",
            *NAME_SCRIPT_FIELDS,
        }
        widgets = NAME_SCRIPT_WIDGETS


class TadribUserEditForm(UserEditForm):
    organisation = _OrganisationFields.base_fields["organisation"]
    preferred_language = _OrganisationFields.base_fields["preferred_language"]

    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | {
            "organisation",
            "preferred_language",
            *NAME_SCRIPT_FIELDS,
        }
        widgets = NAME_SCRIPT_WIDGETS


class PasswordResetForm(forms.Form):
    """The "Forgot your password?" form: the address an account uses.

    `TADRIB_PASSWORD_RESET_FORM` may name a subclass that adds checks (rate limits); it gets
    the request.
    """

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The address your administrator registered for your account."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def get_users(self, email: str) -> list[User]:
        """The accounts to send a link to. Accounts an administrator created have no usable
        password until the first one is chosen: a lost set-password link is recovered so."""
        return list(User.objects.filter(email__iexact=email.strip(), is_active=True))


class PasswordLinkForm(auth_forms.SetPasswordForm):
    """A new password chosen from a single-use link, with the user name in view so the person
    knows which account it is (and password managers store it with the password)."""

    username = forms.CharField(
        label=_("User name"),
        required=False,
        help_text=_("You sign in with this name."),
        widget=forms.TextInput(attrs={"readonly": True, "autocomplete": "username", "dir": "auto"}),
    )
    field_order = ["username", "new_password1", "new_password2"]

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        # Shown, never read back: the account is the link's, whatever was posted.
        self.fields["username"].initial = user.get_username()
        if self.is_bound:
            self.data = self.data.copy()
            self.data["username"] = user.get_username()
