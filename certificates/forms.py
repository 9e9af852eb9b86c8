from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RevocationReason
from .selectors import UPLOAD_MAX_BYTES
from .serials import Problem, serial_read

PROBLEM_MESSAGES = {
    Problem.EMPTY: _("Type the serial printed on the certificate."),
    Problem.CHARACTER: _(
        "A serial has only digits and the letters A C D E F G H J K M N P Q R T V W X Y."
    ),
    Problem.LENGTH: _("A serial has 13 characters after TDR (for example TDR-7KQ4-M2XP-R8WD-E)."),
    Problem.CHECK: _(
        "This is not a valid serial: a character was probably mistyped. Check each character."
    ),
}


class SerialForm(forms.Form):
    serial = forms.CharField(
        label=_("Certificate serial"),
        max_length=64,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "dir": "ltr",
                "placeholder": "TDR-XXXX-XXXX-XXXX-X",
            }
        ),
    )

    def clean_serial(self):
        reading = serial_read(self.cleaned_data["serial"])
        if reading.serial is None:
            raise forms.ValidationError(PROBLEM_MESSAGES[reading.problem])
        self.reading = reading
        return reading.serial


class CredentialUploadForm(forms.Form):
    credential = forms.FileField(
        label=_("Credential file (JSON)"),
        help_text=_("The .json file the holder downloaded from Tadrib."),
    )

    def clean_credential(self):
        upload = self.cleaned_data["credential"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("This file is too large to be a Tadrib credential."))
        return upload


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RevocationReason.choices)
    note = forms.CharField(
        label=_("Note for administrators"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
