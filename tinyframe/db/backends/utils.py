"""Cursor wrappers: the one door every SQL statement passes through.

How it works: ``connection.cursor()`` wraps the driver's cursor in a
``CursorWrapper``. Its ``execute`` asks the connection to check the
transaction may run a statement (``prepare_for_statement``: none after an
error doomed the atomic block; ``BEGIN`` first when autocommit is off), lets
the backend's ``ops.convert_query`` turn Django's ``%s`` placeholders into
the driver's own, and runs the statement; a driver's exception is caught and
raised again as ``tinyframe.db``'s (``wrap_database_errors.translated``: an
``except`` clause, which costs nothing until an error happens, where a
``with`` block would call two methods on every statement). While ``settings.DEBUG``
is on the connection hands out a ``CursorDebugWrapper`` instead, which also
times each statement and records it, parameters written in, in
``connection.queries``.
"""

import time

__all__ = ["CursorDebugWrapper", "CursorWrapper"]


class CursorWrapper:
    """A driver's cursor that speaks Django's ``%s`` and raises ``tinyframe.db``'s errors.

    Why a wrapper and not the raw cursor: every statement must pass the same
    three checks (a transaction broken by an earlier error runs nothing more;
    the transaction is begun when the connection left autocommit; a driver
    error becomes ours), and one class is the single place to make them.
    """

    def __init__(self, cursor, db):
        self.cursor = cursor
        self.db = db

    def execute(self, sql: str, params=None):
        """Run one statement; ``params`` (a sequence) fill its placeholders, never formatted into the SQL."""
        self.db.prepare_for_statement()
        try:
            if params is None:
                self.cursor.execute(sql)
            else:
                self.cursor.execute(self.db.ops.convert_query(sql), params)
        except self.db.Database.Error as error:
            raise self.db.wrap_database_errors.translated(error) from error
        return self

    def executemany(self, sql: str, param_list):
        """Run one statement once for every sequence of parameters in ``param_list``."""
        self.db.prepare_for_statement()
        try:
            self.cursor.executemany(self.db.ops.convert_query(sql), param_list)
        except self.db.Database.Error as error:
            raise self.db.wrap_database_errors.translated(error) from error
        return self

    def fetchone(self):
        """The next row as a tuple, or None when there is none."""
        try:
            return self.cursor.fetchone()
        except self.db.Database.Error as error:
            raise self.db.wrap_database_errors.translated(error) from error

    def fetchmany(self, size: int | None = None) -> list:
        """Up to ``size`` more rows (the cursor's ``arraysize`` by default)."""
        try:
            return self.cursor.fetchmany(self.cursor.arraysize if size is None else size)
        except self.db.Database.Error as error:
            raise self.db.wrap_database_errors.translated(error) from error

    def fetchall(self) -> list:
        """Every remaining row."""
        try:
            return self.cursor.fetchall()
        except self.db.Database.Error as error:
            raise self.db.wrap_database_errors.translated(error) from error

    @property
    def lastrowid(self):
        """The rowid of the row the last INSERT made (the new primary key of an integer key)."""
        return self.cursor.lastrowid

    @property
    def rowcount(self) -> int:
        """How many rows the last INSERT, UPDATE or DELETE touched."""
        return self.cursor.rowcount

    @property
    def description(self):
        """One 7-tuple per column of the last SELECT, the column's name first."""
        return self.cursor.description

    def close(self) -> None:
        """Release the cursor; closing twice, or after the connection closed, is harmless."""
        try:
            self.cursor.close()
        except self.db.Database.ProgrammingError:
            pass

    def __iter__(self):
        with self.db.wrap_database_errors:
            yield from self.cursor

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()


class CursorDebugWrapper(CursorWrapper):
    """A cursor that also records every statement, with its parameters and time, in ``connection.queries``.

    Why: "how many queries does this page run, and which?" is the first
    question of every ORM performance problem. Used while ``settings.DEBUG``
    is on, or ``connection.force_debug_cursor`` (the test tools set it).
    """

    def execute(self, sql: str, params=None):
        """Run the statement and record it, even when it fails (the failing query is the interesting one)."""
        start = time.monotonic()
        try:
            return super().execute(sql, params)
        finally:
            self.db.record_query(self.db.ops.last_executed_query(sql, params), time.monotonic() - start)

    def executemany(self, sql: str, param_list):
        """Run the statement for each set of parameters; recorded once, as "N times: SQL"."""
        param_list = list(param_list)  # an iterator would be used up by the first reader
        start = time.monotonic()
        try:
            return super().executemany(sql, param_list)
        finally:
            self.db.record_query(f"{len(param_list)} times: {sql}", time.monotonic() - start)
