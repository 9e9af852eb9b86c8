"""Who sees which workshop page: participants their own, facilitators theirs, administrators all;
learners get 403 on a facilitator's page and 404 for a workshop that is not theirs."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import LearnerFactory, TrainerFactory, UserFactory
from workshops.models import Attendance

from .factories import add_participants, make_workshop

pytestmark = pytest.mark.django_db


def url(name, *args, language="en"):
    with translation.override(language):
        return reverse(f"workshops:{name}", args=args)


@pytest.fixture
def world(site):
    mine = make_workshop(slug="mine")
    theirs = make_workshop(slug="theirs")
    facilitator = TrainerFactory(username="fac")
    other_facilitator = TrainerFactory(username="fac2")
    mine.facilitators.add(facilitator)
    theirs.facilitators.add(other_facilitator)
    mine.save()  # a ParentalManyToManyField is written with its model
    theirs.save()
    participant = LearnerFactory(username="p1", first_name="Amina", last_name="Diallo")
    add_participants(mine, [participant])
    return mine, theirs, facilitator, participant


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_participant_sees_their_workshop(client, world, language):
    mine, _theirs, _f, participant = world
    client.force_login(participant)
    listing = client.get(url("list", language=language))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert mine.title_en in html or mine.title_fr in html or mine.title_ar in html
    assert "theirs" not in html
    detail = client.get(url("detail", "mine", language=language))
    assert detail.status_code == 200
    topic = {"en": "Topic 0.0", "fr": "Sujet 0.0", "ar": "موضوع 0.0"}[language]
    assert topic in detail.content.decode()
    assert client.get(url("detail", "theirs", language=language)).status_code == 404


def test_pages_need_sign_in(client, world):
    response = client.get(url("detail", "mine"))
    assert response.status_code == 302


def test_learners_get_403_on_attendance(client, world):
    _mine, _theirs, _f, participant = world
    client.force_login(participant)
    assert client.get(url("attendance", "mine")).status_code == 403
    assert client.get(url("attendance", "theirs")).status_code == 403
    assert client.post(url("attendance", "mine"), {"present": ["1"]}).status_code == 403
    assert client.get(url("attendance_import", "mine")).status_code == 403


def test_a_facilitator_sees_only_their_workshops(client, world):
    _mine, _theirs, facilitator, _p = world
    client.force_login(facilitator)
    assert client.get(url("attendance", "mine")).status_code == 200
    assert client.get(url("attendance", "theirs")).status_code == 404
    assert client.get(url("detail", "mine")).status_code == 200
    assert client.get(url("detail", "theirs")).status_code == 404
    listing = client.get(url("list")).content.decode()
    assert url("attendance", "mine") in listing
    assert url("attendance", "theirs") not in listing
    # Their own workshop's knowledge-gain report is one link away.
    assert 'href="/en/reports/workshops/mine/"' in listing
    assert client.get("/en/reports/workshops/mine/").status_code == 200


def test_an_administrator_sees_every_workshop(client, world):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(url("attendance", "theirs")).status_code == 200
    assert client.get(url("detail", "theirs")).status_code == 200


def test_attendance_is_saved_without_javascript(client, world):
    mine, _theirs, facilitator, participant = world
    other = LearnerFactory(username="p2")
    p2 = add_participants(mine, [other])[0]
    p1 = mine.participants.get(user=participant)
    client.force_login(facilitator)
    page = client.get(url("attendance", "mine") + "?session=2")
    html = page.content.decode()
    assert 'aria-current="page"' in html and "Amina Diallo" in html
    response = client.post(
        url("attendance", "mine"), {"session": "2", "present": [str(p1.pk)], "next": "1"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?session=3")
    session = list(mine.sessions.all())[1]
    assert dict(
        Attendance.objects.filter(session=session).values_list("participant_id", "attended")
    ) == {p1.pk: True, p2.pk: False}
    assert client.get(url("attendance", "mine") + "?session=99").status_code == 404


def test_attendance_csv_upload_reports_every_bad_row(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _mine, _theirs, facilitator, _participant = world
    client.force_login(facilitator)
    bad = SimpleUploadedFile("a.csv", b"username,session,attended\np1,1,1\nnobody,1,1\n")
    response = client.post(url("attendance_import", "mine"), {"file": bad})
    assert response.status_code == 400
    assert "nobody" in response.content.decode()
    assert not Attendance.objects.exists()
    good = SimpleUploadedFile("a.csv", "username,session,attended\np1,1,نعم\n".encode())
    response = client.post(url("attendance_import", "mine"), {"file": good})
    assert response.status_code == 302
    assert Attendance.objects.get().attended is True


def test_scores_side_by_side(client, world):
    from tests.quizzes.factories import make_quiz

    from .factories import submitted_attempt

    mine, _theirs, _f, participant = world
    mine.pre_test = make_quiz(slug="pre", required=False)
    mine.post_test = make_quiz(slug="post", required=False)
    mine.save()
    submitted_attempt(user=participant, quiz=mine.pre_test, score="42.5")
    submitted_attempt(user=participant, quiz=mine.pre_test, number=2, score="90")
    client.force_login(participant)
    html = client.get(url("detail", "mine")).content.decode()
    assert "42.5 %" in html
    assert "90.0 %" not in html


def test_times_are_shown_in_the_workshops_time_zone(client, world):
    from tests.quizzes.factories import make_quiz

    mine, _theirs, _f, participant = world
    mine.pre_test = make_quiz(slug="pre", required=False)
    mine.time_zone = "Africa/Casablanca"  # UTC+1 as Niamey, but the name must show
    mine.save()
    client.force_login(participant)
    html = client.get(url("detail", "mine")).content.decode()
    # The first session starts at 09:00 local (08:00 UTC): the page says 09:00, not 08:00.
    assert "09:00" in html and "08:00" not in html
    assert "Africa/Casablanca" in html


def test_the_header_links_every_reader_to_workshops_at_no_query(client, world, site):
    _mine, _theirs, facilitator, participant = world
    link = f'href="{url("list")}"'
    for user in (participant, facilitator, LearnerFactory()):
        client.force_login(user)
        assert link in client.get("/en/search/").content.decode(), user.username
    # Someone who takes part in none is told so.
    assert "You do not take part in any workshop yet." in client.get(url("list")).content.decode()
    client.logout()
    assert link not in client.get("/en/").content.decode()


def _queries(client, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_page_queries_do_not_grow_with_sessions_or_participants(client, site):
    from tests.factories import TrainerFactory as Trainer

    small = make_workshop(slug="small", days=1, sessions_per_day=2)
    large = make_workshop(slug="large", days=3, sessions_per_day=2)
    facilitator = Trainer()
    reader = LearnerFactory()
    for workshop, count in ((small, 2), (large, 12)):
        workshop.facilitators.add(facilitator)
        workshop.save()
        participants = add_participants(workshop, [reader, *LearnerFactory.create_batch(count)])
        for session in workshop.sessions.all():
            Attendance.objects.bulk_create(
                Attendance(session=session, participant=p, attended=True) for p in participants
            )
    client.force_login(reader)
    _queries(client, url("detail", "small"))  # warm the site's root paths
    assert _queries(client, url("detail", "small")) == _queries(client, url("detail", "large"))
    client.force_login(facilitator)
    _queries(client, url("attendance", "small"))
    assert _queries(client, url("attendance", "small")) == _queries(
        client, url("attendance", "large")
    )
