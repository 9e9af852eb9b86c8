"""Taking a quiz over HTTP: pages, autosave, submission, tampering, secrecy of answers."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from quizzes import services
from quizzes.models import QuizAttempt, Response
from tests.factories import LearnerFactory

from .factories import make_questions, make_quiz, right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(site):
    return make_quiz()


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"quizzes:{name}", kwargs=kwargs)


def quiz_url(quiz, language="en"):
    with translation.override(language):
        return quiz.get_url()


def post_data(attempt, answers, action="submit") -> dict:
    """The POST a browser would send for `answers` (selects always sent, "" when empty)."""
    data = {"action": action}
    for entry in attempt.layout:
        pk, kind = entry["question"], entry["type"]
        answer = answers.get(pk)
        if kind in ("single", "true_false") and answer is not None:
            data[f"q{pk}"] = (
                ("true" if answer else "false") if kind == "true_false" else str(answer)
            )
        elif kind == "multiple" and answer:
            data[f"q{pk}"] = [str(c) for c in answer]
        elif kind in ("matching", "ordering"):
            for prompt in entry["prompts"]:
                value = (answer or {}).get(prompt)
                data[f"q{pk}-{prompt}"] = "" if value is None else str(value)
    return data


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_quiz_page_shows_rules_and_start_button(signed_in, quiz, language):
    response = signed_in.get(quiz_url(quiz, language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'action="{url("start", language, quiz_id=quiz.pk)}"' in html
    assert 'dir="auto"' in html
    if language == "ar":
        assert 'dir="rtl"' in html


def test_quiz_page_needs_sign_in(client, quiz):
    response = client.get(quiz_url(quiz))
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


def test_start_then_take_then_submit(signed_in, quiz, learner):
    response = signed_in.post(url("start", quiz_id=quiz.pk))
    attempt = QuizAttempt.objects.get(user=learner)
    assert response.status_code == 302 and response["Location"] == url("attempt", pk=attempt.pk)
    page = signed_in.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<fieldset") == 5
    assert html.count("<legend") == 5
    response = signed_in.post(
        url("attempt", pk=attempt.pk), post_data(attempt, right_answers(attempt))
    )
    assert response.status_code == 302 and response["Location"] == url("result", pk=attempt.pk)
    result = signed_in.get(response["Location"])
    assert "100.00%" in result.content.decode()
    assert "Passed" in result.content.decode()


def test_save_keeps_answers_for_a_reload(signed_in, quiz, learner):
    attempt = services.attempt_start(user=learner, quiz=quiz)
    answers = right_answers(attempt)
    response = signed_in.post(url("attempt", pk=attempt.pk), post_data(attempt, answers, "save"))
    assert response.status_code == 302
    html = signed_in.get(url("attempt", pk=attempt.pk)).content.decode()
    assert "Your answers have been saved." in html
    single = attempt.layout[0]["question"]
    assert re.search(rf'value="{answers[single]}"\s+checked', html)
    assert Response.objects.filter(attempt=attempt, answer__isnull=False).count() == 5
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.IN_PROGRESS


def test_attempt_page_reveals_no_correct_answer_or_feedback(signed_in, quiz, learner):
    attempt = services.attempt_start(user=learner, quiz=quiz)
    response = signed_in.get(url("attempt", pk=attempt.pk))
    html = response.content.decode()
    for word in ("Yes 0", "No A 0", "Because", "correct", "data-"):
        assert word not in html, word
    headers = " ".join(f"{k}: {v}" for k, v in response.items())
    assert "correct" not in headers.lower()
    # Matching answers and ordering items are offered, not paired with their prompts.
    assert "Answer 0 3" in html and "Step 0 4" in html


@pytest.mark.parametrize("policy", ["immediately", "after_last", "never"])
def test_result_shows_review_only_as_the_policy_allows(site, signed_in, learner, policy):
    quiz = make_quiz(slug=f"p-{policy}", review_timing=policy, attempts_allowed=2)
    attempt = services.attempt_start(user=learner, quiz=quiz)
    services.attempt_submit(attempt=attempt)
    html = signed_in.get(url("result", pk=attempt.pk)).content.decode()
    assert "0.00%" in html
    assert ("Because single 0." in html) is (policy == "immediately")
    assert ("Yes 0" in html) is (policy == "immediately")


def test_review_after_the_last_attempt(site, signed_in, learner):
    quiz = make_quiz(slug="last", review_timing="after_last", attempts_allowed=1)
    attempt = services.attempt_start(user=learner, quiz=quiz)
    services.attempt_submit(attempt=attempt)
    html = signed_in.get(url("result", pk=attempt.pk)).content.decode()
    assert "Because single 0." in html


def test_review_of_correctness_hides_right_answers_and_feedback(site, signed_in, learner):
    quiz = make_quiz(slug="correctness", review_content="correctness")
    attempt = services.attempt_start(user=learner, quiz=quiz)
    services.attempt_submit(attempt=attempt)
    html = signed_in.get(url("result", pk=attempt.pk)).content.decode()
    assert "Wrong" in html
    assert "Because" not in html and "Correct answer" not in html and "Yes 0" not in html


def test_another_learners_attempt_is_404(signed_in, quiz):
    other = services.attempt_start(user=LearnerFactory(), quiz=quiz)
    for name in ("attempt", "result"):
        assert signed_in.get(url(name, pk=other.pk)).status_code == 404
    assert signed_in.post(url("attempt", pk=other.pk), {"action": "submit"}).status_code == 404
    other.refresh_from_db()
    assert other.state == QuizAttempt.State.IN_PROGRESS


def test_result_of_an_unsubmitted_attempt_goes_back_to_the_form(signed_in, quiz, learner):
    attempt = services.attempt_start(user=learner, quiz=quiz)
    assert signed_in.get(url("result", pk=attempt.pk))["Location"] == url("attempt", pk=attempt.pk)


def test_submitted_attempt_cannot_be_answered_again(signed_in, quiz, learner):
    attempt = services.attempt_start(user=learner, quiz=quiz)
    services.attempt_submit(attempt=attempt)
    response = signed_in.post(
        url("attempt", pk=attempt.pk), post_data(attempt, right_answers(attempt))
    )
    assert response["Location"] == url("result", pk=attempt.pk)
    attempt.refresh_from_db()
    assert attempt.score == Decimal("0.00")


def test_double_submit_gives_one_result(signed_in, quiz, learner):
    attempt = services.attempt_start(user=learner, quiz=quiz)
    data = post_data(attempt, right_answers(attempt))
    signed_in.post(url("attempt", pk=attempt.pk), data)
    signed_in.post(url("attempt", pk=attempt.pk), data)
    assert QuizAttempt.objects.filter(user=learner).count() == 1
    assert QuizAttempt.objects.get().score == Decimal("100.00")


def test_no_attempts_left_redirects_to_the_quiz_with_a_message(site, signed_in, learner):
    quiz = make_quiz(slug="once", attempts_allowed=1)
    services.attempt_submit(attempt=services.attempt_start(user=learner, quiz=quiz))
    response = signed_in.post(url("start", quiz_id=quiz.pk), follow=True)
    assert "You have used all your attempts at this quiz." in response.content.decode()
    assert QuizAttempt.objects.count() == 1


class TestTamperedPosts:
    @pytest.fixture
    def attempt(self, quiz, learner):
        return services.attempt_start(user=learner, quiz=quiz)

    def entry(self, attempt, kind):
        return next(e for e in attempt.layout if e["type"] == kind)

    def check_400(self, client, attempt, data, language="en", text=None):
        response = client.post(url("attempt", language, pk=attempt.pk), data)
        assert response.status_code == 400
        html = response.content.decode()
        if text:
            assert text in html
        attempt.refresh_from_db()
        assert attempt.state == QuizAttempt.State.IN_PROGRESS and attempt.score is None
        assert not Response.objects.filter(attempt=attempt, answer__isnull=False).exists()
        return html

    def test_foreign_choice_id(self, signed_in, attempt, site):
        foreign = make_questions(["single"])[0].choices.first()
        data = post_data(attempt, {})
        data[f"q{self.entry(attempt, 'single')['question']}"] = str(foreign.pk)
        self.check_400(signed_in, attempt, data, text="not one of this question")

    def test_unknown_choice_id(self, signed_in, attempt):
        data = post_data(attempt, {})
        data[f"q{self.entry(attempt, 'multiple')['question']}"] = ["99999999"]
        self.check_400(signed_in, attempt, data)

    @pytest.mark.parametrize("value", ["abc", "1.5", "-1", "", "١", "9" * 40])
    def test_malformed_values(self, signed_in, attempt, value):
        data = post_data(attempt, {})
        data[f"q{self.entry(attempt, 'single')['question']}"] = value
        self.check_400(signed_in, attempt, data)

    def test_true_false_other_than_true_or_false(self, signed_in, attempt):
        data = post_data(attempt, {})
        data[f"q{self.entry(attempt, 'true_false')['question']}"] = "maybe"
        self.check_400(signed_in, attempt, data)

    def test_two_answers_to_a_single_choice(self, signed_in, attempt):
        entry = self.entry(attempt, "single")
        data = post_data(attempt, {})
        data[f"q{entry['question']}"] = [str(o) for o in entry["options"][:2]]
        self.check_400(signed_in, attempt, data)

    def test_missing_select(self, signed_in, attempt):
        entry = self.entry(attempt, "matching")
        data = post_data(attempt, {})
        del data[f"q{entry['question']}-{entry['prompts'][0]}"]
        self.check_400(signed_in, attempt, data, text="missing")

    def test_position_out_of_range(self, signed_in, attempt):
        entry = self.entry(attempt, "ordering")
        data = post_data(attempt, {})
        data[f"q{entry['question']}-{entry['prompts'][0]}"] = "9"
        self.check_400(signed_in, attempt, data)

    def test_matching_option_from_another_question(self, signed_in, attempt):
        entry = self.entry(attempt, "matching")
        data = post_data(attempt, {})
        foreign = make_questions(["matching"])[0].pairs.first()
        data[f"q{entry['question']}-{entry['prompts'][0]}"] = str(foreign.pk)
        self.check_400(signed_in, attempt, data)

    def test_missing_action(self, signed_in, attempt):
        data = post_data(attempt, {})
        del data["action"]
        self.check_400(signed_in, attempt, data)

    def test_the_400_page_speaks_the_page_language(self, signed_in, attempt):
        data = post_data(attempt, {})
        data[f"q{self.entry(attempt, 'single')['question']}"] = "abc"
        html = self.check_400(signed_in, attempt, data, language="ar")
        assert 'lang="ar"' in html and 'dir="rtl"' in html


def test_submission_queries_do_not_grow_with_questions(site, client, django_assert_num_queries):
    def prepare(size):
        learner = LearnerFactory()
        kinds = ["single", "multiple", "true_false", "matching", "ordering"] * (size // 5 + 1)
        quiz = make_quiz(slug=f"size-{size}", questions=make_questions(kinds[:size]))
        attempt = services.attempt_start(user=learner, quiz=quiz)
        client.force_login(learner)
        cache.clear()  # the same cold caches for both sizes
        return attempt, post_data(attempt, right_answers(attempt))

    attempt, data = prepare(3)
    with CaptureQueriesContext(connection) as small:
        assert client.post(url("attempt", pk=attempt.pk), data).status_code == 302
    assert QuizAttempt.objects.get(pk=attempt.pk).score == Decimal("100.00")

    attempt, data = prepare(30)
    with django_assert_num_queries(len(small)):
        assert client.post(url("attempt", pk=attempt.pk), data).status_code == 302
    assert QuizAttempt.objects.get(pk=attempt.pk).score == Decimal("100.00")


def test_a_quiz_of_an_unpublished_course_is_not_found(signed_in, quiz):
    assert signed_in.get(quiz_url(quiz)).status_code == 200
    course = quiz.get_parent().specific
    course.unpublish()
    assert signed_in.get(quiz_url(quiz)).status_code == 404


def test_previewing_a_quiz_does_not_enrol_the_trainer(quiz):
    from django.test import RequestFactory

    from courses.models import Enrolment
    from tests.factories import TrainerFactory

    request = RequestFactory().get("/")
    request.user = TrainerFactory()
    request.is_preview = True
    request.LANGUAGE_CODE = "en"
    with translation.override("en"):
        quiz.serve(request).render()
    assert not Enrolment.objects.filter(user=request.user).exists()
