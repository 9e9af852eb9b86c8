"""A workshop participant who completes gets one certificate: issued on the completion signal,
with the workshop's title, dates, venue and hours copied onto it."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from certificates.models import Certificate, Kind
from certificates.services import certificate_issue
from certificates.sources import NotCompleted
from tests.workshops.factories import add_participants, make_workshop

from .conftest import attend_all

pytestmark = pytest.mark.django_db


def test_completion_issues_the_certificate_once(completed, workshop, learner):
    certificate = completed
    assert certificate.kind == Kind.WORKSHOP and certificate.course is None
    assert certificate.title["fr"] == "Atelier sit" and certificate.title["ar"] == "ورشة sit"
    assert (certificate.starts_on, certificate.ends_on) == (date(2026, 3, 2), date(2026, 3, 3))
    assert certificate.venue_country == "NE"
    assert certificate.hours == Decimal("6.0")  # four sessions of 90 minutes
    assert certificate.grade is None and certificate.valid_until is None
    assert certificate.completed_at is not None
    # Again, by the service: the same certificate.
    assert certificate_issue(holder=learner, workshop=workshop).pk == certificate.pk
    assert Certificate.objects.filter(holder=learner, workshop=workshop).count() == 1


def test_the_credential_says_workshop_dates_and_venue(completed):
    subject = completed.credential["credentialSubject"]
    achievement = subject["achievement"]
    assert achievement["achievementType"] == "LearningProgram"
    assert achievement["name"] == completed.title_in(completed.language)
    assert subject["activityStartDate"] == "2026-03-02T00:00:00Z"
    assert "Niger" in achievement["description"] and "6 hours" in achievement["description"]
    assert "grade" not in str(achievement)


def test_the_venue_is_named_in_each_language_or_online(completed):
    assert completed.venue_in("fr") == "Niger"
    assert completed.venue_in("ar") == "النيجر"
    completed.venue_country = ""
    assert completed.venue_in("en") == "online"
    assert completed.venue_in("fr") == "en ligne"
    assert completed.venue_in("ar") == "عن بُعد"


def test_no_certificate_before_completion(workshop, learner):
    add_participants(workshop, [learner])
    with pytest.raises(NotCompleted):
        certificate_issue(holder=learner, workshop=workshop)
    assert not Certificate.objects.exists()


def test_a_participant_below_the_threshold_gets_none(
    workshop, learner, django_capture_on_commit_callbacks
):
    (participant,) = add_participants(workshop, [learner])
    with django_capture_on_commit_callbacks(execute=True):
        from workshops import services

        session = workshop.sessions.first()
        services.attendance_record(session=session, marks={participant.pk: True})
    assert not Certificate.objects.exists()


def test_the_database_refuses_a_second_round_one_and_a_course_and_workshop_at_once(
    completed, workshop, learner
):
    from tests.courses.factories import make_course

    course = make_course(slug="evidence")
    duplicate = Certificate(
        serial="TDR-0000-0000-0000-0",
        holder=learner,
        workshop=workshop,
        kind=Kind.WORKSHOP,
        language="en",
        completed_at=completed.completed_at,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    both = Certificate(
        serial="TDR-0000-0000-0001-0",
        holder=learner,
        workshop=workshop,
        course=course,
        round=2,
        language="en",
        completed_at=completed.completed_at,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        both.save()


def test_each_workshop_and_each_holder_gets_its_own(
    site, workshop, learner, django_capture_on_commit_callbacks
):
    from tests.factories import LearnerFactory

    other = make_workshop(slug="online", starts_on=date(2026, 4, 6), days=1)
    second = LearnerFactory(username="second")
    for w in (workshop, other):
        attend_all(
            w, add_participants(w, [learner, second]), capture=django_capture_on_commit_callbacks
        )
    assert Certificate.objects.filter(kind=Kind.WORKSHOP).count() == 4
    online = Certificate.objects.get(holder=learner, workshop=other)
    assert online.venue_country == "" and online.starts_on == online.ends_on == date(2026, 4, 6)
    assert online.hours == Decimal("3.0")


def test_a_deleted_workshop_leaves_its_certificates(completed, workshop):
    workshop.delete()
    completed.refresh_from_db()
    assert completed.workshop is None and completed.is_workshop
    assert completed.title_in("en") == "Workshop sit"


def test_issue_certificates_issues_the_completions_without_one(workshop, learner):
    """A completion recorded while production had no key: the command issues it later."""
    from django.core.management import call_command
    from django.utils import timezone

    from workshops.models import Participant

    Participant.objects.create(workshop=workshop, user=learner, completed_at=timezone.now())
    assert not Certificate.objects.exists()
    call_command("issue_certificates", verbosity=0)
    assert Certificate.objects.filter(holder=learner, workshop=workshop).count() == 1
    call_command("issue_certificates", verbosity=0)
    assert Certificate.objects.count() == 1
