"""Lookups and transforms: what ``title__icontains="dune"`` and ``published__year=2024`` mean in SQL.

How it works: ``Query.build_filter`` splits ``published__year__gte`` at the
double underscores. The first part names a field; each later part is looked
up on what came before, with ``get_transform`` (``year``: wraps the column in
an SQL function and has an output field of its own) and, for the last part,
``get_lookup`` (``gte``: compares). The result is one ``Lookup`` whose
``lhs`` is a column or a chain of transforms and whose ``rhs`` is a value (or
an expression)::

    GreaterThanOrEqual(lhs=Year(Col(published)), rhs=2024)
      -> CAST(strftime('%Y', "library_book"."published") AS INTEGER) >= ?   [2024]

Each built-in is a small class with a ``lookup_name`` and a line of SQL,
registered on the field classes at the bottom of this module (the date
transforms, ``year`` to ``time``, live with the other SQL functions in
``functions.py``); a project adds its own the same way
(``CharField.register_lookup(MyLookup)``).

The value is prepared twice, as Django does: ``field.get_prep_value`` when
the filter is built (so ``pages="abc"`` fails at once, naming the field),
then ``field.get_db_prep_value`` at compile time, for the connection. It is
always a bound parameter; pattern lookups escape their wildcards first.
"""

import re

from tinyframe.db import NotSupportedError
from tinyframe.db.models.expressions import Expression, Func, NoShape
from tinyframe.db.models.query_utils import RegisterLookupMixin


class EmptyResultSet(Exception):
    """A condition no row can match (``pk__in=[]``): the query returns nothing without running."""


class Lookup(Expression):
    """A comparison ``lhs <operator> rhs``, the leaves of a WHERE clause.

    A subclass sets ``lookup_name`` and ``operator`` (SQL with ``{rhs}`` where
    the right-hand side goes), and may override ``rhs_values`` to turn the
    value into the parameters the operator expects.
    """

    lookup_name = None
    operator = None
    prepare_rhs = True
    can_use_none_as_rhs = False  # True: None is a value to compare with (JSON's null), not IS NULL

    def __init__(self, lhs, rhs):
        super().__init__()
        self.lhs = lhs
        self.rhs = rhs if hasattr(rhs, "as_sql") else self.get_prep_lookup(rhs)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.lhs!r}, {self.rhs!r})"

    @property
    def rhs_is_expression(self) -> bool:
        return hasattr(self.rhs, "as_sql")

    def get_prep_lookup(self, value):
        """The value checked and converted by the field (``"3"`` -> ``3`` for an IntegerField)."""
        prepare = self.value_preparer()
        return value if prepare is None else prepare(value)

    def value_preparer(self):
        """The left-hand side field's ``get_prep_value``, or None when values are compared as given."""
        field = self.lhs._output_field_or_none
        if self.prepare_rhs and field is not None:
            return getattr(field, "get_prep_value", None)
        return None

    def get_source_expressions(self) -> list:
        return [self.lhs, self.rhs] if self.rhs_is_expression else [self.lhs]

    def set_source_expressions(self, expressions: list) -> None:
        if self.rhs_is_expression:
            self.lhs, self.rhs = expressions
        else:
            (self.lhs,) = expressions

    def _resolve_output_field(self):
        from tinyframe.db.models import fields

        return fields.BooleanField()

    def db_value(self, value, connection):
        """One value as the database takes it, through the left-hand side's field (None too: JSON's is ``null``)."""
        field = self.lhs._output_field_or_none
        if field is None:
            return value
        return field.get_db_prep_value(value, connection, prepared=True)

    def rhs_values(self, connection) -> list:
        """The parameters for a plain (not expression) right-hand side; one by default."""
        return [self.db_value(self.rhs, connection)]

    def rhs_sql(self, values: list) -> str:
        """The placeholders for those parameters."""
        return "?"

    def process_rhs(self, compiler, connection) -> tuple[str, list]:
        """``(sql, params)`` of the right-hand side: an expression compiled, or placeholders and values."""
        if self.rhs_is_expression:
            return compiler.compile(self.rhs)
        values = self.rhs_values(connection)
        return self.rhs_sql(values), values

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        lhs_sql, lhs_params = compiler.compile(self.lhs)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs_sql} {self.operator.format(rhs=rhs_sql)}", [*lhs_params, *rhs_params]

    def shape(self, params: list, connection) -> tuple:
        lhs_key = self.lhs.shape(params, connection)
        if self.rhs_is_expression:
            return (type(self), lhs_key, self.rhs.shape(params, connection))
        values = self.rhs_values(connection)
        params.extend(values)
        return (type(self), lhs_key, self.rhs_sql(values))

    def get_group_by_cols(self) -> list:
        return self.lhs.get_group_by_cols()


class Transform(RegisterLookupMixin, Func):
    """A function applied to the left-hand side before comparing (``year``, ``date``, ``lower``).

    A transform has an output field of its own, and so the lookups of that
    field: ``published__year__gte`` compares an integer.
    """

    arity = 1

    @property
    def lhs(self):
        return self.source_expressions[0]


# -- comparisons -------------------------------------------------------------------


class Exact(Lookup):
    """``field=value``: equality (``exact`` with None is turned into ``isnull`` by the query)."""

    lookup_name = "exact"
    operator = "= {rhs}"

    def __init__(self, lhs, rhs):
        # A QuerySet given as the value (not wrapped in Subquery) must name one row.
        if getattr(rhs, "from_queryset", False) and not rhs.query.has_limit_one():
            raise ValueError("The QuerySet value for an exact lookup must be limited to one result using slicing.")
        super().__init__(lhs, rhs)


class GreaterThan(Lookup):
    """``field__gt=value``."""

    lookup_name = "gt"
    operator = "> {rhs}"


class GreaterThanOrEqual(Lookup):
    """``field__gte=value``."""

    lookup_name = "gte"
    operator = ">= {rhs}"


class LessThan(Lookup):
    """``field__lt=value``."""

    lookup_name = "lt"
    operator = "< {rhs}"


class LessThanOrEqual(Lookup):
    """``field__lte=value``."""

    lookup_name = "lte"
    operator = "<= {rhs}"


class IsNull(Lookup):
    """``field__isnull=True``: ``IS NULL`` (False: ``IS NOT NULL``); the value is not a parameter."""

    lookup_name = "isnull"
    prepare_rhs = False

    def __init__(self, lhs, rhs):
        if not isinstance(rhs, bool):
            raise ValueError("The QuerySet value for an isnull lookup must be True or False.")
        super().__init__(lhs, rhs)

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        sql, params = compiler.compile(self.lhs)
        return f"{sql} IS {'' if self.rhs else 'NOT '}NULL", params

    def shape(self, params: list, connection) -> tuple:
        return (IsNull, self.rhs, self.lhs.shape(params, connection))


class In(Lookup):
    """``field__in=[...]`` or ``field__in=queryset``: ``IN (?, ?)`` or ``IN (SELECT ...)``.

    None is left out of the list (``x IN (NULL)`` is never true); an empty
    list matches nothing, and the query then returns no rows without running.
    """

    lookup_name = "in"
    operator = "IN {rhs}"

    def __init__(self, lhs, rhs):
        selected = getattr(getattr(rhs, "query", None), "values_select", None)
        if selected and len(selected) != 1:
            raise ValueError(f"The QuerySet value for the 'in' lookup must have 1 selected fields (received {len(selected)})")
        super().__init__(lhs, rhs)

    def get_prep_lookup(self, value):
        try:
            values = list(dict.fromkeys(value))
        except TypeError:  # unhashable items (JSON values): keep them all
            values = list(value)
        values = [item for item in values if item is not None]
        # The field is asked once for the whole list, not once per item: a list may hold
        # thousands of keys (prefetch_related's), and its queries are built per use.
        prepare = self.value_preparer()
        return values if prepare is None else list(map(prepare, values))

    def rhs_values(self, connection) -> list:
        if not self.rhs:
            raise EmptyResultSet
        field = self.lhs._output_field_or_none
        if field is None:
            return list(self.rhs)
        return [None if value is None else field.get_db_prep_value(value, connection, prepared=True) for value in self.rhs]

    def rhs_sql(self, values: list) -> str:
        return "(" + ", ".join("?" * len(values)) + ")"


class Range(Lookup):
    """``field__range=(low, high)``: ``BETWEEN low AND high``, both ends included."""

    lookup_name = "range"
    operator = "BETWEEN {rhs}"

    def get_prep_lookup(self, value):
        low, high = value
        return [super().get_prep_lookup(low), super().get_prep_lookup(high)]

    def rhs_values(self, connection) -> list:
        return [self.db_value(value, connection) for value in self.rhs]

    def rhs_sql(self, values: list) -> str:
        return "? AND ?"


# -- text patterns -------------------------------------------------------------------


def escape_like(text: str) -> str:
    r"""Escape LIKE's wildcards (and the escape character) so they match themselves.

    >>> escape_like("100%_off\\")
    '100\\%\\_off\\\\'
    """
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def escape_glob(text: str) -> str:
    """Escape GLOB's wildcards by putting each in brackets, where it means itself.

    >>> escape_glob("a*b?[c]")
    'a[*]b[?][[]c]'
    """
    return re.sub(r"([*?\[])", r"[\1]", text)


class PatternLookup(Lookup):
    """A text pattern: the value is escaped, then wrapped in wildcards (``pattern``).

    Case-sensitive lookups use GLOB (wildcards ``*``), case-insensitive ones
    LIKE (wildcards ``%``, ``ESCAPE '\\'``): SQLite's LIKE ignores the case of
    ASCII letters, GLOB never does. (Django uses LIKE for both on SQLite, so
    its ``contains`` ignores case there; ours keeps the case, as on other
    databases.)
    """

    pattern = "{}"
    case_sensitive = True
    prepare_rhs = False

    def rhs_values(self, connection) -> list:
        """The lookup's one parameter: the value as text, its wildcards escaped, put into ``pattern``.

        Exercise 06.5. A user's ``%`` or ``_`` (LIKE) or ``*``, ``?`` and
        ``[`` (GLOB) must match themselves, never act as wildcards: escape the
        text with ``escape_glob`` when the lookup is case-sensitive, with
        ``escape_like`` otherwise. Then fill in ``pattern`` ("%{}%" for
        contains, "{}%" for startswith...): its "%" becomes the operator's
        wildcard ("*" for GLOB, "%" for LIKE), its "{}" the escaped text.
        ``Contains("a_b")`` gives ``["*a_b*"]``; ``IContains("a_b")`` gives
        ``["%a\\_b%"]``.
        """
        text = str(self.rhs)
        escaped = escape_glob(text) if self.case_sensitive else escape_like(text)
        wildcard = "*" if self.case_sensitive else "%"
        return [self.pattern.replace("%", wildcard).replace("{}", escaped)]

    @property
    def operator(self) -> str:
        return "GLOB {rhs}" if self.case_sensitive else "LIKE {rhs} ESCAPE '\\'"

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        if not self.rhs_is_expression:
            return super().as_sql(compiler, connection)
        # A column on the right (title__contains=F("other")): compare with INSTR and SUBSTR,
        # so nothing in the other column acts as a wildcard.
        lhs_sql, lhs_params = compiler.compile(self.lhs)
        rhs_sql, rhs_params = compiler.compile(self.rhs)
        if not self.case_sensitive:
            lhs_sql, rhs_sql = f"UPPER({lhs_sql})", f"UPPER({rhs_sql})"
        if self.pattern == "%{}%":
            return f"INSTR({lhs_sql}, {rhs_sql}) > 0", [*lhs_params, *rhs_params]
        if self.pattern == "{}%":
            return f"INSTR({lhs_sql}, {rhs_sql}) = 1", [*lhs_params, *rhs_params]
        if self.pattern == "%{}":
            sql = f"SUBSTR({lhs_sql}, LENGTH({lhs_sql}) - LENGTH({rhs_sql}) + 1) = {rhs_sql}"
            return sql, [*lhs_params, *lhs_params, *rhs_params, *rhs_params]
        return f"{lhs_sql} = {rhs_sql}", [*lhs_params, *rhs_params]

    def shape(self, params: list, connection) -> tuple:
        if self.rhs_is_expression:
            raise NoShape  # the SQL above repeats its parts; compile it each time
        return super().shape(params, connection)


class IExact(PatternLookup):
    """``field__iexact="dune"``: equal, ignoring the case of ASCII letters."""

    lookup_name = "iexact"
    case_sensitive = False


class Contains(PatternLookup):
    """``field__contains="un"``: a case-sensitive substring."""

    lookup_name = "contains"
    pattern = "%{}%"


class IContains(Contains):
    """``field__icontains="UN"``: a substring, ignoring case."""

    lookup_name = "icontains"
    case_sensitive = False


class StartsWith(PatternLookup):
    """``field__startswith="Du"``."""

    lookup_name = "startswith"
    pattern = "{}%"


class IStartsWith(StartsWith):
    """``field__istartswith="du"``."""

    lookup_name = "istartswith"
    case_sensitive = False


class EndsWith(PatternLookup):
    """``field__endswith="ne"``."""

    lookup_name = "endswith"
    pattern = "%{}"


class IEndsWith(EndsWith):
    """``field__iendswith="NE"``."""

    lookup_name = "iendswith"
    case_sensitive = False


class Regex(Lookup):
    """``field__regex=r"^D"``: Python's ``re.search``, through the REGEXP function the backend defines."""

    lookup_name = "regex"
    operator = "REGEXP {rhs}"
    prepare_rhs = False

    def rhs_values(self, connection) -> list:
        return [str(self.rhs)]


class IRegex(Regex):
    """``field__iregex=r"^d"``: the same, ignoring case (the pattern gets ``(?i)``)."""

    lookup_name = "iregex"
    operator = "REGEXP '(?i)' || {rhs}"


# -- lookups SQLite cannot do ---------------------------------------------------------


class UnsupportedLookup(Lookup):
    """A lookup that has a meaning Django gives it but SQLite cannot compute: refused, naming it.

    Registered on ``JSONField`` as ``contains`` and ``contained_by``: there they mean
    containment of JSON documents (``{"a": 1, "b": 2}`` contains ``{"a": 1}``), which
    Django does on PostgreSQL and refuses on SQLite. Inherited from ``Field``, the text
    ``contains`` would instead search the stored JSON for the value's Python repr and
    silently match nothing. Refused when the query is compiled, as in Django, with its
    message; the other text lookups (``icontains``, ``startswith``...) search the JSON
    text on SQLite in Django too, and are left alone.
    """

    prepare_rhs = False

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        raise NotSupportedError(f"{self.lookup_name} lookup is not supported on this database backend.")

    def shape(self, params: list, connection) -> tuple:
        return self.as_sql(None, connection)  # the compiler asks for the shape first


class JSONContains(UnsupportedLookup):
    """``json_field__contains={"a": 1}``: refused on SQLite, as Django does."""

    lookup_name = "contains"


class JSONContainedBy(UnsupportedLookup):
    """``json_field__contained_by={"a": 1, "b": 2}``: refused on SQLite, as Django does."""

    lookup_name = "contained_by"


def register_builtins() -> None:
    """Register the built-in lookups on ``Field``, the date transforms on the date fields, and JSONField's refusals.

    Then the lookups some field types answer their own way, under the same names (``field_lookups.py``).
    """
    from tinyframe.db.models import field_lookups, fields
    from tinyframe.db.models.functions import (
        ExtractDay, ExtractHour, ExtractMinute, ExtractMonth, ExtractSecond, ExtractWeekDay, ExtractYear,
        TruncDate, TruncTime,
    )  # fmt: skip

    for lookup in (
        Exact, IExact, GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual, In, Range, IsNull,
        Contains, IContains, StartsWith, IStartsWith, EndsWith, IEndsWith, Regex, IRegex,
    ):  # fmt: skip
        fields.Field.register_lookup(lookup)
    for lookup in (JSONContains, JSONContainedBy):
        fields.JSONField.register_lookup(lookup)
    field_lookups.register()
    date_parts = (ExtractYear, ExtractMonth, ExtractDay, ExtractWeekDay)
    for transform in date_parts:
        fields.DateField.register_lookup(transform)
    for transform in (*date_parts, ExtractHour, ExtractMinute, ExtractSecond, TruncDate, TruncTime):
        fields.DateTimeField.register_lookup(transform)
    for transform in (ExtractHour, ExtractMinute, ExtractSecond):
        fields.TimeField.register_lookup(transform)


register_builtins()
