"""Moodle XML read and written by the pure parser (no database): every supported type, the
grades as Moodle gives them, multilang, embedded images, the skip report, refusals, hostile
HTML and XML bombs. The fixtures are written here from Moodle's documented format."""

import base64
from pathlib import Path

import pytest

from quizzes.interchange import moodle_xml
from quizzes.interchange.common import InterchangeError

FIXTURES = Path(__file__).parent / "fixtures"
PIXEL = (FIXTURES / "pixel.png").read_bytes()


@pytest.fixture(scope="module")
def parsed():
    return moodle_xml.parse((FIXTURES / "bank.moodle.xml").read_bytes())


def by_name(parsed, name):
    return next(q for q in parsed.questions if q.name == name)


def wrap(questions: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n{questions}\n</quiz>\n'.encode()


def question(kind="truefalse", text="<p>Statement</p>", extra="", name="Q"):
    answers = (
        '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer>'
        if kind == "truefalse"
        else ""
    )
    return (
        f'<question type="{kind}"><name><text>{name}</text></name>'
        f'<questiontext format="html"><text><![CDATA[{text}]]></text>{extra}</questiontext>'
        f"<defaultgrade>1</defaultgrade><penalty>0</penalty>{answers}</question>"
    )


class TestTypes:
    def test_every_supported_type_is_read_with_its_category(self, parsed):
        assert [(q.name, q.data["type"], q.category) for q in parsed.questions] == [
            ("Preservation request", "single", ("Electronic evidence", "Preservation")),
            ("Partial single", "single", ("Electronic evidence", "Preservation")),
            ("Thirds", "multiple", ("Electronic evidence", "Preservation")),
            ("MLA", "true_false", ("Electronic evidence", "Cooperation")),
            ("Who holds what", "matching", ("Electronic evidence", "Cooperation")),
            ("Steps", "ordering", ("Electronic evidence", "Cooperation")),
        ]

    def test_single_choice_right_or_wrong_stays_the_usual_rule(self, parsed):
        data = by_name(parsed, "Preservation request").data
        assert "grading" not in data
        assert [c["correct"] for c in data["choices"]] == [True, False, False]
        assert data["marks"] == 2
        assert data["choices"][0]["feedback"] == {"en": "Yes."}
        assert data["feedback"]["en"].startswith("<p>Preservation freezes")

    def test_partial_and_negative_single_choice_keeps_its_weights(self, parsed):
        data = by_name(parsed, "Partial single").data
        assert data["grading"] == "weights"
        assert [c["weight"] for c in data["choices"]] == [1, 0.5, -0.25]

    def test_multiple_answers_keep_fractional_and_negative_weights(self, parsed):
        data = by_name(parsed, "Thirds").data
        assert data["grading"] == "weights"
        assert [c["weight"] for c in data["choices"]] == [0.3333333] * 3 + [-1]
        assert [c["correct"] for c in data["choices"]] == [True, True, True, False]

    def test_true_false(self, parsed):
        assert by_name(parsed, "MLA").data["answer"] is True

    def test_matching_keeps_distractors_and_a_shared_answer(self, parsed):
        data = by_name(parsed, "Who holds what").data
        assert [p["answer"]["en"] for p in data["pairs"]] == ["The operator"] * 2 + ["The platform"]
        assert data["distractors"] == [{"en": "The court"}]
        assert data["marks"] == 3

    def test_ordering_keeps_the_order_and_the_grading_type(self, parsed):
        data = by_name(parsed, "Steps").data
        assert [i["en"] for i in data["items"]] == ["Preserve", "Request", "Receive", "Analyse"]
        assert data["grading"] == "longest_ordered_subset"

    def test_ordering_without_a_grading_type_is_graded_as_moodle_does_by_default(self):
        xml = wrap(
            '<question type="ordering"><name><text>O</text></name><questiontext><text>Order'
            '</text></questiontext><answer fraction="2"><text>B</text></answer>'
            '<answer fraction="1"><text>A</text></answer></question>'
        )
        data = moodle_xml.parse(xml).questions[0].data
        assert data["grading"] == "relative_next_exclude_last"
        assert [i["en"] for i in data["items"]] == ["A", "B"]


class TestLanguagesAndImages:
    def test_multilang_spans_and_mlang_fill_three_languages(self, parsed):
        text = by_name(parsed, "Preservation request").data["text"]
        assert text == {
            "en": "<p>Which request keeps data from being deleted?</p>",
            "fr": "<p>Quelle demande empêche la suppression des données ?</p>",
            "ar": "<p>أي طلب يمنع حذف البيانات؟</p>",
        }
        assert by_name(parsed, "MLA").data["text"]["fr"].startswith("<p>L'entraide")

    def test_text_without_markers_goes_to_the_language_picked(self):
        result = moodle_xml.parse(wrap(question(text="<p>Vrai ?</p>")), language="fr")
        assert result.questions[0].data["text"] == {"fr": "<p>Vrai ?</p>"}

    def test_an_embedded_image_becomes_the_question_s_image(self, parsed):
        image = by_name(parsed, "Preservation request").image
        assert image.filename == "flow chart.png"
        assert image.content == PIXEL
        assert image.alt == {"en": "Flow chart", "fr": "Organigramme"}

    def test_an_image_that_is_not_a_raster_image_refuses_the_file(self):
        svg = base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg'/>").decode()
        xml = wrap(
            question(
                text='<p><img src="@@PLUGINFILE@@/x.png"></p>',
                extra=f'<file name="x.png" path="/" encoding="base64">{svg}</file>',
            )
        )
        with pytest.raises(InterchangeError, match=r"x\.png"):
            moodle_xml.parse(xml)

    def test_an_image_on_the_web_is_left_out_and_reported(self):
        result = moodle_xml.parse(
            wrap(question(text='<p>See <img src="https://x.example/a.png"></p>'))
        )
        assert result.questions[0].image is None
        assert "https://x.example/a.png" in str(result.notes[0].message)


class TestReport:
    def test_unsupported_types_are_skipped_and_named(self, parsed):
        skipped = {note.question: str(note.message) for note in parsed.notes if note.skipped}
        assert skipped == {
            "Acronym": "short-answer questions are not supported",
            "Days": "numerical questions are not supported",
            "Describe": "essay questions are not supported",
            "Gaps": "embedded-answer (cloze) questions are not supported",
            "Calc": "calculated questions are not supported",
            "Drag words": "drag-and-drop questions are not supported",
        }

    def test_hints_penalties_and_combined_feedback_are_reported_as_changes(self, parsed):
        changes = [str(n.message) for n in parsed.notes if n.question == "Preservation request"]
        assert any("hints" in c for c in changes)
        assert any("penalty" in c and "33 %" in c for c in changes)
        assert any("right, partly right and wrong" in c for c in changes)
        assert any("never scores below zero" in str(n.message) for n in parsed.notes)


class TestRefusals:
    def test_a_syntax_error_names_the_line_and_column(self):
        xml = (
            b'<?xml version="1.0"?>\n<quiz>\n<question type="truefalse">\n'
            b"<name><text>x</name>\n</quiz>"
        )
        with pytest.raises(InterchangeError) as error:
            moodle_xml.parse(xml)
        assert "line 4" in str(error.value.message)

    def test_a_grade_that_is_not_a_number_names_the_question_and_element(self):
        xml = wrap(
            '<question type="multichoice"><name><text>Bad</text></name><questiontext><text>x'
            '</text></questiontext><answer fraction="lots"><text>A</text></answer></question>'
        )
        with pytest.raises(InterchangeError) as error:
            moodle_xml.parse(xml)
        message = str(error.value.message)
        assert "Bad" in message and "<answer> 1" in message and "lots" in message

    def test_a_file_that_is_not_a_question_file(self):
        with pytest.raises(InterchangeError, match="quiz"):
            moodle_xml.parse(b"<html><body/></html>")

    def test_billion_laughs_is_refused_without_expanding(self):
        bomb = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [
 <!ENTITY a "lol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<quiz><question type="truefalse"><name><text>&d;</text></name></question></quiz>"""
        with pytest.raises(InterchangeError, match="DTD or entities"):
            moodle_xml.parse(bomb)

    def test_an_external_entity_is_refused_and_never_read(self, tmp_path):
        secret = tmp_path / "secret.txt"
        secret.write_text("do not read")
        xxe = f"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY x SYSTEM "file://{secret}">]>
<quiz><question type="truefalse"><name><text>&x;</text></name></question></quiz>""".encode()
        with pytest.raises(InterchangeError) as error:
            moodle_xml.parse(xxe)
        assert "do not read" not in str(error.value.message)

    def test_a_file_over_the_size_limit(self, monkeypatch):
        monkeypatch.setattr(moodle_xml, "MAX_BYTES", 10)
        with pytest.raises(InterchangeError, match="MB limit"):
            moodle_xml.parse(wrap(question()))


def test_hostile_html_is_sanitised():
    text = (
        '<p onclick="steal()">Hi<script>alert(1)</script>'
        '<a href="javascript:alert(2)">link</a><iframe src="https://x.example"></iframe></p>'
    )
    data = moodle_xml.parse(wrap(question(text=text))).questions[0].data
    html = data["text"]["en"]
    assert "script" not in html and "onclick" not in html and "javascript" not in html
    assert "iframe" not in html and "Hi" in html


def test_plain_text_formats_become_html_paragraphs():
    xml = wrap(
        '<question type="truefalse"><name><text>P</text></name>'
        '<questiontext format="plain_text"><text>a &lt; b\nsecond line</text></questiontext>'
        '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false'
        "</text></answer></question>"
    )
    assert moodle_xml.parse(xml).questions[0].data["text"]["en"] == "<p>a &lt; b<br>second line</p>"


def test_write_then_parse_gives_the_same_questions(parsed):
    again = moodle_xml.parse(moodle_xml.write(parsed.questions))
    assert [(q.name, q.category, q.data) for q in again.questions] == [
        (q.name, q.category, q.data) for q in parsed.questions
    ]
    assert again.questions[0].image.content == PIXEL
    assert again.questions[0].image.alt == parsed.questions[0].image.alt
