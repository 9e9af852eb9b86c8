from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import TOPICS


class EmailTopicsForm(forms.Form):
    receive = forms.MultipleChoiceField(
        label=_("Send me e-mails about"),
        help_text=_("Untick what you do not want. Sign-in and security notices are always sent."),
        choices=list(TOPICS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
