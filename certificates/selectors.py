"""Reads for certificates: public verification, the holder's own, status lists, and who holds
a certificate issued before a course changed."""

import functools
import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from . import rules
from .credentials import (
    STATUS_LIST_SIZE,
    STATUS_TTL_SECONDS,
    issuer_profile,
    key_id,
    status_list_credential,
)
from .jsonld import JsonLdInvalid
from .keys import signing_key
from .models import Certificate, IssuerSettings, Kind
from .proofs import ProofInvalid, proof_verify


def certificate_by_serial(*, serial: str) -> Certificate | None:
    return Certificate.objects.filter(serial=serial).select_related("superseded_by").first()


def holder_all_certificates(*, user) -> list[Certificate]:
    """Every certificate of the user, course and workshop ones: one query (My learning reads
    both lists from it)."""
    return list(Certificate.objects.filter(holder=user).order_by("-issued_at", "-round"))


def holder_certificates(*, user, loaded: list[Certificate] | None = None) -> dict[int, Certificate]:
    """The user's current certificate per course (the latest round), by course id: one query,
    or none when `loaded` (holder_all_certificates) is given."""
    rows = holder_all_certificates(user=user) if loaded is None else loaded
    current: dict[int, Certificate] = {}
    for certificate in sorted(
        (c for c in rows if c.course_id is not None), key=lambda c: (c.course_id, c.round)
    ):
        current[certificate.course_id] = certificate
    return current


def holder_workshop_certificates(
    *, user, loaded: list[Certificate] | None = None
) -> list[Certificate]:
    """The user's workshop certificates (the latest round of each), newest first: one query,
    or none when `loaded` is given. A deleted workshop's certificate stays listed under the
    title it was issued with."""
    rows = holder_all_certificates(user=user) if loaded is None else loaded
    seen: set[int] = set()
    current = []
    for certificate in rows:
        if certificate.kind != Kind.WORKSHOP:
            continue
        if certificate.workshop_id is not None:
            if certificate.workshop_id in seen:
                continue
            seen.add(certificate.workshop_id)
        current.append(certificate)
    return current


def holder_certificate(*, user, serial: str) -> Certificate | None:
    """The user's own certificate with this serial, else None (someone else's is not found)."""
    if not user.is_authenticated:
        return None
    return Certificate.objects.filter(holder=user, serial=serial).first()


def _status_key(number: int) -> str:
    return f"certificates:status-list:{number}"


def status_list_document(*, number: int) -> dict:
    """Status list `number`, signed; cached (it holds nothing personal) for the status TTL and
    dropped from the cache when one of its certificates is revoked."""
    cached = cache.get(_status_key(number))
    if cached is not None:
        return json.loads(cached)
    start = number * STATUS_LIST_SIZE
    revoked = {
        pk - start
        for pk in Certificate.objects.filter(
            pk__gte=start, pk__lt=start + STATUS_LIST_SIZE, revoked_at__isnull=False
        ).values_list("pk", flat=True)
    }
    document = status_list_credential(
        number=number, revoked=revoked, key=signing_key(), now=timezone.now()
    )
    cache.set(_status_key(number), json.dumps(document), STATUS_TTL_SECONDS)
    return document


def status_list_forget(*, certificate_pk: int) -> None:
    cache.delete(_status_key(certificate_pk // STATUS_LIST_SIZE))


def status_list_count() -> int:
    """How many status lists exist (at least one)."""
    last = Certificate.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return last // STATUS_LIST_SIZE + 1


def issuer_profile_document() -> dict:
    issuer = IssuerSettings.load()
    names = issuer.names()
    return issuer_profile(key=signing_key(), name=names["en"], url=issuer.url)


class CredentialCheck:
    """What an uploaded credential was found to be."""

    NOT_JSON = "not_json"
    NOT_OURS = "not_ours"
    SIGNATURE_BROKEN = "signature_broken"
    VERIFIED = "verified"


@dataclass(frozen=True)
class CredentialCheckResult:
    outcome: str
    certificate: Certificate | None = None
    state: rules.State | None = None


# An issued credential is a few kilobytes; anything far larger is not one of ours.
UPLOAD_MAX_BYTES = 64 * 1024


def credential_check(*, data: bytes, now: datetime | None = None) -> CredentialCheckResult:
    """Whether an uploaded credential's signature holds (with this issuer's key) and, if it
    does, the status of the certificate it belongs to, as of now."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return CredentialCheckResult(CredentialCheck.NOT_JSON)
    if not isinstance(document, dict) or not isinstance(document.get("proof"), dict):
        return CredentialCheckResult(CredentialCheck.NOT_JSON)
    key = signing_key()
    if document["proof"].get("verificationMethod") != key_id(key):
        return CredentialCheckResult(CredentialCheck.NOT_OURS)
    try:
        proof_verify(document, public_key=key.public)
    except (ProofInvalid, JsonLdInvalid):
        return CredentialCheckResult(CredentialCheck.SIGNATURE_BROKEN)
    credential_id = str(document.get("id", "")).removeprefix("urn:uuid:")
    try:
        certificate = Certificate.objects.filter(credential_id=uuid.UUID(credential_id)).first()
    except ValueError:  # not a UUID
        certificate = None
    if certificate is None:
        return CredentialCheckResult(CredentialCheck.NOT_OURS)
    return CredentialCheckResult(
        CredentialCheck.VERIFIED, certificate, certificate.state(now or timezone.now())
    )


def holders_before_change(*, course, scope=None) -> list[Certificate]:
    """Current, unrevoked certificates of `course` issued before it was marked substantially
    changed (none if it never was); `scope` (a User queryset) narrows the holders."""
    if course.substantially_changed_on is None:
        return []
    certificates = Certificate.objects.filter(
        course=course,
        revoked_at__isnull=True,
        superseded_by__isnull=True,
        issued_at__date__lt=course.substantially_changed_on,
    ).select_related("holder", "holder__organisation")
    if scope is not None:
        certificates = certificates.filter(holder__in=scope)
    return list(certificates.order_by("issued_at"))


def courses_changed() -> list:
    """Courses marked substantially changed, most recent change first."""
    from courses.models import CoursePage

    return list(
        CoursePage.objects.filter(substantially_changed_on__isnull=False).order_by(
            "-substantially_changed_on"
        )
    )


# What My learning reads of a learner's certificates, in the statement that reads their
# enrolments (courses.learning_shell.CertificateRows): the columns, as SQL and as fields.
_LEARNING_FIELDS = (
    "course_id",
    "workshop_id",
    "kind",
    "serial",
    "title",
    "language",
    "starts_on",
    "ends_on",
    "venue_country",
    "issued_at",
    "round",
)


@functools.cache
def _learning_columns() -> tuple[str, tuple[str, ...]]:
    """The SELECT list, and each column's type for a NULL in another branch of a UNION. The
    title (JSON) is read as text, for a UNION has no JSON type on every database."""
    columns, types = [], []
    for name in _LEARNING_FIELDS:
        field = Certificate._meta.get_field(name)
        column = connection.ops.quote_name(field.column)
        if name == "title":
            columns.append(f"CAST({column} AS TEXT)")
            types.append("TEXT")
        else:
            columns.append(column)
            types.append(field.db_type(connection) or "TEXT")
    return ", ".join(columns), tuple(types)


def learning_statement(user_id: int) -> tuple[str, str, list]:
    """My learning's certificate rows for `user_id`: (SELECT list, FROM … WHERE …, params)."""
    columns, _types = _learning_columns()
    holder = Certificate._meta.get_field("holder").column
    table = connection.ops.quote_name(Certificate._meta.db_table)
    return columns, f"FROM {table} WHERE {holder} = %s", [user_id]


def learning_null_types() -> tuple[str, ...]:
    return _learning_columns()[1]


class _LearningRow:
    """A certificate as My learning reads it: the fields of `learning_statement`, and the
    model's own title and venue in the active language (its methods, borrowed), without the
    cost of making a model instance on every request."""

    __slots__ = _LEARNING_FIELDS
    title_in = Certificate.title_in
    venue_in = Certificate.venue_in
    current_title = Certificate.current_title
    current_venue = Certificate.current_venue

    def __init__(self, values: tuple):
        for name, value in zip(_LEARNING_FIELDS, values, strict=True):
            setattr(self, name, value)


def learning_decode(rows: list[tuple]):
    """`learning_links` from the rows of `learning_statement` (in any order; in the order of
    `_LEARNING_FIELDS`: the title, the dates and the time of issue converted as the ORM does)."""
    from courses.course_shell import _as_date, _as_datetime

    certificates = []
    for row in rows:
        values = list(row)
        title = values[4]
        values[4] = json.loads(title) if isinstance(title, str) else (title or {})
        values[6], values[7] = _as_date(values[6]), _as_date(values[7])
        values[9] = _as_datetime(values[9])
        certificates.append(_LearningRow(tuple(values)))
    certificates.sort(key=lambda c: (c.round, c.issued_at))
    return _links(certificates)


def learning_links(user):
    """My learning's certificates (courses.learning_shell): the current one per course and the
    workshop ones, newest first, as values in the active language: one statement."""
    rows = Certificate.objects.filter(holder=user).order_by("round", "issued_at")
    return _links(rows.only(*_LEARNING_FIELDS))


def _links(certificates):
    """The current certificate per course and the workshop ones, newest first, from the
    learner's certificates by round and time of issue."""
    from courses.learning_shell import (
        CertificateLinks,
        LearnerCertificates,
        WorkshopCertificateLinks,
    )

    by_course: dict[int, CertificateLinks] = {}
    by_workshop: dict = {}
    for certificate in certificates:
        if certificate.course_id is not None:
            by_course[certificate.course_id] = CertificateLinks(
                certificate.serial, certificate.current_title
            )
        elif certificate.kind == Kind.WORKSHOP:
            # A deleted workshop's certificates stay listed, each on its own.
            key = certificate.workshop_id or ("gone", certificate.serial)
            by_workshop[key] = certificate
    workshops = sorted(by_workshop.values(), key=lambda c: c.issued_at, reverse=True)
    return LearnerCertificates(
        by_course,
        tuple(
            WorkshopCertificateLinks(
                c.serial, c.current_title, c.starts_on, c.ends_on, c.current_venue
            )
            for c in workshops
        ),
    )
