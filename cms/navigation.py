"""The site header's links, registered by the apps whose pages they lead to.

cms draws the header without knowing those apps: each registers its links from its
AppConfig.ready() with a visibility predicate, asked per request. The header's account part is
a slot (`account`), so pages kept as shared shells show each reader their own links.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import get_script_prefix, reverse
from django.utils import translation

Visible = Callable[[object], bool]


def signed_in(user) -> bool:
    return user.is_authenticated


@dataclass(frozen=True)
class Link:
    label: str  # usually lazy: translated when shown
    url_name: str
    visible: Visible
    order: int


_links: dict[str, Link] = {}
_ordered: list[Link] = []
# reverse() for each link, by language and script prefix: a handful of entries.
_urls: dict[tuple[str, str | None, str], str] = {}


def register_link(*, label, url_name: str, visible: Visible = signed_in, order: int = 100) -> None:
    """Show a link to `url_name` in the header to users for whom `visible(user)` is true.

    Links appear by `order`; registering the same `url_name` again replaces the link.
    """
    _links[url_name] = Link(label=label, url_name=url_name, visible=visible, order=order)
    _ordered[:] = sorted(_links.values(), key=lambda link: link.order)


def _url(url_name: str) -> str:
    key = (url_name, translation.get_language(), get_script_prefix())
    url = _urls.get(key)
    if url is None:
        url = _urls[key] = reverse(url_name)
    return url


def header_links(request) -> tuple[tuple[str, str, bool], ...]:
    """(label, URL, is the current page) of each link this request's user may see."""
    user = request.user
    found = []
    for link in _ordered:
        if link.visible(user):
            url = _url(link.url_name)
            found.append((str(link.label), url, url == request.path))
    return tuple(found)


def account_values(request) -> dict:
    """The values of the header's `account` slot."""
    return {"signed_in": request.user.is_authenticated, "links": header_links(request)}
