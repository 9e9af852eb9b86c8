from pathlib import Path

import pytest
from django.utils import timezone

from tests.browser.conftest import sign_in
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory, ManagerFactory, OrganisationFactory
from tests.reports.factories import enrol, record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_filters_the_overview_in_french_and_exports_csv(
    page, live_server, screenshot, axe, password
):
    agency = OrganisationFactory(name_en="Judicial police", name_fr="Police judiciaire")
    other = OrganisationFactory(name_en="Customs", name_fr="Douanes", country="TN")
    ManagerFactory(username="manager", organisation=agency, preferred_language="fr")
    evidence = make_course(
        slug="evidence",
        title={
            "en": "Electronic evidence",
            "fr": "Preuve électronique",
            "ar": "الأدلة الإلكترونية",
        },
    )
    ftf = make_course(
        slug="ftf",
        title={
            "en": "Foreign terrorist fighters",
            "fr": "Combattants terroristes étrangers",
            "ar": "المقاتلون الإرهابيون الأجانب",
        },
    )
    module = make_module(evidence, slug="types")
    make_module(ftf, slug="intro")
    for n in range(4):
        learner = LearnerFactory(
            username=f"officer{n}", last_name=f"Officier {n}", organisation=agency
        )
        # officer0 completed, officer1 and officer2 in progress, officer3 not started.
        enrol(
            learner,
            evidence,
            last_activity_at=None if n == 3 else timezone.now(),
            completed_at=timezone.now() if n == 0 else None,
        )
        enrol(learner, ftf)
        if n < 2:
            record(learner, module)
    outsider = LearnerFactory(username="outsider", last_name="Étranger", organisation=other)
    enrol(outsider, evidence)

    sign_in(page, live_server.url, "fr", "manager", password)
    page.goto(f"{live_server.url}/fr/reports/")
    assert page.get_attribute("html", "lang") == "fr"
    table = page.locator("table.report-table")
    assert "Preuve électronique" in table.inner_text()
    assert "Combattants terroristes étrangers" in table.inner_text()
    assert page.locator("svg.chart rect.chart__bar").count() == 2

    page.select_option("#id_course", label="Preuve électronique")
    page.click("form.report-filters button[type=submit]")
    page.wait_for_load_state()
    assert f"course={evidence.pk}" in page.url
    rows = table.locator("tbody tr")
    assert rows.count() == 1
    assert "Preuve électronique" in rows.first.inner_text()
    assert axe(page) == []
    screenshot(page, "reports-overview-fr")

    with page.expect_download() as download_info:
        page.click("a[download]")
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("Preuve électronique,4,1,2,1,25,")
    assert "Étranger" not in text
