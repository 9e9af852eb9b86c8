"""The managers' certificate report counts workshop certificates too: a row per workshop in
the table by course (and in the CSV), within the reader's scope, and a filter by kind."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from certificates.models import Certificate, Kind, RevocationReason
from certificates.report_selectors import Dimension, certificate_counts
from certificates.serials import serial_generate
from reports.scope import Scope, manager_scope
from reports.selectors import ReportFilters
from tests.reports.conftest import aware, world  # noqa: F401 - the reports' fixture
from tests.reports.test_certificate_report import NOW, _counts, certify
from tests.workshops.factories import make_workshop

pytestmark = pytest.mark.django_db


def certify_workshop(holder, workshop, *, issued, revoked=False):
    return Certificate.objects.create(
        serial=serial_generate(),
        holder=holder,
        workshop=workshop,
        kind=Kind.WORKSHOP,
        language="fr",
        holder_name_latin=holder.get_full_name(),
        title={"en": workshop.title_en, "fr": workshop.title_fr, "ar": workshop.title_ar},
        completed_at=issued,
        issued_at=issued,
        starts_on=issued.date(),
        ends_on=issued.date(),
        revoked_at=issued + timedelta(days=1) if revoked else None,
        revocation_reason=RevocationReason.OTHER if revoked else "",
    )


@pytest.fixture
def mixed(world):  # noqa: F811 - the fixture imported above
    """Alice (agency A, the manager's) holds a course certificate and a workshop one; Carim
    (A's unit) a revoked workshop one; Bob (agency B) a workshop one, out of scope."""
    w = world
    w.workshop = make_workshop(slug="sahel", starts_on=date(2026, 3, 2), days=1)
    certify(w.alice, w.course, issued=aware(2025, 1, 11))
    certify_workshop(w.alice, w.workshop, issued=aware(2026, 3, 2, 16))
    certify_workshop(w.carim, w.workshop, issued=aware(2026, 3, 2, 16), revoked=True)
    certify_workshop(w.bob, w.workshop, issued=aware(2026, 3, 2, 16))
    return w


def test_workshop_certificates_are_a_row_of_their_own(mixed):
    scope = manager_scope(user=mixed.manager)
    with translation.override("en"):
        rows = certificate_counts(scope=scope, filters=ReportFilters(), now=NOW)
    #                                        issued valid expiring expired renewed revoked
    assert _counts(rows) == {
        "Electronic evidence": (1, 1, 0, 0, 0, 0),
        "Workshop: Workshop sahel": (2, 1, 0, 0, 0, 1),
    }
    with translation.override("fr"):
        rows = certificate_counts(scope=Scope(everything=True), filters=ReportFilters(), now=NOW)
    assert _counts(rows)["Atelier : Atelier sahel"] == (3, 2, 0, 0, 0, 1)


def test_the_kind_filter(mixed):
    scope = Scope(everything=True)
    workshops = certificate_counts(scope=scope, filters=ReportFilters(), now=NOW, kind="workshop")
    courses = certificate_counts(scope=scope, filters=ReportFilters(), now=NOW, kind="course")
    assert [r.issued for r in workshops] == [3]
    assert all(not str(r.key).startswith("workshop-") for r in courses)
    by_country = certificate_counts(
        scope=scope, filters=ReportFilters(), by=Dimension.COUNTRY, now=NOW, kind="workshop"
    )
    assert {r.label: r.issued for r in by_country} == {"Niger": 2, "Tunisia": 1}


def test_a_deleted_workshops_certificates_still_count(mixed):
    mixed.workshop.delete()
    with translation.override("en"):
        rows = certificate_counts(scope=Scope(everything=True), filters=ReportFilters(), now=NOW)
    assert _counts(rows)["Workshop removed"] == (3, 2, 0, 0, 0, 1)


def _text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_page_and_csv_with_the_kind_filter(client, mixed):
    client.force_login(mixed.manager)
    with translation.override("fr"):
        page_url = reverse("certificates:report_by_course")
    page = client.get(page_url, {"kind": "workshop"})
    assert page.status_code == 200
    table = page.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    assert "Atelier : Atelier sahel" in table and "Preuve électronique" not in table
    response = client.get(page_url, {"kind": "workshop", "format": "csv"})
    rows = list(csv.reader(io.StringIO(_text(response))))
    assert rows[1][:2] == ["Atelier : Atelier sahel", "2"]
    assert len(rows) == 2
    both = client.get(page_url, {"format": "csv"})
    labels = [r[0] for r in csv.reader(io.StringIO(_text(both)))][1:]
    assert labels == ["Atelier : Atelier sahel", "Preuve électronique"]
    assert client.get(page_url, {"kind": "nonsense"}).status_code in (200, 400)
