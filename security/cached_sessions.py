"""`security.sessions` behind a cache (`SESSION_ENGINE = "security.cached_sessions"`, chosen
with REDIS_URL): Django's `cached_db` sessions, read from the cache shared by every worker and
server, written through to `security.models.Session`, deleted from both at sign-out. A request
whose session the cache holds reads its user with one plain statement; on a miss the session
and its user come from one join, as without a cache."""

from django.contrib.sessions.backends import cached_db

from .sessions import UserColumnMixin


class SessionStore(UserColumnMixin, cached_db.SessionStore):
    """Cached database sessions whose rows carry their user's id."""
