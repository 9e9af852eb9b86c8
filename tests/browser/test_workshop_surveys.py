"""A workshop's needs assessment and evaluation in Chromium: the participant's page in Arabic
on a 360 px phone (and the survey it links to, answered without JavaScript), and axe clean on
the participant's page, the results broken down by workshop and the knowledge-gain report's
evaluation summary in the three languages. Screenshots: /tmp/w15d-shots/ (looked at)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from surveys import services
from surveys.models import SurveyParticipation
from tests.browser.conftest import sign_in
from tests.courses.factories import make_course
from tests.factories import LearnerFactory, OrganisationFactory, UserFactory
from tests.surveys.factories import answers_for, make_survey, tr
from tests.workshops.factories import add_participants, make_workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/w15d-shots")


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def _world():
    course = make_course(slug="evidence")
    needs = make_survey(course, slug="needs", required=False)
    evaluation = make_survey(
        course,
        slug="evaluation",
        required=False,
        title=tr("Workshop evaluation", "Évaluation de l'atelier", "تقييم الورشة"),
    )
    workshop = make_workshop(
        slug="regional",
        starts_on=timezone.localdate() - timedelta(days=20),
        needs_survey=needs,
        evaluation_survey=evaluation,
    )
    people = [LearnerFactory(organisation=OrganisationFactory(country=c)) for c in ["NE"] * 6]
    people += [LearnerFactory(organisation=OrganisationFactory(country="MA")) for _ in range(7)]
    add_participants(workshop, people[:8])
    for n, user in enumerate(people):
        services.response_submit(
            survey=evaluation,
            user=user,
            answers=answers_for(evaluation, scale=1 + n % 5, text=f"réponse {n}"),
            language=["ar", "fr", "en"][n % 3],
        )
    salma = LearnerFactory(username="salma", preferred_language="ar")
    add_participants(workshop, [salma])
    return workshop, needs, evaluation


def test_arabic_phone_participant_page_links_the_surveys(browser, live_server, site, password):
    workshop, needs, _evaluation = _world()
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False, locale="ar"
    )
    page = context.new_page()
    sign_in(page, live_server.url, "ar", "salma", password)
    page.goto(f"{live_server.url}/ar/workshops/{workshop.slug}/")
    assert page.get_attribute("html", "dir") == "rtl"
    section = page.locator("section[aria-labelledby=surveys-title]")
    assert "تقييم الاحتياجات" in section.inner_text()
    assert "مفتوح: لم تُجب بعد" in section.inner_text()
    assert _fits(page)
    _shot(page, "workshop-ar-360")
    section.get_by_role("link", name="أجب عن الاستبيان").first.click()
    page.wait_for_load_state()
    questions = list(needs.questions.all().order_by("sort_order"))
    page.check(f"input[name=q{questions[0].pk}][value='4']")
    page.check(f"input[name=q{questions[1].pk}][value='1']")
    for item, rank in enumerate(["3", "1", "2"]):
        page.select_option(f"select[name=q{questions[3].pk}-{item}]", rank)
    page.click("form.survey-form button[type=submit]")
    page.wait_for_load_state()
    assert SurveyParticipation.objects.filter(survey=needs, user__username="salma").exists()
    page.goto(f"{live_server.url}/ar/workshops/{workshop.slug}/")
    text = page.locator("section[aria-labelledby=surveys-title]").inner_text()
    assert "تمت الإجابة" in text
    assert _fits(page)
    _shot(page, "workshop-ar-360-answered")
    context.close()


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_workshop_surveys_pages_are_axe_clean(page, live_server, axe, password, language):
    workshop, _needs, evaluation = _world()
    sign_in(page, live_server.url, language, "salma", password)
    page.goto(f"{live_server.url}/{language}/workshops/{workshop.slug}/")
    assert page.get_attribute("html", "lang") == language
    assert axe(page) == []
    page.context.clear_cookies()
    UserFactory(username="boss", preferred_language=language, is_superuser=True, is_staff=True)
    sign_in(page, live_server.url, language, "boss", password)
    page.goto(f"{live_server.url}/{language}/reports/surveys/{evaluation.pk}/?breakdown=workshop")
    assert page.locator(".survey-group, section").count() > 0
    assert axe(page) == []
    _shot(page, f"results-by-workshop-{language}")
    page.goto(
        f"{live_server.url}/{language}/reports/surveys/{evaluation.pk}/"
        f"?workshop={workshop.pk}&breakdown=country"
    )
    assert axe(page) == []
    page.goto(f"{live_server.url}/{language}/reports/workshops/{workshop.slug}/")
    assert page.locator("#evaluation-heading").count() == 1
    assert page.locator("section[aria-labelledby=evaluation-heading] table").count() == 1
    assert axe(page) == []
    _shot(page, f"report-evaluation-{language}")
    if language == "ar":
        page.set_viewport_size({"width": 360, "height": 740})
        assert _fits(page)
        _shot(page, "report-evaluation-ar-360")
        page.goto(f"{live_server.url}/ar/reports/surveys/{evaluation.pk}/?breakdown=workshop")
        assert _fits(page)
        _shot(page, "results-by-workshop-ar-360")
