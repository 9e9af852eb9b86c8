"""The page's own rules: dates in order, anonymity fixed once people have responded, options
and labels in step across languages."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from surveys import services
from surveys.models import SurveyQuestion

from .factories import answers_for

pytestmark = pytest.mark.django_db


def test_a_survey_closes_after_it_opens(survey):
    survey.opens_at = timezone.now()
    survey.closes_at = survey.opens_at - timedelta(hours=1)
    with pytest.raises(ValidationError) as refused:
        survey.clean()
    assert "closes_at" in refused.value.message_dict


def test_anonymity_is_fixed_once_someone_has_responded(survey, learner):
    survey.anonymous = False
    survey.clean()  # nobody yet: allowed
    survey.anonymous = True
    services.response_submit(
        survey=survey, user=learner, answers=answers_for(survey), language="en"
    )
    survey.anonymous = False
    with pytest.raises(ValidationError) as refused:
        survey.clean()
    assert "anonymous" in refused.value.message_dict


def test_options_and_labels_must_match_across_languages(survey):
    question = SurveyQuestion(
        page=survey, kind="single", text_en="<p>Q</p>", options_en="A\nB\nC", options_fr="A\nB"
    )
    with pytest.raises(ValidationError) as refused:
        question.clean()
    assert "options_fr" in refused.value.message_dict
    scale = SurveyQuestion(page=survey, kind="scale", text_en="<p>Q</p>", scale_labels_en="a\nb")
    with pytest.raises(ValidationError) as refused:
        scale.clean()
    assert "scale_labels_en" in refused.value.message_dict
    assert scale.point_labels() == ["1", "2", "3", "4", "5"]  # wrong count: numbered
