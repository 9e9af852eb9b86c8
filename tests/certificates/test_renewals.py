"""Renewal: invitations 60 and 14 days before expiry, once each, with re-enrolment in the
refresher; completing the refresher issues a new certificate that supersedes the old."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from certificates.models import Certificate, RenewalInvitation
from certificates.services import certificates_invite_renewals
from courses.models import ActivityCompletion, Enrolment
from tests.courses.factories import make_course, make_module

from .conftest import complete_course

pytestmark = pytest.mark.django_db


def expiring(certificate, days):
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.now() + timedelta(days=days)
    )
    certificate.refresh_from_db()
    return certificate


def test_no_invitation_earlier_than_60_days(completed):
    expiring(completed, 61)
    assert certificates_invite_renewals(now=timezone.now()) == []


def test_at_60_days_the_holder_is_invited_and_re_enrolled_once(completed, course, learner):
    expiring(completed, 59)
    made = certificates_invite_renewals(now=timezone.now())
    assert [(i.certificate, i.days_before, i.refresher) for i in made] == [(completed, 60, course)]
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.completed_at is None
    assert enrolment.due_date == completed.valid_until.date()
    assert not ActivityCompletion.objects.filter(user=learner, state="complete").exists()
    # A second run, the same day or the next, invites nobody again.
    assert certificates_invite_renewals(now=timezone.now()) == []
    assert certificates_invite_renewals(now=timezone.now() + timedelta(days=1)) == []
    assert RenewalInvitation.objects.count() == 1


def test_at_14_days_a_second_invitation_without_undoing_progress(completed, course, learner):
    expiring(completed, 59)
    certificates_invite_renewals(now=timezone.now())
    ActivityCompletion.objects.filter(user=learner).update(
        state="complete", completed_at=timezone.now()
    )
    made = certificates_invite_renewals(now=timezone.now() + timedelta(days=46))
    assert [i.days_before for i in made] == [14]
    assert ActivityCompletion.objects.filter(user=learner, state="complete").exists()


def test_revoked_and_never_expiring_certificates_are_not_invited(completed):
    Certificate.objects.filter(pk=completed.pk).update(valid_until=None)
    assert certificates_invite_renewals(now=timezone.now()) == []
    expiring(completed, 10)
    Certificate.objects.filter(pk=completed.pk).update(revoked_at=timezone.now())
    assert certificates_invite_renewals(now=timezone.now()) == []


def test_completing_the_course_again_renews_and_supersedes(
    completed, course, learner, django_capture_on_commit_callbacks, client
):
    expiring(completed, 20)
    certificates_invite_renewals(now=timezone.now())
    complete_course(learner, course, capture=django_capture_on_commit_callbacks)
    renewal = Certificate.objects.get(holder=learner, round=2)
    assert renewal.supersedes == completed
    assert renewal.serial != completed.serial
    assert renewal.valid_until > completed.valid_until
    html = client.get(f"/en/verify/{completed.serial}/").content.decode()
    assert "a newer certificate replaces this one" in html
    # Renewed once only, whatever happens next.
    from certificates.services import certificate_renew

    assert certificate_renew(previous=completed) == renewal


def test_a_designated_refresher_course_renews_the_original(
    completed, course, learner, django_capture_on_commit_callbacks
):
    refresher = make_course(slug="refresher", nominal_hours=2)
    make_module(refresher, slug="r1")
    course.refresher_course = refresher
    course.save_revision().publish()
    expiring(completed, 30)
    made = certificates_invite_renewals(now=timezone.now())
    assert made[0].refresher.pk == refresher.pk
    assert Enrolment.objects.filter(user=learner, course=refresher).exists()
    complete_course(learner, refresher, capture=django_capture_on_commit_callbacks)
    renewal = Certificate.objects.get(holder=learner, course=course, round=2)
    assert renewal.supersedes == completed
    # The refresher is a course too: completing it earns its own certificate.
    assert Certificate.objects.filter(holder=learner, course=refresher, round=1).exists()


def test_the_management_command_invites_and_is_idempotent(completed):
    expiring(completed, 10)
    out = StringIO()
    call_command("invite_renewals", stdout=out)
    call_command("invite_renewals", stdout=out)
    assert out.getvalue().splitlines() == [
        "1 renewal invitation(s) recorded.",
        "0 renewal invitation(s) recorded.",
    ]
