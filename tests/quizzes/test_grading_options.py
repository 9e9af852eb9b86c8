"""The grading rules as declared options of their question types: package keys (validated,
imported, exported; old packages unchanged) and the question editor."""

import pytest
from django.urls import reverse

from quizzes.models import Question
from quizzes.packages import question_build, question_content, question_validate
from quizzes.question_types import QUESTION_TYPES

from .factories import make_category, question_data
from .test_admin import ADD_URL, question_post


def test_each_type_declares_its_rules_with_the_usual_one_first():
    assert list(QUESTION_TYPES["single"].gradings) == ["right_or_wrong", "weights"]
    assert QUESTION_TYPES["multiple"].usual_grading == "right_minus_wrong"
    assert len(QUESTION_TYPES["ordering"].gradings) == 9
    assert QUESTION_TYPES["ordering"].usual_grading == "absolute_position"
    assert QUESTION_TYPES["true_false"].gradings == {}


def weighted(weights, kind="multiple"):
    data = question_data(kind)
    data["grading"] = "weights"
    for choice, weight in zip(data["choices"], weights, strict=True):
        choice["weight"] = weight
    return data


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({**question_data("ordering"), "grading": "sideways"}, "q.grading: expected one of"),
        ({**question_data("true_false"), "grading": "weights"}, "expected one of none"),
        (weighted([1.5, 0, 0]), "choices[0].weight: expected a number from -1 to 1"),
        (weighted([0.12345678, 0.9, 0]), "choices[0].weight: at most seven decimals"),
        (weighted(["half", 0.5, 0]), "choices[0].weight: expected a number"),
        (weighted([0.25, 0.25, 0]), "q.choices: no answer earns full marks"),
        (weighted([0.5, 0.5, 0], kind="single"), "q.choices: no answer earns full marks"),
        ({**question_data("matching"), "distractors": "x"}, "q.distractors: expected a list"),
        ({**question_data("matching"), "distractors": [{"fr": "x"}]}, "English text is required"),
    ],
)
def test_package_keys_are_validated(data, problem):
    problems = question_validate(data, "q")
    assert any(problem in p for p in problems), problems


def test_packages_without_the_new_keys_mean_the_usual_rules():
    for kind in QUESTION_TYPES:
        data = question_data(kind)
        assert question_validate(data, "q") == []
        assert question_build(data=data).grading == ""


@pytest.mark.django_db
def test_the_new_keys_come_back_from_export():
    category = make_category()
    for data in (
        weighted([0.3333333, 0.6666667, -1]),
        {**question_data("ordering"), "grading": "longest_contiguous_subset"},
        {**question_data("matching"), "distractors": [{"en": "Nobody", "fr": "Personne"}]},
        {**question_data("single"), "grading": "right_or_wrong"},  # the usual rule, named
    ):
        question = question_build(data=data)
        question.category = category
        question.save()
        content = question_content(Question.objects.get(pk=question.pk))
        expected = {k: v for k, v in data.items() if k != "marks"}
        if expected.get("grading") == "right_or_wrong":
            del expected["grading"]  # the usual rule is written as no key
        assert content == expected


@pytest.fixture
def admin_client(client, db, site):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


@pytest.mark.django_db
class TestEditor:
    def post(self, client, grading="", **kwargs):
        data = question_post(category=make_category(), **kwargs)
        data["grading"] = grading
        return client.post(reverse(ADD_URL), data)

    def test_a_rule_the_type_does_not_have_is_refused(self, admin_client):
        response = self.post(
            admin_client, grading="relative_to_correct", choices=[("A", True), ("B", False)]
        )
        assert response.status_code == 200
        assert "cannot follow this grading rule" in response.content.decode()
        assert not Question.objects.exists()

    def test_an_ordering_rule_is_saved(self, admin_client):
        response = self.post(
            admin_client, kind="ordering", grading="relative_to_correct", items=["a", "b"]
        )
        assert response.status_code == 302
        assert Question.objects.get().grading == "relative_to_correct"

    def test_a_pair_without_a_prompt_is_a_distractor(self, admin_client):
        response = self.post(
            admin_client, kind="matching", pairs=[("p1", "a1"), ("p2", "a2"), ("", "extra")]
        )
        assert response.status_code == 302
        question = Question.objects.get()
        assert question_content(question)["distractors"] == [{"en": "extra"}]

    def test_one_prompt_and_a_distractor_are_not_enough(self, admin_client):
        response = self.post(admin_client, kind="matching", pairs=[("p1", "a1"), ("", "extra")])
        assert "at least two pairs" in response.content.decode()
