"""The survey page without JavaScript, and the results pages under scope and the floor."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys import services
from surveys.models import SurveyResponse
from tests.factories import LearnerFactory, ManagerFactory, OrganisationFactory

from .factories import answers_for

pytestmark = pytest.mark.django_db


def _post_data(survey, **overrides):
    data = {}
    for q in survey.questions.all():
        if q.kind == "scale":
            data[f"q{q.pk}"] = "4"
        elif q.kind == "single":
            data[f"q{q.pk}"] = "1"
        elif q.kind == "multiple":
            data[f"q{q.pk}"] = ["0", "2"]
        elif q.kind == "ranking":
            for i, rank in enumerate(["2", "1", "3"]):
                data[f"q{q.pk}-{i}"] = rank
        else:
            data[f"q{q.pk}"] = "<script>alert(1)</script> more cases"
    data.update(overrides)
    return data


def test_answering_and_changing_without_javascript(client, survey, learner):
    client.force_login(learner)
    page = client.get(survey.url)
    assert page.status_code == 200
    assert b'type="radio"' in page.content and b"<select" in page.content
    response = client.post(survey.url, _post_data(survey))
    assert response.status_code == 302
    again = client.get(survey.url)
    assert "You have responded to this survey." in again.content.decode()
    # The form shows the person's answers, to change them.
    assert (
        b'value="4" checked' in again.content
        or b'checked value="4"' in again.content
        or b"checked" in again.content
    )
    client.post(survey.url, _post_data(survey))
    assert SurveyResponse.objects.count() == 1


def test_required_questions_and_ranking_are_checked(client, survey, learner):
    client.force_login(learner)
    scale = survey.questions.get(kind="scale")
    ranking = survey.questions.get(kind="ranking")
    data = _post_data(survey)
    del data[f"q{scale.pk}"]
    data[f"q{ranking.pk}-1"] = "2"  # two items in second place
    response = client.post(survey.url, data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "This field is required." in text
    assert "Give each item a different position" in text
    assert not SurveyResponse.objects.exists()


def test_free_text_is_escaped_in_results(client, survey, site):
    manager = ManagerFactory(is_superuser=True)
    for _ in range(5):
        user = LearnerFactory()
        services.response_submit(
            survey=survey,
            user=user,
            answers=answers_for(survey, text="<script>alert(1)</script>"),
            language="ar",
        )
    client.force_login(manager)
    page = client.get(f"/en/reports/surveys/{survey.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert 'lang="ar" dir="auto"' in text


def test_learners_get_403_visitors_sign_in(client, survey, learner):
    assert client.get(f"/en/reports/surveys/{survey.pk}/").status_code == 302
    client.force_login(learner)
    assert client.get(f"/en/reports/surveys/{survey.pk}/").status_code == 403
    assert client.get("/en/reports/surveys/").status_code == 403


def _respond(survey, organisation, count, language="en", **answers):
    for _ in range(count):
        user = LearnerFactory(organisation=organisation)
        services.response_submit(
            survey=survey, user=user, answers=answers_for(survey, **answers), language=language
        )


def test_the_floor_hides_small_selections_and_groups(client, survey):
    niger = OrganisationFactory(country="NE")
    morocco = OrganisationFactory(country="MA")
    tunisia = OrganisationFactory(country="TN")
    _respond(survey, niger, 8)
    _respond(survey, morocco, 6)
    _respond(survey, tunisia, 1, language="ar", scale=1)
    client.force_login(ManagerFactory(is_superuser=True))
    url = f"/en/reports/surveys/{survey.pk}/"
    whole = client.get(url).content.decode()
    assert "Mean" in whole
    # One person isolated by a filter: not shown, in the page nor in the CSV.
    one = client.get(url, {"country": "TN"}).content.decode()
    assert "Fewer than 5 responses" in one and "Mean" not in one
    csv = b"".join(client.get(url, {"country": "TN", "format": "csv"}).streaming_content)
    assert "fewer than 5 responses" in csv.decode("utf-8-sig") and "Strongly" not in csv.decode(
        "utf-8-sig"
    )
    # Two filters that together isolate one person: the same.
    two = client.get(url, {"country": "TN", "organisation": tunisia.pk}).content.decode()
    assert "Fewer than 5 responses" in two
    # Filtering out the one person: the unfiltered page minus this one would single them out.
    rest = client.get(url, {"language": "en"}).content.decode()
    assert "would leave out fewer than 5" in rest
    # A breakdown never shows the group of one, nor lets it be subtracted out.
    broken = (
        client.get(url, {"breakdown": "country"}).content.decode().split("<h2>Breakdown</h2>")[1]
    )
    assert "Niger" in broken
    assert "Tunisia" not in broken
    assert "Morocco" not in broken
    assert "Other groups, fewer than 5 responses each" in broken
    csv = b"".join(client.get(url, {"breakdown": "country", "format": "csv"}).streaming_content)
    assert "Tunisia" not in csv.decode("utf-8-sig")


def test_results_follow_the_managers_scope(client, survey):
    own = OrganisationFactory(country="NE")
    other = OrganisationFactory(country="MA")
    _respond(survey, own, 5)
    _respond(survey, other, 7)
    manager = ManagerFactory(organisation=own)
    client.force_login(manager)
    page = client.get(f"/en/reports/surveys/{survey.pk}/").content.decode()
    assert "5 responses in your scope" in page
    assert (
        client.get(f"/en/reports/surveys/{survey.pk}/", {"organisation": other.pk}).status_code
        == 404
    )
    assert client.get("/en/reports/surveys/999999/").status_code == 404


def test_query_count_does_not_grow_with_responses(client, survey):
    organisation = OrganisationFactory(country="NE")
    client.force_login(ManagerFactory(is_superuser=True))
    url = f"/en/reports/surveys/{survey.pk}/?breakdown=country"

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    _respond(survey, organisation, 6)
    queries()  # the header's addresses are found once per worker and content generation
    few = queries()
    _respond(survey, OrganisationFactory(country="MA"), 9)
    assert queries() == few


def test_the_reports_navigation_lists_the_surveys(client, survey):
    client.force_login(ManagerFactory(organisation=OrganisationFactory(country="NE")))
    overview = client.get("/fr/reports/").content.decode()
    assert 'href="/fr/reports/surveys/"' in overview
    results = client.get(f"/fr/reports/surveys/{survey.pk}/").content.decode()
    assert '<a href="/fr/reports/surveys/" aria-current="page">' in results
