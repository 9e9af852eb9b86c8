"""The request being served, for receivers of signals that do not carry it (page publishes,
role changes), so their audit entries still name the acting user and address."""

from contextvars import ContextVar

_request: ContextVar = ContextVar("security_request", default=None)


def current_request():
    return _request.get()


def request_bind(request):
    """Make `request` current; returns the token to pass to `request_unbind`."""
    return _request.set(request)


def request_unbind(token) -> None:
    _request.reset(token)
