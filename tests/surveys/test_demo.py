"""The demo surveys: in the demo course, answered, broken down by country from the start."""

import json
from pathlib import Path

import pytest

from courses.services import course_import
from reports.scope import Scope
from surveys.demo import demo_seed_surveys
from surveys.models import SurveyPage, SurveyResponse
from surveys.selectors import ResultFilters, survey_results

pytestmark = pytest.mark.django_db

COURSE = Path(__file__).resolve().parents[2] / "courses" / "demo" / "electronic-evidence.json"


def test_demo_surveys_show_breakdowns_by_country_and_keep_a_small_group_out(site):
    course_import(data=json.loads(COURSE.read_text(encoding="utf-8")))
    demo_seed_surveys()
    demo_seed_surveys()  # idempotent
    needs, evaluation = SurveyPage.objects.order_by("path")
    assert needs.slug_en == "training-needs-assessment" and evaluation.anonymous
    assert SurveyResponse.objects.filter(survey=needs).count() == 34
    results = survey_results(
        survey=needs, scope=Scope(everything=True), filters=ResultFilters(breakdown="country")
    )
    assert results.visible
    assert {g.key for g in results.groups} == {"NE", "MA", "TN"}
    assert results.hidden_groups == 2  # Mali's and Mauritania's three respondents each
    assert results.other is not None and results.other.count == 6
    assert {q.question.kind for q in results.questions} == {
        "scale", "single", "multiple", "ranking", "text"
    }  # fmt: skip
    texts = next(q for q in results.questions if q.question.kind == "text").texts
    assert {t.language for t in texts} >= {"ar", "fr"}
