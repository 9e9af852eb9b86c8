from decimal import Decimal

from reports.scope import manager_scope
from reports.selectors import (
    CellStatus,
    DateField,
    Dimension,
    ReportFilters,
    completion_rates,
    course_matrix,
    learner_report,
)


def _rows(world, user=None, filters=None, by=Dimension.COURSE):
    scope = manager_scope(user=user or world.manager)
    return {
        r.label: r for r in completion_rates(scope=scope, filters=filters or ReportFilters(), by=by)
    }


def test_overview_counts_only_the_managers_organisation_and_its_units(world):
    row = _rows(world)["Electronic evidence"]
    assert (row.enrolled, row.not_started, row.in_progress, row.completed) == (2, 0, 1, 1)
    assert row.completion_rate == 50
    assert (row.scored, row.passed, row.pass_rate) == (2, 1, 50)
    assert row.mean_score == Decimal("60.00")
    assert row.median_days == Decimal("10.0")


def test_superuser_sees_every_learner(world, superuser):
    row = _rows(world, user=superuser)["Electronic evidence"]
    assert (row.enrolled, row.completed, row.completion_rate) == (3, 2, 67)
    assert row.mean_score == Decimal("73.33")
    assert row.median_days == Decimal("6.0")  # median of 10 and 2 days


def test_breakdowns_by_organisation_country_and_language(world, superuser):
    by_org = _rows(world, user=superuser, by=Dimension.ORGANISATION)
    assert set(by_org) == {"Agency A", "Agency A › Cyber unit", "Agency B"}
    assert by_org["Agency A › Cyber unit"].pass_rate == 0
    by_country = _rows(world, user=superuser, by=Dimension.COUNTRY)
    assert {k: r.enrolled for k, r in by_country.items()} == {"Niger": 2, "Tunisia": 1}
    by_language = _rows(world, user=superuser, by=Dimension.LANGUAGE)
    assert {k: r.enrolled for k, r in by_language.items()} == {"French": 1, "Arabic": 2}
    assert by_language["Arabic"].mean_score == Decimal("70.00")


def test_an_enrolment_nobody_has_opened_is_not_started(world):
    from tests.reports.factories import enrol

    enrol(world.alice, world.other_course)
    row = _rows(world)["Course ftf"]
    assert (row.enrolled, row.not_started, row.in_progress, row.completion_rate) == (1, 1, 0, 0)
    assert row.pass_rate is None and row.mean_score is None and row.median_days is None


def test_enrolment_date_range_includes_both_whole_days(world):
    from datetime import date

    filters = ReportFilters(date_from=date(2025, 1, 1), date_to=date(2025, 3, 1))
    assert _rows(world, filters=filters)["Electronic evidence"].enrolled == 2
    filters = ReportFilters(date_from=date(2025, 1, 2), date_to=date(2025, 3, 1))
    assert _rows(world, filters=filters)["Electronic evidence"].enrolled == 1
    filters = ReportFilters(date_to=date(2024, 12, 31))
    assert _rows(world, filters=filters) == {}


def test_completion_date_range_counts_only_completions_inside_it(world, superuser):
    from datetime import date

    filters = ReportFilters(
        date_field=DateField.COMPLETED, date_from=date(2025, 2, 1), date_to=date(2025, 2, 28)
    )
    row = _rows(world, user=superuser, filters=filters)["Electronic evidence"]
    assert (row.enrolled, row.completed) == (1, 1)  # Bob only
    assert row.mean_score == Decimal("100.00")


def test_matrix_shows_each_learners_state_and_score_per_activity(world):
    scope = manager_scope(user=world.manager)
    matrix = course_matrix(scope=scope, filters=ReportFilters(), course=world.course)
    assert [a.title for a in matrix.activities] == ["Module types", "Module check"]
    rows = matrix.rows(matrix.enrolments)
    assert [r.username for r in rows] == ["alice", "carim"]
    alice, carim = rows
    assert [c.status for c in alice.cells] == [CellStatus.COMPLETE, CellStatus.PASSED]
    assert alice.cells[1].score == Decimal("80.00") and alice.percent == 100
    assert [c.status for c in carim.cells] == [CellStatus.COMPLETE, CellStatus.FAILED]
    assert carim.percent == 50
    assert [r.username for r in matrix.iter_rows(batch_size=1)] == ["alice", "carim"]


def test_learner_report_lists_courses_activities_and_scores(world):
    report = learner_report(scope=manager_scope(user=world.manager), user_id=world.carim.pk)
    (course,) = report.courses
    assert course.title == "Electronic evidence" and course.percent == 50
    assert [(a.cell.status, a.cell.score) for a in course.activities] == [
        (CellStatus.COMPLETE, None),
        (CellStatus.FAILED, Decimal("40.00")),
    ]
