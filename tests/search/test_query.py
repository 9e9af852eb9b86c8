"""Queries and highlighted passages: pure functions."""

from search.highlight import passage
from search.query import MAX_QUERY_LENGTH, build_query, query_keys, tsquery


def test_query_keys_are_normalised_singular_and_without_small_words():
    assert query_keys("The preservation requests") == ("preservation", "request")
    assert query_keys("demande de conservation des données") == (
        "demande",
        "conservation",
        "donnee",
    )
    assert query_keys("طلبُ الإحتفاظ في البيانات") == ("طلب", "احتفاظ", "بيانات")


def test_only_small_words_are_kept_when_nothing_else_was_typed():
    assert query_keys("de la") == ("de", "la")


def test_punctuation_alone_is_no_query():
    assert not build_query("?! — «»")
    assert not build_query("")


def test_expansions_become_alternatives_once_each():
    query = build_query("MLA", ["mutual legal assistance", "MLA", "entraide judiciaire"])
    assert query.alternatives == (
        ("mla",),
        ("mutual", "legal", "assistance"),
        ("entraide", "judiciaire"),
    )
    assert "assistance" in query.marks


def test_alternatives_that_another_covers_are_dropped():
    query = build_query(
        "preservation request",
        [
            "request for preservation",
            "demande de conservation des données",
            "demande de conservation",
        ],
    )
    assert query.alternatives == (("preservation", "request"), ("demande", "conservation"))
    # Highlighting still marks every word of every phrase.
    assert "donnee" in query.marks
    # Only what was typed is stemmed.
    assert query.phrases == ("preservation request",)


def test_tsquery_is_built_from_keys_only():
    query = build_query("x' | !y:* & (z)")
    assert tsquery(query) == "('x':* & 'y':* & 'z':*)"
    assert "|" not in tsquery(build_query("'; DROP TABLE x; --"))


def test_overlong_queries_are_cut():
    assert len(query_keys("a" * (MAX_QUERY_LENGTH + 50))[0]) == MAX_QUERY_LENGTH


def test_passage_marks_every_matched_word_and_keeps_the_text_as_written():
    text = "Une bonne demande de   conservation est brève. Elle précise les données."
    shown = passage(text, build_query("conservation des données").marks)
    assert [s for s, marked in shown.segments if marked] == ["conservation", "données"]
    assert "".join(s for s, _m in shown.segments) == (
        "Une bonne demande de conservation est brève. Elle précise les données."
    )


def test_passage_marks_arabic_written_with_hamza_and_diacritics():
    text = "يجب الإِحْتِفَاظ بالبيانات"
    shown = passage(text, build_query("الاحتفاظ").marks)
    assert [s for s, marked in shown.segments if marked] == ["الإِحْتِفَاظ"]


def test_passage_is_cut_around_the_first_match():
    words = [f"w{i}" for i in range(100)]
    words[60] = "target"
    shown = passage(" ".join(words), ("target",), length=10)
    assert shown.cut_before and shown.cut_after
    assert ("target", True) in shown.segments
    assert shown.segments[0][0].startswith("w57 ")  # a third of the passage before the match


def test_passage_of_a_text_without_a_match_is_its_start():
    shown = passage("one two three", ("zzz",), length=2)
    assert shown.segments == (("one two", False),) and shown.cut_after
