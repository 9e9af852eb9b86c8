"""Django's PostgreSQL backend, whose per-request health check asks the socket first.

With `CONN_HEALTH_CHECKS` (cms/settings/base.py), Django runs `SELECT 1` on a persistent
connection before the first query of every request, so that a connection the database closed
(a restart, a failover, an administrator's `pg_terminate_backend`) is replaced before the
request uses it instead of failing it. That round trip was paid by every page.

It also gives `prepared_cursor()`, for the statements every page runs (cms/statements.py).

A connection the server has closed, or is closing, has something to read on its socket: the
server's last message ("terminating connection due to administrator command") and the end of
the stream. An idle connection that is healthy has nothing to read (it is between requests, no
query is in flight). So the check first polls the socket without waiting: nothing to read and
no error, the connection is as the last request left it and is kept; anything else (data,
hang-up, error, a closed or broken psycopg connection) and Django's own `SELECT 1` check
decides, as before. A restarted database is still noticed by the worker itself, before the
request's first query (tests/cms/test_postgresql_health.py).
"""

import select

from django.conf import settings
from django.db.backends.postgresql import base
from django.utils.asyncio import async_unsafe

_NOTHING_TO_READ = 0
_ONLY_WHEN_ASKED = 2**31 - 1  # executions before psycopg prepares a statement by itself


def _socket_idle(connection) -> bool:
    """Whether psycopg's connection is open and its socket has nothing to read or report."""
    if connection.closed or getattr(connection, "broken", False):
        return False
    try:
        poller = select.poll()
        poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
        events = poller.poll(0)
    except (OSError, ValueError, base.Database.Error):
        return False
    return not any(mask != _NOTHING_TO_READ for _fd, mask in events)


class DatabaseOperations(base.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        """For a prepared statement psycopg keeps no query text: composed here, as Django does
        for server-side binding (for logs and captured queries only)."""
        if isinstance(cursor, PreparingCursor):
            try:
                return self.compose_sql(sql, params)
            except base.Database.DataError:
                return None
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_connection_params(self):
        params = super().get_connection_params()
        if settings.TADRIB_PREPARED_STATEMENTS and params.get("prepare_threshold") is None:
            # psycopg prepares nothing while the threshold is None, as Django sets it. Django's
            # cursors bind on the client, which never prepares, so with this threshold only
            # `prepared_cursor`'s statements are prepared (they ask for it).
            params["prepare_threshold"] = _ONLY_WHEN_ASKED
        return params

    @async_unsafe
    def prepared_cursor(self):
        """A cursor (Django's wrapper, so logging, `execute_wrapper` and query counts see it)
        whose statements are prepared on the server: for the few statements every page runs
        (cms/statements.py). With `TADRIB_PREPARED_STATEMENTS` off (a pooler in transaction
        mode that cannot keep them), Django's plain cursor."""
        if not settings.TADRIB_PREPARED_STATEMENTS:
            return self.cursor()
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(PreparingCursor(self.connection))

    def close_if_health_check_failed(self):
        if (
            not self.pool
            and self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and _socket_idle(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()


class PreparingCursor(base.ServerBindingCursor):
    """psycopg's cursor with server-side binding, every statement prepared on the server.

    The statement is parsed and planned once per connection, then only its parameters are
    sent (psycopg keeps up to `prepared_max`, 100, per connection, the least used dropped).
    For a page's join of five or six tables the plan cost more than running it.
    """

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(
            query, params, prepare=True if prepare is None else prepare, binary=binary
        )
