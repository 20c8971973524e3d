"""Dates, datetimes, times and durations, stored as SQLite stores them: text and integers.

How it works: SQLite has no date types, so, as Django does, a ``DateField``
stores ``'2024-02-29'``, a ``DateTimeField`` ``'2024-02-29 13:05:00[.ffffff]'``
and a ``TimeField`` ``'13:05:00[.ffffff]'`` (``connection.ops`` writes them),
and a ``DurationField`` a whole number of microseconds. These texts sort as
the values they stand for, so ``ORDER BY`` and ``<`` work on them. Each field's
``from_db_value`` parses the text back, and refuses anything but text: a
number in a date column is a corrupted row. Date arithmetic in SQL
(``F("day") + timedelta(days=1)``, ``F("end") - F("start")``) goes through
functions the SQLite backend registers, which read and write this same text.

Time zones (``USE_TZ = True``, the default): a datetime is stored in UTC and
read back as an aware datetime in UTC; a naive datetime given to a field is
taken in the default time zone (``TIME_ZONE``), with Django's RuntimeWarning,
because it is almost always a bug. ``auto_now`` sets a field to now on every
save, ``auto_now_add`` on the first one only. A model with a date field that
is not nullable gets ``get_next_by_<name>()`` and ``get_previous_by_<name>()``.

Text a user typed is parsed by ``parse_date``, ``parse_time``,
``parse_datetime`` and ``parse_duration`` (``tinyframe.utils.dateparse``,
shared with the form fields): each returns None when the text has the wrong
shape and raises ValueError when the shape is right but the value impossible
(February 30th), which ``to_python`` reports as two different messages, as
Django's fields do.
"""

import datetime
import functools
import warnings

from tinyframe.conf import settings
from tinyframe.core.exceptions import ValidationError
from tinyframe.db.models.fields import Field
from tinyframe.utils import timezone
from tinyframe.utils.dateparse import parse_date, parse_datetime, parse_duration, parse_time

__all__ = ["DateField", "DateTimeField", "DurationField", "TimeField"]


def use_tz() -> bool:
    """Whether time zone support is on (``settings.USE_TZ``)."""
    return settings.USE_TZ


class DateField(Field):
    """A calendar date (``datetime.date``), stored as ``'YYYY-MM-DD'``."""

    empty_strings_allowed = False
    default_error_messages = {
        "invalid": "“%(value)s” value has an invalid date format. It must be in YYYY-MM-DD format.",
        "invalid_date": "“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date.",
    }

    def __init__(self, verbose_name=None, name=None, auto_now=False, auto_now_add=False, **kwargs):
        self.auto_now, self.auto_now_add = auto_now, auto_now_add
        if auto_now or auto_now_add:
            # Set by the code, not by a person: not shown in forms, never required.
            kwargs["editable"] = False
            kwargs["blank"] = True
        super().__init__(verbose_name, name, **kwargs)

    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        if not self.null:
            # book.get_next_by_published() and get_previous_by_published(), as in Django.
            for direction, is_next in (("next", True), ("previous", False)):
                method = functools.partialmethod(cls._get_next_or_previous_by_FIELD, field=self, is_next=is_next)
                setattr(cls, f"get_{direction}_by_{self.name}", method)

    def to_python(self, value):
        if value is None or type(value) is datetime.date:
            return value
        if isinstance(value, datetime.datetime):
            if use_tz() and value.tzinfo is not None:
                # The date it is where the site is, not in UTC.
                value = timezone.make_naive(value, timezone.get_default_timezone())
            return value.date()
        if isinstance(value, datetime.date):
            return value
        return self.parse(value, parse_date, "invalid_date")

    def parse(self, value, parser, impossible_code: str):
        """``parser(value)``, with its two failures turned into this field's two messages."""
        try:
            parsed = parser(value)
        except ValueError:
            raise ValidationError(self.error_messages[impossible_code], code=impossible_code, params={"value": value})
        except TypeError:
            parsed = None
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})
        return parsed

    def now(self):
        """Today, for ``auto_now`` and ``auto_now_add``: the date in the current time zone."""
        return timezone.localdate() if use_tz() else datetime.date.today()

    def pre_save(self, model_instance, add):
        if self.auto_now or (self.auto_now_add and add):
            value = self.now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

    def get_prep_value(self, value):
        return self.to_python(super().get_prep_value(value))

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        return connection.ops.adapt_datefield_value(value)

    def owner_and_name(self) -> str:
        """``Post.published``: the field as its messages name it, ``(unbound)`` before it joins a model."""
        return f"{self.model.__name__}.{self.name}" if hasattr(self, "model") else "(unbound)"

    def stored_text(self, value, shape: str):
        """The stored value, checked to be text (``from_db_value`` parses it), or None for NULL.

        Why refuse anything else: SQLite keeps whatever it is given, and a
        number in a date column is a corrupted row; handing it back as if it
        were a date would let the corruption spread unnoticed.
        """
        if value is None or isinstance(value, str):
            return value
        raise ValueError(
            f"{type(self).__name__} {self.owner_and_name()}: the database holds {value!r} ({type(value).__name__}), "
            f"not the {shape} text this field stores."
        )

    def from_db_value(self, value, expression, connection):
        """``'YYYY-MM-DD'`` back into a ``datetime.date``."""
        value = self.stored_text(value, "'YYYY-MM-DD'")
        return None if value is None else datetime.date.fromisoformat(value)


class DateTimeField(DateField):
    """A moment (``datetime.datetime``), stored as ``'YYYY-MM-DD HH:MM:SS[.ffffff]'``, in UTC when USE_TZ."""

    default_error_messages = {
        "invalid": "“%(value)s” value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.",
        "invalid_date": "“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date.",
        "invalid_datetime": "“%(value)s” value has the correct format (YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]) "
        "but it is an invalid date/time.",
    }

    def to_python(self, value):
        if value is None or isinstance(value, datetime.datetime):
            return value
        if isinstance(value, datetime.date):
            return self.make_aware_if_needed(datetime.datetime(value.year, value.month, value.day))
        try:
            parsed = parse_datetime(value)
        except ValueError:
            raise ValidationError(
                self.error_messages["invalid_datetime"], code="invalid_datetime", params={"value": value}
            )
        except TypeError:
            parsed = None
        if parsed is not None:
            return parsed
        return datetime.datetime.combine(self.parse(value, parse_date, "invalid_date"), datetime.time())

    def make_aware_if_needed(self, value: datetime.datetime) -> datetime.datetime:
        """A naive datetime, with USE_TZ, taken in the default time zone, with Django's RuntimeWarning."""
        if value is None or value.tzinfo is not None or not use_tz():
            return value
        warnings.warn(
            f"DateTimeField {self.owner_and_name()} received a naive datetime ({value}) while time zone support is active.",
            RuntimeWarning,
        )
        return timezone.make_aware(value, timezone.get_default_timezone())

    def now(self):
        """Now, aware in UTC when USE_TZ, for ``auto_now`` and ``auto_now_add``."""
        return timezone.now()

    def get_prep_value(self, value):
        value = self.to_python(Field.get_prep_value(self, value))
        return self.make_aware_if_needed(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        return connection.ops.adapt_datetimefield_value(value)

    def from_db_value(self, value, expression, connection):
        """The stored text back into a datetime: aware, in UTC, when USE_TZ."""
        value = self.stored_text(value, "'YYYY-MM-DD HH:MM:SS[.ffffff]'")
        if value is None:
            return None
        parsed = datetime.datetime.fromisoformat(value)
        if use_tz() and parsed.tzinfo is None:
            # The same moment as parsed.replace(tzinfo=utc), which Python 3.11 makes four times slower
            # (0.74 us against 0.19 us): this runs for every datetime of every row read (the admin
            # benchmark's 100-post page reads 100).
            parsed = datetime.datetime.combine(parsed.date(), parsed.time(), datetime.timezone.utc)
        return parsed


class TimeField(DateField):
    """A time of day (``datetime.time``), stored as ``'HH:MM:SS[.ffffff]'``."""

    default_error_messages = {
        "invalid": "“%(value)s” value has an invalid format. It must be in HH:MM[:ss[.uuuuuu]] format.",
        "invalid_time": "“%(value)s” value has the correct format (HH:MM[:ss[.uuuuuu]]) but it is an invalid time.",
    }

    def to_python(self, value):
        if value is None or isinstance(value, datetime.time):
            return value
        if isinstance(value, datetime.datetime):
            # A datetime given for a time: keep its time of day, as Django does.
            return value.time()
        return self.parse(value, parse_time, "invalid_time")

    def now(self):
        """The time of day now, in the current time zone when USE_TZ."""
        return (timezone.localtime() if use_tz() else datetime.datetime.now()).time()

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        return connection.ops.adapt_timefield_value(value)

    def from_db_value(self, value, expression, connection):
        """``'HH:MM:SS[.ffffff]'`` back into a ``datetime.time``."""
        value = self.stored_text(value, "'HH:MM:SS[.ffffff]'")
        return None if value is None else datetime.time.fromisoformat(value)


class DurationField(Field):
    """A length of time (``datetime.timedelta``), stored as a whole number of microseconds."""

    empty_strings_allowed = False
    default_error_messages = {
        "invalid": "“%(value)s” value has an invalid format. It must be in [DD] [[HH:]MM:]ss[.uuuuuu] format."
    }

    def to_python(self, value):
        if value is None or isinstance(value, datetime.timedelta):
            return value
        try:
            parsed = parse_duration(value)
        except (TypeError, ValueError, OverflowError):
            parsed = None
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})
        return parsed

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        if value is None or hasattr(value, "as_sql"):
            return value
        return (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds

    def from_db_value(self, value, expression, connection):
        """Microseconds back into a ``timedelta``."""
        return None if value is None else datetime.timedelta(microseconds=value)
