import pytest

from tests.courses.factories import make_course

from .factories import make_survey


@pytest.fixture
def course(site):
    return make_course(slug="evidence")


@pytest.fixture
def survey(course):
    return make_survey(course)


@pytest.fixture
def named_survey(course):
    return make_survey(course, slug="evaluation", anonymous=False)
