"""The CSVs: byte-order mark, neutralised cells, names only on named surveys, the floor."""

import pytest

from surveys import services
from tests.factories import LearnerFactory, ManagerFactory, OrganisationFactory

from .factories import answers_for

pytestmark = pytest.mark.django_db


def _csv(client, url, **query) -> str:
    response = client.get(url, query)
    assert response.status_code == 200
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    return raw.decode("utf-8-sig")


def _respond(survey, count, text='=HYPERLINK("http://evil")'):
    organisation = OrganisationFactory(country="NE")
    users = []
    for n in range(count):
        user = LearnerFactory(organisation=organisation, first_name="Amina", last_name=f"N{n}")
        services.response_submit(
            survey=survey, user=user, answers=answers_for(survey, text=text), language="fr"
        )
        users.append(user)
    return organisation, users


def test_free_text_csv_is_neutralised_and_anonymous(client, survey):
    _respond(survey, 5)
    client.force_login(ManagerFactory(is_superuser=True))
    text = _csv(client, f"/en/reports/surveys/{survey.pk}/", format="text-csv")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text
    assert "Amina" not in text and "Name" not in text.splitlines()[0]
    aggregate = _csv(client, f"/en/reports/surveys/{survey.pk}/", format="csv")
    assert "Mean" in aggregate and "Borda" in aggregate.splitlines()[0].replace(" count", "")


def test_named_survey_shows_names_within_scope_only(client, named_survey):
    organisation, _users = _respond(named_survey, 5, text="Plus de cas pratiques")
    _respond(named_survey, 5, text="Autre service")  # another organisation
    manager = ManagerFactory(organisation=organisation)
    client.force_login(manager)
    text = _csv(client, f"/en/reports/surveys/{named_survey.pk}/", format="text-csv")
    assert text.splitlines()[0].endswith("Name")
    assert text.count("Amina") == 5 and "Autre service" not in text
    page = client.get(f"/en/reports/surveys/{named_survey.pk}/").content.decode()
    assert "Amina N0" in page and "Autre service" not in page


def test_below_the_floor_the_csv_says_so_and_nothing_else(client, survey):
    _respond(survey, 4)
    client.force_login(ManagerFactory(is_superuser=True))
    text = _csv(client, f"/en/reports/surveys/{survey.pk}/", format="text-csv")
    assert "HYPERLINK" not in text and "fewer than 5 responses" in text
    aggregate = _csv(client, f"/en/reports/surveys/{survey.pk}/", format="csv")
    assert len(aggregate.strip().splitlines()) == 2
