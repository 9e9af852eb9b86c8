"""My learning and the quiz page read a learner's state in one statement (issue 21, round 4).

My learning reads the learner's enrolments, completions and certificates together
(`courses.learning_shell._learner_rows`, the certificates app's `CertificateRows`); the quiz
page reads the attempts, the quiz's completion, the enrolment and the attempt gates' probes
together (`quizzes.quiz_shell.learner_state`). What they show is what the full render shows,
byte for byte, in every language; a gate whose probe finds no row is not asked, one whose
probe finds rows (or that has none) is.
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from courses import services
from courses.models import Enrolment
from tests.courses.factories import make_course, make_module
from tests.performance.pages import get, page_url, queries_of
from tests.performance.test_learner_shells import (
    CSRF,
    LANGUAGES,
    LEARNING_QUERIES,
    QUIZ_QUERIES,
    full_render,
    my_learning_url,
    signed_in,
)

pytestmark = pytest.mark.django_db


def workshop_certificate(user, capture):
    """A workshop completed by `user`, and the certificate the receiver issued."""
    from tests.workshop_certificates.conftest import attend_all
    from tests.workshops.factories import add_participants, make_workshop

    workshop = make_workshop(
        slug="sit", starts_on=date(2026, 3, 2), days=2, mode="in_person", venue_country="NE"
    )
    attend_all(workshop, add_participants(workshop, [user]), capture=capture)
    return workshop


def test_my_learning_reads_enrolments_completions_and_certificates_in_one_statement(
    site, django_capture_on_commit_callbacks
):
    client, user = signed_in("one-statement")
    course = make_course(slug="certified")
    module = make_module(course, slug="certified-0", blocks=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_complete(user=user, activity=module, language="en")
    url = my_learning_url()
    get(client, url)
    with CaptureQueriesContext(connection) as captured:
        html = get(client, url).content.decode()
    statements = [q["sql"] for q in captured.captured_queries]
    assert len(statements) == LEARNING_QUERIES == 2
    together = [s for s in statements if "certificates_certificate" in s]
    assert len(together) == 1 and "courses_enrolment" in together[0]
    assert "Certificate (PDF)" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_my_learning_with_workshop_and_course_certificates_is_the_full_render(
    site, language, monkeypatch, django_capture_on_commit_callbacks
):
    from certificates.selectors import learning_decode, learning_links, learning_statement

    client, user = signed_in("certificates-same")
    workshop_certificate(user, django_capture_on_commit_callbacks)
    done = make_course(slug="done")
    done_module = make_module(done, slug="done-0", blocks=1)
    late = make_course(slug="late")
    late_modules = [make_module(late, slug=f"late-{n}", blocks=1) for n in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_complete(user=user, activity=done_module, language=language)
    services.activity_complete(user=user, activity=late_modules[0], language=language)
    Enrolment.objects.filter(user=user, course=late).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    url = my_learning_url(language)
    get(client, url)
    count, shelled = queries_of(client, url)
    assert count == LEARNING_QUERIES
    assert CSRF.sub("", shelled) == CSRF.sub("", full_render(client, url, monkeypatch))
    assert shelled.count("/credential/") == 2
    if language == "en":
        assert "Workshop certificates" in shelled and "Niger" in shelled
    # The rows decoded as the ORM reads them, in the active language.
    columns, rest, params = learning_statement(user.pk)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} {rest}", params)
        rows = cursor.fetchall()
    with translation.override(language):
        assert learning_decode(rows) == learning_links(user)


def test_my_learning_without_a_certificate_reader_for_rows_reads_them_apart(site, monkeypatch):
    """An app that gives only a reader (no `CertificateRows`): one more statement, same page."""
    from courses import learning_shell

    client, _user = signed_in("reader-only")
    url = my_learning_url()
    get(client, url)
    joined = queries_of(client, url)
    monkeypatch.setattr(learning_shell, "_certificate_rows", None)
    apart = queries_of(client, url)
    assert apart[0] == joined[0] + 1
    assert CSRF.sub("", apart[1]) == CSRF.sub("", joined[1])


# --- the quiz page --------------------------------------------------------------------------


def test_a_remembered_quiz_page_is_one_statement_besides_the_session_and_generation(site):
    from tests.quizzes.factories import make_questions, make_quiz

    client, _user = signed_in("quiz-one-statement")
    quiz = make_quiz(slug="one", questions=make_questions(["single"]))
    url = page_url(quiz)
    get(client, url)
    with CaptureQueriesContext(connection) as captured:
        html = get(client, url).content.decode()
    statements = [q["sql"] for q in captured.captured_queries]
    assert len(statements) == QUIZ_QUERIES == 2
    assert "Start attempt" in html
    # The attempts, the completion, the enrolment and the workshops' probe, together.
    (together,) = [s for s in statements if "quizzes_quizattempt" in s]
    for table in ("courses_activitycompletion", "courses_enrolment", "workshops_participant"):
        assert table in together


@pytest.fixture
def workshop_tests(site):
    from tests.quizzes.factories import make_quiz
    from tests.workshops.factories import make_workshop

    pre = make_quiz(slug="pre", required=False)
    post = make_quiz(slug="post", required=False)
    return make_workshop(pre_test=pre, post_test=post), pre, post


def test_a_participant_sees_the_gate_on_a_remembered_quiz_page_at_once(workshop_tests, monkeypatch):
    from tests.workshops.factories import add_participants

    workshop, _pre, post = workshop_tests
    client, user = signed_in("gated")
    url = page_url(post)
    get(client, url)
    count, before = queries_of(client, url)
    assert count == QUIZ_QUERIES and "Start attempt" in before
    assert "opens after the last session" not in before
    # Added to the workshop: the probe finds a row, the gate is asked (its two queries).
    add_participants(workshop, [user])
    count, gated = queries_of(client, url)
    assert count == QUIZ_QUERIES + 2
    assert "opens after the last session" in gated and "Start attempt" not in gated
    assert CSRF.sub("", gated) == CSRF.sub("", full_render(client, url, monkeypatch))


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_gated_quiz_page_is_the_full_render_in_every_language(
    workshop_tests, language, monkeypatch
):
    from tests.workshops.factories import add_participants

    workshop, pre, post = workshop_tests
    client, user = signed_in("gated-languages")
    add_participants(workshop, [user])
    for quiz in (pre, post):
        url = page_url(quiz, language)
        get(client, url)
        _count, remembered = queries_of(client, url)
        assert CSRF.sub("", remembered) == CSRF.sub("", full_render(client, url, monkeypatch))


def test_a_gate_without_a_probe_is_always_asked(site):
    from quizzes import gates
    from tests.quizzes.factories import make_questions, make_quiz

    client, _user = signed_in("unprobed")
    quiz = make_quiz(slug="unprobed", questions=make_questions(["single"]))
    url = page_url(quiz)
    get(client, url)
    asked = []

    def closed(*, user, quiz, now):
        asked.append(quiz.pk)
        return "Closed for now."

    gates.register_attempt_gate("closed-for-test", closed)
    try:
        html = get(client, url).content.decode()
    finally:
        gates.unregister_attempt_gate("closed-for-test")
    assert asked == [quiz.pk]
    assert "Closed for now." in html and "Start attempt" not in html
    assert "Start attempt" in get(client, url).content.decode()


def test_quiz_page_scores_and_times_read_in_sql_are_the_orms(site):
    """Scores (Decimals of two places; SQLite keeps floats) and times (aware, UTC)."""
    from quizzes.models import QuizAttempt
    from quizzes.quiz_shell import learner_state
    from tests.quizzes.factories import make_questions, make_quiz
    from tests.workshops.factories import submitted_attempt

    _client, user = signed_in("scores")
    quiz = make_quiz(slug="scored", questions=make_questions(["single"]), attempts_allowed=0)
    for number, score in enumerate(("50.00", "66.67", "100.00", "0.00"), start=1):
        submitted_attempt(user=user, quiz=quiz, number=number, score=score)
    orm = list(
        QuizAttempt.objects.filter(user=user, quiz=quiz)
        .order_by("number")
        .values_list("pk", "number", "state", "submitted_at", "score", "passed", "deadline")
    )
    state = learner_state(user_id=user.pk, quiz_id=quiz.pk)
    assert state.attempts == orm
    assert [str(row[4]) for row in state.attempts] == ["50.00", "66.67", "100.00", "0.00"]
    assert state.gates == frozenset() and state.completion is None and state.enrolment is None


def test_the_quiz_pages_overdue_check_is_the_services(settings):
    """`quiz_shell._overdue` decides from the deadline alone as `attempt_is_overdue` does, on
    either side of the grace period."""
    from quizzes.models import QuizAttempt
    from quizzes.quiz_shell import _overdue
    from quizzes.services import attempt_is_overdue

    settings.QUIZ_TIME_LIMIT_GRACE_SECONDS = 30
    now = timezone.now()
    for deadline in (None, now, now - timedelta(seconds=30), now - timedelta(seconds=31)):
        assert _overdue(deadline, now) == attempt_is_overdue(
            QuizAttempt(deadline=deadline), now=now
        )
    assert _overdue(now - timedelta(seconds=31), now) and not _overdue(now, now)
