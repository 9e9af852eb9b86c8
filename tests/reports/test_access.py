"""Who reaches the reports, and whose learners they see there (pages and CSV alike)."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import LearnerFactory


def _urls(world):
    with translation.override("en"):
        return [
            reverse("reports:by_course"),
            reverse("reports:by_organisation"),
            reverse("reports:by_country"),
            reverse("reports:by_language"),
            reverse("reports:course", args=[world.course.pk]),
            reverse("reports:learner", args=[world.alice.pk]),
            reverse("reports:assignments"),
            reverse("reports:overdue"),
        ]


def _csv(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.mark.parametrize("role", ["learner", "trainer"])
def test_learners_and_trainers_get_403_on_every_report_url_and_export(client, world, trainer, role):
    client.force_login(world.alice if role == "learner" else trainer)
    for url in _urls(world):
        assert client.get(url).status_code == 403, url
        assert client.get(url + "?format=csv").status_code == 403, url
    assert client.post(reverse("reports:assignments"), {}).status_code == 403


def test_visitors_are_sent_to_sign_in(client, world):
    response = client.get(_urls(world)[0])
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]


def test_manager_and_superuser_open_every_report_page(client, world, superuser):
    for user in (world.manager, superuser):
        client.force_login(user)
        for url in _urls(world):
            assert client.get(url).status_code == 200, url


def test_manager_of_a_never_sees_b_learners_in_pages_or_csv(manager_client, world):
    for url in _urls(world):
        page = manager_client.get(url).content.decode()
        csv = _csv(manager_client.get(url + "?format=csv"))
        for text in (page, csv):
            assert "Bensalem" not in text, url
            assert "Agency B" not in text, url


def test_matrix_lists_own_organisation_and_its_units(manager_client, world):
    content = manager_client.get(reverse("reports:course", args=[world.course.pk])).content
    assert b"Amrani" in content and b"Chraibi" in content and b"Bensalem" not in content


def test_a_learner_outside_the_scope_is_404_in_page_and_csv(manager_client, world):
    url = reverse("reports:learner", args=[world.bob.pk])
    assert manager_client.get(url).status_code == 404
    assert manager_client.get(url + "?format=csv").status_code == 404


@pytest.mark.parametrize(
    "query",
    ["organisation={b}", "country=TN", "organisation=999999", "organisation=x", "course=999999"],
)
def test_filtering_by_what_lies_outside_the_scope_is_404(manager_client, world, query):
    query = query.format(b=world.agency_b.pk)
    for url in _urls(world)[:5]:
        if url.startswith(reverse("reports:course", args=[world.course.pk])) and "course" in query:
            continue
        assert manager_client.get(f"{url}?{query}").status_code == 404, url
        assert manager_client.get(f"{url}?{query}&format=csv").status_code == 404, url


def test_a_country_scope_shows_that_country_and_not_the_own_organisation(
    client, world, country_manager
):
    client.force_login(country_manager)
    content = client.get(reverse("reports:course", args=[world.course.pk])).content
    assert b"Bensalem" in content and b"Amrani" not in content
    assert client.get(reverse("reports:learner", args=[world.alice.pk])).status_code == 404
    assert client.get(reverse("reports:learner", args=[world.bob.pk])).status_code == 200


def test_a_manager_without_organisation_or_scope_sees_nobody(client, world):
    from tests.factories import ManagerFactory

    client.force_login(ManagerFactory(username="lonely", organisation=None))
    response = client.get(reverse("reports:by_course"))
    assert response.status_code == 200 and response.context["rows"] == []


def test_a_learner_of_b_in_the_filter_of_a_unit_does_not_leak(manager_client, world):
    LearnerFactory(username="bunit", last_name="Zeroual", organisation=world.agency_b)
    response = manager_client.get(reverse("reports:by_course") + f"?organisation={world.unit_a.pk}")
    assert [r.enrolled for r in response.context["rows"]] == [1]


def test_manager_scope_admin_form_offers_only_managers(world):
    from reports.admin import ManagerScopeForm, manager_scope_viewset

    form = ManagerScopeForm()
    assert list(form.fields["manager"].queryset) == [world.manager]
    assert manager_scope_viewset.model._meta.model_name == "managerscope"
