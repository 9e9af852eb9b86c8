"""Messages (cms/message_storage.py) are kept as Django's default storage keeps them, a signed
cookie then the session, and a request that neither reads nor writes one makes no signer."""

import secrets

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from cms.message_storage import LazySignerCookieStorage, MessageStorage

pytestmark = pytest.mark.django_db


def _request(cookies=None):
    request = RequestFactory().get("/en/")
    request.COOKIES.update(cookies or {})
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    request._messages = default_storage(request)
    return request


def _cookie_storage(request) -> LazySignerCookieStorage:
    return next(s for s in request._messages.storages if isinstance(s, CookieStorage))


def _cookie_after(add) -> str:
    """The messages cookie of a response to a request on which `add(request)` wrote messages."""
    request = _request()
    add(request)
    response = HttpResponse()
    request._messages.update(response)
    return response.cookies[CookieStorage.cookie_name].value


def test_the_setting_names_this_storage():
    assert settings.MESSAGE_STORAGE == "cms.message_storage.MessageStorage"
    assert isinstance(default_storage(_request()), MessageStorage)


def test_a_request_without_messages_makes_no_signer():
    request = _request()
    assert len(request._messages) == 0
    assert list(request._messages) == []
    assert "signer" not in vars(_cookie_storage(request))


def test_a_message_goes_through_the_cookie_to_the_next_request():
    cookie = _cookie_after(
        lambda request: messages.success(request, "Your answers have been saved.")
    )
    # Signed as Django's own cookie storage signs it: either storage reads the other's.
    assert CookieStorage(_request())._decode(cookie)[0].message == ("Your answers have been saved.")
    second = _request({CookieStorage.cookie_name: cookie})
    assert [m.message for m in second._messages] == ["Your answers have been saved."]
    assert [m.level for m in _request({CookieStorage.cookie_name: cookie})._messages] == [
        messages.SUCCESS
    ]


def test_a_tampered_cookie_gives_no_message():
    cookie = _cookie_after(lambda request: messages.info(request, "Hello"))
    tampered = cookie[:-3] + ("aaa" if not cookie.endswith("aaa") else "bbb")
    assert list(_request({CookieStorage.cookie_name: tampered})._messages) == []


def test_messages_too_large_for_the_cookie_fall_back_to_the_session():
    request = _request()
    for number in range(10):  # random text: the cookie is compressed
        messages.info(request, f"{number} {secrets.token_hex(200)}")
    response = HttpResponse()
    request._messages.update(response)
    kept_in_session = request.session.get("_messages")
    assert kept_in_session, "the overflow is kept in the session"
    request.session.save()
    following = _request(
        {
            CookieStorage.cookie_name: response.cookies[CookieStorage.cookie_name].value,
            settings.SESSION_COOKIE_NAME: request.session.session_key,
        }
    )
    assert [m.message.split()[0] for m in following._messages] == [str(n) for n in range(10)]
