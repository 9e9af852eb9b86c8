from datetime import timedelta

import pytest
from django.utils import timezone

from courses.models import Enrolment
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory, OrganisationFactory, TrainerFactory
from tests.quizzes.factories import make_quiz
from workshops import services
from workshops.models import Attendance, Participant, WorkshopCourse
from workshops.signals import workshop_completed

from .factories import add_participants, make_workshop, submitted_attempt

pytestmark = pytest.mark.django_db


def test_adding_participants_enrols_them_with_due_dates(site):
    workshop = make_workshop()
    before = make_course(slug="before")
    after = make_course(slug="after")
    fixed = timezone.localdate() + timedelta(days=3)
    WorkshopCourse.objects.create(workshop=workshop, course=before, due_date=fixed, position=0)
    WorkshopCourse.objects.create(
        workshop=workshop, course=after, due_days_after_end=30, position=1
    )
    trainer = TrainerFactory()
    users = LearnerFactory.create_batch(3)
    assert services.participants_add(workshop=workshop, users=users, added_by=trainer) == 3
    assert services.participants_add(workshop=workshop, users=users, added_by=trainer) == 0
    ends_on = workshop.sessions.last().date
    for user in users:
        assert Enrolment.objects.get(user=user, course=before).due_date == fixed
        enrolment = Enrolment.objects.get(user=user, course=after)
        assert enrolment.due_date == ends_on + timedelta(days=30)
        assert enrolment.assigned_by == trainer
    assert Participant.objects.filter(workshop=workshop).count() == 3


def test_adding_an_organisation_includes_its_units(site):
    workshop = make_workshop()
    agency = OrganisationFactory()
    unit = OrganisationFactory(parent=agency)
    inside = [LearnerFactory(organisation=agency), LearnerFactory(organisation=unit)]
    LearnerFactory(organisation=agency, is_active=False)
    LearnerFactory()  # elsewhere
    added = services.participants_add_organisation(workshop=workshop, organisation=agency)
    assert added == 2
    assert set(workshop.participants.values_list("user_id", flat=True)) == {u.pk for u in inside}


def test_attendance_record_upserts(site):
    workshop = make_workshop()
    a, b = add_participants(workshop, LearnerFactory.create_batch(2))
    session = workshop.sessions.first()
    services.attendance_record(session=session, marks={a.pk: True, b.pk: False})
    services.attendance_record(session=session, marks={a.pk: False, b.pk: True})
    assert dict(Attendance.objects.values_list("participant_id", "attended")) == {
        a.pk: False,
        b.pk: True,
    }


def test_attendance_for_another_workshop_is_ignored(site):
    workshop = make_workshop()
    other = make_workshop(slug="other")
    (stranger,) = add_participants(other, [LearnerFactory()])
    assert (
        services.attendance_record(session=workshop.sessions.first(), marks={stranger.pk: True})
        == 0
    )


def test_completion_is_recorded_once_and_signalled_once(site, django_capture_on_commit_callbacks):
    post = make_quiz(slug="post", required=False)
    workshop = make_workshop(post_test=post)  # 4 sessions; threshold 75 %
    user = LearnerFactory()
    (participant,) = add_participants(workshop, [user])
    received = []
    workshop_completed.connect(
        lambda sender, **kw: received.append(kw["user"].pk), weak=False, dispatch_uid="t"
    )
    try:
        sessions = list(workshop.sessions.all())
        with django_capture_on_commit_callbacks(execute=True):
            for session in sessions[:3]:
                services.attendance_record(session=session, marks={participant.pk: True})
        participant.refresh_from_db()
        assert participant.completed_at is None  # no post-test yet
        submitted_attempt(user=user, quiz=post, score="20")
        with django_capture_on_commit_callbacks(execute=True):
            assert services.completion_refresh(workshop=workshop) == [user.pk]
            assert services.completion_refresh(workshop=workshop) == []
        participant.refresh_from_db()
        assert participant.completed_at is not None
        assert received == [user.pk]
    finally:
        workshop_completed.disconnect(dispatch_uid="t")


def test_an_incomplete_course_keeps_the_workshop_open(site):
    course = make_course(slug="c1")
    make_module(course)
    workshop = make_workshop()
    WorkshopCourse.objects.create(workshop=workshop, course=course, position=0)
    user = LearnerFactory()
    services.participants_add(workshop=workshop, users=[user])
    participant = Participant.objects.get(user=user)
    for session in workshop.sessions.all():
        services.attendance_record(session=session, marks={participant.pk: True})
    participant.refresh_from_db()
    assert participant.completed_at is None


CSV_OK = "username,session,attended\nalice,1,1\nbob,1,0\nalice,2,yes\n"


def test_attendance_csv_all_or_nothing(site):
    workshop = make_workshop()
    alice = LearnerFactory(username="alice")
    bob = LearnerFactory(username="bob")
    add_participants(workshop, [alice, bob])
    bad = CSV_OK + "carol,1,1\nbob,9,1\nalice,1,maybe\nalice,2,1\n"
    result = services.attendance_import(workshop=workshop, text=bad)
    assert not result.ok
    assert len(result.errors) == 4
    assert "Line 5" in result.errors[0] and "carol" in result.errors[0]
    assert "Line 6" in result.errors[1]
    assert "Line 7" in result.errors[2]
    assert "Line 8" in result.errors[3] and "line 4" in result.errors[3]
    assert not Attendance.objects.exists()
    result = services.attendance_import(workshop=workshop, text="\ufeff" + CSV_OK)
    assert result.ok and result.written == 3
    assert Attendance.objects.filter(attended=True).count() == 2


def test_attendance_csv_by_date_and_time(site):
    workshop = make_workshop()
    add_participants(workshop, [LearnerFactory(username="alice")])
    first = workshop.sessions.first()
    text = f"username,session,attended\nalice,{first.date.isoformat()} 09:00,1\n"
    assert services.attendance_import(workshop=workshop, text=text).written == 1


def test_attendance_csv_needs_its_columns(site):
    workshop = make_workshop()
    result = services.attendance_import(workshop=workshop, text="user,attended\n")
    assert not result.ok and "session" in result.errors[0]
