"""Who is asking: the client's address, read the same way by every app that counts or records it
(sign-in lockout, audit trail, verification rate limits)."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's IP address.

    Behind `TADRIB_TRUSTED_PROXIES` reverse proxies (0 by default), the address is taken that
    many hops from the end of X-Forwarded-For; the header is ignored otherwise, because a client
    can write anything in it.
    """
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TADRIB_TRUSTED_PROXIES", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
