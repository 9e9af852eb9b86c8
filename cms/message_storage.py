"""Django's default message storage (a signed cookie, then the session), with the cookie's
signer made when it is first needed instead of on every request (MESSAGE_STORAGE).

Django's `FallbackStorage` builds a `CookieStorage` for every request, and that builds a signer
(the signing backend imported, a key derived from SECRET_KEY) which only a request that reads a
messages cookie or writes a message uses; most pages do neither. Everything else is Django's:
the same cookie, the same signature and format, the same fall back to the session when the
cookie would be too large.
"""

from django.contrib.messages.storage.base import BaseStorage
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core import signing
from django.utils.functional import cached_property


class LazySignerCookieStorage(CookieStorage):
    """Django's cookie storage whose signer is made on first use."""

    def __init__(self, *args, **kwargs):
        # CookieStorage.__init__ only adds the signer, made here when asked for.
        BaseStorage.__init__(self, *args, **kwargs)

    @cached_property
    def signer(self):
        return signing.get_cookie_signer(salt=self.key_salt)


class MessageStorage(FallbackStorage):
    """Django's `FallbackStorage` over the lazy cookie storage and the session."""

    storage_classes = (LazySignerCookieStorage, SessionStorage)
