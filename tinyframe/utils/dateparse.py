"""Dates, times, datetimes and durations read from text, for model fields and form fields alike.

How it works: ``parse_date``, ``parse_time`` and ``parse_datetime`` first ask
the standard library (``fromisoformat`` reads every ISO 8601 form, "20240229"
and "2024-02-29T13:05:00+01:00" alike), then fall back to a regular expression
for what it refuses: one-digit parts ("2024-2-9 9:05") and a comma or a seventh
digit in the fraction ("13:05:00,1234567"). ``parse_duration`` tries three
shapes in turn: what ``str(timedelta)`` writes ("1 day, 2:03:04"), ISO 8601
("P1DT2H3M4S") and PostgreSQL's interval text ("3 days 04:05:06").

Every parser answers the same way: None when the text has the wrong shape,
ValueError when the shape is right but the value impossible (February 30th),
so that a field can tell "wrong format" from "invalid date". A duration
beyond ``timedelta``'s range (about 2.7 million years) raises OverflowError.
"""

import datetime
import re

from tinyframe.utils.timezone import get_fixed_timezone

__all__ = ["parse_date", "parse_datetime", "parse_duration", "parse_time"]

# "$" rather than "\Z", as Django: one trailing newline is let through.
DATE = r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
TIME = r"(?P<hour>\d{1,2}):(?P<minute>\d{1,2})(?::(?P<second>\d{1,2})(?:[.,](?P<microsecond>\d{1,6})\d{0,6})?)?"
DATE_RE = re.compile(DATE + "$")
TIME_RE = re.compile(TIME + "$")
DATETIME_RE = re.compile(DATE + "[T ]" + TIME + r"\s*(?P<tzinfo>Z|[+-]\d{2}(?::?\d{2})?)?$")

# What str(timedelta) writes, and "DD HH:MM:SS.uuuuuu": days, then a clock time with its own sign.
STANDARD_DURATION_RE = re.compile(
    r"(?:(?P<days>-?\d+) (?:days?, )?)?(?P<sign>-?)(?:(?P<hours>\d+):(?=\d+:\d+))?(?:(?P<minutes>\d+):)?"
    r"(?P<seconds>\d+)(?:[.,](?P<microseconds>\d{1,6})\d{0,6})?$"
)
# ISO 8601's [-]P[n]DT[n]H[n]M[n]S, each part optional and possibly fractional; the sign covers it all.
ISO8601_DURATION_RE = re.compile(
    r"(?P<sign>[-+]?)P(?:(?P<days>\d+(?:[.,]\d+)?)D)?(?:T(?:(?P<hours>\d+(?:[.,]\d+)?)H)?"
    r"(?:(?P<minutes>\d+(?:[.,]\d+)?)M)?(?:(?P<seconds>\d+(?:[.,]\d+)?)S)?)?$"
)
# PostgreSQL's interval text: "3 days 04:05:06", "-1 day -01:00:00".
POSTGRES_INTERVAL_RE = re.compile(
    r"(?:(?P<days>-?\d+) (?:days? ?))?(?:(?P<sign>[-+])?(?P<hours>\d+):(?P<minutes>\d\d):(?P<seconds>\d\d)"
    r"(?:\.(?P<microseconds>\d{1,6}))?)?$"
)


def numbers(match: re.Match) -> dict:
    """The match's date and time parts as ints, the microseconds padded to six digits, missing ones left out.

    >>> numbers(TIME_RE.match("9:05:00.5"))
    {'hour': 9, 'minute': 5, 'second': 0, 'microsecond': 500000}
    """
    parts = match.groupdict()
    if parts.get("microsecond"):
        parts["microsecond"] = parts["microsecond"].ljust(6, "0")
    return {name: int(value) for name, value in parts.items() if value is not None and name != "tzinfo"}


def parse_date(value: str) -> datetime.date | None:
    """A date from ISO 8601 text; None for another shape, ValueError for an impossible date.

    >>> parse_date("2024-2-29"), parse_date("20240229"), parse_date("29/02/2024")
    (datetime.date(2024, 2, 29), datetime.date(2024, 2, 29), None)
    >>> parse_date("2024-02-30")
    Traceback (most recent call last):
      ...
    ValueError: day is out of range for month
    """
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        match = DATE_RE.match(value)
        return datetime.date(**numbers(match)) if match else None


def parse_time(value: str) -> datetime.time | None:
    """A time of day from ``HH:MM[:ss[.uuuuuu]]`` text; None for another shape, ValueError for an impossible time.

    An offset is read and dropped: a time of day on its own has no use for one.

    >>> parse_time("9:30"), parse_time("13:05:00,5"), parse_time("13:05+01:00")
    (datetime.time(9, 30), datetime.time(13, 5, 0, 500000), datetime.time(13, 5))
    >>> parse_time("noon") is None
    True
    """
    try:
        return datetime.time.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        match = TIME_RE.match(value)
        return datetime.time(**numbers(match)) if match else None


def parse_datetime(value: str) -> datetime.datetime | None:
    """A datetime from ISO 8601 text, aware when it names an offset; None for another shape.

    A date alone is midnight that day. ValueError for an impossible value.

    >>> parse_datetime("2024-02-29 13:05:00+01:00")
    datetime.datetime(2024, 2, 29, 13, 5, tzinfo=datetime.timezone(datetime.timedelta(seconds=3600)))
    >>> parse_datetime("2024-2-9 3:04:05,6 -0230")
    datetime.datetime(2024, 2, 9, 3, 4, 5, 600000, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=77400), '-0230'))
    >>> parse_datetime("2024-02-29"), parse_datetime("02/29/2024")
    (datetime.datetime(2024, 2, 29, 0, 0), None)
    """
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        match = DATETIME_RE.match(value)
        if not match:
            return None
    offset = match["tzinfo"]
    tzinfo = None
    if offset == "Z":
        tzinfo = datetime.timezone.utc
    elif offset:
        minutes = 60 * int(offset[1:3]) + (int(offset[-2:]) if len(offset) > 3 else 0)
        tzinfo = get_fixed_timezone(-minutes if offset[0] == "-" else minutes)
    return datetime.datetime(**numbers(match), tzinfo=tzinfo)


def parse_duration(value: str) -> datetime.timedelta | None:
    """A timedelta from duration text, or None when the text is no duration.

    Reads ``str(timedelta)``'s text, ``DD HH:MM:SS.uuuuuu``, ISO 8601 and
    PostgreSQL's interval text. Raises OverflowError for a duration beyond
    ``timedelta``'s range.

    >>> parse_duration("1 day, 2:03:04.5"), parse_duration("-1 02:00:00")
    (datetime.timedelta(days=1, seconds=7384, microseconds=500000), datetime.timedelta(days=-1, seconds=7200))
    >>> parse_duration("-P1DT2H"), parse_duration("PT1,5S"), parse_duration("3 days 04:05:06")
    (datetime.timedelta(days=-2, seconds=79200), datetime.timedelta(seconds=1, microseconds=500000), datetime.timedelta(days=3, seconds=14706))
    >>> parse_duration("soon") is None
    True
    """
    match = STANDARD_DURATION_RE.match(value) or ISO8601_DURATION_RE.match(value) or POSTGRES_INTERVAL_RE.match(value)
    if not match:
        return None
    parts = match.groupdict()
    sign = -1 if parts.pop("sign") == "-" else 1
    if parts.get("microseconds"):
        parts["microseconds"] = parts["microseconds"].ljust(6, "0")
    amounts = {name: float(part.replace(",", ".")) for name, part in parts.items() if part is not None}
    days = datetime.timedelta(days=amounts.pop("days", 0.0))
    if match.re is ISO8601_DURATION_RE:
        # "-P1DT2H": the sign is the whole duration's. Elsewhere ("-1 02:00:00") the days carry their own.
        days *= sign
    return days + sign * datetime.timedelta(**amounts)
