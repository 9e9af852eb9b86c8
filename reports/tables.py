"""The columns of each report table, shared by the CSV export so that it says what the page
says. Headers are lazy: they are translated into the reader's language when written."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .selectors import (
    ActivityColumn,
    AssignmentRow,
    CellStatus,
    Dimension,
    LearnerReport,
    MatrixRow,
    SummaryRow,
)


@dataclass(frozen=True)
class Column:
    header: object
    value: Callable


SUMMARY_COLUMNS = [
    Column(_("Enrolled"), lambda r: r.enrolled),
    Column(_("Not started"), lambda r: r.not_started),
    Column(_("In progress"), lambda r: r.in_progress),
    Column(pgettext_lazy("number of learners", "Completed"), lambda r: r.completed),
    Column(_("Completion rate (%)"), lambda r: r.completion_rate),
    Column(_("Quiz results"), lambda r: r.scored),
    Column(_("Quiz pass rate (%)"), lambda r: r.pass_rate),
    Column(_("Mean score (%)"), lambda r: r.mean_score),
    Column(_("Median days to complete"), lambda r: r.median_days),
]


def summary_table(rows: Iterable[SummaryRow], *, by: str) -> tuple[list, Iterator[list]]:
    header = [Dimension(by).label, *(c.header for c in SUMMARY_COLUMNS)]
    return header, ([r.label, *(c.value(r) for c in SUMMARY_COLUMNS)] for r in rows)


def matrix_table(
    rows: Iterable[MatrixRow], *, activities: list[ActivityColumn]
) -> tuple[list, Iterator[list]]:
    header = [
        _("Learner"),
        _("Username"),
        _("Organisation"),
        _("Enrolled on"),
        _("Last activity"),
        _("Completed"),
        _("Due date"),
        _("Progress (%)"),
    ]
    for activity in activities:
        header.append(activity.title)
        header.append(_("%(activity)s: score") % {"activity": activity.title})

    def lines():
        # Looked up once per export rather than once per cell.
        labels = {status.value: str(status.label) for status in CellStatus}
        for r in rows:
            line = [
                r.name,
                r.username,
                r.organisation,
                r.enrolled_at,
                r.last_activity_at,
                r.completed_at,
                r.due_date,
                r.percent,
            ]
            for cell in r.cells:
                line.append(labels[cell.status])
                line.append(cell.score)
            yield line

    return header, lines()


def learner_table(report: LearnerReport) -> tuple[list, Iterator[list]]:
    header = [
        _("Course"),
        _("Activity"),
        _("Required"),
        _("Status"),
        _("Score (%)"),
        _("Attempts"),
        _("Completed"),
        _("Last seen"),
    ]

    def lines():
        for course in report.courses:
            for item in course.activities:
                yield [
                    course.title,
                    item.activity.title,
                    _("Yes") if item.activity.required else _("No"),
                    item.cell.status_label,
                    item.cell.score,
                    item.cell.attempts or "",
                    item.cell.completed_at,
                    item.cell.last_seen_at,
                ]

    return header, lines()


def assignment_table(rows: Iterable[AssignmentRow]) -> tuple[list, Iterator[list]]:
    header = [
        _("Learner"),
        _("Username"),
        _("Organisation"),
        _("Course"),
        _("Assigned by"),
        _("Due date"),
        _("Completed"),
        _("Status"),
    ]
    return header, (
        [
            r.name,
            r.username,
            r.organisation,
            r.course,
            r.assigned_by,
            r.due_date,
            r.completed_at,
            r.status_label,
        ]
        for r in rows
    )
