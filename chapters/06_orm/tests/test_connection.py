"""Connections: cursors, errors, the query log, one connection per thread, concurrent writers.

Tables here are made with plain SQL (models are tested elsewhere), with the
``sql_table`` fixture of this chapter's conftest.
"""

import collections
import datetime
import pathlib
import sqlite3
import textwrap
import threading

import pytest

from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.db import (
    ConnectionDoesNotExist,
    DatabaseError,
    IntegrityError,
    OperationalError,
    ProgrammingError,
    connection,
    connections,
    reset_queries,
)
from tinyframe.db.utils import ConnectionHandler
from tinyframe.test.utils import override_settings

SQLITE = "tinyframe.db.backends.sqlite3"

# Fast durable-enough settings for the concurrency tests: the write-ahead log
# with synchronous=NORMAL does not wait for the disk at every commit (8 x 250
# commits take 0.06 s instead of 1.5 s), and writers still take turns.
WAL = {"init_command": "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL"}


def file_database(path: pathlib.Path, **options) -> dict:
    return {"default": {"ENGINE": SQLITE, "NAME": str(path), "OPTIONS": {**WAL, **options}}}


def test_cursor_runs_sql_with_format_or_qmark_placeholders(sql_table):
    sql_table("conn_numbers (id integer primary key, n int)")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO conn_numbers (n) VALUES (%s)", [10])
        assert cursor.lastrowid == 1 and cursor.rowcount == 1
        cursor.executemany("INSERT INTO conn_numbers (n) VALUES (?)", [[20], [30]])
        cursor.execute("SELECT n FROM conn_numbers WHERE n > %s ORDER BY n", [15])
        assert cursor.description[0][0] == "n"
        assert cursor.fetchone() == (20,)
        assert cursor.fetchall() == [(30,)]
        cursor.execute("SELECT n, '100%%' FROM conn_numbers WHERE n = %s", [10])
        assert cursor.fetchall() == [(10, "100%")], "'%%' is a literal '%' once parameters are given"
        cursor.execute("SELECT '100%%'")
        assert cursor.fetchone() == ("100%%",), "without parameters the SQL is sent as written, as Django does"
        assert [row for row in cursor.execute("SELECT n FROM conn_numbers ORDER BY n")] == [(10,), (20,), (30,)]
        cursor.execute("SELECT n FROM conn_numbers ORDER BY n")
        assert cursor.fetchmany(2) == [(10,), (20,)]


def test_unique_violation_raises_tinyframe_integrity_error_caused_by_sqlite3(sql_table):
    sql_table("conn_unique (id integer primary key, n int unique)")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO conn_unique (n) VALUES (%s)", [1])
        with pytest.raises(IntegrityError, match="UNIQUE constraint failed: conn_unique.n") as caught:
            cursor.execute("INSERT INTO conn_unique (n) VALUES (%s)", [1])
    assert isinstance(caught.value, DatabaseError)
    assert isinstance(caught.value.__cause__, sqlite3.IntegrityError), (
        f"__cause__ is {caught.value.__cause__!r}, expected the sqlite3.IntegrityError"
    )


@pytest.mark.parametrize(("sql", "params", "error", "message"), [
    ("SELEC 1", None, OperationalError, 'near "SELEC": syntax error'),
    ("SELECT * FROM no_such_table", None, OperationalError, "no such table: no_such_table"),
    ("SELECT %s", [1, 2], ProgrammingError, "Incorrect number of bindings supplied"),
])
def test_sqlite3_errors_become_tinyframe_errors(sql, params, error, message):
    with pytest.raises(error, match=message) as caught:
        connection.cursor().execute(sql, params)
    assert type(caught.value).__module__ == "tinyframe.db.utils"


def test_foreign_keys_are_enforced_and_regexp_is_defined():
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert cursor.execute("SELECT 'abc' REGEXP %s, 'abc' REGEXP %s", ["^a", "^b"]).fetchone() == (1, 0)


def test_connection_describes_itself():
    assert connection.vendor == "sqlite"
    assert connection.alias == "default"
    assert connection.settings_dict["NAME"] == ":memory:"
    assert connection.ops.quote_name("order") == '"order"'
    assert connection.ops.max_query_params == 999
    assert connection == connections["default"]
    assert repr(connection) == "<DatabaseWrapper vendor='sqlite' alias='default'>"


def test_schema_editor_comes_from_the_sqlite_schema_module():
    editor = connection.schema_editor()
    # >>> 08_migrations
    # Chapter 08's editor (sqlite3/alter_table.py) extends this one to alter tables; check its parent here.
    editor = type(editor).__mro__[1](connection) if type(editor).__module__.endswith(".alter_table") else editor
    # <<< 08_migrations
    assert type(editor).__module__ == "tinyframe.db.backends.sqlite3.schema"
    assert type(editor).__name__ == "DatabaseSchemaEditor"


def test_each_thread_has_its_own_wrapper_on_the_shared_memory_database(sql_table):
    sql_table("conn_shared (n int)")
    connection.cursor().execute("INSERT INTO conn_shared VALUES (7)")
    seen = {}

    def other_thread():
        seen["wrapper"] = connections["default"]
        seen["rows"] = connection.cursor().execute("SELECT n FROM conn_shared").fetchall()
        connections.close_all()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert seen["wrapper"] is not connections["default"], "two threads were given the same DatabaseWrapper"
    assert seen["rows"] == [(7,)], "the other thread does not see the in-memory database's rows"


def test_closed_connection_reopens_and_the_memory_database_survives(sql_table):
    sql_table("conn_survives (n int)")
    connection.cursor().execute("INSERT INTO conn_survives VALUES (1)")
    connection.close()
    assert connection.connection is None
    assert connection.cursor().execute("SELECT n FROM conn_survives").fetchall() == [(1,)]


@pytest.mark.parametrize(("databases", "message"), [
    ({}, "settings.DATABASES is improperly configured: it defines no database."),
    ({"other": {"ENGINE": SQLITE}}, "You must define a 'default' database."),
    ({"default": {"NAME": "x"}}, "the 'default' database has no ENGINE"),
    ({"default": {"ENGINE": "tinyframe.db.backends.sqlite"}},
     "'tinyframe.db.backends.sqlite' isn't an available database backend or couldn't be imported."),
])
def test_bad_databases_setting_is_improperly_configured(databases, message):
    with pytest.raises(ImproperlyConfigured) as caught:
        ConnectionHandler(databases)["default"]
    assert message in str(caught.value), f"got {str(caught.value)!r}, expected it to contain {message!r}"


def test_unknown_engine_lists_the_builtin_backends_and_suggests_one():
    with pytest.raises(ImproperlyConfigured) as caught:
        ConnectionHandler({"default": {"ENGINE": "tinyframe.db.backends.sqlite"}})["default"]
    assert str(caught.value).endswith("where XXX is one of:\n    'sqlite3'")
    assert caught.value.__notes__ == ["Did you mean 'tinyframe.db.backends.sqlite3'?"]


def test_unknown_alias_is_connection_does_not_exist_with_a_suggestion():
    with pytest.raises(ConnectionDoesNotExist) as caught:
        connections["defualt"]
    assert str(caught.value) == "The connection 'defualt' doesn't exist."
    assert caught.value.__notes__ == ["Did you mean 'default'?"]


@pytest.mark.parametrize(("options", "message"), [
    ({"timout": 5}, "Unknown OPTIONS for the 'default' SQLite database: timout."),
    ({"transaction_mode": "LAZY"}, "['OPTIONS']['transaction_mode'] is improperly configured to 'LAZY'."),
])
def test_bad_options_are_improperly_configured(tmp_path, options, message):
    handler = ConnectionHandler({"default": {"ENGINE": SQLITE, "NAME": str(tmp_path / "db"), "OPTIONS": options}})
    with pytest.raises(ImproperlyConfigured) as caught:
        handler["default"].cursor().execute("SELECT 1")
        handler["default"].set_autocommit(False)
        handler["default"].cursor().execute("SELECT 1")
    assert message in str(caught.value)
    handler.close_all()


def test_queries_are_logged_under_debug_with_their_parameters(sql_table):
    sql_table("conn_logged (n int)")
    reset_queries()
    connection.cursor().execute("SELECT %s, %s, %s, %s", ["it's", 1, None, b"ab"])
    assert connection.queries == [], "queries were logged with DEBUG off"
    with override_settings(DEBUG=True):
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s, %s, %s, %s", ["it's", 1, None, b"ab"])
            cursor.executemany("INSERT INTO conn_logged VALUES (?)", [[1], [2]])
    assert [query["sql"] for query in connection.queries] == [
        "SELECT 'it''s', 1, NULL, X'6162'", "2 times: INSERT INTO conn_logged VALUES (?)",
    ]
    assert all(query["time"].count(".") == 1 and len(query["time"].split(".")[1]) == 3
               for query in connection.queries), connection.queries
    assert connection.queries_log.maxlen == 9000
    reset_queries()
    assert connection.queries == []


def test_force_debug_cursor_logs_without_debug():
    reset_queries()
    connection.force_debug_cursor = True
    try:
        connection.cursor().execute("SELECT 1")
    finally:
        connection.force_debug_cursor = False
    assert connection.queries[-1]["sql"] == "SELECT 1"


def test_request_started_resets_queries_and_request_finished_closes_the_connection():
    from tinyframe.core.signals import request_finished, request_started

    with override_settings(DEBUG=True):
        connection.cursor().execute("SELECT 1")
        request_started.send(sender=None)
        assert connection.queries == []
        connection.cursor().execute("SELECT 1")
        request_finished.send(sender=None)
    assert connection.connection is None, "CONN_MAX_AGE is 0: the connection closes when the request ends"


def test_transaction_mode_option_sets_the_begin_statement(tmp_path):
    handler = ConnectionHandler(file_database(tmp_path / "db.sqlite3", transaction_mode="immediate"))
    from tinyframe.db import transaction

    handler["default"].force_debug_cursor = True
    original = transaction.connections
    transaction.connections = handler
    try:
        with transaction.atomic():
            handler["default"].cursor().execute("SELECT 1")
    finally:
        transaction.connections = original
        handler.close_all()
    assert [query["sql"] for query in handler["default"].queries] == ["BEGIN IMMEDIATE", "SELECT 1", "COMMIT"]


def test_eight_threads_inserting_250_rows_each_store_2000(tmp_path):
    handler = ConnectionHandler(file_database(tmp_path / "threads.sqlite3"))
    handler["default"].cursor().execute("CREATE TABLE t (id integer primary key, thread int, n int)")
    errors = []

    def insert_rows(thread_number: int) -> None:
        try:
            cursor = handler["default"].cursor()
            for n in range(250):
                cursor.execute("INSERT INTO t (thread, n) VALUES (%s, %s)", [thread_number, n])
        except Exception as error:  # reported below: an exception in a thread would vanish
            errors.append(error)
        finally:
            handler.close_all()

    threads = [threading.Thread(target=insert_rows, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = handler["default"].cursor().execute("SELECT count(*), count(DISTINCT thread) FROM t").fetchone()
    handler.close_all()
    assert rows == (2000, 8), f"8 threads x 250 inserts stored {rows[0]} rows from {rows[1]} threads"


INCREMENT_SCRIPT = textwrap.dedent("""
    import sys
    from tinyframe.conf import settings
    settings.configure(SECRET_KEY="x")
    from tinyframe.db.utils import ConnectionHandler
    handler = ConnectionHandler({"default": {"ENGINE": "tinyframe.db.backends.sqlite3", "NAME": sys.argv[1],
                                             "OPTIONS": %r}})
    cursor = handler["default"].cursor()
    print("ready", flush=True)
    sys.stdin.readline()  # start together, so the two really compete
    for _ in range(500):
        cursor.execute("UPDATE t SET n = n + 1")
""") % WAL


@pytest.mark.slow  # two Python interpreters start: 0.1 s alone, near 0.5 s on a busy machine
def test_two_processes_incrementing_one_row_500_times_each_leave_1000(tmp_path, race):
    path = tmp_path / "processes.sqlite3"
    handler = ConnectionHandler(file_database(path))
    with handler["default"].cursor() as cursor:
        cursor.execute("CREATE TABLE t (n int)")
        cursor.execute("INSERT INTO t VALUES (0)")
    failures = race(INCREMENT_SCRIPT, str(path))
    assert failures == [], f"a process failed: {failures[0][-500:]}" if failures else ""
    total = handler["default"].cursor().execute("SELECT n FROM t").fetchone()[0]
    handler.close_all()
    assert total == 1000, f"two processes x 500 increments left n = {total}"


AWARE_1305 = datetime.datetime(2024, 2, 29, 13, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))

# (call on connection.ops, USE_TZ, expected): Django 5.2's SQLite operations give the same.
OPERATIONS = [
    (lambda ops: ops.adapt_datefield_value(datetime.date(2024, 2, 29)), True, "2024-02-29"),
    (lambda ops: ops.adapt_datetimefield_value(datetime.datetime(2024, 2, 29, 13, 5, 0, 500)), False,
     "2024-02-29 13:05:00.000500"),
    (lambda ops: ops.adapt_datetimefield_value(AWARE_1305), True, "2024-02-29 11:05:00"),
    (lambda ops: ops.adapt_datetimefield_value(AWARE_1305), False,
     (ValueError, "SQLite backend does not support timezone-aware datetimes when USE_TZ is False.")),
    (lambda ops: ops.adapt_timefield_value(datetime.time(9, 30)), True, "09:30:00"),
    (lambda ops: ops.adapt_timefield_value(datetime.time(9, 30, tzinfo=datetime.timezone.utc)), True,
     (ValueError, "SQLite backend does not support timezone-aware times.")),
    (lambda ops: [ops.adapt_datefield_value(None), ops.adapt_datetimefield_value(None),
                  ops.adapt_timefield_value(None)], True, [None, None, None]),
    (lambda ops: ops.bulk_batch_size(["a"], [1] * 10), True, 500),
    (lambda ops: ops.bulk_batch_size(["a", "b", "c"], [1] * 10), True, 333),
    (lambda ops: ops.bulk_batch_size([], [1] * 10), True, 10),
    (lambda ops: ops.limit_offset_sql(5, 15), True, "LIMIT 10 OFFSET 5"),
    (lambda ops: ops.limit_offset_sql(5, None), True, "LIMIT -1 OFFSET 5"),
    (lambda ops: ops.last_executed_query("SELECT :a", {"a": 1}), True, "SELECT :a -- parameters {'a': 1}"),
    (lambda ops: ops.last_executed_query("SELECT %s", [1, 2]), True, "SELECT %s -- parameters [1, 2]"),
    (lambda ops: ops.last_executed_query("SELECT '%%'", []), True, "SELECT '%'"),
]


def test_operations_write_values_and_clauses_as_django_does(check_rows):
    def check(call, use_tz, expected):
        with override_settings(USE_TZ=use_tz):
            if isinstance(expected, tuple):
                with pytest.raises(expected[0]) as caught:
                    call(connection.ops)
                assert str(caught.value) == expected[1]
            else:
                result = call(connection.ops)
                assert result == expected, f"with USE_TZ={use_tz} got {result!r}, expected {expected!r}"

    check_rows(OPERATIONS, check)


def test_last_insert_id_is_the_cursors_lastrowid(sql_table):
    sql_table("conn_ids (id integer primary key, n int)")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO conn_ids (id, n) VALUES (41, 0)")
        cursor.execute("INSERT INTO conn_ids (n) VALUES (%s)", [1])
        assert connection.ops.last_insert_id(cursor, "conn_ids", "id") == 42


def test_connection_state_helpers(tmp_path):
    handler = ConnectionHandler({"default": {"ENGINE": SQLITE, "NAME": str(tmp_path / "db"), "CONN_MAX_AGE": None}})
    wrapper = handler["default"]
    assert not wrapper.is_usable(), "a connection not opened yet is not usable"
    wrapper.cursor().execute("SELECT 1")
    assert wrapper.is_usable()
    wrapper.close_if_obsolete()
    assert wrapper.connection is not None, "CONN_MAX_AGE None keeps the connection open"
    assert wrapper.disable_constraint_checking()
    assert wrapper.cursor().execute("PRAGMA foreign_keys").fetchone() == (0,)
    wrapper.enable_constraint_checking()
    assert wrapper.cursor().execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert [wrapper] == handler.all() and list(handler) == ["default"]
    handler.close_all()
    assert wrapper.connection is None
    cursor = wrapper.cursor()
    cursor.close()
    cursor.close()  # twice is harmless


def test_connections_can_be_replaced_per_thread():
    original = connections["default"]
    stand_in = object()
    connections["default"] = stand_in
    try:
        assert connections["default"] is stand_in
    finally:
        connections["default"] = original
    del connections["default"]
    assert connections["default"] is not original, "after del, a fresh wrapper is made"
    original.close()


def test_query_log_keeps_the_newest_and_warns_when_full(tmp_path):
    handler = ConnectionHandler({"default": {"ENGINE": SQLITE, "NAME": str(tmp_path / "db")}})
    wrapper = handler["default"]
    wrapper.queries_log = collections.deque(maxlen=2)
    wrapper.force_debug_cursor = True
    for number in range(3):
        wrapper.cursor().execute("SELECT %s", [number])
    with pytest.warns(UserWarning, match="^Limit for query logging exceeded, only the last 2 queries will be returned.$"):
        assert [query["sql"] for query in wrapper.queries] == ["SELECT 1", "SELECT 2"]
    handler.close_all()


def test_a_wrapper_handed_to_another_thread_refuses_to_work():
    wrapper = connections["default"]
    wrapper.cursor().execute("SELECT 1")  # opened in this thread
    errors = []
    thread = threading.Thread(target=lambda: errors.append(pytest.raises(ProgrammingError, wrapper.cursor)))
    thread.start()
    thread.join()
    assert len(errors) == 1 and "same thread" in str(errors[0].value), errors


def test_request_housekeeping_works_in_a_project_without_databases(monkeypatch):
    import tinyframe.db

    monkeypatch.setattr(tinyframe.db, "connections", ConnectionHandler({}))
    tinyframe.db.reset_queries()
    tinyframe.db.close_old_connections()
    assert tinyframe.db.connections.all(initialized_only=True) == []
