import pytest
from django.contrib.auth.models import Group

from cms.models import Organisation
from tests.factories import (
    LearnerFactory,
    ManagerFactory,
    OrganisationFactory,
    TrainerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_role_groups_exist_from_the_migrations():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Learners", "Trainers", "Managers"}


def test_trainers_reach_the_admin_but_learners_and_managers_do_not(site, client):
    client.force_login(TrainerFactory())
    assert client.get("/admin/").status_code == 200
    for factory in (LearnerFactory, ManagerFactory):
        client.force_login(factory())
        response = client.get("/admin/")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_trainers_cannot_manage_users_or_organisations(site, client):
    client.force_login(TrainerFactory())
    assert client.get("/admin/users/").status_code == 302
    assert client.get("/admin/organisations/").status_code == 302


@pytest.fixture
def admin_client(site, client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def test_admin_creates_an_organisation_unit_with_translated_name(admin_client):
    parent = OrganisationFactory(name_en="Judicial Police", country="MA")
    response = admin_client.post(
        "/admin/organisations/new/",
        {
            "name_en": "Cyber Unit",
            "name_fr": "Unité cyber",
            "name_ar": "الوحدة السيبرانية",
            "country": "MA",
            "parent": parent.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Organisation.objects.get(name_en="Cyber Unit")
    assert unit.parent == parent
    assert unit.name_ar == "الوحدة السيبرانية"
    assert str(unit) == "Judicial Police › Cyber Unit"


def test_admin_user_form_edits_organisation_and_preferred_language(admin_client):
    user = LearnerFactory(username="officer")
    other = OrganisationFactory(name_en="Other Agency", country="MA")
    page = admin_client.get(f"/admin/users/edit/{user.pk}/").content.decode()
    assert 'name="organisation"' in page and 'name="preferred_language"' in page
    response = admin_client.post(
        f"/admin/users/edit/{user.pk}/",
        {
            "username": "officer",
            "email": "officer@example.invalid",
            "first_name": "A",
            "last_name": "B",
            "organisation": other.pk,
            "preferred_language": "ar",
            "is_active": "on",
            "groups": [Group.objects.get(name="Learners").pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert user.organisation == other
    assert user.preferred_language == "ar"


def test_admin_user_form_sets_the_names_certificates_print(admin_client):
    user = LearnerFactory(username="officer")
    page = admin_client.get(f"/admin/users/edit/{user.pk}/").content.decode()
    assert 'name="full_name_arabic"' in page and 'dir="rtl"' in page
    response = admin_client.post(
        f"/admin/users/edit/{user.pk}/",
        {
            "username": "officer",
            "email": "officer@example.invalid",
            "first_name": "Salma",
            "last_name": "Ben Ali",
            "full_name_arabic": "سلمى بن علي",
            "full_name_latin": "Salma Ben Ali",
            "organisation": user.organisation.pk,
            "preferred_language": "ar",
            "is_active": "on",
            "groups": [Group.objects.get(name="Learners").pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert (user.full_name_arabic, user.full_name_latin) == ("سلمى بن علي", "Salma Ben Ali")
