"""Second factor: TOTP devices and static recovery codes from django-otp.

Whether a session must still pass a second factor is decided from two flags stored in the
session when the user signs in, so pages cost no extra query: the user has a confirmed device
(then every page asks for the code until it is given), and the user is staff (then, when
`TADRIB_REQUIRE_STAFF_2FA` is on, the admin and the reports ask them to enrol first).
"""

import base64
from binascii import unhexlify

import segno
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.account_sections import AccountSection
from cms.roles import GROUP_NAMES, Role

SESSION_HAS_DEVICE = "security_2fa_device"
SESSION_IS_STAFF = "security_staff"
RECOVERY_CODE_COUNT = 10
STAFF_GROUPS = (GROUP_NAMES[Role.TRAINER], GROUP_NAMES[Role.MANAGER])


def is_staff_user(user) -> bool:
    """Trainers, managers and administrators: the accounts that must use a second factor."""
    return bool(
        user.is_superuser or user.is_staff or user.groups.filter(name__in=STAFF_GROUPS).exists()
    )


def staff_2fa_required() -> bool:
    return bool(getattr(settings, "TADRIB_REQUIRE_STAFF_2FA", False))


def session_flags_set(*, request, user) -> None:
    request.session[SESSION_HAS_DEVICE] = user_has_device(user, confirmed=True)
    request.session[SESSION_IS_STAFF] = is_staff_user(user)


def totp_device_pending(*, user) -> TOTPDevice:
    """The user's unconfirmed TOTP device, created on first call; confirmed by a first code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The key in base32, for typing into an app when the QR code cannot be scanned."""
    return base64.b32encode(unhexlify(device.key)).decode().rstrip("=")


def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG markup: drawn on the server, no image request."""
    return segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff", omitsize=False)


@transaction.atomic
def totp_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm `device` if `token` is right; other TOTP devices of the user are removed."""
    if not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


@transaction.atomic
def recovery_codes_regenerate(*, user) -> list[str]:
    """Replace the user's recovery codes with new single-use ones; return them (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


@transaction.atomic
def second_factor_remove(*, user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def preferences_section(user) -> AccountSection:
    """What the Preferences page says about the second factor, with the way to it."""
    if user_has_device(user, confirmed=True):
        text = _(
            "Two-step verification is on: after your password, you give a code from your "
            "authenticator app."
        )
        label = _("Manage two-step verification")
    else:
        text = _(
            "Two-step verification is off. With it, a code from your phone is asked after "
            "your password, so a stolen password alone does not open your account."
        )
        label = _("Set up two-step verification")
    return AccountSection(
        title=_("Two-step verification"),
        text=text,
        link_label=label,
        url=reverse("security:two_factor"),
    )
