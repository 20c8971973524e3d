"""Expressions: pieces of SQL built from Python objects — F("pages") + 1, Value("x"), Case(When(...)).

How it works: an expression goes through three stages.

1. Built by the user: ``F("pages") * 2`` is a ``CombinedExpression(F("pages"),
   "*", Value(2))``. Nothing is known yet about tables or fields.
2. Resolved against a query (``resolve_expression(query)``): a copy is made
   whose names are replaced by what they mean there — ``F("pages")`` becomes
   ``Col(pages_field)``, an annotation's name becomes the annotation. Only
   now is the ``output_field`` known, the field whose type the SQL value has.
3. Compiled (``as_sql(compiler, connection) -> (sql, params)``): each node
   writes its SQL around its sources' SQL, and its values go to ``params``,
   never into the SQL text.

Every node also has a ``shape(params, connection)``: the same walk as
``as_sql`` that appends the parameters and returns a hashable key with the
values left out. Two queries of one shape share one SQL string, which
``tinyframe.db.models.sql.compiler`` caches (see there). A node that cannot
promise that (a subquery, say) raises ``NoShape`` and is compiled every time.
"""

import copy
import datetime
import decimal
import uuid

from tinyframe.core.exceptions import FieldError


class NoShape(Exception):
    """Raised by ``shape()`` for an expression whose SQL is not cached by shape."""


def field_for_value(value):
    """The field type a plain Python value is, for ``Value(value)`` without an ``output_field``."""
    from tinyframe.db.models import fields

    for python_type, field_name in (
        (bool, "BooleanField"),
        (int, "IntegerField"),
        (float, "FloatField"),
        (str, "CharField"),
        (decimal.Decimal, "DecimalField"),
        (datetime.datetime, "DateTimeField"),
        (datetime.date, "DateField"),
        (datetime.time, "TimeField"),
        (datetime.timedelta, "DurationField"),
        (uuid.UUID, "UUIDField"),
    ):
        if isinstance(value, python_type):
            field_class = getattr(fields, field_name, None)
            return field_class() if field_class else None
    return None


class Combinable:
    """Arithmetic on expressions: ``F("pages") + 1`` builds SQL, not a number."""

    def _combine(self, other, connector: str, reversed_operands: bool = False):
        if not hasattr(other, "resolve_expression"):
            other = Value(other)
        if reversed_operands:
            return CombinedExpression(other, connector, self)
        return CombinedExpression(self, connector, other)

    def __add__(self, other):
        return self._combine(other, "+")

    def __sub__(self, other):
        return self._combine(other, "-")

    def __mul__(self, other):
        return self._combine(other, "*")

    def __truediv__(self, other):
        return self._combine(other, "/")

    def __mod__(self, other):
        return self._combine(other, "%")

    def __neg__(self):
        return self._combine(-1, "*")

    def __radd__(self, other):
        return self._combine(other, "+", True)

    def __rsub__(self, other):
        return self._combine(other, "-", True)

    def __rmul__(self, other):
        return self._combine(other, "*", True)

    def __rtruediv__(self, other):
        return self._combine(other, "/", True)

    def __rmod__(self, other):
        return self._combine(other, "%", True)

    def __and__(self, other):
        from tinyframe.db.models.query_utils import Q

        if getattr(self, "conditional", False) and getattr(other, "conditional", False):
            return Q(self) & Q(other)
        raise NotImplementedError("Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations.")

    def __or__(self, other):
        from tinyframe.db.models.query_utils import Q

        if getattr(self, "conditional", False) and getattr(other, "conditional", False):
            return Q(self) | Q(other)
        raise NotImplementedError("Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations.")


class BaseExpression:
    """What every expression can do: resolve against a query, name its type, compile, sort."""

    is_summary = False

    def __init__(self, output_field=None):
        if output_field is not None:
            self.output_field = output_field

    # -- the tree -----------------------------------------------------------------

    def get_source_expressions(self) -> list:
        """The expressions this one is built from, in the order their SQL appears."""
        return []

    def set_source_expressions(self, expressions: list) -> None:
        """Replace the sources (a resolved copy calls it with the resolved ones)."""
        if expressions:
            raise TypeError(f"{type(self).__name__} has no source expressions.")

    def copy(self):
        """A shallow copy, changed by ``resolve_expression`` while the original stays as the user built it."""
        return copy.copy(self)

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        """A copy whose sources are resolved against ``query`` (names become columns)."""
        resolved = self.copy()
        resolved.set_source_expressions(
            [
                source.resolve_expression(query, allow_joins, reuse, summarize, for_save) if source is not None else None
                for source in self.get_source_expressions()
            ]
        )
        return resolved

    @property
    def contains_aggregate(self) -> bool:  # noqa: F811 - a property over the class default
        return any(source is not None and source.contains_aggregate for source in self.get_source_expressions())

    def get_group_by_cols(self) -> list:
        """What GROUP BY needs when this expression is selected beside an aggregate."""
        if not self.contains_aggregate:
            return [self]
        return [col for source in self.get_source_expressions() for col in source.get_group_by_cols()]

    # -- the type -------------------------------------------------------------------

    @property
    def output_field(self):
        """The field describing the SQL value's type; inferred from the sources when not given."""
        field = self.__dict__.get("_output_field_cache")
        if field is None:
            field = self._resolve_output_field()
            if field is None:
                raise FieldError("Cannot resolve expression type, unknown output_field")
            self.__dict__["_output_field_cache"] = field
        return field

    @output_field.setter
    def output_field(self, field) -> None:
        self.__dict__["_output_field_cache"] = field

    @property
    def _output_field_or_none(self):
        """The output field, or None when nothing tells it; conflicting sources still raise FieldError."""
        field = self.__dict__.get("_output_field_cache")
        if field is None:
            field = self._resolve_output_field()
            if field is not None:
                self.__dict__["_output_field_cache"] = field
        return field

    def _resolve_output_field(self):
        fields = [source._output_field_or_none for source in self.get_source_expressions() if source is not None]
        fields = [field for field in fields if field is not None]
        if not fields:
            return None
        first = fields[0]
        for field in fields[1:]:
            if type(field) is not type(first):
                names = ", ".join(sorted({type(field).__name__ for field in fields}))
                raise FieldError(f"Expression contains mixed types: {names}. You must set output_field.")
        return first

    @property
    def conditional(self) -> bool:
        return type(self._output_field_or_none).__name__ == "BooleanField"

    def get_db_converters(self, connection) -> list:
        """Functions turning this expression's database value into Python (the output field's ``from_db_value``).

        A field may read a computed value differently from its column's
        (``expression_from_db_value``): a DecimalField rounds its column to
        its places, but not ``F("price") / 3`` or ``Avg("price")``.
        """
        field = self._output_field_or_none
        converter = getattr(field, "expression_from_db_value", None) or getattr(field, "from_db_value", None)
        return [converter] if converter else []

    def get_lookup(self, lookup_name: str):
        """Filtering on an annotation uses the lookups of its output field."""
        return self.output_field.get_lookup(lookup_name)

    def get_transform(self, lookup_name: str):
        """Transforms of the output field (``published_day__year``)."""
        return self.output_field.get_transform(lookup_name)

    # -- SQL ----------------------------------------------------------------------

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        """``(sql, params)`` for this expression; subclasses write it."""
        raise NotImplementedError(f"{type(self).__name__} must define as_sql().")

    def shape_identity(self) -> tuple:
        """What, besides its sources, decides this node's SQL (its class, a function name...)."""
        return (type(self),)

    def shape(self, params: list, connection) -> tuple:
        """The key of this node's SQL with the values left out; appends the values to ``params``.

        Walks the sources in the order their SQL appears, as ``as_sql`` does.
        """
        keys = [self.shape_identity()]
        for source in self.get_source_expressions():
            keys.append(None if source is None else source.shape(params, connection))
        return tuple(keys)

    def asc(self, nulls_first=None, nulls_last=None) -> "OrderBy":
        """This expression as an ascending ORDER BY term."""
        return OrderBy(self, descending=False, nulls_first=nulls_first, nulls_last=nulls_last)

    def desc(self, nulls_first=None, nulls_last=None) -> "OrderBy":
        """This expression as a descending ORDER BY term."""
        return OrderBy(self, descending=True, nulls_first=nulls_first, nulls_last=nulls_last)


class Expression(BaseExpression, Combinable):
    """An expression that also does arithmetic: the base of everything users build."""


class F(Combinable):
    """A reference to a field (or an annotation) by name, resolved to its column inside a query.

    ``Book.objects.update(pages=F("pages") + 1)`` adds one in SQL, without
    reading the value into Python and racing other writers.
    """

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"F({self.name})"

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and other.name == self.name

    def __hash__(self):
        return hash(self.name)

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        """The column (or annotation) this name means in ``query``."""
        # >>> 07_relations
        if for_save:
            allow_joins = False  # a value to INSERT or UPDATE cannot read a joined table: Django's FieldError
        # <<< 07_relations
        return query.resolve_ref(self.name, allow_joins, reuse, summarize)

    def asc(self, nulls_first=None, nulls_last=None) -> "OrderBy":
        """``F("title").asc()``: ascending order by the field."""
        return OrderBy(self, descending=False, nulls_first=nulls_first, nulls_last=nulls_last)

    def desc(self, nulls_first=None, nulls_last=None) -> "OrderBy":
        """``F("title").desc()``: descending order by the field."""
        return OrderBy(self, descending=True, nulls_first=nulls_first, nulls_last=nulls_last)

    contains_aggregate = False


class Value(Expression):
    """A Python value sent to SQL as a parameter: ``annotate(kind=Value("book"))``."""

    def __init__(self, value, output_field=None):
        super().__init__(output_field=output_field)
        self.value = value

    def __repr__(self) -> str:
        return f"Value({self.value!r})"

    def _resolve_output_field(self):
        return field_for_value(self.value)

    def db_value(self, connection):
        """The value as sqlite3 takes it: through the output field's ``get_db_prep_value``."""
        field = self._output_field_or_none
        if field is None:
            return self.value
        # None too: for a JSONField, Value(None, JSONField()) is the JSON null, not SQL's NULL.
        return field.get_db_prep_value(self.value, connection, prepared=False)

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        return "?", [self.db_value(connection)]

    def shape(self, params, connection):
        params.append(self.db_value(connection))
        return (Value,)

    def get_group_by_cols(self) -> list:
        return []


class Col(Expression):
    """A model field's column in the query's table: ``"library_book"."title"``."""

    # >>> 07_relations
    alias = None  # a joined table's alias (sql/joins.py sets it); None: the query's own table
    # <<< 07_relations

    def __init__(self, target):
        super().__init__(output_field=target)
        self.target = target

    def __repr__(self) -> str:
        return f"Col({self.target.model._meta.db_table}.{self.target.column})"

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        # >>> 07_relations
        if self.alias is not None:
            return f"{compiler.quote_alias(self.alias)}.{compiler.quote_name(self.target.column)}", []
        # <<< 07_relations
        return compiler.qualify(self.target.column), []

    def shape_identity(self) -> tuple:
        # >>> 07_relations
        if self.alias is not None:
            return (Col, self.alias, self.target.column)
        # <<< 07_relations
        return (Col, self.target.column)

    def get_db_converters(self, connection) -> list:
        converter = getattr(self.target, "from_db_value", None)
        return [converter] if converter else []


class Ref(Expression):
    """A selected annotation named by its alias (``ORDER BY "n"``, or an outer query's column)."""

    def __init__(self, refs: str, source):
        super().__init__()
        self.refs = refs
        self.source = source

    def _resolve_output_field(self):
        return self.source._output_field_or_none

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        return connection.ops.quote_name(self.refs), []

    def shape_identity(self) -> tuple:
        return (Ref, self.refs)

    def get_group_by_cols(self) -> list:
        return [self]


class Star(Expression):
    """The ``*`` of ``COUNT(*)``."""

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        return "*", []


class Func(Expression):
    """An SQL function call: ``function(arg, arg...)``; subclasses name the function (``Lower``, ``Length``).

    ``template`` is a ``str.format`` template with ``{function}`` and
    ``{expressions}`` (the arguments' SQL joined by ``arg_joiner``).
    """

    function = None
    template = "{function}({expressions})"
    arg_joiner = ", "
    arity = None

    def __init__(self, *expressions, output_field=None, **extra):
        if self.arity is not None and len(expressions) != self.arity:
            plural = "" if self.arity == 1 else "s"
            raise TypeError(
                f"'{type(self).__name__}' takes exactly {self.arity} argument{plural} ({len(expressions)} given)"
            )
        super().__init__(output_field=output_field)
        self.source_expressions = [parse_expression(expression) for expression in expressions]
        self.extra = extra

    def __repr__(self) -> str:
        arguments = ", ".join(map(repr, self.source_expressions))
        return f"{type(self).__name__}({arguments})"

    def get_source_expressions(self) -> list:
        return self.source_expressions

    def set_source_expressions(self, expressions: list) -> None:
        self.source_expressions = list(expressions)

    def shape_identity(self) -> tuple:
        identity = (type(self), self.function, self.template, self.arg_joiner, tuple(sorted(self.extra.items())))
        try:
            hash(identity)
        except TypeError:  # an unhashable extra argument: compile this one every time
            raise NoShape from None
        return identity

    def as_sql(self, compiler, connection, template=None, **extra) -> tuple[str, list]:
        parts, params = [], []
        for source in self.source_expressions:
            sql, source_params = compiler.compile(source)
            parts.append(sql)
            params.extend(source_params)
        context = {"function": self.function, **self.extra, **extra}
        context["expressions"] = self.arg_joiner.join(parts)
        return (template or self.template).format(**context), params


def parse_expression(value):
    """A string argument names a field (``Lower("title")``); anything else not an expression is a Value."""
    if isinstance(value, str):
        return F(value)
    if hasattr(value, "resolve_expression"):
        return value
    return Value(value)


class ExpressionWrapper(Expression):
    """An expression with an ``output_field`` given by hand, when mixing types leaves it unknown."""

    def __init__(self, expression, output_field):
        super().__init__(output_field=output_field)
        self.expression = expression

    def get_source_expressions(self) -> list:
        return [self.expression]

    def set_source_expressions(self, expressions: list) -> None:
        (self.expression,) = expressions

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        return compiler.compile(self.expression)

    def get_group_by_cols(self) -> list:
        return self.expression.get_group_by_cols()


class OrderBy(Expression):
    """One ORDER BY term: an expression, ascending or descending, NULLs first or last if asked."""

    def __init__(self, expression, descending: bool = False, nulls_first=None, nulls_last=None):
        if nulls_first and nulls_last:
            raise ValueError("nulls_first and nulls_last are mutually exclusive")
        super().__init__()
        self.expression = expression
        self.descending = descending
        self.nulls_first, self.nulls_last = nulls_first, nulls_last

    def __repr__(self) -> str:
        return f"OrderBy({self.expression!r}, descending={self.descending})"

    def get_source_expressions(self) -> list:
        return [self.expression]

    def set_source_expressions(self, expressions: list) -> None:
        (self.expression,) = expressions

    def shape_identity(self) -> tuple:
        return (OrderBy, self.descending, self.nulls_first, self.nulls_last)

    def reverse_ordering(self) -> "OrderBy":
        """The same term in the other direction (``QuerySet.reverse()``, ``last()``)."""
        reversed_term = self.copy()
        reversed_term.descending = not self.descending
        if self.nulls_first or self.nulls_last:
            reversed_term.nulls_first, reversed_term.nulls_last = self.nulls_last, self.nulls_first
        return reversed_term

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        sql, params = compiler.compile(self.expression)
        sql = f"{sql} {'DESC' if self.descending else 'ASC'}"
        if self.nulls_first:
            sql += " NULLS FIRST"
        elif self.nulls_last:
            sql += " NULLS LAST"
        return sql, params


class RawSQL(Expression):
    """A piece of SQL written by hand, with its own parameters (bound, like every value)."""

    def __init__(self, sql: str, params, output_field=None):
        super().__init__(output_field=output_field)
        self.sql, self.params = sql, list(params)

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        return f"({self.sql})", list(self.params)

    def shape_identity(self) -> tuple:
        return (RawSQL, self.sql, len(self.params))

    def shape(self, params, connection):
        params.extend(self.params)
        return self.shape_identity()


# Defined in modules of their own, importable from here as in Django.
from tinyframe.db.models.conditional import Case, When  # noqa: E402
from tinyframe.db.models.subquery import Exists, OuterRef, ResolvedOuterRef, Subquery  # noqa: E402

__all__ = [
    "Case", "Col", "CombinedExpression", "Exists", "Expression", "ExpressionWrapper", "F", "Func", "NoShape",
    "OrderBy", "OuterRef", "RawSQL", "Ref", "ResolvedOuterRef", "Star", "Subquery", "Value", "When",
]  # fmt: skip


# Arithmetic between expressions lives in its own module; Django's import path
# (tinyframe.db.models.expressions.CombinedExpression) keeps working.
from tinyframe.db.models.arithmetic import CombinedExpression  # noqa: E402
