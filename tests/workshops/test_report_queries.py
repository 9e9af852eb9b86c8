"""The knowledge-gain report runs the same number of queries for 4 and 60 participants, on
every page and export, for a facilitator and for a manager (whose scope filters them)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import LearnerFactory
from workshops.models import Attendance, Participant

from .factories import submitted_attempt
from .report_world import build

pytestmark = pytest.mark.django_db

URLS = [
    "/en/reports/workshops/",
    "/en/reports/workshops/?format=csv",
    "/en/reports/workshops/?format=csv&table=workshops",
    "/en/reports/workshops/tui/",
    "/en/reports/workshops/tui/?format=csv",
    "/en/reports/workshops/tui/?format=csv&table=groups",
    "/en/reports/workshops/tui/?format=csv&table=categories",
    "/en/reports/workshops/tui/?format=csv&table=not-completed",
]


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


def _more_participants(w, n: int) -> None:
    sessions = list(w.workshop.sessions.all())
    for i in range(n):
        organisation = w.agency_a if i % 2 else w.agency_b
        user = LearnerFactory(username=f"extra{i}", organisation=organisation)
        participant = Participant.objects.create(workshop=w.workshop, user=user)
        Attendance.objects.bulk_create(
            Attendance(session=s, participant=participant, attended=True) for s in sessions
        )
        submitted_attempt(user=user, quiz=w.pre, score=str(10 + i))
        if i % 3:
            submitted_attempt(user=user, quiz=w.post, score=str(Decimal(50) + Decimal(i) / 2))


@pytest.mark.parametrize("who", ["facilitator", "manager"])
def test_query_counts_do_not_grow_with_participants(client, site, who):
    w = build()
    client.force_login(getattr(w, who))
    for url in URLS:  # fill per-process caches first
        _count(client, url)
    small = {url: _count(client, url) for url in URLS}
    _more_participants(w, 56)
    large = {url: _count(client, url) for url in URLS}
    assert large == small
