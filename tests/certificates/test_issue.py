import pytest
from django.test import override_settings

from certificates import services
from certificates.keys import CredentialKeyMissing, _load
from certificates.models import Certificate
from certificates.serials import serial_read
from courses.models import Enrolment

from .conftest import complete_course

pytestmark = pytest.mark.django_db


def test_completing_a_course_issues_one_certificate_with_its_facts(completed, course, learner):
    assert serial_read(completed.serial).serial == completed.serial
    assert completed.title["fr"] == "Cours evidence"
    assert completed.hours == 12
    assert completed.language == "en"
    assert completed.holder_name_latin == learner.get_full_name()
    assert completed.valid_until.year == completed.issued_at.year + 2
    assert completed.credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"


def test_issuing_again_returns_the_same_certificate(completed, course, learner):
    assert services.certificate_issue(holder=learner, course=course) == completed
    assert Certificate.objects.count() == 1


def test_a_second_completion_record_issues_nothing_more(
    completed, course, learner, django_capture_on_commit_callbacks
):
    complete_course(learner, course, capture=django_capture_on_commit_callbacks)
    assert Certificate.objects.filter(holder=learner).count() == 1


def test_a_rolled_back_completion_issues_nothing(course, learner):
    # Without running the on-commit callbacks (the test's transaction never commits).
    from courses.models import ModulePage
    from courses.services import activity_complete

    activity_complete(user=learner, activity=ModulePage.objects.child_of(course).get())
    assert Enrolment.objects.get(user=learner).completed_at is not None
    assert not Certificate.objects.exists()


def test_an_unfinished_course_is_not_certified(course, learner):
    with pytest.raises(services.NotCompleted):
        services.certificate_issue(holder=learner, course=course)


@override_settings(TADRIB_ENVIRONMENT="production", TADRIB_CREDENTIAL_KEY="")
def test_production_refuses_to_issue_without_a_key(
    course, learner, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.delenv("TADRIB_CREDENTIAL_KEY", raising=False)
    _load.cache_clear()
    complete_course(learner, course, capture=django_capture_on_commit_callbacks)
    assert not Certificate.objects.exists()
    with pytest.raises(CredentialKeyMissing):
        services.certificate_issue(holder=learner, course=course)


def issue_with_serial(user, course, serial):
    """Complete `course` and issue its certificate with a chosen serial (for page tests)."""
    from courses.models import ModulePage
    from courses.services import activity_complete

    for module in ModulePage.objects.child_of(course).live():
        activity_complete(user=user, activity=module)
    return services.certificate_issue(holder=user, course=course, serial=serial)


def test_course_completed_is_sent_once_on_commit(
    course, learner, django_capture_on_commit_callbacks
):
    from courses.models import ModulePage
    from courses.services import activity_complete
    from courses.signals import course_completed

    received = []

    def listener(sender, user, course, completed_at, **kwargs):
        received.append((user, course.pk, completed_at))

    course_completed.connect(listener)
    try:
        module = ModulePage.objects.child_of(course).get()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            activity_complete(user=learner, activity=module)
        assert received == []  # nothing before the commit
        for callback in callbacks:
            callback()
        with django_capture_on_commit_callbacks(execute=True):
            activity_complete(user=learner, activity=module)
    finally:
        course_completed.disconnect(listener)
    assert [(u, c) for u, c, _t in received] == [(learner, course.pk)]
    assert received[0][2] == Enrolment.objects.get(user=learner).completed_at
