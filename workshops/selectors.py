"""Every read the workshop pages, commands and reports need."""

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone, translation

from cms.time_zones import reader_zone as reader_zone_of
from courses.models import Enrolment
from quizzes.models import QuizAttempt

from . import rules
from .models import Attendance, Participant, Workshop, WorkshopSession

Scores = tuple[Decimal | None, Decimal | None]


def first_scores(*, quiz_ids: list[int], user_ids) -> dict[tuple[int, int], Decimal]:
    """{(user_id, quiz_id): score of the user's FIRST submitted attempt on the quiz}, one query.

    `user_ids` may be a list or a queryset of ids (then a subquery). The first attempt is the one
    with the lowest attempt number among those submitted; later attempts never replace it, so
    retakes cannot inflate a knowledge gain.
    """
    if not quiz_ids:
        return {}
    submitted = QuizAttempt.objects.filter(state=QuizAttempt.State.SUBMITTED)
    first = submitted.filter(user=OuterRef("user"), quiz=OuterRef("quiz")).order_by("number")
    rows = (
        submitted.filter(quiz_id__in=quiz_ids, user_id__in=user_ids)
        .filter(pk=Subquery(first.values("pk")[:1]))
        .values_list("user_id", "quiz_id", "score")
    )
    return {(user_id, quiz_id): score for user_id, quiz_id, score in rows}


def test_scores(workshop: Workshop) -> dict[int, Scores]:
    """{user_id: (pre score, post score)} for every participant of `workshop`, in percent.

    A score is the participant's first submitted attempt on the workshop's pre-test (or
    post-test); None when they have not submitted one, or the workshop names no such test.
    Two queries, whatever the number of participants.
    """
    users = list(Participant.objects.filter(workshop=workshop).values_list("user_id", flat=True))
    quiz_ids = [pk for pk in (workshop.pre_test_id, workshop.post_test_id) if pk]
    found = (
        first_scores(
            quiz_ids=quiz_ids,
            user_ids=Participant.objects.filter(workshop=workshop).values("user_id"),
        )
        if users
        else {}
    )
    return {
        user_id: (
            found.get((user_id, workshop.pre_test_id)) if workshop.pre_test_id else None,
            found.get((user_id, workshop.post_test_id)) if workshop.post_test_id else None,
        )
        for user_id in users
    }


# --- times ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """When a workshop's sessions begin and end (aware), from its agenda."""

    first_starts: datetime | None
    last_ends: datetime | None
    ends_on: date  # the workshop's last day, in its own time zone


def span_of(workshop: Workshop, sessions=None) -> Span:
    """`sessions` may be given (already loaded, in agenda order); else one query."""
    if sessions is None:
        sessions = list(
            WorkshopSession.objects.filter(workshop=workshop).only("date", "start_time", "end_time")
        )
    zone = workshop.zone
    ends_on = workshop.ends_at.astimezone(zone).date()
    if not sessions:
        return Span(None, None, ends_on)
    first = min(sessions, key=lambda s: (s.date, s.start_time))
    last = max(sessions, key=lambda s: (s.date, s.end_time))
    return Span(
        rules.local_moment(first.date, first.start_time, zone),
        rules.local_moment(last.date, last.end_time, zone),
        max(ends_on, last.date),
    )


def course_due_dates(workshop: Workshop, links=None) -> dict[int, date | None]:
    """{course_id: due date} for each course of the workshop."""
    links = list(workshop.courses.all()) if links is None else links
    ends_on = span_of(workshop).ends_on
    return {
        link.course_id: rules.course_due_date(
            ends_on=ends_on, due_date=link.due_date, due_days_after_end=link.due_days_after_end
        )
        for link in links
    }


# --- standing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Where a participant stands in a workshop."""

    user_id: int
    attended: int
    sessions: int
    courses_complete: int
    courses: int
    pre: Decimal | None
    post: Decimal | None
    completed_at: datetime | None
    threshold: int
    has_post_test: bool

    @property
    def attendance_rate(self) -> Decimal | None:
        return rules.attendance_rate(self.attended, self.sessions)

    @property
    def attendance_met(self) -> bool:
        return rules.attendance_met(self.attended, self.sessions, self.threshold)

    @property
    def post_test_taken(self) -> bool:
        return self.post is not None or not self.has_post_test

    @property
    def complete(self) -> bool:
        """Complete now by the rule, or recorded complete before (completion never moves)."""
        return self.completed_at is not None or rules.workshop_complete(
            self.attended,
            self.sessions,
            self.threshold,
            self.courses_complete >= self.courses,
            self.post_test_taken,
        )


def standings(workshop: Workshop, user_ids=None) -> dict[int, Standing]:
    """{user_id: Standing} for the workshop's participants (or those of `user_ids`), in a
    constant number of queries."""
    participants = Participant.objects.filter(workshop=workshop)
    if user_ids is not None:
        participants = participants.filter(user_id__in=list(user_ids))
    rows = list(participants.values_list("pk", "user_id", "completed_at"))
    if not rows:
        return {}
    sessions = WorkshopSession.objects.filter(workshop=workshop).count()
    attended = dict(
        Attendance.objects.filter(participant_id__in=[pk for pk, _u, _c in rows], attended=True)
        .values("participant_id")
        .annotate(n=Count("pk"))
        .values_list("participant_id", "n")
    )
    course_ids = list(workshop.courses.values_list("course_id", flat=True))
    done: dict[int, int] = {}
    if course_ids:
        done = dict(
            Enrolment.objects.filter(
                course_id__in=course_ids,
                user_id__in=[u for _p, u, _c in rows],
                completed_at__isnull=False,
            )
            .values("user_id")
            .annotate(n=Count("pk"))
            .values_list("user_id", "n")
        )
    quiz_ids = [pk for pk in (workshop.pre_test_id, workshop.post_test_id) if pk]
    scores = first_scores(quiz_ids=quiz_ids, user_ids=[u for _p, u, _c in rows])
    return {
        user_id: Standing(
            user_id=user_id,
            attended=attended.get(pk, 0),
            sessions=sessions,
            courses_complete=done.get(user_id, 0),
            courses=len(course_ids),
            pre=scores.get((user_id, workshop.pre_test_id)) if workshop.pre_test_id else None,
            post=scores.get((user_id, workshop.post_test_id)) if workshop.post_test_id else None,
            completed_at=completed_at,
            threshold=workshop.attendance_threshold,
            has_post_test=workshop.post_test_id is not None,
        )
        for pk, user_id, completed_at in rows
    }


# --- who sees what ----------------------------------------------------------------------------


def can_manage_all(user) -> bool:
    """Administrators manage every workshop."""
    return user.is_authenticated and user.is_superuser


def facilitated(user):
    """The workshops `user` may manage: all for an administrator, else those they facilitate."""
    if can_manage_all(user):
        return Workshop.objects.all()
    if not user.is_authenticated:
        return Workshop.objects.none()
    return Workshop.objects.filter(facilitators=user)


def may_manage(user, workshop: Workshop) -> bool:
    return can_manage_all(user) or (
        user.is_authenticated and workshop.facilitators.filter(pk=user.pk).exists()
    )


def workshops_of(user):
    """The workshops `user` takes part in, soonest first."""
    return (
        Workshop.objects.filter(participants__user=user)
        .select_related("host_organisation")
        .order_by("starts_at", "slug")
    )


def tests_of(*, user, quiz_id: int):
    """The workshops whose pre-test or post-test is `quiz_id` and which `user` takes part in,
    with their sessions: two queries."""
    return list(
        Workshop.objects.filter(
            Q(pre_test_id=quiz_id) | Q(post_test_id=quiz_id), participants__user=user
        )
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=WorkshopSession.objects.only(
                    "workshop_id", "date", "start_time", "end_time"
                ),
            )
        )
        .distinct()
    )


# --- the participant's pages ------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaItem:
    session: WorkshopSession
    number: int
    attended: bool | None  # None: not recorded (or the reader is not a participant)
    times: rules.SessionTimes  # in the reader's zone, and in the workshop's own


@dataclass(frozen=True)
class CourseItem:
    course: object
    url: str
    due_date: date | None
    percent: int
    complete: bool
    overdue: bool


@dataclass(frozen=True)
class TestItem:
    quiz: object | None
    url: str
    open: bool
    score: Decimal | None


@dataclass(frozen=True)
class WorkshopPage:
    workshop: Workshop
    agenda: list[AgendaItem]
    span: Span
    participant: Participant | None
    standing: Standing | None
    courses: list[CourseItem]
    documents: list
    pre: TestItem
    post: TestItem
    manages: bool
    reader_zone: str  # the IANA zone the agenda's times are shown in
    own_zone: str  # the workshop's

    @property
    def zones_differ(self) -> bool:
        return any(item.times.differs for item in self.agenda)

    surveys: list = field(default_factory=list)  # survey_links.SurveyItem

    @property
    def days(self) -> list[tuple[date, list[AgendaItem]]]:
        """The agenda by the reader's day (a session is listed on the day it starts for them)."""
        grouped: dict[date, list[AgendaItem]] = {}
        for item in self.agenda:
            grouped.setdefault(item.times.day, []).append(item)
        return list(grouped.items())


def visible_workshop(*, user, slug: str) -> Workshop | None:
    """The workshop `slug` if `user` takes part in it, facilitates it or is an administrator."""
    workshops = Workshop.objects.select_related(
        "host_organisation", "pre_test", "post_test", "needs_survey", "evaluation_survey"
    )
    if not can_manage_all(user):
        workshops = workshops.filter(Q(participants__user=user) | Q(facilitators=user)).distinct()
    return workshops.filter(slug=slug).first()


def workshop_page(*, workshop: Workshop, user, request=None, now=None) -> WorkshopPage:
    """Everything the workshop page shows `user`, in a constant number of queries. The agenda's
    times are in the reader's own time zone (their preference), else the workshop's."""
    from courses.selectors import my_learning

    from .survey_links import survey_items

    now = now or timezone.now()
    reader_zone = reader_zone_of(user, workshop.time_zone)
    own, reader = workshop.zone, zoneinfo.ZoneInfo(reader_zone)
    sessions = list(workshop.sessions.all())
    span = span_of(workshop, sessions)
    participant = Participant.objects.filter(workshop=workshop, user=user).first()
    marks: dict[int, bool] = {}
    standing = None
    if participant is not None:
        marks = dict(
            Attendance.objects.filter(participant=participant).values_list("session_id", "attended")
        )
        standing = standings(workshop, [user.pk]).get(user.pk)
    agenda = [
        AgendaItem(
            session=s,
            number=n,
            attended=marks.get(s.pk),
            times=rules.session_times(
                day=s.date, start=s.start_time, end=s.end_time, own=own, reader=reader
            ),
        )
        for n, s in enumerate(sessions, start=1)
    ]
    links = list(workshop.courses.select_related("course"))
    due = course_due_dates(workshop, links)
    learning = (
        {entry.course.pk: entry for entry in my_learning(user=user, request=request)}
        if participant is not None
        else {}
    )
    today = timezone.localdate()
    courses = []
    for link in links:
        entry = learning.get(link.course_id)
        due_date = entry.due_date if entry and entry.due_date else due[link.course_id]
        complete = bool(entry and entry.complete)
        courses.append(
            CourseItem(
                course=link.course,
                url=link.course.get_url(request) if link.course.live else "",
                due_date=due_date,
                percent=entry.percent if entry else 0,
                complete=complete,
                overdue=bool(due_date and not complete and due_date < today),
            )
        )
    documents = [d.document for d in workshop.documents.select_related("document")]
    pre_quiz, post_quiz = workshop.pre_test, workshop.post_test
    return WorkshopPage(
        workshop=workshop,
        agenda=agenda,
        span=span,
        participant=participant,
        standing=standing,
        courses=courses,
        documents=documents,
        pre=TestItem(
            quiz=pre_quiz,
            url=pre_quiz.get_url(request) if pre_quiz and pre_quiz.live else "",
            open=rules.pre_test_open(now, span.first_starts),
            score=standing.pre if standing else None,
        ),
        post=TestItem(
            quiz=post_quiz,
            url=post_quiz.get_url(request) if post_quiz and post_quiz.live else "",
            open=rules.post_test_open(now, span.last_ends),
            score=standing.post if standing else None,
        ),
        manages=may_manage(user, workshop),
        reader_zone=reader_zone,
        own_zone=workshop.time_zone,
        surveys=survey_items(
            workshop=workshop, user=user, participant=participant, request=request, now=now
        ),
    )


@dataclass(frozen=True)
class ListEntry:
    workshop: Workshop
    complete: bool | None  # None: the reader does not take part
    role: str  # "participant" or "facilitator"


def workshop_list(*, user) -> tuple[list[Workshop], list[Workshop]]:
    """(workshops the reader takes part in, workshops they facilitate — all for an
    administrator), each soonest first."""
    taking = list(workshops_of(user))
    managing = list(facilitated(user).select_related("host_organisation").order_by("starts_at"))
    return taking, managing


# --- the attendance page ----------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRow:
    participant_id: int
    name: str
    username: str
    organisation: str
    attended: bool | None


def attendance_sheet(*, session: WorkshopSession) -> list[AttendanceRow]:
    """Every participant of the session's workshop with their mark for it, by name: two
    queries."""
    marks = dict(
        Attendance.objects.filter(session=session).values_list("participant_id", "attended")
    )
    participants = (
        Participant.objects.filter(workshop_id=session.workshop_id)
        .select_related("user", "user__organisation")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    arabic = translation.get_language() == "ar"
    return [
        AttendanceRow(
            participant_id=p.pk,
            # An officer's name in Arabic script, where they have one, for Arabic readers.
            name=(arabic and p.user.full_name_arabic) or p.user.get_full_name() or p.user.username,
            username=p.user.username,
            organisation=str(p.user.organisation.name) if p.user.organisation else "",
            attended=marks.get(p.pk),
        )
        for p in participants
    ]


def attendance_counts(*, workshop: Workshop) -> dict[int, int]:
    """{session_id: participants marked present}."""
    return dict(
        Attendance.objects.filter(session__workshop=workshop, attended=True)
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
