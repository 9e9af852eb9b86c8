"""The offline endpoints over HTTP: manifest, worker, offline page, state, kept courses, the
queue accepted once, quiz submissions judged by the server's clock, sign-out clearing."""

import json
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import ActivityCompletion, Enrolment
from offline.models import ReceivedAction
from offline.selectors import partition_of
from quizzes import services as quiz_services
from quizzes.models import QuizAttempt
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory
from tests.quizzes.factories import make_quiz, post_data, right_answers

pytestmark = pytest.mark.django_db


def localized(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def course(site):
    course = make_course(slug="evidence")
    for slug in ("types", "preservation"):
        make_module(course, slug=slug)
    return course


def send(client, *items):
    return client.post(
        reverse("offline_sync"), json.dumps({"items": list(items)}), content_type="application/json"
    )


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("fr", "ltr"), ("ar", "rtl")])
def test_the_manifest_speaks_the_readers_language(client, site, language, direction):
    response = client.get(localized("offline:manifest", language))
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["lang"] == language
    assert data["dir"] == direction
    assert data["scope"] == "/"
    assert data["start_url"] == f"/{language}/learning/"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    if language == "ar":
        assert data["short_name"] == "تدريب"


def test_pages_link_the_manifest_and_one_script(signed_in, course):
    with translation.override("ar"):
        html = signed_in.get(course.get_url()).content.decode()
    assert '<link rel="manifest" href="/ar/offline/manifest.webmanifest">' in html
    assert html.count("js/offline.js") == 1
    assert f'data-offline-course="{course.pk}"' in html


def test_the_worker_is_served_from_the_root_never_stale(client, site):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert body.startswith("self.TADRIB = {")
    assert '"/ar/offline/"' in body
    assert "/static/css/tadrib.css" in body
    # The site's policy (no inline script anywhere) applies to the worker too.
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_offline_page_is_the_same_for_everyone(client, learner, site, language):
    anonymous = client.get(localized("offline:page", language))
    client.force_login(learner)
    signed = client.get(localized("offline:page", language))
    assert anonymous.status_code == signed.status_code == 200
    assert "public" in signed["Cache-Control"]
    assert anonymous.content == signed.content  # nothing personal: no name, no token
    assert learner.username.encode() not in signed.content
    assert b"csrfmiddlewaretoken" not in signed.content


def test_strings_are_translated(client, site):
    data = json.loads(client.get(localized("offline:strings", "fr")).content)
    assert data["offline"] == "Vous êtes hors ligne."
    assert "{size}" in data["keep"]


def test_state_names_a_partition_per_learner_and_refuses_anonymous(client, site):
    assert client.get(reverse("offline_state")).status_code == 403
    first, second = LearnerFactory(), LearnerFactory()
    client.force_login(first)
    state = json.loads(client.get(reverse("offline_state")).content)
    assert state["partition"] == partition_of(first) != partition_of(second)
    assert isinstance(state["generation"], int)
    assert "no-store" in client.get(reverse("offline_state"))["Cache-Control"]


def test_a_course_as_kept_lists_its_pages_in_the_language_and_its_size(signed_in, course):
    response = signed_in.get(localized("offline:course", "fr", course_id=course.pk))
    bundle = json.loads(response.content)
    with translation.override("fr"):
        assert bundle["pages"] == [course.get_url()] + [
            module.get_url() for module in course.get_children().live().specific()
        ]
    assert bundle["language"] == "fr"
    assert bundle["bytes"] > 0
    assert "no-store" in response["Cache-Control"]


def test_the_version_of_a_kept_course_moves_when_a_module_is_published(signed_in, course):
    before = json.loads(signed_in.get(localized("offline:course", course_id=course.pk)).content)
    module = course.get_children().live().first().specific
    module.body_en = [{"type": "paragraph", "value": "<p>Revised</p>"}]
    module.save_revision().publish()
    after = json.loads(signed_in.get(localized("offline:course", course_id=course.pk)).content)
    assert after["version"] != before["version"]
    assert after["pages"] == before["pages"]


def test_an_unpublished_course_is_not_there_to_keep(signed_in, course):
    course.unpublish()
    response = signed_in.get(localized("offline:course", course_id=course.pk))
    assert response.status_code == 404


def test_storing_a_module_for_offline_records_no_visit(signed_in, learner, course):
    module = course.get_children().live().first()
    signed_in.get(module.url, HTTP_X_TADRIB_PURPOSE="offline")
    assert not ActivityCompletion.objects.filter(user=learner).exists()
    signed_in.get(module.url)
    assert ActivityCompletion.objects.filter(user=learner).count() == 1
    # remembered route now: the worker's second fetch still records nothing more
    seen = ActivityCompletion.objects.get(user=learner).last_seen_at
    signed_in.get(module.url, HTTP_X_TADRIB_PURPOSE="offline")
    assert ActivityCompletion.objects.get(user=learner).last_seen_at == seen


def test_a_completion_sent_twice_counts_once(signed_in, learner, course):
    module = course.get_children().live().first()
    item = {
        "id": str(uuid.uuid4()),
        "kind": "complete",
        "page": module.pk,
        "at": "2026-03-01T10:42:00+00:00",
    }
    first = json.loads(send(signed_in, item).content)["results"][0]
    again = json.loads(send(signed_in, item, item).content)["results"]
    assert first["status"] == "accepted" and first["duplicate"] is False
    assert [r["duplicate"] for r in again] == [True, True]
    assert ReceivedAction.objects.filter(user=learner).count() == 1
    completion = ActivityCompletion.objects.get(user=learner, activity_id=module.pk)
    assert completion.state == ActivityCompletion.State.COMPLETE
    assert Enrolment.objects.get(user=learner, course=course).completed_at is None  # 1 of 2
    assert first["submitted_at"] == "2026-03-01T10:42:00+00:00"


def test_the_same_client_id_from_another_learner_is_theirs_alone(client, course):
    module = course.get_children().live().first()
    item = {"id": str(uuid.uuid4()), "kind": "complete", "page": module.pk}
    for learner in (LearnerFactory(), LearnerFactory()):
        client.force_login(learner)
        assert json.loads(send(client, item).content)["results"][0]["duplicate"] is False
        assert ActivityCompletion.objects.filter(user=learner, state="complete").count() == 1


@pytest.mark.parametrize(
    "item",
    [
        {"id": "not-a-uuid", "kind": "complete", "page": 1},
        {"id": str(uuid.uuid4()), "kind": "delete-everything"},
        {"id": str(uuid.uuid4()), "kind": "complete", "page": "1"},
        {"id": str(uuid.uuid4()), "kind": "complete", "page": 999_999},
        "a string",
    ],
)
def test_what_the_server_cannot_accept_is_refused(signed_in, course, item):
    result = json.loads(send(signed_in, item).content)["results"][0]
    assert result["status"] == "refused"


def test_the_queue_needs_a_signed_in_learner_and_a_csrf_token(client, learner, course):
    assert send(client, {"id": str(uuid.uuid4()), "kind": "complete"}).status_code == 403
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    assert send(strict, {"id": str(uuid.uuid4()), "kind": "complete"}).status_code == 403


def test_a_batch_too_large_is_refused(signed_in, course):
    items = [{"id": str(uuid.uuid4()), "kind": "complete", "page": 1}] * 51
    assert send(signed_in, *items).status_code == 400


def _fields(attempt, answers):
    data = post_data(attempt, answers)
    data.pop("action")
    return [
        [name, value]
        for name, values in data.items()
        for value in (values if isinstance(values, list) else [values])
    ]


@pytest.fixture
def attempt(learner, site):
    quiz = make_quiz(time_limit_minutes=10)
    return quiz_services.attempt_start(user=learner, quiz=quiz, language="en")


def test_a_quiz_submitted_offline_is_accepted_once_within_the_time_limit(signed_in, attempt):
    item = {
        "id": str(uuid.uuid4()),
        "kind": "quiz-submit",
        "attempt": attempt.pk,
        "page": None,
        "fields": _fields(attempt, right_answers(attempt)),
        "at": timezone.now().isoformat(),
    }
    results = [json.loads(send(signed_in, item).content)["results"][0] for _ in range(2)]
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.SUBMITTED
    assert attempt.score == 100
    assert results[0]["verdict"] == "within" and results[0]["duplicate"] is False
    assert results[1]["duplicate"] is True
    assert results[0]["result_url"] == f"/en/quizzes/attempts/{attempt.pk}/result/"
    assert QuizAttempt.objects.filter(user=attempt.user).count() == 1


def test_a_quiz_submission_received_after_the_grace_marks_what_arrived_in_time(
    signed_in, attempt, settings
):
    settings.QUIZ_TIME_LIMIT_GRACE_SECONDS = 30
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(seconds=31)
    )
    item = {
        "id": str(uuid.uuid4()),
        "kind": "quiz-submit",
        "attempt": attempt.pk,
        "fields": _fields(attempt, right_answers(attempt)),
        # the device claims it was in time: its clock is shown, never trusted
        "at": (timezone.now() - timedelta(minutes=5)).isoformat(),
    }
    result = json.loads(send(signed_in, item).content)["results"][0]
    attempt.refresh_from_db()
    assert result["verdict"] == "late"
    assert attempt.state == QuizAttempt.State.SUBMITTED
    assert attempt.score == 0  # the answers that came late were not marked


def test_within_the_grace_the_offline_answers_count(signed_in, attempt, settings):
    settings.QUIZ_TIME_LIMIT_GRACE_SECONDS = 30
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(seconds=10)
    )
    item = {
        "id": str(uuid.uuid4()),
        "kind": "quiz-submit",
        "attempt": attempt.pk,
        "fields": _fields(attempt, right_answers(attempt)),
    }
    result = json.loads(send(signed_in, item).content)["results"][0]
    attempt.refresh_from_db()
    assert result["verdict"] == "within"
    assert attempt.score == 100


def test_another_learners_attempt_is_not_found(client, attempt):
    client.force_login(LearnerFactory())
    item = {"id": str(uuid.uuid4()), "kind": "quiz-submit", "attempt": attempt.pk, "fields": []}
    result = json.loads(send(client, item).content)["results"][0]
    assert result == {**result, "status": "refused", "reason": "not-found"}
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.IN_PROGRESS


def test_tampered_quiz_fields_are_refused_and_nothing_is_submitted(signed_in, attempt):
    item = {
        "id": str(uuid.uuid4()),
        "kind": "quiz-submit",
        "attempt": attempt.pk,
        "fields": [[attempt.layout[0].get("name", "x"), "123"]],
    }
    result = json.loads(send(signed_in, item).content)["results"][0]
    attempt.refresh_from_db()
    assert result["status"] == "refused"
    assert attempt.state == QuizAttempt.State.IN_PROGRESS


def test_signing_out_clears_the_site_data(signed_in):
    response = signed_in.post(localized("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_other_pages_do_not_clear_site_data(signed_in, course):
    assert "Clear-Site-Data" not in signed_in.get(course.url)
