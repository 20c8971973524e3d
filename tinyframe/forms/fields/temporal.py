"""Dates, times, datetimes and durations typed into a form.

How it works: a ``BaseTemporalField`` tries each of its ``input_formats``
(``strptime`` codes, from the ``DATE_INPUT_FORMATS``, ``TIME_INPUT_FORMATS``
and ``DATETIME_INPUT_FORMATS`` settings unless the field is given its own) in
turn and keeps the first that reads the text; none → "Enter a valid date."
(code ``invalid``). A ``DateTimeField`` reads ISO 8601 first
(``2024-02-29T13:05:00+01:00``), and with ``USE_TZ`` a naive datetime is
taken in the current time zone and made aware (``from_current_timezone``); it
is shown back in local time (``to_current_timezone`` in ``prepare_value``).
A ``DurationField`` reads what ``str(timedelta)`` writes ("1 day, 2:03:04"),
"1 02:03:04", ISO 8601 ("P1DT2H3M4S") and PostgreSQL's "3 days 04:05:06".
The parsers (``parse_datetime``, ``parse_duration``) and ``duration_string``
are the model fields' too: ``tinyframe.utils.dateparse`` and ``tinyframe.utils.duration``.

>>> DateField().clean("02/29/2024")
datetime.date(2024, 2, 29)
>>> DurationField().clean("1 02:03:04")
datetime.timedelta(days=1, seconds=7384)
"""

import datetime
import functools
import re

from tinyframe.conf import settings
from tinyframe.core.exceptions import ValidationError
from tinyframe.forms.fields.base import Field
from tinyframe.forms.utils import from_current_timezone, to_current_timezone
from tinyframe.forms.widgets import DateInput, DateTimeInput, TimeInput
from tinyframe.utils.dateparse import parse_datetime, parse_duration
from tinyframe.utils.duration import duration_string

__all__ = ["DateField", "DateTimeField", "DurationField", "TimeField"]


@functools.cache
def format_marks(format: str) -> frozenset:
    """What a text needs for ``strptime`` to read it with ``format``: its literal punctuation, " " for a space.

    Computed once per format. ``to_python`` skips a format whose marks the
    text lacks: ``strptime`` could only raise, and an invalid date tried all
    eleven of ``DATE_INPUT_FORMATS``, ~7us of exception each, a tenth of
    validating the benchmark's invalid form (tests/benchmarks/forms.py).
    (Letters are not marks: ``strptime`` ignores their case.)

    >>> sorted(format_marks("%b %d, %Y")), sorted(format_marks("%Y-%m-%d")), sorted(format_marks("%H:%M %%"))
    ([' ', ','], ['-'], [' ', '%', ':'])
    """
    literal = re.sub(r"%(.)", lambda code: "%" if code[1] == "%" else "", format)  # "%%" is a "%"
    return frozenset(" " if char.isspace() else char for char in literal if not char.isalnum())


def written_marks(value: str) -> set:
    """The characters of ``value``, and " " if it has any whitespace (see ``format_marks``).

    >>> sorted(written_marks("12 Dec, 2024"))
    [' ', ',', '0', '1', '2', '4', 'D', 'c', 'e']
    """
    marks = set(value)
    if any(char.isspace() for char in marks):
        marks.add(" ")
    return marks


class InputFormats:
    """A setting's list of input formats, read when iterated: settings may change after the field is made.

    ``InputFormats("DATETIME_INPUT_FORMATS", "DATE_INPUT_FORMATS")`` yields the
    first setting's formats, then the second's (a date alone is a datetime at midnight).
    """

    def __init__(self, *setting_names: str):
        self.setting_names = setting_names

    def __iter__(self):
        for name in self.setting_names:
            yield from getattr(settings, name)

    def __repr__(self):
        return f"InputFormats{self.setting_names!r}"


class BaseTemporalField(Field):
    """A field read with ``strptime`` formats; subclasses say which formats and what to keep (``strptime``)."""

    input_formats = ()

    def __init__(self, *, input_formats=None, **kwargs):
        super().__init__(**kwargs)
        if input_formats is not None:
            self.input_formats = input_formats

    def to_python(self, value):
        """The value read by the first input format that fits, or ``invalid``."""
        if isinstance(value, str):
            value = value.strip()
            marks = written_marks(value)
            for format in self.input_formats:
                if not format_marks(format) <= marks:
                    continue  # strptime would refuse it: save the exception (see format_marks)
                try:
                    return self.strptime(value, format)
                except (ValueError, TypeError, OverflowError):
                    continue
        # Not text at all (a list, a number) is no date either.
        raise ValidationError(self.error_messages["invalid"], code="invalid")

    def strptime(self, value: str, format: str):
        """The value read with one format (raise ValueError when it does not fit)."""
        raise NotImplementedError("Subclasses must define this method.")


class DateField(BaseTemporalField):
    """A date (``datetime.date``); a datetime given is cut to its date."""

    widget = DateInput
    input_formats = InputFormats("DATE_INPUT_FORMATS")
    default_error_messages = {"invalid": "Enter a valid date."}

    def to_python(self, value):
        """A ``datetime.date``, or None when nothing was typed."""
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        return super().to_python(value)

    def strptime(self, value, format):
        return datetime.datetime.strptime(value, format).date()


class TimeField(BaseTemporalField):
    """A time of day (``datetime.time``)."""

    widget = TimeInput
    input_formats = InputFormats("TIME_INPUT_FORMATS")
    default_error_messages = {"invalid": "Enter a valid time."}

    def to_python(self, value):
        """A ``datetime.time``, or None when nothing was typed."""
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.time):
            return value
        return super().to_python(value)

    def strptime(self, value, format):
        return datetime.datetime.strptime(value, format).time()


class DateTimeField(BaseTemporalField):
    """A datetime: ISO 8601 or one of the input formats; aware in the current time zone under ``USE_TZ``."""

    widget = DateTimeInput
    input_formats = InputFormats("DATETIME_INPUT_FORMATS", "DATE_INPUT_FORMATS")
    default_error_messages = {"invalid": "Enter a valid date/time."}

    def prepare_value(self, value):
        """An aware datetime shown in the current time zone, as the user would type it."""
        if isinstance(value, datetime.datetime):
            value = to_current_timezone(value)
        return value

    def to_python(self, value):
        """A ``datetime.datetime`` (aware under ``USE_TZ``), or None when nothing was typed."""
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return from_current_timezone(value)
        if isinstance(value, datetime.date):
            return from_current_timezone(datetime.datetime(value.year, value.month, value.day))
        if not isinstance(value, str):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            result = parse_datetime(value.strip())
        except ValueError:
            # The shape of an ISO datetime with an impossible value (February 30th): no format will do better.
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not result:
            result = super().to_python(value)
        return from_current_timezone(result)

    def strptime(self, value, format):
        return datetime.datetime.strptime(value, format)


class DurationField(Field):
    """A length of time (``datetime.timedelta``)."""

    default_error_messages = {
        "invalid": "Enter a valid duration.",
        "overflow": "The number of days must be between {min_days} and {max_days}.",
    }

    def prepare_value(self, value):
        """A timedelta shown as "[D ]HH:MM:SS[.uuuuuu]", which ``to_python`` reads back."""
        if isinstance(value, datetime.timedelta):
            return duration_string(value)
        return value

    def to_python(self, value):
        """A ``datetime.timedelta``, or None when nothing was typed."""
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.timedelta):
            return value
        try:
            value = parse_duration(str(value))
        except (OverflowError, ValueError):
            # ValueError too: a day count of thousands of digits is a float infinity, out of range all the same.
            message = self.error_messages["overflow"].format(
                min_days=datetime.timedelta.min.days, max_days=datetime.timedelta.max.days
            )
            raise ValidationError(message, code="overflow") from None
        if value is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value
