"""A POST of the attempt form is read without building the Django form (issue 21): every
question type reads its fields' values from the POST (QuestionType.read) and refuses what its
fields refuse, with the same messages, in three languages. Each case is compared with the
attempt form (selectors.attempt_page, which the POST used before and offline still uses), and
driven through the view: a refused POST saves and scores nothing."""

from html import escape

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation

from quizzes import forms as quiz_forms
from quizzes import selectors, services
from quizzes.attempt_post import attempt_posted
from quizzes.models import Choice, QuizAttempt, Response

from .factories import ALL_TYPES, make_quiz, post_data, right_answers

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr", "ar")


def query(data: dict) -> QueryDict:
    """A POST as Django parses it: a list value is that field sent once per value."""
    posted = QueryDict(mutable=True)
    for name, value in data.items():
        posted.setlist(name, value if isinstance(value, list) else [value])
    return posted


def names(entry) -> list[str]:
    """The attempt form's field names for a layout entry, in their order."""
    if "name" in entry:
        return [entry["name"]]
    return [token for token, _pk in entry["prompts"]]


def tokens(entry) -> list[str]:
    return [token for token, _value in entry["options"]]


def variants(attempt, other) -> list[tuple[str, dict]]:
    """POSTs of the attempt form, right and wrong: every answer right, nothing sent, and for
    each field of each question its value removed, emptied, repeated, doubled with another
    of its own options, replaced by a number, by an option of another question of the
    attempt, by a field name, and by a token of the learner's other attempt."""
    right = post_data(attempt, right_answers(attempt))
    cases = [("right", right), ("nothing", {"action": "submit"})]
    layout = attempt.layout
    foreign = [token for entry in other.layout for token in tokens(entry)]
    for n, entry in enumerate(layout):
        neighbour = layout[(n + 1) % len(layout)]
        own = tokens(entry)
        for name in names(entry):
            sent = right.get(name)
            first = sent[0] if isinstance(sent, list) else sent
            changes = {
                "removed": None,
                "empty": "",
                "repeated": [first or own[0], first or own[0]],
                "doubled": [own[0], own[-1]],
                "number": "1",
                "neighbour's option": tokens(neighbour)[0],
                "field name": names(neighbour)[0],
                "other attempt": foreign[n % len(foreign)],
                "own and foreign": [own[0], foreign[0]],
            }
            for change, value in changes.items():
                data = dict(right)
                if value is None:
                    data.pop(name, None)
                else:
                    data[name] = value
                cases.append((f"{entry['type']} {name} {change}", data))
    return cases


def as_the_form_reads_it(attempt, quiz, data, page=None):
    """(valid, answers or problems) as the attempt form reads `data`."""
    form = selectors.attempt_page(attempt=attempt, quiz=quiz, page=page, data=data).form
    assert form is not None
    if form.is_valid():
        return True, form.answers()
    return False, form.problems()


def as_read_now(attempt, quiz, data, page=None):
    posted = attempt_posted(attempt=attempt, quiz=quiz, page=page, data=data)
    return (False, posted.problems) if posted.problems else (True, posted.answers)


@pytest.fixture
def attempts(site, learner):
    """A learner's attempt in progress at a quiz of every type, and their earlier attempt."""
    quiz = make_quiz(slug="post", attempts_allowed=0)
    other = services.attempt_start(user=learner, quiz=quiz)
    services.attempt_submit(attempt=other)
    return quiz, services.attempt_start(user=learner, quiz=quiz), other


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_post_reads_as_the_attempt_form_read_it(attempts, language):
    quiz, attempt, other = attempts
    cases = variants(attempt, other)
    refused = 0
    with translation.override(language):
        for case, data in cases:
            expected = as_the_form_reads_it(attempt, quiz, query(data))
            assert as_read_now(attempt, quiz, query(data)) == expected, case
            refused += not expected[0]
    # Both kinds are there: the comparison is not vacuous.
    assert 0 < refused < len(cases)


def test_a_choice_deleted_since_the_attempt_began_is_refused_as_before(attempts):
    """The form offers only the choices a question still has; so does the reading."""
    quiz, attempt, _other = attempts
    entry = next(entry for entry in attempt.layout if entry["type"] == "single")
    token, pk = entry["options"][0]
    Choice.objects.filter(pk=pk).delete()
    data = query({**post_data(attempt, {}), entry["name"]: token})
    expected = as_the_form_reads_it(attempt, quiz, data)
    assert expected[0] is False
    assert as_read_now(attempt, quiz, data) == expected


@pytest.mark.parametrize("kind", ALL_TYPES)
def test_one_question_per_page_reads_the_page_posted(site, learner, kind):
    quiz = make_quiz(slug=f"paged-{kind}", one_per_page=True)
    attempt = services.attempt_start(user=learner, quiz=quiz)
    number = next(n for n, e in enumerate(attempt.layout, start=1) if e["type"] == kind)
    entry = attempt.layout[number - 1]
    right = post_data(attempt, right_answers(attempt))
    only = {name: value for name, value in right.items() if name in names(entry)}
    for data in (
        {"action": "save", **only},
        {"action": "save"},
        {"action": "save", names(entry)[0]: "nope"},
    ):
        for page in (number, str(number), "x", 99):
            expected = as_the_form_reads_it(attempt, quiz, query(data), page)
            assert as_read_now(attempt, quiz, query(data), page) == expected, (data, page)
    posted = attempt_posted(attempt=attempt, quiz=quiz, page=number, data=query(only))
    assert posted.page == number and list(posted.answers) == [entry["question"]]


def _reasons(html: str) -> list[str]:
    start = html.index("<ul>", html.index('class="form__errors"'))
    items = html[start + len("<ul>") : html.index("</ul>", start)]
    return [item.removesuffix("</li>") for item in items.split("<li>")[1:]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_view_refuses_a_tampered_post_with_the_forms_reasons(client, attempts, language):
    """Through the view, each refused case answers 400 with the attempt form's reasons in the
    learner's language, and nothing is saved or scored."""
    quiz, attempt, other = attempts
    client.force_login(attempt.user)
    with translation.override(language):
        path = reverse("quizzes:attempt", args=[attempt.pk])
        for case, data in variants(attempt, other):
            valid, reasons = as_the_form_reads_it(attempt, quiz, query(data))
            if valid:
                continue
            response = client.post(path, data)
            assert response.status_code == 400, case
            html = response.content.decode()
            assert f'lang="{language}"' in html
            assert _reasons(html) == [escape(reason) for reason in reasons], case
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.IN_PROGRESS
    assert not Response.objects.filter(attempt=attempt, answer__isnull=False).exists()


def test_a_submission_builds_no_attempt_form(client, attempts, monkeypatch):
    """The lever itself: the POST is read and scored without the Django form."""
    _quiz, attempt, _other = attempts

    def refuse(*args, **kwargs):
        raise AssertionError("the attempt form was built for a POST")

    monkeypatch.setattr(quiz_forms.AttemptForm, "__init__", refuse)
    client.force_login(attempt.user)
    data = post_data(attempt, right_answers(attempt))
    response = client.post(reverse("quizzes:attempt", args=[attempt.pk]), data)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.state, attempt.score) == ("submitted", 100)
