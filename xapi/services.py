"""Writes for learning records: record an event in the outbox (in the caller's transaction,
one INSERT, nothing when xAPI is off) and deliver the outbox to the LRS in batches, none lost
or sent twice. See docs/xapi.md."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from . import lrs
from .models import Statement
from .statements import Activity, Event, statement, statement_id

# A delivery holds its batch this long; a worker killed meanwhile frees it by expiry.
CLAIM_SECONDS = 120


def _base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def statement_record(*, verb: str, event: str, facts: dict) -> None:
    """Keep one statement about `event` (a string naming it for good) for the LRS."""
    statements_record([(verb, event, facts)])


def statements_record(statements: list[tuple[str, str, dict]]) -> None:
    """Keep statements given as (verb, event, facts), as `statement_record` does each: one
    INSERT for all of them (an attempt's answers), nothing when xAPI is off."""
    if not lrs.enabled() or not statements:
        return
    base_url = _base_url()
    Statement.objects.bulk_create(
        [
            Statement(id=statement_id(base_url=base_url, event=event), verb=verb, facts=facts)
            for verb, event, facts in statements
        ],
        ignore_conflicts=True,
    )


def _page_activities(page_ids: set[int]) -> dict[int, Activity]:
    from wagtail.models import Page

    kinds = {
        "modulepage": "module",
        "quizpage": "assessment",
        "surveypage": "survey",
        "coursepage": "course",
    }
    activities = {}
    for row in Page.objects.filter(pk__in=page_ids).values(
        "pk", "content_type__model", "title_en", "title_fr", "title_ar"
    ):
        activities[row["pk"]] = Activity(
            kind=kinds.get(row["content_type__model"], "module"),
            pk=row["pk"],
            names={"en": row["title_en"], "fr": row["title_fr"], "ar": row["title_ar"]},
        )
    return activities


def _question_activities(question_ids: set[int], types: dict[int, str]) -> dict[int, Activity]:
    from .statements import INTERACTION_TYPES

    texts = {}
    if question_ids:
        from quizzes.models import Question

        texts = {
            row["pk"]: {"en": row["text_en"], "fr": row["text_fr"], "ar": row["text_ar"]}
            for row in Question.objects.filter(pk__in=question_ids).values(
                "pk", "text_en", "text_fr", "text_ar"
            )
        }
    return {
        pk: Activity(
            kind="question",
            pk=pk,
            names={language: _plain(text) for language, text in texts.get(pk, {}).items()},
            interaction_type=INTERACTION_TYPES.get(types.get(pk, ""), "other"),
        )
        for pk in question_ids
    }


def _plain(text) -> str:
    from django.utils.html import strip_tags

    return " ".join(strip_tags(text or "").split())[:500]


def statements_build(rows: list[Statement]) -> list[dict]:
    """The xAPI statements of outbox `rows` (a few queries per batch, not per row)."""
    from security.privacy import learner_code

    base = _base_url()
    page_ids = {row.facts["page"] for row in rows if "page" in row.facts}
    page_ids |= {row.facts["course"] for row in rows if row.facts.get("course")}
    pages = _page_activities(page_ids)
    question_types = {
        row.facts["question"]: row.facts["type"] for row in rows if "question" in row.facts
    }
    questions = _question_activities(set(question_types), question_types)
    built = []
    for row in rows:
        facts = row.facts
        course = pages.get(facts.get("course") or 0)
        if "question" in facts:
            activity = questions[facts["question"]]
        elif "meeting" in facts:
            activity = Activity(kind="meeting", pk=facts["meeting"], names=facts.get("names", {}))
        else:
            activity = pages.get(facts.get("page") or facts.get("course") or 0) or Activity(
                kind="module", pk=facts.get("page") or facts.get("course") or 0
            )
        user = type("Learner", (), {"pk": facts["user"]})
        event = Event(
            id=row.id,
            verb=row.verb,
            learner_code=learner_code(user),
            timestamp=facts["at"],
            language=facts.get("language", ""),
            registration=(
                statement_id(base_url=base, event=f"registration:{facts['user']}:{facts['course']}")
                if facts.get("course")
                else None
            ),
            parent=course if course is not None and course is not activity else None,
            result=facts.get("result"),
        )
        built.append(statement(event=event, activity=activity, base_url=base))
    return built


def statements_deliver(*, now: datetime | None = None) -> int:
    """Post every statement not yet delivered, in batches, oldest first; return how many.

    A batch is claimed before it is posted and marked delivered after the LRS answered, so
    two workers never post it at once. While the LRS is unreachable the statements stay and
    the job is retried; a batch the LRS stored but whose answer was lost is posted again
    under the same ids, which the LRS recognises. A batch the LRS refuses is posted one
    statement at a time and only the refused ones are put aside.
    """
    if not lrs.enabled():
        return 0
    delivered = 0
    while True:
        now = timezone.now()
        free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
        ids = list(
            Statement.objects.filter(free, sent_at__isnull=True, rejected="")
            .order_by("created_at", "id")
            .values_list("id", flat=True)[: settings.TADRIB_XAPI_BATCH]
        )
        if not ids:
            return delivered
        claim = uuid.uuid4()
        Statement.objects.filter(free, pk__in=ids).update(
            claim=claim, claimed_until=now + timedelta(seconds=CLAIM_SECONDS)
        )
        rows = list(Statement.objects.filter(claim=claim).order_by("created_at", "id"))
        try:
            delivered += _post(rows)
        finally:
            Statement.objects.filter(claim=claim).update(claim=None, claimed_until=None)


def _post(rows: list[Statement]) -> int:
    try:
        lrs.lrs_post(statements_build(rows))
    except lrs.LrsRefused as refused:
        if len(rows) == 1:
            Statement.objects.filter(pk=rows[0].pk).update(rejected=str(refused))
            return 0
        return sum(_post([row]) for row in rows)
    Statement.objects.filter(pk__in=[row.pk for row in rows]).update(sent_at=timezone.now())
    return len(rows)


def statements_deliver_now() -> int:
    return statements_deliver()


def session_attended_record(
    *, user, session_key: str, session_names: dict[str, str], at: datetime, language: str = ""
) -> None:
    """A participant attended a workshop session (the workshops app calls this): `session_key`
    names the session for good (e.g. "<workshop slug>/<session number>"), `session_names` its
    title per language."""
    statement_record(
        verb="attended",
        event=f"attended:{user.pk}:{session_key}",
        facts={
            "user": user.pk,
            "meeting": session_key,
            "names": session_names,
            "at": at.isoformat(),
            "language": language,
        },
    )
