"""Demo accounts and organisations for `seed_demo`. Every name here is fictional."""

from django.contrib.auth.models import Group
from django.db import transaction

from .models import Organisation, User
from .roles import GROUP_NAMES, Role
from .services import user_set_preferred_language

ORGANISATIONS = {
    "niger": {
        "country": "NE",
        "name": {
            "en": "Cybercrime Investigation Service",
            "fr": "Service d'enquête sur la cybercriminalité",
            "ar": "مصلحة التحقيق في الجرائم الإلكترونية",
        },
    },
    "niger-unit": {
        "country": "NE",
        "parent": "niger",
        "name": {
            "en": "Digital Evidence Unit",
            "fr": "Cellule des preuves numériques",
            "ar": "خلية الأدلة الرقمية",
        },
    },
    "morocco": {
        "country": "MA",
        "name": {
            "en": "Prosecution Office for Terrorism Cases",
            "fr": "Parquet chargé des affaires de terrorisme",
            "ar": "النيابة العامة المختصة بقضايا الإرهاب",
        },
    },
}

USERS = [
    # username, first name, last name, organisation, role, language, superuser
    ("admin", "Admin", "Demo", "niger", None, "en", True),
    ("trainer", "Nadia", "Demo", "morocco", Role.TRAINER, "fr", False),
    ("manager", "Ibrahim", "Demo", "niger", Role.MANAGER, "fr", False),
    ("investigator", "Salma", "Demo", "niger-unit", Role.LEARNER, "ar", False),
    ("prosecutor", "Karim", "Demo", "morocco", Role.LEARNER, "ar", False),
]


@transaction.atomic
def demo_seed_accounts(*, password: str) -> dict[str, User]:
    organisations: dict[str, Organisation] = {}
    for key, spec in ORGANISATIONS.items():
        organisation, _created = Organisation.objects.get_or_create(
            name_en=spec["name"]["en"],
            country=spec["country"],
            defaults={
                "name_fr": spec["name"]["fr"],
                "name_ar": spec["name"]["ar"],
                "parent": organisations.get(spec.get("parent", "")),
            },
        )
        organisations[key] = organisation

    users: dict[str, User] = {}
    for username, first, last, org_key, role, language, superuser in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.tadrib.invalid",
                "organisation": organisations[org_key],
                "is_superuser": superuser,
                "is_staff": superuser,
            },
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        if created:
            user_set_preferred_language(user=user, language=language)
        if role is not None:
            user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
        users[username] = user
    return users
