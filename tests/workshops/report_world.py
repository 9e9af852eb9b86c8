"""A small world for the knowledge-gain report's tests (fixtures in test_report*.py)."""

from decimal import Decimal
from types import SimpleNamespace

from quizzes.models import Response
from tests.factories import LearnerFactory, ManagerFactory, OrganisationFactory, TrainerFactory
from tests.quizzes.factories import make_category, make_questions, make_quiz
from workshops.models import Attendance

from .factories import add_participants, make_workshop, submitted_attempt


def answer(attempt, fractions: dict) -> None:
    """Response rows of `attempt`: {question: fraction}."""
    Response.objects.bulk_create(
        Response(attempt=attempt, question=q, fraction=Decimal(f), answer=None)
        for q, f in fractions.items()
    )


def attend(participant, sessions, count: int) -> None:
    Attendance.objects.bulk_create(
        Attendance(session=s, participant=participant, attended=n < count)
        for n, s in enumerate(sessions)
    )


def build():
    agency_a = OrganisationFactory(name_en="Agency A", name_fr="Service A", country="NE")
    unit_a = OrganisationFactory(name_en="Cyber unit", country="NE", parent=agency_a)
    agency_b = OrganisationFactory(name_en="Agency B", name_fr="Service B", country="TN")
    law = make_category("Law")
    evidence = make_category("Evidence")
    law_q = make_questions(["single", "true_false"], category=law)
    evidence_q = make_questions(["single"], category=evidence)
    pre = make_quiz(slug="pre", questions=law_q + evidence_q)
    post = make_quiz(slug="post", questions=law_q + evidence_q)
    manager = ManagerFactory(username="manager", organisation=agency_a)
    facilitator = TrainerFactory(username="facilitator", organisation=agency_b)
    other_trainer = TrainerFactory(username="other-trainer", organisation=agency_b)
    amina = LearnerFactory(
        username="amina", first_name="Amina", last_name="Abdou", organisation=agency_a
    )
    carim = LearnerFactory(
        username="carim", first_name="Carim", last_name="Cisse", organisation=unit_a
    )
    bob = LearnerFactory(username="bob", first_name="Bob", last_name="Ben", organisation=agency_b)
    dora = LearnerFactory(
        username="dora", first_name="Dora", last_name="Dridi", organisation=agency_b
    )
    workshop = make_workshop(slug="tui", pre_test=pre, post_test=post, attendance_threshold=75)
    workshop.facilitators.add(facilitator)
    workshop.save()  # a ParentalManyToManyField writes on save
    amina_p, carim_p, bob_p, dora_p = add_participants(workshop, [amina, carim, bob, dora])
    sessions = list(workshop.sessions.all())  # 4
    attend(amina_p, sessions, 4)
    attend(carim_p, sessions, 3)
    attend(bob_p, sessions, 2)
    attend(dora_p, sessions, 4)
    # amina 40 → 70; carim 100 → 90 (at ceiling); bob pre only; dora 20 → 80.
    a_pre = submitted_attempt(user=amina, quiz=pre, score="40")
    submitted_attempt(user=amina, quiz=pre, number=2, score="95")  # a retake: ignored
    a_post = submitted_attempt(user=amina, quiz=post, score="70")
    submitted_attempt(user=carim, quiz=pre, score="100")
    submitted_attempt(user=carim, quiz=post, score="90")
    submitted_attempt(user=bob, quiz=pre, score="50")
    d_pre = submitted_attempt(user=dora, quiz=pre, score="20")
    d_post = submitted_attempt(user=dora, quiz=post, score="80")
    answer(a_pre, {law_q[0]: 1, law_q[1]: 0, evidence_q[0]: 0})
    answer(a_post, {law_q[0]: 1, law_q[1]: 1, evidence_q[0]: 0})
    answer(d_pre, {law_q[0]: 0, law_q[1]: 0, evidence_q[0]: "0.5"})
    answer(d_post, {law_q[0]: 1, law_q[1]: 1, evidence_q[0]: 1})
    # Another workshop: only agency B, facilitated by another trainer.
    other = make_workshop(slug="sit", pre_test=pre, post_test=post)
    other.facilitators.add(other_trainer)
    other.save()
    add_participants(other, [bob])
    return SimpleNamespace(**locals())
