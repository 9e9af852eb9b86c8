"""Audit events raised by the core apps.

`cms`, `courses` and `quizzes` announce what they did (a course imported, users imported, a
quiz submitted, a report exported); the `security` app, which keeps the audit trail, listens.
The core apps therefore never import the app that stores the trail.
"""

from django.dispatch import Signal

# Sent with keyword arguments: action (str), obj (model instance or None), detail (str),
# user (or None: the current request's user), data (facts as JSON values, or None).
audit_event = Signal()


def audit(action: str, *, obj=None, detail: str = "", user=None, data=None) -> None:
    audit_event.send(sender=None, action=action, obj=obj, detail=detail, user=user, data=data)
