"""The demo that `make run` loads (`manage.py seed_demo`): accounts, certificates, workshops and
their surveys, checked on one database seeded twice.

Loading the demo is the slowest thing the suite does (every course, quiz, workshop, survey
and certificate, with their PDFs): this module seeds once, records what the first run made,
seeds again and lets every test read the result. The whole module runs in one transaction
that is rolled back at its end, and each test in a savepoint inside it, so nothing leaks into
other modules and no test sees another's changes.
"""

from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import transaction

from certificates.models import Certificate, Kind
from cms.models import Organisation, User
from workshops.models import Participant, Workshop
from workshops.selectors import test_scores as scores_of

pytestmark = pytest.mark.django_db

REGIONAL = "regional-online-internet-evidence"
NATIONAL = "national-sit-online-recruitment"


def snapshot():
    """Users, organisations and pages as a second run of the demo must leave them."""
    from wagtail.models import Page, Revision

    users = {
        u.username: (
            u.password,
            u.preferred_language,
            u.organisation_id,
            sorted(u.groups.values_list("name", flat=True)),
        )
        for u in User.objects.all()
    }
    organisations = list(
        Organisation.objects.values_list(
            "pk", "name_en", "name_fr", "name_ar", "country", "parent_id"
        )
    )
    pages = list(Page.objects.values_list("pk", "path", "title", "live", "latest_revision_id"))
    return users, organisations, pages, Revision.objects.count()


def course_certificates():
    return sorted(
        Certificate.objects.filter(kind=Kind.COURSE).values_list(
            "serial", "holder__username", "revoked_at"
        )
    )


def workshop_certificates():
    return sorted(
        Certificate.objects.filter(kind=Kind.WORKSHOP).values_list(
            "serial", "holder__username", "workshop__slug"
        )
    )


def evaluation_total() -> tuple[int, int]:
    from reports.scope import Scope
    from surveys.selectors import ResultFilters, survey_results

    evaluation = Workshop.objects.get(slug=REGIONAL).evaluation_survey
    results = survey_results(
        survey=evaluation, scope=Scope(everything=True), filters=ResultFilters()
    )
    return evaluation.pk, results.total


@dataclass(frozen=True)
class FirstRun:
    """What the first `seed_demo` made, read before the second ran."""

    snapshot: tuple
    course_certificates: list
    workshop_certificates: list
    evaluation_total: tuple[int, int]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0)
        first = FirstRun(
            snapshot=snapshot(),
            course_certificates=course_certificates(),
            workshop_certificates=workshop_certificates(),
            evaluation_total=evaluation_total(),
        )
        call_command("seed_demo", verbosity=0)
        yield first
        transaction.set_rollback(True)


# --- accounts -------------------------------------------------------------------------------


def test_seed_demo_creates_the_demo_accounts_in_two_countries(demo):
    users = {u.username: u for u in User.objects.select_related("organisation")}
    assert {"admin", "trainer", "manager", "investigator", "prosecutor"} <= set(users)
    assert users["admin"].is_superuser
    assert users["trainer"].groups.filter(name="Trainers").exists()
    assert users["manager"].groups.filter(name="Managers").exists()
    assert users["investigator"].groups.filter(name="Learners").exists()
    assert users["investigator"].check_password("tadrib-demo-2026")
    countries = {users[name].organisation.country.code for name in ("investigator", "prosecutor")}
    assert countries == {"NE", "MA"}
    unit = users["investigator"].organisation
    assert unit.parent is not None and unit.parent.country.code == "NE"


def test_seed_demo_twice_changes_nothing(demo):
    assert snapshot() == demo.snapshot


# --- course certificates --------------------------------------------------------------------


def test_the_demo_has_an_arabic_and_a_french_certificate_and_a_revoked_one(demo, client):
    certificates = {
        (c.holder.username, c.language, c.revoked_at is not None)
        for c in Certificate.objects.select_related("holder")
    }
    assert ("investigator", "ar", False) in certificates
    assert ("prosecutor", "fr", False) in certificates
    assert any(revoked for _u, _l, revoked in certificates)
    investigator = Certificate.objects.get(holder__username="investigator", kind="course")
    assert investigator.holder_name_arabic and investigator.holder_name_latin
    assert investigator.grade is not None and investigator.hours == 12
    html = client.get(f"/ar/verify/{investigator.serial}/").content.decode()
    assert "شهادة صالحة" in html


def test_the_demo_certificates_are_deterministic_and_seeded_once(demo):
    assert course_certificates() == demo.course_certificates
    assert [serial for serial, _u, _r in demo.course_certificates] == sorted(
        ["TDR-4RWD-7KQ2-M9XP-M", "TDR-8HNC-3TFA-6YJE-6", "TDR-5GKV-2PQX-9MRA-2"]
    )


# --- workshops and their surveys ------------------------------------------------------------


def test_the_demo_workshops(demo):
    regional = Workshop.objects.get(slug=REGIONAL)
    national = Workshop.objects.get(slug=NATIONAL)
    assert regional.participants.count() == 40 and national.participants.count() == 30
    countries = set(regional.participants.values_list("user__organisation__country", flat=True))
    assert countries == {"DZ", "BF", "TD", "LY", "ML", "MA", "MR", "NE", "SN", "TN"}
    assert national.venue_country == "NE" and regional.venue_country == ""
    investigator = User.objects.get(username="investigator")
    pre, post = scores_of(regional)[investigator.pk]
    assert pre is not None and post is None
    for workshop in (regional, national):
        pre_draws = list(workshop.pre_test.draws.values_list("category_id", "count"))
        post_draws = list(workshop.post_test.draws.values_list("category_id", "count"))
        assert pre_draws == post_draws and pre_draws
        assert not workshop.pre_test.required and not workshop.post_test.required
        scores = scores_of(workshop).values()
        paired = [(p, q) for p, q in scores if p is not None and q is not None]
        assert len(paired) >= len(scores) - 6
        assert sum(q - p for p, q in paired) / len(paired) > 10  # a real gain


def test_the_demo_workshops_surveys_break_down_by_workshop_and_country(demo):
    from reports.scope import Scope
    from surveys.models import SurveyParticipation
    from surveys.selectors import ResultFilters, survey_results

    regional = Workshop.objects.get(slug=REGIONAL)
    national = Workshop.objects.get(slug=NATIONAL)
    assert regional.needs_survey_id == national.needs_survey_id
    assert regional.evaluation_survey_id == national.evaluation_survey_id
    evaluation = regional.evaluation_survey
    everything = Scope(everything=True)
    by_workshop = survey_results(
        survey=evaluation, scope=everything, filters=ResultFilters(breakdown="workshop")
    )
    assert {g.key for g in by_workshop.groups} == {regional.pk, national.pk, None}
    assert all(g.count >= by_workshop.floor for g in by_workshop.groups)
    by_country = survey_results(
        survey=evaluation, scope=everything, filters=ResultFilters(breakdown="country")
    )
    assert len(by_country.groups) >= 5 and by_country.hidden_groups >= 1
    # The in-person national workshop was rated higher than the regional one online.
    means = {
        g.key: next(q.mean for q in g.questions if q.question.kind == "scale")
        for g in by_workshop.groups
    }
    assert means[national.pk] > means[regional.pk]
    investigator = User.objects.get(username="investigator")
    assert not SurveyParticipation.objects.filter(user=investigator).exists()
    # Deterministic: the second run added no response.
    assert demo.evaluation_total == (evaluation.pk, by_workshop.total)
    assert evaluation_total() == demo.evaluation_total


# --- workshop certificates ------------------------------------------------------------------


def test_the_demo_workshop_certificates_are_deterministic_and_seeded_once(demo, client):
    from tests.certificates.node_verifier import node_verify
    from tests.certificates.test_node_verifier import issuer_documents
    from workshop_certificates.demo import derived_serial

    first = demo.workshop_certificates
    issued = Certificate.objects.filter(kind=Kind.WORKSHOP)
    completed = Participant.objects.filter(completed_at__isnull=False)
    # Every demo participant who completed holds one, and only they do.
    assert sorted((u, s) for _serial, u, s in first) == sorted(
        completed.values_list("user__username", "workshop__slug")
    )
    assert 3 <= len(first) <= 70
    assert {c.venue_country for c in issued} == {"", "NE"}
    assert {c.language for c in issued} >= {"ar", "fr"}
    assert workshop_certificates() == first
    # The same serials on a fresh database: derived from workshop and username.
    assert all(serial == derived_serial(slug, user) for serial, user, slug in first)
    # One of them, checked publicly and independently.
    certificate = issued.order_by("serial").first()
    assert client.get(f"/fr/verify/{certificate.serial}/").status_code == 200
    credential = certificate.credential
    assert node_verify(credential, documents=issuer_documents(client, credential))["verified"]
