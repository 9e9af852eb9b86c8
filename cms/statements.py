"""A cursor for the statements every page runs: prepared on PostgreSQL, and lean.

Each learner page runs two or three statements of fixed text (the session with its user, the
page's learner state). With Django's default client-side binding, PostgreSQL parses and
plans each one on every request; for joins of five or six tables that was more of the
server's time than running them, on the same cores as the workers. `repeated_cursor` gives
a cursor whose statements are parsed and planned once per connection (cms/postgresql/base.py,
`PreparingCursor`); on SQLite, which keeps its own statement cache, the driver's cursor.

Django's cursor wrapper costs about 35 µs a statement on top of the driver (the execute
wrappers' chain, a regular expression turning `%s` into SQLite's `?` on every call, the
wrapper's attribute lookups): a tenth of what SQLite took to run the page's statements. So,
unless something is watching the statements, the cursor given here is `LeanCursor`: the
driver's cursor with only what the wrapper does that matters here — the statement refused
inside a transaction that must be rolled back, the driver's errors turned into Django's
(`django.db.DatabaseError` and its kin), the connection checked for health and opened if
needed, and its thread checked — and the SQLite text converted once per statement. When
statements are logged (`DEBUG`, or a test capturing queries, `CaptureQueriesContext`,
`django_assert_num_queries`) or an `execute_wrapper` is installed, it is Django's own cursor,
so query counts, logs and wrappers see every statement as before.

Only for statements whose text does not vary per request but by their parameters (a varying
`IN (…)` list makes one prepared statement per length, within psycopg's 100 per connection).
The rest of the ORM keeps Django's cursors and client-side binding, as Django ships it.
"""

import contextlib
import re

from django.conf import settings
from django.db import connections
from django.utils.asyncio import async_unsafe

# Django's SQLite wrapper: a `%s` not preceded by `%` is a placeholder, `%%` a percent sign.
_FORMAT_PLACEHOLDER = re.compile(r"(?<!%)%s")
_sqlite_texts: dict[str, str] = {}
_SQLITE_TEXTS_MAX = 1024  # statements of fixed text: a few dozen in all


def sqlite_text(sql: str) -> str:
    """`sql` with `%s` placeholders as SQLite's `?` (what Django's wrapper does per call)."""
    text = _sqlite_texts.get(sql)
    if text is None:
        text = _FORMAT_PLACEHOLDER.sub("?", sql).replace("%%", "%")
        if len(_sqlite_texts) < _SQLITE_TEXTS_MAX:
            _sqlite_texts[sql] = text
    return text


class LeanCursor:
    """The driver's cursor for `repeated_cursor`'s statements (see the module's docstring):
    `execute`, `fetchone`, `fetchall`, closed on leaving a `with` block."""

    __slots__ = ("connection", "cursor", "sqlite")

    def __init__(self, connection, cursor, *, sqlite: bool):
        self.connection = connection  # Django's DatabaseWrapper
        self.cursor = cursor  # the driver's
        self.sqlite = sqlite

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        # As Django's wrapper: a connection already closed has closed its cursors.
        with contextlib.suppress(self.connection.Database.Error):
            self.cursor.close()

    def execute(self, sql: str, params) -> None:
        connection = self.connection
        connection.validate_no_broken_transaction()
        with connection.wrap_database_errors:
            self.cursor.execute(sqlite_text(sql) if self.sqlite else sql, params)

    def fetchone(self):
        with self.connection.wrap_database_errors:
            return self.cursor.fetchone()

    def fetchall(self):
        with self.connection.wrap_database_errors:
            return self.cursor.fetchall()


def _driver_cursor(connection):
    """The driver's cursor `LeanCursor` wraps on `connection`, or None where Django's own
    cursor is the one to use (another database, prepared statements turned off)."""
    if connection.vendor == "sqlite":
        return connection.connection.cursor()
    if connection.vendor == "postgresql" and hasattr(connection, "prepared_cursor"):
        if not settings.TADRIB_PREPARED_STATEMENTS:
            return None
        from cms.postgresql.base import PreparingCursor

        return PreparingCursor(connection.connection)
    return None


@async_unsafe
def repeated_cursor(connection):
    """A cursor for a statement run on every request (prepared where the database can):
    `LeanCursor` unless statements are being watched, else Django's cursor."""
    connection = connections[connection.alias]  # the wrapper, not django.db's proxy to it
    if not (connection.queries_logged or connection.execute_wrappers):
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        connection.validate_thread_sharing()
        with connection.wrap_database_errors:
            cursor = _driver_cursor(connection)
        if cursor is not None:
            return LeanCursor(connection, cursor, sqlite=connection.vendor == "sqlite")
    prepared = getattr(connection, "prepared_cursor", None)
    return prepared() if prepared is not None else connection.cursor()
