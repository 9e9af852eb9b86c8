"""Accepting what a learner's browser queued while offline: each client-made id once.

The browser sends its queue when the connection returns (Background Sync, or the next page
load). A retried or duplicated send carries the same ids: the first one acts, every other
gets the stored outcome back, so nothing is counted twice.
"""

import contextlib
from datetime import datetime

from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.models import Page

from courses import services as course_services
from courses.models import ModulePage
from courses.selectors import live_course_of
from quizzes import selectors as quiz_selectors
from quizzes import services as quiz_services
from quizzes.models import QuizAttempt

from .models import ReceivedAction
from .rules import Verdict, client_id, submission_verdict

MAX_ITEMS = 50


def _refused(reason: str) -> dict:
    return {"status": "refused", "reason": reason}


def _client_time(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    with contextlib.suppress(ValueError):
        moment = parse_datetime(value)
        if moment is not None and timezone.is_aware(moment):
            return moment
    return None


def _complete(*, user, item: dict, language: str, received_at: datetime) -> dict:
    page_id = item.get("page")
    if not isinstance(page_id, int):
        return _refused("invalid")
    page = Page.objects.live().filter(pk=page_id).specific().first()
    if not isinstance(page, ModulePage) or live_course_of(activity=page) is None:
        return _refused("not-found")
    course_services.activity_complete(user=user, activity=page, language=language)
    return {"status": "accepted", "kind": "complete", "page": page_id}


def _fields(item: dict) -> QueryDict | None:
    fields = item.get("fields")
    if not isinstance(fields, list):
        return None
    data = QueryDict(mutable=True)
    for pair in fields:
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(v, str) for v in pair)
        ):
            return None
        data.appendlist(pair[0], pair[1])
    return data


def _quiz_submit(*, user, item: dict, language: str, received_at: datetime) -> dict:
    attempt_id = item.get("attempt")
    attempt = (
        QuizAttempt.objects.select_related("quiz").filter(pk=attempt_id, user=user).first()
        if isinstance(attempt_id, int)
        else None
    )
    if attempt is None:
        return _refused("not-found")
    data = _fields(item)
    if data is None:
        return _refused("invalid")
    verdict = submission_verdict(
        deadline=attempt.deadline,
        grace_seconds=quiz_services.grace_seconds(),
        received_at=received_at,
    )
    already = attempt.is_submitted
    if not already and verdict is not Verdict.LATE:
        shown = quiz_selectors.attempt_page(
            attempt=attempt, quiz=attempt.quiz, page=item.get("page"), data=data
        )
        form = shown.form  # attempt_page always builds it (attempt_shown, for GET, does not)
        if form is None or not form.is_valid():
            return _refused("invalid")
        answers = form.answers()
        quiz_services.attempt_save_answers(
            attempt=attempt, answers=answers, questions=answers.keys(), now=received_at
        )
    # Late: the answers the server received in time are the ones marked.
    attempt = quiz_services.attempt_submit(attempt=attempt, now=received_at)
    return {
        "status": "accepted",
        "kind": "quiz-submit",
        "attempt": attempt.pk,
        "verdict": str(verdict),
        "already_submitted": already,
        "result_url": reverse("quizzes:result", args=[attempt.pk]),
    }


HANDLERS = {
    ReceivedAction.Kind.COMPLETE: _complete,
    ReceivedAction.Kind.QUIZ_SUBMIT: _quiz_submit,
}


def _stored(action: ReceivedAction) -> dict:
    return {
        **action.outcome,
        "id": str(action.client_id),
        "submitted_at": action.client_at.isoformat() if action.client_at else None,
        "received_at": action.received_at.isoformat(),
    }


def action_receive(*, user, item, language: str = "", now=None) -> dict:
    """Act on one queued item (`{"id", "kind", "at", …}`) once; return its outcome.

    The first send of an id acts and stores the outcome; any later send of the same id (a
    retry, a second tab, Background Sync and a page load racing) gets that outcome back with
    `duplicate: true`. Refusals are stored too, so the answer to an id never changes.
    """
    if not isinstance(item, dict):
        return _refused("invalid")
    identifier = client_id(item.get("id"))
    kind = item.get("kind")
    if identifier is None or kind not in HANDLERS:
        return {**_refused("invalid"), "id": str(item.get("id"))}
    existing = ReceivedAction.objects.filter(user=user, client_id=identifier).first()
    if existing is not None:
        return {**_stored(existing), "duplicate": True}
    received_at = now or timezone.now()
    try:
        with transaction.atomic():
            action = ReceivedAction.objects.create(
                user=user,
                client_id=identifier,
                kind=kind,
                client_at=_client_time(item.get("at")),
                received_at=received_at,
            )
            action.outcome = HANDLERS[kind](
                user=user, item=item, language=language, received_at=received_at
            )
            action.save(update_fields=["outcome"])
    except IntegrityError:  # the same id, sent concurrently, was accepted first
        existing = ReceivedAction.objects.get(user=user, client_id=identifier)
        return {**_stored(existing), "duplicate": True}
    return {**_stored(action), "duplicate": False}
