"""A survey answered in Arabic on a 360 px phone, without JavaScript, and its results; axe
clean on the survey and the results in the three languages. Screenshots:
/tmp/w15-surveys-shots/ (looked at: right-to-left, nothing cut at 360 px)."""

from pathlib import Path

import pytest
from django.utils import translation

from surveys import services
from surveys.models import SurveyPage, SurveyResponse
from tests.browser.conftest import sign_in
from tests.courses.factories import make_course
from tests.factories import LearnerFactory, ManagerFactory, OrganisationFactory
from tests.surveys.factories import answers_for, make_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/w15-surveys-shots")


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _url(live_server, survey, language) -> str:
    with translation.override(language):
        return live_server.url + SurveyPage.objects.get(pk=survey.pk).get_url()


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_arabic_phone_answers_a_survey_without_javascript(browser, live_server, site, password):
    course = make_course(slug="evidence")
    survey = make_survey(course)
    LearnerFactory(username="salma", preferred_language="ar")
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False, locale="ar"
    )
    page = context.new_page()
    sign_in(page, live_server.url, "ar", "salma", password)
    page.goto(_url(live_server, survey, "ar"))
    assert page.get_attribute("html", "dir") == "rtl"
    assert _fits(page)
    _shot(page, "survey-ar-360")
    questions = list(survey.questions.all().order_by("sort_order"))
    page.check(f"input[name=q{questions[0].pk}][value='4']")
    page.check(f"input[name=q{questions[1].pk}][value='1']")
    page.check(f"input[name=q{questions[2].pk}][value='0']")
    for item, rank in enumerate(["3", "1", "2"]):
        page.select_option(f"select[name=q{questions[3].pk}-{item}]", rank)
    page.fill(f"textarea[name=q{questions[4].pk}]", "نحتاج إلى تمارين عملية")
    page.click("form.survey-form button[type=submit]")
    page.wait_for_load_state()
    assert "شكرًا لك" in page.inner_text(".messages")
    assert _fits(page)
    _shot(page, "survey-ar-360-answered")
    assert SurveyResponse.objects.get().language == "ar"
    context.close()


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_survey_and_results_are_axe_clean(page, live_server, axe, password, language):
    course = make_course(slug="evidence")
    survey = make_survey(course)
    organisation = OrganisationFactory(country="NE")
    for n in range(6):
        services.response_submit(
            survey=survey,
            user=LearnerFactory(organisation=organisation),
            answers=answers_for(survey, scale=1 + n % 5, text=f"réponse {n}"),
            language=["ar", "fr", "en"][n % 3],
        )
    LearnerFactory(username="officer", preferred_language=language)
    sign_in(page, live_server.url, language, "officer", password)
    page.goto(_url(live_server, survey, language))
    assert page.get_attribute("html", "lang") == language
    assert axe(page) == []
    page.context.clear_cookies()
    ManagerFactory(username="boss", preferred_language=language, is_superuser=True)
    sign_in(page, live_server.url, language, "boss", password)
    page.goto(f"{live_server.url}/{language}/reports/surveys/{survey.pk}/?breakdown=language")
    assert page.locator(".diverging__row").count() == 1
    assert axe(page) == []
    _shot(page, f"results-{language}")
    if language == "ar":
        page.set_viewport_size({"width": 360, "height": 740})
        assert _fits(page)
        _shot(page, "results-ar-360")
