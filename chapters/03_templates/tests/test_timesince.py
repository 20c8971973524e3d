"""timesince and timeuntil: how long ago or until, in calendar units, as Django says it."""

import datetime as dt

import pytest

from tinyframe.utils.timesince import timesince, timeuntil

UTC = dt.timezone.utc
PLUS_THREE = dt.timezone(dt.timedelta(hours=3))


# Each expected text is what Django 5.2's timesince gave for the same arguments.
@pytest.mark.parametrize(
    "earlier, later, depth, expected",
    [
        (dt.datetime(2023, 1, 31), dt.datetime(2023, 3, 1), 2, "1\xa0month"),
        (dt.datetime(2024, 1, 31), dt.datetime(2024, 2, 29), 2, "4\xa0weeks, 1\xa0day"),
        (dt.datetime(2020, 2, 29), dt.datetime(2021, 2, 28), 2, "11\xa0months, 4\xa0weeks"),
        (dt.datetime(2024, 1, 1), dt.datetime(2025, 1, 1, 0, 0, 59), 2, "1\xa0year"),
        (dt.datetime(2024, 1, 1), dt.datetime(2025, 2, 10, 3, 4), 6,
         "1\xa0year, 1\xa0month, 1\xa0week, 2\xa0days, 3\xa0hours, 4\xa0minutes"),
        (dt.datetime(2024, 1, 1), dt.datetime(2025, 2, 10, 3, 4), 1, "1\xa0year"),
        (dt.datetime(2024, 1, 1, 12), dt.datetime(2024, 1, 1, 12, 0, 59), 2, "0\xa0minutes"),
        (dt.datetime(2024, 1, 1, 12), dt.datetime(2024, 1, 1, 11), 2, "0\xa0minutes"),
        (dt.datetime(2024, 1, 1, 12, tzinfo=UTC), dt.datetime(2024, 1, 1, 16, tzinfo=PLUS_THREE), 2, "1\xa0hour"),
        (dt.date(2024, 1, 1), dt.datetime(2024, 1, 2, 7, 30), 2, "1\xa0day, 7\xa0hours"),
    ],
)
def test_timesince_counts_like_django(earlier, later, depth, expected):
    got = timesince(earlier, later, depth=depth)
    assert got == expected, f"timesince({earlier!r}, {later!r}, depth={depth}) returned {got!r}; expected {expected!r}"


def test_timeuntil_counts_towards_the_future():
    assert timeuntil(dt.datetime(2024, 1, 2, 3), dt.datetime(2024, 1, 1)) == "1\xa0day, 3\xa0hours"
    assert timeuntil(dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 2)) == "0\xa0minutes"


def test_timesince_defaults_to_now_in_the_value_s_time_zone():
    assert timesince(dt.datetime.now() - dt.timedelta(days=3, minutes=1)) == "3\xa0days"
    assert timesince(dt.datetime.now(UTC) - dt.timedelta(hours=5, seconds=30)) == "5\xa0hours"


def test_timesince_refuses_a_depth_below_one():
    with pytest.raises(ValueError, match="depth must be greater than 0."):
        timesince(dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 2), depth=0)


def test_timesince_names_what_is_not_a_date():
    with pytest.raises(TypeError, match="timesince\\(\\) needs a date or datetime, not str."):
        timesince("yesterday")
