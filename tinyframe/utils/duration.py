"""Durations as text: a ``timedelta`` in the ISO 8601 form JSON and HTML forms use.

How it works: ``duration_iso_string`` splits a ``timedelta`` into days,
hours, minutes, seconds and microseconds (``duration_components``) and writes
them as ``P{days}DT{hours}H{minutes}M{seconds}S``, a minus sign in front of a
negative duration.
"""

import datetime

__all__ = ["duration_components", "duration_iso_string"]


def duration_components(duration: datetime.timedelta) -> tuple[int, int, int, int, int]:
    """``(days, hours, minutes, seconds, microseconds)`` of a duration, each in its usual range.

    >>> duration_components(datetime.timedelta(days=1, seconds=3725, microseconds=5))
    (1, 1, 2, 5, 5)
    """
    minutes, seconds = divmod(duration.seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return duration.days, hours, minutes, seconds, duration.microseconds


def duration_iso_string(duration: datetime.timedelta) -> str:
    """The duration as ISO 8601 text, as Django's JSON encoder writes it.

    A negative duration is written as its opposite after a minus sign, so that
    every component is positive (``timedelta`` itself keeps only days negative).

    >>> duration_iso_string(datetime.timedelta(days=1, hours=2, microseconds=5))
    'P1DT02H00M00.000005S'
    >>> duration_iso_string(datetime.timedelta(seconds=-5))
    '-P0DT00H00M05S'
    """
    sign = ""
    if duration < datetime.timedelta(0):
        sign, duration = "-", -duration
    days, hours, minutes, seconds, microseconds = duration_components(duration)
    fraction = f".{microseconds:06d}" if microseconds else ""
    return f"{sign}P{days}DT{hours:02d}H{minutes:02d}M{seconds:02d}{fraction}S"


# >>> 09_forms
__all__ += ["duration_string"]


def duration_string(duration: datetime.timedelta) -> str:
    """The duration as "[D ]HH:MM:SS[.uuuuuu]": what a form's duration field shows and reads back.

    Unlike ``duration_iso_string``, only the days carry a minus sign, as in ``timedelta`` itself.

    >>> duration_string(datetime.timedelta(days=1, hours=2, microseconds=5))
    '1 02:00:00.000005'
    >>> duration_string(datetime.timedelta(seconds=-1))
    '-1 23:59:59'
    """
    days, hours, minutes, seconds, microseconds = duration_components(duration)
    text = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    if days:
        text = f"{days} {text}"
    if microseconds:
        text += f".{microseconds:06d}"
    return text
# <<< 09_forms
