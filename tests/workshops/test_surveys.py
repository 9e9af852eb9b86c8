"""A workshop's needs assessment and evaluation (docs/workshops.md, "Surveys"): responses given
for a workshop, results by workshop under the privacy floor and the scope, the evaluation's gate,
the participant's page and the evaluation summary of the knowledge-gain report."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports.scope import Scope
from surveys import services
from surveys.models import SurveyResponse
from surveys.selectors import ResultFilters, survey_results
from tests.courses.factories import make_course
from tests.factories import (
    LearnerFactory,
    ManagerFactory,
    OrganisationFactory,
    TrainerFactory,
    UserFactory,
)
from tests.surveys.factories import answers_for, make_survey
from workshops.models import SurveyResponseWorkshop

from .factories import add_participants, make_workshop

pytestmark = pytest.mark.django_db

PAST = timezone.localdate() - timedelta(days=20)


@pytest.fixture
def surveys(site):
    course = make_course(slug="evidence")
    needs = make_survey(course, slug="needs", required=False)
    evaluation = make_survey(course, slug="evaluation", required=False)
    return needs, evaluation


def _people(organisation, count):
    return [LearnerFactory(organisation=organisation) for _ in range(count)]


def _answer(survey, users, **answers):
    for user in users:
        services.response_submit(
            survey=survey, user=user, answers=answers_for(survey, **answers), language="en"
        )


def _csv(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_a_response_is_linked_to_the_workshop_and_never_to_the_person(surveys):
    needs, _evaluation = surveys
    older = make_workshop(slug="older", starts_on=PAST - timedelta(days=30), needs_survey=needs)
    newer = make_workshop(slug="newer", starts_on=PAST, needs_survey=needs)
    both, outsider = LearnerFactory(), LearnerFactory()
    add_participants(older, [both])
    add_participants(newer, [both])
    _answer(needs, [both, outsider])
    # The one naming the survey that starts last; a person in no such workshop: no link.
    assert list(SurveyResponseWorkshop.objects.values_list("workshop__slug", flat=True)) == [
        "newer"
    ]
    link = SurveyResponseWorkshop.objects.get()
    assert {f.name for f in SurveyResponseWorkshop._meta.concrete_fields} == {
        "response",
        "workshop",
    }
    assert link.response.user_id is None  # anonymous: the response has no person either
    # Changing the answers after leaving the newer workshop moves the link; the row stays one.
    newer.participants.all().delete()
    _answer(needs, [both], scale=2)
    assert list(SurveyResponseWorkshop.objects.values_list("workshop__slug", flat=True)) == [
        "older"
    ]
    assert SurveyResponse.objects.count() == 2


def test_the_evaluation_opens_to_participants_after_the_last_session(client, surveys):
    _needs, evaluation = surveys
    upcoming = make_workshop(slug="upcoming", evaluation_survey=evaluation)  # in ten days
    participant, outsider = LearnerFactory(), LearnerFactory()
    add_participants(upcoming, [participant])
    with pytest.raises(services.SurveyClosed) as refused:
        _answer(evaluation, [participant])
    assert "opens after the last session" in str(refused.value.reason)
    _answer(evaluation, [outsider])  # people outside the workshop are not held back
    client.force_login(participant)
    page = client.get(evaluation.get_url()).content.decode()
    assert "opens after the last session" in page and "<form" not in page.split("survey-facts")[1]
    client.post(evaluation.get_url(), {})
    assert not SurveyResponse.objects.filter(workshop_link__isnull=False).exists()
    upcoming.sessions.update(date=PAST)
    assert client.get(evaluation.get_url()).content.decode().count('method="post"') >= 1
    _answer(evaluation, [participant])
    assert SurveyResponseWorkshop.objects.filter(workshop=upcoming).count() == 1


def test_the_participants_page_links_the_surveys_with_their_status(client, surveys):
    needs, evaluation = surveys
    workshop = make_workshop(slug="soon", needs_survey=needs, evaluation_survey=evaluation)
    participant = LearnerFactory()
    add_participants(workshop, [participant])
    client.force_login(participant)
    url = f"/en/workshops/{workshop.slug}/"
    html = client.get(url).content.decode()
    assert "Needs assessment" in html and "Evaluation" in html
    assert f'href="{needs.get_url()}"' in html and f'href="{evaluation.get_url()}"' in html
    assert "Open: not answered yet" in html and "Opens after the last session" in html
    _answer(needs, [participant])
    html = client.get(url).content.decode()
    assert "You have answered" in html
    arabic = client.get(f"/ar/workshops/{workshop.slug}/").content.decode()
    assert 'dir="rtl"' in arabic and "تقييم الاحتياجات" in arabic


@pytest.fixture
def world(surveys):
    """Two workshops answering one evaluation: 8 in the regional one (Niger 5, Mali 3), 6 in
    the national one (Niger), 5 outside any workshop (Morocco)."""
    _needs, evaluation = surveys
    niger, mali, morocco = (OrganisationFactory(country=c) for c in ("NE", "ML", "MA"))
    regional = make_workshop(slug="regional", starts_on=PAST, evaluation_survey=evaluation)
    national = make_workshop(slug="national", starts_on=PAST, evaluation_survey=evaluation)
    regional_people = _people(niger, 5) + _people(mali, 3)
    national_people = _people(niger, 6)
    add_participants(regional, regional_people)
    add_participants(national, national_people)
    _answer(evaluation, regional_people, scale=5)
    _answer(evaluation, national_people, scale=3)
    _answer(evaluation, _people(morocco, 5), scale=1)
    return evaluation, regional, national, niger, mali, morocco


def test_results_filter_and_break_down_by_workshop(client, world):
    evaluation, regional, *_ = world
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = f"/en/reports/surveys/{evaluation.pk}/"
    page = client.get(url, {"workshop": regional.pk}).content.decode()
    assert "8 responses in your scope match these filters" in page
    assert "<strong>5</strong>" in page  # the scale's mean for the regional workshop
    broken = client.get(url, {"breakdown": "workshop"}).content.decode()
    broken = broken.split("<h2>Breakdown</h2>")[1]
    assert "Workshop regional" in broken and "Workshop national" in broken
    assert "Not given for a workshop" in broken
    csv = _csv(client.get(url, {"breakdown": "workshop", "format": "csv"}))
    assert "Workshop regional" in csv and "Workshop national" in csv
    # In French, the workshop's own title.
    french = client.get(f"/fr/reports/surveys/{evaluation.pk}/", {"breakdown": "workshop"})
    assert "Atelier regional" in french.content.decode()


def test_two_filters_that_isolate_few_people_show_nothing(client, world):
    """Workshop × country: the regional workshop's three Malians (and one of them alone, by
    organisation too) are hidden in the page and the CSV, and so is the rest of the workshop
    once they are left out of it."""
    evaluation, regional, _national, _niger, mali, _morocco = world
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = f"/en/reports/surveys/{evaluation.pk}/"
    for query in (
        {"workshop": regional.pk, "country": "ML"},
        {"workshop": regional.pk, "organisation": mali.pk},
    ):
        page = client.get(url, query).content.decode()
        assert "Fewer than 5 responses" in page and "Mean" not in page
        csv = _csv(client.get(url, {**query, "format": "csv"}))
        assert "fewer than 5 responses" in csv and "Strongly" not in csv
    # The workshop's Nigeriens (5) would leave 3 Malians of the regional workshop... but the
    # selection leaves out far more than the floor (14): shown; a breakdown of the workshop by
    # country hides Mali and never lets it be subtracted out.
    page = client.get(url, {"workshop": regional.pk, "breakdown": "country"}).content.decode()
    broken = page.split("<h2>Breakdown</h2>")[1]
    assert "Niger" not in broken and "Mali" not in broken
    csv = _csv(client.get(url, {"workshop": regional.pk, "breakdown": "country", "format": "csv"}))
    assert "Mali" not in csv and "Niger" not in csv
    # One person's workshop filter within one country: nothing isolated by the combination.
    assert (
        SurveyResponse.objects.filter(workshop_link__workshop=regional, country="ML").count() == 3
    )


def test_the_workshop_filter_follows_the_managers_scope(client, world):
    evaluation, regional, national, _niger, mali, _morocco = world
    manager = ManagerFactory(organisation=mali)
    client.force_login(manager)
    url = f"/en/reports/surveys/{evaluation.pk}/"
    form = client.get(url).content.decode()
    assert "Workshop regional" in form and "Workshop national" not in form
    assert client.get(url, {"workshop": national.pk}).status_code == 404
    assert client.get(url, {"workshop": national.pk, "format": "csv"}).status_code == 404
    assert client.get(url, {"workshop": "not-a-number"}).status_code == 404
    # The regional workshop within their scope: Mali's three, below the floor.
    page = client.get(url, {"workshop": regional.pk}).content.decode()
    assert "3 responses in your scope" in page and "Fewer than 5 responses" in page


def test_the_results_query_count_does_not_grow_with_workshops_or_responses(client, world):
    evaluation, regional, *_ = world
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = f"/en/reports/surveys/{evaluation.pk}/?breakdown=workshop&workshop={regional.pk}"

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries()
    few = queries()
    more = make_workshop(slug="more", starts_on=PAST, evaluation_survey=evaluation)
    people = _people(OrganisationFactory(country="SN"), 6)
    add_participants(more, people)
    _answer(evaluation, people)
    _answer(evaluation, _people(OrganisationFactory(country="NE"), 4))
    assert queries() == few


def test_the_knowledge_gain_report_shows_the_evaluation_summary(client, world):
    evaluation, regional, national, _niger, mali, _morocco = world
    trainer = TrainerFactory()
    regional.facilitators.add(trainer)
    regional.save()
    client.force_login(trainer)
    page = client.get(f"/en/reports/workshops/{regional.slug}/").content.decode()
    section = page.split('id="evaluation-heading"')[1].split("</section>")[0]
    assert "8 responses from this workshop" in section
    assert "The training was relevant" in section
    assert "Strongly agree</span>: 8 (100%)" in section  # the distribution
    assert "<td>5</td>" in section  # mean and median
    assert "/reports/surveys/" not in section  # the full results are for managers
    # A manager of Mali sees the workshop's three Malians only: below the floor.
    client.force_login(ManagerFactory(organisation=mali))
    page = client.get(f"/en/reports/workshops/{regional.slug}/").content.decode()
    section = page.split('id="evaluation-heading"')[1].split("</section>")[0]
    assert "Not shown: fewer than 5 responses" in section and "Strongly agree" not in section
    assert f"/en/reports/surveys/{evaluation.pk}/?workshop={regional.pk}" in section
    # An administrator: the full results link, filtered to the workshop.
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get(f"/ar/reports/workshops/{national.slug}/").content.decode()
    assert f"/ar/reports/surveys/{evaluation.pk}/?workshop={national.pk}" in page


def test_a_workshop_without_enough_evaluations_shows_the_floor(surveys):
    _needs, evaluation = surveys
    from workshops.survey_links import evaluation_summary

    workshop = make_workshop(slug="small", starts_on=PAST, evaluation_survey=evaluation)
    people = _people(OrganisationFactory(country="NE"), 4)
    add_participants(workshop, people)
    _answer(evaluation, people)
    _answer(evaluation, _people(OrganisationFactory(country="MA"), 10))
    summary = evaluation_summary(workshop=workshop, scope=Scope(everything=True))
    assert summary.selected == 4 and not summary.visible and summary.scales == []
    people = _people(OrganisationFactory(country="NE"), 1)
    add_participants(workshop, people)
    _answer(evaluation, people, scale=1)
    summary = evaluation_summary(workshop=workshop, scope=Scope(everything=True))
    assert summary.visible and summary.scales[0].answered == 5
    assert str(summary.scales[0].mean) == "3.40"  # (4 × 4 + 1) / 5
    whole = survey_results(
        survey=evaluation,
        scope=Scope(everything=True),
        filters=ResultFilters(groups=(("workshop", workshop.pk),)),
    )
    assert whole.selected == 5


def test_the_admin_saves_the_workshops_surveys(client, surveys):
    needs, evaluation = surveys
    workshop = make_workshop(slug="edited")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(f"/admin/workshops/edit/{workshop.pk}/").content.decode()
    assert 'name="needs_survey"' in html and 'name="evaluation_survey"' in html
    from workshops.models import Workshop

    workshop.needs_survey = needs
    workshop.evaluation_survey = needs
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        workshop.full_clean()
    assert "evaluation_survey" in error.value.message_dict
    workshop.evaluation_survey = evaluation
    workshop.full_clean()
    workshop.save()
    assert Workshop.objects.get(pk=workshop.pk).evaluation_survey_id == evaluation.pk


def test_hostile_workshop_titles_render_inert_in_results_and_csv(client, world):
    evaluation, regional, *_ = world
    type(regional).objects.filter(pk=regional.pk).update(
        title_en="<script>alert(1)</script>", title="<script>alert(1)</script>"
    )
    type(regional).objects.filter(slug="national").update(title_en="=HYPERLINK(1)")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = f"/en/reports/surveys/{evaluation.pk}/"
    page = client.get(url, {"breakdown": "workshop"}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    csv = _csv(client.get(url, {"breakdown": "workshop", "format": "csv"}))
    assert "'=HYPERLINK(1)" in csv and ",=HYPERLINK" not in csv
