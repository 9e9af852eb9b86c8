from datetime import timedelta
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
    assert page.locator(".chart .chart__row").count() == 2

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


# --- reports on a phone, and on paper (issue 13) -----------------------------------------------

PHONE = {"width": 360, "height": 740}
LONG_TITLES = {
    "en": "Special investigation techniques against online recruitment",
    "fr": "Techniques spéciales d'enquête contre le recrutement en ligne",
    "ar": "أساليب التحري الخاصة لمكافحة التجنيد عبر الإنترنت",
}


def phone_world():
    """A manager of a national police with a unit; a course with long titles and six
    activities; learners at every stage, two of them assigned the course, one overdue."""
    agency = OrganisationFactory(
        name_en="National judicial police",
        name_fr="Direction de la police judiciaire",
        name_ar="المديرية العامة للشرطة القضائية",
        country="MA",
    )
    ManagerFactory(username="manager", organisation=agency, preferred_language="fr")
    course = make_course(
        slug="sit",
        title=LONG_TITLES,
    )
    modules = [
        make_module(
            course,
            slug=f"part-{n}",
            title={
                "en": f"Part {n}: preserving electronic evidence across borders",
                "fr": f"Partie {n} : conservation des preuves électroniques transfrontalières",
                "ar": f"الجزء {n}: حفظ الأدلة الإلكترونية عبر الحدود",
            },
        )
        for n in range(1, 7)
    ]
    other = make_course(slug="ftf")
    make_module(other, slug="intro")
    for n in range(6):
        learner = LearnerFactory(
            username=f"officer{n}",
            first_name="Mohamed-Amine",
            last_name=f"Benabdellah {n}",
            organisation=agency,
        )
        done = modules[: n + 1]
        enrol(
            learner,
            course,
            last_activity_at=timezone.now(),
            completed_at=timezone.now() if n == 5 else None,
            language=("fr", "ar")[n % 2],
        )
        for module in done:
            record(learner, module)
        if n < 2:
            enrol(
                learner,
                other,
                assigned_by=None,
                due_date=timezone.localdate() - timedelta(days=3 - 10 * n),
            )
    return course


def no_page_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def assert_words_whole(page, selector):
    """No word of these elements is broken across lines: each element is at least as wide as
    its longest word (a word broken mid-way would make it narrower). Hyphens may break."""
    narrow = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].filter((el) => {
            const range = document.createRange();
            return el.innerText.split(/[\\s-]+/).filter(Boolean).some((word) => {
                const probe = document.createElement('span');
                probe.style.whiteSpace = 'nowrap';
                probe.textContent = word;
                el.appendChild(probe);
                const wide = probe.getBoundingClientRect().width;
                probe.remove();
                return wide > el.getBoundingClientRect().width + 1;
            });
        }).map((el) => el.innerText)""",
        selector,
    )
    assert narrow == []


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_every_report_is_usable_on_a_phone(page, live_server, screenshot, axe, password, language):
    course = phone_world()
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, language, "manager", password)
    base = f"{live_server.url}/{language}/reports/"

    page.goto(base)
    assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
    assert no_page_overflow(page)
    # Chart labels: whole, on the page, never cut.
    for label in page.locator(".chart__label").all():
        box = label.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert label.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    assert LONG_TITLES[language] in page.inner_text(".chart")
    # Numbers and dates never wrap (white-space: nowrap); text cells wrap between words.
    assert_words_whole(page, ".report-table th, .report-table__text, .chart__label")
    # The table scrolls sideways in its region; its first column stays in view.
    region = page.locator(".table-scroll").first
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    first = page.locator(".report-table tbody th").first
    before = first.bounding_box()
    # Scroll to the far inline end (negative scrollLeft in right-to-left).
    region.evaluate(
        "el => { el.scrollLeft = el.scrollWidth"
        " * (getComputedStyle(el).direction === 'rtl' ? -1 : 1); }"
    )
    assert abs(first.bounding_box()["x"] - before["x"]) < 1
    assert page.evaluate("document.documentElement.scrollHeight") < 3000
    assert axe(page) == []
    screenshot(page, f"reports-overview-{language}-360")

    page.goto(f"{base}courses/{course.pk}/")
    assert no_page_overflow(page)
    headers = page.locator(".report-table thead .matrix-head__number")
    assert headers.count() == 6
    assert headers.first.inner_text() == "1"
    # The full title: in the legend, and on keyboard focus.
    legend = page.locator(".matrix-legend li")
    assert legend.count() == 6 and "1" in legend.first.inner_text()
    # On focus, each title is shown whole inside the table's visible region.
    region = page.locator(".table-scroll")
    for number in range(6):
        headers.nth(number).focus()
        tip = page.locator(".report-table thead .matrix-head__title").nth(number)
        assert tip.is_visible() and str(number + 1) in tip.inner_text()
        shown, visible = tip.bounding_box(), region.bounding_box()
        assert visible["x"] <= shown["x"] + 1
        assert shown["x"] + shown["width"] <= visible["x"] + visible["width"] + 1
    screenshot(page, f"reports-matrix-{language}-360")
    assert_words_whole(page, ".report-table tbody th, .report-table__text, .matrix-legend li")
    assert axe(page) == []

    page.goto(f"{base}assignments/")
    screenshot(page, f"reports-assignments-{language}-360")
    assert no_page_overflow(page), page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right"
        " > innerWidth + 1).slice(0, 5).map(e => e.outerHTML.slice(0, 120))"
    )
    assert page.locator(".report-table tbody tr").count() == 2
    assert axe(page) == []

    # Change an assignment: a past date is refused in the manager's language.
    page.locator(".report-actions a").first.click()
    page.wait_for_load_state()
    page.fill("#id_due_date", "2020-01-31")
    page.click("form.form button[type=submit]:not([name])")
    page.wait_for_load_state()
    error = {"fr": "Cette date est passée", "ar": "هذا التاريخ قد مضى"}[language]
    assert error in page.inner_text(".field__error")
    assert no_page_overflow(page)
    assert axe(page) == []
    screenshot(page, f"reports-assignment-{language}-360")
    page.goto(f"{base}assignments/")
    screenshot(page, f"reports-assignments-{language}-360")

    page.locator(".report-table tbody th a").first.click()
    page.wait_for_load_state()
    assert no_page_overflow(page)
    assert axe(page) == []
    screenshot(page, f"reports-learner-{language}-360")


def test_a_printed_report_states_organisation_filters_and_date(
    page, live_server, screenshot, password
):
    course = phone_world()
    sign_in(page, live_server.url, "fr", "manager", password)
    page.goto(f"{live_server.url}/fr/reports/?course={course.pk}&date_from=2020-01-01")
    header = page.locator(".print-header")
    assert not header.is_visible()
    page.emulate_media(media="print")
    assert header.is_visible()
    text = header.inner_text()
    assert "Direction de la police judiciaire" in text
    assert LONG_TITLES["fr"] in text and "01/01/2020" in text
    assert timezone.localdate().strftime("%Y") in text
    assert not page.locator(".report-filters").is_visible()
    screenshot(page, "reports-print-fr")
