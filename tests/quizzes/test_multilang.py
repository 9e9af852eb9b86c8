"""Moodle's multi-language text split into English, French and Arabic, and written back."""

from quizzes.interchange.multilang import join, split


def test_spans_split_with_the_text_around_them_shared():
    text = (
        '<p>1. <span lang="en" class="multilang">Preserve</span>'
        '<span class="multilang" lang="fr">Conserver</span>'
        '<span lang="ar" class="multilang">حفظ</span></p>'
    )
    assert split(text).texts == {
        "en": "<p>1. Preserve</p>",
        "fr": "<p>1. Conserver</p>",
        "ar": "<p>1. حفظ</p>",
    }


def test_mlang_blocks_with_lists_and_other():
    text = "{mlang en}Evidence{mlang}{mlang fr,ar}Preuve{mlang}"
    assert split(text).texts == {"en": "Evidence", "fr": "Preuve", "ar": "Preuve"}
    text = "{mlang en}Evidence{mlang}{mlang other}Preuve{mlang}"
    assert split(text).texts == {"en": "Evidence", "fr": "Preuve", "ar": "Preuve"}


def test_regional_codes_count_as_their_language():
    text = (
        '<span lang="fr_ca" class="multilang">Oui</span>'
        '<span lang="en-GB" class="multilang">Yes</span>'
    )
    assert split(text).texts == {"en": "Yes", "fr": "Oui", "ar": ""}


def test_a_language_no_marker_names_stays_empty():
    text = (
        '<span lang="en" class="multilang">Yes</span><span lang="fr" class="multilang">Oui</span>'
    )
    assert split(text).texts["ar"] == ""


def test_languages_tadrib_lacks_are_reported():
    text = '<span lang="en" class="multilang">Yes</span><span lang="es" class="multilang">Sí</span>'
    result = split(text)
    assert result.texts["en"] == "Yes"
    assert result.unknown == {"es"}


def test_text_without_markers_goes_to_the_language_picked():
    assert split("Bonjour", language="fr").texts == {"en": "", "fr": "Bonjour", "ar": ""}
    assert not split("Hello").marked


def test_a_span_that_is_not_multilang_is_ordinary_text():
    text = '<span lang="ar">نص</span> and more'
    assert split(text, language="en").texts["en"] == text


def test_join_then_split_gives_the_translations_back():
    texts = {"en": "<p>Yes</p>", "fr": "<p>Oui</p>", "ar": "<p>نعم</p>"}
    assert split(join(texts)).texts == texts
    assert split(join({"fr": "Oui"})).texts == {"en": "", "fr": "Oui", "ar": ""}
    assert join({"en": "Only English"}) == "Only English"
    assert split(join(texts, plain=True)).texts == texts
