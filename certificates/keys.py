"""The issuer's Ed25519 signing key, from `TADRIB_CREDENTIAL_KEY`.

The variable holds the key itself (a multibase `z…` secret key, as `generate_credential_key`
writes it, or a PKCS #8 PEM) or the path of a file holding it. It is never committed. With
production settings nothing is issued without it. Elsewhere (the local demo, the tests) a
throwaway key derived from the settings' SECRET_KEY stands in, so every worker of one
installation signs with the same key; the issuer profile says it is a development key.
"""

import hashlib
import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from .multibase import (
    ED25519_PUBLIC_HEADER,
    ED25519_SECRET_HEADER,
    multibase_decode,
    multibase_encode,
)

ENV_NAME = "TADRIB_CREDENTIAL_KEY"
logger = logging.getLogger(__name__)


class CredentialKeyMissing(Exception):
    """Production settings and no TADRIB_CREDENTIAL_KEY: nothing can be signed."""


class CredentialKeyInvalid(Exception):
    """TADRIB_CREDENTIAL_KEY holds something that is not an Ed25519 key."""


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey
    # Whether this is the throwaway development key.
    throwaway: bool = False

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def public_multibase(self) -> str:
        raw = self.public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return multibase_encode(ED25519_PUBLIC_HEADER + raw)

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)


def secret_multibase(private: Ed25519PrivateKey) -> str:
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return multibase_encode(ED25519_SECRET_HEADER + raw)


def key_generate() -> str:
    """A new secret key, as the multibase text TADRIB_CREDENTIAL_KEY takes."""
    return secret_multibase(Ed25519PrivateKey.generate())


def key_parse(text: str) -> Ed25519PrivateKey:
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise CredentialKeyInvalid("the PEM key is not an Ed25519 key")
            return key
        decoded = multibase_decode(text)
    except (ValueError, TypeError) as error:
        raise CredentialKeyInvalid(str(error)) from error
    if len(decoded) != 34 or not decoded.startswith(ED25519_SECRET_HEADER):
        raise CredentialKeyInvalid("not a multibase Ed25519 secret key (z3u2…)")
    return Ed25519PrivateKey.from_private_bytes(decoded[2:])


def public_key_parse(multibase: str) -> Ed25519PublicKey:
    decoded = multibase_decode(multibase)
    if len(decoded) != 34 or not decoded.startswith(ED25519_PUBLIC_HEADER):
        raise ValueError("not a multibase Ed25519 public key (z6Mk…)")
    return Ed25519PublicKey.from_public_bytes(decoded[2:])


def _configured() -> str:
    value = getattr(settings, ENV_NAME, None) or os.environ.get(ENV_NAME, "")
    value = value.strip()
    if value and not value.startswith(("z", "-----BEGIN")):
        value = Path(value).expanduser().read_text(encoding="utf-8")
    return value


@lru_cache(maxsize=4)
def _load(configured: str, secret_key: str, production: bool) -> SigningKey:
    if configured:
        return SigningKey(key_parse(configured))
    if production:
        raise CredentialKeyMissing(
            f"{ENV_NAME} is not set: production refuses to issue certificates without the "
            "issuer's key (python manage.py generate_credential_key)."
        )
    logger.warning("%s is not set: signing with a throwaway development key.", ENV_NAME)
    seed = hashlib.sha256(b"tadrib throwaway credential key\0" + secret_key.encode()).digest()
    return SigningKey(Ed25519PrivateKey.from_private_bytes(seed), throwaway=True)


def signing_key() -> SigningKey:
    """The issuer's key. Raises CredentialKeyMissing with production settings and no key."""
    return _load(_configured(), settings.SECRET_KEY, settings.TADRIB_ENVIRONMENT == "production")
