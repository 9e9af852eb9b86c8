"""The XSS corpus rendered in a module by a real browser: no dialog opens, no script runs.

The Content-Security-Policy is switched off for this test so that it proves the sanitiser on
its own; in production the policy is a second, independent barrier.
"""

import pytest

from tests.browser.conftest import sign_in
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory
from tests.security.xss_vectors import vectors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHUNK = 60


def _trap_scripts(page) -> list[str]:
    """Record any dialog, and any call of alert/confirm/prompt/print, in `page`."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(
        "window.__ran = [];"
        "for (const name of ['alert', 'confirm', 'prompt', 'print']) {"
        "  window[name] = function () { window.__ran.push(name); };"
        "}"
    )
    return dialogs


def corpus_blocks() -> list[dict]:
    corpus = vectors()
    return [
        {"type": "paragraph", "value": "<p>" + "</p><p>".join(corpus[i : i + CHUNK]) + "</p>"}
        for i in range(0, len(corpus), CHUNK)
    ]


def test_the_corpus_in_a_module_runs_no_script(page, live_server, settings, password):
    settings.TADRIB_CSP_ENABLED = False
    LearnerFactory(username="reader", preferred_language="en")
    course = make_course(slug="hostile")
    module = make_module(course, slug="corpus", body={"en": corpus_blocks()})
    dialogs = _trap_scripts(page)
    sign_in(page, live_server.url, "en", "reader", password)
    response = page.goto(live_server.url + module.get_url())
    assert response.status == 200
    assert "Content-Security-Policy" not in response.headers
    # Fire the events that surviving handlers would listen to, on every element.
    page.evaluate(
        "() => document.querySelectorAll('main *').forEach(e => ['mouseover', 'mouseenter', "
        "'focus', 'load', 'error', 'toggle', 'animationstart'].forEach(t => "
        "e.dispatchEvent(new Event(t))))"
    )
    page.wait_for_timeout(500)
    assert dialogs == []
    assert page.evaluate("window.__ran") == []
    assert (
        page.evaluate(
            "() => [...document.querySelectorAll('main *')].filter(e => "
            "[...e.attributes].some(a => a.name.startsWith('on') || a.name === 'style')).length"
        )
        == 0
    )
    assert page.evaluate("() => document.querySelectorAll('main script, main iframe').length") == 0
    hrefs = page.evaluate(
        "() => [...document.querySelectorAll('main a[href]')].map(a => a.protocol)"
    )
    assert set(hrefs) <= {"http:", "https:", "mailto:"}


def _hostile_quiz(course):
    from quizzes.packages import quiz_create

    corpus = vectors()
    questions = [
        {
            "type": "single",
            "marks": 1,
            "text": {"en": "<p>" + "</p><p>".join(corpus[i : i + CHUNK]) + "</p>"},
            "feedback": {"en": "<p>" + "</p><p>".join(corpus[i : i + CHUNK]) + "</p>"},
            "choices": [
                {"text": {"en": corpus[i]}, "correct": True, "feedback": {"en": corpus[i + 1]}},
                {"text": {"en": corpus[i + 2]}, "correct": False},
            ],
        }
        for i in range(0, len(corpus) - 3, CHUNK)
    ]
    data = {
        "type": "quiz", "slug": "hostile-quiz", "title": {"en": "Hostile quiz"},
        "pass_mark": 50, "max_attempts": 0, "grading": "highest", "time_limit_minutes": 0,
        "shuffle": False, "review": "answers_and_feedback", "questions": questions,
    }  # fmt: skip
    return quiz_create(course=course, data=data, category_name="Hostile")


def _assert_nothing_ran(page, dialogs):
    page.evaluate(
        "() => document.querySelectorAll('main *').forEach(e => ['mouseover', 'mouseenter', "
        "'focus', 'load', 'error', 'toggle', 'animationstart'].forEach(t => "
        "e.dispatchEvent(new Event(t))))"
    )
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.evaluate("window.__ran") == []
    assert page.evaluate("() => document.querySelectorAll('main script, main iframe').length") == 0


def test_the_corpus_in_a_quiz_runs_no_script(page, live_server, settings, password):
    settings.TADRIB_CSP_ENABLED = False
    LearnerFactory(username="reader", preferred_language="en")
    quiz = _hostile_quiz(make_course(slug="hostile-quiz-course"))
    dialogs = _trap_scripts(page)
    sign_in(page, live_server.url, "en", "reader", password)
    page.goto(live_server.url + quiz.get_url())
    _assert_nothing_ran(page, dialogs)
    page.click("form[action*='/start/'] button")
    page.wait_for_load_state()
    assert "/quizzes/attempts/" in page.url
    _assert_nothing_ran(page, dialogs)  # question texts and choices
    page.locator("fieldset input[type=radio]").first.check()
    page.click("button[value=submit]")
    page.wait_for_load_state()
    _assert_nothing_ran(page, dialogs)  # the unanswered questions, listed to confirm
    page.click("button[name=confirm]")
    page.wait_for_load_state()
    _assert_nothing_ran(page, dialogs)  # review with feedback
