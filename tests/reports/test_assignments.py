"""Assigning courses with due dates, and the overdue list."""

import pytest
from django.urls import reverse

from courses.models import Enrolment
from reports.scope import OutOfScope, manager_scope
from reports.selectors import ReportFilters, assignment_rows, assignments
from reports.services import course_assign
from tests.reports.conftest import days_ago


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
            "due_date": days_ago(2).isoformat(),
        },
    )
    assert response.status_code == 302
    assigned = set(
        Enrolment.objects.filter(course=world.other_course).values_list("user__username", flat=True)
    )
    assert assigned == {"alice", "carim"}  # the unit's learner too; never the manager
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
