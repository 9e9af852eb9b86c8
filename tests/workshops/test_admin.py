"""The workshop admin: trainers edit the workshops they facilitate, administrators all."""

import pytest

from tests.factories import LearnerFactory, OrganisationFactory, TrainerFactory, UserFactory
from workshops.models import Participant, Workshop

from .factories import make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site):
    mine = make_workshop(slug="mine-ws")
    theirs = make_workshop(slug="theirs-ws")
    trainer = TrainerFactory(username="trainer1")
    other = TrainerFactory(username="trainer2")
    mine.facilitators.add(trainer)
    mine.save()
    theirs.facilitators.add(other)
    theirs.save()
    return mine, theirs, trainer


def test_a_facilitator_lists_and_edits_only_their_workshops(client, world):
    mine, theirs, trainer = world
    client.force_login(trainer)
    listing = client.get("/admin/workshops/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Workshop mine-ws" in html and "Workshop theirs-ws" not in html
    assert client.get(f"/admin/workshops/edit/{mine.pk}/").status_code == 200
    assert client.get(f"/admin/workshops/edit/{theirs.pk}/", follow=True).status_code == 404
    assert client.get(f"/admin/workshops/delete/{theirs.pk}/", follow=True).status_code == 404
    assert client.get(f"/admin/workshops/history/{theirs.pk}/", follow=True).status_code == 404
    assert client.get(f"/admin/workshops/{theirs.pk}/participants/", follow=True).status_code == 404
    assert client.get(f"/admin/workshops/{mine.pk}/participants/").status_code == 200


def test_search_and_filter(client, world):
    mine, _theirs, _trainer = world
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get("/admin/workshops/", {"q": "theirs"}).content.decode()
    assert "Workshop theirs-ws" in html and "Workshop mine-ws" not in html
    Workshop.objects.filter(pk=mine.pk).update(venue_country="SN")
    html = client.get("/admin/workshops/", {"venue_country": "SN"}).content.decode()
    assert "Workshop mine-ws" in html and "Workshop theirs-ws" not in html


def test_learners_cannot_reach_the_admin(client, world):
    mine, _theirs, _trainer = world
    client.force_login(LearnerFactory())
    assert client.get("/admin/workshops/").status_code in (302, 403)
    assert client.get(f"/admin/workshops/{mine.pk}/participants/").status_code in (302, 403)


def test_participants_one_by_one_and_by_organisation(client, world):
    mine, _theirs, trainer = world
    client.force_login(trainer)
    person = LearnerFactory(username="amina")
    url = f"/admin/workshops/{mine.pk}/participants/"
    response = client.post(url, {"action": "person", "person-username": "AMINA"})
    assert response.status_code == 302
    assert Participant.objects.filter(workshop=mine, user=person).exists()
    response = client.post(url, {"action": "person", "person-username": "nobody"})
    assert response.status_code == 200 and "No active account" in response.content.decode()
    agency = OrganisationFactory()
    members = LearnerFactory.create_batch(3, organisation=agency)
    client.post(
        url,
        {"action": "organisation", "organisation-organisation": agency.pk,
         "organisation-with_units": "on"},
    )  # fmt: skip
    assert set(mine.participants.values_list("user_id", flat=True)) >= {m.pk for m in members}
    client.post(url, {"action": "remove", "user": person.pk})
    assert not Participant.objects.filter(workshop=mine, user=person).exists()


def test_a_trainer_who_creates_a_workshop_facilitates_it(client, world):
    _mine, _theirs, trainer = world
    client.force_login(trainer)
    response = client.get("/admin/workshops/new/")
    assert response.status_code == 200
    form = response.context["form"]
    data = {}
    for name, _field in form.fields.items():
        value = form[name].value()
        if value is not None:
            data[name] = value
    for prefix in ("sessions", "courses", "documents"):
        for key, value in (("TOTAL", "0"), ("INITIAL", "0"), ("MIN_NUM", "0"), ("MAX_NUM", "9")):
            data[f"{prefix}-{key}_FORMS"] = value
    data.update(
        title_en="New one", slug="new-one", starts_at="2026-05-04 08:00",
        ends_at="2026-05-05 17:00", time_zone="Africa/Niamey", mode="online",
        attendance_threshold="75",
    )  # fmt: skip
    data.pop("facilitators", None)
    response = client.post("/admin/workshops/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    created = Workshop.objects.get(slug="new-one")
    assert list(created.facilitators.all()) == [trainer]
