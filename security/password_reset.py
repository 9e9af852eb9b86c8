"""Rate limits on "Forgot your password?" (docs/security.md, "Password reset").

Per address, `TADRIB_PASSWORD_RESET_ADDRESS_LIMIT` requests a window: beyond it the request is
refused with a message (it says nothing about any account). Per account,
`TADRIB_PASSWORD_RESET_ACCOUNT_LIMIT` mails a window: beyond it nothing more is sent, and the
answer stays the same, so the limit cannot be used to learn whether an account exists. Counted
in the database (`security.throttle`), like sign-in failures; every refusal is audited.
"""

from django.conf import settings

from cms.requests import client_ip

from . import throttle
from .audit import Action, audit_log


def window_seconds() -> int:
    return getattr(settings, "TADRIB_PASSWORD_RESET_WINDOW", 3600)


def reset_request_allowed(*, request) -> bool:
    """Count a request from the request's address; False once it is over the limit."""
    address = client_ip(request)
    if address is None:
        return True
    count = throttle.attempt_record(
        key=throttle.counter_key("password-reset", "address", address), window=window_seconds()
    )
    if count <= getattr(settings, "TADRIB_PASSWORD_RESET_ADDRESS_LIMIT", 10):
        return True
    audit_log(action=Action.PASSWORD_RESET_THROTTLED, request=request, data={"scope": "address"})
    return False


def reset_mail_allowed(*, user, request) -> bool:
    """Count a mail to `user`; False once the account has had its share for now."""
    count = throttle.attempt_record(
        key=throttle.counter_key("password-reset", "account", str(user.pk)),
        window=window_seconds(),
    )
    if count <= getattr(settings, "TADRIB_PASSWORD_RESET_ACCOUNT_LIMIT", 3):
        return True
    audit_log(
        action=Action.PASSWORD_RESET_THROTTLED,
        request=request,
        obj=user,
        data={"scope": "account"},
    )
    return False
