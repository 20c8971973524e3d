"""SQL helpers that depend on the database: how SQLite quotes, limits, begins and logs.

How it works: the code that builds SQL (schema editor, query compilers) never
writes a dialect detail itself; it asks ``connection.ops``, a
``DatabaseOperations`` made for that connection. For SQLite that means
double-quoted names, at most 999 parameters in one statement, ``LIMIT -1``
for "no limit", ``BEGIN`` (or ``BEGIN IMMEDIATE`` when the settings ask) and
``SAVEPOINT`` names. ``last_executed_query`` rebuilds a statement with its
parameters written in, for ``connection.queries`` and error pages only
(``interpolate`` writes them in unquoted, for ``str(query)``): the database
itself always receives the parameters separately.
"""

import datetime
import re

__all__ = ["DatabaseOperations", "convert_placeholders", "interpolate", "quote_value"]

# "%s" not preceded by another "%" (which would make it a literal "%s").
FORMAT_PLACEHOLDER = re.compile(r"(?<!%)%s")

# OPTIONS["transaction_mode"]: how BEGIN takes its locks. DEFERRED waits for the
# first write; IMMEDIATE takes the write lock at once, so two transactions that
# read then write wait for each other instead of one failing with "locked".
TRANSACTION_MODES = ("DEFERRED", "EXCLUSIVE", "IMMEDIATE")


def convert_placeholders(sql: str) -> str:
    """Rewrite Django's ``%s`` placeholders as SQLite's ``?``, and ``%%`` as ``%``.

    Why: Django code (and the raw SQL its users port) writes ``%s``, the
    "format" parameter style; sqlite3 understands only ``?``. SQL already
    written with ``?`` passes through unchanged.

    >>> convert_placeholders("SELECT * FROM t WHERE a = %s AND b LIKE '%%x'")
    "SELECT * FROM t WHERE a = ? AND b LIKE '%x'"
    >>> convert_placeholders("SELECT * FROM t WHERE a = ?")
    'SELECT * FROM t WHERE a = ?'
    """
    if "%" not in sql:
        return sql
    return FORMAT_PLACEHOLDER.sub("?", sql).replace("%%", "%")


def quote_value(value) -> str:
    """A parameter written as an SQL literal, as SQLite's ``quote()`` writes it (for logs only).

    >>> [quote_value(value) for value in ("it's", 1, None, b"ab", 1.5, True)]
    ["'it''s'", '1', 'NULL', "X'6162'", '1.5', '1']
    """
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"X'{bytes(value).hex().upper()}'"
    return "'" + str(value).replace("'", "''") + "'"


def interpolate(sql: str, params) -> str:
    """The SQL with each ``?`` outside quotes replaced by its parameter, for reading (as Django's ``str(query)``).

    >>> interpolate("SELECT ? WHERE 'a?' = ? AND \\"b?\\" = ?", ["x's", 1, None])
    'SELECT x\\'s WHERE \\'a?\\' = 1 AND "b?" = None'
    """
    values = iter(params)
    out, quote = [], None
    for character in sql:
        if quote:
            quote = None if character == quote else quote
        elif character in "'\"":
            quote = character
        elif character == "?":
            out.append(str(next(values)))
            continue
        out.append(character)
    return "".join(out)


class DatabaseOperations:
    """SQLite's answers to "how do I write this in SQL?", for one connection (``connection.ops``)."""

    # SQLite's default SQLITE_MAX_VARIABLE_NUMBER before 3.32; builds may allow more,
    # but a batch this size works everywhere.
    max_query_params = 999

    def __init__(self, connection):
        self.connection = connection

    # How the cursor makes a statement written with %s placeholders ready for sqlite3.
    convert_query = staticmethod(convert_placeholders)

    def quote_name(self, name: str) -> str:
        """A table or column name quoted for SQL, unless it already is.

        >>> DatabaseOperations(None).quote_name("order"), DatabaseOperations(None).quote_name('"order"')
        ('"order"', '"order"')
        """
        if name.startswith('"') and name.endswith('"'):
            return name
        return f'"{name}"'

    def last_insert_id(self, cursor, table_name: str, pk_name: str):
        """The primary key the last INSERT on ``cursor`` gave its row (the rowid, in SQLite)."""
        return cursor.lastrowid

    def last_executed_query(self, sql: str, params) -> str:
        """The statement with its parameters written in as literals, for ``connection.queries``.

        >>> DatabaseOperations(None).last_executed_query("SELECT %s, %s", ["it's", None])
        "SELECT 'it''s', NULL"
        """
        if not params:
            return sql if params is None else convert_placeholders(sql)
        if isinstance(params, dict):
            return f"{sql} -- parameters {params!r}"
        pieces = convert_placeholders(sql).split("?")
        if len(pieces) != len(params) + 1:
            return f"{sql} -- parameters {list(params)!r}"
        written = [pieces[0]]
        for value, piece in zip(params, pieces[1:]):
            written += [quote_value(value), piece]
        return "".join(written)

    def bulk_batch_size(self, fields: list, objs: list) -> int:
        """How many rows one INSERT may carry without passing ``max_query_params``."""
        if len(fields) == 1:
            return 500
        if len(fields) > 1:
            return self.max_query_params // len(fields)
        return len(objs)

    def no_limit_value(self) -> int:
        """What LIMIT takes to mean "no limit" (SQLite needs a LIMIT before an OFFSET)."""
        return -1

    def limit_offset_sql(self, low_mark: int, high_mark: int | None) -> str:
        """The LIMIT/OFFSET clause for the slice ``[low_mark:high_mark]``.

        >>> ops = DatabaseOperations(None)
        >>> ops.limit_offset_sql(0, 10), ops.limit_offset_sql(5, None), ops.limit_offset_sql(0, None)
        ('LIMIT 10', 'LIMIT -1 OFFSET 5', '')
        """
        if high_mark is not None:
            clause = f"LIMIT {high_mark - low_mark}"
        elif low_mark:
            clause = f"LIMIT {self.no_limit_value()}"
        else:
            return ""
        return f"{clause} OFFSET {low_mark}" if low_mark else clause

    def begin_transaction_sql(self) -> str:
        """``BEGIN``, with the locking mode of ``OPTIONS["transaction_mode"]`` if one is set."""
        options = self.connection.settings_dict.get("OPTIONS") or {}
        mode = options.get("transaction_mode")
        if mode is None:
            return "BEGIN"
        if str(mode).upper() not in TRANSACTION_MODES:
            from tinyframe.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(
                f"settings.DATABASES[{self.connection.alias!r}]['OPTIONS']['transaction_mode'] is "
                f"improperly configured to {mode!r}. Use one of 'DEFERRED', 'EXCLUSIVE', "
                f"'IMMEDIATE', or None."
            )
        return f"BEGIN {str(mode).upper()}"

    def savepoint_create_sql(self, sid: str) -> str:
        """Open a savepoint."""
        return f"SAVEPOINT {self.quote_name(sid)}"

    def savepoint_commit_sql(self, sid: str) -> str:
        """Keep a savepoint's changes and forget the savepoint."""
        return f"RELEASE SAVEPOINT {self.quote_name(sid)}"

    def savepoint_rollback_sql(self, sid: str) -> str:
        """Undo the changes made since a savepoint (the savepoint stays open)."""
        return f"ROLLBACK TO SAVEPOINT {self.quote_name(sid)}"

    def adapt_datefield_value(self, value: datetime.date | None) -> str | None:
        """A date as SQLite stores it: ISO text.

        >>> DatabaseOperations(None).adapt_datefield_value(datetime.date(2024, 2, 29))
        '2024-02-29'
        """
        return None if value is None else value.isoformat()

    def adapt_datetimefield_value(self, value: datetime.datetime | None) -> str | None:
        """A datetime as SQLite stores it: naive ISO text, in UTC when USE_TZ is on.

        >>> DatabaseOperations(None).adapt_datetimefield_value(datetime.datetime(2024, 2, 29, 13, 5))
        '2024-02-29 13:05:00'
        """
        if value is None:
            return None
        if value.tzinfo is not None:
            from tinyframe.conf import settings

            if not settings.USE_TZ:
                raise ValueError("SQLite backend does not support timezone-aware datetimes when USE_TZ is False.")
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value.isoformat(" ")

    def adapt_timefield_value(self, value: datetime.time | None) -> str | None:
        """A time as SQLite stores it: ISO text; aware times have no meaning without a date.

        >>> DatabaseOperations(None).adapt_timefield_value(datetime.time(9, 30, 0, 500))
        '09:30:00.000500'
        """
        if value is None:
            return None
        if value.tzinfo is not None:
            raise ValueError("SQLite backend does not support timezone-aware times.")
        return value.isoformat()
