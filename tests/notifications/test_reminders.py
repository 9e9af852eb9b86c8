"""Due-date reminders: each sent once, however many scheduler runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.models import Enrolment
from notifications.models import Notification
from notifications.services import notification_send, reminders_send
from tests.courses.factories import make_course
from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db


def _enrol(course, name, days_left, **extra):
    user = LearnerFactory(username=name, email=f"{name}@example.org")
    today = timezone.localdate()
    return Enrolment.objects.create(
        user=user, course=course, due_date=today + timedelta(days=days_left), **extra
    )


def test_each_reminder_is_recorded_once_across_two_scheduler_runs(site, mailoutbox):
    course = make_course(slug="e-evidence")
    week = _enrol(course, "week", 7)
    day = _enrol(course, "day", 1)
    late = _enrol(course, "late", -3)
    _enrol(course, "later", 20)
    _enrol(course, "done", 1, completed_at=timezone.now())
    first = reminders_send()
    second = reminders_send()
    assert second == []
    assert sorted(n.params["stage"] for n in first) == ["1d", "7d", "overdue"]
    assert {n.recipient_id for n in first} == {week.user_id, day.user_id, late.user_id}
    assert Notification.objects.count() == 3


def test_a_week_later_the_next_stage_is_sent_once(site):
    course = make_course(slug="e-evidence")
    enrolment = _enrol(course, "week", 7)
    reminders_send()
    six_days_on = timezone.now() + timedelta(days=6)
    (day_before,) = reminders_send(now=six_days_on)
    assert day_before.params["stage"] == "1d"
    assert reminders_send(now=six_days_on) == []
    (overdue,) = reminders_send(now=six_days_on + timedelta(days=2))
    assert overdue.params["stage"] == "overdue"
    assert reminders_send(now=six_days_on + timedelta(days=30)) == []
    assert enrolment.pk


def test_two_schedulers_racing_for_one_reminder_record_it_once(site):
    """The unique key decides when both passed the check for existing reminders."""
    user = LearnerFactory(username="amina", email="amina@example.org")
    assert notification_send(kind="due_reminder", recipient=user, key="reminder:7d:1:x")
    assert notification_send(kind="due_reminder", recipient=user, key="reminder:7d:1:x") is None
    assert Notification.objects.count() == 1


def test_the_command_sends_the_reminders_due(site, capsys):
    from django.core.management import call_command

    course = make_course(slug="e-evidence")
    _enrol(course, "week", 5)
    call_command("send_reminders")
    call_command("send_reminders")
    assert capsys.readouterr().out.splitlines() == [
        "1 reminder(s) recorded.",
        "0 reminder(s) recorded.",
    ]
