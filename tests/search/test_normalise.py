"""Arabic-aware normalisation: every rule, in each direction (the query written one way, the
text the other), as pure functions."""

import pytest

from search import normalise as n

# Each rule: (a way of writing, another way): both must give the same key.
SAME_KEY = [
    # tashkeel: fatha, damma, kasra, sukun, shadda, tanwin, dagger alef
    ("الإِحْتِفَاظ", "الاحتفاظ"),
    ("مُقَدِّم", "مقدم"),
    ("قَضَائِيًّا", "قضائيا"),
    ("رَحْمٰن", "رحمن"),
    # tatweel
    ("المســـاعدة", "المساعدة"),
    # alef forms أ إ آ ٱ
    ("أدلة", "ادلة"),
    ("إنابة", "انابة"),
    ("آمن", "امن"),
    ("ٱلقانون", "القانون"),
    # alef maqsura and ya
    ("مستشفى", "مستشفي"),
    # ta marbuta and ha
    ("المساعدة", "المساعده"),
    # the article, alone and after a one-letter conjunction or preposition
    ("الاحتفاظ", "احتفاظ"),
    ("والبيانات", "بيانات"),
    ("فالبيانات", "بيانات"),
    ("بالبيانات", "بيانات"),
    ("كالبيانات", "بيانات"),
    ("للمساعدة", "مساعدة"),
    ("وللمساعدة", "مساعدة"),
    ("فللمساعدة", "مساعدة"),
    # French accents, cedilla, ligatures, case
    ("données", "donnees"),
    ("ÉTAT", "etat"),
    ("reçu", "recu"),
    ("œuvre", "oeuvre"),
    ("Ægis", "aegis"),
    # digits
    ("٢٤", "24"),
    ("۲۴", "24"),
]


@pytest.mark.parametrize(("written", "other"), SAME_KEY)
def test_both_ways_of_writing_give_one_key(written, other):
    assert n.key(written) == n.key(other)
    assert n.key(other) == n.key(written)


def test_each_rule_on_its_own():
    assert n.remove_tashkeel("طَلَبٌ") == "طلب"
    assert n.remove_tashkeel("طلب") == "طلب"
    assert n.remove_tatweel("طـــلب") == "طلب"
    assert n.unify_alef("أإآٱا") == "ااااا"
    assert n.unify_alef_maqsura("على") == "علي"
    assert n.unify_ta_marbuta("مساعدة") == "مساعده"
    assert n.western_digits("٢٠١٤ و۲۰۱۷") == "2014 و2017"
    assert n.fold_latin("Entraide Judiciaire — État, reçu, Œuvre") == (
        "entraide judiciaire — etat, recu, oeuvre"
    )


def test_folding_latin_leaves_arabic_letters_whole():
    # آ decomposes to ا + madda; folding must not drop the madda (only the alef rule may).
    assert n.fold_latin("آمن") == "آمن"


def test_normalise_applies_every_rule_but_the_article():
    assert n.normalise("الإِحْتِفَاظُ بالبيانـات في ٢٠٢٤، Données") == (
        "الاحتفاظ بالبيانات في 2024، donnees"
    )


@pytest.mark.parametrize(
    "word",
    [
        "بالغ",  # an adult: not ب + ال + غ
        "والد",  # a father: not و + ال + د
        "إلى",  # a preposition: not ال + ى
        "ال",
        "allocation",  # Latin words have no article
    ],
)
def test_short_words_keep_letters_that_look_like_an_article(word):
    normalised = n.normalise(word)
    assert n.strip_article(normalised) == normalised


def test_one_letter_proclitics_are_matched_with_and_without():
    assert n.key_forms(n.key("وبيانات")) == ("وبيانات", "بيانات")
    assert n.key_forms(n.key("لشبكة")) == ("لشبكه", "شبكه")
    assert n.key_forms(n.key("وبالمساعدة")) == ("وبالمساعده", "مساعده")
    assert n.without_proclitic(n.key("وطن")) is None  # too short to carry one
    assert n.without_proclitic("request") is None


def test_singular_drops_a_latin_plural_only():
    assert n.singular("requests") == "request"
    assert n.singular(n.key("données")) == "donnee"
    assert n.singular("bus") == "bus"  # three letters: left alone
    assert n.singular("عناوين") == "عناوين"


def test_words_keep_their_place_in_the_original_text():
    text = "Le  réseau 24/7, طلبُ الحفظ."
    found = n.words(text)
    assert [w.text for w in found] == ["Le", "réseau", "24", "7", "طلبُ", "الحفظ"]
    assert [text[w.start : w.end] for w in found] == [w.text for w in found]
    assert [w.key for w in found] == ["le", "reseau", "24", "7", "طلب", "حفظ"]


def test_a_key_is_letters_and_digits_only():
    assert n.is_key("حفظ") and n.is_key("reseau") and n.is_key("24")
    for value in ("", "a b", "x:*", "'x'", "a&b", "Réseau"):
        assert not n.is_key(value)
