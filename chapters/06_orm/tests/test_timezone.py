"""tinyframe.utils.timezone: the conversions, checked against Django 5.2's answers, and the current zone.

Every expected value in CONVERSIONS is what ``django.utils.timezone`` returned
for the same call with ``TIME_ZONE="America/New_York"`` and ``USE_TZ=True``,
including the exact error messages.
"""

import datetime
import threading
import zoneinfo

import pytest

from tinyframe.test.utils import override_settings
from tinyframe.utils import timezone

UTC = datetime.timezone.utc
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
NAIVE = datetime.datetime(2024, 3, 31, 1, 30)
AWARE = datetime.datetime(2024, 3, 31, 1, 30, tzinfo=UTC)

CONVERSIONS = [
    ("make_aware(NAIVE)", lambda: timezone.make_aware(NAIVE), datetime.datetime(2024, 3, 31, 1, 30, tzinfo=NEW_YORK)),
    ("make_aware(NAIVE, PARIS)", lambda: timezone.make_aware(NAIVE, PARIS),
     datetime.datetime(2024, 3, 31, 1, 30, tzinfo=PARIS)),
    ("utcoffset of 02:30 Paris, skipped by DST", lambda: timezone.make_aware(datetime.datetime(2024, 3, 31, 2, 30),
                                                                             PARIS).utcoffset(),
     datetime.timedelta(hours=1)),
    ("utcoffset of 02:30 Paris, repeated by DST", lambda: timezone.make_aware(datetime.datetime(2024, 10, 27, 2, 30),
                                                                              PARIS).utcoffset(),
     datetime.timedelta(hours=2)),
    ("make_aware(AWARE)", lambda: timezone.make_aware(AWARE),
     (ValueError, "make_aware expects a naive datetime, got 2024-03-31 01:30:00+00:00")),
    ("make_naive(AWARE)", lambda: timezone.make_naive(AWARE), datetime.datetime(2024, 3, 30, 21, 30)),
    ("make_naive(AWARE, PARIS)", lambda: timezone.make_naive(AWARE, PARIS), datetime.datetime(2024, 3, 31, 3, 30)),
    ("make_naive(NAIVE)", lambda: timezone.make_naive(NAIVE),
     (ValueError, "make_naive() cannot be applied to a naive datetime")),
    ("localtime(AWARE)", lambda: timezone.localtime(AWARE), datetime.datetime(2024, 3, 30, 21, 30, tzinfo=NEW_YORK)),
    ("localtime(AWARE, PARIS)", lambda: timezone.localtime(AWARE, PARIS),
     datetime.datetime(2024, 3, 31, 3, 30, tzinfo=PARIS)),
    ("localtime(NAIVE)", lambda: timezone.localtime(NAIVE),
     (ValueError, "localtime() cannot be applied to a naive datetime")),
    ("localdate(3 am UTC on New Year's Day)", lambda: timezone.localdate(datetime.datetime(2024, 1, 1, 3, tzinfo=UTC)),
     datetime.date(2023, 12, 31)),
    ("localdate(NAIVE)", lambda: timezone.localdate(NAIVE),
     (ValueError, "localtime() cannot be applied to a naive datetime")),
    ("is_aware(AWARE)", lambda: timezone.is_aware(AWARE), True),
    ("is_aware(NAIVE)", lambda: timezone.is_aware(NAIVE), False),
    ("is_aware(a time with a ZoneInfo)", lambda: timezone.is_aware(datetime.time(1, tzinfo=PARIS)), False),
    ("is_naive(time(1))", lambda: timezone.is_naive(datetime.time(1)), True),
    ("is_aware(a date)", lambda: timezone.is_aware(datetime.date(2024, 1, 1)),
     (AttributeError, "'datetime.date' object has no attribute 'utcoffset'")),
    ("activate(3)", lambda: timezone.activate(3), (ValueError, "Invalid timezone: 3")),
    ("get_default_timezone()", timezone.get_default_timezone, NEW_YORK),
    ("get_default_timezone_name()", timezone.get_default_timezone_name, "America/New_York"),
    ("get_current_timezone()", timezone.get_current_timezone, NEW_YORK),
    ("get_fixed_timezone(-330)", lambda: timezone.get_fixed_timezone(-330),
     datetime.timezone(datetime.timedelta(hours=-5, minutes=-30), "-0530")),
    ("get_fixed_timezone(timedelta(hours=2))", lambda: timezone.get_fixed_timezone(datetime.timedelta(hours=2)),
     datetime.timezone(datetime.timedelta(hours=2), "+0200")),
]


def test_conversions_match_django(check_rows):
    def check(description, call, expected):
        if isinstance(expected, tuple):
            error, message = expected
            with pytest.raises(error) as caught:
                call()
            assert str(caught.value) == message, f"{description} raised {str(caught.value)!r}, expected {message!r}"
            return
        result = call()
        assert result == expected and str(result) == str(expected), (
            f"{description} returned {result!r}, expected {expected!r}"
        )
        if isinstance(expected, datetime.datetime):
            assert result.tzinfo == expected.tzinfo, f"{description} is in {result.tzinfo}, expected {expected.tzinfo}"

    with override_settings(TIME_ZONE="America/New_York", USE_TZ=True):
        check_rows(CONVERSIONS, check)


def test_now_is_aware_utc_with_use_tz_and_naive_without():
    with override_settings(USE_TZ=True):
        assert timezone.now().tzinfo is UTC
    with override_settings(USE_TZ=False):
        assert timezone.now().tzinfo is None
    before = datetime.datetime.now(UTC)
    assert before <= timezone.now() <= datetime.datetime.now(UTC)


def test_activate_and_deactivate_change_the_current_zone():
    with override_settings(TIME_ZONE="America/New_York"):
        timezone.activate("Europe/Paris")
        try:
            assert timezone.get_current_timezone() == PARIS
            assert timezone.get_current_timezone_name() == "Europe/Paris"
            assert timezone.localtime(AWARE) == datetime.datetime(2024, 3, 31, 3, 30, tzinfo=PARIS)
            timezone.activate(UTC)
            assert timezone.get_current_timezone() is UTC
        finally:
            timezone.deactivate()
        assert timezone.get_current_timezone() == NEW_YORK
        timezone.deactivate()  # twice is harmless


def test_unknown_zone_name_is_zoneinfos_error():
    with pytest.raises(zoneinfo.ZoneInfoNotFoundError, match="No time zone found with key Mars/Olympus"):
        timezone.activate("Mars/Olympus")


def test_override_nests_restores_and_decorates():
    with override_settings(TIME_ZONE="America/New_York"):
        timezone.activate("Europe/Paris")
        try:
            with timezone.override("Asia/Tokyo"):
                assert timezone.get_current_timezone_name() == "Asia/Tokyo"
                with timezone.override(None):
                    assert timezone.get_current_timezone_name() == "America/New_York"
                assert timezone.get_current_timezone_name() == "Asia/Tokyo"
            assert timezone.get_current_timezone_name() == "Europe/Paris"
        finally:
            timezone.deactivate()

        @timezone.override("Asia/Kolkata")
        def current(depth):
            return [timezone.get_current_timezone_name()] + (current(depth - 1) if depth else [])

        assert current(2) == ["Asia/Kolkata"] * 3, "a recursive call through the same decorator"
        assert timezone.get_current_timezone_name() == "America/New_York"


def test_default_zone_follows_the_time_zone_setting():
    with override_settings(TIME_ZONE="Asia/Kolkata"):
        assert timezone.get_default_timezone() == zoneinfo.ZoneInfo("Asia/Kolkata")
    assert timezone.get_default_timezone_name() == "UTC"


def test_current_zone_is_per_thread():
    seen = []
    with timezone.override("Europe/Paris"):
        thread = threading.Thread(target=lambda: seen.append(timezone.get_current_timezone_name()))
        thread.start()
        thread.join()
    assert seen == ["UTC"], "a zone activated in one thread leaked into another"


def test_localtime_and_localdate_default_to_now():
    with timezone.override("Pacific/Kiritimati"):  # UTC+14: its date is often not UTC's
        expected = datetime.datetime.now(UTC).astimezone(zoneinfo.ZoneInfo("Pacific/Kiritimati"))
        assert abs(timezone.localtime() - expected) < datetime.timedelta(seconds=5)
        assert timezone.localdate() in (expected.date(), (expected + datetime.timedelta(seconds=5)).date())


def test_utc_is_the_standard_library_utc():
    assert timezone.utc is datetime.timezone.utc
