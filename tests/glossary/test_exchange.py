"""The glossary CSV format: parsing and writing, pure."""

from glossary.exchange import COLUMNS, parse, write

HEADER = "term_en,term_fr,term_ar,definition_en"


def codes(problems):
    return [(p.line, p.code) for p in problems]


def test_a_minimal_file_parses():
    line = "chain of custody,chaîne de possession,سلسلة حيازة الأدلة,The record."
    rows, problems = parse(f"\ufeff{HEADER}\r\n{line}\r\n")
    assert problems == []
    assert rows[0].slug == "chain-of-custody"
    assert rows[0].values["term_ar"] == "سلسلة حيازة الأدلة"


def test_every_problem_is_reported_with_its_line():
    text = f"{HEADER},related,colour\n"  # an unknown column stops at the header
    assert codes(parse(text)[1]) == [(1, "unknown_column")]
    text = (
        f"{HEADER},slug\n"
        "a,b,c,d,\n"
        ",b,c,d,\n"  # no English term
        "a2,b,c,,\n"  # no definition
        "a3,b,c\n"  # too few cells
        "x,y,z,w,a\n" + "t,b,c," + "d" * 1300 + ",\n"  # the same slug as line 2
    )
    assert codes(parse(text)[1]) == [
        (3, "required"),
        (4, "required"),
        (5, "cell_count"),
        (6, "duplicate"),
        (7, "too_long"),
    ]


def test_missing_required_columns():
    assert codes(parse("term_en,term_fr\n")[1]) == [
        (1, "missing_column"),
        (1, "missing_column"),
    ]
    assert codes(parse("")[1]) == [(1, "empty")]


def test_several_values_in_one_cell():
    rows, _ = parse(
        f"{HEADER},variants_en,related,courses\n"
        "a,b,c,d, a1 | a2 ,b-term|C Term,course-1 | course-2\n"
    )
    assert rows[0].values["variants_en"] == "a1\na2"
    assert rows[0].related == ("b-term", "c-term")
    assert rows[0].courses == ("course-1", "course-2")


def test_formula_cells_are_written_inert_and_read_back_as_they_were():
    record = dict.fromkeys(COLUMNS, "")
    record.update(term_en="=HYPERLINK(1)", term_fr="+x", term_ar="@y", definition_en="-z")
    text = write([record])
    assert text.startswith("\ufeff" + ",".join(COLUMNS))
    assert "'=HYPERLINK(1)" in text and "'+x" in text and "'@y" in text and "'-z" in text
    rows, problems = parse(text)
    assert problems == []
    assert rows[0].values["term_en"] == "=HYPERLINK(1)"
    assert rows[0].values["definition_en"] == "-z"


def test_control_characters_are_dropped():
    rows, _ = parse(f"{HEADER}\na\x00b,c,d,e\x1f\n")
    assert rows[0].values["term_en"] == "ab"
    assert rows[0].values["definition_en"] == "e"
