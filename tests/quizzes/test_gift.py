"""GIFT read and written by the pure parser (no database): every supported type, weights,
escapes, categories, UTF-8 and Windows-1252, the skip report and refusals with their line.
The fixtures are written here from Moodle's documented GIFT format."""

from pathlib import Path

import pytest

from quizzes.interchange import gift
from quizzes.interchange.common import InterchangeError

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def parsed():
    return gift.parse((FIXTURES / "bank.gift.txt").read_bytes())


def by_name(parsed, name):
    return next(q for q in parsed.questions if q.name == name)


def test_every_supported_type_with_its_category(parsed):
    assert [(q.name, q.data["type"]) for q in parsed.questions] == [
        ("Online recruitment", "single"),
        ("Weights", "multiple"),
        ("Thirds", "multiple"),
        ("TF", "true_false"),
        ("Match", "matching"),
        ("Order", "ordering"),
        ("Missing", "single"),
        ("Escaped", "true_false"),
        ("ML", "true_false"),
    ]
    assert {q.category for q in parsed.questions} == {
        ("Terrorist use of the Internet", "Recruitment")
    }


def test_choices_feedback_and_general_feedback(parsed):
    data = by_name(parsed, "Online recruitment").data
    assert data["text"]["en"] == "<p>Which feature do recruiters move to <b>first</b>?</p>"
    assert [c["correct"] for c in data["choices"]] == [True, False, False]
    assert data["choices"][0]["feedback"] == {"en": "They move to private channels."}
    assert data["feedback"]["en"] == "<p>Recruiters move conversations to private channels.</p>"


def test_weights_negative_and_thirds(parsed):
    assert [c["weight"] for c in by_name(parsed, "Weights").data["choices"]] == [0.5, 0.5, -1]
    thirds = by_name(parsed, "Thirds").data
    assert thirds["grading"] == "weights"
    assert [c["weight"] for c in thirds["choices"]] == [0.3333333] * 3 + [-1]


def test_true_false_matching_ordering(parsed):
    assert by_name(parsed, "TF").data["answer"] is False
    match = by_name(parsed, "Match").data
    assert [p["prompt"]["en"] for p in match["pairs"]] == [
        "Preservation", "Mutual legal assistance", "Emergency disclosure"
    ]  # fmt: skip
    assert match["distractors"] == [{"en": "Police academy"}]
    order = by_name(parsed, "Order").data
    assert order["grading"] == "relative_to_correct"
    assert [i["en"] for i in order["items"]] == ["Identify", "Preserve", "Request", "Analyse"]


def test_missing_word_and_escapes(parsed):
    assert by_name(parsed, "Missing").data["text"]["en"] == (
        "<p>The _____ Convention is about cybercrime.</p>"
    )
    assert by_name(parsed, "Escaped").data["text"]["en"] == (
        "<p>A ratio of 1:1 {exactly} means a = b.</p>"
    )


def test_multilang_in_gift(parsed):
    assert by_name(parsed, "ML").data["text"] == {
        "en": "Is this a question?",
        "fr": "Est-ce une question ?",
    }


def test_skip_report(parsed):
    skipped = {n.question: str(n.message) for n in parsed.notes if n.skipped}
    assert skipped == {
        "SA": "short-answer questions are not supported",
        "Num": "numerical questions are not supported",
        "Essay": "essay questions are not supported",
        "Desc": "a description is not a question",
    }
    assert any(n.question == "TF" and "true and false" in str(n.message) for n in parsed.notes)


def test_windows_1252_is_read():
    raw = (FIXTURES / "windows-1252.gift").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    data = gift.parse(raw, language="fr").questions[0].data
    assert data["text"] == {"fr": "<p>Quelle étape précède l’entraide judiciaire ?</p>"}
    assert data["choices"][1]["text"] == {"fr": "La saisie du matériel à 500 €"}


def test_utf8_with_a_byte_order_mark():
    data = gift.parse("\ufeff::Q::Vrai ?{T}".encode()).questions[0].data
    assert data["answer"] is True


def test_neither_utf8_nor_windows_1252_is_refused():
    with pytest.raises(InterchangeError, match="UTF-8"):
        gift.parse(b"::Q::\x81\x8d{T}")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("::A::One{T}\n\n::B::Two {=a ~b\n", 3),
        ("::A::One{T}\n\n\n::B::Two }\n", 4),
        ("::A::One{T}\n\n::B::Two {=a {~b}}\n", 3),
        ("::A::x{T}\n\n::B::Three{\n=a\n~b\n}\n\n::C::Four{what is this}\n", 8),
    ],
)
def test_a_syntax_error_refuses_the_file_naming_the_line(text, line):
    with pytest.raises(InterchangeError) as error:
        gift.parse(text.encode())
    assert f"Line {line}:" in str(error.value.message)


def test_a_bad_weight_names_its_line():
    with pytest.raises(InterchangeError, match="line 2"):
        gift.parse(b"\n::W::Q{~%lots%a ~%100%b}")


def test_write_then_parse_gives_the_same_questions(parsed):
    text, _notes = gift.write(parsed.questions)
    again = gift.parse(text.encode())
    assert [(q.name, q.category, q.data) for q in again.questions] == [
        (q.name, q.category, q.data) for q in parsed.questions
    ]


def test_an_escaped_line_break_never_ends_the_question():
    data = gift.parse(b"::Q::Line one\\n\\nline two{T}").questions[0].data
    assert data["text"]["en"] == "<p>Line one</p><p>line two</p>"
