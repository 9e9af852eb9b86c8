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
# The links with their label and URL, by language and script prefix: a handful of entries,
# so the header costs each request only the visibility predicates.
_resolved: dict[tuple[str | None, str], tuple[tuple[Link, str, str], ...]] = {}


def register_link(*, label, url_name: str, visible: Visible = signed_in, order: int = 100) -> None:
    """Show a link to `url_name` in the header to users for whom `visible(user)` is true.

    Links appear by `order`; registering the same `url_name` again replaces the link.
    """
    _links[url_name] = Link(label=label, url_name=url_name, visible=visible, order=order)
    _resolved.clear()


def _in_language() -> tuple[tuple[Link, str, str], ...]:
    key = (translation.get_language(), get_script_prefix())
    found = _resolved.get(key)
    if found is None:
        ordered = sorted(_links.values(), key=lambda link: link.order)
        found = _resolved[key] = tuple(
            (link, str(link.label), reverse(link.url_name)) for link in ordered
        )
    return found


def header_links(request) -> tuple[tuple[str, str, bool], ...]:
    """(label, URL, is the current page) of each link this request's user may see."""
    user, path = request.user, request.path
    return tuple(
        (label, url, url == path) for link, label, url in _in_language() if link.visible(user)
    )


def account_values(request) -> dict:
    """The values of the header's `account` slot."""
    return {"signed_in": request.user.is_authenticated, "links": header_links(request)}
