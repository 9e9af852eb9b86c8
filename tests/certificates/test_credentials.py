"""What the Open Badges 3.0 credential says, its issuer documents, and its revocation status."""

import json

import pytest
from django.test import override_settings

from certificates import services
from certificates.credentials import bit_is_set, bitstring_decode, bitstring_encode, status_position
from certificates.jsonld import canonicalize
from certificates.keys import signing_key
from certificates.models import RevocationReason
from certificates.proofs import proof_verify

pytestmark = pytest.mark.django_db


def test_the_credential_is_an_open_badge_credential_in_the_holders_language(completed):
    credential = completed.credential
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == f"urn:uuid:{completed.credential_id}"
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["achievement"]["name"] == completed.title["en"]
    assert subject["identifier"][0]["identityHash"] == completed.holder_name_latin
    assert credential["issuer"]["id"] == "http://127.0.0.1:8000/credentials/issuer"
    assert credential["validUntil"].startswith(str(completed.valid_until.year))
    assert credential["credentialStatus"]["type"] == "BitstringStatusListEntry"


def test_every_value_of_the_credential_is_signed(completed):
    """A term no context defines would be dropped by JSON-LD and so left unsigned: every
    value must reach the canonical form."""
    canonical = canonicalize({k: v for k, v in completed.credential.items() if k != "proof"})

    def values(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key not in ("@context", "type"):
                    yield from values(value)
        elif isinstance(node, list):
            for item in node:
                yield from values(item)
        elif isinstance(node, str):
            yield node

    missing = [
        v
        for v in values(completed.credential)
        if json.dumps(v, ensure_ascii=False)[1:-1] not in canonical
    ]
    # The proof is signed separately; everything else must be in the document's quads.
    assert [v for v in missing if v not in json.dumps(completed.credential["proof"])] == []


def test_the_credential_verifies_with_the_published_key(completed, client):
    key = signing_key()
    assert proof_verify(completed.credential, public_key=key.public)
    issuer = json.loads(client.get("/credentials/issuer").content)
    assert issuer["assertionMethod"] == [completed.credential["proof"]["verificationMethod"]]
    assert "development key" in issuer["name"]
    method = json.loads(client.get("/" + issuer["assertionMethod"][0].split("/", 3)[3]).content)
    assert method["publicKeyMultibase"] == key.public_multibase
    assert client.get("/credentials/issuer/keys/z6MkOther", follow=True).status_code == 404


def test_bitstrings_round_trip_with_index_zero_leftmost():
    encoded = bitstring_encode({0, 9, 131071})
    bits = bitstring_decode(encoded)
    assert len(bits) == 16384 and bits[0] == 0x80 and bits[1] == 0x40
    assert [i for i in (0, 1, 9, 131071) if bit_is_set(bits, i)] == [0, 9, 131071]


def status_bit(client, certificate) -> bool:
    entry = certificate.credential["credentialStatus"]
    document = json.loads(client.get("/" + entry["statusListCredential"].split("/", 3)[3]).content)
    assert proof_verify(document, public_key=signing_key().public)
    return bit_is_set(
        bitstring_decode(document["credentialSubject"]["encodedList"]),
        int(entry["statusListIndex"]),
    )


def test_revoking_shows_in_the_status_list_at_once(
    client, completed, django_capture_on_commit_callbacks
):
    assert status_bit(client, completed) is False
    response = client.get("/credentials/status/0")
    assert "max-age=60" in response["Cache-Control"]
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(certificate=completed, reason=RevocationReason.OTHER)
    assert status_bit(client, completed) is True


def test_a_status_list_beyond_the_last_certificate_is_not_found(client, completed):
    number, _index = status_position(completed.pk)
    assert client.get(f"/credentials/status/{number + 1}", follow=True).status_code == 404


def test_revoking_twice_is_refused_and_audited_once(completed, admin_user):
    from security.models import AuditEntry

    services.certificate_revoke(
        certificate=completed, reason=RevocationReason.MISCONDUCT, by=admin_user
    )
    with pytest.raises(services.AlreadyRevoked):
        services.certificate_revoke(certificate=completed, reason=RevocationReason.OTHER)
    entries = AuditEntry.objects.filter(action="certificate_revoked")
    assert entries.count() == 1
    assert entries.get().detail == "misconduct"
    completed.refresh_from_db()
    assert completed.revocation_reason == "misconduct"


def test_an_unknown_reason_is_refused(completed):
    with pytest.raises(ValueError):
        services.certificate_revoke(certificate=completed, reason="bored")


@override_settings(WAGTAILADMIN_BASE_URL="https://tadrib.example.org")
def test_credential_urls_follow_the_public_base_url(
    course, learner, django_capture_on_commit_callbacks
):
    from certificates.models import Certificate

    from .conftest import complete_course

    complete_course(learner, course, capture=django_capture_on_commit_callbacks)
    credential = Certificate.objects.get(holder=learner).credential
    assert credential["issuer"]["id"] == "https://tadrib.example.org/credentials/issuer"
    assert credential["credentialStatus"]["statusListCredential"].startswith(
        "https://tadrib.example.org/credentials/status/"
    )
