"""The attempt form is opaque: for every question type, its field names, option values, their
order and element ids are random tokens of the attempt, and say nothing about the key."""

import random
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from quizzes import services
from quizzes.models import QuizAttempt, Response
from quizzes.question_types import base as question_types_base

from .factories import ALL_TYPES, make_category, make_quiz, post_data, question_data, right_answers

pytestmark = pytest.mark.django_db


class FormSkeleton(HTMLParser):
    """The attempt form without its texts: every element with the attributes that carry
    names, values and ids, in document order (the CSRF token left out)."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.elements: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "quiz-form" in (a.get("class") or ""):
            self.inside = True
        elif self.inside and a.get("name") != "csrfmiddlewaretoken":
            keep = ("type", "name", "value", "id", "for", "checked", "selected")
            self.elements.append((tag, tuple((k, a[k]) for k in keep if k in a)))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def skeleton(html: str) -> list[tuple]:
    parser = FormSkeleton()
    parser.feed(html)
    return parser.elements


def attempt_html(client, learner, attempt) -> str:
    client.force_login(learner)
    with translation.override("en"):
        response = client.get(reverse("quizzes:attempt", args=[attempt.pk]))
    assert response.status_code == 200
    return response.content.decode()


def tokens_of(attempt) -> set[str]:
    found = set()
    for entry in attempt.layout:
        found |= {entry["name"]} if "name" in entry else set()
        found |= {token for token, _value in entry.get("options", []) + entry.get("prompts", [])}
    return found


def one_question_quiz(kind: str, slug: str, data: dict | None = None, **fields):
    from quizzes.packages import question_create

    question = question_create(category=make_category(slug), data=data or question_data(kind))
    return make_quiz(slug=slug, questions=[question], attempts_allowed=0, **fields), question


def other_key(kind: str) -> dict:
    """A question of the same shape as `question_data(kind)` whose key is different."""
    data = question_data(kind)
    if kind == "single":
        data["choices"][0]["correct"], data["choices"][1]["correct"] = False, True
    elif kind == "multiple":
        data["choices"][0]["correct"], data["choices"][2]["correct"] = False, True
    elif kind == "true_false":
        data["answer"] = False
    elif kind == "matching":
        answers = [pair["answer"] for pair in data["pairs"]]
        for pair, answer in zip(data["pairs"], answers[1:] + answers[:1], strict=True):
            pair["answer"] = answer
    else:
        data["items"] = data["items"][2:] + data["items"][:2]
    return data


class SeededSecrets:
    """Stands in for `secrets` where tokens are drawn: the same token stream every time."""

    def __init__(self, seed):
        self.choice = random.Random(seed).choice


@pytest.mark.parametrize("kind", ALL_TYPES)
def test_the_same_question_in_two_attempts_gets_unrelated_tokens(site, learner, kind):
    quiz, _question = one_question_quiz(kind, f"twice-{kind}")
    first = services.attempt_start(user=learner, quiz=quiz)
    services.attempt_submit(attempt=first)
    second = services.attempt_start(user=learner, quiz=quiz)
    assert first.question_ids == second.question_ids
    assert tokens_of(first) and tokens_of(second)
    assert not tokens_of(first) & tokens_of(second)
    # Nor do the tokens of one question repeat inside an attempt.
    entry = first.layout[0]
    pairs = entry.get("options", []) + entry.get("prompts", [])
    listed = [entry.get("name"), *(token for token, _value in pairs)]
    assert len(set(filter(None, listed))) == len(list(filter(None, listed)))


@pytest.mark.parametrize("kind", ALL_TYPES)
def test_no_name_value_or_element_id_is_or_contains_a_database_id(site, client, learner, kind):
    quiz, question = one_question_quiz(kind, f"ids-{kind}")
    attempt = services.attempt_start(user=learner, quiz=quiz)
    services.attempt_save_answers(attempt=attempt, answers=right_answers(attempt))
    elements = skeleton(attempt_html(client, learner, attempt))
    tokens = tokens_of(attempt)
    assert all(re.fullmatch(r"[a-z]{12}", token) for token in tokens)
    for tag, attrs in elements:
        attrs = dict(attrs)
        for name in ("name", "value"):
            if name in attrs and attrs.get("type") != "submit" and tag != "button":
                assert attrs[name] == "" or attrs[name] in tokens, (tag, attrs)
        for name in ("id", "for"):
            if name in attrs and tag in ("input", "select", "option", "label"):
                # id_<token>, or id_<token>_<n> for the n-th option as shown
                assert re.fullmatch(r"id_([a-z]{12})(_\d+)?", attrs[name]), (tag, attrs)
                assert re.fullmatch(r"id_([a-z]{12})(_\d+)?", attrs[name])[1] in tokens
    rows = [question.pk, *question.choices.values_list("pk", flat=True)]
    rows += [
        *question.pairs.values_list("pk", flat=True),
        *question.items.values_list("pk", flat=True),
    ]
    assert rows  # ids exist, and none of them can be read in a token (letters only)
    assert not any(str(pk) in token for pk in rows for token in tokens)


@pytest.mark.parametrize("kind", ALL_TYPES)
def test_names_and_values_are_the_same_whatever_the_right_answer(
    site, client, learner, monkeypatch, kind
):
    """With the same token stream, two questions of one shape whose keys differ give the same
    form, names, values and ids alike, in the same order, while the answers that score full
    marks are different fields and values: the form carries nothing of the key."""
    forms, rights = [], []
    for n, data in enumerate([question_data(kind), other_key(kind)]):
        monkeypatch.setattr(question_types_base, "secrets", SeededSecrets(7))
        quiz, _question = one_question_quiz(kind, f"key-{kind}-{n}", data=data)
        # Seeds that show matching answers and ordering items in different orders.
        attempt = services.attempt_start(user=learner, quiz=quiz, rng=random.Random((1, 4)[n]))
        forms.append(skeleton(attempt_html(client, learner, attempt)))
        rights.append(post_data(attempt, right_answers(attempt)))
    assert forms[0] == forms[1]
    assert rights[0] != rights[1]


@pytest.mark.parametrize("kind", ALL_TYPES)
def test_a_forged_token_is_refused_with_a_translated_message(site, client, learner, kind):
    quiz, _question = one_question_quiz(kind, f"forged-{kind}")
    other = services.attempt_start(user=learner, quiz=quiz)
    services.attempt_submit(attempt=other)
    attempt = services.attempt_start(user=learner, quiz=quiz)
    # A token of the learner's earlier attempt at the same question, in the first field.
    entry, earlier = attempt.layout[0], other.layout[0]
    data = post_data(attempt, {})
    field = entry["name"] if "name" in entry else entry["prompts"][0][0]
    data[field] = earlier["options"][0][0]
    client.force_login(learner)
    with translation.override("ar"):
        response = client.post(reverse("quizzes:attempt", args=[attempt.pk]), data)
        expected = translation.gettext("Question %(number)s: %(problem)s") % {
            "number": 1,
            "problem": "",
        }
    assert response.status_code == 400
    html = response.content.decode()
    assert 'lang="ar"' in html and expected.strip() in html
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.IN_PROGRESS
    assert not Response.objects.filter(attempt=attempt, answer__isnull=False).exists()


def test_the_right_answers_are_not_in_the_form_of_any_type(site, client, learner):
    """No correct flag, feedback or position reaches the page (all five types together)."""
    quiz = make_quiz(slug="secret")
    attempt = services.attempt_start(user=learner, quiz=quiz)
    html = attempt_html(client, learner, attempt)
    form = html[html.index('class="form quiz-form"') : html.index("</form>")]
    for secret in ("correct", "Yes 0", "Because", "data-", "true", "false"):
        assert secret not in form, secret
