"""PostgreSQL's per-request health check asks the socket before sending `SELECT 1`
(cms/postgresql/base.py): a healthy connection costs no round trip, and a connection the
database ended is still noticed and replaced before the request's first query."""

import select

import pytest
from django.conf import settings
from django.db import connections

connection = connections["default"]  # the wrapper itself, not django.db's proxy to it
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL backend's health check"
)


def test_the_settings_choose_the_backend_whose_health_check_asks_the_socket():
    assert settings.DATABASES["default"]["ENGINE"] == "cms.postgresql"
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert type(connection).__module__ == "cms.postgresql.base"


def start_of_request() -> None:
    """What Django's request_started signal does to the connection before a request."""
    connection.health_check_enabled = True
    connection.health_check_done = False


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_healthy_connection_is_not_asked_select_1(monkeypatch):
    backend_pid()  # connected
    asked = []
    monkeypatch.setattr(type(connection), "is_usable", lambda self: asked.append(1) or True)
    start_of_request()
    connection.close_if_health_check_failed()
    assert asked == [] and connection.health_check_done
    assert connection.connection is not None


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_database_ended_is_replaced_before_the_request_uses_it():
    pid = backend_pid()
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    # Wait (without a deadline that matters) for the server's goodbye to reach the socket.
    poller = select.poll()
    poller.register(connection.connection.fileno(), select.POLLIN)
    poller.poll(5000)
    start_of_request()
    connection.close_if_health_check_failed()
    assert connection.connection is None  # noticed, closed: the next query reconnects
    assert backend_pid() != pid
