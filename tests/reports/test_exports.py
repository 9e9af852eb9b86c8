"""CSV exports: safe cells, BOM, headers in the reader's language, and the page's numbers."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from reports.csv import neutralise
from tests.factories import LearnerFactory
from tests.reports.factories import enrol


def _rows(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+33 1 23", "'+33 1 23"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Amrani", "Amrani"),
        ("a=b", "a=b"),
        (None, ""),
        (12, "12"),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(value, expected):
    assert neutralise(value) == expected


def test_export_neutralises_a_formula_in_a_learners_name(manager_client, world):
    LearnerFactory(
        username="evil",
        first_name='=HYPERLINK("http://x")',
        last_name="",
        organisation=world.agency_a,
    )
    from cms.models import User

    enrol(User.objects.get(username="evil"), world.course)
    rows = _rows(
        manager_client.get(reverse("reports:course", args=[world.course.pk]) + "?format=csv")
    )
    names = [r[0] for r in rows[1:]]
    assert '\'=HYPERLINK("http://x")' in names
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_csv_is_streamed_with_bom_and_arabic_headers(manager_client, world):
    with translation.override("ar"):
        url = reverse("reports:course", args=[world.course.pk])
    assert url.startswith("/ar/")
    response = manager_client.get(url + "?format=csv")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    assert rows[0][0] == "المتعلّم" and rows[0][2] == "الجهة"
    assert rows[0][8] == "وحدة types"


def test_csv_headers_follow_the_language_of_the_url(manager_client, world):
    from django.utils.translation import gettext

    for language in ("en", "fr", "ar"):
        with translation.override(language):
            url = reverse("reports:course", args=[world.course.pk])
            expected = [gettext("Learner"), gettext("Username"), gettext("Organisation")]
            activity = world.module.title
        header = _rows(manager_client.get(url + "?format=csv"))[0]
        assert header[:3] == expected
        assert activity in header


def test_overview_page_and_csv_agree(manager_client, world, superuser):
    manager_client.force_login(superuser)
    for name in ("by_course", "by_organisation", "by_country", "by_language"):
        url = reverse(f"reports:{name}")
        page = manager_client.get(url)
        rows = _rows(manager_client.get(url + "?format=csv"))[1:]
        expected = [
            [
                r.label,
                str(r.enrolled),
                str(r.not_started),
                str(r.in_progress),
                str(r.completed),
                "" if r.completion_rate is None else str(r.completion_rate),
                str(r.scored),
                "" if r.pass_rate is None else str(r.pass_rate),
                "" if r.mean_score is None else str(r.mean_score),
                "" if r.median_days is None else str(r.median_days),
            ]
            for r in page.context["rows"]
        ]
        assert rows == expected, name
        html = page.content.decode()
        for r in page.context["rows"]:
            assert f"<td>{r.enrolled}</td>" in html
            assert f"{r.completion_rate}%" in html


def test_matrix_page_and_csv_agree(manager_client, world):
    url = reverse("reports:course", args=[world.course.pk])
    page = manager_client.get(url)
    rows = _rows(manager_client.get(url + "?format=csv"))[1:]
    assert [r[0] for r in rows] == [r.name for r in page.context["rows"]]
    assert [r[7] for r in rows] == [str(r.percent) for r in page.context["rows"]]
    assert [r[8::2] for r in rows] == [
        [c.status_label for c in r.cells] for r in page.context["rows"]
    ]
    assert rows[0][8:] == ["Complete", "", "Passed", "80.00"]


def test_learner_and_assignment_csv_agree_with_their_pages(manager_client, world):
    from reports.services import course_assign

    course_assign(
        manager=world.manager, learners=[world.alice], course=world.other_course, due_date=None
    )
    url = reverse("reports:learner", args=[world.alice.pk])
    report = manager_client.get(url).context["report"]
    rows = _rows(manager_client.get(url + "?format=csv"))[1:]
    assert [(r[0], r[1], r[3]) for r in rows] == [
        (c.title, a.activity.title, a.cell.status_label)
        for c in report.courses
        for a in c.activities
    ]
    url = reverse("reports:assignments")
    page = manager_client.get(url)
    rows = _rows(manager_client.get(url + "?format=csv"))[1:]
    assert (
        [(r[1], r[3], r[7]) for r in rows]
        == [(r.username, r.course, r.status_label) for r in page.context["rows"]]
        == [("alice", "Course ftf", "No due date")]
    )
