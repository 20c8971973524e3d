"""The ``Session`` model: where the database backend keeps every visitor's session.

How it works: a visitor's cookie holds only a random key; the row with that
key holds the data (signed, see ``SessionBase.encode``) and its expiry date.
``tinyframe.contrib.sessions.backends.db.SessionStore`` reads and writes these
rows; ``clearsessions`` deletes the expired ones.

Keeping the data on the server means the cookie cannot grow, and a session
can be ended on the server (logout deletes the row). Sessions are carried by
cookies only, never by a key in the URL, which would leak through the
``Referer`` header and bookmarks.
"""

from tinyframe.contrib.sessions.base_session import AbstractBaseSession, BaseSessionManager


class SessionManager(BaseSessionManager):
    """``Session.objects``; migrations keep it, as Django's do."""

    use_in_migrations = True


class Session(AbstractBaseSession):
    """A session stored in the database, in the table ``tinyframe_session``."""

    objects = SessionManager()

    @classmethod
    def get_session_store_class(cls):
        """The database backend's store (imported here: the backend imports this module too)."""
        from tinyframe.contrib.sessions.backends.db import SessionStore

        return SessionStore

    class Meta(AbstractBaseSession.Meta):
        db_table = "tinyframe_session"
