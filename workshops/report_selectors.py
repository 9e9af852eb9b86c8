"""Every read of the knowledge-gain report (docs/knowledge-gain.md), for pages and CSV alike.

Who reads: administrators (superusers) every workshop and participant; facilitators their own
workshops, every participant of them; managers the workshops with a participant in their
scope (reports.scope), and only those participants. Anyone else: 403; a workshop the reader
may not see: 404.

Each participant row is one SQL row: the scores (first submitted attempt of each test, as
`workshops.selectors.first_scores`), attendance and finished courses are correlated
subqueries, so a page or an export costs the same few queries for 5 or 5,000 participants.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.utils.translation import gettext as _
from django_countries import countries

from courses.models import Enrolment
from quizzes.models import QuizAttempt, Response
from reports.scope import Scope, is_report_reader, manager_scope
from reports.selectors import organisation_labels

from . import gain, rules
from .models import Attendance, Participant, Workshop, WorkshopCourse, WorkshopSession

BATCH_SIZE = 1_000


class NotAReader(Exception):
    """The user reads no workshop report (answered with 403)."""


class OutOfScope(Exception):
    """A workshop the reader may not see (answered with 404)."""


@dataclass(frozen=True)
class Reader:
    user_id: int
    everything: bool
    scope: Scope | None  # None: not a manager; they read only the workshops they facilitate

    def workshops_q(self) -> Q:
        if self.everything:
            return Q()
        condition = Q(facilitators__id=self.user_id)
        if self.scope is not None:
            in_scope = Participant.objects.filter(workshop=OuterRef("pk")).filter(
                self.scope.users_q("user__")
            )
            condition |= Q(Exists(in_scope))
        return condition


def report_reader(user) -> Reader:
    """The reader `user` is, or NotAReader: superusers, managers and facilitators read."""
    if not user.is_authenticated or not user.is_active:
        raise NotAReader
    if user.is_superuser:
        return Reader(user_id=user.pk, everything=True, scope=Scope(everything=True))
    if is_report_reader(user):
        return Reader(user_id=user.pk, everything=False, scope=manager_scope(user=user))
    if Workshop.facilitators.through.objects.filter(user_id=user.pk).exists():
        return Reader(user_id=user.pk, everything=False, scope=None)
    raise NotAReader


def visible_workshops(reader: Reader) -> QuerySet[Workshop]:
    """The workshops `reader` may see, soonest-starting last (the newest first)."""
    # A subquery on the ids keeps the facilitator join from repeating a workshop.
    ids = Workshop.objects.filter(reader.workshops_q()).values("pk")
    return Workshop.objects.filter(pk__in=ids).select_related(
        "host_organisation", "evaluation_survey"
    )


def workshop_for(reader: Reader, slug: str) -> tuple[Workshop, bool]:
    """The workshop and whether the reader sees all its participants; OutOfScope if none."""
    workshop = (
        visible_workshops(reader)
        .filter(slug=slug)
        .annotate(
            facilitated=Exists(
                Workshop.facilitators.through.objects.filter(
                    workshop_id=OuterRef("pk"), user_id=reader.user_id
                )
            )
        )
        .first()
    )
    if workshop is None:
        raise OutOfScope
    return workshop, reader.everything or workshop.facilitated


# --- Participants --------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantRow:
    workshop_id: int
    user_id: int
    username: str
    full_name: str
    organisation: str
    country: str  # ISO code, "" without an organisation
    language: str  # of the tests: the post-test's first attempt, else the pre-test's
    scores: gain.ParticipantGain
    attended_sessions: int
    sessions: int
    completed: bool

    @property
    def attendance_rate(self) -> Decimal | None:
        return rules.attendance_rate(self.attended_sessions, self.sessions)

    @property
    def country_name(self) -> str:
        return (countries.name(self.country) or self.country) if self.country else ""


@dataclass(frozen=True)
class _WorkshopFacts:
    pre_test_id: int | None
    post_test_id: int | None
    threshold: int
    sessions: int
    course_ids: tuple[int, ...]


def _workshop_facts(workshop_ids) -> dict[int, _WorkshopFacts]:
    """Tests, threshold, number of sessions and courses of each workshop: three queries."""
    sessions = dict(
        WorkshopSession.objects.filter(workshop_id__in=workshop_ids)
        .values("workshop_id")
        .annotate(n=Count("pk"))
        .values_list("workshop_id", "n")
        .order_by()
    )
    courses: dict[int, list[int]] = defaultdict(list)
    for workshop_id, course_id in WorkshopCourse.objects.filter(
        workshop_id__in=workshop_ids
    ).values_list("workshop_id", "course_id"):
        courses[workshop_id].append(course_id)
    return {
        pk: _WorkshopFacts(pre, post, threshold, sessions.get(pk, 0), tuple(courses[pk]))
        for pk, pre, post, threshold in Workshop.objects.filter(pk__in=workshop_ids).values_list(
            "pk", "pre_test_id", "post_test_id", "attendance_threshold"
        )
    }


def participants_in(*, workshops: QuerySet | list[int], scope: Scope | None) -> QuerySet:
    """Participants of `workshops`, within `scope` if given (None: all of them)."""
    rows = Participant.objects.filter(workshop__in=workshops)
    if scope is not None and not scope.everything:
        rows = rows.filter(scope.users_q("user__"))
    return rows


COLUMNS = (
    "pk",
    "workshop_id",
    "user_id",
    "user__username",
    "user__first_name",
    "user__last_name",
    "user__organisation_id",
    "user__organisation__country",
    "completed_at",
)
ORDER = ("workshop_id", "user__last_name", "user__first_name", "user__username")


def _first_attempts(users: QuerySet, quiz_ids: set[int]) -> dict[tuple[int, int], tuple]:
    """{(user, quiz): (score, language)} of each user's first submitted attempt: one query
    (the lowest attempt number wins, as in workshops.selectors.first_scores)."""
    if not quiz_ids:
        return {}
    found: dict[tuple[int, int], tuple] = {}
    rows = (
        QuizAttempt.objects.filter(
            user_id__in=users,
            quiz_id__in=sorted(quiz_ids),
            state=QuizAttempt.State.SUBMITTED,
        )
        .order_by("-number")
        .values_list("user_id", "quiz_id", "score", "language")
    )
    for user_id, quiz_id, score, language in rows:
        found[(user_id, quiz_id)] = (score, language)  # the last written is number 1
    return found


def _rows_of_batch(
    batch: list[tuple],
    facts: dict[int, _WorkshopFacts],
    organisations: dict[int, str],
) -> list[ParticipantRow]:
    """ParticipantRows of a batch of participant rows (in COLUMNS): three queries.

    They read every participant of the batch's workshops (a subquery on a few workshop ids,
    cheaper than sending the participants' ids or repeating the scope's joins); rows of
    participants out of the batch are simply not looked up."""
    workshop_ids = sorted({values[1] for values in batch})
    source = Participant.objects.filter(workshop_id__in=workshop_ids)
    attended = dict(
        Attendance.objects.filter(participant__workshop_id__in=workshop_ids, attended=True)
        .values("participant_id")
        .annotate(n=Count("pk"))
        .values_list("participant_id", "n")
        .order_by()
    )
    quiz_ids = {
        pk
        for w in workshop_ids
        for pk in (facts[w].pre_test_id, facts[w].post_test_id)
        if pk is not None
    }
    attempts = _first_attempts(source.values("user_id"), quiz_ids)
    course_ids = {pk for w in workshop_ids for pk in facts[w].course_ids}
    done = (
        set(
            Enrolment.objects.filter(
                user_id__in=source.values("user_id"),
                course_id__in=sorted(course_ids),
                completed_at__isnull=False,
            ).values_list("user_id", "course_id")
        )
        if course_ids
        else set()
    )
    rows = []
    for pk, workshop_id, user_id, username, first, last, org_id, country, completed_at in batch:
        fact = facts[workshop_id]
        pre = attempts.get((user_id, fact.pre_test_id)) if fact.pre_test_id else None
        post = attempts.get((user_id, fact.post_test_id)) if fact.post_test_id else None
        attended_sessions = attended.get(pk, 0)
        courses_done = sum(1 for c in fact.course_ids if (user_id, c) in done)
        completed = completed_at is not None or rules.workshop_complete(
            attended_sessions,
            fact.sessions,
            fact.threshold,
            required_courses_complete=courses_done >= len(fact.course_ids),
            post_test_taken=fact.post_test_id is None or post is not None,
        )
        rows.append(
            ParticipantRow(
                workshop_id=workshop_id,
                user_id=user_id,
                username=username,
                full_name=f"{first} {last}".strip(),
                organisation=organisations.get(org_id, "") if org_id else "",
                country=country or "",
                language=(post[1] if post else "") or (pre[1] if pre else ""),
                scores=gain.participant_gain(pre[0] if pre else None, post[0] if post else None),
                attended_sessions=attended_sessions,
                sessions=fact.sessions,
                completed=completed,
            )
        )
    return rows


def participant_rows(
    participants: QuerySet,
    facts: dict[int, _WorkshopFacts],
    organisations: dict[int, str],
    *,
    stream: bool = False,
) -> Iterator[ParticipantRow]:
    """The rows of `participants` (`participants_in`), by workshop and name, completed in
    batches of BATCH_SIZE: queries grow with batches, never inside one. `stream`: read them
    through a server-side cursor, for exports of every workshop (pages read theirs at once)."""
    rows = participants.values_list(*COLUMNS).order_by(*ORDER)
    batch: list[tuple] = []
    for values in rows.iterator(chunk_size=BATCH_SIZE) if stream else rows:
        batch.append(values)
        if len(batch) == BATCH_SIZE:
            yield from _rows_of_batch(batch, facts, organisations)
            batch = []
    if batch:
        yield from _rows_of_batch(batch, facts, organisations)


# --- Groups ---------------------------------------------------------------------------------


GROUPINGS: dict[str, Callable[[ParticipantRow], str]] = {
    "country": lambda r: r.country,
    "organisation": lambda r: r.organisation,
    "language": lambda r: r.language,
}


def grouping_label(grouping: str) -> str:
    return {
        "workshop": _("Whole workshop"),
        "country": _("Country"),
        "organisation": _("Organisation"),
        "language": _("Study language"),
    }[grouping]


def group_label(grouping: str, key: str) -> str:
    if grouping == "country":
        return (countries.name(key) or key) if key else _("Unknown")
    if grouping == "organisation":
        return key or _("No organisation")
    if grouping == "language":
        return str(dict(settings.LANGUAGES).get(key, key)) if key else _("No test taken")
    return _("All participants")


@dataclass(frozen=True)
class GroupRow:
    grouping: str
    key: str
    label: str
    figures: gain.GroupGain


def _pairs(rows: Iterable[ParticipantRow]):
    for r in rows:
        yield (r.scores.pre, r.scores.post)


def group_rows(rows: list[ParticipantRow], grouping: str) -> list[GroupRow]:
    """One row per value of `grouping` ("workshop": a single row), by label."""
    if grouping == "workshop":
        return [
            GroupRow("workshop", "", group_label("workshop", ""), gain.group_gain(_pairs(rows)))
        ]
    key_of = GROUPINGS[grouping]
    grouped: dict[str, list[ParticipantRow]] = defaultdict(list)
    for row in rows:
        grouped[key_of(row)].append(row)
    found = [
        GroupRow(grouping, key, group_label(grouping, key), gain.group_gain(_pairs(members)))
        for key, members in grouped.items()
    ]
    return sorted(found, key=lambda g: (g.key == "", g.label.casefold()))


# --- Question categories --------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryRow:
    category_id: int
    label: str
    figures: gain.CategoryGain


def category_rows(workshop: Workshop, user_ids: list[int]) -> list[CategoryRow]:
    """Mean fraction correct per question category in the first submitted attempt of each test,
    over `user_ids` (the paired participants): two queries."""
    tests = [pk for pk in (workshop.pre_test_id, workshop.post_test_id) if pk]
    if not tests or not user_ids:
        return []
    first: dict[tuple[int, int], int] = {}
    for pk, user_id, quiz_id in (
        QuizAttempt.objects.filter(
            quiz_id__in=tests, user_id__in=sorted(user_ids), state=QuizAttempt.State.SUBMITTED
        )
        .order_by("-number")
        .values_list("pk", "user_id", "quiz_id")
    ):
        first[(user_id, quiz_id)] = pk  # the last written is the lowest number
    attempts = sorted(first.values())
    sums = (
        Response.objects.filter(attempt_id__in=attempts, fraction__isnull=False)
        .values("question__category_id", "question__category__name", "attempt__quiz_id")
        .annotate(total=Sum("fraction"), count=Count("pk"))
        .order_by()
    )
    by_category: dict[int, dict] = {}
    for entry in sums:
        found = by_category.setdefault(
            entry["question__category_id"],
            {"label": entry["question__category__name"], "pre": (None, 0), "post": (None, 0)},
        )
        side = "pre" if entry["attempt__quiz_id"] == workshop.pre_test_id else "post"
        found[side] = (entry["total"], entry["count"])
    rows = [
        CategoryRow(
            category_id=pk,
            label=found["label"],
            figures=gain.category_gain(
                pre_total=found["pre"][0],
                pre_count=found["pre"][1],
                post_total=found["post"][0],
                post_count=found["post"][1],
            ),
        )
        for pk, found in by_category.items()
    ]
    return sorted(rows, key=lambda r: r.label.casefold())


# --- The report of one workshop -------------------------------------------------------------


@dataclass
class WorkshopReport:
    workshop: Workshop
    all_participants: bool  # False: a manager's scope only
    participants: list[ParticipantRow]
    groups: dict[str, list[GroupRow]] = field(default_factory=dict)
    categories: list[CategoryRow] = field(default_factory=list)

    @property
    def whole(self) -> gain.GroupGain:
        return self.groups["workshop"][0].figures

    @property
    def not_completed(self) -> list[ParticipantRow]:
        return [r for r in self.participants if not r.completed]

    @property
    def completed_count(self) -> int:
        return sum(1 for r in self.participants if r.completed)

    @property
    def completion_rate(self) -> Decimal | None:
        return gain.rate(self.completed_count, len(self.participants))

    @property
    def sessions(self) -> int:
        return self.participants[0].sessions if self.participants else 0

    @property
    def attendance_rate(self) -> Decimal | None:
        """Sessions attended ÷ sessions held, over every participant."""
        attended = sum(r.attended_sessions for r in self.participants)
        return gain.rate(attended, self.sessions * len(self.participants))


def workshop_report(reader: Reader, slug: str, *, categories: bool = True) -> WorkshopReport:
    workshop, everyone = workshop_for(reader, slug)
    queryset = participants_in(workshops=[workshop.pk], scope=None if everyone else reader.scope)
    rows = list(participant_rows(queryset, _workshop_facts([workshop.pk]), organisation_labels()))
    report = WorkshopReport(workshop=workshop, all_participants=everyone, participants=rows)
    for grouping in ("workshop", *GROUPINGS):
        report.groups[grouping] = group_rows(rows, grouping)
    if categories:
        paired = [r.user_id for r in rows if r.scores.paired]
        report.categories = category_rows(workshop, paired)
    return report


# --- The list -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkshopSummary:
    workshop: Workshop
    participants: int
    completed: int
    figures: gain.GroupGain

    @property
    def completion_rate(self) -> Decimal | None:
        return gain.rate(self.completed, self.participants)


def workshop_summaries(reader: Reader, workshops: list[Workshop]) -> list[WorkshopSummary]:
    """The figures of each of `workshops` (a page of the list): one query for them all."""
    if not workshops:
        return []
    ids = [w.pk for w in workshops]
    facilitated = set()
    if not reader.everything:
        facilitated = set(
            Workshop.facilitators.through.objects.filter(
                workshop_id__in=ids, user_id=reader.user_id
            ).values_list("workshop_id", flat=True)
        )
    by_workshop: dict[int, list[ParticipantRow]] = defaultdict(list)
    everyone = [pk for pk in ids if reader.everything or pk in facilitated]
    scoped = [pk for pk in ids if pk not in everyone]
    querysets = []
    if everyone:
        querysets.append(participants_in(workshops=everyone, scope=None))
    if scoped:
        querysets.append(participants_in(workshops=scoped, scope=reader.scope))
    if querysets:
        facts = _workshop_facts(ids)
        organisations = organisation_labels()
        for queryset in querysets:
            for row in participant_rows(queryset, facts, organisations):
                by_workshop[row.workshop_id].append(row)
    return [
        WorkshopSummary(
            workshop=w,
            participants=len(by_workshop[w.pk]),
            completed=sum(1 for r in by_workshop[w.pk] if r.completed),
            figures=gain.group_gain(_pairs(by_workshop[w.pk])),
        )
        for w in workshops
    ]


def all_participants(reader: Reader) -> Iterator[ParticipantRow]:
    """Every participant row the reader may see, workshop by workshop (the list's export)."""
    workshops = visible_workshops(reader)
    facts = _workshop_facts(workshops.values("pk"))
    organisations = organisation_labels()
    if reader.everything:
        yield from participant_rows(
            participants_in(workshops=workshops.values("pk"), scope=None),
            facts,
            organisations,
            stream=True,
        )
        return
    facilitated = workshops.filter(facilitators__id=reader.user_id).values("pk")
    yield from participant_rows(
        participants_in(workshops=facilitated, scope=None), facts, organisations, stream=True
    )
    if reader.scope is not None:
        others = workshops.exclude(pk__in=facilitated).values("pk")
        yield from participant_rows(
            participants_in(workshops=others, scope=reader.scope),
            facts,
            organisations,
            stream=True,
        )
