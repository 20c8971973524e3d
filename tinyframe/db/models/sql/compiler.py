"""The SQL compiler: a ``Query`` becomes ``(sql, params)``, once per shape, and runs.

How it works: ``SQLCompiler.as_sql`` writes a SELECT clause by clause::

    SELECT [DISTINCT] <columns> FROM <table> [WHERE ...] [GROUP BY ...]
        [HAVING ...] [ORDER BY ...] [LIMIT ? [OFFSET ?]]

Each piece of the query (a column, a lookup, a WhereNode, an expression) is
compiled by ``compile(node)``, which calls ``node.as_sql(compiler,
connection)``: one visitor, every node returning its ``(sql, params)``.

Compiling once per shape: two queries that differ only in their values —
``filter(pk=1)`` and ``filter(pk=2)`` — have the same SQL. Before writing
anything, ``as_sql`` asks the query for its ``shape``: a walk of the same tree
that collects the parameters and returns a hashable key with the values left
out. The first query of a shape is compiled and its SQL kept under that key
(``SQL_CACHE``); every later one only collects its parameters. Queries that
cannot promise a stable shape (subqueries, grouping, unions) raise
``NoShape`` and are compiled every time.
"""

from tinyframe.db import DatabaseError
from tinyframe.db.models.expressions import F, NoShape, OrderBy, RawSQL, Ref, Value
from tinyframe.db.models.functions import Random
from tinyframe.db.models.lookups import EmptyResultSet
# >>> 07_relations
from tinyframe.db.models.sql import joins
from tinyframe.db.models.select_related import related_columns, select_with_related
# <<< 07_relations

# shape -> SQL text. Bounded: a program that builds endless distinct shapes
# (say, IN lists of every length) must not grow it forever.
SQL_CACHE: dict = {}
SQL_CACHE_LIMIT = 2048


def remember(key, sql: str) -> None:
    """Keep ``sql`` for ``key``; when full, forget everything (simple, and shapes are few in practice)."""
    if len(SQL_CACHE) >= SQL_CACHE_LIMIT:
        SQL_CACHE.clear()
    SQL_CACHE[key] = sql


class SQLCompiler:
    """Writes and runs the SELECT for one ``Query`` on one connection.

    A subquery gets a compiler of its own whose ``parent`` is the outer one,
    and a table alias (``U0``, ``U1``...) so that ``OuterRef`` can name the
    outer table even when both are the same.
    """

    # The columns a combined query's reader keeps, when its ORDER BY added more to every part
    # (set by combined_order_by); None: all of them.
    combined_width = None

    def __init__(self, query, connection, using: str | None = None, parent: "SQLCompiler | None" = None):
        self.query = query
        self.connection = connection
        self.using = using or getattr(connection, "alias", None)
        self.parent = parent
        self.quote_name = connection.ops.quote_name
        self.depth = 0 if parent is None else parent.depth + 1
        self.table = self.quote_name(query.model._meta.db_table)
        if query.from_subquery is not None:
            self.alias = '"subquery"'
        elif self.depth:
            self.alias = f"U{self.depth - 1}"
        else:
            self.alias = self.table
        # >>> 07_relations
        if self.depth:
            self.alias = joins.subquery_alias(self)
        # <<< 07_relations

    def qualify(self, column: str) -> str:
        """A column of this query's table, as ``"library_book"."title"`` (or ``U0."title"`` in a subquery)."""
        return f"{self.alias}.{self.quote_name(column)}"

    # >>> 07_relations
    def quote_alias(self, alias: str) -> str:
        """How one of the query's table aliases is written here: ``"library_author"``, ``T3``, ``U1``."""
        return joins.quote_alias(self, alias)

    def selected_expressions(self) -> list:
        """The expressions the SELECT list writes (the FROM clause joins the tables they read)."""
        return [expression for expression, _alias in self.get_select()]

    # The related models select_related adds to a model query's rows, and the plan of that shape
    # (select_related.py); set by get_select.
    related_selections = None
    select_related_plan = None

    # <<< 07_relations
    def compile(self, node) -> tuple[str, list]:
        """``(sql, params)`` of any node of the query: the one entry point of the visitor."""
        return node.as_sql(self, self.connection)

    def subquery_compiler(self, query) -> "SQLCompiler":
        """A compiler for a subquery nested in this one."""
        return SQLCompiler(query, self.connection, self.using, parent=self)

    # -- what is selected -------------------------------------------------------------

    def get_select(self) -> list[tuple]:
        """The selected ``(expression, alias)`` pairs; sets ``model_fields`` and ``column_names`` for the reader.

        A model query selects its loaded fields' columns, then its
        annotations; ``values()`` selects the names it was given.
        """
        query = self.query
        if query.values_select is not None:
            names = query.values_select or (
                *(field.attname for field in query.model._meta.concrete_fields),
                *query.annotation_select,
            )
            self.model_fields = None
            self.column_names = tuple(names)
            return [(query.resolve_ref(name), name) for name in names]
        fields = query.loaded_fields()
        self.model_fields = fields
        self.column_names = tuple(query.annotation_select)
        # >>> 07_relations
        if query.select_related and not query.is_exists:
            return select_with_related(self, fields)
        # <<< 07_relations
        return [(field.cached_col, None) for field in fields] + [
            (annotation, name) for name, annotation in query.annotation_select.items()
        ]

    def result_converters(self) -> list[tuple]:
        """The converters the reader of the rows applies; sets ``model_fields`` and ``column_names``.

        A model query's own columns are left out: the hydrator converts those.
        """
        query = self.query
        select = self.get_select()
        if query.values_select is not None:
            return self.converters(select)
        # >>> 07_relations
        if self.related_selections:  # the related columns are converted by the generated hydrator
            return self.converters(select[: len(self.model_fields) + len(self.column_names)], start=len(self.model_fields))
        # <<< 07_relations
        return self.converters(select, start=len(self.model_fields))

    def converters(self, select: list, start: int = 0) -> list[tuple]:
        """``(position, functions, expression)`` for each selected column from ``start`` whose value needs converting."""
        found = []
        for position, (expression, _alias) in enumerate(select[start:], start):
            functions = expression.get_db_converters(self.connection)
            if functions:
                found.append((position, functions, expression))
        return found

    # -- writing the SQL -------------------------------------------------------------

    def as_sql(self, with_limits: bool = True) -> tuple[str, list]:
        """``(sql, params)`` of the SELECT; raises EmptyResultSet when no row can match."""
        key = None
        if self.parent is None and with_limits:
            params = []
            try:
                key = self.query.shape(params, self.connection)
            except NoShape:
                key = None
            else:
                sql = SQL_CACHE.get(key)
                if sql is not None:
                    return sql, params
        sql, params = self.compile_select(with_limits)
        if key is not None:
            remember(key, sql)
        return sql, params

    def compile_select(self, with_limits: bool = True) -> tuple[str, list]:
        """Write the SELECT clause by clause (what ``as_sql`` does on a cache miss)."""
        query = self.query
        if query.combinator:
            return self.compile_combined(with_limits)
        params = []
        # An exists() query writes no ORDER BY, so its order adds nothing to DISTINCT or GROUP BY either.
        ordering = [] if query.is_exists else query.ordering_terms()
        if query.is_exists:
            columns = ['1 AS "a"']
        else:
            columns = []
            for expression, alias in self.get_select():
                if self.depth and alias not in query.annotations:
                    alias = None  # a subquery's columns are read by position, not by name
                sql, column_params = self.compile_column(expression)
                columns.append(f"{sql} AS {self.quote_name(alias)}" if alias else sql)
                params.extend(column_params)
            for sql, column_params in self.distinct_order_columns(ordering):
                columns.append(sql)
                params.extend(column_params)
        distinct = "DISTINCT " if query.distinct else ""
        parts = [f"SELECT {distinct}{', '.join(columns)}", self.from_clause(params)]
        where_sql, where_params = self.compile(query.where)
        if where_sql:
            parts.append(f"WHERE {where_sql}")
            params.extend(where_params)
        group_by = self.group_by_clause(params, ordering)
        if group_by:
            parts.append(group_by)
        if query.having:
            having_sql, having_params = self.compile(query.having)
            if having_sql:
                parts.append(f"HAVING {having_sql}")
                params.extend(having_params)
        terms = []
        for term in ordering:
            sql, term_params = self.compile(term)
            terms.append(sql)
            params.extend(term_params)
        if terms:
            parts.append(f"ORDER BY {', '.join(terms)}")
        if with_limits:
            parts.append(self.limit_clause(params))
        return " ".join(part for part in parts if part), params

    def compile_column(self, expression) -> tuple[str, list]:
        """``(sql, params)`` of a selected expression: there a condition is a value, not the query's answer.

        A condition no row meets (``Q(pk__in=[])``) is false, one every row
        meets (``Q()``) true, and an aggregate or a subquery over no row is
        its empty value (``Count`` 0, ``Sum`` NULL), as in Django. In WHERE the
        same answers decide the whole query (no row, or no condition).
        """
        try:
            sql, params = self.compile(expression)
        except EmptyResultSet:
            empty = getattr(expression, "empty_result_set_value", NotImplemented)
            return ("0", []) if empty is NotImplemented else self.compile(Value(empty))
        return (sql, params) if sql else ("1", [])

    def from_clause(self, params: list) -> str:
        """``FROM "table"``, with an alias in a subquery, or ``FROM (SELECT ...) subquery``."""
        inner = self.query.from_subquery
        if inner is not None:
            inner_sql, inner_params = inner.get_compiler(connection=self.connection).as_sql()
            params.extend(inner_params)
            return f"FROM ({inner_sql}) {self.alias}"
        # >>> 07_relations
        if self.query.alias_map:
            return joins.from_clause(self, params)
        # <<< 07_relations
        if self.depth:
            return f"FROM {self.table} {self.alias}"
        return f"FROM {self.table}"

    def distinct_order_columns(self, ordering: list) -> list[tuple]:
        """The ``(sql, params)`` of the ORDER BY terms a SELECT DISTINCT must select too, as Django adds them.

        ``order_by("title").values_list("rating").distinct()`` sorts each row
        by its title, so the rows are told apart by title as well: Django
        selects the ordering columns after the asked-for ones (the reader
        never sees them, ``execute_sql`` cuts them off). Without that, SQLite
        would merge two books of the same rating and sort by whichever title
        it kept. A term already selected, or a selected annotation's alias, adds
        nothing. A subquery's columns are its value (``IN (SELECT ...)``), so
        it adds none.
        """
        query = self.query
        if not query.distinct or query.is_exists or query.combinator or self.depth or not ordering:
            return []
        selected = set()
        for expression, _alias in self.get_select():
            sql, column_params = self.compile_column(expression)
            selected.add((sql, tuple(column_params)))
        terms = [term.expression for term in ordering if not isinstance(term.expression, Ref)]
        return self.compile_unique(terms, seen=selected)

    def group_by_clause(self, params: list, ordering: list = ()) -> str:
        """GROUP BY the selected columns that are not aggregates, when the query has aggregates.

        The ORDER BY columns are grouped by too, as in Django (a SELECT of a
        grouped query may sort only by what is constant in each group):
        ``values("rating").order_by("title").annotate(n=Count("id"))`` is a
        group per rating and title. A term naming a selected annotation is
        grouped already, and an aggregate groups nothing.
        """
        query = self.query
        if query.group_by is None:
            return ""
        if query.group_by is True:
            expressions = [field.cached_col for field in query.loaded_fields()]
            # >>> 07_relations
            expressions += related_columns(self)  # select_related's columns are grouped by too, as in Django
            # <<< 07_relations
        else:
            expressions = list(query.group_by)
        # Every selected column is grouped by, a selected annotation by its alias (GROUP BY "double"),
        # an aggregate one by the plain columns it mixes in, if any (Sum("a") + F("b") needs b).
        for expression, name in self.get_select():
            if name not in query.annotations:
                expressions.append(expression)
            elif expression.contains_aggregate:
                expressions.extend(expression.get_group_by_cols())
            else:
                expressions.append(Ref(name, expression))
        for term in ordering:
            if not isinstance(term.expression, (Ref, Random)):
                expressions.extend(term.expression.get_group_by_cols())
        parts = []
        for sql, expression_params in self.compile_unique(expressions):
            parts.append(sql)
            params.extend(expression_params)
        return f"GROUP BY {', '.join(parts)}" if parts else ""

    def compile_unique(self, expressions, seen: set | None = None) -> list[tuple]:
        """``(sql, params)`` of each expression, but once: one compiling as an earlier one did (or as one in ``seen``) is left out."""
        seen = set() if seen is None else seen
        unique = []
        for expression in expressions:
            sql, params = self.compile(expression)
            if (sql, tuple(params)) not in seen:
                seen.add((sql, tuple(params)))
                unique.append((sql, params))
        return unique

    def limit_clause(self, params: list) -> str:
        """``LIMIT ?`` / ``LIMIT ? OFFSET ?``, bound like any value, so every page shares one SQL."""
        query = self.query
        if not query.is_sliced:
            return ""
        params.extend(query.limit_params())
        return "LIMIT ? OFFSET ?" if query.low_mark else "LIMIT ?"

    def compile_combined(self, with_limits: bool) -> tuple[str, list]:
        """``part UNION part ...``, then the ORDER BY (by column position) and LIMIT of the whole.

        Every part selects what the whole does: ``values()`` called after
        ``union()`` is applied to each part that did not choose its own
        columns, as Django does. A part that can match no row (``none()``,
        ``pk__in=[]``) is left out of a UNION, and of an EXCEPT after its first
        part (taking away nothing changes nothing); in an INTERSECT, or first in
        an EXCEPT, it leaves no row at all.
        """
        query = self.query
        select = self.get_select()
        parts = []
        for part in query.combined_queries:
            if part.is_sliced:
                raise DatabaseError("LIMIT/OFFSET not allowed in subqueries of compound statements.")
            if part.order_by:
                raise DatabaseError("ORDER BY not allowed in subqueries of compound statements.")
            part = part.clone()
            part.clear_ordering(force=True)
            if query.values_select is not None and part.values_select is None:
                part.set_values(query.values_select)
            parts.append(part)
        order_by = self.combined_order_by(select, parts)
        sqls, params = [], []
        for part in parts:
            try:
                sql, part_params = part.get_compiler(connection=self.connection).compile_select()
            except EmptyResultSet:
                if query.combinator == "union" or (query.combinator == "except" and sqls):
                    continue
                raise
            sqls.append(sql)
            params.extend(part_params)
        if not sqls:
            raise EmptyResultSet
        operator = f" {query.combinator.upper()}{' ALL' if query.combinator_all else ''} "
        sql = operator.join(sqls)
        if order_by:
            sql += f" ORDER BY {', '.join(order_by)}"
        if with_limits:
            limit = self.limit_clause(params)
            if limit:
                sql += " " + limit
        return sql, params

    def combined_order_by(self, select: list, parts: list) -> list[str]:
        """The ORDER BY terms of a combined query, each naming a column by its position: ``2 DESC``.

        SQLite sorts a UNION only by its columns, so a term is matched to the
        selected column it compiles to (``"-pk"`` is the key's column). A term
        no column matches, as in ``union(...).values("title").order_by("n")``,
        becomes a column of its own, added to every part after the others (as
        Django's ``__orderbycol<N>``); the reader never sees it (``execute_sql``
        cuts each row to ``combined_width``). That is only possible for
        ``values()`` rows whose parts did not choose their own columns (with
        ``values()``, or as a union of their own), as in Django.
        """
        query = self.query
        if not query.order_by:
            return []
        positions, added = {}, 0
        for position, (expression, _alias) in enumerate(select, 1):
            sql, params = self.compile_column(expression)
            positions.setdefault((sql, tuple(params)), position)
        terms = []
        for item in query.order_by:
            term = combined_ordering_term(item)
            sql, params = self.compile_column(term.expression.resolve_expression(query))
            position = positions.get((sql, tuple(params)))
            if position is None:
                if query.values_select is None or any(
                    part.values_select is not None or part.combinator for part in query.combined_queries
                ):
                    raise DatabaseError("ORDER BY term does not match any column in the result set.")
                added += 1
                position = len(select) + added
                for part in parts:
                    part.add_annotation(term.expression, f"__orderbycol{position}")
                positions[(sql, tuple(params))] = position
            # A compound SELECT's ORDER BY names a column of its result by position: ORDER BY (2).
            term = OrderBy(RawSQL(str(position), []), term.descending, term.nulls_first, term.nulls_last)
            term = term if query.standard_ordering else term.reverse_ordering()
            terms.append(self.compile(term)[0])
        if added:
            self.combined_width = len(select)
        return terms

    # -- running it ---------------------------------------------------------------------

    def execute_sql(self, chunk_size: int | None = None):
        """Run the SELECT: all rows as a list, or, with ``chunk_size``, an iterator of row lists."""
        try:
            sql, params = self.as_sql()
        except EmptyResultSet:
            return iter(()) if chunk_size else []
        cursor = self.connection.cursor()
        cursor.execute(sql, params)
        width = self.selected_width()
        if chunk_size is None:
            rows = cursor.fetchall()
            cursor.close()
            return rows if width is None else [row[:width] for row in rows]
        chunks = fetch_in_chunks(cursor, chunk_size)
        return chunks if width is None else ([row[:width] for row in rows] for rows in chunks)

    def selected_width(self) -> int | None:
        """How many columns the reader expects, when the ORDER BY of a DISTINCT or a union added more (else None)."""
        query = self.query
        if not query.distinct or query.is_exists or query.combinator or self.depth:
            return self.combined_width  # None, but for a union whose ORDER BY added columns
        if not self.distinct_order_columns(query.ordering_terms()):
            return None
        return len(self.get_select())

    def has_results(self) -> bool:
        """Whether the (already ``exists()``-shaped) query finds a row."""
        return bool(self.execute_sql())

    def explain(self) -> str:
        """SQLite's EXPLAIN QUERY PLAN for this query, a line per step: ``id parent notused detail``, as Django prints it."""
        try:
            sql, params = self.as_sql()
        except EmptyResultSet:
            return ""
        cursor = self.connection.cursor()
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        lines = [" ".join(map(str, row)) for row in cursor.fetchall()]
        cursor.close()
        return "\n".join(lines)


def combined_ordering_term(item) -> OrderBy:
    """An ``order_by()`` item of a combined query as an ``OrderBy`` of an expression not yet resolved.

    A name is an ``F`` (resolved against each part, when it must become a
    column of its own), not the model's field, as the parts may differ.
    """
    if isinstance(item, str):
        if item == "?":
            return OrderBy(Random())
        return OrderBy(F(item.lstrip("-")), descending=item.startswith("-"))
    return item if isinstance(item, OrderBy) else OrderBy(item)


def fetch_in_chunks(cursor, chunk_size: int):
    """Yield lists of up to ``chunk_size`` rows until the cursor is done (``QuerySet.iterator``)."""
    try:
        while True:
            rows = cursor.fetchmany(chunk_size)
            if not rows:
                return
            yield rows
    finally:
        cursor.close()


class SQLAggregateCompiler(SQLCompiler):
    """``SELECT SUM(...) AS "total", ... FROM ... WHERE ...``: one row of aggregate values."""

    # >>> 07_relations
    aggregates = {}

    def selected_expressions(self) -> list:
        # What values() chose keeps its joins: values("tags").count() counts a row per tag, as len() does.
        chosen = [self.query.resolve_ref(name) for name in self.query.values_select or ()]
        return [*self.aggregates.values(), *chosen]

    # <<< 07_relations

    def execute_aggregates(self, aggregates: dict) -> dict:
        """Run ``aggregates`` (name -> resolved aggregate) and return their converted values by name.

        Compiled once per shape, as a SELECT is (``count()`` runs on every
        page of a list): the key is the aggregates' shapes and the query's.
        """
        # >>> 07_relations
        self.aggregates = aggregates
        # <<< 07_relations
        params = []
        key = self.aggregates_shape(aggregates, params)
        sql = SQL_CACHE.get(key) if key is not None else None
        if sql is None:
            try:
                sql, params = self.compile_aggregates(aggregates)
            except EmptyResultSet:
                return {name: getattr(aggregate, "empty_result_set_value", None) for name, aggregate in aggregates.items()}
            if key is not None:
                remember(key, sql)
        cursor = self.connection.cursor()
        cursor.execute(sql, params)
        row = cursor.fetchone()
        cursor.close()
        result = {}
        for (name, aggregate), value in zip(aggregates.items(), row):
            for converter in aggregate.get_db_converters(self.connection):
                value = converter(value, aggregate, self.connection)
            result[name] = value
        return result

    def aggregates_shape(self, aggregates: dict, params: list) -> tuple | None:
        """The key of the statement's SQL, its values added to ``params`` in SQL order; None: compile it every time."""
        try:
            names = tuple((name, aggregate.shape(params, self.connection)) for name, aggregate in aggregates.items())
            return ("aggregate", names, self.query.shape(params, self.connection))
        except NoShape:
            params.clear()
            return None

    def compile_aggregates(self, aggregates: dict) -> tuple[str, list]:
        """``SELECT <aggregates> FROM ... WHERE ...``: what ``execute_aggregates`` runs on a cache miss."""
        columns, params = [], []
        for name, aggregate in aggregates.items():
            sql, aggregate_params = self.compile_column(aggregate)  # Count(filter=Q(pk__in=[])) is 0, not the whole answer
            columns.append(f"{sql} AS {self.quote_name(name)}")
            params.extend(aggregate_params)
        parts = [f"SELECT {', '.join(columns)}", self.from_clause(params)]
        where_sql, where_params = self.compile(self.query.where)
        if where_sql:
            parts.append(f"WHERE {where_sql}")
            params.extend(where_params)
        return " ".join(parts), params
