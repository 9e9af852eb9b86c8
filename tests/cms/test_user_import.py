"""Users by CSV, through the command and the admin upload (docs/user-csv.md)."""

import io
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from cms import user_import
from cms.models import Organisation, User
from cms.services import user_set_preferred_language
from cms.user_import import Column, UserImportError, set_password_path, users_import, users_parse
from security.models import AuditEntry
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
HEADER = "username,email,first_name,last_name,organisation,country,role,language\n"
BASE = "https://tadrib.example.org/"


def csv_of(*rows, bom=False, header=HEADER):
    return ("\ufeff" if bom else "") + header + "".join(r + "\n" for r in rows)


def run(tmp_path, text, *args):
    path = tmp_path / "users.csv"
    path.write_bytes(text.encode("utf-8"))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_users", str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue() + str(error)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def police(db):
    return OrganisationFactory(name_en="Police", country="MA")


@pytest.fixture
def evidence_unit(db):
    return OrganisationFactory(name_en="Digital Evidence Unit", country="NE")


@pytest.fixture
def admin_client(site, client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def upload(client, text, **data):
    file = io.BytesIO(text.encode())
    file.name = "users.csv"
    return client.post("/admin/users/import/", {"file": file, **data})


def test_five_hundred_users_in_one_go_with_links(site, tmp_path):
    for n in range(7):
        for country in ("NE", "MA"):
            OrganisationFactory(name_en=f"Agency {n}", country=country)
    rows = [
        f"officer{i},officer{i}@example.invalid,Prénom{i},عبد الله {i},Agency {i % 7},"
        f"{'NE' if i % 2 else 'MA'},{('learner', 'trainer', 'manager')[i % 3]},"
        f"{('en', 'fr', 'ar')[i % 3]}"
        for i in range(500)
    ]
    output, _err = run(tmp_path, csv_of(*rows, bom=True))
    assert User.objects.filter(username__startswith="officer").count() == 500
    officer = User.objects.get(username="officer7")
    assert officer.last_name == "عبد الله 7" and officer.first_name == "Prénom7"
    assert not officer.has_usable_password()
    assert officer.groups.filter(name="Trainers").exists() and officer.preferred_language == "fr"
    assert officer.organisation.name_en == "Agency 0" and officer.organisation.country == "NE"
    assert Organisation.objects.count() == 14
    links = (tmp_path / "users.links.csv").read_text(encoding="utf-8")
    assert links.startswith("\ufeffusername,set_password_link,expires_utc")
    assert len(links.strip().splitlines()) == 501
    assert "Created 500 users" in output and "Created the organisation" not in output


def test_a_misspelt_organisation_is_a_row_error_naming_the_closest(site, tmp_path, evidence_unit):
    OrganisationFactory(name_en="Digital Forensics Lab", country="NE")
    _out, report = run(
        tmp_path,
        csv_of("amina,a@example.invalid,Amina,Haddad,Digital Evidence Unitt,NE,learner,ar"),
    )
    assert (
        "line 2: no organisation “Digital Evidence Unitt” in NE; the closest are: "
        "Digital Evidence Unit (NE)" in report
    )
    assert "refused, 1 bad row" in report
    assert not Organisation.objects.filter(name_en="Digital Evidence Unitt").exists()
    assert not User.objects.filter(username="amina").exists()


def test_an_organisation_known_only_in_another_country_is_suggested_there(site, tmp_path, police):
    _out, report = run(tmp_path, csv_of("k,k@example.invalid,K,L,Police,NE,learner,en"))
    assert "no organisation “Police” in NE; the closest are: Police (MA)" in report


def test_an_organisation_like_no_other_is_reported_as_such(site, tmp_path, police):
    _out, report = run(tmp_path, csv_of("k,k@example.invalid,K,L,Customs,MA,learner,en"))
    assert "no organisation “Customs” in MA, nor any with a similar name" in report


def test_creating_organisations_is_explicit_and_each_one_is_listed(site, tmp_path, evidence_unit):
    output, _err = run(
        tmp_path,
        csv_of(
            "amina,a@example.invalid,Amina,Haddad,Digital Evidence Unitt,NE,learner,ar",
            "omar,o@example.invalid,Omar,Sy,Cyber Brigade,SN,learner,fr",
            "salma,s@example.invalid,Salma,B,cyber brigade,SN,learner,fr",
            "karim,k@example.invalid,Karim,T,digital evidence unit,NE,learner,fr",
        ),
        "--create-organisations",
    )
    assert "Created the organisation Digital Evidence Unitt (NE)" in output
    assert "Created the organisation Cyber Brigade (SN)" in output
    assert output.count("Created the organisation") == 2
    assert User.objects.get(username="karim").organisation == evidence_unit
    created = Organisation.objects.get(name_en="Cyber Brigade")
    assert created.parent is None
    assert set(created.members.values_list("username", flat=True)) == {"omar", "salma"}
    entry = AuditEntry.objects.get(action="users_imported")
    assert entry.data == {
        "count": 4,
        "organisations": ["Digital Evidence Unitt (NE)", "Cyber Brigade (SN)"],
    }


def test_bad_rows_are_reported_together_and_nothing_is_written(site, tmp_path):
    OrganisationFactory(name_en="Agency", country="NE")
    UserFactory(username="Taken")
    text = csv_of(
        "good,good@example.invalid,A,B,Agency,NE,learner,en",
        "taken,x@example.invalid,A,B,Agency,NE,learner,en",
        "bad-email,not-an-email,A,B,Agency,NE,learner,en",
        "badrole,r@example.invalid,A,B,Agency,NE,admin,en",
        "badlang,l@example.invalid,A,B,Agency,NE,learner,de",
        "badcountry,c@example.invalid,A,B,Agency,XX,learner,en",
        "good,dup@example.invalid,A,B,Agency,NE,learner,en",
        "noname,n@example.invalid,,,Agency,NE,learner,en",
        "two,t@example.invalid,A,B,,NE,trainer,xx",
        "short,s@example.invalid,A",
    )
    _out, report = run(tmp_path, text)
    assert "refused, 9 bad row(s)" in report
    lines = [line for line in report.splitlines() if line.startswith("line ")]
    assert lines == [
        "line 3: user name “taken” is already taken",
        "line 4: invalid e-mail address “not-an-email”",
        "line 5: unknown role “admin” (learner, trainer, manager)",
        "line 6: unknown language “de” (en, fr, ar)",
        "line 7: unknown country code “XX” (ISO 3166 alpha-2, such as NE or MA)",
        "line 8: user name “good” already appears on line 2",
        "line 9: a first or last name is required",
        "line 10: the organisation is missing; unknown language “xx” (en, fr, ar)",
        "line 11: expected 8 cells",
    ]
    assert not User.objects.filter(username="good").exists()


def test_columns_may_come_in_any_order(site, police):
    header = "email,username,role,language,country,organisation,last_name,first_name\n"
    (row,) = users_parse(
        csv_of("a@example.invalid,amal,learner,ar,MA,Police,Demo,Amal", header=header)
    ).rows
    assert (row.username, row.organisation, row.role, row.first_name) == (
        "amal",
        "Police",
        "learner",
        "Amal",
    )


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("user,mail\n", "missing columns: username, email"),
        (HEADER.strip() + ",nickname\n", "unknown columns: nickname"),
        (HEADER.strip() + ",email\n", "repeated columns: email"),
    ],
)
def test_a_wrong_header_is_refused_naming_the_columns(header, message):
    with pytest.raises(UserImportError) as error:
        users_parse(header + "x\n")
    (problem,) = error.value.problems
    assert problem.startswith("line 1: ") and message in problem
    assert "expected the columns username,email,first_name" in problem


def test_an_empty_file_is_refused():
    with pytest.raises(UserImportError, match="the file has no user rows"):
        users_parse(HEADER)


def test_an_app_adds_an_optional_column_in_one_place(site, police, monkeypatch):
    applied = []
    monkeypatch.setattr(user_import, "_optional_columns", [])
    user_import.column_register(
        Column(
            "badge",
            read=lambda value: value.upper(),
            required=False,
            apply=lambda user, value: applied.append((user.username, value)),
        )
    )
    with pytest.raises(ValueError, match="optional"):
        user_import.column_register(Column("other", read=str))
    users_import(text=csv_of("amal,a@example.invalid,A,B,Police,MA,learner,ar"), base_url=BASE)
    users_import(
        text=csv_of(
            "nour,n@example.invalid,A,B,Police,MA,learner,ar,b-17",
            header=HEADER.strip() + ",badge\n",
        ),
        base_url=BASE,
    )
    assert applied == [("nour", "B-17")]


def test_existing_organisation_is_reused_by_english_name(site):
    OrganisationFactory(name_en="Judicial Police", country="MA")
    users_import(
        text=csv_of("amal,amal@example.invalid,Amal,Demo,judicial police,MA,learner,ar"),
        base_url=BASE,
    )
    assert Organisation.objects.filter(name_en__iexact="judicial police").count() == 1


def test_set_password_page_shows_the_user_name_and_sign_in_offers_it(site, client, police):
    (link,) = users_import(
        text=csv_of("amal,amal@example.invalid,Amal,Demo,Police,MA,learner,ar"), base_url=BASE
    ).links
    path = re.sub(r"^https://tadrib.example.org", "", link.url)
    assert path.startswith("/ar/account/set-password/")
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    page = response.content.decode()
    assert "كلمة" in page
    assert re.search(r'<input[^>]*name="username"[^>]*value="amal"', page)
    response = client.post(
        form_url,
        {
            "username": "someone-else",
            "new_password1": "a-long-new-passphrase",
            "new_password2": "a-long-new-passphrase",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="amal").check_password("a-long-new-passphrase")
    sign_in = client.get(response["Location"]).content.decode()
    assert re.search(r'<input[^>]*name="username"[^>]*value="amal"', sign_in)
    # Offered once: the next visit to the sign-in page is blank again.
    assert 'value="amal"' not in client.get(response["Location"]).content.decode()
    again = client.get(path, follow=True)
    assert 'name="new_password1"' not in again.content.decode()
    assert AuditEntry.objects.filter(action="password_set", data__link="invitation").count() == 1


def test_set_password_link_expires(site, client):
    user = UserFactory(username="late", preferred_language="en")
    user.set_unusable_password()
    user.save()
    path = set_password_path(user)
    with override_settings(PASSWORD_RESET_TIMEOUT=60):
        later = timezone.now().replace(tzinfo=None) + timedelta(minutes=5)
        with mock.patch("cms.tokens.SetPasswordTokenGenerator._now", return_value=later):
            response = client.get(path, follow=True)
    assert "expired or has already been used" in response.content.decode()


def test_admin_uploads_csv_sees_the_summary_and_downloads_links(admin_client, police):
    response = upload(
        admin_client, csv_of("nadia,n@example.invalid,Nadia,Demo,Police,MA,manager,fr", bom=True)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 user was created." in page and "No organisation was created." in page
    assert User.objects.get(username="nadia").groups.filter(name="Managers").exists()
    download = admin_client.get("/admin/users/import/links/")
    assert download["Content-Disposition"].startswith("attachment;")
    assert "no-store" in download["Cache-Control"]
    assert b"nadia,http://testserver/fr/account/set-password/" in download.content


def test_links_are_only_made_again_for_accounts_still_without_a_password(admin_client, police):
    upload(
        admin_client,
        csv_of(
            "nadia,n@example.invalid,Nadia,Demo,Police,MA,manager,fr",
            "hind,h@example.invalid,Hind,Demo,Police,MA,learner,ar",
        ),
    )
    nadia = User.objects.get(username="nadia")
    nadia.set_password("lantern-harbour-quietly-79")
    nadia.save()
    rows = admin_client.get("/admin/users/import/links/").content.decode().splitlines()
    assert len(rows) == 2 and rows[1].startswith("hind,")


def test_admin_upload_names_the_closest_organisation_and_creates_none(admin_client, evidence_unit):
    text = csv_of("amina,a@example.invalid,Amina,Haddad,Digital Evidence Unitt,NE,learner,ar")
    page = upload(admin_client, text).content.decode()
    assert "Nothing was imported" in page
    assert "the closest are: Digital Evidence Unit (NE)" in page
    assert not Organisation.objects.filter(name_en="Digital Evidence Unitt").exists()
    page = upload(admin_client, text, create_organisations="on").content.decode()
    assert "These organisations were created" in page
    created = Organisation.objects.get(name_en="Digital Evidence Unitt")
    assert f'href="/admin/organisations/edit/{created.pk}/"' in page
    assert User.objects.get(username="amina").organisation == created


def test_admin_upload_lists_every_bad_row_in_the_administrators_language(admin_client, police):
    root = User.objects.get(username="root")
    user_set_preferred_language(user=root, language="fr")
    page = upload(
        admin_client,
        csv_of("x,bad,A,B,Police,MA,learner,en", "y,y@example.invalid,A,B,Police,ZZ,learner,en"),
    ).content.decode()
    assert "ligne 2 : adresse électronique non valide « bad »" in page
    assert "ligne 3 : code de pays inconnu « ZZ »" in page
    assert not User.objects.filter(username__in=["x", "y"]).exists()


def test_only_administrators_may_import_users_or_download_links(site, client):
    from tests.factories import TrainerFactory

    client.force_login(TrainerFactory())
    assert client.get("/admin/users/import/").status_code in (302, 403)
    assert client.get("/admin/users/import/links/").status_code in (302, 403)
