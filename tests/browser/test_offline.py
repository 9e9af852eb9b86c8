"""Offline in Chromium (issue 17): a kept course read and completed without a connection, a
quiz submitted offline, a shared computer, a kept module refreshed after a publish, the
offline page. Playwright's offline mode (`context.set_offline`) cuts the page and its worker.
"""

import pytest
from django.utils import translation

from courses.models import ActivityCompletion
from offline.models import ReceivedAction
from quizzes.models import QuizAttempt
from quizzes.question_types import QUESTION_TYPES
from quizzes.services import attempt_start
from tests.browser.conftest import sign_in
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory
from tests.quizzes.factories import make_questions, make_quiz, right_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/w17-offline-shots"


def url_of(page_obj, language):
    with translation.override(language):
        return page_obj.get_url()


def eventually(page, script, arg, attempts=100):
    """Wait until the async `script` is true in the page (the worker works in the background)."""
    for _ in range(attempts):
        if page.evaluate(script, arg):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {script}")


def keep(page, course_url):
    """Open the course page, wait for the worker, keep the course; return the size shown."""
    page.goto(course_url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    button = page.locator("[data-offline-course] button")
    label = button.inner_text()
    button.click()
    page.locator("[data-offline-course] p").filter(has_text="(").wait_for()
    page.wait_for_function(
        "document.querySelector('[data-offline-course] button').textContent.length > 0"
        " && !document.querySelector('[data-offline-course] button').disabled"
    )
    return label


def course_with_modules(slug="evidence", count=3):
    course = make_course(
        slug=slug,
        title={
            "en": "Electronic evidence",
            "fr": "Preuve électronique",
            "ar": "الأدلة الإلكترونية",
        },
    )
    modules = [make_module(course, slug=f"{slug}-{n}") for n in range(1, count + 1)]
    return course, modules


def test_a_kept_course_is_read_and_completed_offline_and_counted_once(page, live_server, password):
    learner = LearnerFactory(username="reader", preferred_language="en")
    course, modules = course_with_modules()
    sign_in(page, live_server.url, "en", "reader", password)
    label = keep(page, live_server.url + url_of(course, "en"))
    assert label.startswith("Keep this course on this device (")
    assert "kB" in label or "MB" in label
    assert "Kept on this device" in page.inner_text("[data-offline-course]")
    # Keeping is not reading: no module was opened on the server.
    assert not ActivityCompletion.objects.filter(user=learner).exists()

    page.context.set_offline(True)
    for module in modules:
        page.goto(live_server.url + url_of(module, "en"))
        assert page.locator("h1").inner_text() == module.title
        assert "You are offline" in page.locator(".offline-banner").inner_text()
    page.goto(live_server.url + url_of(modules[0], "en"))
    page.click("form[action$='/complete/'] button")
    page.locator(".offline-queued").wait_for()
    assert not ActivityCompletion.objects.filter(user=learner, state="complete").exists()

    page.context.set_offline(False)
    page.locator(".offline-notice").filter(has_text="has been received").wait_for()
    page.reload()  # a second send of the queue, if anything were left, counts nothing more
    page.goto(live_server.url + url_of(modules[1], "en"))
    assert ReceivedAction.objects.filter(user=learner).count() == 1
    completions = ActivityCompletion.objects.filter(user=learner, state="complete")
    assert [c.activity_id for c in completions] == [modules[0].pk]
    assert page.locator("progress").first.get_attribute("value") == "33"


def test_a_lesson_read_online_with_nothing_queued_fetches_only_the_loader(
    page, live_server, password
):
    """Every page carries the loader (0.8 KB); the rest comes only where it has work."""
    LearnerFactory(username="reader", preferred_language="fr")
    course, modules = course_with_modules(count=1)
    sign_in(page, live_server.url, "fr", "reader", password)
    scripts: list[str] = []
    page.on("request", lambda r: r.resource_type == "script" and scripts.append(r.url))
    for _visit in range(2):  # before and after the worker controls the page
        page.goto(live_server.url + url_of(modules[0], "fr"))
        assert page.evaluate("TadribOffline.checked.then(() => !TadribOffline.more)")
    assert [u for u in scripts if "/js/offline.js" in u]
    assert not [u for u in scripts if "offline-more" in u]
    page.goto(live_server.url + url_of(course, "fr"))  # a page with an offline box
    page.locator("[data-offline-course] button").wait_for()
    assert [u for u in scripts if "offline-more" in u]


def test_a_page_not_kept_shows_the_offline_page_in_three_languages(
    page, live_server, password, axe, screenshot
):
    LearnerFactory(username="reader", preferred_language="ar")
    course, modules = course_with_modules(count=1)
    other, _others = course_with_modules(slug="other", count=1)
    sign_in(page, live_server.url, "ar", "reader", password)
    keep(page, live_server.url + url_of(course, "ar"))
    for language in ("fr", "en"):  # the worker keeps the offline page of the languages read
        page.goto(f"{live_server.url}/{language}/learning/")
        eventually(page, "async (url) => !!(await caches.match(url))", f"/{language}/offline/")
    page.context.set_offline(True)
    page.goto(live_server.url + url_of(modules[0], "ar"))
    page.locator(".offline-banner").wait_for()
    page.screenshot(path=f"{SHOTS}/banner-ar.png", full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=f"{SHOTS}/banner-ar-360.png", full_page=True)
    assert axe(page) == []
    page.set_viewport_size({"width": 1200, "height": 900})
    headings = {
        "ar": "أنت غير متصل بالإنترنت",
        "fr": "Vous êtes hors ligne",
        "en": "You are offline",
    }
    for language, heading in headings.items():
        page.goto(live_server.url + url_of(other, language))
        assert page.locator("h1").inner_text() == heading
        assert page.get_attribute("html", "lang") == language
        assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
        assert axe(page) == []
        page.screenshot(path=f"{SHOTS}/offline-page-{language}.png", full_page=True)
    page.goto(live_server.url + url_of(other, "ar"))
    page.locator("[data-offline-kept] a").wait_for()
    assert page.locator("[data-offline-kept] a").inner_text() == "الأدلة الإلكترونية"


def test_a_quiz_submitted_offline_is_accepted_once_and_the_learner_told_when(
    page, live_server, password
):
    learner = LearnerFactory(username="officer", preferred_language="en")
    quiz = make_quiz(questions=make_questions(["single", "true_false"]), time_limit_minutes=20)
    attempt = attempt_start(user=learner, quiz=quiz, language="en")
    sign_in(page, live_server.url, "en", "officer", password)
    page.goto(f"{live_server.url}/en/quizzes/attempts/{attempt.pk}/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.context.set_offline(True)
    answers = right_answers(attempt)
    for entry in attempt.layout:
        values = QUESTION_TYPES[entry["type"]].initial(entry, answers[entry["question"]])
        for name, value in values.items():
            page.check(f"input[name={name}][value={value}]")
    page.click("button[name=action][value=submit]")
    page.locator(".offline-notice").filter(has_text="kept on this device").wait_for()
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.IN_PROGRESS

    page.context.set_offline(False)
    told = page.locator(".offline-notice").filter(has_text="within the time limit")
    told.wait_for()
    assert told.inner_text().startswith("Submitted at ")
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.SUBMITTED
    assert attempt.score == 100
    page.click(".offline-notice a")
    assert page.url.endswith(f"/attempts/{attempt.pk}/result/")
    assert ReceivedAction.objects.filter(user=learner, kind="quiz-submit").count() == 1
    assert QuizAttempt.objects.filter(user=learner).count() == 1


def test_on_a_shared_computer_the_next_learner_finds_nothing_of_the_last(
    page, live_server, password
):
    LearnerFactory(username="first", preferred_language="en")
    LearnerFactory(username="second", preferred_language="en")
    course, modules = course_with_modules()
    sign_in(page, live_server.url, "en", "first", password)
    keep(page, live_server.url + url_of(course, "en"))
    page.goto(live_server.url + url_of(modules[0], "en"))
    with page.expect_navigation():
        page.click("button.link-button")  # Sign out
    page.wait_for_load_state()
    storage = page.evaluate(
        "async () => ({caches: await caches.keys(),"
        " dbs: (await indexedDB.databases()).map(d => d.name),"
        " workers: (await navigator.serviceWorker.getRegistrations()).length})"
    )
    assert [name for name in storage["caches"] if name.startswith("tadrib-p-")] == []
    assert "tadrib-offline" not in storage["dbs"]  # Clear-Site-Data took the database
    assert storage["workers"] == 0

    sign_in(page, live_server.url, "en", "second", password)
    page.goto(f"{live_server.url}/en/learning/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.locator("[data-offline-storage]").filter(has_text="No course").wait_for()
    page.context.set_offline(True)
    for module in modules:
        page.goto(live_server.url + url_of(module, "en"))
        assert page.locator("h1").inner_text() == "You are offline"
    leftovers = page.evaluate(
        """async () => {
            const found = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) { found.push(request.url); }
            }
            return found;
        }"""
    )
    assert not [url for url in leftovers if "/evidence" in url]


def test_the_worker_refreshes_a_kept_module_after_a_publish(page, live_server, password):
    LearnerFactory(username="reader", preferred_language="en")
    course, modules = course_with_modules(count=2)
    sign_in(page, live_server.url, "en", "reader", password)
    keep(page, live_server.url + url_of(course, "en"))
    module = modules[1].specific
    module.body_en = [{"type": "paragraph", "value": "<p>Revised after the new law.</p>"}]
    module.save_revision().publish()
    page.goto(f"{live_server.url}/en/learning/")  # a page load: the generation moved
    eventually(
        page,
        """async (url) => {
            const names = (await caches.keys()).filter(n => n.startsWith('tadrib-p-'));
            const cache = await caches.open(names[0]);
            const hit = await cache.match(url, {ignoreVary: true});
            return !!hit && (await hit.text()).includes('Revised after the new law.');
        }""",
        url_of(module, "en"),
    )
    page.context.set_offline(True)
    response = page.goto(live_server.url + url_of(module, "en"))
    assert response.from_service_worker
    assert "Revised after the new law." in page.inner_text("main")


def test_storage_on_my_learning_in_arabic_on_a_phone_and_freeing_it(
    page, live_server, password, axe
):
    LearnerFactory(username="reader", preferred_language="ar")
    course, modules = course_with_modules(count=2)
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, "ar", "reader", password)
    label = keep(page, live_server.url + url_of(course, "ar"))
    assert label.startswith("احتفظ بهذه الدورة على هذا الجهاز")
    box = page.locator("[data-offline-course]")
    assert box.locator("h3").inner_text() == "متاح دون اتصال"
    assert axe(page) == []
    box.screenshot(path=f"{SHOTS}/keep-ar-360.png")
    page.goto(f"{live_server.url}/ar/learning/")
    storage = page.locator("[data-offline-storage]")
    storage.locator("li").wait_for()
    assert "الأدلة الإلكترونية" in storage.inner_text()
    assert axe(page) == []
    page.screenshot(path=f"{SHOTS}/storage-ar-360.png", full_page=True)
    storage.locator("button").click()
    storage.filter(has_text="لا توجد دورة محفوظة").wait_for()
    page.context.set_offline(True)
    page.goto(live_server.url + url_of(modules[0], "ar"))
    assert page.locator("h1").inner_text() == "أنت غير متصل بالإنترنت"


RECORDS = """async () => {
    const db = await new Promise((ok, ko) => {
        const r = indexedDB.open('tadrib-offline', 1);
        r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error);
        r.onupgradeneeded = () => ['meta', 'courses', 'queue', 'outcomes', 'answers']
            .forEach(n => r.result.createObjectStore(n, {keyPath: 'key'}));
    });
    const found = {};
    for (const name of ['courses', 'queue', 'answers', 'outcomes']) {
        found[name] = await new Promise(ok => {
            const q = db.transaction(name).objectStore(name).getAll();
            q.onsuccess = () => ok(q.result.length);
        });
    }
    db.close();
    return found;
}"""


def test_a_learner_who_walks_away_leaves_nothing_for_the_next(page, live_server, password):
    """A keeps a course and marks a module complete offline, then leaves without signing out;
    their session ends. B signs in: none of A's pages, none of A's queue."""
    first = LearnerFactory(username="first", preferred_language="en")
    second = LearnerFactory(username="second", preferred_language="en")
    course, modules = course_with_modules(count=2)
    sign_in(page, live_server.url, "en", "first", password)
    keep(page, live_server.url + url_of(course, "en"))
    page.context.set_offline(True)
    page.goto(live_server.url + url_of(modules[0], "en"))
    page.click("form[action$='/complete/'] button")
    page.locator(".offline-queued").wait_for()
    assert page.evaluate(RECORDS) == {"courses": 1, "queue": 1, "answers": 0, "outcomes": 0}

    page.context.clear_cookies()  # A's session is over; the browser profile stays
    page.context.set_offline(False)
    sign_in(page, live_server.url, "en", "second", password)
    page.goto(f"{live_server.url}/en/learning/")
    page.locator("[data-offline-storage]").filter(has_text="No course").wait_for()
    assert page.evaluate(RECORDS) == {"courses": 0, "queue": 0, "answers": 0, "outcomes": 0}
    page.context.set_offline(True)
    for module in modules:
        page.goto(live_server.url + url_of(module, "en"))
        assert page.locator("h1").inner_text() == "You are offline"
    # A's queued completion was never sent under B's session.
    assert not ActivityCompletion.objects.filter(state="complete").exists()
    assert not ReceivedAction.objects.filter(user__in=[first, second]).exists()
