import io
import re
import time
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from cms.models import Organisation, User
from cms.user_import import UserImportError, set_password_path, users_parse
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
HEADER = "username,email,first_name,last_name,organisation,country,role,language\n"


def csv_of(*rows, bom=False):
    return ("\ufeff" if bom else "") + HEADER + "".join(r + "\n" for r in rows)


def run(tmp_path, text):
    path = tmp_path / "users.csv"
    path.write_bytes(text.encode("utf-8"))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_users", str(path), stdout=out, stderr=err)
    return path, out.getvalue()


def test_five_hundred_users_in_one_go_with_links(site, tmp_path):
    rows = [
        f"officer{i},officer{i}@example.invalid,Prénom{i},عبد الله {i},Agency {i % 7},"
        f"{'NE' if i % 2 else 'MA'},{('learner', 'trainer', 'manager')[i % 3]},"
        f"{('en', 'fr', 'ar')[i % 3]}"
        for i in range(500)
    ]
    start = time.perf_counter()
    _path, output = run(tmp_path, csv_of(*rows, bom=True))
    elapsed = time.perf_counter() - start
    print(f"500 users imported in {elapsed:.2f}s")
    assert User.objects.filter(username__startswith="officer").count() == 500
    officer = User.objects.get(username="officer7")
    assert officer.last_name == "عبد الله 7" and officer.first_name == "Prénom7"
    assert not officer.has_usable_password()
    assert officer.groups.filter(name="Trainers").exists() and officer.preferred_language == "fr"
    assert Organisation.objects.filter(name_en__startswith="Agency").count() == 14
    links = (tmp_path / "users.links.csv").read_text(encoding="utf-8")
    assert links.startswith("\ufeffusername,set_password_link,expires_utc")
    assert len(links.strip().splitlines()) == 501
    assert "Created 500 users" in output


def test_bad_rows_are_reported_together_and_nothing_is_written(site, tmp_path):
    UserFactory(username="taken")
    text = csv_of(
        "good,good@example.invalid,A,B,Agency,NE,learner,en",
        "taken,x@example.invalid,A,B,Agency,NE,learner,en",
        "bad-email,not-an-email,A,B,Agency,NE,learner,en",
        "badrole,r@example.invalid,A,B,Agency,NE,admin,en",
        "badlang,l@example.invalid,A,B,Agency,NE,learner,de",
        "badcountry,c@example.invalid,A,B,Agency,XX,learner,en",
        "good,dup@example.invalid,A,B,Agency,NE,learner,en",
    )
    path = tmp_path / "users.csv"
    path.write_text(text, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="6 bad row"):
        call_command("import_users", str(path), stderr=err, stdout=io.StringIO())
    report = err.getvalue()
    assert "line 3: username 'taken' is already taken" in report
    assert "line 4: invalid email 'not-an-email'" in report
    assert "line 5: unknown role 'admin'" in report
    assert "line 6: unknown language 'de'" in report
    assert "line 7: unknown country code 'XX'" in report
    assert "line 8: username 'good' already appears on line 2" in report
    assert not User.objects.filter(username="good").exists()
    assert not Organisation.objects.filter(name_en="Agency").exists()


def test_wrong_header_is_refused():
    with pytest.raises(UserImportError, match="line 1: expected the columns"):
        users_parse("user,mail\nx,y\n")


def test_existing_organisation_is_reused_by_english_name(site):
    OrganisationFactory(name_en="Judicial Police", country="MA")
    from cms.user_import import users_import

    users_import(
        text=csv_of("amal,amal@example.invalid,Amal,Demo,judicial police,MA,learner,ar"),
        base_url="https://tadrib.example.org/",
    )
    assert Organisation.objects.filter(name_en__iexact="judicial police").count() == 1


def test_set_password_link_is_single_use(site, client):
    from cms.user_import import users_import

    (link,) = users_import(
        text=csv_of("amal,amal@example.invalid,Amal,Demo,Police,MA,learner,ar"),
        base_url="https://tadrib.example.org/",
    )
    path = re.sub(r"^https://tadrib.example.org", "", link.url)
    assert path.startswith("/ar/account/set-password/")
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    assert "كلمة" in response.content.decode()
    response = client.post(
        form_url,
        {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"},
    )
    assert response.status_code == 302
    assert User.objects.get(username="amal").check_password("a-long-new-passphrase")
    again = client.get(path, follow=True)
    assert 'name="new_password1"' not in again.content.decode()


def test_set_password_link_expires(site, client):
    user = UserFactory(username="late", preferred_language="en")
    user.set_unusable_password()
    user.save()
    path = set_password_path(user)
    with override_settings(PASSWORD_RESET_TIMEOUT=60):
        from unittest import mock

        later = timezone.now().replace(tzinfo=None) + timedelta(minutes=5)
        with mock.patch("cms.user_import.SetPasswordTokenGenerator._now", return_value=later):
            response = client.get(path, follow=True)
    assert "expired or has already been used" in response.content.decode()


def test_admin_uploads_csv_and_downloads_links(site, client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    upload = io.BytesIO(
        csv_of("nadia,n@example.invalid,Nadia,Demo,Police,MA,manager,fr", bom=True).encode()
    )
    upload.name = "users.csv"
    response = client.post("/admin/users/import/", {"file": upload})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"/fr/account/set-password/" in response.content
    assert User.objects.get(username="nadia").groups.filter(name="Managers").exists()


def test_admin_upload_lists_every_bad_row(site, client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    upload = io.BytesIO(
        csv_of("x,bad,A,B,P,MA,learner,en", "y,y@example.invalid,A,B,P,ZZ,learner,en").encode()
    )
    upload.name = "users.csv"
    body = client.post("/admin/users/import/", {"file": upload}).content.decode()
    assert "line 2: invalid email" in body and "line 3: unknown country code" in body
    assert not User.objects.filter(username__in=["x", "y"]).exists()


def test_only_administrators_may_import_users(site, client):
    from tests.factories import TrainerFactory

    client.force_login(TrainerFactory())
    assert client.get("/admin/users/import/").status_code in (302, 403)
