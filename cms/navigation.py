"""The site header's links, registered by the apps whose pages they lead to.

cms draws the header without knowing those apps: each registers its links from its
AppConfig.ready() with a visibility predicate, asked per request. The header's account part is
a slot (`account`), so pages kept as shared shells show each reader their own links.

A link names a URL, or gives a function finding its address when that is a page's (a
translated, editable slug): the header then links to the page itself, never to a URL that
redirects there (a round trip on a slow link). Addresses are found once per language and
content generation (`cms.page_cache`), so a renamed page is linked right at once.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import get_script_prefix, reverse
from django.utils import translation

Visible = Callable[[object], bool]
Resolve = Callable[[object], str]  # (request) -> the link's address in the active language


def signed_in(user) -> bool:
    return user.is_authenticated


@dataclass(frozen=True)
class Link:
    label: str  # usually lazy: translated when shown
    url_name: str
    visible: Visible
    order: int
    resolve: Resolve | None = None


_links: dict[str, Link] = {}
# The links with their label and URL, by language, script prefix and (when a link is found
# through the content) content generation: a handful of entries, so the header costs each
# request only the visibility predicates.
_resolved: dict[tuple, tuple[tuple[Link, str, str], ...]] = {}


def register_link(
    *,
    label,
    url_name: str,
    visible: Visible = signed_in,
    order: int = 100,
    resolve: Resolve | None = None,
) -> None:
    """Show a link to `url_name` in the header to users for whom `visible(user)` is true.

    With `resolve`, the link goes to `resolve(request)` instead (or to `url_name` when that
    returns ""): the page's own address, so the link does not redirect. Links appear by
    `order`; registering the same `url_name` again replaces the link.
    """
    _links[url_name] = Link(
        label=label, url_name=url_name, visible=visible, order=order, resolve=resolve
    )
    _resolved.clear()


def clear() -> None:
    """Forget the addresses found (tests: a rolled-back test sets the generation back)."""
    _resolved.clear()


def _address(link: Link, request) -> str:
    return (link.resolve(request) if link.resolve else "") or reverse(link.url_name)


def _in_language(request) -> tuple[tuple[Link, str, str], ...]:
    from .page_cache import generation

    dynamic = any(link.resolve for link in _links.values())
    key: tuple = (translation.get_language(), get_script_prefix(), request.get_host())
    if dynamic:
        current = generation(request)
        if current is None:  # no generation to key by: find the addresses every time
            return _build(request)
        key += (current,)
    found = _resolved.get(key)
    if found is None:
        if len(_resolved) > 64:  # older generations
            _resolved.clear()
        found = _resolved[key] = _build(request)
    return found


def _build(request) -> tuple[tuple[Link, str, str], ...]:
    ordered = sorted(_links.values(), key=lambda link: link.order)
    return tuple((link, str(link.label), _address(link, request)) for link in ordered)


def header_links(request) -> tuple[tuple[str, str, bool], ...]:
    """(label, URL, is the current page) of each link this request's user may see."""
    user, path = request.user, request.path
    return tuple(
        (label, url, url == path)
        for link, label, url in _in_language(request)
        if link.visible(user)
    )


def account_values(request) -> dict:
    """The values of the header's `account` slot."""
    return {"signed_in": request.user.is_authenticated, "links": header_links(request)}
