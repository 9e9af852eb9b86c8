"""The attempt form's questions as built per request (w21o): what the quicker building keeps
per worker and what it joins in for each attempt.

test_attempt_render.py compares the page with the widgets' rendering; these tests pin what
the shortcuts could get wrong: a token that is not a plain token is still escaped wherever
it goes, each prompt of a question selects its own answer from options built once, each
question shows its own marks, the kept content follows the language, an edit and the
content generation, and the attempt's statements fit layouts of any length.
"""

import re
from copy import deepcopy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cms import page_cache
from cms.page_cache import BoundedCache
from quizzes import selectors, services
from quizzes.models import Question
from quizzes.question_types.base import attribute, option_inputs, prompt_selects
from tests.factories import LearnerFactory

from .factories import ALL_TYPES, make_questions, make_quiz, right_answers

pytestmark = pytest.mark.django_db

_SELECT = re.compile(r'<select name="([^"]*)" id="id_[^"]*">(.*?)</select>')
_SELECTED = re.compile(r'<option value="([^"]*)" selected dir="auto">')


@pytest.fixture
def taken(site):
    page_cache.clear()
    quiz = make_quiz(questions=make_questions([*ALL_TYPES, *ALL_TYPES]), slug="parts")
    attempt = services.attempt_start(user=LearnerFactory(), quiz=quiz, language="en")
    return quiz, attempt


def shown_html(attempt, quiz, language="en") -> str:
    generation = page_cache.read_generation()
    with translation.override(language):
        kept = selectors.attempt_quiz(quiz_id=quiz.pk, generation=generation)
        shown = selectors.attempt_shown(attempt=attempt, quiz=kept, generation=generation)
    return str(shown.questions_html)


def test_a_plain_token_is_left_as_it_is_and_anything_else_is_escaped():
    assert attribute("abcxyzqwerty") == "abcxyzqwerty"
    assert attribute("") == ""
    assert attribute('a"b') == "a&quot;b"
    assert attribute("<x>&'") == "&lt;x&gt;&amp;&#x27;"
    assert attribute("é") == "é"  # not ASCII: escaped (unchanged by escaping)
    assert attribute("ab1") == "ab1"


def test_tokens_that_are_not_plain_tokens_are_escaped_in_every_type(taken):
    """A layout is the server's own, but its tokens are escaped wherever they are written."""
    quiz, attempt = taken
    evil = '"><script>x</script>'
    tampered = deepcopy(attempt.layout)
    for n, entry in enumerate(tampered):
        if "name" in entry:
            entry["name"] = f"{evil}n{n}"
        entry["options"] = [[f"{evil}o{n}{i}", v] for i, (_t, v) in enumerate(entry["options"])]
        if "prompts" in entry:
            entry["prompts"] = [[f"{evil}p{n}{i}", v] for i, (_t, v) in enumerate(entry["prompts"])]
    attempt.layout = tampered
    html = shown_html(attempt, quiz)
    assert "<script>" not in html and f'"{evil}' not in html
    escaped = "&quot;&gt;&lt;script&gt;x&lt;/script&gt;"
    for n, entry in enumerate(tampered):
        if "name" in entry:
            assert f'name="{escaped}n{n}"' in html
        for i in range(len(entry["options"])):
            assert f'value="{escaped}o{n}{i}"' in html
        for i in range(len(entry.get("prompts", []))):
            assert f'<select name="{escaped}p{n}{i}" id="id_{escaped}p{n}{i}">' in html


def test_each_prompt_selects_its_own_answer_from_options_built_once(taken):
    quiz, attempt = taken
    answers = right_answers(attempt)
    prompted = [entry for entry in attempt.layout if "prompts" in entry]
    # The first prompted question answered, the second left without an answer.
    services.attempt_save_answers(
        attempt=attempt, answers={prompted[0]["question"]: answers[prompted[0]["question"]]}
    )
    html = shown_html(attempt, quiz)
    selects = dict(_SELECT.findall(html))
    for number, entry in enumerate(prompted):
        given = answers[entry["question"]] if number == 0 else {}
        for token, pk in entry["prompts"]:
            expected = next((t for t, v in entry["options"] if v == given.get(pk)), "")
            assert _SELECTED.findall(selects[token]) == [expected]
            # Every option offered once, in the attempt's order, the placeholder first.
            offered = re.findall(r'<option value="([^"]*)"', selects[token])
            assert offered == ["", *(t for t, _v in entry["options"])]


def test_the_shared_option_tags_keep_a_selection_to_its_own_prompt():
    options = [("", "Choose"), ("aaa", "One"), ("bbb", "Two"), ("aaa", "Again")]
    html = prompt_selects([("p", "P", "aaa"), ("q", "Q", "bbb"), ("r", "R", "")], options)
    selects = dict(_SELECT.findall(html))
    assert _SELECTED.findall(selects["p"]) == ["aaa"]  # the first of a repeated token only
    assert selects["p"].count(" selected") == 1
    assert _SELECTED.findall(selects["q"]) == ["bbb"]
    assert _SELECTED.findall(selects["r"]) == [""]
    assert html.count(" selected") == 3
    assert prompt_selects([("s", "S", "zzz")], options).count(" selected") == 0


def test_radios_check_one_option_and_checkboxes_every_option_chosen():
    options = [("aaa", "One"), ("bbb", "Two"), ("aaa", "Again")]

    def marked(chosen):
        return [(token, label, token in chosen) for token, label in options]

    radios = option_inputs("radio", "n", marked({"aaa"}))
    assert radios.count(" checked") == 1
    assert 'value="aaa" id="id_n_0" checked>' in radios
    boxes = option_inputs("checkbox", "n", marked({"aaa", "bbb"}))
    assert boxes.count(" checked") == 3
    assert option_inputs("radio", "n", marked({""})).count(" checked") == 0


def test_each_question_shows_its_own_marks_and_instruction(taken):
    quiz, attempt = taken
    layout = deepcopy(attempt.layout)
    marks = [1, 3, 1, 2, 5, 3, 1, 1, 2, 4]
    for entry, given in zip(layout, marks, strict=True):
        entry["marks"] = given
    attempt.layout = layout
    html = shown_html(attempt, quiz)
    helps = re.findall(r'<p class="field__help">([^<]*)</p>', html)
    assert len(helps) == len(layout)
    for entry, text in zip(layout, helps, strict=True):
        expected = "1 mark" if entry["marks"] == 1 else f"{entry['marks']} marks"
        assert text.startswith(expected)
        assert ("Select all that apply." in text) == (entry["type"] == "multiple")
        assert ("1 being first" in text) == (entry["type"] == "ordering")


def test_kept_content_is_per_language(taken):
    quiz, attempt = taken
    pages = {language: shown_html(attempt, quiz, language) for language in ("en", "fr", "ar")}
    again = {language: shown_html(attempt, quiz, language) for language in ("en", "fr", "ar")}
    assert pages == again  # the second time from the worker's cache
    assert "Question single 0?" in pages["en"] and "Right 0<" in pages["en"]
    assert "(fr)" not in pages["en"] and "(ar)" not in pages["en"]
    for language, other in (("fr", "ar"), ("ar", "fr")):
        assert f"Question single 0?<br>({language})" in pages[language]
        assert f"Right 0 ({language})" in pages[language] and f"({other})" not in pages[language]


def test_an_edited_question_text_replaces_the_kept_heading(taken):
    quiz, attempt = taken
    assert "Question single 0?" in shown_html(attempt, quiz)
    question = Question.objects.get(pk=attempt.layout[0]["question"])
    question.text_en = "<p>Reworded &amp; edited?</p>"
    question.save()
    html = shown_html(attempt, quiz)
    assert "Reworded &amp; edited?" in html and "Question single 0?" not in html


def test_a_new_content_generation_reads_the_questions_again(taken):
    quiz, attempt = taken
    shown_html(attempt, quiz)
    with CaptureQueriesContext(connection) as kept:
        shown_html(attempt, quiz)
    page_cache.bump_generation()
    with CaptureQueriesContext(connection) as fresh:
        shown_html(attempt, quiz)
    read = " ".join(query["sql"] for query in fresh.captured_queries)
    assert "quizzes_choice" not in " ".join(query["sql"] for query in kept.captured_queries)
    assert "quizzes_choice" in read and "quizzes_matchingpair" in read


def test_the_answers_statement_fits_layouts_of_every_length(site):
    learner = LearnerFactory()
    attempts = []
    for count in (1, 3, 5, 1):
        kinds = ALL_TYPES[:count]
        quiz = make_quiz(questions=make_questions(kinds), slug=f"len-{count}-{len(attempts)}")
        attempts.append(services.attempt_start(user=learner, quiz=quiz, language="en"))
    for attempt in attempts:
        services.attempt_save_answers(attempt=attempt, answers=right_answers(attempt))
    for attempt in attempts:
        answers, changes = selectors.answers_and_changes(attempt)
        assert answers == selectors.attempt_answers(attempt)
        assert sorted(changes) == sorted(entry["question"] for entry in attempt.layout)


def test_the_bounded_cache_answers_one_and_many_keys_and_forgets_the_expired(monkeypatch):
    cache = BoundedCache(10)
    cache.set("a", 1)
    cache.set("b", 0)  # a falsy value is a value
    assert cache.get("a") == 1 and cache.get("b") == 0 and cache.get("c") is None
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 0}
    assert cache.get_many([]) == {}
    monkeypatch.setattr(page_cache, "MAX_AGE_SECONDS", -1)  # born expired
    expired = BoundedCache(10)
    expired.set("a", 1)
    assert expired.get("a") is None and expired.get_many(["a"]) == {}


def test_the_bounded_cache_keeps_its_bounds_with_many_lookups():
    cache = BoundedCache(3, max_bytes=30, getsizeof=len)
    for key in "abcdef":
        cache.set(key, key * 10)
        cache.get_many("abcdef")
        assert len(cache) <= 3 and cache.currsize <= 30
    assert len(cache.get_many("abcdef")) == 3 and cache.get("f") == "f" * 10
