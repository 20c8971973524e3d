"""The statements that write: INSERT, UPDATE and DELETE, each a small compiler.

How it works: the write methods of a QuerySet (``_insert``, ``_update``,
``delete``) hand these compilers the rows or values to write and, for UPDATE
and DELETE, the ``Query`` whose WHERE picks the rows:

- ``SQLInsertCompiler`` writes ``INSERT INTO t (a, b) VALUES (?, ?), (?, ?)
  RETURNING "id"``, as many rows a statement as ``max_query_params`` allows
  (SQLite >= 3.35 has RETURNING; older ones insert a row at a time and read
  ``lastrowid``);
- ``SQLUpdateCompiler`` writes ``UPDATE t SET a = ?, b = (b + ?) WHERE ...``;
  a value may be an expression (``F("votes") + 1``), computed by the database;
- ``SQLDeleteCompiler`` writes ``DELETE FROM t WHERE ...``.

A query that is grouped, sliced or distinct cannot be the WHERE of an UPDATE
or DELETE directly; its rows are named by key instead: ``WHERE id IN (SELECT
...)``.
"""

from tinyframe.db.models.expressions import Col
from tinyframe.db.models.lookups import EmptyResultSet, In
from tinyframe.db.models.iterables import python_values
from tinyframe.db.models.sql.compiler import SQLCompiler
from tinyframe.db.models.sql.query import Query
from tinyframe.db.models.subquery import subquery_of


class SQLInsertCompiler:
    """Inserts model instances' field values, in batches, and returns the columns asked for."""

    def __init__(self, model, connection, using: str | None = None, on_conflict: str | None = None):
        self.model = model
        self.verb = "INSERT OR IGNORE" if on_conflict == "IGNORE" else "INSERT"
        self.connection = connection
        self.using = using
        self.quote_name = connection.ops.quote_name

    def row_sql(self, obj, fields: list, raw: bool, params: list) -> str:
        """``(?, ?, ...)`` for one object, its values added to ``params``; an expression writes its own SQL.

        Each value is read with ``pre_save`` (which sets ``auto_now`` fields)
        and made a database value by ``get_db_prep_save``; ``raw`` (loading
        fixtures) takes the attributes as they are.
        """
        placeholders = []
        for field in fields:
            value = getattr(obj, field.attname) if raw else field.pre_save(obj, True)
            if hasattr(value, "resolve_expression"):
                placeholders.append(self.expression_sql(value, field, params))
            else:
                params.append(field.get_db_prep_save(value, connection=self.connection))
                placeholders.append("?")
        return f"({', '.join(placeholders)})"

    def expression_sql(self, expression, field, params: list) -> str:
        """The SQL of an expression given as a value to insert (``Value(2) * 5``), resolved against the model.

        A column (``F("votes") + 1``, ``Lower("title")``) is refused with
        Django's ValueError: a row being inserted has no values to read yet,
        and SQLite would only say "no such column".
        """
        query = Query(self.model)
        resolved = expression.resolve_expression(query, for_save=True)
        if reads_a_column(resolved):
            raise ValueError(
                f'Failed to insert expression "{resolved!r}" on {field}. '
                "F() expressions can only be used to update, not to insert."
            )
        sql, expression_params = SQLCompiler(query, self.connection).compile(resolved)
        params.extend(expression_params)
        return sql

    def execute_sql(self, objs: list, fields: list, returning_fields=None, raw: bool = False) -> list[tuple]:
        """Insert ``objs``; the returned rows (one per object) hold ``returning_fields``' values."""
        table = self.quote_name(self.model._meta.db_table)
        returning = ""
        if returning_fields:
            returning = " RETURNING " + ", ".join(self.quote_name(field.column) for field in returning_fields)
        if not fields:
            statement = f"{self.verb} INTO {table} DEFAULT VALUES{returning}"
            return [row for _ in objs for row in self.run(statement, [], returning_fields)]
        columns = ", ".join(self.quote_name(field.column) for field in fields)
        can_return = self.connection.features.can_return_columns_from_insert
        batch_size = 1 if (returning_fields and not can_return) else max(
            1, self.connection.ops.max_query_params // len(fields)
        )
        returned = []
        for start in range(0, len(objs), batch_size):
            params, rows_sql = [], []
            for obj in objs[start : start + batch_size]:
                rows_sql.append(self.row_sql(obj, fields, raw, params))
            statement = f"{self.verb} INTO {table} ({columns}) VALUES {', '.join(rows_sql)}"
            if can_return:
                statement += returning
            returned.extend(self.run(statement, params, returning_fields))
        return returned

    def run(self, statement: str, params: list, returning_fields) -> list[tuple]:
        """Execute one INSERT and read back what it returned (in the order of the rows, as SQLite emits them)."""
        cursor = self.connection.cursor()
        cursor.execute(statement, params)
        if not returning_fields:
            cursor.close()
            return []
        if self.connection.features.can_return_columns_from_insert:
            rows = cursor.fetchall()
        else:
            rows = [(cursor.lastrowid,)]
        cursor.close()
        if not any(getattr(field, "from_db_value", None) for field in returning_fields):
            return rows  # nothing to convert (an integer key): asked once a statement, not once a row
        return [python_values(returning_fields, row, self.connection) for row in rows]


def reads_a_column(expression) -> bool:
    """Whether ``expression`` or any expression inside it is a table's column (a ``Col``)."""
    if isinstance(expression, Col):
        return True
    return any(reads_a_column(source) for source in expression.get_source_expressions() if source is not None)


def rows_condition(query, compiler: SQLCompiler) -> tuple[str, list]:
    """The WHERE of an UPDATE or DELETE: the query's own, or ``pk IN (SELECT pk ...)`` when it cannot be."""
    # >>> 07_relations
    if query.alias_map:  # UPDATE and DELETE have no joins: the joined query names the rows by key
        return compiler.compile(In(Col(query.model._meta.pk), subquery_of(query)))
    # <<< 07_relations
    if query.group_by is not None or query.having or query.distinct or query.is_sliced:
        pk = query.model._meta.pk
        return compiler.compile(In(Col(pk), subquery_of(query)))
    return compiler.compile(query.where)


class SQLUpdateCompiler(SQLCompiler):
    """``UPDATE t SET ... WHERE ...`` for the rows of a query; returns how many rows changed."""

    def execute_update(self, values: list) -> int:
        """``values`` is ``[(field, model, value), ...]``; a value may be an expression."""
        if not values:
            return 0
        assignments, params = [], []
        for field, _model, value in values:
            # >>> 07_relations
            if hasattr(value, "prepare_database_save"):  # a model instance: the key it is stored as
                value = value.prepare_database_save(field)
            # <<< 07_relations
            if hasattr(value, "resolve_expression"):
                sql, value_params = self.compile(value.resolve_expression(self.query, for_save=True))
            else:
                sql, value_params = "?", [field.get_db_prep_save(value, connection=self.connection)]
            assignments.append(f"{self.quote_name(field.column)} = {sql}")
            params.extend(value_params)
        return run_on_rows(self, f"UPDATE {self.table} SET {', '.join(assignments)}", params)


class SQLDeleteCompiler(SQLCompiler):
    """``DELETE FROM t WHERE ...``; returns how many rows went."""

    def execute_delete(self) -> int:
        """Delete the query's rows (the whole table when it has no conditions)."""
        return run_on_rows(self, f"DELETE FROM {self.table}", [])


def run_on_rows(compiler, statement: str, params: list) -> int:
    """Run an UPDATE or DELETE ``statement`` on the query's rows; how many it changed.

    The query's conditions become the WHERE clause (none: every row); when
    they can match no row, nothing runs and the answer is 0.
    """
    try:
        where_sql, where_params = rows_condition(compiler.query, compiler)
    except EmptyResultSet:
        return 0
    if where_sql:
        statement += f" WHERE {where_sql}"
    cursor = compiler.connection.cursor()
    cursor.execute(statement, [*params, *where_params])
    count = cursor.rowcount
    cursor.close()
    return count
