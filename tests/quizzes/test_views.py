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

from .factories import make_questions, make_quiz, post_data, right_answers

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
    entry = attempt.layout[0]
    token = next(t for t, pk in entry["options"] if pk == answers[entry["question"]])
    assert re.search(rf'value="{token}" id="[^"]+" checked', html)
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
    """POSTs the attempt form could not have produced: refused whole (400), nothing saved."""

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

    def test_a_token_of_another_learners_attempt(self, signed_in, attempt, quiz):
        other = services.attempt_start(user=LearnerFactory(), quiz=quiz)
        data = post_data(attempt, {})
        data[self.entry(attempt, "single")["name"]] = self.entry(other, "single")["options"][0][0]
        self.check_400(
            signed_in,
            attempt,
            data,
            text="Question 1: the choice sent is not one of this question&#x27;s choices.",
        )

    def test_a_choice_of_another_question_of_the_attempt(self, signed_in, attempt):
        data = post_data(attempt, {})
        multiple = self.entry(attempt, "multiple")
        data[multiple["name"]] = [self.entry(attempt, "single")["options"][0][0]]
        self.check_400(signed_in, attempt, data, text="Question 2:")

    @pytest.mark.parametrize("value", ["1", "abc", "1.5", "-1", "", "١", "9" * 40, "true"])
    def test_ids_and_malformed_values(self, signed_in, attempt, value):
        """A choice id, a position or "true" is no longer what the form offers."""
        data = post_data(attempt, {})
        data[self.entry(attempt, "single")["name"]] = value
        self.check_400(signed_in, attempt, data)

    @pytest.mark.parametrize("value", ["true", "false", "1", "maybe"])
    def test_true_false_other_than_its_tokens(self, signed_in, attempt, value):
        data = post_data(attempt, {})
        data[self.entry(attempt, "true_false")["name"]] = value
        self.check_400(signed_in, attempt, data, text="neither true nor false")

    def test_two_answers_to_a_single_choice(self, signed_in, attempt):
        entry = self.entry(attempt, "single")
        data = post_data(attempt, {})
        data[entry["name"]] = [token for token, _pk in entry["options"][:2]]
        self.check_400(signed_in, attempt, data, text="more than one answer")

    def test_missing_select(self, signed_in, attempt):
        entry = self.entry(attempt, "matching")
        data = post_data(attempt, {})
        del data[entry["prompts"][0][0]]
        self.check_400(signed_in, attempt, data, text="missing")

    @pytest.mark.parametrize("value", ["1", "9"])
    def test_a_position_instead_of_its_token(self, signed_in, attempt, value):
        entry = self.entry(attempt, "ordering")
        data = post_data(attempt, {})
        data[entry["prompts"][0][0]] = value
        self.check_400(signed_in, attempt, data, text="not one of the options offered")

    def test_an_ordering_position_given_to_a_matching_prompt(self, signed_in, attempt):
        matching, ordering = self.entry(attempt, "matching"), self.entry(attempt, "ordering")
        data = post_data(attempt, {})
        data[matching["prompts"][0][0]] = ordering["options"][0][0]
        self.check_400(signed_in, attempt, data)

    def test_missing_action(self, signed_in, attempt):
        data = post_data(attempt, {})
        del data["action"]
        self.check_400(signed_in, attempt, data)

    def test_the_400_page_speaks_the_page_language(self, signed_in, attempt):
        data = post_data(attempt, {})
        data[self.entry(attempt, "single")["name"]] = "abc"
        html = self.check_400(signed_in, attempt, data, language="ar")
        assert 'lang="ar"' in html and 'dir="rtl"' in html
        with translation.override("ar"):
            problem = translation.gettext("the choice sent is not one of this question's choices.")
        assert problem.replace("'", "&#x27;") in html


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
