"""Certificate serials: unguessable, typable from paper, with a check character.

A serial reads `TDR-7KQ4-M2XP-R8WD-9`: the prefix, twelve random characters in groups of four,
and one check character. The algorithm, in full (docs/certificates.md says why):

- The alphabet has 29 characters: the digits and the capital letters without those read for
  a digit or for each other (I, L, O, S, Z, B and U). 29 is prime.
- Twelve characters drawn with `secrets` carry 12 × log2(29) ≈ 58 bits: with a million
  certificates issued, a guess finds one with odds of about 1 in 300 billion.
- The check character c makes  2·v1 + 3·v2 + … + 13·v12 + 1·c ≡ 0 (mod 29), where vi is each
  character's place in the alphabet. Weights 1…13 are distinct and non-zero modulo a prime, so
  every single wrong character and every swap of two characters, adjacent or not, is caught.

Typed serials are normalised: case, spaces and any dashes, Arabic-Indic digits, full-width
forms and a missing prefix do not matter, and letters that only look like digits are read as
those digits (O as 0, I and L as 1, S as 5, Z as 2, B as 8); those readings are reported, so the
page can say what it understood.

Pure functions, no Django: tested exhaustively in tests/certificates/test_serials.py.
"""

import secrets
import unicodedata
from dataclasses import dataclass
from enum import Enum

PREFIX = "TDR"
ALPHABET = "0123456789ACDEFGHJKMNPQRTVWXY"
MODULUS = len(ALPHABET)
RANDOM_LENGTH = 12
GROUP = 4
# Letters outside the alphabet that a reader or a typist takes for a digit.
LOOKALIKES = {"O": "0", "I": "1", "L": "1", "S": "5", "Z": "2", "B": "8"}
# Anything a person may type between groups.
SEPARATORS = frozenset(" \t-_.·‐‑‒–—―−﹣－/")

_VALUES = {ch: i for i, ch in enumerate(ALPHABET)}

assert MODULUS == 29 and len(set(ALPHABET)) == MODULUS


def check_character(body: str) -> str:
    """The check character for twelve alphabet characters."""
    total = sum((position + 2) * _VALUES[ch] for position, ch in enumerate(body))
    return ALPHABET[(-total) % MODULUS]


def is_consistent(compact: str) -> bool:
    """Whether thirteen alphabet characters end with the right check character."""
    total = sum((position + 2) * _VALUES[ch] for position, ch in enumerate(compact[:-1]))
    return (total + _VALUES[compact[-1]]) % MODULUS == 0


def format_serial(compact: str) -> str:
    """`TDR-XXXX-XXXX-XXXX-C` from the thirteen characters."""
    body, check = compact[:-1], compact[-1]
    groups = [body[i : i + GROUP] for i in range(0, len(body), GROUP)]
    return "-".join([PREFIX, *groups, check])


def serial_generate() -> str:
    """A new random serial, formatted."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return format_serial(body + check_character(body))


class Problem(Enum):
    """Why a typed serial cannot be one."""

    EMPTY = "empty"
    LENGTH = "length"
    CHARACTER = "character"
    CHECK = "check"


@dataclass(frozen=True)
class Reading:
    """What a typed serial was read as.

    `serial` is the formatted serial when the text can be one, else None with `problem` saying
    why. `readings` lists each look-alike letter read as a digit, as (letter, digit) pairs in
    the order typed, duplicates removed.
    """

    serial: str | None
    problem: Problem | None = None
    readings: tuple[tuple[str, str], ...] = ()


def serial_read(typed: str) -> Reading:
    """Read what a person typed (or a URL carried) as a serial."""
    text = unicodedata.normalize("NFKC", typed or "").upper()
    # Arabic-Indic and Extended Arabic-Indic digits (what Arabic keyboards type) are digits.
    text = "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in text)
    text = "".join(ch for ch in text if ch not in SEPARATORS)
    if text.startswith(PREFIX) and len(text) > RANDOM_LENGTH + 1:
        text = text[len(PREFIX) :]
    if not text:
        return Reading(None, Problem.EMPTY)
    readings: list[tuple[str, str]] = []
    compact = []
    for ch in text:
        if ch in LOOKALIKES:
            pair = (ch, LOOKALIKES[ch])
            if pair not in readings:
                readings.append(pair)
            ch = LOOKALIKES[ch]
        compact.append(ch)
    result = "".join(compact)
    found = tuple(readings)
    if any(ch not in _VALUES for ch in result):
        return Reading(None, Problem.CHARACTER, found)
    if len(result) != RANDOM_LENGTH + 1:
        return Reading(None, Problem.LENGTH, found)
    if not is_consistent(result):
        return Reading(None, Problem.CHECK, found)
    return Reading(format_serial(result), None, found)
