"""Lookups per client address, counted in Django's shared cache (fixed windows).

Only `django.core.cache` is used, so the counters are shared by every worker whatever cache
backend the installation configures (database, Redis).
"""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The client's address; behind TADRIB_TRUSTED_PROXIES proxies, taken that many hops from
    the end of X-Forwarded-For (a client can write anything in it otherwise)."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TADRIB_TRUSTED_PROXIES", 0)
    if proxies:
        forwarded = [
            p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if parsed.version == 6:
        # One IPv6 user holds a whole /64: count the network, not each address.
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


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
