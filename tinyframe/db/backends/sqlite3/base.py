"""The SQLite backend: one ``DatabaseWrapper`` per alias and thread, around one ``sqlite3`` connection.

How it works: ``connections[alias]`` builds a ``DatabaseWrapper`` from the
alias's settings. The wrapper opens its ``sqlite3`` connection lazily, on the
first ``cursor()``, in autocommit mode (``isolation_level=None``: the driver
never starts a transaction behind our back), with foreign keys enforced and
a busy timeout so that a writer waits for another instead of failing with
"database is locked". ``cursor()`` hands out a ``CursorWrapper``
(``tinyframe.db.backends.utils``), which turns Django's ``%s`` placeholders
into SQLite's ``?``, refuses to run in a transaction already doomed to roll
back, and re-raises sqlite3's errors as ``tinyframe.db``'s; with
``settings.DEBUG`` on it is a ``CursorDebugWrapper``, which also times each
statement into ``connection.queries``.

Transactions: the wrapper keeps the state ``tinyframe.db.transaction.atomic``
works on (``in_atomic_block``, ``savepoint_ids``, ``needs_rollback``, the
``on_commit`` callbacks). Leaving autocommit sends nothing; the cursor sends
``BEGIN`` just before the first statement that needs a transaction, so an
atomic block that runs no query costs no round trip.

A NAME of ``":memory:"`` (or ``""``) means one in-memory database shared by
every thread of the process: each thread opens ``memory_database_uri(alias)``
and the process keeps one more connection to it open, because SQLite drops
an in-memory database when its last connection closes.
"""

import datetime
import functools
import logging
import re
import sqlite3
import threading
import time
import warnings
import zoneinfo
from collections import deque

from tinyframe.conf import settings
from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.db.backends.sqlite3.operations import DatabaseOperations
from tinyframe.db.backends.utils import CursorDebugWrapper, CursorWrapper
from tinyframe.db.utils import DatabaseErrorWrapper

__all__ = ["DatabaseFeatures", "DatabaseIntrospection", "DatabaseWrapper"]

# The in-memory databases' keep-alive connections, by URI; see the module docstring.
_memory_keepers: dict[str, sqlite3.Connection] = {}
_memory_keepers_lock = threading.Lock()


def memory_database_uri(alias: str) -> str:
    """The URI of the process's in-memory database for ``alias``, which every thread opens.

    Why the "memdb" VFS: an in-memory database opened with ``cache=shared``
    locks table by table and fails at once with "database table is locked"
    when two connections write, whatever the busy timeout; a memdb database
    whose name starts with "/" is shared by the process's connections and
    locks like a file, so a writer waits its turn. memdb came in SQLite 3.36.
    Its one catch: a reader also waits while another connection has a write
    transaction open, so a thread must not hold a transaction open while it
    waits for another thread that reads.

    >>> memory_database_uri("default") in ("file:/memorydb_default?vfs=memdb",
    ...                                    "file:memorydb_default?mode=memory&cache=shared")
    True
    """
    if sqlite3.sqlite_version_info >= (3, 36):
        return f"file:/memorydb_{alias}?vfs=memdb"
    return f"file:memorydb_{alias}?mode=memory&cache=shared"


def regexp(pattern: str | None, value) -> bool | None:
    """SQLite's ``REGEXP`` operator (``value REGEXP pattern``), which SQLite leaves to its host.

    >>> regexp("^ab", "abc"), regexp("^ab", "cab"), regexp("^ab", None)
    (True, False, None)
    """
    if pattern is None or value is None:
        return None
    return re.search(pattern, str(value)) is not None


# How each temporal kind is read from its stored text and written back, the
# writing done by the same ``ops.adapt_*_value`` methods that store a field's
# values (on naive values: aware datetimes are already stored in UTC).
_STORAGE_OPS = DatabaseOperations(None)
TEMPORAL_STORAGE = {
    "date": (datetime.datetime.fromisoformat, lambda moment: _STORAGE_OPS.adapt_datefield_value(moment.date())),
    "datetime": (datetime.datetime.fromisoformat, _STORAGE_OPS.adapt_datetimefield_value),
    "time": (
        lambda text: datetime.datetime.combine(datetime.date(2000, 1, 1), datetime.time.fromisoformat(text)),
        lambda moment: _STORAGE_OPS.adapt_timefield_value(moment.time()),
    ),
}


def read_temporal(kind: str, value) -> datetime.datetime:
    """A stored date, datetime or time text as a naive datetime (a time on an arbitrary day), for the functions below.

    Why refuse anything but text: a number where a date should be is a
    corrupted value, and computing with it would only hide the corruption.
    """
    if kind not in TEMPORAL_STORAGE:
        raise ValueError(f"Unknown temporal kind {kind!r}: expected 'date', 'datetime' or 'time'.")
    if not isinstance(value, str):
        raise TypeError(f"A stored {kind} is text; got {value!r} ({type(value).__name__}).")
    return TEMPORAL_STORAGE[kind][0](value)


@functools.cache
def zone_from_name(name: str) -> datetime.tzinfo:
    """The time zone ``zone_name`` named."""
    if name.lstrip("+-").isdigit():
        return datetime.timezone(datetime.timedelta(seconds=int(name)))
    return zoneinfo.ZoneInfo(name)


def local_datetime_part(part: str, value: str | None, zone: str):
    """SQLite function ``tinyframe_local_part(part, column, zone)``: a part of a stored UTC datetime, seen in ``zone``.

    >>> local_datetime_part("day", "2024-02-29 23:30:00", "Europe/Paris"), local_datetime_part("date", "2024-02-29 23:30:00", "Europe/Paris")
    (1, '2024-03-01')
    """
    if value is None:
        return None
    moment = datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.timezone.utc).astimezone(zone_from_name(zone))
    if part == "date":
        return moment.date().isoformat()
    if part == "time":
        return moment.time().isoformat()
    if part == "week_day":
        return moment.isoweekday() % 7 + 1
    return getattr(moment, part)


def temporal_add(kind: str, value, microseconds) -> str | None:
    """SQL's ``tinyframe_temporal_add(kind, value, microseconds)``: a stored date/datetime/time moved by a duration.

    Why a Python function: SQLite stores these values as text and durations
    as integers of microseconds, so ``"day" + ?`` would add numbers to text
    and write an integer into a date column. This reads the text, adds the
    duration as Python does (a time wraps around midnight; a date moves by
    whole days) and returns text in the very format the column stores, so
    the result sorts, compares and reads back like any stored value.

    >>> temporal_add("date", "2024-01-31", 86_400_000_000), temporal_add("time", "23:30:00", 3_600_000_000)
    ('2024-02-01', '00:30:00')
    >>> temporal_add("datetime", "2024-01-31 23:00:00", -500), temporal_add("date", None, 1)
    ('2024-01-31 22:59:59.999500', None)
    """
    if value is None or microseconds is None:
        return None
    moment = read_temporal(kind, value) + datetime.timedelta(microseconds=microseconds)
    return TEMPORAL_STORAGE[kind][1](moment)


def temporal_subtract(kind: str, lhs, rhs) -> int | None:
    """SQL's ``tinyframe_temporal_subtract(kind, lhs, rhs)``: the duration between two stored values, in microseconds.

    Why: subtracting two date texts in SQL gives 0 or nonsense; the
    difference of two dates, datetimes or times is a duration, which
    ``DurationField`` stores (and reads back) as whole microseconds.

    >>> temporal_subtract("date", "2024-03-01", "2024-02-28"), temporal_subtract("time", "09:00:00", "10:30:00")
    (172800000000, -5400000000)
    """
    if lhs is None or rhs is None:
        return None
    difference = read_temporal(kind, lhs) - read_temporal(kind, rhs)
    return (difference.days * 86_400 + difference.seconds) * 1_000_000 + difference.microseconds


class DatabaseFeatures:
    """What SQLite can do, for the code that builds SQL to ask instead of assuming."""

    def __init__(self, connection):
        self.connection = connection

    supports_transactions = True
    uses_savepoints = True
    can_rollback_ddl = True
    supports_foreign_keys = True
    has_bulk_insert = True
    max_query_params = 999
    # RETURNING arrived in SQLite 3.35 (2021).
    can_return_columns_from_insert = sqlite3.sqlite_version_info >= (3, 35)
    can_return_rows_from_bulk_insert = can_return_columns_from_insert


class DatabaseIntrospection:
    """What the database holds now, read from SQLite's own catalogue, ``sqlite_master``."""

    def __init__(self, connection):
        self.connection = connection

    def table_names(self) -> set[str]:
        """The names of the tables and views in the database, lower-cased.

        Lower-cased because SQLite's names are case-insensitive: a table
        ``Blog_Post`` is there for ``CREATE TABLE "blog_post"`` to collide with.
        (Django's ``table_names()`` is a sorted list in the database's own case;
        tinyframe's callers only ask whether a table is there.)
        """
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
            return {name.lower() for (name,) in cursor.fetchall()}


class DatabaseWrapper:
    """One thread's connection to one SQLite database, with its transaction state.

    Why wrap the ``sqlite3.Connection``: the rest of tinyframe needs more than
    the driver gives: a connection opened only when first used and set up the
    same way every time, SQL helpers (``ops``), what the database can do
    (``features``) and what it holds (``introspection``), a log of queries,
    and the bookkeeping of nested atomic blocks and on-commit callbacks.
    """

    vendor = "sqlite"
    display_name = "SQLite"
    Database = sqlite3
    # How many statements connection.queries keeps, the newest (a long-running
    # process with DEBUG on would otherwise fill its memory with them).
    queries_limit = 9000

    # The column type of each field type (``Field.get_internal_type()``), as Django's SQLite backend.
    data_types = {
        "AutoField": "integer", "BigAutoField": "integer", "SmallAutoField": "integer",
        "BinaryField": "BLOB", "BooleanField": "bool", "CharField": "varchar(%(max_length)s)",
        "DateField": "date", "DateTimeField": "datetime", "DecimalField": "decimal",
        "DurationField": "bigint", "FileField": "varchar(%(max_length)s)",
        "FilePathField": "varchar(%(max_length)s)", "FloatField": "real",
        "IntegerField": "integer", "BigIntegerField": "bigint", "IPAddressField": "char(15)",
        "GenericIPAddressField": "char(39)", "JSONField": "text",
        "PositiveBigIntegerField": "bigint unsigned", "PositiveIntegerField": "integer unsigned",
        "PositiveSmallIntegerField": "smallint unsigned", "SlugField": "varchar(%(max_length)s)",
        "SmallIntegerField": "smallint", "TextField": "text", "TimeField": "time",
        "UUIDField": "char(32)", "EmailField": "varchar(%(max_length)s)",
        "URLField": "varchar(%(max_length)s)",
    }
    data_types_suffix = {
        "AutoField": "AUTOINCREMENT", "BigAutoField": "AUTOINCREMENT", "SmallAutoField": "AUTOINCREMENT",
    }
    data_type_check_constraints = {
        "PositiveBigIntegerField": '"%(column)s" >= 0',
        "PositiveIntegerField": '"%(column)s" >= 0',
        "PositiveSmallIntegerField": '"%(column)s" >= 0',
        "JSONField": '(JSON_VALID("%(column)s") OR "%(column)s" IS NULL)',
    }

    def __init__(self, settings_dict: dict, alias: str = "default"):
        self.settings_dict = settings_dict
        self.alias = alias
        self.connection: sqlite3.Connection | None = None
        self.close_at: float | None = None
        self.ops = DatabaseOperations(self)
        self.features = DatabaseFeatures(self)
        self.introspection = DatabaseIntrospection(self)
        # >>> 08_migrations
        from tinyframe.db.backends.sqlite3.introspection import DatabaseIntrospection as ChapterEightIntrospection

        self.introspection = ChapterEightIntrospection(self)
        # <<< 08_migrations
        # >>> 08_migrations
        # Test databases: create_test_db() migrates a fresh one for the test runner.
        from tinyframe.db.backends.sqlite3.creation import DatabaseCreation

        self.creation = DatabaseCreation(self)
        # <<< 08_migrations
        self.wrap_database_errors = DatabaseErrorWrapper(sqlite3)
        self.queries_log = deque(maxlen=self.queries_limit)
        self.force_debug_cursor = False
        # Transaction state, read and changed by tinyframe.db.transaction.
        self.autocommit = settings_dict.get("AUTOCOMMIT", True)
        self.in_atomic_block = False
        self.savepoint_ids: list[str | None] = []
        self.atomic_blocks: list = []
        self.commit_on_exit = True
        self.needs_rollback = False
        self.run_on_commit: list[tuple[set, object, bool]] = []
        self.savepoint_state = 0
        self.thread_ident = threading.get_ident()

    def __repr__(self):
        return f"<DatabaseWrapper vendor={self.vendor!r} alias={self.alias!r}>"

    # Opening and closing -------------------------------------------------

    def is_in_memory_db(self) -> bool:
        """Whether NAME asks for the process's shared in-memory database."""
        return self.settings_dict.get("NAME") in ("", ":memory:", None)

    def get_connection_params(self) -> dict:
        """The arguments of ``sqlite3.connect`` that the settings ask for."""
        options = dict(self.settings_dict.get("OPTIONS") or {})
        unknown = set(options) - {"timeout", "transaction_mode", "init_command"}
        if unknown:
            raise ImproperlyConfigured(
                f"Unknown OPTIONS for the {self.alias!r} SQLite database: {', '.join(sorted(unknown))}. "
                f"Valid options are: init_command, timeout, transaction_mode."
            )
        if self.is_in_memory_db():
            database, uri = memory_database_uri(self.alias), True
        else:
            database, uri = str(self.settings_dict["NAME"]), False
        return {"database": database, "uri": uri, "timeout": options.get("timeout", 20)}

    def get_new_connection(self) -> sqlite3.Connection:
        """Open a sqlite3 connection, keeping the shared in-memory database alive if that is the one."""
        params = self.get_connection_params()
        with self.wrap_database_errors:
            # check_same_thread stays on: a wrapper belongs to one thread, and
            # sqlite3 then refuses, loudly, a connection handed to another.
            connection = sqlite3.connect(isolation_level=None, **params)
        if params["uri"]:
            with _memory_keepers_lock:
                if params["database"] not in _memory_keepers:
                    # Never used, only held open; any thread may be the last to look at it.
                    _memory_keepers[params["database"]] = sqlite3.connect(
                        params["database"], uri=True, check_same_thread=False
                    )
        return connection

    def init_connection_state(self) -> None:
        """Set up a fresh connection: foreign keys enforced, REGEXP, date arithmetic and local-time parts defined, init_command run."""
        self.connection.execute("PRAGMA foreign_keys = ON")
        self.connection.create_function("REGEXP", 2, regexp, deterministic=True)
        self.connection.create_function("tinyframe_temporal_add", 3, temporal_add, deterministic=True)
        self.connection.create_function("tinyframe_temporal_subtract", 3, temporal_subtract, deterministic=True)
        self.connection.create_function("tinyframe_local_part", 3, local_datetime_part, deterministic=True)
        init_command = (self.settings_dict.get("OPTIONS") or {}).get("init_command")
        if init_command:
            with self.wrap_database_errors:
                self.connection.executescript(init_command)

    def ensure_connection(self) -> None:
        """Open the connection if it is not open yet; every statement goes through here first."""
        if self.connection is None:
            self.connection = self.get_new_connection()
            self.init_connection_state()
            max_age = self.settings_dict.get("CONN_MAX_AGE", 0)
            self.close_at = None if max_age is None else time.monotonic() + max_age

    def close(self) -> None:
        """Close the connection; an open transaction is rolled back by SQLite. The next use reopens it."""
        if self.connection is not None:
            connection, self.connection = self.connection, None
            connection.close()
        if self.in_atomic_block:
            self.needs_rollback = True  # the atomic block that is still open cannot commit now

    def close_if_obsolete(self) -> None:
        """Close the connection once it has lived ``CONN_MAX_AGE`` seconds, unless a transaction is open."""
        if self.connection is None or self.in_atomic_block or not self.autocommit:
            return
        if self.close_at is not None and time.monotonic() >= self.close_at:
            self.close()

    def is_usable(self) -> bool:
        """Whether the open connection still answers."""
        try:
            self.connection.execute("SELECT 1")
        except (sqlite3.Error, AttributeError):
            return False
        return True

    # Cursors and the query log -------------------------------------------

    @property
    def queries_logged(self) -> bool:
        """Whether cursors record their statements: under DEBUG, or when forced."""
        return self.force_debug_cursor or settings.DEBUG

    def cursor(self) -> CursorWrapper:
        """A cursor on this connection (opened now if needed), recording queries when DEBUG is on."""
        self.ensure_connection()
        wrapper_class = CursorDebugWrapper if self.queries_logged else CursorWrapper
        try:
            return wrapper_class(self.connection.cursor(), self)
        except sqlite3.Error as error:  # as CursorWrapper.execute does (no with block per statement)
            raise self.wrap_database_errors.translated(error) from error

    def chunked_cursor(self) -> CursorWrapper:
        """A cursor for reading many rows in chunks (SQLite's cursors already stream)."""
        return self.cursor()

    @property
    def queries(self) -> list[dict]:
        """The statements run while DEBUG was on, oldest first, each ``{"sql": ..., "time": "0.001"}``."""
        if len(self.queries_log) == self.queries_log.maxlen:
            warnings.warn(
                f"Limit for query logging exceeded, only the last {self.queries_log.maxlen} queries will be returned.",
                stacklevel=2,
            )
        return list(self.queries_log)

    def record_query(self, sql: str, duration: float) -> None:
        """Add one statement to the query log (the oldest falls out past the limit)."""
        self.queries_log.append({"sql": sql, "time": f"{duration:.3f}"})

    def prepare_for_statement(self) -> None:
        """Check the transaction may run a statement, and begin it if autocommit is off."""
        if self.needs_rollback:
            from tinyframe.db.transaction import TransactionManagementError

            raise TransactionManagementError(
                "An error occurred in the current transaction. You can't execute queries "
                "until the end of the 'atomic' block."
            )
        if not self.autocommit and not self.connection.in_transaction:
            begin = self.ops.begin_transaction_sql()
            with self.wrap_database_errors:
                self.connection.execute(begin)
            if self.queries_logged:
                self.record_query(begin, 0.0)

    # Transactions -----------------------------------------------------------

    def get_autocommit(self) -> bool:
        """Whether each statement commits on its own (no transaction open, no atomic block)."""
        return self.autocommit

    def set_autocommit(self, autocommit: bool) -> None:
        """Turn autocommit on or off; turning it on commits the open transaction, as sqlite3 does."""
        self.validate_no_atomic_block()
        if autocommit and not self.autocommit:
            self.commit_transaction()
            self.autocommit = True
            self.run_and_clear_commit_hooks()
        else:
            self.autocommit = autocommit

    def validate_no_atomic_block(self) -> None:
        """Refuse manual transaction control (commit, rollback...) inside an atomic block."""
        if self.in_atomic_block:
            from tinyframe.db.transaction import TransactionManagementError

            raise TransactionManagementError("This is forbidden when an 'atomic' block is active.")

    def commit_transaction(self) -> None:
        """Send COMMIT if a transaction is open (the on-commit callbacks are the caller's business)."""
        if self.connection is not None and self.connection.in_transaction:
            self.run_statement("COMMIT")

    def rollback_transaction(self) -> None:
        """Send ROLLBACK if a transaction is open, and forget the callbacks waiting for a commit."""
        self.run_on_commit = []
        if self.connection is not None and self.connection.in_transaction:
            self.run_statement("ROLLBACK")

    def commit(self) -> None:
        """Commit the transaction opened with ``set_autocommit(False)``; then run on-commit callbacks."""
        self.validate_no_atomic_block()
        self.commit_transaction()
        self.run_and_clear_commit_hooks()

    def rollback(self) -> None:
        """Roll back the transaction opened with ``set_autocommit(False)``."""
        self.validate_no_atomic_block()
        self.rollback_transaction()
        self.needs_rollback = False

    def run_statement(self, sql: str) -> None:
        """Run one transaction-control statement (bypassing the broken-transaction check it may end)."""
        self.ensure_connection()
        start = time.monotonic()
        with self.wrap_database_errors:
            self.connection.execute(sql)
        if self.queries_logged:
            self.record_query(sql, time.monotonic() - start)

    def savepoint(self) -> str:
        """Open a savepoint in the current transaction and return its name."""
        self.savepoint_state += 1
        sid = f"s{self.thread_ident}_x{self.savepoint_state}"
        with self.cursor() as cursor:
            cursor.execute(self.ops.savepoint_create_sql(sid))
        return sid

    def savepoint_rollback(self, sid: str) -> None:
        """Undo everything since savepoint ``sid``, and drop the on-commit callbacks registered since."""
        self.run_statement(self.ops.savepoint_rollback_sql(sid))
        self.run_on_commit = [entry for entry in self.run_on_commit if sid not in entry[0]]

    def savepoint_commit(self, sid: str) -> None:
        """Release savepoint ``sid``: its changes become part of the enclosing transaction."""
        self.run_statement(self.ops.savepoint_commit_sql(sid))

    def on_commit(self, func, robust: bool = False) -> None:
        """Run ``func`` after the current transaction commits, or now if none is open."""
        if not callable(func):
            raise TypeError("on_commit()'s callback must be a callable.")
        if self.in_atomic_block:
            self.run_on_commit.append((set(self.savepoint_ids), func, robust))
        elif not self.get_autocommit():
            from tinyframe.db.transaction import TransactionManagementError

            raise TransactionManagementError("on_commit() cannot be used in manual transaction management")
        else:
            run_commit_hook(func, robust)

    def run_and_clear_commit_hooks(self) -> None:
        """Run the on-commit callbacks in the order they were registered, forgetting them first."""
        callbacks, self.run_on_commit = self.run_on_commit, []
        for _sids, func, robust in callbacks:
            run_commit_hook(func, robust)

    # Schema -------------------------------------------------------------------

    def schema_editor(self, *args, **kwargs):
        """A ``DatabaseSchemaEditor`` for this connection: ``with connection.schema_editor() as editor: ...``."""
        from tinyframe.db.backends.sqlite3.schema import DatabaseSchemaEditor

        # >>> 08_migrations
        # Chapter 08's editor also alters tables: add, remove and alter fields, with SQLite's rebuild.
        from tinyframe.db.backends.sqlite3.alter_table import DatabaseSchemaEditor

        # <<< 08_migrations
        return DatabaseSchemaEditor(self, *args, **kwargs)

    def disable_constraint_checking(self) -> bool:
        """Stop enforcing foreign keys (while tables are rebuilt); only possible outside a transaction."""
        self.ensure_connection()
        if self.connection.in_transaction:
            return False
        self.connection.execute("PRAGMA foreign_keys = OFF")
        return True

    def enable_constraint_checking(self) -> None:
        """Enforce foreign keys again."""
        self.ensure_connection()
        self.connection.execute("PRAGMA foreign_keys = ON")


def run_commit_hook(func, robust: bool) -> None:
    """Call one on-commit callback; a robust one's exception is logged instead of raised."""
    if not robust:
        func()
        return
    try:
        func()
    except Exception as error:
        name = getattr(func, "__qualname__", func)
        logging.getLogger("tinyframe.db.backends").error(
            "Error calling %s in on_commit() (%s).", name, error, exc_info=True
        )

