"""`repeated_cursor` (cms/statements.py) gives the driver's cursor with what Django's wrapper
does that matters — errors as Django's, a broken transaction refused, the connection opened,
checked and kept usable — unless statements are being watched, when it is Django's own cursor
so that query counts, logs and execute wrappers see them. On SQLite and PostgreSQL."""

import pytest
from django.db import DatabaseError, Error, connections, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from cms.statements import LeanCursor, repeated_cursor, sqlite_text

connection = connections["default"]  # the wrapper itself, not django.db's proxy to it
# A placeholder, and a percent sign written as Django's cursors take it (`%%`).
ECHO = "SELECT CAST(%s AS text) || '%%'"


def test_sqlite_text_turns_placeholders_into_question_marks_and_keeps_percent_signs():
    assert sqlite_text("SELECT a FROM t WHERE b = %s AND c LIKE '10%%'") == (
        "SELECT a FROM t WHERE b = ? AND c LIKE '10%'"
    )
    assert sqlite_text("SELECT %s, %s") == "SELECT ?, ?"
    assert sqlite_text("SELECT '%%s'") == "SELECT '%s'"  # a literal, not a placeholder


@pytest.mark.django_db
def test_the_lean_cursor_returns_what_djangos_cursor_returns():
    with repeated_cursor(connection) as cursor:
        assert isinstance(cursor, LeanCursor)
        cursor.execute(ECHO, ["42"])
        lean_one = cursor.fetchone()
        cursor.execute("SELECT CAST(%s AS text) UNION ALL SELECT CAST(%s AS text)", ["a", "b"])
        lean_all = cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(ECHO, ["42"])
        assert cursor.fetchone() == lean_one == ("42%",)
        cursor.execute("SELECT CAST(%s AS text) UNION ALL SELECT CAST(%s AS text)", ["a", "b"])
        assert [tuple(row) for row in cursor.fetchall()] == [tuple(row) for row in lean_all]
    assert sorted(row[0] for row in lean_all) == ["a", "b"]


@pytest.mark.django_db
def test_statements_are_djangos_to_see_when_queries_are_captured():
    with CaptureQueriesContext(connection) as captured, repeated_cursor(connection) as cursor:
        assert not isinstance(cursor, LeanCursor)
        cursor.execute(ECHO, ["7"])
        assert cursor.fetchone() == ("7%",)
    assert len(captured.captured_queries) == 1
    assert "7" in captured.captured_queries[0]["sql"]


@pytest.mark.django_db
def test_an_execute_wrapper_sees_the_statements():
    seen = []

    def record(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record), repeated_cursor(connection) as cursor:
        cursor.execute(ECHO, ["8"])
        assert cursor.fetchone() == ("8%",)
    assert seen == [ECHO]


@pytest.mark.django_db
def test_the_drivers_errors_are_djangos():
    with pytest.raises(DatabaseError) as raised, repeated_cursor(connection) as cursor:
        cursor.execute("SELECT * FROM tadrib_no_such_table WHERE id = %s", [1])
    # django.db's error (what callers catch), the driver's as its cause.
    assert type(raised.value).__module__ == "django.db.utils"
    assert raised.value.__cause__ is not None
    assert type(raised.value.__cause__).__module__ != "django.db.utils"


@pytest.mark.django_db
def test_a_statement_is_refused_in_a_transaction_that_must_be_rolled_back():
    with transaction.atomic():
        transaction.set_rollback(True)
        with pytest.raises(TransactionManagementError), repeated_cursor(connection) as cursor:
            cursor.execute(ECHO, ["1"])
        transaction.set_rollback(False)
        transaction.set_rollback(True)  # leave the block rolled back, as it was asked


@pytest.mark.django_db
def test_a_failing_statement_in_a_transaction_leaves_the_connection_usable():
    with (
        pytest.raises(DatabaseError),
        transaction.atomic(),
        repeated_cursor(connection) as cursor,
    ):
        cursor.execute("SELECT * FROM tadrib_no_such_table WHERE id = %s", [1])
    with repeated_cursor(connection) as cursor:
        cursor.execute(ECHO, ["9"])
        assert cursor.fetchone() == ("9%",)


@pytest.mark.django_db
def test_the_cursor_is_closed_on_leaving_the_block():
    with repeated_cursor(connection) as cursor:
        cursor.execute(ECHO, ["1"])
        cursor.fetchone()
    with pytest.raises(Error):  # Django's (an InterfaceError on PostgreSQL)
        cursor.execute(ECHO, ["2"])


@pytest.mark.django_db(transaction=True)
def test_a_closed_connection_is_opened_again():
    connection.close()
    with repeated_cursor(connection) as cursor:
        cursor.execute(ECHO, ["3"])
        assert cursor.fetchone() == ("3%",)


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
def test_the_lean_cursor_prepares_its_statements_on_postgresql():
    text = "SELECT CAST(%s AS integer) + 40 AS tadrib_lean_probe"
    for value in (1, 2):
        with repeated_cursor(connection) as cursor:
            assert isinstance(cursor, LeanCursor)
            cursor.execute(text, [value])
            assert cursor.fetchone() == (value + 40,)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%tadrib_lean_probe%"],
        )
        assert cursor.fetchone() == (1,)  # prepared once, executed twice
