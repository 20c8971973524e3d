"""Database functions: Coalesce, Lower, Upper, Length, Concat, Random, and the parts of dates.

How it works: each is a ``Func`` naming its SQL function; ``Lower``,
``Upper`` and ``Length`` are also transforms, so a project may register them
on a field (``CharField.register_lookup(Lower)``) and filter with
``title__lower="dune"``. The date and time parts (``ExtractYear``...,
``TruncDate``, ``TruncTime``) are transforms the lookups module registers on
the date fields: ``published__year=2024`` is ``ExtractYear``.

>>> Lower("title")
Lower(F(title))
"""

from tinyframe.db.models.expressions import Func, Value
from tinyframe.db.models.lookups import Transform


class Coalesce(Func):
    """The first of its arguments that is not NULL: ``Coalesce("nickname", "name")``."""

    function = "COALESCE"

    def __init__(self, *expressions, **extra):
        if len(expressions) < 2:
            raise ValueError("Coalesce must take at least two expressions")
        super().__init__(*expressions, **extra)


class Lower(Transform):
    """Text in lower case (ASCII letters only, in SQLite)."""

    function = "LOWER"
    lookup_name = "lower"


class Upper(Transform):
    """Text in upper case (ASCII letters only, in SQLite)."""

    function = "UPPER"
    lookup_name = "upper"


class Length(Transform):
    """The number of characters of a text (NULL for NULL)."""

    function = "LENGTH"
    lookup_name = "length"

    def _resolve_output_field(self):
        from tinyframe.db.models import fields

        return fields.IntegerField()


class Concat(Func):
    """Texts joined end to end; a NULL counts as an empty text (``Concat("first", Value(" "), "last")``)."""

    template = "{expressions}"
    arg_joiner = " || "

    def __init__(self, *expressions, **extra):
        if len(expressions) < 2:
            raise ValueError("Concat must take at least two expressions")
        super().__init__(*expressions, **extra)

    def as_sql(self, compiler, connection, template=None, **extra) -> tuple[str, list]:
        parts, params = [], []
        for source in self.source_expressions:
            sql, source_params = compiler.compile(source)
            parts.append(f"COALESCE({sql}, '')")
            params.extend(source_params)
        return f"({self.arg_joiner.join(parts)})", params

    def _resolve_output_field(self):
        from tinyframe.db.models import fields

        return fields.TextField()


class Random(Func):
    """A random number per row: ``order_by("?")`` sorts by it."""

    function = "RANDOM"
    template = "RANDOM()"

    def _resolve_output_field(self):
        from tinyframe.db.models import fields

        return fields.FloatField()


class Extract(Transform):
    """A part of a date or datetime as an integer, read with SQLite's ``strftime``.

    Datetimes are stored in UTC, so with ``USE_TZ`` the parts are UTC's.
    """

    format = None
    template = "CAST(strftime('{format}', {expressions}) AS INTEGER)"

    def as_sql(self, compiler, connection, template=None, **extra) -> tuple[str, list]:
        return super().as_sql(compiler, connection, template=template, format=self.format, **extra)

    def shape_identity(self) -> tuple:
        return (type(self),)

    def _resolve_output_field(self):
        from tinyframe.db.models import fields

        return fields.IntegerField()


class ExtractYear(Extract):
    """``published__year=2024``."""

    lookup_name = "year"
    format = "%Y"


class ExtractMonth(Extract):
    """``published__month=2`` (1-12)."""

    lookup_name = "month"
    format = "%m"


class ExtractDay(Extract):
    """``published__day=29`` (1-31)."""

    lookup_name = "day"
    format = "%d"


class ExtractWeekDay(Extract):
    """``published__week_day=1``: 1 is Sunday and 7 Saturday, as in Django."""

    lookup_name = "week_day"
    format = "%w"
    template = "(CAST(strftime('{format}', {expressions}) AS INTEGER) + 1)"


class ExtractHour(Extract):
    """``published__hour=13`` (0-23)."""

    lookup_name = "hour"
    format = "%H"


class ExtractMinute(Extract):
    """``published__minute=5``."""

    lookup_name = "minute"
    format = "%M"


class ExtractSecond(Extract):
    """``published__second=30``."""

    lookup_name = "second"
    format = "%S"


class TruncDate(Transform):
    """``published__date=date(2024, 2, 29)``: the date part of a datetime."""

    lookup_name = "date"
    function = "date"

    def _resolve_output_field(self):
        from tinyframe.db.models import fields

        return fields.DateField()


class TruncTime(Transform):
    """``published__time=time(12, 0)``: the time part of a datetime."""

    lookup_name = "time"
    function = "time"

    def _resolve_output_field(self):
        from tinyframe.db.models import fields

        return fields.TimeField()


__all__ = [
    "Coalesce", "Concat", "Extract", "ExtractDay", "ExtractHour", "ExtractMinute", "ExtractMonth", "ExtractSecond",
    "ExtractWeekDay", "ExtractYear", "Length", "Lower", "Random", "TruncDate", "TruncTime", "Upper", "Value",
]  # fmt: skip
