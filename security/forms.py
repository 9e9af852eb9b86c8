from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm

from cms.forms import PasswordResetForm

from . import lockout, password_reset


class LockoutMixin:
    """Refuse to check the password while the account or the address is locked, and say so."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed sign-in attempts. For your protection, signing in is blocked "
            "for %(minutes)s minutes. Try again later or ask your administrator to unlock "
            "your account."
        ),
    }

    def _locked_error(self) -> ValidationError:
        return ValidationError(
            self.error_messages["locked"],
            code="locked",
            params={"minutes": lockout.window_seconds() // 60},
        )

    def clean(self):
        username = self.cleaned_data.get("username")
        if lockout.is_locked(request=self.request, username=username):
            raise self._locked_error()
        try:
            return super().clean()
        except ValidationError:
            # The failure just counted may be the one that locks.
            if lockout.is_locked(request=self.request, username=username):
                raise self._locked_error() from None
            raise


class LockoutAuthenticationForm(LockoutMixin, AuthenticationForm):
    """The public sign-in form."""


class LockoutAdminLoginForm(LockoutMixin, LoginForm):
    """The Wagtail admin's sign-in form (`WAGTAILADMIN_USER_LOGIN_FORM`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail's form gives the field no label, so Django's untranslated "Password" showed.
        self.fields["password"].label = _("Password")


class ThrottledPasswordResetForm(PasswordResetForm):
    """The "Forgot your password?" form with its rate limits (`TADRIB_PASSWORD_RESET_FORM`)."""

    error_messages = {
        "throttled": _(
            "Too many password requests have come from your network. Try again in "
            "%(minutes)s minutes, or ask your administrator."
        ),
    }

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not password_reset.reset_request_allowed(request=self.request):
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": password_reset.window_seconds() // 60},
            )
        return cleaned

    def get_users(self, email: str):
        return [
            user
            for user in super().get_users(email)
            if password_reset.reset_mail_allowed(user=user, request=self.request)
        ]


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "dir": "ltr"}
        ),
    )

    def clean_token(self) -> str:
        return "".join(self.cleaned_data["token"].split())
