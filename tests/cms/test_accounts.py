import pytest

from cms.models import User
from cms.services import user_set_preferred_language
from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db


def sign_in(client, language, username, password, next_url=None):
    url = f"/{language}/account/sign-in/"
    if next_url:
        url += f"?next={next_url}"
    return client.post(url, {"username": username, "password": password})


@pytest.mark.parametrize("preferred", ["en", "fr", "ar"])
def test_sign_in_lands_in_the_preferred_language(site, client, password, preferred):
    LearnerFactory(username="officer", preferred_language=preferred)
    response = sign_in(client, "en", "officer", password)
    assert response.status_code == 302
    assert response["Location"] == f"/{preferred}/"
    assert client.get(response["Location"]).status_code == 200


def test_sign_in_keeps_next_but_switches_it_to_the_preferred_language(site, client, password):
    LearnerFactory(username="officer", preferred_language="ar")
    response = sign_in(client, "fr", "officer", password, next_url="/fr/account/preferences/")
    assert response["Location"] == "/ar/account/preferences/"


def test_sign_in_ignores_an_offsite_next(site, client, password):
    LearnerFactory(username="officer", preferred_language="fr")
    response = sign_in(client, "en", "officer", password, next_url="https://evil.example/")
    assert response["Location"] == "/fr/"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Please enter a correct username and password"),
        ("fr", "Saisissez un nom d’utilisateur et un mot de passe valides"),
        ("ar", "وكلمة المرور الصحيحين"),  # never "كلمة السر" (docs/learner-pages.md)
    ],
)
def test_wrong_password_is_refused_with_a_message_in_the_page_language(
    site, client, language, message
):
    LearnerFactory(username="officer")
    response = sign_in(client, language, "officer", "not-the-password")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body
    assert message in body
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_session(site, client, learner):
    client.force_login(learner)
    response = client.post("/en/account/sign-out/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_user_changes_preferred_language_and_is_sent_to_that_language(site, client, learner):
    client.force_login(learner)
    response = client.post("/en/account/preferences/", {"preferred_language": "fr"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/account/preferences/"
    learner.refresh_from_db()
    assert learner.preferred_language == "fr"
    assert learner.wagtail_userprofile.preferred_language == "fr"
    assert (
        "Vos préférences ont été enregistrées" in client.get(response["Location"]).content.decode()
    )


def test_preferences_refuse_an_unknown_language(site, client, learner):
    client.force_login(learner)
    response = client.post("/en/account/preferences/", {"preferred_language": "xx"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    learner.refresh_from_db()
    assert learner.preferred_language == "en"


def test_preferences_need_a_signed_in_user(site, client):
    response = client.get("/fr/account/preferences/")
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/account/sign-in/?next=")


def test_password_change_page_exists_in_each_language(site, client, learner):
    client.force_login(learner)
    assert "Modifier le mot de passe" in client.get("/fr/account/password/").content.decode()
    assert "تغيير كلمة المرور" in client.get("/ar/account/password/").content.decode()


def test_password_change_requires_twelve_characters(site, client, learner, password):
    client.force_login(learner)
    response = client.post(
        "/en/account/password/",
        {"old_password": password, "new_password1": "short-pw1", "new_password2": "short-pw1"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()


def test_preferred_language_service_rejects_unknown_language(learner):
    with pytest.raises(ValueError, match="Unsupported language"):
        user_set_preferred_language(user=learner, language="de")
    assert User.objects.get(pk=learner.pk).preferred_language == "en"


@pytest.mark.parametrize(
    ("language", "link"),
    [
        ("en", "Set up two-step verification"),
        ("fr", "Activer la vérification en deux étapes"),
        ("ar", "إعداد التحقق بخطوتين"),
    ],
)
def test_preferences_link_to_two_step_verification(site, client, learner, language, link):
    client.force_login(learner)
    page = client.get(f"/{language}/account/preferences/").content.decode()
    assert f'<a href="/{language}/account/two-factor/">{link}</a>' in page


def test_preferences_say_when_two_step_verification_is_on(site, client, learner):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=learner, name="authenticator", confirmed=True)
    client.force_login(learner)
    # A session with a device asks for the code first; this one has passed it.
    session = client.session
    session["security_2fa_device"] = False
    session.save()
    page = client.get("/en/account/preferences/").content.decode()
    assert "Two-step verification is on" in page
    assert '<a href="/en/account/two-factor/">Manage two-step verification</a>' in page
