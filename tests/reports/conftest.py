from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from reports.models import ManagerScope
from tests.courses.factories import make_course, make_module
from tests.factories import (
    LearnerFactory,
    ManagerFactory,
    OrganisationFactory,
    TrainerFactory,
    UserFactory,
)
from tests.reports.factories import enrol, record


def aware(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def world(site):
    """Agency A (Niger) with a unit, agency B (Tunisia); a manager of A; learners in each.

    Course "evidence": two modules, the second scored like a quiz.
    """
    agency_a = OrganisationFactory(name_en="Agency A", name_fr="Service A", country="NE")
    unit_a = OrganisationFactory(
        name_en="Cyber unit", name_fr="Unité cyber", country="NE", parent=agency_a
    )
    agency_b = OrganisationFactory(name_en="Agency B", name_fr="Service B", country="TN")
    course = make_course(
        slug="evidence",
        title={
            "en": "Electronic evidence",
            "fr": "Preuve électronique",
            "ar": "الأدلة الإلكترونية",
        },
    )
    module = make_module(course, slug="types")
    quiz = make_module(course, slug="check")
    other_course = make_course(slug="ftf")
    make_module(other_course, slug="intro")
    manager = ManagerFactory(username="manager", organisation=agency_a, preferred_language="fr")
    alice = LearnerFactory(
        username="alice", first_name="Alice", last_name="Amrani", organisation=agency_a
    )
    carim = LearnerFactory(
        username="carim", first_name="Carim", last_name="Chraibi", organisation=unit_a
    )
    bob = LearnerFactory(
        username="bob", first_name="Bob", last_name="Bensalem", organisation=agency_b
    )
    # Alice: complete, passed 80, took 10 days. Carim: in progress, failed 40. Bob: complete.
    enrol(
        alice,
        course,
        enrolled_at=aware(2025, 1, 1, 9),
        completed_at=aware(2025, 1, 11, 9),
        last_activity_at=aware(2025, 1, 11, 9),
        language="fr",
    )
    record(alice, module, when=aware(2025, 1, 5))
    record(alice, quiz, score=80, passed=True, when=aware(2025, 1, 11, 9))
    enrol(
        carim,
        course,
        enrolled_at=aware(2025, 3, 1),
        last_activity_at=aware(2025, 3, 2),
        language="ar",
    )
    record(carim, module, when=aware(2025, 3, 2))
    record(carim, quiz, complete=False, score=40, passed=False, when=aware(2025, 3, 2))
    enrol(
        bob,
        course,
        enrolled_at=aware(2025, 2, 1),
        completed_at=aware(2025, 2, 3),
        last_activity_at=aware(2025, 2, 3),
        language="ar",
    )
    record(bob, module, when=aware(2025, 2, 2))
    record(bob, quiz, score=100, passed=True, when=aware(2025, 2, 3))
    return SimpleNamespace(
        agency_a=agency_a,
        unit_a=unit_a,
        agency_b=agency_b,
        course=course,
        other_course=other_course,
        module=module,
        quiz=quiz,
        manager=manager,
        alice=alice,
        carim=carim,
        bob=bob,
    )


@pytest.fixture
def manager_client(client, world):
    client.force_login(world.manager)
    return client


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True, organisation=None)


@pytest.fixture
def trainer(db):
    return TrainerFactory(username="trainer")


@pytest.fixture
def country_manager(world):
    """A manager whose scope an administrator widened to all of Tunisia, without their own."""
    user = ManagerFactory(username="tn-manager", organisation=world.agency_a)
    ManagerScope.objects.create(manager=user, countries=["TN"], include_own_organisation=False)
    return user


def days_ago(days: int):
    return (timezone.now() - timedelta(days=days)).date()
