from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from .models import Organisation


class PreferencesForm(forms.Form):
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        help_text=_("The site and, for staff, the administration open in this language."),
        choices=[
            (code, settings.LANGUAGE_NATIVE_NAMES[code]) for code, _name in settings.LANGUAGES
        ],
    )


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
        fields = UserCreationForm.Meta.fields | {"organisation", "preferred_language"}


class TadribUserEditForm(UserEditForm):
    organisation = _OrganisationFields.base_fields["organisation"]
    preferred_language = _OrganisationFields.base_fields["preferred_language"]

    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | {"organisation", "preferred_language"}
