"""Taking a quiz as a learner goes through it: where they stand, one question per page,
confirming before submitting with questions left, a review that says what happened to each
question in words and icons, and where to go next."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from courses.packages import ACTIVITY_HANDLERS
from quizzes import services
from quizzes.models import QuizAttempt, QuizPage
from quizzes.packages import quiz_export, quiz_validate
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory

from .factories import make_quiz, post_data, right_answers
from .test_packages import minimal_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def url(name, attempt, language="en", query=""):
    with translation.override(language):
        return reverse(f"quizzes:{name}", args=[attempt.pk]) + query


def main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def partly_answered(attempt, skip=(0, 2)) -> dict:
    """The right answers, except to the questions at positions `skip` (from 0)."""
    answers = right_answers(attempt)
    for index in skip:
        answers.pop(attempt.layout[index]["question"])
    return answers


class TestConfirmation:
    def test_submitting_with_unanswered_questions_asks_first_and_lists_them(
        self, site, signed_in, learner
    ):
        attempt = services.attempt_start(user=learner, quiz=make_quiz())
        data = post_data(attempt, partly_answered(attempt), "submit")
        response = signed_in.post(url("attempt", attempt), data)
        assert response.status_code == 302 and response["Location"] == url("submit", attempt)
        attempt.refresh_from_db()
        assert attempt.state == QuizAttempt.State.IN_PROGRESS  # nothing submitted yet …
        assert attempt.responses.filter(answer__isnull=False).count() == 3  # … but all saved
        page = main(signed_in.get(response["Location"]))
        assert "You have not answered 2 questions of 5:" in page
        assert f'href="{url("attempt", attempt)}#question-1"' in page
        assert f'href="{url("attempt", attempt)}#question-3"' in page
        assert "Question single 0?" in page and "Question true_false 2?" in page
        assert "#question-2" not in page
        # A plain form, no script needed, submits for real.
        assert re.search(r'<form method="post"[^>]*>\s*<input type="hidden" name="csrf', page)
        response = signed_in.post(url("submit", attempt))
        assert response["Location"] == url("result", attempt)
        attempt.refresh_from_db()
        assert attempt.state == QuizAttempt.State.SUBMITTED and attempt.score == 60

    def test_every_question_answered_submits_at_once(self, site, signed_in, learner):
        attempt = services.attempt_start(user=learner, quiz=make_quiz())
        data = post_data(attempt, right_answers(attempt), "submit")
        assert signed_in.post(url("attempt", attempt), data)["Location"] == url("result", attempt)

    def test_the_confirmation_page_in_arabic(self, site, signed_in, learner):
        attempt = services.attempt_start(user=learner, quiz=make_quiz())
        signed_in.post(url("attempt", attempt, "ar"), post_data(attempt, {}, "submit"))
        response = signed_in.get(url("submit", attempt, "ar"))
        assert 'lang="ar" dir="rtl"' in response.content.decode()
        with translation.override("ar"):
            assert translation.gettext("Submit anyway") in main(response)

    def test_a_submitted_attempt_goes_to_its_result(self, site, signed_in, learner):
        attempt = services.attempt_submit(
            attempt=services.attempt_start(user=learner, quiz=make_quiz())
        )
        assert signed_in.get(url("submit", attempt))["Location"] == url("result", attempt)
        assert signed_in.post(url("submit", attempt))["Location"] == url("result", attempt)
        assert QuizAttempt.objects.filter(user=learner).count() == 1

    def test_another_learners_confirmation_is_404(self, site, signed_in):
        other = services.attempt_start(user=LearnerFactory(), quiz=make_quiz())
        assert signed_in.get(url("submit", other)).status_code == 404
        assert signed_in.post(url("submit", other)).status_code == 404
        other.refresh_from_db()
        assert other.state == QuizAttempt.State.IN_PROGRESS


class TestWhereTheLearnerStands:
    def test_the_page_counts_answered_questions_and_lists_them_to_jump_to(
        self, site, signed_in, learner
    ):
        attempt = services.attempt_start(user=learner, quiz=make_quiz())
        services.attempt_save_answers(attempt=attempt, answers=partly_answered(attempt))
        page = main(signed_in.get(url("attempt", attempt)))
        text = re.sub(r"<[^>]+>", "", page)
        assert "Answered 3 of 5 questions" in text
        for number in range(1, 6):
            assert f'href="#question-{number}"' in page and f'id="question-{number}"' in page
        answered = re.findall(r'class="quiz-outline__item is-answered" id="outline-(\d)"', page)
        assert answered == ["2", "4", "5"]

    def test_in_arabic_the_count_has_its_plural(self, site, signed_in, learner):
        attempt = services.attempt_start(user=learner, quiz=make_quiz())
        page = main(signed_in.get(url("attempt", attempt, "ar")))
        with translation.override("ar"):
            sentence = translation.ngettext(
                "Answered %(answered)s of %(total)s question",
                "Answered %(answered)s of %(total)s questions",
                5,
            )
        assert sentence.split("%(answered)s")[0] in re.sub(r"<[^>]+>", "", page)


class TestOneQuestionPerPage:
    @pytest.fixture
    def attempt(self, site, learner):
        return services.attempt_start(user=learner, quiz=make_quiz(one_per_page=True))

    def test_one_question_at_a_time(self, signed_in, attempt):
        page = main(signed_in.get(url("attempt", attempt)))
        assert page.count("<fieldset") == 1 and 'id="question-1"' in page
        assert page.count('name="goto"') == 5 + 1  # the question list, and "Next question"
        assert 'value="1" class="quiz-outline__link" aria-current="step"' in page
        page = main(signed_in.get(url("attempt", attempt, query="?page=4")))
        assert page.count("<fieldset") == 1 and 'id="question-4"' in page
        assert "Previous question" in page and "Next question" in page
        assert 'id="question-1"' in main(signed_in.get(url("attempt", attempt, query="?page=x")))
        assert 'id="question-5"' in main(signed_in.get(url("attempt", attempt, query="?page=9")))

    def test_moving_saves_the_page_and_keeps_the_others(self, signed_in, attempt):
        answers = right_answers(attempt)
        first, second = (entry["question"] for entry in attempt.layout[:2])
        data = post_data(attempt, answers, "save")
        page_one = {k: v for k, v in data.items() if k == attempt.layout[0]["name"]}
        response = signed_in.post(url("attempt", attempt), {**page_one, "goto": "2"})
        assert response["Location"] == url("attempt", attempt, query="?page=2")
        page_two = {k: v for k, v in data.items() if k == attempt.layout[1]["name"]}
        signed_in.post(url("attempt", attempt, query="?page=2"), {**page_two, "goto": "3"})
        saved = dict(attempt.responses.values_list("question_id", "answer"))
        assert saved[first] is not None and saved[second] is not None
        page = main(signed_in.get(url("attempt", attempt, query="?page=3")))
        assert "Answered 2 of 5 questions" in re.sub(r"<[^>]+>", "", page)

    def test_a_field_of_another_page_is_ignored_not_saved(self, signed_in, attempt):
        data = post_data(attempt, right_answers(attempt), "save")
        signed_in.post(url("attempt", attempt), data)  # page 1 shows only question 1
        assert attempt.responses.filter(answer__isnull=False).count() == 1

    def test_submitting_from_the_first_page_lists_the_others_with_their_pages(
        self, signed_in, attempt
    ):
        data = post_data(attempt, right_answers(attempt), "submit")
        response = signed_in.post(url("attempt", attempt), data)
        assert response["Location"] == url("submit", attempt)
        page = main(signed_in.get(response["Location"]))
        assert f'href="{url("attempt", attempt)}?page=5#question-5"' in page
        assert "#question-1" not in page

    def test_the_setting_in_the_quiz_editor(self, site):
        from tests.factories import UserFactory

        quiz = make_quiz(slug="editor")
        from django.test import Client

        client = Client(HTTP_HOST="testserver")
        client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
        html = client.get(reverse("wagtailadmin_pages:edit", args=[quiz.pk])).content.decode()
        assert 'name="one_per_page"' in html


class TestPackages:
    def test_one_per_page_is_optional_and_false_by_default(self, site):
        handler = ACTIVITY_HANDLERS["quiz"]
        course = make_course(slug="pkg")
        plain = minimal_quiz()
        assert quiz_validate(plain, "a") == []
        page = handler.create(course=course, data=plain, media=None)
        assert QuizPage.objects.get(pk=page.pk).one_per_page is False
        assert "one_per_page" not in quiz_export(QuizPage.objects.get(pk=page.pk))

    def test_one_per_page_round_trips(self, site):
        course = make_course(slug="pkg")
        data = minimal_quiz(slug="paged", one_per_page=True)
        page = ACTIVITY_HANDLERS["quiz"].create(course=course, data=data, media=None)
        assert QuizPage.objects.get(pk=page.pk).one_per_page is True
        assert quiz_export(QuizPage.objects.get(pk=page.pk)) == data
        data["one_per_page"] = False
        ACTIVITY_HANDLERS["quiz"].update(course=course, page=page, data=data, media=None)
        assert QuizPage.objects.get(pk=page.pk).one_per_page is False

    def test_one_per_page_must_be_true_or_false(self):
        assert quiz_validate(minimal_quiz(one_per_page="yes"), "a") == [
            "a.one_per_page: expected true or false"
        ]


class TestReview:
    @pytest.fixture
    def result(self, site, signed_in, learner):
        attempt = services.attempt_start(user=learner, quiz=make_quiz())
        answers = partly_answered(attempt, skip=(0,))
        multiple = attempt.layout[1]["question"]
        answers[multiple] = frozenset([min(answers[multiple])])  # half right
        true_false = attempt.layout[2]["question"]
        answers[true_false] = not answers[true_false]  # wrong
        services.attempt_save_answers(attempt=attempt, answers=answers)
        services.attempt_submit(attempt=attempt)
        return main(signed_in.get(url("result", attempt)))

    def headings(self, page):
        return re.findall(r"<h3>(.*?)</h3>", page, re.S)

    def test_each_question_says_how_it_went_in_words_and_an_icon(self, result):
        verdict = re.compile(
            r'quiz-verdict--(\w+)"><svg[^>]*aria-hidden="true"[^>]*>.*?</svg>\s*([^<]+?)\s*<', re.S
        )
        verdicts = [verdict.search(heading).groups() for heading in self.headings(result)]
        assert verdicts == [
            ("not_answered", "Not answered"),
            ("partly", "Partly right"),
            ("wrong", "Wrong"),
            ("right", "Right"),
            ("right", "Right"),
        ]

    def test_no_stray_separator_before_the_mark(self, result):
        for heading in self.headings(result):
            assert "·" not in heading
            assert re.search(r"\d+% of the marks", heading)

    def test_right_and_wrong_answers_carry_an_icon_and_a_word(self, result):
        lines = re.findall(r'<li class="quiz-review__line--(right|wrong)">(.*?)</li>', result, re.S)
        assert lines
        for kind, line in lines:
            assert "<svg" in line
            assert ("Right" if kind == "right" else "Wrong") in line

    def test_an_unanswered_question_is_not_called_wrong(self, result):
        first = result[result.index("Question 1") : result.index("Question 2")]
        assert "Not answered" in first and 'class="quiz-verdict"' not in first


class TestWhatNext:
    def test_the_result_offers_the_next_activity_and_the_course(self, site, signed_in, learner):
        course = make_course(slug="next")
        quiz = make_quiz(course, slug="check")
        after = make_module(course, slug="after")
        attempt = services.attempt_submit(attempt=services.attempt_start(user=learner, quiz=quiz))
        page = main(signed_in.get(url("result", attempt)))
        with translation.override("en"):
            assert f'href="{after.get_url()}" rel="next"' in page
            assert f'href="{course.get_url()}"' in page
            assert f'href="{quiz.get_url()}"' in page
        assert "Module after" in page

    def test_after_the_last_activity_the_course_is_offered(self, site, signed_in, learner):
        course = make_course(slug="last")
        quiz = make_quiz(course, slug="final")
        attempt = services.attempt_submit(attempt=services.attempt_start(user=learner, quiz=quiz))
        page = main(signed_in.get(url("result", attempt)))
        assert 'rel="next"' not in page
        with translation.override("en"):
            assert f'class="button" href="{course.get_url()}"' in page
