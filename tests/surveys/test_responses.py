"""Responding: one response per person, changed until the survey closes, completion, and
anonymity that holds in the stored rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from courses.models import ActivityCompletion
from surveys import services
from surveys.models import SurveyAnswer, SurveyParticipation, SurveyResponse
from surveys.selectors import own_response
from tests.factories import LearnerFactory

from .factories import answers_for

pytestmark = pytest.mark.django_db


def test_submitting_completes_the_activity(survey, learner):
    services.response_submit(
        survey=survey, user=learner, answers=answers_for(survey), language="fr"
    )
    completion = ActivityCompletion.objects.get(user=learner, activity_id=survey.pk)
    assert completion.state == ActivityCompletion.State.COMPLETE
    assert completion.language == "fr"


def test_one_response_per_person_changed_in_place(survey, learner):
    services.response_submit(
        survey=survey, user=learner, answers=answers_for(survey), language="en"
    )
    services.response_submit(
        survey=survey,
        user=learner,
        answers=answers_for(survey, scale=1, text="Changed"),
        language="ar",
    )
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert SurveyParticipation.objects.filter(survey=survey).count() == 1
    response = own_response(survey=survey, user=learner)
    assert response.language == "ar"
    assert sorted(a.text for a in response.answers.all() if a.text) == ["Changed"]
    assert {a.value for a in response.answers.all() if a.question.kind == "scale"} == {1}


def test_no_response_before_opening_or_after_closing(survey, learner):
    survey.opens_at = timezone.now() + timedelta(days=1)
    survey.save()
    with pytest.raises(services.SurveyClosed):
        services.response_submit(survey=survey, user=learner, answers={}, language="en")
    survey.opens_at, survey.closes_at = None, timezone.now() - timedelta(minutes=1)
    survey.save()
    with pytest.raises(services.SurveyClosed):
        services.response_submit(survey=survey, user=learner, answers={}, language="en")
    assert not SurveyResponse.objects.exists()


def _columns(table: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    return [(column.name, column.type_code) for column in description]


def test_anonymous_response_rows_hold_nothing_that_names_the_person(survey, learner):
    """What an administrator reading the database sees: no user, no exact time, a random id,
    and a key that the database alone cannot turn back into a person."""
    services.response_submit(
        survey=survey, user=learner, answers=answers_for(survey), language="en"
    )
    row = SurveyResponse.objects.values().get()
    assert row["user_id"] is None
    assert row["submitted_on"] == timezone.localdate()
    # The columns there are, and none of them a time of day.
    response_columns = {name for name, _type in _columns(SurveyResponse._meta.db_table)}
    assert response_columns == {
        "id", "survey_id", "user_id", "respondent_key", "submitted_on", "country",
        "organisation_id", "language",
    }  # fmt: skip
    answer_columns = {name for name, _type in _columns(SurveyAnswer._meta.db_table)}
    assert answer_columns == {"id", "response_id", "question_id", "option", "value", "text"}
    for model in (SurveyResponse, SurveyAnswer, SurveyParticipation):
        assert all(f.get_internal_type() != "DateTimeField" for f in model._meta.concrete_fields)
    # Ids are random, so their order says nothing of the order of responses.
    assert row["id"].version == 4
    assert all(a.pk.version == 4 for a in SurveyAnswer.objects.all())
    # The key is a keyed hash of survey and person, not anything a reader could recompute.
    assert len(row["respondent_key"]) == 64
    assert learner.username not in row["respondent_key"]


def test_the_key_depends_on_a_secret_outside_the_database(survey, learner, settings):
    key = services.respondent_key(survey=survey, user=learner)
    settings.TADRIB_SURVEY_SECRET = "another secret"
    assert services.respondent_key(survey=survey, user=learner) != key


def test_keys_are_forgotten_once_the_survey_closes(survey, learner):
    services.response_submit(
        survey=survey, user=learner, answers=answers_for(survey), language="en"
    )
    survey.closes_at = timezone.now() - timedelta(seconds=1)
    survey.save()
    assert services.survey_keys_forget() == 1
    assert SurveyResponse.objects.get().respondent_key is None
    assert own_response(survey=survey, user=learner) is None  # nobody finds it now
    assert SurveyParticipation.objects.filter(user=learner).exists()  # completion remains


def test_named_survey_keeps_the_person(named_survey, learner):
    services.response_submit(
        survey=named_survey, user=learner, answers=answers_for(named_survey), language="en"
    )
    row = SurveyResponse.objects.get()
    assert row.user == learner and row.respondent_key is None


def test_two_people_two_responses(survey, learner):
    other = LearnerFactory()
    for user in (learner, other):
        services.response_submit(
            survey=survey, user=user, answers=answers_for(survey), language="en"
        )
    assert SurveyResponse.objects.count() == 2
    assert len(set(SurveyResponse.objects.values_list("respondent_key", flat=True))) == 2
