"""Attempt gates: how other apps may keep a learner from starting an attempt at a quiz.

quizzes never imports the apps built on it. An app that restricts when a quiz may be taken
(workshops: a pre-test only before the first session, a post-test only after the last)
registers a gate from its AppConfig.ready(). A gate is called with keyword arguments `user`,
`quiz` (a QuizPage) and `now` (an aware datetime) and returns None to let the learner start, or
a translated sentence saying why not. `services.attempt_start` refuses with the first such
sentence (QuizError), and the quiz page shows it in place of the start button.

Gates apply to new attempts only: an attempt already in progress can be finished (its own time
limit, if any, still holds).

A gate may come with a *probe*: `probe(user_id, quiz_id)` gives an SQL statement and its
parameters whose rows are not empty whenever the gate might refuse (for workshops: the learner
takes part in a workshop whose pre-test or post-test the quiz is). The quiz page reads the probes
in the statement that reads the learner's attempts (`quizzes.quiz_shell`), and asks only the
gates whose probe found a row, or that have none.
"""

from collections.abc import Callable, Collection
from datetime import datetime

AttemptGate = Callable[..., object | None]
# probe(user_id, quiz_id) -> (SELECT statement, its parameters)
GateProbe = Callable[[int, int], tuple[str, list]]

_gates: dict[str, AttemptGate] = {}
_probes: dict[str, GateProbe] = {}


def register_attempt_gate(name: str, gate: AttemptGate, *, probe: GateProbe | None = None) -> None:
    """Consult `gate` before every new attempt; registering `name` again replaces it."""
    _gates[name] = gate
    if probe is None:
        _probes.pop(name, None)
    else:
        _probes[name] = probe


def unregister_attempt_gate(name: str) -> None:
    _gates.pop(name, None)
    _probes.pop(name, None)


def gate_probes() -> dict[str, GateProbe]:
    """The probes of the gates that have one, by gate name."""
    return dict(_probes)


def probed_refusal(*, user, quiz, now: datetime, found: Collection[str]):
    """As `attempt_refusal`, asking only the gates with no probe or whose probe found rows
    (`found`, their names): the others cannot refuse."""
    for name, gate in list(_gates.items()):
        if name in _probes and name not in found:
            continue
        reason = gate(user=user, quiz=quiz, now=now)
        if reason:
            return reason
    return None


def attempt_refusal(*, user, quiz, now: datetime):
    """The first gate's reason to refuse `user` a new attempt at `quiz`, else None."""
    for gate in _gates.values():
        reason = gate(user=user, quiz=quiz, now=now)
        if reason:
            return reason
    return None
