"""Lookups per client address, counted in Django's shared cache (fixed windows).

Only `django.core.cache` is used, so the counters are shared by every worker whatever cache
backend the installation configures (database, Redis).
"""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache

from cms.requests import client_ip


def client_address(request) -> str:
    """The client's address (`cms.requests.client_ip`); an IPv6 client counts as its /64, the
    block one user holds."""
    address = client_ip(request)
    if address is None:
        return "unknown"
    parsed = ipaddress.ip_address(address)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return address


def limit() -> int:
    return getattr(settings, "TADRIB_VERIFY_LOOKUPS", 30)


def window_seconds() -> int:
    return getattr(settings, "TADRIB_VERIFY_WINDOW", 60)


def lookup_allowed(request, *, scope: str = "verify") -> bool:
    """Count one lookup for the request's address; False once over the limit in the window."""
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"certificates:lookups:{scope}:{digest}"
    if cache.add(key, 1, window_seconds()):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window_seconds())
        return True
    return count <= limit()
