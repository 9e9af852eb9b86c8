"""Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C vc-di-eddsa).

Signing: the proof options (without `proofValue`, with the document's `@context`) and the
document (without `proof`) are each canonicalised with RDFC-1.0 and hashed with SHA-256; the
Ed25519 signature of proof hash ‖ document hash, in base58-btc multibase, is the
`proofValue`. Verification repeats this with the public key. The specification's published
test vector is reproduced byte for byte in tests/certificates/test_proofs.py.
"""

import hashlib
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .jsonld import canonicalize
from .keys import SigningKey
from .multibase import multibase_decode, multibase_encode

CRYPTOSUITE = "eddsa-rdfc-2022"


def proof_options(*, verification_method: str, created: datetime | None = None) -> dict:
    moment = (created or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }


def hash_data(document: dict, options: dict, *, extra: dict | None = None) -> bytes:
    """SHA-256 of the canonical proof options, then of the canonical document."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config = {**{k: v for k, v in options.items() if k != "proofValue"}}
    config["@context"] = unsecured.get("@context", [])
    canonical_config = canonicalize(config, extra=extra)
    canonical_document = canonicalize(unsecured, extra=extra)
    return (
        hashlib.sha256(canonical_config.encode()).digest()
        + hashlib.sha256(canonical_document.encode()).digest()
    )


def proof_add(document: dict, *, key: SigningKey, options: dict, extra: dict | None = None) -> dict:
    """`document` with a Data Integrity proof made with `key`."""
    signature = key.sign(hash_data(document, options, extra=extra))
    return {**document, "proof": {**options, "proofValue": multibase_encode(signature)}}


class ProofInvalid(Exception):
    """The proof is missing, malformed, or does not match the document."""


def proof_verify(
    document: dict, *, public_key: Ed25519PublicKey, extra: dict | None = None
) -> dict:
    """Check the document's single eddsa-rdfc-2022 proof; return the proof, or raise."""
    proof = document.get("proof")
    if not isinstance(proof, dict):
        raise ProofInvalid("no single proof")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofInvalid("not an eddsa-rdfc-2022 Data Integrity proof")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofInvalid("not an assertion proof")
    try:
        signature = multibase_decode(str(proof.get("proofValue", "")))
    except ValueError as error:
        raise ProofInvalid("proofValue is not base58-btc multibase") from error
    if len(signature) != 64:
        raise ProofInvalid("proofValue is not an Ed25519 signature")
    try:
        public_key.verify(signature, hash_data(document, proof, extra=extra))
    except InvalidSignature as error:
        raise ProofInvalid("the signature does not match the document") from error
    return proof
