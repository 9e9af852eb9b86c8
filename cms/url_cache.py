"""Which view a path leads to, remembered per worker (issue 21, round 4).

Django resolves every request's path by trying the URLconf's patterns in order. A learner's
page is served by Wagtail's catch-all, the last pattern of `i18n_patterns`: each request tried
some forty patterns first, a tenth of a shell page's time in the middleware and view.

What a URLconf made only of Django's own pattern classes (`path`, `re_path`, `include`,
`i18n_patterns`) and Django's own converters resolves a path to depends on the path and, under
`i18n_patterns`, on the active language, nothing else: no request header, user or database.
So the match is remembered under (the resolver, the active language, the path), in a bounded
per-worker map (least recently used out; entries expire with the page caches'). A resolver
with any other pattern class or converter is never remembered. A path that matches nothing
(404) is not remembered either: it raises again every time. Each request gets its own copy of
the match (its arguments included), so nothing a view does to it reaches another request.
"""

from django.core.handlers.base import BaseHandler
from django.urls import converters, get_resolver, set_urlconf
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern, URLResolver
from django.utils import translation

from .page_cache import BoundedCache

matches = BoundedCache(4000)
_PURE_PATTERNS = (RoutePattern, RegexPattern, LocalePrefixPattern)
_PURE_CONVERTERS = tuple(type(c) for c in converters.DEFAULT_CONVERTERS.values())
# id(resolver) -> (resolver, whether its matches depend on the path and language alone)
_pure: dict[int, tuple[URLResolver, bool]] = {}


def _depends_on_path_alone(resolver: URLResolver) -> bool:
    for pattern in resolver.url_patterns:
        if type(pattern.pattern) not in _PURE_PATTERNS:  # exactly: a subclass may do more
            return False
        found = getattr(pattern.pattern, "converters", {})
        if any(type(converter) not in _PURE_CONVERTERS for converter in found.values()):
            return False
        if isinstance(pattern, URLResolver) and not _depends_on_path_alone(pattern):
            return False
    return True


def is_pure(resolver: URLResolver) -> bool:
    known = _pure.get(id(resolver))
    if known is None or known[0] is not resolver:
        if len(_pure) > 16:  # URLconfs replaced (tests): forget the old ones
            _pure.clear()
        known = _pure[id(resolver)] = (resolver, _depends_on_path_alone(resolver))
    return known[1]


def _copy(found):
    match = object.__new__(type(found))  # ResolverMatch refuses copy.copy (it cannot pickle)
    match.__dict__.update(found.__dict__)
    match.args = tuple(match.args)
    match.kwargs = dict(match.kwargs)
    match.captured_kwargs = dict(match.captured_kwargs)
    return match


def resolve(resolver: URLResolver, path: str):
    """`resolver.resolve(path)`, remembered when the resolver allows it."""
    if not is_pure(resolver):
        return resolver.resolve(path)
    key = (id(resolver), translation.get_language(), path)
    found = matches.get(key)
    if found is None or found[0] is not resolver:
        found = (resolver, resolver.resolve(path))
        matches.set(key, found)
    return _copy(found[1])


def resolve_request(self, request):
    """`BaseHandler.resolve_request`, with remembered matches."""
    if hasattr(request, "urlconf"):
        urlconf = request.urlconf
        set_urlconf(urlconf)
        resolver = get_resolver(urlconf)
    else:
        resolver = get_resolver()
    resolver_match = resolve(resolver, request.path_info)
    request.resolver_match = resolver_match
    return resolver_match


def install() -> None:
    """Every handler (gunicorn's WSGI handler, the test client's) resolves through `resolve`."""
    BaseHandler.resolve_request = resolve_request  # type: ignore[method-assign]
