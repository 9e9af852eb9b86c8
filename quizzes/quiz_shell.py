"""Quiz pages from shared shells (`cms.page_cache`), as lessons are (`courses.lesson_shell`).

The page's title, introduction, rules and the course navigation are the same for everybody:
the shell, rendered for nobody. The learner's attempts, grade, attempts left and the
"Start" / "Continue" button are the `quiz-attempts` slot, whose values `attempts_slot_values`
gives from one small query (no attempt's layout is read).

A path served once is remembered: the next request reads the learner's rows (the visit is
recorded as `activity_open` would) and their attempts, and answers from the shell. An attempt
in progress past its time limit, a first visit, or a missing shell take Wagtail's path, which
submits, enrols and builds them.
"""

from dataclasses import dataclass
from datetime import datetime

from django.http import HttpResponse
from django.utils import timezone

from cms import page_cache
from courses.lesson_shell import LessonRoute
from courses.lesson_shell import _learner_rows as learner_rows
from courses.services import activity_seen

from .gates import attempt_refusal
from .models import QuizAttempt, QuizPage
from .scoring import AttemptOutcome, attempts_left, quiz_standing


@dataclass(frozen=True)
class QuizRoute:
    visit: LessonRoute  # the quiz and its course, for the learner's rows
    quiz: QuizPage  # its rules, as the gates are asked about the page
    question_count: int


def question_count(quiz: QuizPage) -> int:
    return quiz.quiz_questions.count() + sum(quiz.draws.values_list("count", flat=True))


def _attempt_rows(*, user, quiz_id: int) -> list[tuple]:
    return list(
        QuizAttempt.objects.filter(user=user, quiz_id=quiz_id)
        .order_by("number")
        .values_list("pk", "number", "state", "submitted_at", "score", "passed", "deadline")
    )


def _overdue(deadline: datetime | None, now: datetime) -> bool:
    from .services import attempt_is_overdue  # services builds on the models

    return attempt_is_overdue(QuizAttempt(deadline=deadline), now=now)


def attempts_slot_values(*, quiz: QuizPage, user, count: int, rows: list[tuple]) -> dict:
    """The `quiz-attempts` slot for `user`'s attempt rows (`_attempt_rows`), as
    `selectors.quiz_overview` decides them."""
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
        else attempt_refusal(user=user, quiz=quiz, now=timezone.now())
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
    return attempts_slot_values(
        quiz=quiz, user=user, count=count, rows=_attempt_rows(user=user, quiz_id=quiz.pk)
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
    """A repeat visit to a remembered quiz path: two small queries and a shell, or None."""
    shell = page_cache.shells.get(_shell_key(request, route.quiz.pk))
    if shell is None:
        return None
    user = request.user
    completions, enrolled = learner_rows(user_id=user.pk, route=route.visit)
    if enrolled is None or route.quiz.pk not in completions:
        return None  # a first visit: Wagtail's path enrols the learner
    rows = _attempt_rows(user=user, quiz_id=route.quiz.pk)
    now = timezone.now()
    if any(r[2] == QuizAttempt.State.IN_PROGRESS and _overdue(r[6], now) for r in rows):
        return None  # Wagtail's path submits it first
    study_language, enrolment_stale = enrolled
    activity_seen(
        user=user,
        activity_id=route.quiz.pk,
        course_id=route.visit.course_id,
        language=request.LANGUAGE_CODE,
        enrolment_stale=enrolment_stale,
        study_language=study_language,
        activity_stale=completions[route.quiz.pk][1],
    )
    values = attempts_slot_values(quiz=route.quiz, user=user, count=route.question_count, rows=rows)
    return page_cache.respond(request, shell, values)
