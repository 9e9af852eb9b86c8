"""The knowledge-gain report: who sees what (pages and CSV), its figures and its exports."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from reports.csv import neutralise
from reports.models import ManagerScope
from tests.factories import LearnerFactory, UserFactory
from workshops import report_selectors

from .report_world import build

pytestmark = pytest.mark.django_db

LIST = "/en/reports/workshops/"
TUI = "/en/reports/workshops/tui/"
SIT = "/en/reports/workshops/sit/"
# As the issue gives them: username,full_name,…,completed
HEADER = [
    "username",
    "full_name",
    "organisation",
    "country",
    "language",
    "pre_score",
    "post_score",
    "gain",
    "normalized_gain",
    "attended_sessions",
    "sessions",
    "completed",
]


@pytest.fixture
def w(site):
    return build()


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def _usernames(rows) -> list[str]:
    return [r[0] for r in rows[1:]]


def test_urls():
    assert reverse("workshop_reports:list") == LIST
    assert reverse("workshop_reports:detail", args=["tui"]) == TUI


# --- Who reads --------------------------------------------------------------------------------


def test_visitors_are_sent_to_sign_in(client, w):
    for url in (LIST, TUI, TUI + "?format=csv", LIST + "?format=csv"):
        response = client.get(url)
        assert response.status_code == 302
        assert "sign-in" in response["Location"]


@pytest.mark.parametrize("who", ["learner", "participant", "trainer"])
def test_learners_and_other_trainers_get_403(client, w, who):
    user = {
        "learner": LearnerFactory(),
        "participant": w.amina,
        "trainer": UserFactory(username="plain-trainer", role="trainer"),
    }[who]
    client.force_login(user)
    for url in (LIST, TUI, TUI + "?format=csv", LIST + "?format=csv"):
        assert client.get(url).status_code == 403, url


def test_a_facilitator_sees_only_their_workshops_and_all_their_participants(client, w):
    client.force_login(w.facilitator)
    page = client.get(LIST).content.decode()
    assert "Workshop tui" in page and "Workshop sit" not in page
    assert client.get(SIT).status_code == 404
    assert client.get(SIT + "?format=csv").status_code == 404
    page = client.get(TUI).content.decode()
    for name in ("Amina Abdou", "Carim Cisse", "Bob Ben", "Dora Dridi"):
        assert name in page
    assert "Only the participants in your scope are shown." not in page
    assert _usernames(_rows(client.get(TUI + "?format=csv"))) == ["amina", "bob", "carim", "dora"]
    everyone = _rows(client.get(LIST + "?format=csv"))
    assert [(r[0], r[1]) for r in everyone[1:]] == [
        ("tui", "amina"),
        ("tui", "bob"),
        ("tui", "carim"),
        ("tui", "dora"),
    ]


def test_a_facilitator_who_is_not_a_manager_sees_no_manager_reports_in_the_navigation(client, w):
    client.force_login(w.facilitator)
    page = client.get(TUI).content.decode()
    assert f'href="{reverse("reports:by_course")}"' not in page
    assert f'href="{LIST}"' in page


def test_a_manager_sees_their_scopes_participants_only(client, w):
    client.force_login(w.manager)  # agency A and its unit
    page = client.get(LIST).content.decode()
    assert "Workshop tui" in page and "Workshop sit" not in page  # sit: agency B only
    assert client.get(SIT).status_code == 404
    assert client.get(SIT + "?format=csv&table=groups").status_code == 404
    page = client.get(TUI).content.decode()
    assert "Amina Abdou" in page and "Carim Cisse" in page
    assert "Bob Ben" not in page and "Dora Dridi" not in page
    assert "Only the participants in your scope are shown." in page
    for table in ("participants", "not-completed"):
        rows = _rows(client.get(TUI + f"?format=csv&table={table}"))
        assert set(_usernames(rows)) <= {"amina", "carim"}
    assert _usernames(_rows(client.get(TUI + "?format=csv"))) == ["amina", "carim"]
    assert [(r[0], r[1]) for r in _rows(client.get(LIST + "?format=csv"))[1:]] == [
        ("tui", "amina"),
        ("tui", "carim"),
    ]
    # The groups of a manager's report are made of their participants only.
    groups = _rows(client.get(TUI + "?format=csv&table=groups"))
    whole = groups[1]
    assert whole[2] == "2"  # participants


def test_a_manager_scope_widened_to_a_country_sees_it(client, w):
    ManagerScope.objects.create(manager=w.manager, countries=["TN"])
    client.force_login(w.manager)
    assert client.get(SIT).status_code == 200
    assert _usernames(_rows(client.get(SIT + "?format=csv"))) == ["bob"]
    assert _usernames(_rows(client.get(TUI + "?format=csv"))) == ["amina", "bob", "carim", "dora"]


def test_a_manager_who_facilitates_sees_every_participant_of_that_workshop(client, w):
    w.workshop.facilitators.add(w.manager)
    w.workshop.save()
    client.force_login(w.manager)
    assert _usernames(_rows(client.get(TUI + "?format=csv"))) == ["amina", "bob", "carim", "dora"]


def test_a_superuser_sees_everything(client, w):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get(LIST).content.decode()
    assert "Workshop tui" in page and "Workshop sit" in page
    assert client.get(SIT).status_code == 200
    assert len(_rows(client.get(LIST + "?format=csv"))) == 1 + 5


def test_an_unknown_workshop_or_table_is_404(client, w):
    client.force_login(w.facilitator)
    assert client.get("/en/reports/workshops/nope/").status_code == 404
    assert client.get(TUI + "?format=csv&table=secrets").status_code == 404


# --- The figures ------------------------------------------------------------------------------


def test_the_per_participant_csv_has_the_agreed_columns_and_rounding(client, w):
    client.force_login(w.facilitator)
    rows = _rows(client.get(TUI + "?format=csv"))
    assert rows[0] == HEADER
    assert rows[1:] == [
        ["amina", "Amina Abdou", "Agency A", "NE", "en", "40.00", "70.00", "30.00", "0.500",
         "4", "4", "1"],
        ["bob", "Bob Ben", "Agency B", "TN", "en", "50.00", "", "", "", "2", "4", "0"],
        # Pre-test of 100: no normalised gain; a negative gain stays a number.
        ["carim", "Carim Cisse", "Agency A › Cyber unit", "NE", "en", "100.00", "90.00",
         "-10.00", "", "3", "4", "1"],
        ["dora", "Dora Dridi", "Agency B", "TN", "en", "20.00", "80.00", "60.00", "0.750",
         "4", "4", "1"],
    ]  # fmt: skip


def test_the_csv_header_stays_the_same_in_every_language(client, w):
    client.force_login(w.facilitator)
    for language in ("fr", "ar"):
        rows = _rows(client.get(f"/{language}/reports/workshops/tui/?format=csv"))
        assert rows[0] == HEADER


def test_whole_workshop_figures(w):
    reader = report_selectors.report_reader(w.facilitator)
    report = report_selectors.workshop_report(reader, "tui")
    whole = report.whole
    assert (whole.participants, whole.paired, whole.pre_only, whole.untested) == (4, 3, 1, 0)
    assert whole.at_ceiling == 1
    assert whole.mean_pre == Decimal("53.33")  # (40 + 100 + 20) / 3
    assert whole.mean_post == Decimal("80.00")
    assert whole.mean_gain == Decimal("26.67")
    assert whole.class_gain == Decimal("0.571")  # 26.666… / 46.666…
    assert whole.mean_normalized_gain == Decimal("0.625")  # (0.5 + 0.75) / 2
    # gains 30, −10, 60: mean 26.67, SD 35.12 → 0.759
    assert whole.effect_size == Decimal("0.759")
    assert report.attendance_rate == Decimal("81.25")  # 13 of 16
    assert report.completion_rate == Decimal("75.00")
    assert [r.username for r in report.not_completed] == ["bob"]


def test_groups_by_country_organisation_and_language(w):
    reader = report_selectors.report_reader(w.facilitator)
    report = report_selectors.workshop_report(reader, "tui")
    by_country = {g.key: g.figures for g in report.groups["country"]}
    assert by_country["NE"].paired == 2 and by_country["NE"].mean_pre == Decimal("70.00")
    assert by_country["TN"].paired == 1 and by_country["TN"].pre_only == 1
    assert by_country["TN"].effect_size is None  # one pair
    assert [g.label for g in report.groups["organisation"]] == [
        "Agency A",
        "Agency A › Cyber unit",
        "Agency B",
    ]
    assert [g.key for g in report.groups["language"]] == ["en"]


def test_question_categories_count_paired_first_attempts(w):
    reader = report_selectors.report_reader(w.facilitator)
    report = report_selectors.workshop_report(reader, "tui")
    rows = {r.label: r.figures for r in report.categories}
    # Law: pre amina 1, 0; dora 0, 0 → 25 %; post all right → 100 %.
    assert rows["Law"].pre == Decimal("25.00") and rows["Law"].post == Decimal("100.00")
    assert rows["Law"].change == Decimal("75.00")
    assert (rows["Law"].pre_responses, rows["Law"].post_responses) == (4, 4)
    # Evidence: pre 0 and 0.5 → 25 %; post 0 and 1 → 50 %.
    assert rows["Evidence"].pre == Decimal("25.00") and rows["Evidence"].post == Decimal("50.00")


def test_the_report_agrees_with_the_first_attempt_scores_of_the_workshops_app(w):
    from workshops.selectors import test_scores

    reader = report_selectors.report_reader(w.facilitator)
    report = report_selectors.workshop_report(reader, "tui")
    expected = test_scores(w.workshop)
    for row in report.participants:
        pre, post = expected[row.user_id]
        assert (row.scores.pre, row.scores.post) == (pre, post)


def test_completion_needs_the_workshops_courses(w):
    from tests.courses.factories import make_course
    from workshops.models import WorkshopCourse

    course = make_course(slug="before")
    WorkshopCourse.objects.create(workshop=w.workshop, course=course)
    reader = report_selectors.report_reader(w.facilitator)
    report = report_selectors.workshop_report(reader, "tui")
    assert report.completed_count == 0
    # A participant whose completion was recorded stays complete.
    w.workshop.participants.filter(user=w.dora).update(completed_at="2026-01-01T00:00Z")
    report = report_selectors.workshop_report(reader, "tui")
    assert [r.username for r in report.participants if r.completed] == ["dora"]


def test_group_and_category_csv_headers_are_in_the_readers_language(client, w):
    client.force_login(w.facilitator)
    groups = _rows(client.get("/fr/reports/workshops/tui/?format=csv&table=groups"))
    with translation.override("fr"):
        from workshops.report_tables import GROUP_HEADER

        assert groups[0] == [str(h) for h in GROUP_HEADER]
    assert groups[0][0] != "Grouping"
    groupings = [r[0] for r in groups[1:]]
    assert len(set(groupings)) == 4
    categories = _rows(client.get("/ar/reports/workshops/tui/?format=csv&table=categories"))
    assert [r[0] for r in categories[1:]] == ["Evidence", "Law"]


def test_workshops_csv_of_the_list(client, w):
    client.force_login(w.facilitator)
    rows = _rows(client.get(LIST + "?format=csv&table=workshops"))
    assert len(rows) == 2
    assert rows[1][:2] == ["Workshop tui", "tui"]
    assert rows[1][3:8] == ["4", "3", "53.33", "80.00", "26.67"]


def test_cells_that_a_spreadsheet_would_run_are_neutralised(client, w):
    w.amina.first_name = "=HYPERLINK(1)"
    w.amina.save()
    client.force_login(w.facilitator)
    rows = _rows(client.get(TUI + "?format=csv"))
    assert rows[1][1].startswith("'=HYPERLINK")


def test_numbers_are_never_quoted_even_negative():
    assert neutralise(Decimal("-10.00")) == "-10.00"
    assert neutralise(-3) == "-3"
    assert neutralise("-3+2") == "'-3+2"


# --- The page ---------------------------------------------------------------------------------


def test_the_page_shows_the_chart_and_the_tables(client, w):
    client.force_login(w.facilitator)
    page = client.get(TUI).content.decode()
    assert page.count('<li class="dumbbell__row">') == 2  # Niger, Tunisia
    assert '<title id="by-country-0-title">Niger</title>' in page
    assert "?format=csv&amp;table=groups" in page
    assert "?format=csv&amp;table=categories" in page
    assert "?format=csv&amp;table=not-completed" in page
    assert "print-header" in page


def test_the_arabic_page_is_right_to_left_and_mirrored(client, w):
    client.force_login(w.facilitator)
    page = client.get("/ar/reports/workshops/tui/").content.decode()
    assert 'dir="rtl"' in page
    # Niger: mean pre 70, post 80 → drawn from the right.
    assert 'class="dumbbell__pre" cx="30%"' in page
    assert 'class="dumbbell__post" cx="20%"' in page
    assert "←" in page


def test_the_reports_navigation_links_the_workshops_report(client, w):
    client.force_login(w.manager)
    assert LIST in client.get("/en/reports/").content.decode()
