import pytest
from django.core.management import CommandError, call_command

from cms.models import User
from courses import rollups
from courses.models import ActivityCompletion, CoursePage, Enrolment
from reports.scope import manager_scope
from reports.selectors import ReportFilters, completion_rates


def test_seed_load_creates_learners_progress_and_scores_then_refuses_to_load_twice(site):
    call_command("seed_load", learners=60, activities=6, verbosity=0)
    course = CoursePage.objects.get(slug="load-test")
    assert Enrolment.objects.filter(course=course).count() == 60
    assert ActivityCompletion.objects.filter(course=course, score__isnull=False).exists()
    manager = User.objects.get(username="load-manager")
    (row,) = completion_rates(scope=manager_scope(user=manager), filters=ReportFilters())
    assert row.enrolled == 60
    assert 0 < row.completed < 60 and row.not_started > 0 and row.median_days is not None
    # Written in bulk (COPY on PostgreSQL), with the reports' rollups computed after.
    assert row.scored > 0 and row.mean_score is not None
    assert rollups.differences() == []
    assert Enrolment.objects.filter(course=course).exclude(study_language="").exists()
    with pytest.raises(CommandError, match="Already loaded"):
        call_command("seed_load", learners=60, activities=6, verbosity=0)
    call_command("seed_load", learners=10, activities=2, reset=True, verbosity=0)
    course = CoursePage.objects.get(slug="load-test")
    assert Enrolment.objects.filter(course=course).count() == 10
    assert User.objects.filter(username__startswith="load-").count() == 11


def test_seed_load_refuses_production_settings(site, settings):
    settings.TADRIB_ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="production"):
        call_command("seed_load", learners=1, activities=1, verbosity=0)
