"""Introspection: what tables, columns, keys and indexes an SQLite database holds now.

How it works: SQLite describes itself. ``sqlite_master`` lists the tables and
indexes with the SQL that made them; ``PRAGMA table_xinfo`` gives a table's
columns, ``PRAGMA foreign_key_list`` its foreign keys, ``PRAGMA index_list``
and ``index_info`` its indexes. ``DatabaseIntrospection`` turns those answers
into Django's shapes:

- ``get_table_list(cursor)`` -> ``[TableInfo(name, type), ...]``;
- ``get_table_description(cursor, table)`` -> ``[FieldInfo(name, type_code,
  ..., null_ok, default, collation, pk, has_json_constraint), ...]``;
- ``get_relations(cursor, table)`` -> ``{column: (referenced_column, referenced_table)}``;
- ``get_primary_key_column(cursor, table)`` -> ``"id"``;
- ``get_constraints(cursor, table)`` -> ``{name: {"columns": [...], "primary_key": ...,
  "unique": ..., "foreign_key": ..., "check": ..., "index": ...}}``.

UNIQUE and CHECK constraints written inside CREATE TABLE have no index of
their own to ask about (or one SQLite names itself), so ``table_constraints``
reads them from the table's SQL.

Migration tests use it to see the schema a migration left; the schema editor
uses it to find a ``unique_together`` index by its columns, as Django does.
"""

import re
from collections import namedtuple

from tinyframe.db.backends.sqlite3.base import DatabaseIntrospection as TableNamesIntrospection

__all__ = ["DatabaseIntrospection", "FieldInfo", "TableInfo", "split_definitions", "table_constraints"]

TableInfo = namedtuple("TableInfo", ["name", "type"])
FieldInfo = namedtuple(
    "FieldInfo",
    "name type_code display_size internal_size precision scale null_ok default collation pk has_json_constraint",
)

FIELD_SIZE = re.compile(r"^\s*(?:var)?char\s*\(\s*(\d+)\s*\)\s*$", re.IGNORECASE)


def split_definitions(create_table_sql: str) -> list[str]:
    """The comma-separated parts between CREATE TABLE's outer parentheses (commas inside brackets or quotes stay).

    >>> split_definitions('CREATE TABLE "t" ("a" integer, "b" decimal(5, 2), CHECK ("a" > 0))')
    ['"a" integer', '"b" decimal(5, 2)', 'CHECK ("a" > 0)']
    """
    start = create_table_sql.index("(")
    parts, depth, quote, current = [], 0, None, []
    for character in create_table_sql[start + 1 :]:
        if quote:
            quote = None if character == quote else quote
        elif character in "\"'`":
            quote = character
        elif character == "(":
            depth += 1
        elif character == ")":
            if depth == 0:
                break
            depth -= 1
        elif character == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(character)
    parts.append("".join(current).strip())
    return parts


def unquote(name: str) -> str:
    """A name without its quotes: ``'"a"'`` -> ``'a'``."""
    return name[1:-1] if name[:1] in "\"`[" and len(name) > 1 else name


def table_constraints(create_table_sql: str) -> dict:
    """The UNIQUE and CHECK constraints written inside CREATE TABLE, named as Django names them.

    A ``CONSTRAINT "name" ...`` keeps its name; the unnamed ones (a column's
    ``UNIQUE``, a column's ``CHECK``) are ``__unnamed_constraint_1__``,
    ``__unnamed_constraint_2__``... in the order they appear.

    >>> sql = ('CREATE TABLE "t" ("a" integer NOT NULL UNIQUE, "n" integer CHECK ("n" >= 0), '
    ...        'CONSTRAINT "u" UNIQUE ("a", "n"))')
    >>> for name, info in table_constraints(sql).items():
    ...     print(name, info["columns"], info["unique"], info["check"])
    __unnamed_constraint_1__ ['a'] True False
    __unnamed_constraint_2__ ['n'] False True
    u ['a', 'n'] True False
    """
    constraints, unnamed = {}, 0

    def add(name, columns, unique=False, check=False):
        nonlocal unnamed
        if name is None:
            unnamed += 1
            name = f"__unnamed_constraint_{unnamed}__"
        constraints[name] = {
            "columns": columns, "primary_key": False, "unique": unique,
            "foreign_key": None, "check": check, "index": False,
        }  # fmt: skip

    for part in split_definitions(create_table_sql):
        named = re.match(r'CONSTRAINT\s+("[^"]+"|\S+)\s+(UNIQUE|CHECK)\s*\((.*)\)\s*$', part, re.IGNORECASE | re.DOTALL)
        if named:
            name, kind, inside = unquote(named[1]), named[2].upper(), named[3]
            if kind == "UNIQUE":
                add(name, [unquote(column.strip()) for column in split_definitions(f"({inside})")], unique=True)
            else:
                add(name, sorted(set(re.findall(r'"([^"]+)"', inside))), check=True)
            continue
        unnamed_table = re.match(r"(UNIQUE|CHECK)\s*\((.*)\)\s*$", part, re.IGNORECASE | re.DOTALL)
        if unnamed_table:
            kind, inside = unnamed_table[1].upper(), unnamed_table[2]
            if kind == "UNIQUE":
                add(None, [unquote(column.strip()) for column in split_definitions(f"({inside})")], unique=True)
            else:
                add(None, sorted(set(re.findall(r'"([^"]+)"', inside))), check=True)
            continue
        column = unquote(part.split()[0])
        rest = part[len(part.split()[0]) :]
        if re.search(r"\bUNIQUE\b", rest, re.IGNORECASE):
            add(None, [column], unique=True)
        if re.search(r"\bCHECK\s*\(", rest, re.IGNORECASE):
            add(None, [column], check=True)
    return constraints


class DatabaseIntrospection(TableNamesIntrospection):
    """Chapter 06's ``table_names()``, plus Django's descriptions of tables, columns, keys and indexes."""

    def get_table_list(self, cursor) -> list:
        """Every table and view but SQLite's own ``sqlite_sequence``, sorted by name."""
        cursor.execute(
            "SELECT name, type FROM sqlite_master "
            "WHERE type IN ('table', 'view') AND NOT name = 'sqlite_sequence' ORDER BY name"
        )
        return [TableInfo(name, kind[0]) for name, kind in cursor.fetchall()]

    def table_sql(self, cursor, table_name: str) -> str | None:
        """The CREATE TABLE statement SQLite keeps for ``table_name``, or None if there is no such table."""
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table_name])
        row = cursor.fetchone()
        return row[0] if row else None

    def get_table_description(self, cursor, table_name: str) -> list:
        """One ``FieldInfo`` per column, in the table's order; DatabaseError if there is no such table."""
        from tinyframe.db import DatabaseError

        cursor.execute(f"PRAGMA table_xinfo({self.connection.ops.quote_name(table_name)})")
        rows = cursor.fetchall()
        if not rows:
            raise DatabaseError(f"Table {table_name} does not exist (empty pragma).")
        table_sql = self.table_sql(cursor, table_name) or ""
        json_columns = {column for column in (row[1] for row in rows) if f'JSON_VALID("{column}")' in table_sql}
        description = [
            FieldInfo(
                name, data_type, field_size(data_type), None, None, None,
                not notnull, default, self.column_collation(table_sql, name), bool(pk), name in json_columns,
            )  # fmt: skip
            for _cid, name, data_type, notnull, default, pk, hidden in rows
            if hidden in (0, 2, 3)  # hidden columns of virtual tables are left out
        ]
        # A key of several columns is not the key of any one of them.
        if sum(info.pk for info in description) > 1:
            description = [info._replace(pk=False) for info in description]
        return description

    def column_collation(self, table_sql: str, column: str) -> str | None:
        """The ``COLLATE`` name in ``column``'s definition, if it has one."""
        for part in split_definitions(table_sql) if table_sql else ():
            if unquote(part.split()[0]) == column:
                found = re.search(r"\bCOLLATE\s+(\S+)", part, re.IGNORECASE)
                return unquote(found[1]) if found else None
        return None

    def get_relations(self, cursor, table_name: str) -> dict:
        """``{column: (referenced_column, referenced_table)}`` for each foreign key of the table."""
        cursor.execute(f"PRAGMA foreign_key_list({self.connection.ops.quote_name(table_name)})")
        return {row[3]: (row[4], row[2]) for row in cursor.fetchall()}

    def get_primary_key_columns(self, cursor, table_name: str) -> list:
        """The columns of the table's primary key, in order."""
        cursor.execute(f"PRAGMA table_info({self.connection.ops.quote_name(table_name)})")
        return [row[1] for row in sorted(cursor.fetchall(), key=lambda row: row[5]) if row[5]]

    def get_primary_key_column(self, cursor, table_name: str) -> str | None:
        """The primary key's column, if the table has one."""
        columns = self.get_primary_key_columns(cursor, table_name)
        return columns[0] if columns else None

    def get_constraints(self, cursor, table_name: str) -> dict:
        """Every constraint and index of the table by name, each a dict of Django's keys.

        ``columns``, ``primary_key``, ``unique``, ``foreign_key`` (``(table,
        column)`` or None), ``check``, ``index``; indexes also have ``type``
        (``"idx"``) and ``orders`` (``"ASC"``/``"DESC"`` per column). SQLite
        names neither the primary key (``"__primary__"`` here) nor foreign
        keys (``"fk_0"``, ``"fk_1"``...).
        """
        quote = self.connection.ops.quote_name
        table_sql = self.table_sql(cursor, table_name)
        constraints = table_constraints(table_sql) if table_sql else {}
        cursor.execute(f"PRAGMA index_list({quote(table_name)})")
        for _number, index, unique, *_ in cursor.fetchall():
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s", [index])
            row = cursor.fetchone()
            if not row or not row[0]:
                continue  # SQLite's own index behind a UNIQUE in CREATE TABLE: read from the table's SQL above
            cursor.execute(f"PRAGMA index_info({quote(index)})")
            columns = [column for _rank, _cid, column in cursor.fetchall()]
            constraints[index] = {
                "columns": columns, "primary_key": False, "unique": bool(unique), "foreign_key": None,
                "check": False, "index": True, "type": "idx", "orders": index_orders(row[0]),
            }  # fmt: skip
        primary_key = self.get_primary_key_columns(cursor, table_name)
        if primary_key:
            constraints["__primary__"] = {
                "columns": primary_key, "primary_key": True, "unique": False,
                "foreign_key": None, "check": False, "index": False,
            }  # fmt: skip
        for number, (column, (referenced_column, referenced_table)) in enumerate(
            self.get_relations(cursor, table_name).items()
        ):
            constraints[f"fk_{number}"] = {
                "columns": [column], "primary_key": False, "unique": False,
                "foreign_key": (referenced_table, referenced_column), "check": False, "index": False,
            }  # fmt: skip
        return constraints


def field_size(data_type: str) -> int | None:
    """The length in a ``varchar(n)`` type, else None.

    >>> field_size("varchar(30)"), field_size("integer")
    (30, None)
    """
    found = FIELD_SIZE.match(data_type)
    return int(found[1]) if found else None


def index_orders(create_index_sql: str) -> list[str]:
    """``"ASC"`` or ``"DESC"`` for each column of a CREATE INDEX statement.

    >>> index_orders('CREATE INDEX "i" ON "t" ("a" DESC, "b")')
    ['DESC', 'ASC']
    """
    inside = create_index_sql[create_index_sql.index("(", create_index_sql.upper().index(" ON ")) :]
    return ["DESC" if part.upper().endswith("DESC") else "ASC" for part in split_definitions(inside)]
