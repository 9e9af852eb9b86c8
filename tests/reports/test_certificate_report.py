"""The managers' certificate report (certificates.report_views): counts by state, by course,
organisation and country, who holds a certificate from before a course changed; scope, roles,
CSV and query counts as in every report."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from certificates.models import Certificate, RevocationReason
from certificates.report_selectors import (
    Dimension,
    certificate_counts,
    changed_courses,
    holders_before_change,
)
from certificates.serials import serial_generate
from cms.models import User
from reports.scope import Scope, manager_scope
from reports.selectors import ReportFilters
from tests.factories import LearnerFactory
from tests.reports.conftest import aware

NOW = aware(2026, 6, 1, 12)


def certify(holder, course, *, issued, valid_until=None, revoked=False, supersedes=None):
    return Certificate.objects.create(
        serial=serial_generate(),
        holder=holder,
        course=course,
        round=supersedes.round + 1 if supersedes else 1,
        supersedes=supersedes,
        language="fr",
        holder_name_latin=holder.get_full_name(),
        title={"en": course.title},
        completed_at=issued,
        issued_at=issued,
        valid_until=valid_until,
        revoked_at=issued + timedelta(days=1) if revoked else None,
        revocation_reason=RevocationReason.OTHER if revoked else "",
    )


@pytest.fixture
def certified(world):
    """Agency A (the manager's): Alice holds a valid "evidence" certificate that never expires
    and an expired "ftf" one; Carim (A's unit) an "evidence" one expiring in 30 days and an
    "ftf" one renewed by a valid second round. Agency B: Bob's "evidence" one is revoked and
    Dina's is valid."""
    w = world
    w.dina = LearnerFactory(
        username="dina", first_name="Dina", last_name="Daoud", organisation=w.agency_b
    )
    w.alice_evidence = certify(w.alice, w.course, issued=aware(2025, 1, 11))
    certify(w.alice, w.other_course, issued=aware(2024, 5, 1), valid_until=aware(2026, 5, 1))
    w.carim_evidence = certify(
        w.carim, w.course, issued=aware(2025, 7, 1), valid_until=NOW + timedelta(days=30)
    )
    first = certify(
        w.carim, w.other_course, issued=aware(2024, 6, 1), valid_until=aware(2026, 6, 20)
    )
    certify(
        w.carim,
        w.other_course,
        issued=aware(2026, 5, 20),
        valid_until=aware(2028, 5, 20),
        supersedes=first,
    )
    certify(w.bob, w.course, issued=aware(2025, 2, 3), revoked=True)
    w.dina_evidence = certify(w.dina, w.course, issued=aware(2025, 2, 10))
    return w


def _counts(rows):
    return {r.label: (r.issued, r.valid, r.expiring, r.expired, r.renewed, r.revoked) for r in rows}


# --- Counts ---------------------------------------------------------------------------------


def test_a_manager_counts_the_certificates_of_their_organisation_by_state(certified):
    scope = manager_scope(user=certified.manager)
    rows = certificate_counts(scope=scope, filters=ReportFilters(), now=NOW)
    #                               issued valid expiring expired renewed revoked
    assert _counts(rows) == {
        "Course ftf": (3, 1, 0, 1, 1, 0),
        "Electronic evidence": (2, 2, 1, 0, 0, 0),
    }


def test_organisations_and_countries_group_the_same_certificates(certified):
    scope = manager_scope(user=certified.manager)
    by_organisation = certificate_counts(
        scope=scope, filters=ReportFilters(), by=Dimension.ORGANISATION, now=NOW
    )
    assert _counts(by_organisation) == {
        "Agency A": (2, 1, 0, 1, 0, 0),
        "Agency A › Cyber unit": (3, 2, 1, 0, 1, 0),
    }
    by_country = certificate_counts(
        scope=scope, filters=ReportFilters(), by=Dimension.COUNTRY, now=NOW
    )
    assert _counts(by_country) == {"Niger": (5, 3, 1, 1, 1, 0)}


def test_every_certificate_is_in_exactly_one_state(certified):
    rows = certificate_counts(scope=Scope(everything=True), filters=ReportFilters(), now=NOW)
    assert _counts(rows)["Electronic evidence"] == (4, 3, 1, 0, 0, 1)
    for r in rows:
        assert r.issued == r.valid + r.expired + r.renewed + r.revoked


def test_expiry_boundaries(certified):
    """Expired from `valid_until` on; expiring when at most 60 days are left."""
    scope = Scope(everything=True)
    only = ReportFilters(course_id=certified.course.pk)
    certified.carim_evidence.valid_until = NOW + timedelta(days=60)
    certified.carim_evidence.save()
    assert certificate_counts(scope=scope, filters=only, now=NOW)[0].expiring == 1
    certified.carim_evidence.valid_until = NOW + timedelta(days=60, seconds=1)
    certified.carim_evidence.save()
    row = certificate_counts(scope=scope, filters=only, now=NOW)[0]
    assert (row.valid, row.expiring, row.expired) == (3, 0, 0)
    certified.carim_evidence.valid_until = NOW
    certified.carim_evidence.save()
    row = certificate_counts(scope=scope, filters=only, now=NOW)[0]
    assert (row.valid, row.expiring, row.expired) == (2, 0, 1)


def test_filters_narrow_the_counts_and_the_date_range_is_on_the_issue_date(certified):
    scope = Scope(everything=True)
    in_2025 = ReportFilters(date_from=date(2025, 1, 11), date_to=date(2025, 2, 3))
    assert _counts(certificate_counts(scope=scope, filters=in_2025, now=NOW)) == {
        "Electronic evidence": (2, 1, 0, 0, 0, 1)
    }
    tunisia = ReportFilters(country="TN")
    assert _counts(certificate_counts(scope=scope, filters=tunisia, now=NOW)) == {
        "Electronic evidence": (2, 1, 0, 0, 0, 1)
    }


# --- Who holds a certificate from before a substantial change ------------------------------


def _mark_changed(course, day: date):
    type(course).objects.filter(pk=course.pk).update(substantially_changed_on=day)
    course.refresh_from_db()


def test_holders_before_a_change_are_current_certificates_in_scope(certified):
    _mark_changed(certified.course, date(2025, 6, 1))
    manager = manager_scope(user=certified.manager)
    listed = holders_before_change(scope=manager, filters=ReportFilters(), course=certified.course)
    # Carim's was issued after the change; Bob's (revoked) and Dina's are out of scope.
    assert list(listed) == [certified.alice_evidence]
    everyone = holders_before_change(
        scope=Scope(everything=True), filters=ReportFilters(), course=certified.course
    )
    assert list(everyone) == [certified.alice_evidence, certified.dina_evidence]
    changed = changed_courses(scope=manager, filters=ReportFilters())
    assert [(c.course_id, c.changed_on, c.holders) for c in changed] == [
        (certified.course.pk, date(2025, 6, 1), 1)
    ]


# --- Pages, roles and scope ----------------------------------------------------------------


def _urls(world):
    with translation.override("en"):
        return [
            reverse("certificates:report_by_course"),
            reverse("certificates:report_by_organisation"),
            reverse("certificates:report_by_country"),
            reverse("certificates:report_held_before_change", args=[world.course.pk]),
        ]


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("role", ["learner", "trainer"])
def test_learners_and_trainers_get_403(client, certified, trainer, role):
    _mark_changed(certified.course, date(2025, 6, 1))
    client.force_login(certified.alice if role == "learner" else trainer)
    for url in _urls(certified):
        assert client.get(url).status_code == 403, url
        assert client.get(url + "?format=csv").status_code == 403, url


def test_visitors_are_sent_to_sign_in(client, certified):
    response = client.get(_urls(certified)[0])
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]


def test_the_manager_sees_only_their_organisations(manager_client, certified):
    _mark_changed(certified.course, date(2025, 6, 1))
    for url in _urls(certified):
        response = manager_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Agency B" not in html and "Tunisia" not in html, url
        assert "Bensalem" not in html and "Daoud" not in html, url
        text = str(_csv(manager_client.get(url + "?format=csv")))
        assert "Agency B" not in text and "Daoud" not in text, url
    held = manager_client.get(_urls(certified)[3]).content.decode()
    assert certified.alice_evidence.serial in held
    assert certified.dina_evidence.serial not in held


def test_filters_outside_the_scope_answer_404(manager_client, certified):
    base = _urls(certified)[0]
    assert manager_client.get(f"{base}?organisation={certified.agency_b.pk}").status_code == 404
    assert manager_client.get(f"{base}?country=TN").status_code == 404
    assert manager_client.get(f"{base}?organisation=999999").status_code == 404
    assert manager_client.get(f"{base}?organisation={certified.unit_a.pk}").status_code == 200


def test_a_course_never_marked_changed_answers_404(manager_client, certified):
    url = reverse("certificates:report_held_before_change", args=[certified.course.pk])
    assert manager_client.get(url).status_code == 404
    assert (
        manager_client.get(
            reverse("certificates:report_held_before_change", args=[999999])
        ).status_code
        == 404
    )


def test_a_superuser_sees_every_organisation(client, certified, superuser):
    client.force_login(superuser)
    html = client.get(reverse("certificates:report_by_organisation")).content.decode()
    assert "Agency A" in html and "Agency B" in html


def test_the_report_is_in_the_reports_navigation(manager_client, certified):
    html = manager_client.get(reverse("reports:by_course")).content.decode()
    assert f'href="{reverse("certificates:report_by_course")}"' in html
    page = manager_client.get(reverse("certificates:report_by_country")).content.decode()
    assert f'<a href="{reverse("certificates:report_by_course")}" aria-current="page">' in page


def test_the_page_lists_changed_courses_with_their_holders(manager_client, certified):
    _mark_changed(certified.course, date(2025, 6, 1))
    html = manager_client.get(reverse("certificates:report_by_course")).content.decode()
    assert reverse("certificates:report_held_before_change", args=[certified.course.pk]) in html
    assert "1 holder of an earlier certificate" in html


def test_the_printed_header_names_the_issue_date_range(manager_client, certified):
    url = reverse("certificates:report_by_course") + "?date_from=2025-01-01&date_to=2025-12-31"
    html = manager_client.get(url).content.decode()
    assert "Issue date" in html and "Enrolment date" not in html


# --- CSV ------------------------------------------------------------------------------------


def test_csv_headers_are_in_the_readers_language(manager_client, certified):
    for language, first in (
        ("en", ["Course", "Issued", "Valid", "Expiring within 60 days"]),
        ("fr", ["Cours", "Délivrés", "Valables", "Expirant dans les 60 jours"]),
        ("ar", ["الدورة التدريبية", "الصادرة", "السارية", "تنتهي صلاحيتها خلال 60 يومًا"]),
    ):
        with translation.override(language):
            url = reverse("certificates:report_by_course")
        response = manager_client.get(url + "?format=csv")
        assert f"certificates-by-course-{language}-" in response["Content-Disposition"]
        lines = _csv(response)
        assert lines[0][:4] == first, language
        assert len(lines) == 3


def test_the_holders_csv_lists_the_same_rows(manager_client, certified):
    _mark_changed(certified.course, date(2025, 6, 1))
    lines = _csv(manager_client.get(_urls(certified)[3] + "?format=csv"))
    assert lines[0] == [
        "Holder",
        "Username",
        "Organisation",
        "Serial",
        "Issued",
        "Valid until",
        "Status",
    ]
    assert lines[1:] == [
        [
            "Alice Amrani",
            "alice",
            "Agency A",
            certified.alice_evidence.serial,
            timezone.localtime(certified.alice_evidence.issued_at).strftime("%Y-%m-%d %H:%M"),
            "",
            "Valid",
        ]
    ]


# --- Query counts ---------------------------------------------------------------------------


def _bulk(count, *, world, start):
    users = User.objects.bulk_create(
        [
            User(
                username=f"holder{n:05d}",
                password="!",
                organisation=world.unit_a if n % 2 else world.agency_b,
            )
            for n in range(start, start + count)
        ]
    )
    now = timezone.now()
    Certificate.objects.bulk_create(
        [
            Certificate(
                serial=serial_generate(),
                holder=user,
                course=world.course,
                language="ar",
                holder_name_latin=f"Holder {n}",
                title={"en": "Electronic evidence"},
                completed_at=now - timedelta(days=400),
                issued_at=now - timedelta(days=400),
                valid_until=now + timedelta(days=n % 90),
                revoked_at=now if n % 7 == 0 else None,
            )
            for n, user in enumerate(users)
        ]
    )


def _query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


def test_query_counts_do_not_grow_with_certificates(manager_client, certified):
    _mark_changed(certified.course, date(2030, 1, 1))
    urls = [*_urls(certified), _urls(certified)[3] + "?page=2"]
    urls += [url + "?format=csv" for url in _urls(certified)]
    _bulk(100, world=certified, start=0)
    for url in urls:  # per-process caches first
        _query_count(manager_client, url)
    small = {url: _query_count(manager_client, url) for url in urls}
    _bulk(1000, world=certified, start=100)
    large = {url: _query_count(manager_client, url) for url in urls}
    # The holders' export reads in batches of 1,000: one more batch, one more query.
    csv_holders = urls[-1]
    assert {u: n for u, n in large.items() if u != csv_holders} == {
        u: n for u, n in small.items() if u != csv_holders
    }
    assert large[csv_holders] - small[csv_holders] <= 1
    assert max(small.values()) <= 16


def test_a_trainer_marks_a_course_changed_and_the_manager_sees_its_holders(
    client, certified, trainer
):
    """The trainer's course editor has the field; once the trainer publishes the date, the
    manager's report lists who holds a certificate from before it."""
    client.force_login(trainer)
    editor = client.get(f"/admin/pages/{certified.course.pk}/edit/")
    assert editor.status_code == 200
    assert 'name="substantially_changed_on"' in editor.content.decode()
    course = type(certified.course).objects.get(pk=certified.course.pk)
    course.substantially_changed_on = date(2025, 6, 1)
    course.save_revision(user=trainer).publish(user=trainer)

    client.force_login(certified.manager)
    counts = client.get(reverse("certificates:report_by_course")).content.decode()
    held = reverse("certificates:report_held_before_change", args=[course.pk])
    assert held in counts
    html = client.get(held).content.decode()
    assert certified.alice_evidence.serial in html
    assert certified.carim_evidence.serial not in html
