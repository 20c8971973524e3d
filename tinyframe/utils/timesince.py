"""How long ago, or how long until: "3 days, 4 hours", as Django's timesince and timeuntil say it.

How it works: ``timesince(earlier, later)`` counts whole calendar years and
months first (from ``earlier``, so that a month is January's 31 days or
February's 28 as they come), then the weeks, days, hours and minutes left
over. It names the largest unit that is not zero and at most ``depth - 1``
units after it, stopping at the first zero: "1 year, 2 months", never
"1 year, 3 days". Numbers and units are joined by a non-breaking space, so a
line never wraps between "3" and "days". ``timeuntil`` is the same count
towards a moment in the future.
"""

import datetime

from tinyframe.utils.html import avoid_wrapping

__all__ = ["timesince", "timeuntil"]

UNITS = ("year", "month", "week", "day", "hour", "minute")
SECONDS = {"week": 7 * 24 * 60 * 60, "day": 24 * 60 * 60, "hour": 60 * 60, "minute": 60}
# February counts 28 days, leap year or not, as in Django.
DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def timesince(earlier, now=None, reversed: bool = False, depth: int = 2) -> str:
    """The time from ``earlier`` to ``now`` (default: this moment) in words, to ``depth`` units.

    Dates count from midnight. A moment after ``now`` gives "0 minutes".

    >>> timesince(datetime.datetime(2024, 1, 1), datetime.datetime(2024, 3, 15, 6))
    '2\\xa0months, 2\\xa0weeks'
    >>> timesince(datetime.date(2024, 1, 1), datetime.date(2024, 1, 1))
    '0\\xa0minutes'
    """
    if depth <= 0:
        raise ValueError("depth must be greater than 0.")
    earlier, now = as_datetime(earlier), as_datetime(now) if now is not None else None
    if now is None:
        now = datetime.datetime.now(earlier.tzinfo if is_aware(earlier) else None)
    elif is_aware(now) and is_aware(earlier):
        now = now.astimezone(earlier.tzinfo)  # compare the two in one time zone
    if reversed:
        earlier, now = now, earlier
    elapsed = now - earlier
    if elapsed.days * 24 * 60 * 60 + elapsed.seconds <= 0:  # microseconds do not count
        return with_unit(0, "minute")
    counts = calendar_counts(earlier, now)
    first = next((position for position, count in enumerate(counts) if count), None)
    if first is None:
        return with_unit(0, "minute")
    parts = []
    for unit, count in zip(UNITS[first : first + depth], counts[first : first + depth]):
        if not count:
            break
        parts.append(with_unit(count, unit))
    return ", ".join(parts)


def timeuntil(later, now=None, depth: int = 2) -> str:
    """The time from ``now`` (default: this moment) to ``later`` in words; "0 minutes" if it is past.

    >>> timeuntil(datetime.datetime(2024, 1, 2, 3), datetime.datetime(2024, 1, 1))
    '1\\xa0day, 3\\xa0hours'
    """
    return timesince(later, now, reversed=True, depth=depth)


def calendar_counts(earlier: datetime.datetime, now: datetime.datetime) -> list[int]:
    """[years, months, weeks, days, hours, minutes] from ``earlier`` to ``now`` (which is later)."""
    months = (now.year - earlier.year) * 12 + now.month - earlier.month
    if (earlier.day, earlier.time()) > (now.day, now.time()):
        months -= 1  # the last month is not complete yet
    years, months = divmod(months, 12)
    # The moment that many years and months after ``earlier``: what is left from there is counted in seconds.
    pivot = earlier
    if years or months:
        year, month = divmod(earlier.month - 1 + months, 12)
        year, month = earlier.year + years + year, month + 1
        pivot = datetime.datetime(
            year, month, min(DAYS_IN_MONTH[month - 1], earlier.day),
            earlier.hour, earlier.minute, earlier.second, tzinfo=earlier.tzinfo,
        )  # fmt: skip
    remaining = (now - pivot).total_seconds()
    counts = [years, months]
    for unit in UNITS[2:]:
        count, remaining = divmod(remaining, SECONDS[unit])
        counts.append(int(count))
    return counts


def with_unit(count: int, unit: str) -> str:
    """``3\\xa0days``: the count and its unit, never split across two lines."""
    return avoid_wrapping(f"{count} {unit}{'' if count == 1 else 's'}")


def as_datetime(value):
    """A date as the datetime of its midnight; a datetime as it is."""
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    raise TypeError(f"timesince() needs a date or datetime, not {type(value).__name__}.")


def is_aware(value: datetime.datetime) -> bool:
    """Whether a datetime knows its offset from UTC."""
    return value.utcoffset() is not None
