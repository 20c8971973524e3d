"""Time zones: aware datetimes in UTC for storage, local time for people.

How it works: with ``settings.USE_TZ`` on, tinyframe keeps every datetime
*aware* (it carries its ``tzinfo``) and ``now()`` answers in UTC, so a
moment means the same thing whoever reads it. Turning a moment into a wall
clock is a separate step, ``localtime(value)``, into the *current* time zone:
the one a request or a block chose with ``activate`` / ``override``, kept per
thread, or else the *default* one, ``settings.TIME_ZONE``. ``make_aware`` and
``make_naive`` cross between the two kinds of datetime at the edges (a form's
input, an old library's output). With ``USE_TZ`` off, ``now()`` is naive
local time, as in Django before time zones.

>>> import datetime, zoneinfo
>>> moment = datetime.datetime(2024, 7, 1, 12, 0, tzinfo=datetime.timezone.utc)
>>> with override("Europe/Paris"):
...     localtime(moment)
datetime.datetime(2024, 7, 1, 14, 0, tzinfo=zoneinfo.ZoneInfo(key='Europe/Paris'))
>>> make_naive(moment, zoneinfo.ZoneInfo("Asia/Tokyo"))
datetime.datetime(2024, 7, 1, 21, 0)

Time zones come from the standard library's ``zoneinfo`` (the IANA database);
a name it does not know is its ``ZoneInfoNotFoundError``, a ``KeyError``.
"""

import datetime
import threading
import zoneinfo
from contextlib import ContextDecorator

from tinyframe.conf import settings

__all__ = [
    "activate", "deactivate", "get_current_timezone", "get_current_timezone_name",
    "get_default_timezone", "get_default_timezone_name", "get_fixed_timezone", "is_aware",
    "is_naive", "localdate", "localtime", "make_aware", "make_naive", "now", "override", "utc",
]

# UTC, the time zone of stored datetimes. (Django 5 dropped its own alias in
# favour of datetime.timezone.utc; tinyframe keeps the short name.)
utc = datetime.timezone.utc

# The zone activated in this thread (each request runs in its own thread).
class _ActiveZone(threading.local):
    """``value``: the zone ``activate`` set in this thread, None (the class's) where none was.

    A class default, so that reading it where nothing was activated (every
    datetime a page shows, usually) is a plain attribute read, not the
    AttributeError a bare ``threading.local`` raises and getattr catches.
    """

    value = None


_active = _ActiveZone()


def get_fixed_timezone(offset: datetime.timedelta | int) -> datetime.timezone:
    """A time zone at a fixed offset from UTC, given as a timedelta or in minutes.

    >>> get_fixed_timezone(-330)
    datetime.timezone(datetime.timedelta(days=-1, seconds=66600), '-0530')
    """
    if isinstance(offset, datetime.timedelta):
        offset = offset.total_seconds() // 60
    sign = "-" if offset < 0 else "+"
    hours, minutes = divmod(abs(int(offset)), 60)
    return datetime.timezone(datetime.timedelta(minutes=offset), f"{sign}{hours:02d}{minutes:02d}")


def get_default_timezone() -> zoneinfo.ZoneInfo:
    """The project's time zone, ``settings.TIME_ZONE``: local time where no other zone is active.

    Read from the settings on each call (``ZoneInfo`` caches the zones), so
    ``override_settings(TIME_ZONE=...)`` takes effect at once.
    """
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def get_default_timezone_name() -> str:
    """The name of the default time zone, such as ``"Europe/Paris"``."""
    return str(get_default_timezone())


def get_current_timezone() -> datetime.tzinfo:
    """The time zone activated in this thread, or the default one."""
    return _active.value or get_default_timezone()


def get_current_timezone_name() -> str:
    """The name of the current time zone."""
    return str(get_current_timezone())


def activate(timezone: datetime.tzinfo | str) -> None:
    """Make ``timezone`` (a tzinfo or an IANA name) the current time zone of this thread.

    Why per thread: a site shows each user their own local time, so a
    middleware activates the user's zone for the request it is handling
    without touching the requests other threads are serving.
    """
    if isinstance(timezone, datetime.tzinfo):
        _active.value = timezone
    elif isinstance(timezone, str):
        _active.value = zoneinfo.ZoneInfo(timezone)
    else:
        raise ValueError(f"Invalid timezone: {timezone!r}")


def deactivate() -> None:
    """Go back to the default time zone in this thread."""
    _active.value = None


class override(ContextDecorator):
    """Use another current time zone within a block or a function (None: the default zone).

    >>> with override("Asia/Tokyo"):
    ...     get_current_timezone_name()
    'Asia/Tokyo'
    """

    def __init__(self, timezone: datetime.tzinfo | str | None):
        self.timezone = timezone
        # A stack, so the same decorator can be entered again while active (recursion).
        self.previous = []

    def __enter__(self):
        self.previous.append(_active.value)
        if self.timezone is None:
            deactivate()
        else:
            activate(self.timezone)

    def __exit__(self, exc_type, exc_value, traceback):
        previous = self.previous.pop()
        if previous is None:
            deactivate()
        else:
            _active.value = previous


def now() -> datetime.datetime:
    """The current moment: aware, in UTC, with ``USE_TZ``; naive local time without.

    Why not ``datetime.now()``: that is naive local time, which means
    different moments on different servers and is ambiguous once a year when
    clocks go back.
    """
    return datetime.datetime.now(tz=utc if settings.USE_TZ else None)


def is_aware(value: datetime.datetime | datetime.time) -> bool:
    """Whether ``value`` knows its offset from UTC, so that it names one moment.

    >>> is_aware(datetime.datetime(2024, 1, 1, tzinfo=utc)), is_aware(datetime.datetime(2024, 1, 1))
    (True, False)
    """
    return value.utcoffset() is not None


def is_naive(value: datetime.datetime | datetime.time) -> bool:
    """Whether ``value`` lacks an offset from UTC: a wall-clock reading, not a moment."""
    return value.utcoffset() is None


def localtime(value: datetime.datetime | None = None, timezone: datetime.tzinfo | None = None) -> datetime.datetime:
    """An aware datetime (now, if None) as the wall clock shows it in ``timezone`` (the current one).

    A naive value is an error: it gives no moment to convert.
    """
    if value is None:
        value = now()
    if timezone is None:
        timezone = get_current_timezone()
    if is_naive(value):
        raise ValueError("localtime() cannot be applied to a naive datetime")
    return value.astimezone(timezone)


def localdate(value: datetime.datetime | None = None, timezone: datetime.tzinfo | None = None) -> datetime.date:
    """The date an aware datetime (now, if None) falls on in ``timezone`` (the current one).

    >>> localdate(datetime.datetime(2024, 1, 1, 3, 0, tzinfo=utc), zoneinfo.ZoneInfo("America/New_York"))
    datetime.date(2023, 12, 31)
    """
    return localtime(value, timezone).date()


def make_aware(value: datetime.datetime, timezone: datetime.tzinfo | None = None) -> datetime.datetime:
    """Read a naive datetime as wall-clock time in ``timezone`` (the current one), giving it that zone.

    A time that does not exist (skipped when clocks go forward) or happens
    twice (when they go back) is taken as ``zoneinfo`` does: with the offset
    in force before the change, unless ``value.fold`` is 1.
    """
    if timezone is None:
        timezone = get_current_timezone()
    if is_aware(value):
        raise ValueError(f"make_aware expects a naive datetime, got {value}")
    return value.replace(tzinfo=timezone)


def make_naive(value: datetime.datetime, timezone: datetime.tzinfo | None = None) -> datetime.datetime:
    """An aware datetime as naive wall-clock time in ``timezone`` (the current one)."""
    if timezone is None:
        timezone = get_current_timezone()
    if is_naive(value):
        raise ValueError("make_naive() cannot be applied to a naive datetime")
    return value.astimezone(timezone).replace(tzinfo=None)
