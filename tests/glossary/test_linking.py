"""Glossary links in rendered HTML: pure functions, no database."""

import pytest

from glossary.linking import Glossary, TermEntry, link_terms

MLA = TermEntry(
    1,
    "mutual-legal-assistance",
    {
        "en": "mutual legal assistance",
        "fr": "entraide judiciaire (en matière pénale)",
        "ar": "المساعدة القانونية المتبادلة",
    },
    abbreviations={"en": "MLA", "fr": "EJ"},
)
REQUEST = TermEntry(
    2,
    "request-for-mutual-legal-assistance",
    {
        "en": "request for mutual legal assistance",
        "fr": "demande d'entraide judiciaire",
        "ar": "طلب المساعدة القانونية المتبادلة",
    },
)
PRESERVATION = TermEntry(
    3,
    "preservation-request",
    {"en": "preservation request", "fr": "demande de conservation", "ar": "طلب حفظ البيانات"},
    variants={"ar": ("طلب الحفظ",)},
)
NETWORK = TermEntry(
    4, "network-24-7", {"en": "24/7 network", "fr": "réseau 24/7", "ar": "شبكة 24/7"}
)
PRR = TermEntry(
    5,
    "prr",
    {"en": "prosecution, rehabilitation and reintegration", "fr": "", "ar": ""},
)
GLOSSARY = Glossary((MLA, REQUEST, PRESERVATION, NETWORK, PRR))


def links(html: str, language: str = "en") -> list[tuple[str, str]]:
    import re

    linked = link_terms(html, GLOSSARY, language).html
    return re.findall(r'<a class="glossary-link" href="#glossary-([^"]+)">(.*?)</a>', linked)


def test_the_first_occurrence_per_section_is_linked():
    html = (
        "<p>Mutual legal assistance takes time; mutual legal assistance is formal.</p>"
        "<p>Again mutual legal assistance.</p>"
        "<h2>Next section</h2><p>Here mutual legal assistance is linked again.</p>"
    )
    assert links(html) == [
        ("mutual-legal-assistance", "Mutual legal assistance"),
        ("mutual-legal-assistance", "mutual legal assistance"),
    ]


@pytest.mark.parametrize(
    "html",
    [
        "<h2>Mutual legal assistance</h2>",
        "<h3>Mutual legal assistance</h3>",
        "<h4><em>mutual legal assistance</em></h4>",
        '<p><a href="/x/">mutual legal assistance</a></p>',
        '<p><a href="/x/"><strong>mutual legal assistance</strong></a></p>',
        '<section class="legal-reference" data-autolink="off"><p>mutual legal assistance</p>'
        "<div><p>mutual legal assistance</p></div></section>",
        '<div data-autolink="off"><aside><p>mutual legal assistance</p></aside></div>',
        "<p><code>mutual legal assistance</code></p>",
        "<details><summary>mutual legal assistance</summary></details>",
    ],
)
def test_headings_links_and_citations_are_left_alone(html):
    assert links(html) == []
    assert link_terms(html, GLOSSARY, "en").html == html


def test_text_after_a_skipped_element_is_linked_again():
    html = (
        '<div data-autolink="off"><p>mutual legal assistance</p></div>'
        "<p>mutual legal assistance</p>"
    )
    assert links(html) == [("mutual-legal-assistance", "mutual legal assistance")]


def test_the_longest_term_wins_and_terms_never_overlap():
    assert links("<p>A request for mutual legal assistance.</p>") == [
        ("request-for-mutual-legal-assistance", "request for mutual legal assistance")
    ]


def test_every_other_character_is_kept_as_written():
    html = (
        '<p class="x" dir="auto">Before &amp; <strong>bold</strong> mutual legal assistance'
        " &#x27;after&#x27; <br/>end</p>"
    )
    linked = link_terms(html, GLOSSARY, "en")
    assert linked.html == html.replace(
        "mutual legal assistance",
        '<a class="glossary-link" href="#glossary-mutual-legal-assistance">'
        "mutual legal assistance</a>",
    )
    assert linked.term_ids == (1,)


def test_character_references_do_not_break_a_term():
    assert links("<p>Une demande d&#x27;entraide judiciaire.</p>", "fr") == [
        ("request-for-mutual-legal-assistance", "demande d&#x27;entraide judiciaire")
    ]


def test_a_term_never_spans_sentence_punctuation():
    assert links("<p>It is mutual legal. Assistance follows.</p>") == []
    assert links("<p>the 24/7 network</p>") == [("network-24-7", "24/7 network")]
    # …unless the term itself has it.
    assert links("<p>their prosecution, rehabilitation and reintegration</p>") == [
        ("prr", "prosecution, rehabilitation and reintegration")
    ]


def test_arabic_matches_without_diacritics_hamza_or_article_differences():
    html = "<p>في طلبُ المساعدةِ القانونيّة المتبادلة، وللمساعدة القانونية المتبادلة وطلب الحفظ</p>"
    assert links(html, "ar") == [
        ("request-for-mutual-legal-assistance", "طلبُ المساعدةِ القانونيّة المتبادلة"),
        ("mutual-legal-assistance", "وللمساعدة القانونية المتبادلة"),
        ("preservation-request", "وطلب الحفظ"),
    ]


def test_french_matches_without_accents_and_in_the_plural():
    html = "<p>Les demandes de conservation et l'entraide judiciaire en matiere penale</p>"
    assert links(html, "fr") == [
        ("preservation-request", "demandes de conservation"),
        ("mutual-legal-assistance", "entraide judiciaire en matiere penale"),
    ]


def test_terms_match_in_the_language_of_the_text_only():
    assert links("<p>mutual legal assistance</p>", "fr") == []
    assert links("<p>المساعدة القانونية المتبادلة</p>", "en") == []


def test_abbreviations_match_only_as_written():
    assert links("<p>An MLA request; the mla.</p>") == [("mutual-legal-assistance", "MLA")]


def test_an_empty_glossary_changes_nothing():
    html = "<p>mutual legal assistance</p>"
    assert link_terms(html, Glossary(()), "en").html == html


def test_terms_named_finds_a_term_from_any_of_its_names():
    assert GLOSSARY.terms_named("Entraide judiciaire") == [1]
    assert GLOSSARY.terms_named("المساعدة القانونيّة المتبادلة") == [1]
    assert GLOSSARY.terms_named("MLA") == [1]
    assert GLOSSARY.terms_named("preservation requests") == [3]
    assert GLOSSARY.terms_named("legal") == []


def test_terms_in_plain_text():
    assert GLOSSARY.terms_in("A preservation request, then mutual legal assistance.", "en") == [
        3,
        1,
    ]
