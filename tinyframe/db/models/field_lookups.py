"""Lookups one field type answers its own way: integers SQLite cannot hold, UUIDs searched as text, JSON's null.

How it works: ``register()`` (called by ``lookups.register_builtins``)
registers these classes on ``IntegerField``, ``UUIDField`` and ``JSONField``
under the built-in names, so ``pages__lt=1.5`` on an integer builds an
``IntegerLessThan`` where ``title__lt`` builds a plain ``LessThan``. Each
is the built-in lookup with a mixin in front:

- ``IntegerFieldOverflow``: ``pk=2**64`` matches no row and
  ``pages__lt=2**70`` every row, without asking the database, whose
  integers have 64 bits (sqlite3 refuses to bind a bigger one);
- ``IntegerFieldFloatRounding``: ``pages__lt=1.5`` means ``pages < 2``;
- ``UUIDTextMixin``: a UUID is stored as 32 hex digits, so the text
  lookups (``u__startswith="1234abcd-"``) search for the text without its
  dashes;
- ``JSONExact``: ``json_field=None`` finds the JSON ``null``, not SQL's NULL.

The same rules as Django's, whose lookups of these names they are.
"""

import math

from tinyframe.db.models.expressions import Func, NoShape, Value
from tinyframe.db.models.fields.numeric import SQLITE_INTEGER_RANGE
from tinyframe.db.models.lookups import (
    Contains, EmptyResultSet, EndsWith, Exact, GreaterThan, GreaterThanOrEqual, IContains, IEndsWith, IExact,
    IStartsWith, LessThan, LessThanOrEqual, StartsWith,
)  # fmt: skip


# -- integers: numbers beyond 64 bits, and floats ---------------------------------------------

# What a lookup on an integer column matches when its value is beyond what the column holds.
NO_ROW, EVERY_ROW = "no row", "every row"


class IntegerFieldOverflow:
    """A comparison on an integer column whose value may be beyond SQLite's 64 bits.

    sqlite3 cannot bind such a number (OverflowError), but the answer needs
    no database: ``pk=2**64`` matches no row, ``pages__lt=2**70`` every row
    (NULLs too: the condition is dropped, as Django drops it). ``below_range``
    and ``above_range`` say which, for a value below the field's range
    (``min_value``: 0 for the positive fields) or above it. Decided where the
    query is compiled, once a query; such a query is compiled without the SQL
    cache (``shape`` raises NoShape): it is rare, and its SQL has a clause less.
    """

    below_range = NO_ROW
    above_range = NO_ROW

    def outside_range(self) -> str | None:
        """``NO_ROW`` or ``EVERY_ROW`` for a value the column cannot hold; None for one it can."""
        value = self.rhs
        if type(value) is not int:
            return None
        field = self.lhs._output_field_or_none
        if value < field.min_value:
            return self.below_range
        if value > SQLITE_INTEGER_RANGE[1]:
            return self.above_range
        return None

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        outside = self.outside_range()
        if outside is None:
            return super().as_sql(compiler, connection)
        if outside is NO_ROW:
            raise EmptyResultSet
        return "", []  # the WHERE clause's "every row"

    def shape(self, params: list, connection) -> tuple:
        if self.outside_range() is not None:
            raise NoShape
        return super().shape(params, connection)


class IntegerFieldFloatRounding:
    """``lt`` and ``gte`` with a float on an integer column: the float is rounded up, not truncated.

    ``int()`` truncates: ``n < 1.5`` would become ``n < 1`` and miss 1. For
    whole numbers ``n < 1.5`` is ``n < 2``, and ``n >= 1.5`` is ``n >= 2``.
    (``gt`` and ``lte`` are right truncated; ``exact`` truncates, as Django's does.)
    It changes ``value_preparer``, which ``get()``'s plan (``get_plans.py``)
    uses too, so both paths round alike.
    """

    def value_preparer(self):
        prepare = super().value_preparer()
        return lambda value: prepare(math.ceil(value) if isinstance(value, float) else value)


class IntegerFieldExact(IntegerFieldOverflow, Exact):
    """``exact`` on an integer column: a value it cannot hold matches no row."""


class IntegerGreaterThan(IntegerFieldOverflow, GreaterThan):
    """``gt`` on an integer column: every row is greater than a value below its range."""

    below_range = EVERY_ROW


class IntegerGreaterThanOrEqual(IntegerFieldOverflow, IntegerFieldFloatRounding, GreaterThanOrEqual):
    """``gte`` on an integer column: a float rounded up; every row is above a value below the range."""

    below_range = EVERY_ROW


class IntegerLessThan(IntegerFieldOverflow, IntegerFieldFloatRounding, LessThan):
    """``lt`` on an integer column: a float rounded up; every row is below a value above the range."""

    above_range = EVERY_ROW


class IntegerLessThanOrEqual(IntegerFieldOverflow, LessThanOrEqual):
    """``lte`` on an integer column: every row is below a value above its range."""

    above_range = EVERY_ROW


# -- UUIDs searched as text -----------------------------------------------------------------


class UUIDTextMixin:
    """A text lookup on a UUIDField: the searched text loses its dashes, as the stored hex has none.

    ``u__startswith="1234abcd-12"`` searches ``1234abcd12``; a UUID given
    whole (``u__contains=some_uuid``) is its hex. Another column on the right
    (``u__contains=F("code")``) loses its dashes in SQL, through ``REPLACE``.
    """

    def __init__(self, lhs, rhs):
        if hasattr(rhs, "as_sql"):
            from tinyframe.db.models.fields import CharField

            rhs = Func(rhs, Value("-"), Value(""), function="REPLACE", output_field=CharField())
        super().__init__(lhs, rhs)

    def get_prep_lookup(self, value):
        return str(value).replace("-", "")


class UUIDIExact(UUIDTextMixin, IExact):
    """``u__iexact="1234ABCD-..."``: the UUID written in either case, with or without dashes."""


class UUIDContains(UUIDTextMixin, Contains):
    """``u__contains="5678-1234"``: a run of hex digits, dashes left out."""


class UUIDIContains(UUIDTextMixin, IContains):
    """``u__icontains``: ``contains`` ignoring case."""


class UUIDStartsWith(UUIDTextMixin, StartsWith):
    """``u__startswith="1234abcd-"``."""


class UUIDIStartsWith(UUIDTextMixin, IStartsWith):
    """``u__istartswith``: ``startswith`` ignoring case."""


class UUIDEndsWith(UUIDTextMixin, EndsWith):
    """``u__endswith="-567812345678"``."""


class UUIDIEndsWith(UUIDTextMixin, IEndsWith):
    """``u__iendswith``: ``endswith`` ignoring case."""


# -- JSON's null -----------------------------------------------------------------------------


class JSONExact(Exact):
    """``json_field=None``: the JSON ``null``, a value like any other, not SQL's NULL (``json_field__isnull=True``).

    A JSONField holds two kinds of nothing: saving None writes SQL NULL (a
    missing document), ``Value(None, JSONField())`` the JSON text ``null``.
    The query keeps them apart as Django does: ``=None`` compares with the
    text ``null`` (and ``exclude(json_field=None)`` leaves out the SQL NULLs
    too, NULL being no document at all), ``isnull`` finds the SQL NULLs.
    """

    can_use_none_as_rhs = True


def register() -> None:
    """Register the integer lookups on ``IntegerField`` (and its subclasses), the UUID ones, JSON's ``exact``."""
    from tinyframe.db.models import fields

    integer_lookups = (
        IntegerFieldExact, IntegerGreaterThan, IntegerGreaterThanOrEqual, IntegerLessThan, IntegerLessThanOrEqual,
    )  # fmt: skip
    for lookup in integer_lookups:
        fields.IntegerField.register_lookup(lookup)
    for lookup in (UUIDIExact, UUIDContains, UUIDIContains, UUIDStartsWith, UUIDIStartsWith, UUIDEndsWith, UUIDIEndsWith):
        fields.UUIDField.register_lookup(lookup)
    fields.JSONField.register_lookup(JSONExact)
