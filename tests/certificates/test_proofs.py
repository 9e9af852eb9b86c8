"""eddsa-rdfc-2022 proofs: the specification's published test vector, byte for byte."""

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certificates.jsonld import UnknownContext, canonicalize
from certificates.keys import (
    CredentialKeyInvalid,
    SigningKey,
    key_generate,
    key_parse,
    public_key_parse,
    secret_multibase,
)
from certificates.multibase import base58_decode, base58_encode
from certificates.proofs import ProofInvalid, hash_data, proof_add, proof_verify

VECTORS = Path(__file__).parent / "vectors"
VECTOR = json.loads((VECTORS / "eddsa-rdfc-2022.json").read_text())
EXAMPLES_URL = "https://www.w3.org/ns/credentials/examples/v2"
EXTRA = {EXAMPLES_URL: json.loads((VECTORS / "credentials-examples-v2.jsonld").read_text())}


def vector_key() -> SigningKey:
    return SigningKey(key_parse(VECTOR["keyPair"]["secretKeyMultibase"]))


def test_the_vector_key_pair_round_trips_through_multikey():
    key = vector_key()
    assert key.public_multibase == VECTOR["keyPair"]["publicKeyMultibase"]
    assert secret_multibase(key.private) == VECTOR["keyPair"]["secretKeyMultibase"]


def test_canonical_proof_configuration_is_the_published_one_byte_for_byte():
    config = {**VECTOR["proofOptions"], "@context": VECTOR["unsigned"]["@context"]}
    assert canonicalize(config, extra=EXTRA) == VECTOR["canonicalProofConfig"]


def test_hash_data_is_the_published_combined_hash():
    data = hash_data(VECTOR["unsigned"], VECTOR["proofOptions"], extra=EXTRA)
    assert data.hex() == VECTOR["combinedHashHex"]


def test_signing_the_vector_gives_the_published_proof_value():
    signed = proof_add(
        VECTOR["unsigned"], key=vector_key(), options=VECTOR["proofOptions"], extra=EXTRA
    )
    assert signed["proof"]["proofValue"] == VECTOR["proofValue"]
    assert proof_verify(signed, public_key=vector_key().public, extra=EXTRA)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d.__setitem__("name", "Alumni Credentia1"),
        lambda d: d["credentialSubject"].__setitem__("alumniOf", "Another School"),
        lambda d: d.__setitem__("validFrom", "2023-01-02T00:00:00Z"),
        lambda d: d["proof"].__setitem__("created", "2023-02-24T23:36:39Z"),
        lambda d: d["proof"].__setitem__("proofValue", d["proof"]["proofValue"][:-2] + "11"),
    ],
)
def test_any_change_breaks_the_vector_signature(tamper):
    signed = {**json.loads(json.dumps(VECTOR["unsigned"]))}
    signed["proof"] = {**VECTOR["proofOptions"], "proofValue": VECTOR["proofValue"]}
    tamper(signed)
    with pytest.raises(ProofInvalid):
        proof_verify(signed, public_key=vector_key().public, extra=EXTRA)


def test_a_document_naming_an_unbundled_context_is_refused_without_fetching():
    with pytest.raises(UnknownContext):
        canonicalize({"@context": "https://attacker.example/context", "name": "x"})


def test_base58_round_trip_keeps_leading_zero_bytes():
    for data in [b"", b"\0", b"\0\0\x01", bytes(range(40))]:
        assert base58_decode(base58_encode(data)) == data


def test_keys_parse_from_multibase_and_pem_and_refuse_anything_else():
    from cryptography.hazmat.primitives import serialization

    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    assert secret_multibase(key_parse(pem)) == secret_multibase(private)
    assert secret_multibase(key_parse(key_generate())) != secret_multibase(private)
    for bad in ["z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "zzzz", "z0OIl"]:
        with pytest.raises(CredentialKeyInvalid):
            key_parse(bad)
    with pytest.raises(ValueError):
        public_key_parse(VECTOR["keyPair"]["secretKeyMultibase"])
