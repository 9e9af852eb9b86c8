"""Open Badges 3.0 credentials (W3C VC 2.0 data model), the issuer profile, its key, and the
revocation status list — as JSON-LD documents, signed with `certificates.proofs`.

URLs (stable, without a language prefix, under the site's public base URL, which is
WAGTAILADMIN_BASE_URL):
  /credentials/issuer                       the issuer's OB 3.0 Profile (controller document)
  /credentials/issuer/keys/<multibase>      its Ed25519 Multikey (the proofs' verificationMethod)
  /credentials/status/<n>                   BitstringStatusListCredential number n (revocation)
"""

import base64
import gzip
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .jsonld import MULTIKEY_V1, OB_V3, VC_V2
from .keys import SigningKey
from .proofs import proof_add, proof_options

# Bits per status list: the specification's minimum (16 KB), so one list hides which
# certificate a verifier is checking among many.
STATUS_LIST_SIZE = 131_072
# How long a verifier may keep a status list (and the server caches one): revocations show
# everywhere within this time.
STATUS_TTL_SECONDS = 60

# `assertionMethod` is defined by none of the bundled contexts at the top level; this inline
# term makes the issuer profile a controller document verifiers can frame.
_ASSERTION_METHOD_TERM = {
    "assertionMethod": {
        "@id": "https://w3id.org/security#assertionMethod",
        "@type": "@id",
        "@container": "@set",
    }
}


def public_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def issuer_id() -> str:
    return public_url(reverse("credentials:issuer"))


def key_id(key: SigningKey) -> str:
    return public_url(reverse("credentials:key", args=[key.public_multibase]))


def status_list_id(number: int) -> str:
    return public_url(reverse("credentials:status_list", args=[number]))


def verification_url(*, serial: str, language: str) -> str:
    with translation.override(language):
        return public_url(reverse("certificates:verify", args=[serial]))


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def status_position(certificate_pk: int) -> tuple[int, int]:
    """(list number, index in that list) of a certificate's revocation bit."""
    return divmod(certificate_pk, STATUS_LIST_SIZE)


@dataclass(frozen=True)
class CredentialFacts:
    """What a credential states, read from a Certificate (services build it)."""

    pk: int
    credential_id: uuid.UUID
    serial: str
    language: str
    title: str
    issuer_name: str
    issuer_url: str
    names: tuple[str, ...]
    hours: str | None
    grade: str | None
    completed_at: datetime
    issued_at: datetime
    valid_until: datetime | None
    achievement_key: str
    kind: str = "course"
    # A workshop's first and last day and its venue (a country's name, or "online").
    starts_on: date | None = None
    ends_on: date | None = None
    venue: str = ""


def _wording(facts: CredentialFacts) -> tuple[str, str]:
    """(description, criteria) in the active language."""
    values = {"title": facts.title, "hours": facts.hours}
    if facts.kind == "workshop":
        values.update(
            dates=date_range(facts.starts_on, facts.ends_on),
            venue=facts.venue,
        )
        if facts.hours:
            description = _(
                "Completed the workshop “%(title)s” (%(hours)s hours), %(dates)s, %(venue)s."
            )
        else:
            description = _("Completed the workshop “%(title)s”, %(dates)s, %(venue)s.")
        criteria = _(
            "Attend the required share of the workshop's sessions, complete its courses and "
            "take its post-test."
        )
        return description % values, criteria
    if facts.hours:
        description = _("Completed the course “%(title)s” (%(hours)s hours).") % values
    else:
        description = _("Completed the course “%(title)s”.") % values
    return description, _("Complete every required activity of the course.")


def date_range(starts_on: date | None, ends_on: date | None) -> str:
    """A workshop's dates in the active language: one day, or first – last."""
    if starts_on is None:
        return ""
    first = date_format(starts_on, "DATE_FORMAT")
    if ends_on is None or ends_on == starts_on:
        return first
    return f"{first} – {date_format(ends_on, 'DATE_FORMAT')}"


def _achievement_id(key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, public_url('/credentials/') + key)}"


def credential_build(facts: CredentialFacts) -> dict:
    """The unsigned OpenBadgeCredential, worded in the certificate's language."""
    number, index = status_position(facts.pk)
    achievement_id = _achievement_id(facts.achievement_key)
    with translation.override(facts.language):
        description, criteria = _wording(facts)
        grade_name = _("Final quiz grade")
    issuer: dict = {"id": issuer_id(), "type": ["Profile"], "name": facts.issuer_name}
    if facts.issuer_url:
        issuer["url"] = facts.issuer_url
    achievement: dict = {
        "id": achievement_id,
        "type": ["Achievement"],
        # A workshop — sessions, courses, pre- and post-test — is a learning programme.
        "achievementType": "LearningProgram" if facts.kind == "workshop" else "Course",
        "name": facts.title,
        "description": description,
        "criteria": {"narrative": criteria},
        "inLanguage": facts.language,
    }
    subject: dict = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": name,
                "identityType": "name",
                "hashed": False,
            }
            for name in facts.names
        ],
        "activityEndDate": timestamp(facts.completed_at),
        "achievement": achievement,
    }
    if facts.starts_on is not None:
        subject["activityStartDate"] = f"{facts.starts_on.isoformat()}T00:00:00Z"
    if facts.grade is not None:
        grade_id = f"{achievement_id}#grade"
        achievement["resultDescription"] = [
            {
                "id": grade_id,
                "type": ["ResultDescription"],
                "name": grade_name,
                "resultType": "Percent",
            }
        ]
        subject["result"] = [
            {"type": ["Result"], "resultDescription": grade_id, "value": facts.grade}
        ]
    credential: dict = {
        "@context": [VC_V2, OB_V3],
        "id": f"urn:uuid:{facts.credential_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": facts.title,
        "description": description,
        "issuer": issuer,
        "validFrom": timestamp(facts.issued_at),
        "awardedDate": timestamp(facts.issued_at),
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{status_list_id(number)}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": status_list_id(number),
        },
    }
    if facts.valid_until is not None:
        credential["validUntil"] = timestamp(facts.valid_until)
    return credential


def credential_sign(document: dict, *, key: SigningKey, created: datetime | None = None) -> dict:
    return proof_add(
        document, key=key, options=proof_options(verification_method=key_id(key), created=created)
    )


def issuer_profile(*, key: SigningKey, name: str, url: str = "") -> dict:
    """The issuer's Profile, listing the key its proofs are made with."""
    if key.throwaway:
        name = f"{name} (development key: not a real issuer)"
    profile: dict = {
        "@context": [VC_V2, OB_V3, MULTIKEY_V1, _ASSERTION_METHOD_TERM],
        "id": issuer_id(),
        "type": ["Profile"],
        "name": name,
        "assertionMethod": [key_id(key)],
    }
    if url:
        profile["url"] = url
    return profile


def key_document(key: SigningKey) -> dict:
    return {
        "@context": MULTIKEY_V1,
        "id": key_id(key),
        "type": "Multikey",
        "controller": issuer_id(),
        "publicKeyMultibase": key.public_multibase,
    }


def bitstring_encode(indexes: set[int] | frozenset[int], size: int = STATUS_LIST_SIZE) -> str:
    """Multibase base64url (no padding) of the GZIP-compressed bitstring with `indexes` set;
    index 0 is the left-most bit of the first byte."""
    bits = bytearray(size // 8)
    for i in indexes:
        bits[i // 8] |= 0x80 >> (i % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def bitstring_decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("not base64url multibase")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def bit_is_set(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(
    *, number: int, revoked: set[int], key: SigningKey, now: datetime
) -> dict:
    """The signed revocation list `number`, valid for STATUS_TTL_SECONDS from `now`."""
    url = status_list_id(number)
    document = {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "validFrom": timestamp(now),
        "validUntil": timestamp(now + timedelta(seconds=STATUS_TTL_SECONDS)),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "ttl": STATUS_TTL_SECONDS * 1000,
            "encodedList": bitstring_encode(revoked),
        },
    }
    return credential_sign(document, key=key, created=now)
