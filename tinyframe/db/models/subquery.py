"""Queries inside queries: ``Subquery``, ``Exists`` and the ``OuterRef`` that links them to the outer row.

How it works: a QuerySet passed to ``Subquery`` (or ``Exists``) is compiled
by a compiler of its own whose ``parent`` is the outer query's compiler, and
whose table gets an alias (``U0``, ``U1`` deeper down). ``OuterRef("pk")``
inside it stays a name until compile time: then ``ResolvedOuterRef`` asks the
*parent* compiler to resolve and compile the name, so it reads the outer
row's column::

    Book.objects.filter(Exists(Review.objects.filter(book_id=OuterRef("pk"))))
      -> WHERE EXISTS(SELECT 1 AS "a" FROM "review" U0
                      WHERE U0."book_id" = ("book"."id") LIMIT 1)

Subqueries are compiled every time (their SQL is not cached by shape).
"""

from tinyframe.db.models.expressions import Expression, F, NoShape
from tinyframe.db.models.lookups import EmptyResultSet


class OuterRef(F):
    """A name resolved in the *outer* query of a ``Subquery`` or ``Exists``."""

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        """Stays unresolved until the subquery is placed inside its outer query."""
        if isinstance(self.name, OuterRef):
            return self.name
        return ResolvedOuterRef(self.name)


class ResolvedOuterRef(F):
    """An ``OuterRef`` inside a subquery, compiled against the outer query's table."""

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        return self

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        """Resolve the name in the outer query and compile it with the outer compiler."""
        outer = compiler.parent
        if outer is None:
            raise ValueError("This queryset contains a reference to an outer query and may only be used in a subquery.")
        expression = outer.query.resolve_ref(self.name)
        sql, params = outer.compile(expression)
        return f"({sql})", params

    def shape(self, params, connection):
        raise NoShape

    contains_aggregate = False

    def get_group_by_cols(self) -> list:
        return []


class Subquery(Expression):
    """A QuerySet used as a value inside another query: ``(SELECT ... )``, which may use ``OuterRef``."""

    template = "({subquery})"
    empty_result_set_value = None  # selected, a subquery that can find no row reads NULL

    def __init__(self, queryset, output_field=None):
        super().__init__(output_field=output_field)
        self.query = getattr(queryset, "query", queryset)

    def _resolve_output_field(self):
        return self.query.output_field_of_single_column()

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        resolved = self.copy()
        resolved.query = self.query.clone()
        # >>> 07_relations
        if query is not None:
            from tinyframe.db.models.sql import joins  # sql.query imports this module: a cycle

            joins.resolve_outer_refs(resolved.query, query)
        # <<< 07_relations
        return resolved

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        sql, params = compiler.subquery_compiler(self.query).as_sql()
        return self.template.format(subquery=sql), list(params)

    def shape(self, params, connection):
        raise NoShape

    def get_group_by_cols(self) -> list:
        return []


def subquery_of(queryset_query) -> Subquery:
    """A QuerySet used as a value (``pk__in=queryset``): a subquery selecting its key unless it chose a column."""
    query = queryset_query.clone()
    if query.values_select is None or query.values_select == ():
        query.values_select = ("pk",)
        query.hidden_annotations |= set(query.annotations)
    if not query.is_sliced:
        query.clear_ordering(force=True)
    subquery = Subquery(query)
    subquery.from_queryset = True
    return subquery


class Exists(Subquery):
    """``EXISTS(SELECT 1 ... LIMIT 1)``: true when the subquery has a row; negate it with ``~``."""

    template = "EXISTS({subquery})"
    empty_result_set_value = False

    def __init__(self, queryset, negated: bool = False):
        super().__init__(queryset)
        self.query = self.query.exists()
        self.negated = negated

    def __invert__(self) -> "Exists":
        clone = self.copy()
        clone.negated = not self.negated
        return clone

    def _resolve_output_field(self):
        from tinyframe.db.models import fields

        return fields.BooleanField()

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        try:
            sql, params = super().as_sql(compiler, connection)
        except EmptyResultSet:
            if self.negated:
                return "1", []  # no row exists, so NOT EXISTS holds everywhere
            raise
        return (f"NOT {sql}" if self.negated else sql), params
