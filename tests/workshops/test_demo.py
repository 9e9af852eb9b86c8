import pytest
from django.core.management import call_command

from cms.models import User
from workshops.models import Workshop
from workshops.selectors import test_scores as scores_of

pytestmark = pytest.mark.django_db


def test_the_demo_workshops():
    call_command("seed_demo", verbosity=0)
    regional = Workshop.objects.get(slug="regional-online-internet-evidence")
    national = Workshop.objects.get(slug="national-sit-online-recruitment")
    assert regional.participants.count() == 40 and national.participants.count() == 30
    countries = set(regional.participants.values_list("user__organisation__country", flat=True))
    assert countries == {"DZ", "BF", "TD", "LY", "ML", "MA", "MR", "NE", "SN", "TN"}
    assert national.venue_country == "NE" and regional.venue_country == ""
    investigator = User.objects.get(username="investigator")
    pre, post = scores_of(regional)[investigator.pk]
    assert pre is not None and post is None
    for workshop in (regional, national):
        pre_draws = list(workshop.pre_test.draws.values_list("category_id", "count"))
        post_draws = list(workshop.post_test.draws.values_list("category_id", "count"))
        assert pre_draws == post_draws and pre_draws
        assert not workshop.pre_test.required and not workshop.post_test.required
        scores = scores_of(workshop).values()
        paired = [(p, q) for p, q in scores if p is not None and q is not None]
        assert len(paired) >= len(scores) - 6
        assert sum(q - p for p, q in paired) / len(paired) > 10  # a real gain


def test_the_demo_workshops_surveys_break_down_by_workshop_and_country():
    from reports.scope import Scope
    from surveys.models import SurveyParticipation
    from surveys.selectors import ResultFilters, survey_results

    call_command("seed_demo", verbosity=0)
    regional = Workshop.objects.get(slug="regional-online-internet-evidence")
    national = Workshop.objects.get(slug="national-sit-online-recruitment")
    assert regional.needs_survey_id == national.needs_survey_id
    assert regional.evaluation_survey_id == national.evaluation_survey_id
    evaluation = regional.evaluation_survey
    everything = Scope(everything=True)
    by_workshop = survey_results(
        survey=evaluation, scope=everything, filters=ResultFilters(breakdown="workshop")
    )
    assert {g.key for g in by_workshop.groups} == {regional.pk, national.pk, None}
    assert all(g.count >= by_workshop.floor for g in by_workshop.groups)
    by_country = survey_results(
        survey=evaluation, scope=everything, filters=ResultFilters(breakdown="country")
    )
    assert len(by_country.groups) >= 5 and by_country.hidden_groups >= 1
    # The in-person national workshop was rated higher than the regional one online.
    means = {
        g.key: next(q.mean for q in g.questions if q.question.kind == "scale")
        for g in by_workshop.groups
    }
    assert means[national.pk] > means[regional.pk]
    investigator = User.objects.get(username="investigator")
    assert not SurveyParticipation.objects.filter(user=investigator).exists()
    # Deterministic: a second run changes nothing.
    count = evaluation.pk, by_workshop.total
    call_command("seed_demo", verbosity=0)
    again = survey_results(survey=evaluation, scope=everything, filters=ResultFilters())
    assert (evaluation.pk, again.total) == count
