"""The one way to write the audit trail.

Every value is reduced to one line (control characters, CR and LF replaced) and cut to its
column's length, so text that someone else chose — a user name typed on the sign-in form, a page
title — cannot forge a second entry in a log view or an export. Callers pass objects and
descriptions, never credentials.
"""

import logging
import re

from django.db import DatabaseError, transaction

from cms.requests import client_ip

from .context import current_request
from .models import AuditEntry

logger = logging.getLogger("security.audit")
Action = AuditEntry.Action

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


def one_line(value, max_length: int) -> str:
    """`value` as text on one line, at most `max_length` characters."""
    text = _CONTROL_RE.sub(" ", "" if value is None else str(value)).strip()
    return text[:max_length]


# Facts kept from an object when it is audited, by model: read from the object's own columns
# (no query), because the object may change or go (a learner erased) while the entry stays.
OBJECT_FACTS = {
    "quizzes.quizattempt": lambda attempt: {
        "number": attempt.number,
        "score": None if attempt.score is None else str(attempt.score),
        "passed": attempt.passed,
        "quiz": attempt.quiz_id,
    },
}


def _field_length(name: str) -> int:
    return AuditEntry._meta.get_field(name).max_length


def audit_log(
    *,
    action: str,
    request=None,
    user=None,
    username: str | None = None,
    obj=None,
    detail: str = "",
    data: dict | None = None,
) -> AuditEntry | None:
    """Record `action` by `user` (default: the request's signed-in user) on `obj`.

    `data` holds the facts the audit trail's sentence needs (JSON values); facts about `obj`
    that it might lose later (an attempt's number and score) are added from `object_facts`.
    Returns the entry, or None if the database refused it: a failure to audit is logged
    but never turns the user's request into an error.
    """
    if request is None:
        # Services called from a view (quiz submission, imports) need not pass the request.
        request = current_request()
    if user is None and request is not None:
        request_user = getattr(request, "user", None)
        if request_user is not None and request_user.is_authenticated:
            user = request_user
    if user is not None and not getattr(user, "pk", None):
        user = None
    if username is None:
        username = user.get_username() if user is not None else ""
    entry = AuditEntry(
        action=action,
        user=user,
        username=one_line(username, _field_length("username")),
        ip_address=client_ip(request),
        detail=one_line(detail, _field_length("detail")),
    )
    if obj is not None:
        label = obj._meta.label_lower
        entry.object_type = one_line(label, _field_length("object_type"))
        entry.object_id = one_line(obj.pk, _field_length("object_id"))
        entry.object_repr = one_line(obj, _field_length("object_repr"))
        facts = OBJECT_FACTS.get(label)
        if facts is not None:
            entry.data = facts(obj)
    entry.data = {**entry.data, **(data or {})}
    try:
        # A savepoint, so a refused row does not break the caller's transaction.
        with transaction.atomic():
            entry.save()
    except DatabaseError:
        logger.exception("Could not write the audit entry for %s", action)
        return None
    return entry
