"""xAPI 1.0.3 statements from plain facts: pure, no ORM (docs/xapi.md).

Verbs come from the ADL vocabulary; activity ids are stable URLs under the site's address
(never a slug or a title, which change); the actor is an account named by the learner's
pseudonymous code, never an e-mail address.
"""

import uuid
from dataclasses import dataclass, field

ADL = "http://adlnet.gov/expapi/verbs/"
ACTIVITY_TYPES = {
    "module": "http://adlnet.gov/expapi/activities/module",
    "course": "http://adlnet.gov/expapi/activities/course",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "question": "http://adlnet.gov/expapi/activities/cmi.interaction",
    "meeting": "http://adlnet.gov/expapi/activities/meeting",
    "survey": "http://id.tincanapi.com/activitytype/survey",
}
# Question types (quizzes.question_types) as xAPI interaction types.
INTERACTION_TYPES = {
    "single": "choice",
    "multiple": "choice",
    "true_false": "true-false",
    "matching": "matching",
    "ordering": "sequencing",
}
# Any fixed UUID: statement ids are uuid5 of the site's address and the event.
NAMESPACE = uuid.UUID("7b0c2d9e-4f1a-5c3b-8e6d-2a9f0b1c3d4e")


def statement_id(*, base_url: str, event: str) -> uuid.UUID:
    """The statement's id: the same event always gets the same id (a resend is recognised)."""
    return uuid.uuid5(NAMESPACE, f"{base_url}|{event}")


@dataclass(frozen=True)
class Activity:
    """What a statement is about: `kind` is a key of ACTIVITY_TYPES."""

    kind: str
    pk: int | str
    names: dict[str, str] = field(default_factory=dict)
    interaction_type: str = ""

    def to_xapi(self, base_url: str) -> dict:
        definition: dict = {"type": ACTIVITY_TYPES[self.kind]}
        names = {language: text for language, text in self.names.items() if text}
        if names:
            definition["name"] = names
        if self.interaction_type:
            definition["interactionType"] = self.interaction_type
        return {
            "objectType": "Activity",
            "id": f"{base_url}/xapi/activities/{self.kind}/{self.pk}",
            "definition": definition,
        }


@dataclass(frozen=True)
class Event:
    """One thing a learner did, as the outbox keeps it (`facts` are JSON values)."""

    id: uuid.UUID
    verb: str
    learner_code: str
    timestamp: str
    language: str = ""
    registration: uuid.UUID | None = None
    parent: Activity | None = None
    result: dict | None = None


@dataclass(frozen=True)
class Verb:
    iri: str
    display: str


VERBS = {
    name: Verb(ADL + name, name)
    for name in (
        "launched",
        "experienced",
        "completed",
        "attempted",
        "answered",
        "passed",
        "failed",
        "registered",
        "attended",
    )
}


def statement(*, event: Event, activity: Activity, base_url: str) -> dict:
    verb = VERBS[event.verb]
    context: dict = {"platform": "Tadrib"}
    if event.language:
        context["language"] = event.language
    if event.registration is not None:
        context["registration"] = str(event.registration)
    if event.parent is not None:
        context["contextActivities"] = {"parent": [event.parent.to_xapi(base_url)]}
    built = {
        "id": str(event.id),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": base_url, "name": event.learner_code},
        },
        "verb": {"id": verb.iri, "display": {"en-US": verb.display}},
        "object": activity.to_xapi(base_url),
        "timestamp": event.timestamp,
        "context": context,
    }
    if event.result is not None:
        built["result"] = event.result
    return built


def score_result(*, score: float, passed: bool | None) -> dict:
    """A quiz attempt's result: `score` in percent, scaled to [0, 1]."""
    result: dict = {
        "score": {"scaled": round(score / 100, 4), "raw": score, "min": 0, "max": 100},
        "completion": True,
    }
    if passed is not None:
        result["success"] = passed
    return result


def answer_result(*, fraction: float) -> dict:
    """One answered question: its fraction of the marks, scaled."""
    return {"score": {"scaled": round(fraction, 4)}, "success": fraction >= 1}
