"""What the platform holds about a person: pseudonymous codes, a full export, erasure."""

import base64
import json

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.serializers import serialize
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp import devices_for_user

from cms.signals import personal_data_erased

from .audit import Action, audit_log
from .models import AuditEntry, Lockout

User = get_user_model()

# Apps whose rows about a user are exported together with their own child rows (a quiz
# attempt with its responses).
_DOMAIN_APPS = ("cms", "courses", "quizzes", "security")
# Never exported: second-factor secrets and password hashes.
_SECRET_APPS = ("otp_totp", "otp_static", "otp_email", "otp_hotp", "sessions")
_SECRET_FIELDS = {"password", "key", "token", "secret"}


def learner_code(user) -> str:
    """A stable pseudonym for `user` in exports: an HMAC of the id keyed by SECRET_KEY.

    The same learner always gets the same code, codes cannot be turned back into ids without
    the key, and they change if the key does.
    """
    digest = salted_hmac("tadrib.security.learner_code", str(user.pk), algorithm="sha256")
    return "L-" + base64.b32encode(digest.digest()).decode()[:10]


def _rows(queryset) -> list[dict]:
    rows = json.loads(serialize("json", queryset, cls=DjangoJSONEncoder))
    for row in rows:
        for name in _SECRET_FIELDS & row["fields"].keys():
            row["fields"][name] = None
    return rows


def _reverse_fks(model) -> list:
    return [
        relation
        for relation in model._meta.related_objects
        if relation.one_to_many or relation.one_to_one
    ]


def learner_data_export(*, user, by=None, request=None) -> dict:
    """Everything stored about `user`, as JSON-ready data: the account, then every row that
    points at it, grouped by model (and, for the platform's own models, their child rows)."""
    account = _rows(User.objects.filter(pk=user.pk))[0]
    data: dict = {
        "format": "tadrib.personal-data/1",
        "exported_at": timezone.now().isoformat(),
        "account": account,
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "records": {},
    }
    for relation in _reverse_fks(User):
        model = relation.related_model
        if model._meta.app_label in _SECRET_APPS:
            continue
        queryset = model._default_manager.filter(**{relation.field.name: user})
        rows = _rows(queryset)
        if not rows:
            continue
        data["records"].setdefault(model._meta.label, []).extend(rows)
        if model._meta.app_label in _DOMAIN_APPS:
            for child in _reverse_fks(model):
                child_model = child.related_model
                if child_model._meta.app_label not in _DOMAIN_APPS:
                    continue
                child_rows = _rows(
                    child_model._default_manager.filter(**{f"{child.field.name}__in": queryset})
                )
                if child_rows:
                    data["records"].setdefault(child_model._meta.label, []).extend(child_rows)
    data["second_factor_devices"] = len(list(devices_for_user(user, confirmed=None)))
    audit_log(action=Action.DATA_EXPORTED, request=request, user=by, obj=user)
    return data


class ErasureRefused(Exception):
    pass


@transaction.atomic
def learner_erase(*, user, by=None, request=None) -> None:
    """Remove `user`'s personal data and keep their progress and attempts, anonymised.

    The account stays (so completion rates and item statistics stay right) under a
    pseudonymous name, without e-mail, names or a usable password, and inactive, which also
    ends its sessions. Audit entries about it lose the name and address.
    """
    if user.is_superuser:
        raise ErasureRefused("Administrators cannot be erased.")
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    old_username = user.get_username()
    user.username = f"erased-{learner_code(user)}".lower()
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.full_name_arabic = ""
    user.full_name_latin = ""
    user.time_zone = ""  # where someone reads times from says where they are
    user.is_active = False
    user.set_unusable_password()
    user.save()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    AuditEntry.objects.filter(models.Q(user=user) | models.Q(username__iexact=old_username)).update(
        username="", ip_address=None
    )
    # Lockouts name the account and the address they were about.
    AuditEntry.objects.filter(data__username__iexact=old_username).update(data={}, object_repr="")
    Lockout.objects.filter(username__iexact=old_username).delete()
    profile_model = _wagtail_profile_model()
    if profile_model is not None:
        for profile in profile_model.objects.filter(user=user):
            if profile.avatar:
                profile.avatar.delete(save=False)
            profile.delete()
    personal_data_erased.send(sender=learner_erase, user=user)
    audit_log(action=Action.USER_ERASED, request=request, user=by, obj=user)


def _wagtail_profile_model():
    try:
        return apps.get_model("wagtailusers", "UserProfile")
    except LookupError:
        return None
