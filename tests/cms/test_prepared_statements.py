"""The statements every learner page runs are prepared on PostgreSQL (cms/statements.py,
cms/postgresql/base.py): parsed and planned once per connection, not on every request; the
rest of the ORM keeps Django's client-side binding; `TADRIB_PREPARED_STATEMENTS` off gives
plain cursors (for a pooler that cannot keep prepared statements)."""

from contextlib import contextmanager

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms.statements import repeated_cursor
from courses import services
from tests.courses.factories import make_course, make_module
from tests.factories import LearnerFactory
from tests.performance.pages import get, page_url

connection = connections["default"]  # the wrapper itself, not django.db's proxy to it
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


@contextmanager
def cursors_used():
    """The psycopg cursor classes of the statements run inside, in order."""
    used = []

    def record(execute, sql, params, many, context):
        used.append(type(context["cursor"].cursor).__name__)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield used


def prepared_texts() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def learner_on_a_module(site):
    course = make_course(slug="prepared")
    module = make_module(course, slug="prepared-part", blocks=1)
    learner = LearnerFactory(username="prepared-learner")
    services.activity_open(user=learner, activity=module, language="en")
    client = Client()
    client.force_login(learner)
    return client, page_url(module)


@pytest.mark.django_db
def test_a_module_pages_statements_are_prepared_once_then_reused(learner_on_a_module):
    client, url = learner_on_a_module
    get(client, url)  # the shell is made and remembered
    with cursors_used() as used:
        get(client, url)
    assert used == ["PreparingCursor", "PreparingCursor"]  # the session's, the learner's rows
    prepared = prepared_texts()
    assert any('FROM "security_session" s' in text for text in prepared), prepared
    assert any("courses_activitycompletion" in text for text in prepared), prepared
    # Another visit prepares nothing new: the same two statements are executed again.
    get(client, url)
    assert sorted(prepared_texts()) == sorted(prepared)


@pytest.mark.django_db
def test_the_quiz_page_and_the_attempt_forms_statements_are_prepared(site):
    from tests.performance.test_learner_shells import quiz_tree
    from tests.quizzes.factories import right_answers

    learner = LearnerFactory(username="prepared-quiz-taker")
    client = Client()
    client.force_login(learner)
    quizzes, _course, small, _big = quiz_tree(learner)
    attempt = quizzes.attempt_start(user=learner, quiz=small)
    quizzes.attempt_save_answers(attempt=attempt, answers=right_answers(attempt))
    for url in (page_url(small), f"/en/quizzes/attempts/{attempt.pk}/"):
        get(client, url)
        with cursors_used() as used:
            get(client, url)
        assert used and set(used) == {"PreparingCursor"}, (url, used)


@pytest.mark.django_db
def test_captured_queries_still_show_the_prepared_statements_text(learner_on_a_module):
    client, url = learner_on_a_module
    get(client, url)
    get(client, url)  # prepared by now
    with CaptureQueriesContext(connection) as captured:
        get(client, url)
    texts = [query["sql"] for query in captured.captured_queries]
    assert len(texts) == 2 and all(texts), texts
    assert "security_session" in texts[0] and "$1" not in texts[0]


@pytest.mark.django_db
def test_the_orm_keeps_client_side_binding(site):
    with cursors_used() as used:
        list(LearnerFactory._meta.model.objects.filter(username="nobody"))
    assert used == ["Cursor"]  # Django's own client-binding cursor
    assert connection.connection.prepare_threshold is not None  # only asked-for ones


@pytest.mark.django_db
def test_prepared_statements_can_be_turned_off(settings, learner_on_a_module):
    client, url = learner_on_a_module
    settings.TADRIB_PREPARED_STATEMENTS = False
    get(client, url)
    with cursors_used() as used:
        get(client, url)
    assert used == ["Cursor", "Cursor"]


@pytest.mark.django_db
def test_a_failing_prepared_statement_leaves_the_connection_usable(site):
    from django.db import DatabaseError, transaction

    with (
        pytest.raises(DatabaseError),
        transaction.atomic(),
        repeated_cursor(connection) as cursor,
    ):
        cursor.execute("SELECT 1 / %s", [0])
    with repeated_cursor(connection) as cursor:
        cursor.execute("SELECT 1 / %s", [1])
        assert cursor.fetchone() == (1,)
