"""Quiz pages from shared shells (`cms.page_cache`), as lessons are (`courses.lesson_shell`).

The page's title, introduction, rules and the course navigation are the same for everybody:
the shell, rendered for nobody. The learner's attempts, grade, attempts left and the
"Start" / "Continue" button are the `quiz-attempts` slot, whose values `attempts_slot_values`
gives from one small statement (no attempt's layout is read; the attempt gates' probes, read in
the same statement, say whether a gate needs asking at all).

A path served once is remembered: the next request reads, in one statement, the learner's rows
(the visit is recorded as `activity_open` would), their attempts and the gates' probes, and
answers from the shell. An attempt
in progress past its time limit, a first visit, or a missing shell take Wagtail's path, which
submits, enrols and builds them.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.http import HttpResponse
from django.utils import timezone

from cms import page_cache
from cms.statements import repeated_cursor
from courses.course_shell import _as_datetime
from courses.lesson_shell import LessonRoute
from courses.models import ActivityCompletion, Enrolment
from courses.services import SEEN_REFRESH_SECONDS, activity_seen

from .gates import gate_probes, probed_refusal
from .models import QuizAttempt, QuizPage
from .scoring import AttemptOutcome, attempts_left, quiz_standing


@dataclass(frozen=True)
class QuizRoute:
    visit: LessonRoute  # the quiz and its course, for the learner's rows
    quiz: QuizPage  # its rules, as the gates are asked about the page
    question_count: int


def question_count(quiz: QuizPage) -> int:
    return quiz.quiz_questions.count() + sum(quiz.draws.values_list("count", flat=True))


@dataclass(frozen=True)
class LearnerState:
    """What one statement read about a learner and a quiz (`learner_state`)."""

    # (pk, number, state, submitted at, score, passed, deadline), by number
    attempts: list[tuple]
    # the names of the attempt gates whose probe found rows (`gates.probed_refusal`)
    gates: frozenset[str]
    # the quiz's completion, (state, stale), and the enrolment, (study language, stale), when
    # asked for (`course_id`): None when there is none
    completion: tuple | None = None
    enrolment: tuple | None = None


_CENTS = Decimal("0.01")
_ATTEMPT, _COMPLETION, _ENROLMENT, _PROBE = range(4)


def _score(value) -> Decimal | None:
    """As the ORM gives a score: a Decimal of two places (SQLite stores a float)."""
    if value is None:
        return None
    return (value if isinstance(value, Decimal) else Decimal(str(value))).quantize(_CENTS)


def learner_state(*, user_id: int, quiz_id: int, course_id: int | None = None) -> LearnerState:
    """The learner's attempts at the quiz and the probes of the attempt gates (`gates`) and,
    with `course_id`, their completion of the quiz and their enrolment in its course: one
    statement.

    Written in SQL, as `courses.lesson_shell._learner_rows`, because the ORM spends longer
    building the statements than the database answering them. The attempts come first, so
    that every column's type is set by a table's (PostgreSQL types the NULLs after it).
    """
    attempt = QuizAttempt._meta.db_table
    parts = [
        f"SELECT {_ATTEMPT}, id, state, number, submitted_at, score, passed, deadline"  # noqa: S608
        f" FROM {attempt} WHERE user_id = %s AND quiz_id = %s"
    ]
    params: list = [user_id, quiz_id]
    if course_id is not None:
        fresh = connection.ops.adapt_datetimefield_value(
            timezone.now() - timedelta(seconds=SEEN_REFRESH_SECONDS)
        )
        stale = "CASE WHEN {0} IS NULL OR {0} < %s THEN 1 ELSE 0 END"
        parts.append(
            f"SELECT {_COMPLETION}, activity_id, state, {stale.format('last_seen_at')},"  # noqa: S608
            f" NULL, NULL, NULL, NULL FROM {ActivityCompletion._meta.db_table}"
            f" WHERE user_id = %s AND activity_id = %s"
        )
        parts.append(
            f"SELECT {_ENROLMENT}, NULL, language, {stale.format('last_activity_at')},"  # noqa: S608
            f" NULL, NULL, NULL, NULL FROM {Enrolment._meta.db_table}"
            f" WHERE user_id = %s AND course_id = %s"
        )
        params += [fresh, user_id, quiz_id, fresh, user_id, course_id]
    names = list(gate_probes().items())
    for index, (_name, probe) in enumerate(names):
        sql, probe_params = probe(user_id, quiz_id)
        parts.append(
            f"SELECT {_PROBE}, {index:d}, NULL, NULL, NULL, NULL, NULL, NULL WHERE EXISTS ({sql})"
        )
        params += probe_params
    with repeated_cursor(connection) as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    attempts = []
    gates = set()
    completion = enrolment = None
    for kind, pk, state, number, submitted, score, passed, deadline in rows:
        if kind == _ATTEMPT:
            attempts.append(
                (
                    pk,
                    number,
                    state,
                    _as_datetime(submitted),
                    _score(score),
                    None if passed is None else bool(passed),
                    _as_datetime(deadline),
                )
            )
        elif kind == _COMPLETION:
            completion = (state, bool(number))
        elif kind == _ENROLMENT:
            enrolment = (state, bool(number))
        else:
            gates.add(names[pk][0])
    attempts.sort(key=lambda r: r[1])
    return LearnerState(attempts, frozenset(gates), completion, enrolment)


def _overdue(deadline: datetime | None, now: datetime) -> bool:
    """`services.attempt_is_overdue` for an attempt's deadline, without making the attempt."""
    from .services import grace_seconds  # services builds on the models

    return deadline is not None and now > deadline + timedelta(seconds=grace_seconds())


def attempts_slot_values(
    *, quiz: QuizPage, user, count: int, rows: list[tuple], gates: Collection[str]
) -> dict:
    """The `quiz-attempts` slot for `user`'s attempt rows (`learner_state`), as
    `selectors.quiz_overview` decides them; `gates`: the attempt gates whose probe found rows."""
    submitted = [r for r in rows if r[2] == QuizAttempt.State.SUBMITTED]
    in_progress = next((r for r in rows if r[2] == QuizAttempt.State.IN_PROGRESS), None)
    left = attempts_left(allowed=quiz.attempts_allowed, used=len(rows))
    standing = quiz_standing(
        [AttemptOutcome(r[4], bool(r[5])) for r in submitted if r[4] is not None],
        grading=quiz.grading,
        pass_mark=quiz.pass_mark,
        attempts_allowed=quiz.attempts_allowed,
        complete_when_attempts_exhausted=quiz.complete_when_attempts_exhausted,
    )
    refusal = (
        None
        if in_progress is not None
        else probed_refusal(user=user, quiz=quiz, now=timezone.now(), found=gates)
    )
    return {
        "quiz-attempts": {
            "quiz_id": quiz.pk,
            # (id, number, submitted at, score, passed)
            "attempts": tuple((r[0], r[1], r[3], r[4], bool(r[5])) for r in submitted),
            "grade": standing.grade,
            "passed": None if standing.grade is None else standing.passed,
            "left": left,
            "in_progress": in_progress[0] if in_progress else None,
            "can_start": in_progress is None
            and (left is None or left > 0)
            and count > 0
            and not refusal,
            "refusal": str(refusal) if refusal else None,
            "question_count": count,
        }
    }


def learner_slot_values(quiz: QuizPage, user, count: int) -> dict:
    state = learner_state(user_id=user.pk, quiz_id=quiz.pk)
    return attempts_slot_values(
        quiz=quiz, user=user, count=count, rows=state.attempts, gates=state.gates
    )


def _shell_key(request, quiz_id: int) -> tuple:
    return page_cache.shell_key(request, "quiz", quiz_id)


def serve_quiz(page: QuizPage, request, render, *, course) -> HttpResponse:
    """A signed-in learner's quiz page through Wagtail (the visit recorded by the caller):
    from the shell, their attempts in the slot; the path remembered."""
    count = question_count(page)
    values = learner_slot_values(page, request.user, count)
    response = page_cache.serve_shell(
        request, _shell_key(request, page.pk), render=render, values=values
    )
    route = QuizRoute(
        visit=LessonRoute(
            page_id=page.pk, course_id=course.pk, next_url="", activities=((page.pk, True),)
        ),
        quiz=page,
        question_count=count,
    )
    page_cache.remember_route(request, page, serve_remembered_quiz, route)
    return response


def serve_remembered_quiz(request, route: QuizRoute) -> HttpResponse | None:
    """A repeat visit to a remembered quiz path: one statement and a shell, or None."""
    shell = page_cache.shells.get(_shell_key(request, route.quiz.pk))
    if shell is None:
        return None
    user = request.user
    state = learner_state(user_id=user.pk, quiz_id=route.quiz.pk, course_id=route.visit.course_id)
    if state.enrolment is None or state.completion is None:
        return None  # a first visit: Wagtail's path enrols the learner
    rows = state.attempts
    now = timezone.now()
    if any(r[2] == QuizAttempt.State.IN_PROGRESS and _overdue(r[6], now) for r in rows):
        return None  # Wagtail's path submits it first
    study_language, enrolment_stale = state.enrolment
    activity_seen(
        user=user,
        activity_id=route.quiz.pk,
        course_id=route.visit.course_id,
        language=request.LANGUAGE_CODE,
        enrolment_stale=enrolment_stale,
        study_language=study_language,
        activity_stale=state.completion[1],
    )
    values = attempts_slot_values(
        quiz=route.quiz, user=user, count=route.question_count, rows=rows, gates=state.gates
    )
    return page_cache.respond(request, shell, values)
