"""Users by CSV (docs/user-csv.md): every row valid or nothing written, every bad row reported.

The columns are described once, in `COLUMNS`: the header must name each of them (in any order);
an app may add an optional column of its own with `column_register`. Organisations are found by
their English name in the row's country; one that does not exist is a row error naming the
closest existing ones, unless the administrator allows creating it. New users get no password:
each gets a single-use set-password link that expires, since officers may have no e-mail address
the platform can reach.
"""

import csv
import difflib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_countries import countries

from .audit import audit
from .models import Organisation, User
from .roles import GROUP_NAMES, Role
from .tokens import set_password_days, set_password_tokens

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]

# Sent inside the import's transaction once its accounts exist, with `user_ids` and
# `base_url`: an app may mail each new person their set-password link (the links file stays).
users_imported = Signal()
# How many existing organisations a row error suggests, and how alike they must be (0 to 1).
SUGGESTIONS = 3
SUGGESTION_CUTOFF = 0.6


class CellError(Exception):
    """A cell's value is wrong; the message (translated) says how."""


@dataclass(frozen=True)
class Column:
    """One CSV column: its name, how a cell is read, and, for columns an app adds, what to do
    with the value once the user exists (in the same transaction)."""

    name: str
    read: Callable[[str], object]
    required: bool = True
    apply: Callable[[User, object], None] | None = None


def _username(value: str) -> str:
    try:
        UnicodeUsernameValidator()(value)
    except ValidationError:
        raise CellError(_("invalid user name “%(value)s”") % {"value": value}) from None
    if not value or len(value) > 150:
        raise CellError(_("invalid user name “%(value)s”") % {"value": value})
    return value


def _email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise CellError(_("invalid e-mail address “%(value)s”") % {"value": value}) from None
    return value


def _name(value: str) -> str:
    if len(value) > 150:
        raise CellError(_("a name is longer than 150 characters"))
    return value


def _organisation(value: str) -> str:
    if not value:
        raise CellError(_("the organisation is missing"))
    return value


def _country(value: str) -> str:
    code = value.upper()
    if code not in dict(countries):
        raise CellError(
            _("unknown country code “%(value)s” (ISO 3166 alpha-2, such as NE or MA)")
            % {"value": value}
        )
    return code


def _role(value: str) -> Role:
    if value not in Role.values:
        raise CellError(
            _("unknown role “%(value)s” (%(choices)s)")
            % {"value": value, "choices": ", ".join(Role.values)}
        )
    return Role(value)


def _language(value: str) -> str:
    if value not in LANGUAGE_CODES:
        raise CellError(
            _("unknown language “%(value)s” (%(choices)s)")
            % {"value": value, "choices": ", ".join(LANGUAGE_CODES)}
        )
    return value


# The contract (docs/user-csv.md): every file has these columns.
COLUMNS = [
    Column("username", _username),
    Column("email", _email),
    Column("first_name", _name),
    Column("last_name", _name),
    Column("organisation", _organisation),
    Column("country", _country),
    Column("role", _role),
    Column("language", _language),
]
_optional_columns: list[Column] = []


def column_register(column: Column) -> None:
    """Accept an optional column beside the contract's, e.g. from an app's `ready()`."""
    if column.required:
        raise ValueError("Added columns must be optional: existing files lack them.")
    if column.name in {c.name for c in columns()}:
        raise ValueError(f"The user CSV already has a column {column.name!r}.")
    _optional_columns.append(column)


def columns() -> list[Column]:
    return [*COLUMNS, *_optional_columns]


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
    # Values of the optional columns the file has, by column name.
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def organisation_key(self) -> tuple[str, str]:
        return (self.organisation.casefold(), self.country)


@dataclass(frozen=True)
class ImportPlan:
    """A file that passed every check: its rows, and the organisations it will create."""

    rows: list[UserRow]
    organisations: dict[tuple[str, str], Organisation | None]


class UserImportError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _line(number: int, messages: list[str]) -> tuple[int, str]:
    return number, _("line %(line)s: %(problems)s") % {
        "line": number,
        "problems": "; ".join(messages),
    }


def _header_problems(header: list[str]) -> list[str]:
    known = {column.name for column in columns()}
    required = [column.name for column in columns() if column.required]
    problems = []
    missing = [name for name in required if name not in header]
    if missing:
        problems.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
    unknown = [name for name in header if name not in known]
    if unknown:
        problems.append(_("unknown columns: %(names)s") % {"names": ", ".join(unknown)})
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        problems.append(_("repeated columns: %(names)s") % {"names": ", ".join(repeated)})
    if problems:
        problems.append(
            _("expected the columns %(names)s") % {"names": ",".join(c.name for c in COLUMNS)}
        )
    return problems


def _row_read(number: int, cells: dict[str, str]) -> tuple[UserRow | None, list[str]]:
    values: dict[str, object] = {}
    errors = []
    for column in columns():
        if column.name not in cells:
            continue
        try:
            values[column.name] = column.read(cells[column.name])
        except CellError as error:
            errors.append(str(error))
    if not cells["first_name"] and not cells["last_name"]:
        errors.append(_("a first or last name is required"))
    if errors:
        return None, errors
    fixed = {column.name for column in COLUMNS}
    row = UserRow(
        line=number,
        extra={name: value for name, value in values.items() if name not in fixed},
        **{name: value for name, value in values.items() if name in fixed},  # type: ignore[arg-type]
    )
    return row, []


def _closest_organisations(row: UserRow, existing: list[Organisation]) -> list[str]:
    by_name: dict[str, list[Organisation]] = {}
    for organisation in existing:
        by_name.setdefault(organisation.name_en.casefold(), []).append(organisation)
    names = difflib.get_close_matches(
        row.organisation.casefold(), list(by_name), n=SUGGESTIONS, cutoff=SUGGESTION_CUTOFF
    )
    found = [organisation for name in names for organisation in by_name[name]]
    # Those in the row's own country first.
    found.sort(key=lambda organisation: organisation.country.code != row.country)
    return [f"{o.name_en} ({o.country.code})" for o in found[:SUGGESTIONS]]


def users_parse(text: str, *, create_organisations: bool = False) -> ImportPlan:
    """Check every row; raise UserImportError listing every bad row by line number."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    header_problems = _header_problems(header)
    if header_problems:
        raise UserImportError([_line(1, header_problems)[1]])
    reader.fieldnames = header
    rows: list[UserRow] = []
    problems: list[tuple[int, str]] = []
    first_seen: dict[str, int] = {}
    for number, raw in enumerate(reader, start=2):
        if None in raw or any(value is None for value in raw.values()):
            problems.append(_line(number, [_("expected %(count)s cells") % {"count": len(header)}]))
            continue
        cells = {name: (value or "").strip() for name, value in raw.items()}
        if not any(cells.values()):
            continue
        row, errors = _row_read(number, cells)
        key = cells["username"].casefold()
        if key in first_seen:
            errors.append(
                _("user name “%(value)s” already appears on line %(line)s")
                % {"value": cells["username"], "line": first_seen[key]}
            )
        else:
            first_seen[key] = number
        if errors:
            problems.append(_line(number, errors))
        elif row is not None:
            rows.append(row)
    taken = set(
        User.objects.annotate(lower=Lower("username"))
        .filter(lower__in=[row.username.lower() for row in rows])
        .values_list("lower", flat=True)
    )
    organisations = _organisations_resolve(rows)
    existing: list[Organisation] = []
    if not create_organisations and None in organisations.values():
        existing = list(Organisation.objects.all())
    for row in rows:
        errors = []
        if row.username.lower() in taken:
            errors.append(_("user name “%(value)s” is already taken") % {"value": row.username})
        if organisations[row.organisation_key] is None and not create_organisations:
            closest = _closest_organisations(row, existing)
            if closest:
                errors.append(
                    _("no organisation “%(name)s” in %(country)s; the closest are: %(closest)s")
                    % {"name": row.organisation, "country": row.country,
                       "closest": ", ".join(closest)}
                )  # fmt: skip
            else:
                errors.append(
                    _("no organisation “%(name)s” in %(country)s, nor any with a similar name")
                    % {"name": row.organisation, "country": row.country}
                )
        if errors:
            problems.append(_line(row.line, errors))
    if not rows and not problems:
        raise UserImportError([_("the file has no user rows")])
    if problems:
        raise UserImportError([message for _number, message in sorted(problems)])
    return ImportPlan(rows=rows, organisations=organisations)


def _organisations_resolve(rows: list[UserRow]) -> dict[tuple[str, str], Organisation | None]:
    """The existing organisation of each (English name, country) the rows name, or None."""
    wanted = {row.organisation_key for row in rows}
    found: dict[tuple[str, str], Organisation | None] = dict.fromkeys(wanted)
    countries_named = {country for _name, country in wanted}
    for organisation in Organisation.objects.filter(country__in=countries_named):
        key = (organisation.name_en.casefold(), organisation.country.code)
        if key in found:
            found[key] = organisation
    return found


@dataclass(frozen=True)
class SetPasswordLink:
    username: str
    url: str
    expires: datetime


@dataclass(frozen=True)
class UserImportResult:
    links: list[SetPasswordLink]
    organisations_created: list[Organisation]
    user_ids: list[int]


def users_import(
    *, text: str, base_url: str, create_organisations: bool = False
) -> UserImportResult:
    """Create every user of the CSV in one transaction; return their set-password links and
    the organisations created (only with `create_organisations`)."""
    try:
        with transaction.atomic():
            return _users_create(
                users_parse(text, create_organisations=create_organisations), base_url=base_url
            )
    except IntegrityError as error:
        # Someone created one of these users or organisations meanwhile; nothing was written.
        raise UserImportError(
            [_("the accounts changed while the file was being imported; upload it again")]
        ) from error


def _users_create(plan: ImportPlan, *, base_url: str) -> UserImportResult:
    groups = {role: Group.objects.get(name=name) for role, name in GROUP_NAMES.items()}
    organisations = dict(plan.organisations)
    created = []
    for row in plan.rows:
        if organisations[row.organisation_key] is None:
            # A new top-level organisation, named in English; the other names fall back.
            organisation = Organisation(country=row.country)
            organisation.name_en = organisation.name = row.organisation
            organisation.save()
            organisations[row.organisation_key] = organisation
            created.append(organisation)
    extra_columns = {column.name: column for column in columns() if column.apply is not None}
    links = []
    user_ids = []
    expires = timezone.now() + timedelta(days=set_password_days())
    for row in plan.rows:
        user = User(
            username=row.username,
            email=row.email,
            first_name=row.first_name,
            last_name=row.last_name,
            organisation=organisations[row.organisation_key],
            preferred_language=row.language,
        )
        user.set_unusable_password()
        user.save()
        user.groups.add(groups[row.role])
        for name, value in row.extra.items():
            apply = extra_columns.get(name)
            if apply is not None and apply.apply is not None:
                apply.apply(user, value)
        links.append(set_password_link(user, base_url=base_url, expires=expires))
        user_ids.append(user.pk)
    users_imported.send(sender=User, user_ids=list(user_ids), base_url=base_url)
    audit(
        "users_imported",
        data={
            "count": len(links),
            "organisations": [f"{o.name_en} ({o.country.code})" for o in created],
        },
    )
    return UserImportResult(links=links, organisations_created=created, user_ids=user_ids)


def set_password_link(user: User, *, base_url: str, expires: datetime) -> SetPasswordLink:
    return SetPasswordLink(
        user.get_username(), base_url.rstrip("/") + set_password_path(user), expires
    )


def set_password_path(user: User) -> str:
    with translation.override(user.preferred_language):
        return reverse(
            "set_password",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": set_password_tokens.make_token(user),
            },
        )


def set_password_links_renew(*, user_ids: list[int], base_url: str) -> list[SetPasswordLink]:
    """Fresh links for those of `user_ids` who have not chosen a password yet."""
    expires = timezone.now() + timedelta(days=set_password_days())
    users = User.objects.filter(pk__in=user_ids, is_active=True).order_by("username")
    return [
        set_password_link(user, base_url=base_url, expires=expires)
        for user in users
        if not user.has_usable_password()
    ]


def links_csv(links: list[SetPasswordLink]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["username", "set_password_link", "expires_utc"])
    for link in links:
        writer.writerow([link.username, link.url, link.expires.strftime("%Y-%m-%d %H:%M")])
    return "\ufeff" + out.getvalue()
