"""The user CSV's optional `workshop` column, through the command and the admin upload: every
row valid or nothing written; an unknown workshop is a row error."""

import io

import pytest
from django.core.management import CommandError, call_command

from cms.models import User
from courses.models import Enrolment
from tests.courses.factories import make_course
from tests.factories import OrganisationFactory, UserFactory
from workshops.models import Participant, WorkshopCourse

from .factories import make_workshop

pytestmark = pytest.mark.django_db
HEADER = "username,email,first_name,last_name,organisation,country,role,language,workshop\n"


@pytest.fixture
def world(site):
    OrganisationFactory(name_en="Police", country="MA")
    workshop = make_workshop(slug="regional-2026")
    WorkshopCourse.objects.create(
        workshop=workshop, course=make_course(slug="prep"), due_days_after_end=7
    )
    return workshop


GOOD = [
    "nadia,n@example.invalid,Nadia,Benali,Police,MA,learner,fr,regional-2026",
    "hind,h@example.invalid,Hind,Amrani,Police,MA,learner,ar,",
]
BAD = "omar,o@example.invalid,Omar,Idrissi,Police,MA,learner,ar,no-such-workshop"


def run(tmp_path, text):
    path = tmp_path / "users.csv"
    path.write_bytes(text.encode("utf-8"))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_users", str(path), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue() + str(error)
    return out.getvalue(), err.getvalue()


def test_cli_adds_participants_and_assigns_the_courses(world, tmp_path):
    out, err = run(tmp_path, HEADER + "\n".join(GOOD) + "\n")
    assert "Created 2 users" in out, err
    nadia = User.objects.get(username="nadia")
    assert Participant.objects.filter(workshop=world, user=nadia).exists()
    assert not Participant.objects.filter(user__username="hind").exists()
    assert Enrolment.objects.get(user=nadia).due_date is not None


def test_cli_unknown_workshop_refuses_the_whole_file(world, tmp_path):
    _out, err = run(tmp_path, HEADER + "\n".join([*GOOD, BAD]) + "\n")
    assert "line 4" in err and "no-such-workshop" in err
    assert not User.objects.filter(username__in=["nadia", "hind", "omar"]).exists()
    assert not Participant.objects.exists()


def test_files_without_the_column_still_import(world, tmp_path):
    header = HEADER.replace(",workshop", "")
    out, _err = run(tmp_path, header + "sara,s@example.invalid,Sara,K,Police,MA,learner,en\n")
    assert "Created 1 users" in out


def _upload(client, text):
    file = io.BytesIO(text.encode())
    file.name = "users.csv"
    return client.post("/admin/users/import/", {"file": file})


def test_admin_upload_with_workshops(world, client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = _upload(client, HEADER + "\n".join([GOOD[0], BAD]) + "\n")
    assert response.status_code == 200
    assert "no-such-workshop" in response.content.decode()
    assert not User.objects.filter(username="nadia").exists()
    response = _upload(client, HEADER + GOOD[0] + "\n")
    assert "1 user was created." in response.content.decode()
    assert Participant.objects.filter(workshop=world, user__username="nadia").exists()
