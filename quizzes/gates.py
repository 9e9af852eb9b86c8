"""Attempt gates: how other apps may keep a learner from starting an attempt at a quiz.

quizzes never imports the apps built on it. An app that restricts when a quiz may be taken
(workshops: a pre-test only before the first session, a post-test only after the last)
registers a gate from its AppConfig.ready(). A gate is called with keyword arguments `user`,
`quiz` (a QuizPage) and `now` (an aware datetime) and returns None to let the learner start, or
a translated sentence saying why not. `services.attempt_start` refuses with the first such
sentence (QuizError), and the quiz page shows it in place of the start button.

Gates apply to new attempts only: an attempt already in progress can be finished (its own time
limit, if any, still holds).
"""

from collections.abc import Callable
from datetime import datetime

AttemptGate = Callable[..., object | None]

_gates: dict[str, AttemptGate] = {}


def register_attempt_gate(name: str, gate: AttemptGate) -> None:
    """Consult `gate` before every new attempt; registering `name` again replaces it."""
    _gates[name] = gate


def unregister_attempt_gate(name: str) -> None:
    _gates.pop(name, None)


def attempt_refusal(*, user, quiz, now: datetime):
    """The first gate's reason to refuse `user` a new attempt at `quiz`, else None."""
    for gate in _gates.values():
        reason = gate(user=user, quiz=quiz, now=now)
        if reason:
            return reason
    return None
