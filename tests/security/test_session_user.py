"""Sessions read with their user in one statement (security.sessions): every rule of Django's
own `get_user` still holds, and the session row's user column is never trusted on its own."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from security.models import Session
from security.sessions import SessionStore
from tests.factories import LearnerFactory

from .conftest import sign_in

pytestmark = pytest.mark.django_db
PAGE = "/en/learning/"  # My learning: signed-in readers only


def signed_in(client) -> bool:
    response = client.get(PAGE)
    if response.status_code == 302:
        assert "/account/sign-in/" in response["Location"]
        return False
    assert response.status_code == 200
    return True


def session_row(client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def statements_naming(captured, table: str) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if table in q["sql"]]


def test_the_session_and_its_user_are_read_in_one_statement(client, site, learner, password):
    sign_in(client, "learner", password)
    assert signed_in(client)  # the session's clocks are written on the first page
    with CaptureQueriesContext(connection) as captured:
        assert signed_in(client)
    user_table = learner._meta.db_table
    reads = statements_naming(captured, "security_session")
    assert len(reads) == 1 and user_table in reads[0]
    assert statements_naming(captured, user_table) == reads  # no second read of the user


def test_the_row_names_the_user_it_signs_in_and_follows_sign_in(client, site, learner, password):
    sign_in(client, "learner", password)
    assert session_row(client).user_id == learner.pk
    other = LearnerFactory(username="second")
    client.post("/en/account/sign-out/")
    sign_in(client, "second", password)
    assert session_row(client).user_id == other.pk
    assert signed_in(client)


def test_a_wrong_session_key_is_a_visitor(client, site, learner, password):
    sign_in(client, "learner", password)
    client.cookies["sessionid"] = "x" * 32
    assert not signed_in(client)


def test_an_expired_session_is_a_visitor(client, site, learner, password):
    sign_in(client, "learner", password)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert not signed_in(client)


def test_a_password_changed_elsewhere_ends_the_other_session(client, site, learner, password):
    sign_in(client, "learner", password)
    elsewhere = Client(HTTP_HOST="testserver")
    sign_in(elsewhere, "learner", password)
    assert signed_in(client) and signed_in(elsewhere)
    response = client.post(
        "/en/account/password/",
        {
            "old_password": password,
            "new_password1": "lantern-harbour-quietly-80",
            "new_password2": "lantern-harbour-quietly-80",
        },
    )
    assert response.status_code == 302
    assert signed_in(client)  # the session that changed it goes on
    key = elsewhere.cookies["sessionid"].value
    assert not signed_in(elsewhere)
    assert not Session.objects.filter(session_key=key).exists()  # flushed


def test_an_inactive_user_is_refused(client, site, learner, password):
    sign_in(client, "learner", password)
    assert signed_in(client)
    type(learner).objects.filter(pk=learner.pk).update(is_active=False)
    assert not signed_in(client)


def test_a_deleted_user_signs_nobody_in(client, site, password):
    doomed = LearnerFactory(username="doomed")
    sign_in(client, "doomed", password)
    assert signed_in(client)
    doomed.delete()
    assert not signed_in(client)


def test_the_row_user_column_is_never_trusted_over_the_signed_data(client, site, learner, password):
    """The column only lets the statement join; who is signed in is the session data's."""
    other = LearnerFactory(username="someone-else")
    sign_in(client, "learner", password)
    row = session_row(client)
    Session.objects.filter(pk=row.pk).update(user_id=other.pk)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == learner.pk
    Session.objects.filter(pk=row.pk).update(user_id=None)
    response = client.get(PAGE)
    assert response.wsgi_request.user.pk == learner.pk


def test_a_session_signed_under_an_old_secret_still_signs_in_and_is_rotated(
    client, site, learner, password, settings
):
    sign_in(client, "learner", password)
    before = client.cookies["sessionid"].value
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-this-test-only-0123456789"
    assert signed_in(client)
    assert client.cookies["sessionid"].value != before  # cycled under the new secret
    assert signed_in(client)


def test_the_user_read_by_the_join_is_the_users_row(learner):
    """Every column comes back as the ORM gives it (SQLite returns datetimes as text)."""
    learner.last_login = timezone.now()
    learner.save()
    store = SessionStore()
    store[SESSION_KEY] = str(learner.pk)
    store.save()
    loaded = SessionStore(store.session_key)
    assert loaded[SESSION_KEY] == str(learner.pk)
    read = loaded.read_user(learner.pk)
    fresh = type(learner).objects.get(pk=learner.pk)
    for field in fresh._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(fresh, field.attname), field.name
    assert not read._state.adding


def test_sign_out_ends_the_session_for_every_copy_of_the_cookie(client, site, learner, password):
    sign_in(client, "learner", password)
    copy = Client(HTTP_HOST="testserver")
    copy.cookies["sessionid"] = client.cookies["sessionid"].value
    assert signed_in(copy)
    client.post("/en/account/sign-out/")
    assert not signed_in(copy)


def test_a_post_without_its_csrf_token_is_still_refused(site, learner, password):
    client = Client(enforce_csrf_checks=True, HTTP_HOST="testserver")
    client.force_login(learner)
    response = client.post("/en/account/preferences/", {"preferred_language": "fr"})
    assert response.status_code == 403


def test_the_migration_copies_open_sessions_so_nobody_is_signed_out(learner):
    from importlib import import_module

    from django.apps import apps
    from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
    from django.contrib.sessions.models import Session as DjangoSession

    migration = import_module("security.migrations.0004_sessions_with_their_user")
    open_session = DjangoSessionStore()
    open_session[SESSION_KEY] = str(learner.pk)
    open_session.save()
    ended = DjangoSessionStore()
    ended[SESSION_KEY] = str(learner.pk)
    ended.save()
    DjangoSession.objects.filter(session_key=ended.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    migration.copy_open_sessions(apps, None)
    assert list(Session.objects.values_list("session_key", "user_id")) == [
        (open_session.session_key, learner.pk)
    ]
    assert SessionStore(open_session.session_key)[SESSION_KEY] == str(learner.pk)


def test_request_user_is_the_user_itself_with_django_otps_state(client, site, learner, password):
    """security.middleware.OTPMiddleware resolves the lazy user once: the view sees the user
    object itself, with what django-otp sets on it."""
    from django.contrib.auth.models import AnonymousUser

    visitor = client.get("/en/account/sign-in/").wsgi_request.user
    assert type(visitor) is AnonymousUser and visitor.is_verified() is False
    sign_in(client, "learner", password)
    user = client.get(PAGE).wsgi_request.user
    assert type(user) is type(learner) and user.pk == learner.pk
    assert user.otp_device is None and user.is_verified() is False
