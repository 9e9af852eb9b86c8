"""Assigning courses with due dates, and the overdue list."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import Enrolment
from reports.scope import OutOfScope, manager_scope
from reports.selectors import ReportFilters, assignment_rows, assignments
from reports.services import assignment_withdraw, course_assign
from tests.courses.factories import make_course, make_module
from tests.factories import UserFactory
from tests.reports.conftest import days_ago
from tests.reports.factories import enrol, record


def test_assign_creates_enrolments_with_due_date_and_keeps_existing_progress(world):
    count = course_assign(
        manager=world.manager,
        learners=[world.alice, world.carim],
        course=world.course,
        due_date=days_ago(-30),
    )
    assert count == 2
    alice = Enrolment.objects.get(user=world.alice, course=world.course)
    assert alice.due_date == days_ago(-30) and alice.assigned_by == world.manager
    assert alice.completed_at is not None  # progress kept
    course_assign(manager=world.manager, learners=[world.carim], course=world.other_course)
    new = Enrolment.objects.get(user=world.carim, course=world.other_course)
    assert new.assigned_by == world.manager and new.due_date is None


def test_assign_refuses_a_learner_outside_the_scope_and_writes_nothing(world):
    with pytest.raises(OutOfScope):
        course_assign(
            manager=world.manager, learners=[world.carim, world.bob], course=world.other_course
        )
    assert not Enrolment.objects.filter(course=world.other_course).exists()


def test_assign_refuses_a_learner_account(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        course_assign(manager=world.alice, learners=[world.carim], course=world.other_course)


def test_overdue_lists_past_due_incomplete_assignments_only(world):
    course_assign(
        manager=world.manager, learners=[world.carim], course=world.course, due_date=days_ago(1)
    )
    course_assign(
        manager=world.manager, learners=[world.alice], course=world.course, due_date=days_ago(5)
    )
    course_assign(
        manager=world.manager,
        learners=[world.alice, world.carim],
        course=world.other_course,
        due_date=days_ago(0),
    )
    scope = manager_scope(user=world.manager)
    overdue = list(
        assignment_rows(assignments(scope=scope, filters=ReportFilters(), overdue_only=True))
    )
    # Alice completed hers; a course due today is not yet overdue.
    assert [(r.username, r.course, r.status) for r in overdue] == [
        ("carim", "Electronic evidence", "overdue")
    ]
    every = list(assignment_rows(assignments(scope=scope, filters=ReportFilters())))
    assert [r.status for r in every] == ["complete", "overdue", "due", "due"]


def test_manager_assigns_a_course_to_an_organisation_through_the_page(manager_client, world):
    response = manager_client.post(
        reverse("reports:assignments"),
        {
            "course": world.other_course.pk,
            "organisation": world.agency_a.pk,
            "due_date": days_ago(-7).isoformat(),
        },
    )
    assert response.status_code == 302
    assigned = set(
        Enrolment.objects.filter(course=world.other_course).values_list("user__username", flat=True)
    )
    assert assigned == {"alice", "carim"}  # the unit's learner too; never the manager
    # A week later, nobody has finished it.
    Enrolment.objects.filter(course=world.other_course).update(due_date=days_ago(1))
    overdue = manager_client.get(reverse("reports:overdue"))
    assert [r.username for r in overdue.context["rows"]] == ["alice", "carim"]


def test_assigning_outside_the_scope_through_the_page_is_404(manager_client, world):
    url = reverse("reports:assignments")
    assert (
        manager_client.post(
            url, {"course": world.other_course.pk, "organisation": world.agency_b.pk}
        ).status_code
        == 400
    )
    assert (
        manager_client.post(
            url, {"course": world.other_course.pk, "learner": world.bob.pk}
        ).status_code
        == 404
    )
    assert not Enrolment.objects.filter(course=world.other_course).exists()


def test_manager_assigns_from_the_learner_page(manager_client, world):
    response = manager_client.post(
        reverse("reports:assignments"),
        {"course": world.other_course.pk, "learner": world.carim.pk, "due_date": "2030-01-31"},
    )
    assert response["Location"] == reverse("reports:learner", args=[world.carim.pk])
    page = manager_client.get(response["Location"])
    assert page.context["report"].courses[0].title == "Course ftf"


# --- due dates in the past, changing and withdrawing (issue 13) --------------------------------


@pytest.mark.parametrize("sent_from", ["assignments", "learner"])
def test_a_due_date_in_the_past_is_refused_with_a_message_in_the_managers_language(
    manager_client, world, sent_from
):
    data = {"course": world.other_course.pk, "due_date": days_ago(1).isoformat()}
    data |= (
        {"learner": world.carim.pk}
        if sent_from == "learner"
        else {"organisation": world.agency_a.pk}
    )
    with translation.override("fr"):
        response = manager_client.post(reverse("reports:assignments"), data)
    assert response.status_code == 400
    assert "Cette date est passée" in response.content.decode()
    assert not Enrolment.objects.filter(course=world.other_course).exists()
    # Today is fine: a course due today is not late yet.
    data["due_date"] = days_ago(0).isoformat()
    assert manager_client.post(reverse("reports:assignments"), data).status_code == 302


def test_the_date_picker_offers_no_day_before_today(manager_client, world):
    html = manager_client.get(reverse("reports:assignments")).content.decode()
    assert f'min="{days_ago(0).isoformat()}"' in html


def _assigned(world, learner, *, due=7):
    course_assign(
        manager=world.manager,
        learners=[learner],
        course=world.other_course,
        due_date=days_ago(-due),
    )
    return Enrolment.objects.get(user=learner, course=world.other_course)


def test_manager_changes_the_due_date_of_an_assignment(manager_client, world):
    enrolment = _assigned(world, world.carim)
    listing = manager_client.get(reverse("reports:assignments")).content.decode()
    url = reverse("reports:assignment", args=[enrolment.pk])
    assert f'href="{url}"' in listing
    assert manager_client.get(url).status_code == 200
    refused = manager_client.post(url, {"due_date": days_ago(3).isoformat()})
    assert refused.status_code == 400
    enrolment.refresh_from_db()
    assert enrolment.due_date == days_ago(-7)
    response = manager_client.post(url, {"due_date": days_ago(-30).isoformat()})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.due_date == days_ago(-30)
    manager_client.post(url, {"due_date": ""})
    enrolment.refresh_from_db()
    assert enrolment.due_date is None and enrolment.assigned_by == world.manager


def test_withdrawing_an_unopened_assignment_removes_the_course_from_the_learner(
    manager_client, world
):
    enrolment = _assigned(world, world.carim)
    response = manager_client.post(
        reverse("reports:assignment", args=[enrolment.pk]), {"withdraw": "1"}
    )
    assert response.status_code == 302
    assert not Enrolment.objects.filter(pk=enrolment.pk).exists()


def test_withdrawing_a_started_assignment_leaves_the_learner_their_progress(manager_client, world):
    enrolment = _assigned(world, world.carim)
    module = world.other_course.get_children().first()
    record(world.carim, module)
    manager_client.post(reverse("reports:assignment", args=[enrolment.pk]), {"withdraw": "1"})
    enrolment.refresh_from_db()
    assert (enrolment.due_date, enrolment.assigned_by) == (None, None)
    # No longer an assignment: it leaves the list, and its page is gone.
    assert manager_client.get(reverse("reports:assignment", args=[enrolment.pk])).status_code == 404


def test_an_assignment_outside_the_scope_cannot_be_seen_changed_or_withdrawn(manager_client, world):
    course_assign(
        manager=UserFactory(username="root", is_superuser=True, organisation=None),
        learners=[world.bob],
        course=world.other_course,
        due_date=days_ago(-5),
    )
    enrolment = Enrolment.objects.get(user=world.bob, course=world.other_course)
    url = reverse("reports:assignment", args=[enrolment.pk])
    assert manager_client.get(url).status_code == 404
    assert manager_client.post(url, {"due_date": days_ago(-9).isoformat()}).status_code == 404
    assert manager_client.post(url, {"withdraw": "1"}).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.due_date == days_ago(-5)
    with pytest.raises(OutOfScope):
        assignment_withdraw(manager=world.manager, enrolment=enrolment)


# --- what learners see ---------------------------------------------------------------------------


def test_my_learning_marks_overdue_courses_and_lists_the_soonest_due_first(client, world):
    later = make_course(slug="later")
    make_module(later, slug="l1")
    soon = make_course(slug="soon")
    make_module(soon, slug="s1")
    enrol(world.carim, later, due_date=days_ago(-20), last_activity_at=timezone.now())
    enrol(world.carim, soon, due_date=days_ago(-2))
    Enrolment.objects.filter(user=world.carim, course=world.other_course).delete()
    enrol(world.carim, world.other_course, due_date=days_ago(3))
    client.force_login(world.carim)
    with translation.override("ar"):
        response = client.get(reverse("courses:my_learning"))
    # The list's rows carry each course's address, which ends with its slug.
    titles = [entry.url.rstrip("/").rsplit("/", 1)[-1] for entry in response.context["entries"]]
    # Overdue first, then by due date; the course without a due date after them.
    assert titles == ["ftf", "soon", "later", "evidence"]
    html = response.content.decode()
    assert html.count("status--overdue") == 1
    assert "متأخر" in html
    course_page = client.get(world.other_course.get_url())
    assert "status--overdue" in course_page.content.decode()
