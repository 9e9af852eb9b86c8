"""A workshop certificate is issued exactly once when completions race (PostgreSQL: real
concurrent transactions; the unique constraint on holder, workshop and round decides)."""

from datetime import date

import pytest

from certificates.models import Certificate
from certificates.services import certificate_issue
from tests.workshops.factories import make_workshop

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_issue_once_under_concurrent_completion_on_postgresql(site, learner):
    """Six threads issue the same workshop certificate at once: one row, one answer."""
    import threading

    from django.db import connection, connections
    from django.utils import timezone

    from workshops.models import Participant

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")
    workshop = make_workshop(slug="race", starts_on=date(2026, 3, 2), days=1)
    Participant.objects.create(workshop=workshop, user=learner, completed_at=timezone.now())
    barrier = threading.Barrier(6)
    results, errors = [], []

    def issue():
        try:
            barrier.wait()
            results.append(certificate_issue(holder=learner, workshop=workshop).pk)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Certificate.objects.filter(holder=learner, workshop=workshop).count() == 1
    assert len(set(results)) == 1
