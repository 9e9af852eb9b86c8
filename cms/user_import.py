"""Bulk onboarding from CSV (DESIGN.md, "Users by CSV"): every row valid or nothing written.

Columns: username,email,first_name,last_name,organisation,country,role,language. New users get
no password: each gets a single-use set-password link that expires, since officers may have no
e-mail address the platform can reach.
"""

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_countries import countries

from .audit import audit
from .models import Organisation, User
from .roles import GROUP_NAMES, Role

COLUMNS = [
    "username",
    "email",
    "first_name",
    "last_name",
    "organisation",
    "country",
    "role",
    "language",
]
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


class SetPasswordTokenGenerator(PasswordResetTokenGenerator):
    """Single use: the token hashes the password and last sign-in, which setting a password
    changes. Valid for PASSWORD_RESET_TIMEOUT (TADRIB_SET_PASSWORD_DAYS days by default)."""

    key_salt = "tadrib.set-password"


set_password_tokens = SetPasswordTokenGenerator()


def set_password_days() -> int:
    return settings.PASSWORD_RESET_TIMEOUT // 86400


@dataclass(frozen=True)
class UserRow:
    line: int
    username: str
    email: str
    first_name: str
    last_name: str
    organisation: str
    country: str
    role: Role
    language: str


class UserImportError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def users_parse(text: str) -> list[UserRow]:
    """Validate every row; raise UserImportError listing every bad row by line number."""
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if header != COLUMNS:
        raise UserImportError(
            [
                f"line 1: expected the columns {','.join(COLUMNS)}, "
                f"got {','.join(header) or 'nothing'}"
            ]
        )
    rows: list[UserRow] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    username_validator = UnicodeUsernameValidator()
    for index, raw in enumerate(reader, start=2):
        if None in raw or any(value is None for value in raw.values()):
            problems.append(f"line {index}: expected {len(COLUMNS)} columns")
            continue
        values = {key.strip().lower(): (value or "").strip() for key, value in raw.items()}
        if not any(values.values()):
            continue
        errors = []
        username = values["username"]
        try:
            username_validator(username)
            if not username or len(username) > 150:
                raise ValidationError("length")
        except ValidationError:
            errors.append(f"invalid username {username!r}")
        key = username.casefold()
        if key in seen:
            errors.append(f"username {username!r} already appears on line {seen[key]}")
        else:
            seen[key] = index
        try:
            validate_email(values["email"])
        except ValidationError:
            errors.append(f"invalid email {values['email']!r}")
        country = values["country"].upper()
        if country not in dict(countries):
            errors.append(f"unknown country code {values['country']!r} (ISO 3166 alpha-2)")
        if values["role"] not in Role.values:
            errors.append(f"unknown role {values['role']!r} (learner, trainer or manager)")
        if values["language"] not in LANGUAGE_CODES:
            errors.append(f"unknown language {values['language']!r} (en, fr or ar)")
        if not values["organisation"]:
            errors.append("organisation is required")
        if not values["first_name"] and not values["last_name"]:
            errors.append("a first or last name is required")
        if errors:
            problems.append(f"line {index}: " + "; ".join(errors))
            continue
        rows.append(
            UserRow(
                line=index, username=username, email=values["email"],
                first_name=values["first_name"], last_name=values["last_name"],
                organisation=values["organisation"], country=country, role=Role(values["role"]),
                language=values["language"],
            )
        )  # fmt: skip
    taken = {
        u.casefold(): u
        for u in User.objects.filter(username__in=[r.username for r in rows]).values_list(
            "username", flat=True
        )
    }
    problems += [
        f"line {row.line}: username {row.username!r} is already taken"
        for row in rows
        if row.username.casefold() in taken
    ]
    if not rows and not problems:
        problems.append("the file has no user rows")
    if problems:
        raise UserImportError(sorted(problems, key=lambda p: int(p.split(":")[0].split()[1])))
    return rows


@dataclass(frozen=True)
class SetPasswordLink:
    username: str
    url: str
    expires: object


def users_import(*, text: str, base_url: str) -> list[SetPasswordLink]:
    """Create every user of the CSV in one transaction; return their set-password links."""
    rows = users_parse(text)
    groups = {role: Group.objects.get(name=name) for role, name in GROUP_NAMES.items()}
    links = []
    expires = timezone.now() + timedelta(days=set_password_days())
    with transaction.atomic():
        organisations: dict[tuple[str, str], Organisation] = {}
        for row in rows:
            key = (row.organisation.casefold(), row.country)
            if key not in organisations:
                organisation = Organisation.objects.filter(
                    name_en__iexact=row.organisation, country=row.country
                ).first()
                if organisation is None:
                    organisation = Organisation(country=row.country)
                    organisation.name_en = organisation.name = row.organisation
                    organisation.save()
                organisations[key] = organisation
            user = User(
                username=row.username,
                email=row.email,
                first_name=row.first_name,
                last_name=row.last_name,
                organisation=organisations[key],
                preferred_language=row.language,
            )
            user.set_unusable_password()
            user.save()
            user.groups.add(groups[row.role])
            links.append(
                SetPasswordLink(
                    row.username, base_url.rstrip("/") + set_password_path(user), expires
                )
            )
        audit("users_imported", detail=f"{len(links)} users")
    return links


def set_password_path(user: User) -> str:
    with translation.override(user.preferred_language):
        return reverse(
            "set_password",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": set_password_tokens.make_token(user),
            },
        )


def links_csv(links: list[SetPasswordLink]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["username", "set_password_link", "expires_utc"])
    for link in links:
        writer.writerow([link.username, link.url, link.expires.strftime("%Y-%m-%d %H:%M")])
    return "\ufeff" + out.getvalue()
