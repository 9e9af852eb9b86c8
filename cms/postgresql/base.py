"""Django's PostgreSQL backend, whose per-request health check asks the socket first.

With `CONN_HEALTH_CHECKS` (cms/settings/base.py), Django runs `SELECT 1` on a persistent
connection before the first query of every request, so that a connection the database closed
(a restart, a failover, an administrator's `pg_terminate_backend`) is replaced before the
request uses it instead of failing it. That round trip was paid by every page.

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

from django.db.backends.postgresql import base

_NOTHING_TO_READ = 0


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


class DatabaseWrapper(base.DatabaseWrapper):
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
