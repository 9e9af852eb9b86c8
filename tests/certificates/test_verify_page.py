"""The public verification page: states in three languages, one 404 for anything not a
certificate, normalised serials, rate limiting, weight, and uploaded credential files."""

import copy
import gzip
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from certificates import services
from certificates.models import Certificate, RevocationReason
from certificates.serials import check_character, format_serial

pytestmark = pytest.mark.django_db


def url(language, serial):
    return f"/{language}/verify/{serial}/"


@pytest.mark.parametrize(
    ("language", "valid_text"),
    [("en", "Valid certificate"), ("fr", "Certificat valide"), ("ar", "شهادة صالحة")],
)
def test_a_valid_certificate_shows_its_facts_without_sign_in(
    client, completed, language, valid_text
):
    response = client.get(url(language, completed.serial))
    assert response.status_code == 200
    html = response.content.decode()
    assert valid_text in html
    assert completed.serial in html
    assert completed.holder_name_latin in html
    assert completed.title[language] in html
    assert ">12<" in html
    assert f"{completed.issuer_in(language)} " in html
    assert f'lang="{language}"' in html
    assert ('dir="rtl"' in html) == (language == "ar")
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_a_revoked_certificate_shows_the_date_and_reason_category(client, completed):
    services.certificate_revoke(
        certificate=completed, reason=RevocationReason.MISCONDUCT, note="internal note"
    )
    html = client.get(url("fr", completed.serial)).content.decode()
    assert "Certificat révoqué" in html
    assert "Obtenu par fraude ou inconduite" in html
    assert "internal note" not in html


def test_an_expired_certificate_says_so(client, completed):
    Certificate.objects.filter(pk=completed.pk).update(
        valid_until=timezone.now() - timedelta(days=1)
    )
    html = client.get(url("en", completed.serial)).content.decode()
    assert "Expired certificate" in html


def _unknown_serial():
    body = "AAAAAAAAAAAA"
    return format_serial(body + check_character(body))


@pytest.mark.parametrize(
    "serial",
    [
        "TDR-AAAA-AAAA-AAAA-A",  # wrong check character
        "nonsense",
        "TDR-7KQ4",
        "%3Cscript%3E",
        "TDR-UUUU-UUUU-UUUU-U",
    ],
)
def test_unknown_and_malformed_serials_get_the_same_404(client, completed, serial):
    unknown = client.get(url("en", _unknown_serial()))
    malformed = client.get(url("en", serial))
    assert unknown.status_code == malformed.status_code == 404
    assert _without_csrf(unknown.content) == _without_csrf(malformed.content)
    assert dict(unknown.headers).keys() == dict(malformed.headers).keys()


def _without_csrf(content: bytes) -> bytes:
    """The body without what differs per request anyway: the CSRF token, and the language
    switcher's links, which carry the requested path."""
    import re

    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
    return re.sub(rb'href="/(en|fr|ar)/verify/[^"]*"', b"", content)


def test_a_typed_serial_is_normalised_and_the_look_alikes_reported(client, completed):
    typed = completed.serial.lower().replace("-", "")
    body = typed[3:]
    response = client.get("/en/verify/", {"serial": body})
    assert response.status_code == 302
    assert response["Location"] == url("en", completed.serial)
    assert client.get(url("en", typed)).status_code == 302


def test_the_letter_o_typed_for_a_zero_is_read_and_reported(client, site, learner, course):
    from .test_issue import issue_with_serial

    body = "7KQ0M2XPR8W0"
    serial = format_serial(body + check_character(body))
    issue_with_serial(learner, course, serial)
    typed = serial.replace("0", "O")
    response = client.get("/en/verify/", {"serial": typed}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The letter O was read as the digit 0" in html
    assert "Valid certificate" in html


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("TDR-7KQ4-M2XP-R8WD-F", "a character was probably mistyped"),
        ("TDR-7KQ4", "13 characters"),
        ("TDR-UUUU-M2XP-R8WD-E", "only digits and the letters"),
    ],
)
def test_the_form_explains_what_is_wrong_with_a_typed_serial(client, site, typed, message):
    response = client.get("/en/verify/", {"serial": typed})
    assert response.status_code == 200
    assert message in response.content.decode()


@override_settings(TADRIB_VERIFY_LOOKUPS=3)
def test_lookups_are_rate_limited_per_address(client, completed):
    for _ in range(3):
        assert client.get(url("en", completed.serial)).status_code == 200
    limited = client.get(url("en", completed.serial))
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"
    assert completed.holder_name_latin not in limited.content.decode()
    # Another address is not limited.
    assert client.get(url("en", completed.serial), REMOTE_ADDR="10.9.8.7").status_code == 200
    # Unknown serials count as well: probing is not free.
    assert client.get(url("en", _unknown_serial()), REMOTE_ADDR="10.9.8.7").status_code == 404


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_page_weighs_less_than_14_kb_compressed(client, completed, language):
    html = client.get(url(language, completed.serial)).content
    assert len(gzip.compress(html)) < 14 * 1024


def test_the_page_query_count_is_constant(client, completed, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(url("en", completed.serial))


def upload(client, content: bytes, language="en"):
    return client.post(
        f"/{language}/verify/credential/",
        {"credential": SimpleUploadedFile("credential.json", content, "application/json")},
    )


def test_an_uploaded_credential_is_verified_with_its_status(client, completed):
    response = upload(client, json.dumps(completed.credential).encode())
    html = response.content.decode()
    assert response.status_code == 200
    assert "The signature holds" in html
    assert "Its status holds: the certificate is valid." in html


def test_an_uploaded_credential_of_a_revoked_certificate_shows_revoked(client, completed):
    services.certificate_revoke(certificate=completed, reason=RevocationReason.ISSUED_IN_ERROR)
    html = upload(client, json.dumps(completed.credential).encode(), "ar").content.decode()
    assert "حالته غير سليمة: أُلغيت الشهادة" in html


def test_a_changed_credential_file_fails_its_signature(client, completed):
    changed = copy.deepcopy(completed.credential)
    changed["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
    html = upload(client, json.dumps(changed).encode()).content.decode()
    assert "The signature does not hold" in html
    assert "Someone Else" not in html


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b"[]",
        b'{"proof": 1}',
        "\ufffe".encode("utf-16"),
        b'{"@context": 5, "proof": {}}',
    ],
)
def test_files_that_are_not_credentials_are_answered_clearly(client, site, content):
    response = upload(client, content)
    assert response.status_code == 200
    assert (
        "This file is not a credential" in response.content.decode()
        or "not issued by this" in response.content.decode()
    )


def test_a_credential_from_another_issuer_is_not_ours(client, completed):
    other = copy.deepcopy(completed.credential)
    other["proof"]["verificationMethod"] = "https://elsewhere.example/keys/1"
    assert (
        "was not issued by this Tadrib"
        in upload(client, json.dumps(other).encode()).content.decode()
    )


def test_a_too_large_file_is_refused_with_a_message(client, site):
    response = upload(client, b" " * (70 * 1024))
    assert response.status_code == 400
    assert "too large" in response.content.decode()


def test_an_uploaded_credential_of_an_expired_certificate_shows_expired(client, completed):
    Certificate.objects.filter(pk=completed.pk).update(
        valid_until=timezone.now() - timedelta(days=1)
    )
    completed.refresh_from_db()
    html = upload(client, json.dumps(completed.credential).encode()).content.decode()
    assert "The signature holds" in html
    assert "Its status does not hold: the certificate expired on" in html
    assert "the certificate is valid" not in html


@override_settings(TADRIB_VERIFY_LOOKUPS=2)
def test_uploads_count_towards_the_same_rate_limit_as_pages(client, completed):
    """Checking files is no way around the limit on looking serials up, nor the reverse."""
    credential = json.dumps(completed.credential).encode()
    assert upload(client, credential).status_code == 200
    assert client.get(url("en", completed.serial)).status_code == 200
    limited = upload(client, credential)
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"
    assert "The signature holds" not in limited.content.decode()
    assert client.get(url("en", completed.serial)).status_code == 429
