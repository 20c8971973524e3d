"""Formatting dates and times with PHP-style format characters, as the ``date`` and ``time`` filters do.

How it works: a format string such as ``"N j, Y, P"`` is read one character at
a time. A character listed in ``DATE_SPECIFIERS`` or ``TIME_SPECIFIERS`` is
replaced by the part of the value it names (``N`` -> ``Jan.``, ``j`` -> ``4``,
``P`` -> ``3:05 p.m.``); a backslash makes the next character literal
(``"\\Y\\e\\s"`` -> ``Yes``); anything else is copied:

    format(value, "N j, Y")       dates and datetimes: every specifier
    time_format(value, "H:i")     times and datetimes: the time specifiers only

The reading is done once per format string, not once per value:
``compile_format`` turns ``"Y-m-d"`` into the ``%`` pattern
``"%04d-%02d-%02d"`` and the getters that fill it (the value's year, month
and day), and keeps the answer, so a page that shows a hundred dates in one
format reads that format once.

Time zones: an aware datetime shows its own zone (``e O T Z I``, and the
offset in ``c``, ``r``, ``U``). A naive datetime is taken to be in UTC — what
Django does in a new project, whose ``TIME_ZONE`` is ``"UTC"`` — so ``O`` is
``+0000``. ``time`` objects never show a zone (``e O T Z`` are empty), and a
``date`` has no time of day, so a time specifier in its format is an error.
"""

import calendar
import datetime
import functools
import operator
from email.utils import format_datetime

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
# The Associated Press style: abbreviate only the long names, with a period.
MONTHS_AP = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.",
             "Oct.", "Nov.", "Dec."]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _hour_12(value) -> int:
    """The hour on a 12-hour clock: 1 to 12."""
    return value.hour % 12 or 12


def _hour_and_minutes(value) -> str:
    """'1' on the hour, '1:30' otherwise (specifier ``f``)."""
    if value.minute:
        return f"{_hour_12(value)}:{value.minute:02d}"
    return str(_hour_12(value))


def _meridiem(value) -> str:
    """'a.m.' or 'p.m.', in the AP style (specifier ``a``)."""
    return "p.m." if value.hour >= 12 else "a.m."


def _proper_time(value) -> str:
    """'midnight', 'noon', '1 a.m.', '1:30 p.m.' (specifier ``P``)."""
    if value.minute == 0 and value.hour == 0:
        return "midnight"
    if value.minute == 0 and value.hour == 12:
        return "noon"
    return f"{_hour_and_minutes(value)} {_meridiem(value)}"


def _zoned(value) -> datetime.datetime | None:
    """The value as an aware datetime, or None for a ``time`` (which never shows a zone)."""
    if not isinstance(value, datetime.datetime):
        return None
    if value.utcoffset() is None:
        return value.replace(tzinfo=datetime.timezone.utc)
    return value


def _known_zone(value) -> datetime.datetime | None:
    """Like ``_zoned``, but None for a wall-clock time that is ambiguous or skipped.

    When clocks go back, 01:30 happens twice (EDT, then EST); when they go
    forward, 02:30 never happens. The zone of such a time is unknown, so the
    zone specifiers show nothing rather than a guess.
    """
    zoned = _zoned(value)
    if zoned is None:
        return None
    if zoned.replace(fold=1 - zoned.fold).utcoffset() != zoned.utcoffset():
        return None
    return zoned


def _offset_seconds(value) -> str:
    """The UTC offset in seconds, '-12600' for -03:30 (specifier ``Z``)."""
    zoned = _known_zone(value)
    if zoned is None:
        return ""
    return str(int(zoned.utcoffset().total_seconds()))


def _offset_hours(value) -> str:
    """The UTC offset as '+0200' (specifier ``O``)."""
    seconds = _offset_seconds(value)
    if not seconds:
        return ""
    seconds = int(seconds)
    sign = "-" if seconds < 0 else "+"
    minutes = abs(seconds) // 60
    return f"{sign}{minutes // 60:02d}{minutes % 60:02d}"


def _zone_abbreviation(value) -> str:
    """'CEST', 'UTC' (specifier ``T``)."""
    zoned = _known_zone(value)
    return (zoned.tzname() or "") if zoned is not None else ""


def _zone_name(value) -> str:
    """The zone's name as its tzinfo gives it; empty for naive values (specifier ``e``)."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None and _known_zone(value):
        return value.tzname() or ""
    return ""


def _is_daylight_saving(value) -> str:
    """'1' in summer time, '0' otherwise, '' when unknown (specifier ``I``)."""
    zoned = _known_zone(value)
    if zoned is None:
        return ""
    dst = zoned.dst()
    return "1" if dst else "0"


def _as_datetime(value) -> datetime.datetime:
    """A datetime for dates too (midnight, UTC), aware either way."""
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time.min)
    return _zoned(value)


def _ordinal_suffix(day: int) -> str:
    """'st', 'nd', 'rd' or 'th' for a day of the month (specifier ``S``)."""
    if day in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def field(name: str, conversion: str = "%d") -> tuple[str, operator.attrgetter]:
    """A specifier that shows the value's attribute ``name`` as ``conversion`` (``"%02d"``: two digits)."""
    return conversion, operator.attrgetter(name)


# Each specifier is a function of the value that gives its text, or a field().

# Specifiers that need a time of day; they work on times and datetimes.
TIME_SPECIFIERS = {
    "a": _meridiem,
    "A": lambda value: "PM" if value.hour >= 12 else "AM",
    "e": _zone_name,
    "f": _hour_and_minutes,
    "g": lambda value: str(_hour_12(value)),
    "G": field("hour"),
    "h": lambda value: f"{_hour_12(value):02d}",
    "H": field("hour", "%02d"),
    "i": field("minute", "%02d"),
    "O": _offset_hours,
    "P": _proper_time,
    "s": field("second", "%02d"),
    "T": _zone_abbreviation,
    "u": field("microsecond", "%06d"),
    "Z": _offset_seconds,
}

# Specifiers that need a calendar date; they work on dates and datetimes.
DATE_SPECIFIERS = {
    "b": lambda value: MONTHS[value.month - 1][:3].lower(),
    "c": lambda value: value.isoformat(),
    "d": field("day", "%02d"),
    "D": lambda value: WEEKDAYS[value.weekday()][:3],
    "E": lambda value: MONTHS[value.month - 1],  # the "alternative" name; in English, the same
    "F": lambda value: MONTHS[value.month - 1],
    "I": _is_daylight_saving,
    "j": field("day"),
    "l": lambda value: WEEKDAYS[value.weekday()],
    "L": lambda value: str(calendar.isleap(value.year)),
    "m": field("month", "%02d"),
    "M": lambda value: MONTHS[value.month - 1][:3],
    "n": field("month"),
    "N": lambda value: MONTHS_AP[value.month - 1],
    "o": lambda value: str(value.isocalendar().year),
    "r": lambda value: format_datetime(_as_datetime(value)),
    "S": lambda value: _ordinal_suffix(value.day),
    "t": lambda value: str(calendar.monthrange(value.year, value.month)[1]),
    "U": lambda value: str(int(_as_datetime(value).timestamp())),
    "w": lambda value: str((value.weekday() + 1) % 7),  # Sunday is 0
    "W": lambda value: str(value.isocalendar().week),
    "y": lambda value: f"{value.year % 100:02d}",
    "Y": field("year", "%04d"),
    "z": lambda value: str(value.timetuple().tm_yday),
}

DATETIME_SPECIFIERS = DATE_SPECIFIERS | TIME_SPECIFIERS

# The specifiers each kind of value may use.
SPECIFIERS_OF = {"date": DATE_SPECIFIERS, "datetime": DATETIME_SPECIFIERS, "time": TIME_SPECIFIERS}


@functools.lru_cache(maxsize=256)
def compile_format(format_string: str, kind: str) -> tuple[str, tuple]:
    """``format_string`` for a value of ``kind``, read once: a ``%`` pattern, and what fills it.

    Each specifier becomes a conversion in the pattern (``%s`` for the
    text a function gives; a ``field``'s own, such as ``%02d``) and a
    getter: the function, or the field's ``attrgetter``. The rest,
    backslashed characters included, is copied (``%`` doubled). A page
    formats every row's date with the same few strings, so each is read
    once (the cache holds the last 256), not once a value. A specifier
    ``kind`` lacks is a TypeError, raised again each time: errors are not cached.

    >>> pattern, getters = compile_format("Y-m-d", "date")
    >>> pattern, [getter(datetime.date(2024, 7, 4)) for getter in getters]
    ('%04d-%02d-%02d', [2024, 7, 4])
    >>> compile_format(r"\\Y\\e\\s, 100% N", "date") == ("Yes, 100%% %s", (DATE_SPECIFIERS["N"],))
    True
    """
    specifiers = SPECIFIERS_OF[kind]
    pattern = []
    getters = []
    characters = iter(format_string)
    for char in characters:
        if char == "\\":
            pattern.append(next(characters, "\\").replace("%", "%%"))
        elif char in specifiers:
            specifier = specifiers[char]
            conversion, getter = specifier if isinstance(specifier, tuple) else ("%s", specifier)
            pattern.append(conversion)
            getters.append(getter)
        elif char in TIME_SPECIFIERS or char in DATE_SPECIFIERS:
            raise TypeError(
                f"The format for {kind} objects may not contain "
                f"{'time' if char in TIME_SPECIFIERS else 'date'}-related format specifiers "
                f"(found {char!r})."
            )
        else:
            pattern.append(char.replace("%", "%%"))
    return "".join(pattern), tuple(getters)


def _render(value, format_string, kind: str) -> str:
    """``value`` formatted by ``format_string``: its compiled pattern, filled by its getters."""
    pattern, getters = compile_format(str(format_string), kind)
    return pattern % tuple([getter(value) for getter in getters])


def format(value, format_string: str) -> str:
    """Format a date or datetime with date and time specifiers.

    >>> moment = datetime.datetime(2024, 7, 4, 15, 5)
    >>> format(moment, "l, jS F Y, P")
    'Thursday, 4th July 2024, 3:05 p.m.'
    >>> format(moment.date(), "N j, Y")
    'July 4, 2024'
    >>> format(moment.date(), "H:i")
    Traceback (most recent call last):
    ...
    TypeError: The format for date objects may not contain time-related format specifiers (found 'H').
    """
    if isinstance(value, datetime.datetime):
        return _render(value, format_string, "datetime")
    if isinstance(value, datetime.date):
        return _render(value, format_string, "date")
    raise TypeError(f"format() needs a date or a datetime, not {type(value).__name__}.")


def time_format(value, format_string: str) -> str:
    """Format a time or datetime with time specifiers only.

    >>> time_format(datetime.time(0, 30), "g:i A, P")
    '12:30 AM, 12:30 a.m.'
    >>> time_format(datetime.time(12, 0), "P")
    'noon'
    """
    if isinstance(value, (datetime.time, datetime.datetime)):
        return _render(value, format_string, "time")
    raise TypeError(f"time_format() needs a time or a datetime, not {type(value).__name__}.")
