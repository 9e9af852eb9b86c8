"""The question bank in the Wagtail admin, trainers' rights, and item statistics."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from quizzes import services
from quizzes.models import Question
from quizzes.statistics import ResponseRow, item_statistics, pearson
from tests.factories import LearnerFactory, TrainerFactory, UserFactory

from .factories import make_category, make_quiz, right_answers

ADD_URL = "wagtailsnippets_quizzes_question:add"


def question_post(kind="single", *, choices=(), pairs=(), items=(), answer="", category=None):
    return nested_form_data(
        {
            "category": category.pk,
            "type": kind,
            "marks": 1,
            "text_en": rich_text("<p>Which one?</p>"),
            "text_fr": rich_text(""),
            "text_ar": rich_text(""),
            "feedback_en": rich_text(""),
            "feedback_fr": rich_text(""),
            "feedback_ar": rich_text(""),
            "true_false_answer": answer,
            "choices": inline_formset(
                [
                    {
                        "text_en": t,
                        "text_fr": "",
                        "text_ar": "",
                        "correct": c,
                        "feedback_en": "",
                        "feedback_fr": "",
                        "feedback_ar": "",
                    }
                    for t, c in choices
                ]
            ),
            "pairs": inline_formset(
                [
                    {
                        "prompt_en": p,
                        "prompt_fr": "",
                        "prompt_ar": "",
                        "answer_en": a,
                        "answer_fr": "",
                        "answer_ar": "",
                    }
                    for p, a in pairs
                ]
            ),
            "items": inline_formset([{"text_en": t, "text_fr": "", "text_ar": ""} for t in items]),
        }
    )


@pytest.fixture
def admin_client(client, db, site):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


@pytest.mark.django_db
class TestQuestionEditor:
    def post(self, client, **kwargs):
        return client.post(reverse(ADD_URL), question_post(category=make_category(), **kwargs))

    def test_a_valid_question_is_saved_with_its_choices(self, admin_client):
        response = self.post(admin_client, choices=[("A", True), ("B", False)])
        assert response.status_code == 302, response.context["form"].errors
        question = Question.objects.get()
        assert [c.text_en for c in question.choices.all()] == ["A", "B"]

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"choices": [("A", False), ("B", False)]}, "Mark at least one choice as correct"),
            ({"choices": [("A", True), ("B", True)]}, "exactly one correct choice"),
            ({"choices": [("A", True)]}, "Give at least two choices."),
            ({"kind": "multiple", "choices": [("A", False), ("B", False)]}, "Mark at least one"),
            ({"kind": "true_false"}, "Say whether the statement is true or false."),
            ({"kind": "matching", "pairs": [("p", "a")]}, "at least two pairs"),
            ({"kind": "ordering", "items": ["only"]}, "at least two items"),
        ],
    )
    def test_unanswerable_questions_are_refused_with_a_reason(self, admin_client, kwargs, message):
        response = self.post(admin_client, **kwargs)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Question.objects.exists()

    def test_html_in_question_text_is_sanitised(self, db):
        question = Question(category=make_category(), type="true_false", true_false_answer=True)
        question.text_en = '<p>Hi<img src=x onerror="alert(1)"></p>'
        question.save()
        assert question.text_en == "<p>Hi</p>"


@pytest.mark.django_db
def test_trainers_may_edit_the_question_bank_and_nothing_more_here(site):
    permissions = set(
        Group.objects.get(name="Trainers")
        .permissions.filter(content_type__app_label="quizzes")
        .values_list("codename", flat=True)
    )
    assert permissions == {
        f"{action}_{model}"
        for model in ("question", "questioncategory")
        for action in ("add", "change", "delete", "view")
    }


@pytest.mark.django_db
def test_a_trainer_opens_the_question_bank(client, site):
    client.force_login(TrainerFactory())
    assert client.get(reverse("wagtailsnippets_quizzes_question:list")).status_code == 200
    assert client.get(reverse(ADD_URL)).status_code == 200


@pytest.mark.django_db
def test_item_statistics_page(admin_client):
    quiz = make_quiz()
    for language, right in (("en", True), ("fr", False), ("ar", True)):
        learner = LearnerFactory()
        attempt = services.attempt_start(user=learner, quiz=quiz, language=language)
        services.attempt_save_answers(
            attempt=attempt, answers=right_answers(attempt) if right else {}
        )
        services.attempt_submit(attempt=attempt)
    response = admin_client.get(reverse("quizzes_statistics", args=[quiz.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 submitted attempts" in html
    assert "66.67%" in html


@pytest.mark.django_db
def test_learners_cannot_see_item_statistics(client, site, learner):
    quiz = make_quiz()
    client.force_login(learner)
    response = client.get(reverse("quizzes_statistics", args=[quiz.pk]))
    assert response.status_code in (302, 403)


@pytest.mark.django_db
def test_item_statistics_query_count_does_not_grow_with_learners(
    admin_client, django_assert_max_num_queries
):
    from quizzes.selectors import quiz_item_statistics

    quiz = make_quiz()
    for _ in range(6):
        attempt = services.attempt_start(user=LearnerFactory(), quiz=quiz)
        services.attempt_submit(attempt=attempt)
    with django_assert_max_num_queries(2):
        stats = quiz_item_statistics(quiz=quiz)
    assert stats.attempts == 6


class TestStatisticsRules:
    def rows(self):
        # Three attempts, two questions of 1 mark; q1 separates strong from weak, q2 does not.
        data = [
            (1, "en", 1, 1, 1),
            (1, "en", 2, 0, 1),
            (2, "fr", 1, 0, 1),
            (2, "fr", 2, 1, 1),
            (3, "en", 1, 1, 1),
            (3, "en", 2, 1, 1),
        ]
        return [ResponseRow(a, lang, q, Decimal(f), m) for a, lang, q, f, m in data]

    def test_facility_is_the_mean_fraction_overall_and_per_language(self):
        stats = item_statistics(self.rows())
        assert stats.attempts == 3
        assert stats.mean_score == Decimal("66.67")
        assert stats.questions[1][""].facility == pytest.approx(2 / 3)
        assert stats.questions[1]["en"].facility == 1
        assert stats.questions[1]["fr"].facility == 0
        assert stats.questions[2][""].responses == 3

    def test_discrimination_correlates_with_the_rest_of_the_quiz(self):
        stats = item_statistics(self.rows())
        # q1 against the rest (q2): fractions (1, 0, 1) vs (0, 1, 1) → −0.5
        assert stats.questions[1][""].discrimination == pytest.approx(-0.5)
        assert stats.questions[1]["fr"].discrimination is None  # one attempt

    def test_pearson(self):
        assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1)
        assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1)
        assert pearson([1, 1, 1], [1, 2, 3]) is None
        assert pearson([1], [1]) is None


@pytest.mark.django_db
def test_quiz_editor_and_statistics_button_render(admin_client):
    quiz = make_quiz()
    course = quiz.get_parent()
    add = reverse("wagtailadmin_pages:add", args=["quizzes", "quizpage", course.pk])
    assert admin_client.get(add).status_code == 200
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[quiz.pk]))
    assert edit.status_code == 200
    assert reverse("quizzes_statistics", args=[quiz.pk]) in edit.content.decode()


def test_setup_site_gives_trainers_the_question_bank_back_after_a_flush(site, client, password):
    """A flushed database (transactional tests, a restored backup without data migrations)
    loses what migration 0002 granted; setup_site restores it."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from tests.factories import TrainerFactory
    from tests.quizzes.factories import make_questions

    question = make_questions(["single"])[0]
    trainers = Group.objects.get(name="Trainers")
    trainers.permissions.remove(*trainers.permissions.filter(content_type__app_label="quizzes"))
    trainer = TrainerFactory(username="bank-keeper")
    client.force_login(trainer)
    url = f"/admin/snippets/quizzes/question/edit/{question.pk}/"
    assert client.get(url).status_code in (302, 403)
    call_command("setup_site", verbosity=0)
    trainer = type(trainer).objects.get(pk=trainer.pk)  # permissions are cached per user object
    client.force_login(trainer)
    assert client.get(url).status_code == 200
