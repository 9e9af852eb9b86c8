"""Database sessions that read their user in the same statement (issue 21).

Django's database sessions cost a signed-in request two statements built by the ORM: the
session row, then the user row (`ModelBackend.get_user`). On a page served from a shell that
was a third of the request's time. This engine (`SESSION_ENGINE = "security.sessions"`) keeps
the user's id in a column of the session row (`security.models.Session.user_id`, written from
the session data on every save) and reads the session and that user with one join;
`security.middleware.AuthenticationMiddleware` then takes the user from the session instead of
asking the database again (`get_user`).

Nothing else changes: the session data is the same signed, serialised dictionary, saved when
it changes; `get_user` makes every check `django.contrib.auth.get_user` makes, in the same
order (the backend named in the session must still be configured, an inactive user is refused
by the backend's own `user_can_authenticate`, the session's password hash must match or the
session is flushed, fallback secrets rotate the key); signing out deletes the row, so the
session ends on every worker and server at once. With REDIS_URL, `security.cached_sessions`
keeps the same table behind Redis; the user is then read alone, by the same plain statement.

The same statement also reads two things every signed-in page asks (issue 21, round 4), so
that neither costs a statement of its own: the content generation (`cms.page_cache.generation`
takes it from the store, `content_generation`; it is read at the start of the request, before
any content, as that rule asks) and whether the user is in the Managers group (kept on the user
as `IN_MANAGERS_ATTR`; the header's Reports link, `reports.scope.is_report_reader_cached`,
reads it instead of a cache entry a minute old). Both are read on every request, as fresh as
the session and the user themselves.
"""

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
    load_backend,
)
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends import db
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from cms.rows import converted
from cms.statements import repeated_cursor

_NOT_READ = object()
# On a user read by this module: whether it is in the Managers group, read in the same
# statement (reports.scope.is_report_reader_cached).
IN_MANAGERS_ATTR = "_tadrib_in_managers"


@dataclass(frozen=True)
class _UserColumns:
    """How a user row is read without the ORM building a query: the columns to select (with
    the alias `u`), the model's field names in that order, and the converters the ORM would
    apply to each (SQLite returns datetimes as text)."""

    select: str
    table: str
    pk_column: str
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Callable, ...], object], ...]

    def user(self, connection, values: Sequence):
        values = converted(connection, self.converters, values)
        return get_user_model().from_db(connection.alias, self.names, values)


@functools.cache
def _user_columns(alias: str, vendor: str) -> _UserColumns:
    connection = connections[alias]
    model = get_user_model()
    fields = model._meta.concrete_fields
    quote = connection.ops.quote_name
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(model._meta.db_table)
        functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if functions:
            converters.append((index, tuple(functions), column))
    return _UserColumns(
        select=", ".join(f"u.{quote(field.column)}" for field in fields),
        table=quote(model._meta.db_table),
        pk_column=quote(model._meta.pk.column),
        names=tuple(field.attname for field in fields),
        converters=tuple(converters),
    )


def _columns(connection) -> _UserColumns:
    return _user_columns(connection.alias, connection.vendor)


@functools.cache
def _request_columns(alias: str, vendor: str) -> str:
    """Two subselects the session's statement carries: the content generation (NULL when its
    row is missing, as `cms.page_cache.read_generation` gives None), and whether the user `u`
    is in the group named by the statement's first parameter (false when there is no user)."""
    from django.contrib.auth.models import Group

    from cms.models import ContentGeneration

    connection = connections[alias]
    quote = connection.ops.quote_name
    user_model = get_user_model()
    groups = user_model._meta.get_field("groups")
    generation = (
        f"(SELECT cg.value FROM {quote(ContentGeneration._meta.db_table)} cg WHERE cg.id = 1)"  # noqa: S608
    )
    in_group = (
        f"EXISTS (SELECT 1 FROM {quote(groups.m2m_db_table())} ug"  # noqa: S608
        f" INNER JOIN {quote(Group._meta.db_table)} g"
        f" ON g.{quote(Group._meta.pk.column)} = ug.{quote(groups.m2m_reverse_name())}"
        f" WHERE ug.{quote(groups.m2m_column_name())} = u.{quote(user_model._meta.pk.column)}"
        f" AND g.{quote('name')} = %s)"
    )
    return f"{generation}, {in_group}"


def _managers_group() -> str:
    from cms.roles import GROUP_NAMES, Role

    return GROUP_NAMES[Role.MANAGER]


def _user_with_standing(connection, columns: _UserColumns, values: Sequence, in_managers):
    user = columns.user(connection, values)
    setattr(user, IN_MANAGERS_ATTR, bool(in_managers))
    return user


def _user_id(value):
    """The session data's user id as the user model's primary key, or None."""
    if value is None:
        return None
    try:
        return get_user_model()._meta.pk.to_python(value)
    except ValidationError:
        return None


class UserColumnMixin:
    """A database session store whose rows carry their user's id, and which can give that
    user (`read_user`)."""

    _read_user = _NOT_READ  # (user id, user or None) once the join has read it
    # The content generation read with the session or its user (cms.page_cache.generation).
    content_generation = _NOT_READ

    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        instance.user_id = _user_id(data.get(SESSION_KEY))
        return instance

    def _connection(self):
        return connections[router.db_for_read(self.model)]

    def _get_session_from_db(self):
        """The session row and its user in one statement (a model instance, or None as
        Django's store gives)."""
        connection = self._connection()
        columns = _columns(connection)
        extra = _request_columns(connection.alias, connection.vendor)
        sql = (
            f"SELECT s.session_data, s.expire_date, s.user_id, {extra}, {columns.select}"  # noqa: S608
            f" FROM {connection.ops.quote_name(self.model._meta.db_table)} s"
            f" LEFT JOIN {columns.table} u ON u.{columns.pk_column} = s.user_id"
            f" WHERE s.session_key = %s AND s.expire_date > %s"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with repeated_cursor(connection) as cursor:
            cursor.execute(sql, [_managers_group(), self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        session_data, expire_date, user_id, generation, in_managers, *user_row = row
        self.content_generation = generation
        expire_field = self.model._meta.get_field("expire_date")
        expire_column = expire_field.get_col(self.model._meta.db_table)
        for function in connection.ops.get_db_converters(expire_column):
            expire_date = function(expire_date, expire_column, connection)
        user = None
        if user_id is not None and user_row[0] is not None:
            user = _user_with_standing(connection, columns, user_row, in_managers)
        self._read_user = (user_id, user)
        return self.model(
            session_key=self.session_key,
            session_data=session_data,
            expire_date=expire_date,
            user_id=user_id,
        )

    def read_user(self, user_id):
        """The user `user_id`, or None if there is none: the one the session's statement read
        when it is that user, else read now with one plain statement (which also reads the
        content generation and the user's standing, as the session's statement does)."""
        found = self._read_user
        if found is not _NOT_READ and found[0] == user_id:
            return found[1]
        connection = self._connection()
        columns = _columns(connection)
        extra = _request_columns(connection.alias, connection.vendor)
        sql = (
            f"SELECT {extra}, {columns.select} FROM {columns.table} u"  # noqa: S608
            f" WHERE u.{columns.pk_column} = %s"
        )
        with repeated_cursor(connection) as cursor:
            cursor.execute(sql, [_managers_group(), user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        generation, in_managers, *user_row = row
        if self.content_generation is _NOT_READ:
            self.content_generation = generation
        return _user_with_standing(connection, columns, user_row, in_managers)


class SessionStore(UserColumnMixin, db.SessionStore):
    """Database sessions, read with their user in one statement."""


def _user_of(session, backend, user_id):
    """`backend.get_user(user_id)`, without a second statement when the backend is Django's
    ModelBackend (its `get_user` is a primary-key lookup then `user_can_authenticate`) and the
    session store can give the user."""
    read_user = getattr(session, "read_user", None)
    if read_user is None or type(backend).get_user is not ModelBackend.get_user:
        return backend.get_user(user_id)
    if not isinstance(user_id, int):
        return backend.get_user(user_id)
    user = read_user(user_id)
    return user if user is not None and backend.user_can_authenticate(user) else None


def get_user(request):
    """`django.contrib.auth.get_user`, taking the user from the session store when it can.

    Every check is Django's own, in its order: the session names a configured backend; the
    backend may authenticate the user (an inactive one is refused); the password hash kept
    in the session matches the user's (a password changed elsewhere ends this session, which
    is flushed), or matches under a fallback secret (then the key is rotated).
    """
    session = request.session
    user = None
    try:
        user_id = get_user_model()._meta.pk.to_python(session[SESSION_KEY])
        backend_path = session[BACKEND_SESSION_KEY]
    except KeyError:
        pass
    else:
        if backend_path in settings.AUTHENTICATION_BACKENDS:
            backend = load_backend(backend_path)
            user = _user_of(session, backend, user_id)
            if hasattr(user, "get_session_auth_hash"):
                session_hash = session.get(HASH_SESSION_KEY)
                if not session_hash:
                    verified = False
                else:
                    session_auth_hash = user.get_session_auth_hash()
                    verified = constant_time_compare(session_hash, session_auth_hash)
                if not verified:
                    if session_hash and any(
                        constant_time_compare(session_hash, fallback)
                        for fallback in user.get_session_auth_fallback_hash()
                    ):
                        session.cycle_key()
                        session[HASH_SESSION_KEY] = session_auth_hash
                    else:
                        session.flush()
                        user = None
    return user or AnonymousUser()
