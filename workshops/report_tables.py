"""The CSV tables of the knowledge-gain report; the pages show the same columns.

The per-participant tables keep fixed column names (a file other tools read back); every
other table has headers in the reader's language. Scores and gains have 2 decimals, normalised
gains and effect sizes 3 (workshops/gain.py rounds them, half up).
"""

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext_lazy as _

from .report_selectors import CategoryRow, GroupRow, ParticipantRow, WorkshopSummary

PARTICIPANT_COLUMNS = [
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


def _participant_line(r: ParticipantRow) -> list:
    return [
        r.username,
        r.full_name,
        r.organisation,
        r.country,
        r.language,
        r.scores.pre,
        r.scores.post,
        r.scores.gain,
        r.scores.normalized_gain,
        r.attended_sessions,
        r.sessions,
        r.completed,
    ]


def participant_table(rows: Iterable[ParticipantRow]) -> tuple[list, Iterator[list]]:
    return list(PARTICIPANT_COLUMNS), (_participant_line(r) for r in rows)


def all_participants_table(
    rows: Iterable[ParticipantRow], slugs: dict[int, str]
) -> tuple[list, Iterator[list]]:
    """Every workshop's participants: the workshop's slug, then the per-participant columns."""
    return ["workshop", *PARTICIPANT_COLUMNS], (
        [slugs[r.workshop_id], *_participant_line(r)] for r in rows
    )


GROUP_HEADER = [
    _("Grouping"),
    _("Group"),
    _("Participants"),
    _("Paired participants"),
    _("Pre-test only"),
    _("Post-test only"),
    _("No test taken"),
    _("Pre-test score of 100 (no g)"),
    _("Mean pre-test score (%)"),
    _("Mean post-test score (%)"),
    _("Mean gain (points)"),
    _("Class gain ⟨g⟩"),
    _("Mean normalised gain g"),
    _("Effect size d_z"),
]


def group_line(row: GroupRow, grouping_label: str) -> list:
    f = row.figures
    return [
        grouping_label,
        row.label,
        f.participants,
        f.paired,
        f.pre_only,
        f.post_only,
        f.untested,
        f.at_ceiling,
        f.mean_pre,
        f.mean_post,
        f.mean_gain,
        f.class_gain,
        f.mean_normalized_gain,
        f.effect_size,
    ]


def group_table(groups: Iterable[tuple[str, list[GroupRow]]]) -> tuple[list, Iterator[list]]:
    """`groups`: (grouping label, its rows) for each grouping, in order."""
    return list(GROUP_HEADER), (group_line(row, label) for label, rows in groups for row in rows)


def category_table(rows: Iterable[CategoryRow]) -> tuple[list, Iterator[list]]:
    header = [
        _("Question category"),
        _("Pre-test: mean correct (%)"),
        _("Post-test: mean correct (%)"),
        _("Change (points)"),
        _("Pre-test answers"),
        _("Post-test answers"),
    ]
    return header, (
        [
            r.label,
            r.figures.pre,
            r.figures.post,
            r.figures.change,
            r.figures.pre_responses,
            r.figures.post_responses,
        ]
        for r in rows
    )


def summary_table(rows: Iterable[WorkshopSummary]) -> tuple[list, Iterator[list]]:
    header = [
        _("Workshop"),
        _("Slug"),
        _("Starts"),
        _("Participants"),
        _("Paired participants"),
        _("Mean pre-test score (%)"),
        _("Mean post-test score (%)"),
        _("Mean gain (points)"),
        _("Class gain ⟨g⟩"),
        _("Completion rate (%)"),
    ]
    return header, (
        [
            s.workshop.title,
            s.workshop.slug,
            s.workshop.starts_at,
            s.participants,
            s.figures.paired,
            s.figures.mean_pre,
            s.figures.mean_post,
            s.figures.mean_gain,
            s.figures.class_gain,
            s.completion_rate,
        ]
        for s in rows
    )
