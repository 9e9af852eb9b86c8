"""The admin's user list: role and organisation shown, and filters by role, organisation (with
its units) and country."""

import re

import pytest

from tests.factories import (
    LearnerFactory,
    ManagerFactory,
    OrganisationFactory,
    TrainerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = "/admin/users/"


@pytest.fixture
def admin_client(site, client):
    client.force_login(
        UserFactory(username="root", is_superuser=True, is_staff=True, organisation=None)
    )
    return client


@pytest.fixture
def people(db):
    police = OrganisationFactory(name_en="Judicial Police", country="MA")
    cyber = OrganisationFactory(name_en="Cybercrime Unit", country="MA", parent=police)
    court = OrganisationFactory(name_en="Court of Niamey", country="NE")
    return {
        "amina": LearnerFactory(username="amina", organisation=cyber),
        "karim": TrainerFactory(username="karim", organisation=police),
        "nadia": ManagerFactory(username="nadia", organisation=court),
    }


def usernames(page: str) -> set[str]:
    return set(re.findall(r'<td class="username"[^>]*>\s*([^<\s]+)', page))


def row_of(page: str, username: str) -> str:
    rows = re.findall(r"<tr[^>]*>.*?</tr>", page, flags=re.S)
    (row,) = [row for row in rows if f">{username}<" in row or f"{username}\n" in row]
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


def test_the_list_shows_each_persons_role_and_organisation(admin_client, people):
    page = admin_client.get(URL).content.decode()
    headers = [
        " ".join(re.sub(r"<[^>]+>", " ", h).split())
        for h in re.findall(r"<th.*?</th>", page, flags=re.S)
    ]
    assert {"Role", "Organisation"} <= set(headers)
    assert "Learner Judicial Police › Cybercrime Unit" in row_of(page, "amina")
    assert "Trainer Judicial Police" in row_of(page, "karim")
    assert "Manager Court of Niamey" in row_of(page, "nadia")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"role": "trainer"}, {"karim"}),
        ({"role": "learner"}, {"amina"}),
        ({"country": "NE"}, {"nadia"}),
        ({"country": "MA", "role": "learner"}, {"amina"}),
    ],
)
def test_the_list_filters_by_role_and_country(admin_client, people, query, expected):
    assert usernames(admin_client.get(URL, query).content.decode()) == expected


def test_an_organisation_filter_includes_its_units(admin_client, people):
    police = people["karim"].organisation
    cyber = people["amina"].organisation
    page = admin_client.get(URL, {"organisation": police.pk}).content.decode()
    assert usernames(page) == {"amina", "karim"}
    page = admin_client.get(URL, {"organisation": cyber.pk}).content.decode()
    assert usernames(page) == {"amina"}


def test_the_list_costs_the_same_queries_for_more_people(
    admin_client, people, django_assert_max_num_queries
):
    admin_client.get(URL)
    with django_assert_max_num_queries(40) as few:
        admin_client.get(URL)
    for n in range(15):
        LearnerFactory(username=f"learner{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = admin_client.get(URL).content.decode()
    assert len(usernames(page)) == 19
