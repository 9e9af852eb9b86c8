"""The "Forgot your password?" flow: the link, the same answer for every address, the mail in the
recipient's language (Django's outbox and a real SMTP server), single use, expiry, limits,
audit."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone, translation

from cms.models import User
from cms.user_import import set_password_path
from security.models import AuditEntry
from tests.factories import LearnerFactory
from tests.ports import free_port
from tests.security.smtp import smtp_server

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "lantern-harbour-quietly-79"


def ask(client, address, language="en", remote="10.0.0.1"):
    return client.post(
        f"/{language}/account/password/forgot/", {"email": address}, REMOTE_ADDR=remote
    )


def link_in(text: str) -> str:
    return re.search(r"https?://testserver(/\S+/account/password/reset/\S+/)", text).group(1)


def choose(client, link, password=NEW_PASSWORD):
    form = client.get(link, follow=True)
    url = form.redirect_chain[-1][0]
    return form, client.post(url, {"new_password1": password, "new_password2": password})


@pytest.fixture
def amina(db):
    return LearnerFactory(
        username="amina", email="Amina.Haddad@example.invalid", preferred_language="ar"
    )


@pytest.fixture
def inbox():
    try:
        with smtp_server() as received:
            yield received
    except OSError as error:
        pytest.skip(f"cannot start the SMTP server: {error}")


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "Forgot your password?"), ("fr", "Mot de passe oublié ?"), ("ar", "نسيت كلمة المرور؟")],
)
def test_the_sign_in_page_links_to_the_reset_in_each_language(site, client, language, text):
    page = client.get(f"/{language}/account/sign-in/").content.decode()
    assert f'<a href="/{language}/account/password/forgot/">{text}</a>' in page


def test_the_answer_is_the_same_whether_or_not_an_account_uses_the_address(site, client, amina):
    known = ask(client, "amina.haddad@example.invalid")
    unknown = ask(client, "nobody@example.invalid")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/en/account/password/forgot/sent/"
    assert client.get(known["Location"]).status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["Amina.Haddad@example.invalid"]
    assert AuditEntry.objects.filter(action="password_reset_sent", object_id=amina.pk).exists()
    assert AuditEntry.objects.filter(action="password_reset_unknown").count() == 1


def test_the_mail_is_in_the_recipients_language_with_a_link_in_it(site, client, amina):
    ask(client, "amina.haddad@example.invalid", language="fr")
    (message,) = mail.outbox
    with translation.override("ar"):
        assert message.subject == translation.gettext("Choose a new password for Tadrib")
    assert message.subject != "Choose a new password for Tadrib"
    assert message.extra_headers["Content-Language"] == "ar"
    assert "amina" in message.body
    assert "/ar/account/password/reset/" in link_in(message.body)
    html, _type = message.alternatives[0]
    assert '<html lang="ar" dir="rtl">' in html


def test_the_link_names_the_account_works_once_and_sign_in_offers_the_name(site, client, amina):
    ask(client, "amina.haddad@example.invalid")
    link = link_in(mail.outbox[0].body)
    form, done = choose(client, link)
    assert re.search(r'<input[^>]*name="username"[^>]*value="amina"', form.content.decode())
    assert done.status_code == 302 and done["Location"] == "/ar/account/sign-in/"
    sign_in = client.get(done["Location"]).content.decode()
    assert re.search(r'<input[^>]*name="username"[^>]*value="amina"', sign_in)
    amina.refresh_from_db()
    assert amina.check_password(NEW_PASSWORD)
    again = client.get(link, follow=True).content.decode()
    assert 'name="new_password1"' not in again
    assert AuditEntry.objects.filter(action="password_set", data__link="reset").count() == 1


def test_the_link_expires_after_two_hours(site, client, amina):
    ask(client, "amina.haddad@example.invalid")
    link = link_in(mail.outbox[0].body)
    later = timezone.now().replace(tzinfo=None) + timedelta(hours=2, minutes=1)
    with mock.patch("cms.tokens.PasswordResetTokens._now", return_value=later):
        page = client.get(link, follow=True).content.decode()
    assert 'name="new_password1"' not in page
    assert 'href="/ar/account/password/forgot/"' in page


def test_an_invitation_link_does_not_open_the_reset_page(site, client, amina):
    invitation = set_password_path(amina)
    as_reset = invitation.replace("/account/set-password/", "/account/password/reset/")
    assert 'name="new_password1"' not in client.get(as_reset, follow=True).content.decode()


def test_accounts_without_a_password_yet_may_ask_but_inactive_ones_get_nothing(site, client):
    new = LearnerFactory(username="new", email="new@example.invalid")
    new.set_unusable_password()
    new.save()
    LearnerFactory(username="gone", email="gone@example.invalid", is_active=False)
    ask(client, "new@example.invalid")
    ask(client, "gone@example.invalid")
    assert [message.to for message in mail.outbox] == [["new@example.invalid"]]


@override_settings(TADRIB_PASSWORD_RESET_ADDRESS_LIMIT=3)
def test_too_many_requests_from_one_address_are_refused_with_a_message(site, client, amina):
    for n in range(3):
        assert ask(client, f"x{n}@example.invalid", language="fr").status_code == 302
    refused = ask(client, "amina.haddad@example.invalid", language="fr")
    assert refused.status_code == 200
    assert "Trop de demandes de mot de passe" in refused.content.decode()
    assert mail.outbox == []
    assert ask(client, "amina.haddad@example.invalid", remote="10.0.0.2").status_code == 302
    assert len(mail.outbox) == 1
    assert AuditEntry.objects.filter(action="password_reset_throttled").exists()


def test_an_account_gets_three_mails_an_hour_and_the_answer_never_changes(site, client, amina):
    replies = [ask(client, "amina.haddad@example.invalid", remote=f"10.0.1.{n}") for n in range(5)]
    assert {reply["Location"] for reply in replies} == {"/en/account/password/forgot/sent/"}
    assert len(mail.outbox) == 3
    throttled = AuditEntry.objects.filter(action="password_reset_throttled", data__scope="account")
    assert throttled.count() == 2


def test_an_invalid_address_is_answered_in_the_page_language(site, client):
    response = ask(client, "not an address", language="fr")
    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide" in response.content.decode()


def test_the_mail_goes_through_a_real_smtp_server(site, client, amina, inbox):
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=inbox.port,
        DEFAULT_FROM_EMAIL="Tadrib <no-reply@tadrib.example.org>",
    ):
        assert ask(client, "amina.haddad@example.invalid").status_code == 302
    (message,) = inbox.messages
    assert inbox.recipients == [["Amina.Haddad@example.invalid"]]
    assert message["From"] == "Tadrib <no-reply@tadrib.example.org>"
    assert message["Content-Language"] == "ar"
    with translation.override("ar"):
        # Folded for transport: compare the words.
        expected = translation.gettext("Choose a new password for Tadrib")
        assert message["Subject"].split() == expected.split()
    link = link_in(inbox.text())
    assert link in inbox.html()
    _form, done = choose(client, link)
    assert done.status_code == 302
    assert User.objects.get(pk=amina.pk).check_password(NEW_PASSWORD)


def test_a_mail_server_that_is_down_gives_the_same_answer_not_an_error(site, client, amina):
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=free_port(),  # nothing listens there
        EMAIL_TIMEOUT=2,
    ):
        response = ask(client, "amina.haddad@example.invalid")
    assert response.status_code == 302
    assert response["Location"] == "/en/account/password/forgot/sent/"
    assert not AuditEntry.objects.filter(action="password_reset_sent").exists()


def test_the_admin_has_no_second_reset_flow(site, client):
    assert client.get("/admin/password_reset/", follow=True).status_code == 404
    assert "password_reset" not in client.get("/admin/login/").content.decode()


def test_a_password_change_is_audited(site, client, amina, password):
    client.force_login(amina)
    response = client.post(
        "/en/account/password/",
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="password_changed", object_id=amina.pk).exists()
