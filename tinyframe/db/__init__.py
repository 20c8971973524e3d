"""``tinyframe.db``: the connections to the project's databases, and their errors.

How it works: ``connections`` (a ``ConnectionHandler``) gives each thread its
own ``DatabaseWrapper`` per alias of ``settings.DATABASES``; ``connection`` is
a stand-in for ``connections["default"]`` that looks the calling thread's
wrapper up on every use, so it can be imported once, at the top of a module,
and still be right in any thread. ``reset_queries()`` empties the query log
of this thread's connections, and ``close_old_connections()`` closes the
ones ``CONN_MAX_AGE`` says are done; both run around every request (receivers
of ``request_started`` and ``request_finished``). The exceptions are PEP 249's names, raised for
whichever driver runs underneath.

>>> from tinyframe.db import connection
>>> with connection.cursor() as cursor:
...     cursor.execute("SELECT %s + %s", [1, 2]).fetchone()
(3,)
"""

from tinyframe.core import signals
from tinyframe.db.utils import (
    DEFAULT_DB_ALIAS,
    ConnectionDoesNotExist,
    ConnectionHandler,
    DatabaseError,
    DataError,
    Error,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
)

__all__ = [
    "DEFAULT_DB_ALIAS", "ConnectionDoesNotExist", "DataError", "DatabaseError", "Error",
    "IntegrityError", "InterfaceError", "InternalError", "NotSupportedError", "OperationalError",
    "ProgrammingError", "connection", "connections", "close_old_connections",
    "reset_queries",
]

connections = ConnectionHandler()


class ConnectionProxy:
    """``connection``: the calling thread's default connection, looked up at each use.

    Why a proxy: ``from tinyframe.db import connection`` happens once, at
    import, but each thread needs its own wrapper; forwarding every attribute
    to ``connections[alias]`` at the moment it is used gives both.
    """

    def __init__(self, connections: ConnectionHandler, alias: str):
        self.__dict__["_connections"] = connections
        self.__dict__["_alias"] = alias

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            # Tools probe objects for special names (doctest and inspect ask
            # for __wrapped__); answering must not open a connection.
            raise AttributeError(name)
        return getattr(self._connections[self._alias], name)

    def __setattr__(self, name, value):
        setattr(self._connections[self._alias], name, value)

    def __delattr__(self, name):
        delattr(self._connections[self._alias], name)

    def __eq__(self, other):
        return self._connections[self._alias] == other

    def __hash__(self):
        return hash(self._connections[self._alias])

    def __repr__(self):
        return repr(self._connections[self._alias])


connection = ConnectionProxy(connections, DEFAULT_DB_ALIAS)


def reset_queries(**kwargs) -> None:
    """Empty ``connection.queries`` for every connection this thread has opened.

    Django runs it when each request starts (a ``request_started`` receiver),
    so under DEBUG the log shows the current request's queries only.
    """
    for wrapper in connections.all(initialized_only=True):
        wrapper.queries_log.clear()


def close_old_connections(**kwargs) -> None:
    """Close this thread's connections that are past ``CONN_MAX_AGE`` (all of them, with the default 0).

    Why around every request: the development server answers each request in
    a new thread, and a connection left open by a finished thread is a file
    handle nobody will use again. A connection inside an atomic block stays
    open (a test's transaction spans its requests).
    """
    for wrapper in connections.all(initialized_only=True):
        wrapper.close_if_obsolete()


signals.request_started.connect(reset_queries, dispatch_uid="tinyframe.db.reset_queries")
signals.request_started.connect(close_old_connections, dispatch_uid="tinyframe.db.close_old_connections_started")
signals.request_finished.connect(close_old_connections, dispatch_uid="tinyframe.db.close_old_connections_finished")
