"""Posting statements to the LRS named by TADRIB_XAPI_ENDPOINT (xAPI 1.0.3, basic auth)."""

import base64
import json
import urllib.error
import urllib.request

from django.conf import settings

TIMEOUT_SECONDS = 20


class LrsUnavailable(Exception):
    """The LRS could not be reached or failed (5xx): try again later."""


class LrsRefused(Exception):
    """The LRS refused the statements (4xx): sending them again will not help."""

    def __init__(self, status: int, body: str):
        super().__init__(f"HTTP {status}: {body[:500]}")
        self.status = status


def enabled() -> bool:
    return bool(settings.TADRIB_XAPI_ENDPOINT)


def lrs_post(statements: list[dict]) -> None:
    """POST `statements` as one batch to `<endpoint>/statements`."""
    endpoint = settings.TADRIB_XAPI_ENDPOINT
    if not endpoint.startswith(("https://", "http://")):
        raise LrsUnavailable("TADRIB_XAPI_ENDPOINT must be an http(s) URL")
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        endpoint.rstrip("/") + "/statements",
        data=json.dumps(statements).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3"},
    )
    if settings.TADRIB_XAPI_USERNAME:
        credentials = f"{settings.TADRIB_XAPI_USERNAME}:{settings.TADRIB_XAPI_PASSWORD}"
        request.add_header(
            "Authorization", "Basic " + base64.b64encode(credentials.encode()).decode()
        )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS):  # noqa: S310 - configured URL
            return
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace")
        if 400 <= error.code < 500 and error.code not in (401, 403, 408, 429):
            raise LrsRefused(error.code, body) from error
        raise LrsUnavailable(f"HTTP {error.code}: {body[:500]}") from error
    except (urllib.error.URLError, OSError) as error:
        raise LrsUnavailable(str(error)) from error
