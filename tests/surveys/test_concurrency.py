"""One response per person under concurrent submissions, on PostgreSQL (real row locks).

Run with DATABASE_URL=postgres://… ; on SQLite, writes are serialised and these are skipped.
"""

import pytest
from django.db import connection

from surveys import services
from surveys.models import SurveyAnswer, SurveyParticipation, SurveyResponse
from tests.courses.factories import make_course
from tests.factories import LearnerFactory
from tests.quizzes.test_concurrency import run_in_threads

from .factories import answers_for, make_survey

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL=postgres://…): SQLite serialises writers",
    ),
]


@pytest.mark.parametrize("anonymous", [True, False])
def test_concurrent_submissions_by_one_person_give_one_response(site, anonymous):
    survey = make_survey(make_course(slug="evidence"), anonymous=anonymous)
    learner = LearnerFactory()
    answers = answers_for(survey)

    def submit():
        return services.response_submit(survey=survey, user=learner, answers=answers, language="en")

    results = run_in_threads(8, submit)
    assert not [r for r in results if isinstance(r, Exception)]
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert SurveyParticipation.objects.filter(survey=survey, user=learner).count() == 1
    # One set of answers, not eight: the text question has one answer.
    assert SurveyAnswer.objects.exclude(text="").count() == 1
