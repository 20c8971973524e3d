"""Aggregates: Count, Sum, Avg, Min, Max — one value computed over many rows.

How it works: an aggregate is a ``Func`` whose SQL function folds rows
(``COUNT``, ``SUM``...). Used in ``aggregate()``, it folds every row the
query selects into one result; used in ``annotate()``, it makes the query
grouped (``GROUP BY`` the other selected columns) and folds each group.
Two options change the SQL around the function::

    Count("id", distinct=True, filter=Q(pages__gt=100))
      -> COUNT(DISTINCT "library_book"."id") FILTER (WHERE "library_book"."pages" > ?)

(SQLite has ``FILTER`` since 3.30.) Over no rows at all, ``Count`` gives 0
and the others None, as in SQL.
"""

from tinyframe.core.exceptions import FieldError
from tinyframe.db.models.expressions import Func, NoShape, Star, Value


class Aggregate(Func):
    """The base of the aggregate functions: ``distinct=`` and ``filter=`` for all of them."""

    template = "{function}({distinct}{expressions}){filter}"
    allow_distinct = False
    allow_default = True
    empty_result_set_value = None
    contains_aggregate = True

    def __init__(self, *expressions, distinct: bool = False, filter=None, default=None, output_field=None):
        if distinct and not self.allow_distinct:
            raise TypeError(f"{type(self).__name__} does not allow distinct.")
        if default is not None and not self.allow_default:
            raise TypeError(f"{type(self).__name__} does not allow default.")
        super().__init__(*expressions, output_field=output_field)
        self.distinct = distinct
        self.filter = filter
        self.default = default
        if default is not None and not hasattr(default, "resolve_expression"):
            self.empty_result_set_value = default  # over no row at all: the default, as COALESCE gives it

    def __repr__(self) -> str:
        arguments = ", ".join(map(repr, self.source_expressions))
        extra = ", distinct=True" if self.distinct else ""
        extra += f", filter={self.filter!r}" if self.filter is not None else ""
        return f"{type(self).__name__}({arguments}{extra})"

    @property
    def default_alias(self) -> str:
        """The name ``aggregate(Count("id"))`` gives its result: ``id__count``."""
        sources = self.source_expressions
        if len(sources) == 1 and hasattr(sources[0], "name"):
            return f"{sources[0].name}__{type(self).__name__.lower()}"
        raise TypeError("Complex aggregates require an alias")

    def get_source_expressions(self) -> list:
        return [*self.source_expressions, self.filter] if self.filter is not None else list(self.source_expressions)

    def set_source_expressions(self, expressions: list) -> None:
        if self.filter is not None:
            *expressions, self.filter = expressions
        self.source_expressions = list(expressions)

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        """Resolve the arguments (an aggregate of an aggregate is an error) and the ``filter`` Q."""
        resolved = self.copy()
        sources = []
        for source in self.source_expressions:
            source = source.resolve_expression(query, allow_joins, reuse, summarize)
            if source.contains_aggregate:
                name = getattr(self.source_expressions[0], "name", repr(source))
                raise FieldError(f"Cannot compute {type(self).__name__}('{name}'): '{name}' is an aggregate")
            sources.append(source)
        resolved.source_expressions = sources
        if self.filter is not None:
            resolved.filter = self.filter.resolve_expression(query, allow_joins, reuse, summarize)
        return resolved

    def get_group_by_cols(self) -> list:
        return []

    def _resolve_output_field(self):
        # The type of what is folded; the filter (a condition) does not count.
        fields = [source._output_field_or_none for source in self.source_expressions]
        return next((field for field in fields if field is not None), None)

    def shape_identity(self) -> tuple:
        if self.default is not None:
            raise NoShape  # the COALESCE default's values are not walked
        return (type(self), self.distinct, self.filter is not None)

    def as_sql(self, compiler, connection, template=None, **extra) -> tuple[str, list]:
        filter_sql, filter_params = "", []
        if self.filter is not None:
            condition_sql, filter_params = compiler.compile(self.filter)
            if condition_sql:
                filter_sql = f" FILTER (WHERE {condition_sql})"
        sql, params = super().as_sql(
            compiler, connection, template=template, distinct="DISTINCT " if self.distinct else "", filter=filter_sql, **extra
        )
        if self.default is not None:
            default_sql, default_params = compiler.compile(self.default if hasattr(self.default, "as_sql") else Value(self.default))
            return f"COALESCE({sql}, {default_sql})", [*params, *filter_params, *default_params]
        return sql, [*params, *filter_params]


class Count(Aggregate):
    """How many rows (``Count("*")``) or non-NULL values (``Count("field")``, ``distinct=True``)."""

    function = "COUNT"
    allow_distinct = True
    allow_default = False  # over no rows a count is 0, never NULL: a default could not change it
    empty_result_set_value = 0

    def __init__(self, expression, filter=None, **extra):
        if expression == "*":
            expression = Star()
        super().__init__(expression, filter=filter, **extra)

    def _resolve_output_field(self):
        from tinyframe.db.models import fields

        return fields.IntegerField()

    def get_db_converters(self, connection) -> list:
        return [lambda value, expression, connection: 0 if value is None else value]


class Sum(Aggregate):
    """The total of a column (None over no rows)."""

    function = "SUM"
    allow_distinct = True


class Avg(Aggregate):
    """The mean of a column, a float (a Decimal for a DecimalField, a timedelta for a DurationField)."""

    function = "AVG"
    allow_distinct = True

    def _resolve_output_field(self):
        from tinyframe.db.models import fields

        source = super()._resolve_output_field()
        # A mean of microseconds (a DurationField's column) reads back as the timedelta it is.
        if source is not None and source.get_internal_type() in ("DecimalField", "DurationField"):
            return source
        return fields.FloatField()


class Min(Aggregate):
    """The smallest value of a column."""

    function = "MIN"


class Max(Aggregate):
    """The largest value of a column."""

    function = "MAX"
