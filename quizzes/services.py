"""Writes for quiz attempts: start, autosave, submit. Scoring rules are in `scoring.py`.

Integrity rests on the database, not on the request that happens to arrive first:
- starting locks the learner's row, so concurrent starts are serialised and the attempt limit
  holds; a unique (user, quiz, number) constraint and a partial unique constraint (one attempt
  in progress per learner and quiz) back it up;
- submitting is `UPDATE … WHERE state = 'in_progress'`: only the request that flips the state
  scores the attempt; every other one gets the stored result.
"""

import contextlib
import json
import random
from collections.abc import Collection
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import rows
from cms.audit import audit
from cms.statements import repeated_cursor
from courses.selectors import live_course_and_enrolment
from courses.services import NotAnActivity, activity_open, activity_record_result

from .gates import attempt_refusal
from .models import Question, QuizAttempt, QuizPage, Response
from .question_types import QUESTION_TYPES, Tokens
from .scoring import Answer, AttemptOutcome, attempt_score, counted_language, quiz_standing
from .selectors import layout_keys, questions_with_children
from .signals import attempt_submitted


class QuizError(Exception):
    """A quiz action the rules refuse; `message` is translated."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


class NoAttemptsLeft(QuizError):
    pass


class QuizHasNoQuestions(QuizError):
    pass


class AttemptRefused(QuizError):
    """A gate registered by another app (quizzes.gates) refuses a new attempt now."""


def grace_seconds() -> int:
    return int(getattr(settings, "QUIZ_TIME_LIMIT_GRACE_SECONDS", 30))


def attempt_is_overdue(attempt: QuizAttempt, *, now=None) -> bool:
    """Past its deadline plus the grace period (which absorbs network and clock delays)."""
    if attempt.deadline is None:
        return False
    now = now or timezone.now()
    return now > attempt.deadline + timedelta(seconds=grace_seconds())


def _layout(quiz: QuizPage, rng: random.Random) -> list[dict]:
    """The questions of a new attempt, frozen: explicit ones in order, then random draws.

    Each question type adds its tokens (quizzes/question_types/): the names and values the form
    will carry, mapped to ids only here. Ordering items and matching answers are always shown
    shuffled (their authored order is the answer); choices and questions only when the quiz
    says so.
    """
    explicit = quiz.quiz_questions.all().order_by("sort_order", "pk")
    picked = [(qq.question_id, qq.marks) for qq in explicit]
    taken = {question_id for question_id, _marks in picked}
    for draw in quiz.draws.all().order_by("sort_order", "pk"):
        pool = list(
            Question.objects.filter(category_id=draw.category_id)
            .exclude(pk__in=taken)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        chosen = rng.sample(pool, min(draw.count, len(pool)))
        picked += [(question_id, None) for question_id in chosen]
        taken.update(chosen)
    if quiz.shuffle_questions:
        rng.shuffle(picked)
    questions = questions_with_children([question_id for question_id, _m in picked])
    tokens = Tokens()
    layout = []
    for question_id, marks in picked:
        question = questions.get(question_id)
        if question is None:
            continue
        kind = QUESTION_TYPES[question.type]
        layout.append(
            {
                "question": question_id,
                "type": kind.name,
                "marks": marks or question.marks,
                **kind.layout(question, rng=rng, shuffle=quiz.shuffle_choices, tokens=tokens),
            }
        )
    return layout


def attempt_layout(quiz: QuizPage, rng: random.Random) -> list[dict]:
    """The frozen question layout a new attempt at `quiz` would get (for seeding and imports
    that record attempts in bulk)."""
    return _layout(quiz, rng)


def attempt_start(*, user, quiz: QuizPage, language: str = "", now=None, rng=None) -> QuizAttempt:
    """The learner's attempt in progress, or a new one if the attempt limit allows it.

    An attempt past its time limit is submitted first. Raises NoAttemptsLeft,
    QuizHasNoQuestions, or AttemptRefused when a gate (quizzes.gates) says not now.
    """
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    with transaction.atomic():
        # Serialise this learner's starts (PostgreSQL row lock; SQLite writes are serial).
        get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk").first()
        current = QuizAttempt.objects.filter(
            user=user, quiz=quiz, state=QuizAttempt.State.IN_PROGRESS
        ).first()
        if current is not None:
            if not attempt_is_overdue(current, now=now):
                return current
            attempt_submit(attempt=current, now=now)
        numbers = list(
            QuizAttempt.objects.filter(user=user, quiz=quiz).values_list("number", flat=True)
        )
        if quiz.attempts_allowed and len(numbers) >= quiz.attempts_allowed:
            raise NoAttemptsLeft(_("You have used all your attempts at this quiz."))
        if refusal := attempt_refusal(user=user, quiz=quiz, now=now):
            raise AttemptRefused(refusal)
        layout = _layout(quiz, rng)
        if not layout:
            raise QuizHasNoQuestions(_("This quiz has no questions yet."))
        deadline = (
            now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
        )
        try:
            with transaction.atomic():
                attempt = QuizAttempt.objects.create(
                    user=user,
                    quiz=quiz,
                    number=max(numbers, default=0) + 1,
                    started_at=now,
                    deadline=deadline,
                    language=language,
                    layout=layout,
                )
        except IntegrityError:
            # A concurrent start won (only possible where the row lock is not honoured).
            current = QuizAttempt.objects.filter(
                user=user, quiz=quiz, state=QuizAttempt.State.IN_PROGRESS
            ).first()
            if current is None:
                raise NoAttemptsLeft(_("You have used all your attempts at this quiz.")) from None
            return current
        Response.objects.bulk_create(
            Response(attempt=attempt, question_id=entry["question"], marks=entry["marks"])
            for entry in layout
        )
    _record_open(user=user, quiz=quiz, language=language)
    return attempt


def _record_open(*, user, quiz: QuizPage, language: str) -> None:
    with contextlib.suppress(NotAnActivity):
        activity_open(user=user, activity=quiz, language=language)


def attempt_save_answers(
    *,
    attempt: QuizAttempt,
    answers: dict[int, Answer],
    questions: Collection[int] | None = None,
    now=None,
) -> bool:
    """Store the learner's current answers to `questions` (ids; every question of the attempt
    when None): one of them missing from `answers` becomes unanswered, the others are kept.

    Ignored for a submitted attempt. An attempt past its time limit is submitted instead,
    with the answers saved before. Returns whether the answers were saved.
    """
    now = now or timezone.now()
    if attempt.state != QuizAttempt.State.IN_PROGRESS:
        return False
    if attempt_is_overdue(attempt, now=now):
        attempt_submit(attempt=attempt, now=now)
        return False
    written = [
        entry for entry in attempt.layout if questions is None or entry["question"] in questions
    ]
    with transaction.atomic():
        # Holding the row lock keeps a concurrent submission from scoring half-saved answers.
        locked = (
            QuizAttempt.objects.select_for_update()
            .filter(pk=attempt.pk, state=QuizAttempt.State.IN_PROGRESS)
            .values_list("pk")
            .first()
        )
        if locked is None:
            return False
        Response.objects.bulk_create(
            [
                Response(
                    attempt_id=attempt.pk,
                    question_id=entry["question"],
                    marks=entry["marks"],
                    answer=QUESTION_TYPES[entry["type"]].answer_to_json(
                        answers.get(entry["question"])
                    ),
                )
                for entry in written
            ],
            update_conflicts=True,
            unique_fields=["attempt", "question"],
            update_fields=["answer"],
        )
    return True


def attempt_submit(
    *,
    attempt: QuizAttempt,
    now=None,
    answers: dict[int, Answer] | None = None,
    questions: dict[int, Question] | None = None,
) -> QuizAttempt:
    """Submit and score `attempt` exactly once; return it with its result.

    Whoever flips the state scores it; a replayed or concurrent submission returns the stored
    result. `answers` (question id → answer, from the form just checked) are saved with the
    submission, in its transaction, unless the attempt is past its time limit (then it is
    submitted with what was saved in time); `questions` are the questions already loaded with
    their children (questions_with_children), read again only for those missing. The number
    of queries does not depend on the number of questions; with every question's answer
    given, the attempt row is written once and the responses in one statement.
    """
    now = now or timezone.now()
    if answers is not None and attempt_is_overdue(attempt, now=now):
        answers = None
    layout = attempt.layout
    types = {entry["question"]: QUESTION_TYPES[entry["type"]] for entry in layout}
    quiz = attempt.quiz
    with transaction.atomic():
        pending = QuizAttempt.objects.filter(pk=attempt.pk, state=QuizAttempt.State.IN_PROGRESS)
        given = answers or {}
        stored: dict[int, object] = {}  # question id → the answer saved, as stored (JSON)
        result = None
        if answers is not None and all(question_id in given for question_id in types):
            # Every answer is here: scored first, then written with the state in one UPDATE.
            result = _score(attempt, quiz, types, given, questions)
            won = pending.update(
                state=QuizAttempt.State.SUBMITTED,
                submitted_at=now,
                score=result.score,
                passed=result.passed,
            )
        else:
            won = pending.update(state=QuizAttempt.State.SUBMITTED, submitted_at=now)
        if not won:
            attempt.refresh_from_db(fields=["state", "submitted_at", "score", "passed"])
            return attempt
        if result is None:
            # Read under the row lock the UPDATE took: no save can change them any more.
            stored = dict(
                Response.objects.filter(attempt_id=attempt.pk).values_list("question_id", "answer")
            )
            merged = {
                question_id: types[question_id].answer_from_json(answer)
                for question_id, answer in stored.items()
                if question_id in types and question_id not in given
            }
            result = _score(attempt, quiz, types, {**merged, **given}, questions)
            QuizAttempt.objects.filter(pk=attempt.pk).update(
                score=result.score, passed=result.passed
            )
        _responses_write(
            attempt_id=attempt.pk,
            rows=[
                (
                    entry["question"],
                    entry["marks"],
                    (
                        types[entry["question"]].answer_to_json(given.get(entry["question"]))
                        if entry["question"] in given
                        else stored.get(entry["question"])
                    ),
                    _decimal(result.fractions.get(entry["question"], Fraction(0))),
                )
                for entry in layout
            ],
            with_answers=bool(given),
        )
        attempt.state = QuizAttempt.State.SUBMITTED
        attempt.submitted_at = now
        attempt.score = result.score
        attempt.passed = result.passed
        _complete_if_done(attempt=attempt, quiz=quiz)
        scored = attempt
        transaction.on_commit(
            lambda: attempt_submitted.send(
                sender=QuizAttempt, user=scored.user, quiz=quiz, attempt=scored
            ),
            robust=True,
        )
        audit(
            "quiz_submitted",
            user=attempt.user,
            obj=attempt,
            detail=f"score {attempt.score} passed {attempt.passed}",
        )
    return attempt


def _responses_write(*, attempt_id: int, rows: list[tuple], with_answers: bool) -> None:
    """Upsert the submitted attempt's responses, (question id, marks, answer as JSON, fraction)
    each: their fractions, and their answers when `with_answers`. What
    `Response.objects.bulk_create(update_conflicts=True)` wrote, as one prepared statement on
    PostgreSQL (the rows as arrays: the same text for any number of questions) and one
    statement of a row per question on SQLite; the ORM's compilation of it cost more than
    running it on every submission."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(Response._meta.db_table)
    columns = {field.name: str(field.column) for field in Response._meta.concrete_fields}
    names = [
        quote(columns[name]) for name in ("attempt", "question", "marks", "answer", "fraction")
    ]
    updated = [names[3], names[4]] if with_answers else [names[4]]
    conflict = f" ON CONFLICT ({names[0]}, {names[1]}) DO UPDATE SET " + ", ".join(
        f"{name} = EXCLUDED.{name}" for name in updated
    )
    answers = [None if answer is None else json.dumps(answer) for _q, _m, answer, _f in rows]
    if connection.vendor == "postgresql":
        sql = (
            f"INSERT INTO {table} ({', '.join(names)})"  # noqa: S608 - names only
            " SELECT %s, r.question, r.marks, r.answer::jsonb, r.fraction"
            " FROM UNNEST(%s::bigint[], %s::integer[], %s::text[], %s::numeric[])"
            " AS r(question, marks, answer, fraction)" + conflict
        )
        params = [
            attempt_id,
            [question for question, _m, _a, _f in rows],
            [marks for _q, marks, _a, _f in rows],
            answers,
            [fraction for _q, _m, _a, fraction in rows],
        ]
    else:
        sql = (
            f"INSERT INTO {table} ({', '.join(names)}) VALUES "  # noqa: S608 - names only
            + ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
            + conflict
        )
        params = [
            value
            for (question, marks, _a, fraction), answer in zip(rows, answers, strict=True)
            for value in (attempt_id, question, marks, answer, str(fraction))
        ]
    with repeated_cursor(connection) as cursor:
        cursor.execute(sql, params)


def _score(attempt, quiz, types, answers, questions):
    """The attempt's score for `answers`, from the keys of its questions (those not in
    `questions` read with their children)."""
    loaded = dict(questions or {})
    missing = [question_id for question_id in types if question_id not in loaded]
    if missing:
        loaded.update(questions_with_children(missing))
    keys = layout_keys(attempt.layout, loaded)
    return attempt_score(list(keys.values()), answers, pass_mark=quiz.pass_mark)


def _decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.000001"))


def _submitted_outcomes(*, user_id: int, quiz_id: int) -> list[tuple]:
    """(score, passed, language) of the learner's submitted attempts at the quiz, in order:
    one prepared statement, read on every submission."""
    attempts = rows.reader(QuizAttempt, connection=connection, only=("score", "passed", "language"))
    sql = (
        f"SELECT {attempts.select} FROM {attempts.tables}"  # noqa: S608 - names only
        f" WHERE {attempts.column('user')} = %s AND {attempts.column('quiz')} = %s"
        f" AND {attempts.column('state')} = %s ORDER BY {attempts.column('number')}"
    )
    with repeated_cursor(connection) as cursor:
        cursor.execute(sql, [user_id, quiz_id, QuizAttempt.State.SUBMITTED.value])
        found = cursor.fetchall()
    order = [attempts.names.index(name) for name in ("score", "passed", "language")]
    return [
        tuple(values[index] for index in order)
        for values in (attempts.values(connection, row) for row in found)
    ]


def _complete_if_done(*, attempt: QuizAttempt, quiz: QuizPage) -> None:
    """Report the grade that counts to courses (for progress and reports), completing the
    activity when the quiz's rule says so (scoring.quiz_standing). Nothing for a quiz that is
    not an activity of a live course."""
    # The course and the learner's enrolment in it in one query, read under the attempt's
    # row lock as the enrolment was read by activity_record_result before.
    course, enrolment = live_course_and_enrolment(activity=quiz, user=attempt.user)
    if course is None:
        return
    submitted = [
        (score, bool(passed), language)
        for score, passed, language in _submitted_outcomes(user_id=attempt.user_id, quiz_id=quiz.pk)
        if score is not None
    ]
    outcomes = [AttemptOutcome(score, passed) for score, passed, _language in submitted]
    standing = quiz_standing(
        outcomes,
        grading=quiz.grading,
        pass_mark=quiz.pass_mark,
        attempts_allowed=quiz.attempts_allowed,
        complete_when_attempts_exhausted=quiz.complete_when_attempts_exhausted,
    )
    activity_record_result(
        user=attempt.user,
        activity=quiz,
        score=standing.grade,
        passed=standing.passed,
        complete=standing.complete,
        attempts=len(outcomes),
        language=counted_language(
            [(score, language) for score, _passed, language in submitted], quiz.grading
        )
        or attempt.language,
        course=course,
        enrolment=enrolment,
    )


def attempts_submit_overdue(*, user, quiz: QuizPage, now=None) -> None:
    """Submit the learner's attempt at `quiz` if it is past its time limit."""
    now = now or timezone.now()
    for attempt in QuizAttempt.objects.filter(
        user=user, quiz=quiz, state=QuizAttempt.State.IN_PROGRESS, deadline__isnull=False
    ):
        if attempt_is_overdue(attempt, now=now):
            attempt_submit(attempt=attempt, now=now)
