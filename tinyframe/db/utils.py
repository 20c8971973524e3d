"""Database errors with one set of names, and the handler that gives each thread its connections.

How it works: ``settings.DATABASES`` names each database by an alias
("default", "replica"...) and says which backend serves it (``ENGINE``).
``ConnectionHandler`` reads that setting the first time a connection is asked
for, imports the backend (``load_backend``) and builds that backend's
``DatabaseWrapper`` for the alias. ``connections[alias]`` answers with the
calling thread's own wrapper, made on its first use in that thread: a
database connection keeps per-transaction state, so two threads must never
share one.

Every backend turns its driver's exceptions into the classes below (PEP 249's
names, the same for every database), with ``DatabaseErrorWrapper``: code that
catches ``tinyframe.db.IntegrityError`` works whatever the backend, and the
driver's own exception stays reachable as ``__cause__``.
"""

import threading
from importlib import import_module

from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.utils.suggestions import suggest

__all__ = [
    "DEFAULT_DB_ALIAS", "ConnectionDoesNotExist", "ConnectionHandler", "DataError", "DatabaseError",
    "DatabaseErrorWrapper", "Error", "IntegrityError", "InterfaceError", "InternalError",
    "NotSupportedError", "OperationalError", "ProgrammingError", "load_backend",
]

DEFAULT_DB_ALIAS = "default"

# The backends that ship with tinyframe, by the last part of their dotted path.
BUILTIN_BACKENDS = ("sqlite3",)


class Error(Exception):
    """Any database error (PEP 249's ``Error``): catch this to catch them all."""


class InterfaceError(Error):
    """The database interface, not the database, went wrong (a closed cursor, say)."""


class DatabaseError(Error):
    """An error reported by the database itself; the classes below say which kind."""


class DataError(DatabaseError):
    """A value the database cannot hold (too long, out of range)."""


class OperationalError(DatabaseError):
    """The database could not do what was asked for a reason outside the SQL: locked, missing, full."""


class IntegrityError(DatabaseError):
    """A row broke a constraint: a duplicate in a UNIQUE column, a NULL in a NOT NULL one, a bad foreign key."""


class InternalError(DatabaseError):
    """The database found itself in a state it cannot handle."""


class ProgrammingError(DatabaseError):
    """The SQL is wrong: a syntax error, a table that does not exist, the wrong number of parameters."""


class NotSupportedError(DatabaseError):
    """The database does not offer the feature the SQL asked for."""


class ConnectionDoesNotExist(Exception):
    """``connections[alias]`` for an alias that ``settings.DATABASES`` does not define."""


# Most specific first: the first class a driver's exception is an instance of wins.
WRAPPED_ERRORS = (
    DataError, OperationalError, IntegrityError, InternalError, ProgrammingError,
    NotSupportedError, DatabaseError, InterfaceError, Error,
)


class DatabaseErrorWrapper:
    """A context manager that re-raises a driver's exception as tinyframe's class of the same name.

    Why: callers should not need to know which driver runs underneath, yet a
    learner debugging should still see the driver's own error, so it becomes
    the new exception's ``__cause__``.

    >>> import sqlite3
    >>> try:
    ...     with DatabaseErrorWrapper(sqlite3):
    ...         raise sqlite3.IntegrityError("UNIQUE constraint failed: t.n")
    ... except IntegrityError as error:
    ...     print(type(error).__name__, error, "<-", type(error.__cause__).__module__)
    IntegrityError UNIQUE constraint failed: t.n <- sqlite3
    """

    def __init__(self, driver):
        self.driver = driver

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        if exc_type is None:
            return None
        translated = self.translated(exc_value)
        if translated is not None:
            raise translated from exc_value
        return None  # not a driver error: let it propagate unchanged

    def translated(self, error: BaseException) -> Exception | None:
        """tinyframe's exception for the driver's ``error`` (same class name, same arguments), or None for any other.

        The cursor calls this in an ``except`` clause of its own, which costs
        nothing until an error happens, rather than entering this context
        manager (two method calls) for every statement:

        >>> import sqlite3
        >>> DatabaseErrorWrapper(sqlite3).translated(sqlite3.OperationalError("no such table: t"))
        OperationalError('no such table: t')
        >>> DatabaseErrorWrapper(sqlite3).translated(ValueError("x")) is None
        True
        """
        for tinyframe_class in WRAPPED_ERRORS:
            if isinstance(error, getattr(self.driver, tinyframe_class.__name__)):
                return tinyframe_class(*error.args)
        return None


def load_backend(backend_name: str):
    """Import the backend module named by an ``ENGINE`` setting, or say plainly that it is wrong.

    A backend is a package whose ``base`` module defines ``DatabaseWrapper``.
    """
    try:
        return import_module(f"{backend_name}.base")
    except ImportError as error:
        builtin = ", ".join(repr(name) for name in BUILTIN_BACKENDS)
        problem = ImproperlyConfigured(
            f"{backend_name!r} isn't an available database backend or couldn't be imported. "
            f"Check the above exception. To use one of the built-in backends, use "
            f"'tinyframe.db.backends.XXX', where XXX is one of:\n    {builtin}"
        )
        suggest(problem, backend_name, [f"tinyframe.db.backends.{name}" for name in BUILTIN_BACKENDS])
        raise problem from error


class ConnectionHandler:
    """``connections``: the database connections of the calling thread, by alias.

    Why per thread: a connection carries the state of its open transaction
    (is a block atomic, which savepoints exist), and the development server
    answers each request in its own thread, so every thread gets its own
    ``DatabaseWrapper`` for each alias, made the first time it asks.

    ``databases`` stands in for ``settings.DATABASES`` (tests pass one);
    without it the setting is read the first time a connection is wanted.
    """

    def __init__(self, databases: dict | None = None):
        self._databases = databases
        self._local = threading.local()

    @property
    def databases(self) -> dict:
        """``settings.DATABASES``, checked and completed with defaults, read once."""
        if self._databases is None:
            from tinyframe.conf import settings

            self._databases = settings.DATABASES
        if not getattr(self, "_checked", False):
            self._databases = self.configure_settings(self._databases)
            self._checked = True
        return self._databases

    @staticmethod
    def configure_settings(databases: dict) -> dict:
        """Check the DATABASES setting and fill in each database's optional keys."""
        if not databases:
            raise ImproperlyConfigured(
                "settings.DATABASES is improperly configured: it defines no database. Add a "
                "'default' one, such as {'default': {'ENGINE': 'tinyframe.db.backends.sqlite3', "
                "'NAME': 'db.sqlite3'}}."
            )
        if DEFAULT_DB_ALIAS not in databases:
            error = ImproperlyConfigured(f"You must define a '{DEFAULT_DB_ALIAS}' database.")
            suggest(error, DEFAULT_DB_ALIAS, databases)
            raise error
        completed = {}
        for alias, settings_dict in databases.items():
            if not settings_dict.get("ENGINE"):
                raise ImproperlyConfigured(
                    f"settings.DATABASES is improperly configured: the {alias!r} database has "
                    f"no ENGINE. Supply one, such as 'tinyframe.db.backends.sqlite3'."
                )
            completed[alias] = {
                "NAME": "", "OPTIONS": {}, "ATOMIC_REQUESTS": False, "AUTOCOMMIT": True, "CONN_MAX_AGE": 0,
                "TIME_ZONE": None, "TEST": {}, **settings_dict,
            }
        return completed

    def __getitem__(self, alias: str):
        try:
            return getattr(self._local, alias)
        except AttributeError:
            pass
        if alias not in self.databases:
            error = ConnectionDoesNotExist(f"The connection '{alias}' doesn't exist.")
            suggest(error, alias, self.databases)
            raise error
        settings_dict = self.databases[alias]
        wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
        setattr(self._local, alias, wrapper)
        return wrapper

    def __setitem__(self, alias: str, wrapper) -> None:
        setattr(self._local, alias, wrapper)

    def __delitem__(self, alias: str) -> None:
        delattr(self._local, alias)

    def __iter__(self):
        return iter(self.databases)

    def all(self, initialized_only: bool = False) -> list:
        """This thread's wrappers for every alias; only those already made with ``initialized_only``.

        ``initialized_only`` never reads the settings, so the per-request
        housekeeping (``reset_queries``...) works in a project without databases.
        """
        if initialized_only:
            return list(vars(self._local).values())
        return [self[alias] for alias in self]

    def close_all(self) -> None:
        """Close this thread's open connections (a thread that is done with the database calls it)."""
        for wrapper in self.all(initialized_only=True):
            wrapper.close()
