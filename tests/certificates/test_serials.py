"""Serials: format, check character, and reading what people type. No database."""

import itertools
import random
import re

import pytest

from certificates.serials import (
    ALPHABET,
    LOOKALIKES,
    MODULUS,
    PREFIX,
    RANDOM_LENGTH,
    Problem,
    check_character,
    format_serial,
    is_consistent,
    serial_generate,
    serial_read,
)

SERIAL_RE = re.compile(
    rf"^{PREFIX}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]$"
)
SAMPLES = ["7KQ4M2XPR8WD", "000000000000", "YYYYYYYYYYYY", "0123456789AC", "DEFGHJKMNPQR"]


def compact(serial: str) -> str:
    return serial.replace("-", "")[len(PREFIX) :]


def test_the_alphabet_has_no_character_read_for_another():
    assert MODULUS == 29 and len(set(ALPHABET)) == 29
    assert not set(ALPHABET) & set("ILOSZBU")
    assert all(digit in ALPHABET for digit in LOOKALIKES.values())


def test_generated_serials_are_formatted_consistent_and_distinct():
    serials = {serial_generate() for _ in range(2000)}
    assert len(serials) == 2000
    for serial in serials:
        assert SERIAL_RE.match(serial), serial
        assert is_consistent(compact(serial))
        assert serial_read(serial).serial == serial


def test_twelve_random_characters_carry_more_than_58_bits():
    import math

    assert RANDOM_LENGTH * math.log2(MODULUS) > 58


@pytest.mark.parametrize("body", SAMPLES)
def test_every_single_wrong_character_is_caught(body):
    good = body + check_character(body)
    assert is_consistent(good)
    for position, replacement in itertools.product(range(len(good)), ALPHABET):
        if good[position] == replacement:
            continue
        wrong = good[:position] + replacement + good[position + 1 :]
        assert not is_consistent(wrong), (good, wrong)


@pytest.mark.parametrize("body", [*SAMPLES[:1], "7KQ4M2XPR8WA", "ACDEFGHJKMNP"])
def test_every_swap_of_two_different_characters_is_caught(body):
    good = body + check_character(body)
    for i, j in itertools.combinations(range(len(good)), 2):
        if good[i] == good[j]:
            continue
        swapped = list(good)
        swapped[i], swapped[j] = swapped[j], swapped[i]
        assert not is_consistent("".join(swapped)), (good, i, j)


def test_random_bodies_single_errors_and_swaps_never_pass():
    rng = random.Random(16)
    for _ in range(300):
        body = "".join(rng.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
        good = body + check_character(body)
        i = rng.randrange(len(good))
        other = rng.choice([c for c in ALPHABET if c != good[i]])
        assert not is_consistent(good[:i] + other + good[i + 1 :])


def test_format_groups_by_four_with_the_check_character_alone():
    assert format_serial("7KQ4M2XPR8WDE") == "TDR-7KQ4-M2XP-R8WD-E"


SERIAL = "TDR-7KQ4-M2XP-R8WD-E"


@pytest.mark.parametrize(
    "typed",
    [
        "TDR-7KQ4-M2XP-R8WD-E",
        "tdr-7kq4-m2xp-r8wd-e",
        "7KQ4M2XPR8WDE",
        "TDR7KQ4M2XPR8WDE",
        " TDR 7KQ4 M2XP R8WD E ",
        "TDR--7KQ4--M2XP-R8WD--E",
        "TDR–7KQ4—M2XP‑R8WD−E",
        "ＴＤＲ－７ＫＱ４－Ｍ２ＸＰ－Ｒ８ＷＤ－Ｅ",
        "TDR-٧KQ٤-M٢XP-R٨WD-E",
        "TDR-۷KQ۴-M۲XP-R۸WD-E",
        "TDR.7KQ4.M2XP.R8WD.E",
        "7KQ4-M2XP-R8WD-E",
    ],
)
def test_typed_forms_of_one_serial_read_the_same(typed):
    reading = serial_read(typed)
    assert reading.serial == SERIAL
    assert reading.readings == ()


def test_look_alike_letters_are_read_as_digits_and_reported():
    read = "011055228810"
    good = format_serial(read + check_character(read))
    reading = serial_read("TDR-0I1O-5SZ2-8BL0-" + good[-1])
    assert reading.serial == good
    assert reading.readings == (
        ("I", "1"),
        ("O", "0"),
        ("S", "5"),
        ("Z", "2"),
        ("B", "8"),
        ("L", "1"),
    )


def test_lower_case_look_alikes_are_reported_in_capitals():
    reading = serial_read("tdr-7kqo-m2xp-r8wd-e")
    # "o" stands where a 4 was: read as 0, which breaks the check.
    assert reading.problem is Problem.CHECK
    assert reading.readings == (("O", "0"),)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", Problem.EMPTY),
        ("  -- ", Problem.EMPTY),
        ("TDR-7KQ4-M2XP-R8WD", Problem.LENGTH),
        ("TDR-7KQ4-M2XP-R8WD-EE", Problem.LENGTH),
        ("TDR-7KQ4-M2XP-R8WD-U", Problem.CHARACTER),
        ("TDR-7KQ4-M2XP-R8WD-é", Problem.CHARACTER),
        ("<script>", Problem.CHARACTER),
        ("TDR-7KQ4-M2XP-R8WD-F", Problem.CHECK),
        ("TDR-K7Q4-M2XP-R8WD-E", Problem.CHECK),
    ],
)
def test_what_cannot_be_a_serial_says_why(typed, problem):
    reading = serial_read(typed)
    assert reading.serial is None
    assert reading.problem is problem
