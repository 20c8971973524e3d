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

import datetime
import zoneinfo

from tinyframe.conf import settings
from tinyframe.db.models.expressions import Func, Value
from tinyframe.db.models.lookups import Transform
from tinyframe.utils import timezone


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


def zone_name(zone: datetime.tzinfo) -> str:
    """A name for a time zone that survives being an SQL parameter: its key, or its offset in seconds.

    >>> zone_name(zoneinfo.ZoneInfo("Europe/Paris")), zone_name(datetime.timezone(datetime.timedelta(hours=-5)))
    ('Europe/Paris', '-18000')
    """
    key = getattr(zone, "key", None)
    if key:
        return key
    offset = zone.utcoffset(None)
    return "UTC" if not offset else f"{int(offset.total_seconds()):+d}"


class LocalTimePart(Transform):
    """A part of a datetime read in the current time zone, as Django reads it.

    Datetimes are stored in UTC. When the current time zone is UTC (or
    ``USE_TZ`` is off, or the column is a date), SQLite's own functions read
    the part; otherwise a Python function registered on the connection
    converts each value to the current time zone first, so
    ``published__day=1`` means the first of the month where the user is.
    """

    part = None

    def zone(self) -> str | None:
        """The current time zone's name when the part must be read there; None when UTC's is right."""
        if not settings.USE_TZ or self.lhs.output_field.get_internal_type() != "DateTimeField":
            return None
        name = zone_name(timezone.get_current_timezone())
        return None if name == "UTC" else name

    def utc_sql(self, compiler, connection) -> tuple[str, list]:
        """The SQL reading the part of the stored (UTC) value."""
        return Func.as_sql(self, compiler, connection)

    def as_sql(self, compiler, connection, template=None, **extra) -> tuple[str, list]:
        zone = self.zone()
        if zone is None:
            return self.utc_sql(compiler, connection)
        sql, params = compiler.compile(self.lhs)
        return f"tinyframe_local_part('{self.part}', {sql}, ?)", [*params, zone]

    def shape(self, params: list, connection) -> tuple:
        zone = self.zone()
        key = (type(self), zone is not None, self.lhs.shape(params, connection))
        if zone is not None:
            params.append(zone)
        return key


class Extract(LocalTimePart):
    """A part of a date or datetime as an integer (``strftime`` in UTC, see ``LocalTimePart``)."""

    format = None
    template = "CAST(strftime('{format}', {expressions}) AS INTEGER)"

    @property
    def part(self) -> str:
        return self.lookup_name

    def utc_sql(self, compiler, connection) -> tuple[str, list]:
        return Func.as_sql(self, compiler, connection, format=self.format)

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


class TruncDate(LocalTimePart):
    """``published__date=date(2024, 2, 29)``: the date part of a datetime."""

    lookup_name = "date"
    function = "date"
    part = "date"

    def _resolve_output_field(self):
        from tinyframe.db.models import fields

        return fields.DateField()


class TruncTime(LocalTimePart):
    """``published__time=time(12, 0)``: the time part of a datetime."""

    lookup_name = "time"
    function = "time"
    part = "time"

    def _resolve_output_field(self):
        from tinyframe.db.models import fields

        return fields.TimeField()


__all__ = [
    "Coalesce", "Concat", "Extract", "ExtractDay", "ExtractHour", "ExtractMinute", "ExtractMonth", "ExtractSecond",
    "ExtractWeekDay", "ExtractYear", "Length", "Lower", "Random", "TruncDate", "TruncTime", "Upper", "Value",
]  # fmt: skip
