"""The two single-use links that let someone choose a password (docs/security.md).

Both hash the password and the last sign-in into the token, so setting a password or signing in
spends it. Each has its own salt: a link made for one purpose does not open the other's page.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.http import base36_to_int


class SetPasswordTokenGenerator(PasswordResetTokenGenerator):
    """For accounts an administrator created (user import): valid TADRIB_SET_PASSWORD_DAYS
    days (`PASSWORD_RESET_TIMEOUT`), as the link may travel by hand."""

    key_salt = "tadrib.set-password"


class PasswordResetTokens(PasswordResetTokenGenerator):
    """For "Forgot your password?": mailed to the account's own address, so it is valid only
    `TADRIB_PASSWORD_RESET_HOURS` hours."""

    key_salt = "tadrib.password-reset"

    def check_token(self, user, token) -> bool:
        if not super().check_token(user, token):
            return False
        made = base36_to_int(token.split("-")[0])
        return self._num_seconds(self._now()) - made <= reset_link_hours() * 3600


def reset_link_hours() -> int:
    return getattr(settings, "TADRIB_PASSWORD_RESET_HOURS", 2)


def set_password_days() -> int:
    return settings.PASSWORD_RESET_TIMEOUT // 86400


set_password_tokens = SetPasswordTokenGenerator()
password_reset_tokens = PasswordResetTokens()
