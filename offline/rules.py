"""Pure rules of offline use: no database, no request."""

import enum
import re
import uuid
from datetime import datetime, timedelta


class Verdict(enum.StrEnum):
    UNTIMED = "untimed"  # the quiz has no time limit
    WITHIN = "within"  # received before the deadline and its grace
    LATE = "late"  # received after: the server's time limit rules


def submission_verdict(
    *, deadline: datetime | None, grace_seconds: int, received_at: datetime
) -> Verdict:
    """How a quiz submission queued on a device is judged when it reaches the server.

    The device's clock is shown to the learner but never trusted: what counts is when the
    server received the submission, with the same grace a submission made online has.
    """
    if deadline is None:
        return Verdict.UNTIMED
    if received_at <= deadline + timedelta(seconds=grace_seconds):
        return Verdict.WITHIN
    return Verdict.LATE


def client_id(value) -> uuid.UUID | None:
    """The client-made id of a queued action, or None when it is not a UUID."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


# Files a lesson body links to: images and captions (src), documents (href). A video's own
# file is left out on purpose: a kept course holds text, pictures, documents and captions.
_ATTRIBUTE = re.compile(r"""<(img|track|a|source)\b[^>]*?\b(src|href|srcset)\s*=\s*"([^"]+)\"""")
_PREFIXES = ("/media/", "/documents/")


def asset_urls(html: str) -> list[str]:
    """Same-site media and document URLs in `html`, in order, once each; no video files."""
    seen: dict[str, None] = {}
    for tag, _attribute, value in _ATTRIBUTE.findall(html):
        if tag == "source":
            continue
        for candidate in value.split(","):
            url = candidate.strip().split(" ")[0].replace("&amp;", "&")
            if url.startswith(_PREFIXES):
                seen.setdefault(url, None)
    return list(seen)
