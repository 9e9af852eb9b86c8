"""Issued exactly once when completions race (PostgreSQL: real concurrent transactions)."""

import threading

import pytest
from django.db import connection, connections

from certificates import services
from certificates.models import Certificate

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")


def test_concurrent_issues_create_one_certificate(postgres, site, learner):
    from django.utils import timezone

    from courses.models import Enrolment
    from tests.courses.factories import make_course, make_module

    course = make_course(slug="race")
    make_module(course, slug="race-m")
    Enrolment.objects.create(user=learner, course=course, completed_at=timezone.now())
    barrier = threading.Barrier(6)
    results, errors = [], []

    def issue():
        try:
            barrier.wait()
            results.append(services.certificate_issue(holder=learner, course=course).pk)
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
    assert Certificate.objects.filter(holder=learner, course=course).count() == 1
    assert len(set(results)) == 1


def test_concurrent_renewals_supersede_once(postgres, site, learner):
    from django.utils import timezone

    from courses.models import Enrolment
    from tests.courses.factories import make_course, make_module

    course = make_course(slug="race2")
    make_module(course, slug="race2-m")
    Enrolment.objects.create(user=learner, course=course, completed_at=timezone.now())
    first = services.certificate_issue(holder=learner, course=course)
    barrier = threading.Barrier(4)
    results, errors = [], []

    def renew():
        try:
            barrier.wait()
            results.append(services.certificate_renew(previous=first).pk)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=renew) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Certificate.objects.filter(holder=learner, course=course).count() == 2
    assert len(set(results)) == 1
