"""Workshops for tests."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone, translation

from quizzes.models import QuizAttempt
from workshops.models import Participant, Workshop, WorkshopSession


def make_workshop(
    *, slug="ws", starts_on: date | None = None, days=2, sessions_per_day=2, **fields
) -> Workshop:
    """A workshop in Africa/Niamey (UTC+1) whose sessions run 09:00–10:30 and 11:00–12:30."""
    starts_on = starts_on or (timezone.localdate() + timedelta(days=10))
    with translation.override("en"):
        workshop = Workshop(
            slug=slug,
            title_en=f"Workshop {slug}",
            title_fr=f"Atelier {slug}",
            title_ar=f"ورشة {slug}",
            description_en="<p>About</p>",
            starts_at=datetime.combine(starts_on, time(8), tzinfo=UTC),
            ends_at=datetime.combine(starts_on + timedelta(days=days - 1), time(16), tzinfo=UTC),
            **fields,
        )
        workshop.save()
        slots = [(time(9), time(10, 30)), (time(11), time(12, 30))][:sessions_per_day]
        for day in range(days):
            for n, (start, end) in enumerate(slots):
                WorkshopSession.objects.create(
                    workshop=workshop,
                    date=starts_on + timedelta(days=day),
                    start_time=start,
                    end_time=end,
                    topic_en=f"Topic {day}.{n}",
                    topic_fr=f"Sujet {day}.{n}",
                    topic_ar=f"موضوع {day}.{n}",
                    speaker="Dr. Example",
                )
    return workshop


def add_participants(workshop, users) -> list[Participant]:
    return [Participant.objects.create(workshop=workshop, user=user) for user in users]


def submitted_attempt(*, user, quiz, number=1, score="50.00", when=None) -> QuizAttempt:
    """A submitted attempt row with `score`, without answering questions."""
    when = when or timezone.now()
    return QuizAttempt.objects.create(
        user=user,
        quiz=quiz,
        number=number,
        state=QuizAttempt.State.SUBMITTED,
        started_at=when,
        submitted_at=when,
        score=Decimal(score),
        passed=Decimal(score) >= quiz.pass_mark,
        language="en",
    )
