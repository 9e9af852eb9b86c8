"""A cursor for the statements every page runs: prepared on PostgreSQL.

Each learner page runs two or three statements of fixed text (the session with its user, the
page's learner state). With Django's default client-side binding, PostgreSQL parses and
plans each one on every request; for joins of five or six tables that was more of the
server's time than running them, on the same cores as the workers. `repeated_cursor` gives
a cursor whose statements are parsed and planned once per connection (cms/postgresql/base.py,
`prepared_cursor`); elsewhere (SQLite, which keeps its own statement cache, or with
`TADRIB_PREPARED_STATEMENTS` off) it is Django's plain cursor.

Only for statements whose text does not vary per request but by their parameters (a varying
`IN (…)` list makes one prepared statement per length, within psycopg's 100 per connection).
The rest of the ORM keeps client-side binding, as Django ships it.
"""


def repeated_cursor(connection):
    """A cursor for a statement run on every request (prepared where the database can)."""
    prepared = getattr(connection, "prepared_cursor", None)
    return prepared() if prepared is not None else connection.cursor()
