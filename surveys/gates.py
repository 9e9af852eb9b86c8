"""Response gates: how other apps may keep a person from answering a survey yet.

surveys never imports the apps built on it. An app that restricts when a survey may be
answered (workshops: a workshop's evaluation only once its last session has ended, for its
participants) registers a gate from its AppConfig.ready(). A gate is called with keyword
arguments `user`, `survey` (a SurveyPage) and `now` (an aware datetime) and returns None to let
the person answer, or a translated sentence saying why not. The survey page shows that sentence
in place of the form, and `services.response_submit` refuses (`SurveyClosed`). The survey's own
opening and closing dates hold for everyone, on top of any gate.
"""

from collections.abc import Callable
from datetime import datetime

ResponseGate = Callable[..., object | None]

_gates: dict[str, ResponseGate] = {}


def register_response_gate(name: str, gate: ResponseGate) -> None:
    """Consult `gate` before every response; registering `name` again replaces it."""
    _gates[name] = gate


def unregister_response_gate(name: str) -> None:
    _gates.pop(name, None)


def response_refusal(*, user, survey, now: datetime):
    """The first gate's reason to refuse `user` an answer to `survey` now, else None."""
    for gate in _gates.values():
        reason = gate(user=user, survey=survey, now=now)
        if reason:
            return reason
    return None
