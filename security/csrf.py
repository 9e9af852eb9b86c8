"""Django's CSRF token mask, drawn with one call to the system's random source (issue 21).

Django protects the CSRF token against BREACH by masking it afresh for every response
(`django.middleware.csrf._mask_cipher_secret`): a random mask of 32 characters of
`CSRF_ALLOWED_CHARS` (62 letters and digits), each drawn by its own `secrets.choice`, then the
secret shifted by the mask, character by character (`chars.index` on both). That is some 60
calls into the random module and 64 linear searches on every page that shows a form (every
signed-in page: the header's sign-out form).

`mask_cipher_secret` gives the same token with the same distribution: the mask is 32 characters
drawn independently and uniformly from the same 62 (bytes from `secrets.token_bytes`, each
byte below 248 = 4 × 62 taken modulo 62, the others discarded: every character has exactly four
bytes of 248 that give it), and the cipher is the same sum modulo 62. Django's own
`_unmask_cipher_token` reads it back (tests/security/test_csrf_mask.py). `install()` puts it in
Django's module, where `get_token` looks it up on every call.
"""

import secrets

from django.middleware import csrf as django_csrf

CHARS = django_csrf.CSRF_ALLOWED_CHARS
LENGTH = django_csrf.CSRF_SECRET_LENGTH
_BASE = len(CHARS)
_LIMIT = 256 - 256 % _BASE  # 248: the largest multiple of 62 a byte can reach
_INDEX = {char: index for index, char in enumerate(CHARS)}


def symbols(data: bytes) -> list[int]:
    """Indexes into CHARS from random bytes: each byte below 248 modulo 62 (four bytes give
    each index), the others discarded."""
    return [byte % _BASE for byte in data if byte < _LIMIT]


def random_mask() -> list[int]:
    """LENGTH indexes into CHARS, independent and uniform (rejection sampling of bytes)."""
    mask: list[int] = []
    while len(mask) < LENGTH:
        # 40 bytes give 32 usable ones nearly always (each is kept with probability 248/256).
        mask.extend(symbols(secrets.token_bytes(40)))
    return mask[:LENGTH]


def mask_cipher_secret(secret: str) -> str:
    """`django.middleware.csrf._mask_cipher_secret(secret)`: a fresh mask, then the secret
    shifted by it."""
    mask = random_mask()
    index = _INDEX
    cipher = "".join(
        CHARS[(index[char] + shift) % _BASE] for char, shift in zip(secret, mask, strict=False)
    )
    return "".join(CHARS[shift] for shift in mask) + cipher


def install() -> None:
    """Make Django's `get_token` mask with `mask_cipher_secret` (SecurityConfig.ready)."""
    django_csrf._mask_cipher_secret = mask_cipher_secret
