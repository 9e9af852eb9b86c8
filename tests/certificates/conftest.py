import pytest

from courses.services import activity_complete
from tests.courses.factories import make_course, make_module


@pytest.fixture
def course(site):
    course = make_course(slug="evidence", nominal_hours=12, validity_months=24)
    make_module(course, slug="m1")
    return course


def complete_course(user, course, *, capture):
    """Complete every module of `course` as `user`, running the on-commit receivers."""
    from courses.models import ModulePage

    with capture(execute=True):
        for module in ModulePage.objects.child_of(course).live():
            activity_complete(user=user, activity=module, language=user.preferred_language)


@pytest.fixture
def completed(course, learner, django_capture_on_commit_callbacks):
    complete_course(learner, course, capture=django_capture_on_commit_callbacks)
    from certificates.models import Certificate

    return Certificate.objects.get(holder=learner, course=course)
