"""DateField, TimeField, DateTimeField and DurationField (Django 5.2's formats, messages and time zones)."""

import datetime
import zoneinfo

import pytest

from tinyframe.core.exceptions import ValidationError
from tinyframe.forms import DateField, DateInput, DateTimeField, DateTimeInput, DurationField, TimeField, TimeInput
from tinyframe.forms.fields.temporal import InputFormats
from tinyframe.utils.dateparse import parse_datetime, parse_duration
from tinyframe.utils.duration import duration_string

UTC = datetime.timezone.utc
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def clean_error(field, value):
    """The (code, message) pairs ``field.clean(value)`` raises."""
    with pytest.raises(ValidationError) as caught:
        field.clean(value)
    return [(error.code, error.message % (error.params or {})) for error in caught.value.error_list]


# DateField


@pytest.mark.parametrize(
    "text",
    ["2024-02-29", " 2024-2-29 ", "02/29/2024", "02/29/24", "Feb 29 2024", "Feb 29, 2024", "29 Feb 2024",
     "29 Feb, 2024", "February 29 2024", "February 29, 2024", "29 February 2024", "29 February, 2024"],
)  # fmt: skip
def test_date_field_reads_every_default_format(text):
    assert DateField().clean(text) == datetime.date(2024, 2, 29)


@pytest.mark.parametrize(
    "text", ["2024-02-30", "2023-02-29", "29/02/2024", "tomorrow", "2024-02-29T10:00", "\x00", "9" * 10000]
)
def test_date_field_refuses_other_text(text):
    assert clean_error(DateField(), text) == [("invalid", "Enter a valid date.")]


@pytest.mark.parametrize("value", [["2024-02-29"], {"a": 1}, 20240229])
def test_date_field_refuses_what_is_not_text(value):
    assert clean_error(DateField(), value) == [("invalid", "Enter a valid date.")]


def test_date_field_python_values_and_empty_ones():
    assert DateField().clean(datetime.date(2024, 1, 2)) == datetime.date(2024, 1, 2)
    assert DateField().clean(datetime.datetime(2024, 1, 2, 23, 59)) == datetime.date(2024, 1, 2)
    assert DateField(required=False).clean("") is None
    assert clean_error(DateField(), "") == [("required", "This field is required.")]


def test_date_field_own_input_formats():
    field = DateField(input_formats=["%d.%m.%Y"])
    assert field.clean("29.02.2024") == datetime.date(2024, 2, 29)
    assert clean_error(field, "2024-02-29") == [("invalid", "Enter a valid date.")]


def test_date_field_reads_the_setting_when_cleaning(use_settings):
    field = DateField()
    use_settings(DATE_INPUT_FORMATS=["%d.%m.%Y"])
    assert field.clean("29.02.2024") == datetime.date(2024, 2, 29)


def test_input_formats_chain_settings():
    assert list(InputFormats("TIME_INPUT_FORMATS")) == ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]
    assert repr(InputFormats("TIME_INPUT_FORMATS")) == "InputFormats('TIME_INPUT_FORMATS',)"


def test_temporal_widgets():
    assert isinstance(DateField().widget, DateInput)
    assert isinstance(TimeField().widget, TimeInput)
    assert isinstance(DateTimeField().widget, DateTimeInput)


# TimeField


@pytest.mark.parametrize(
    ("text", "time"),
    [("13:05", datetime.time(13, 5)), ("13:05:06", datetime.time(13, 5, 6)),
     ("13:05:06.5", datetime.time(13, 5, 6, 500000)), (" 7:05 ", datetime.time(7, 5))],
)  # fmt: skip
def test_time_field_reads_times(text, time):
    assert TimeField().clean(text) == time


@pytest.mark.parametrize("text", ["25:00", "13:60", "1pm", "13:05:06.1234567", "13", ["13:05"]])
def test_time_field_refuses_other_text(text):
    assert clean_error(TimeField(), text) == [("invalid", "Enter a valid time.")]


def test_time_field_keeps_a_time():
    assert TimeField().clean(datetime.time(1, 2)) == datetime.time(1, 2)
    assert TimeField(required=False).clean(None) is None


# DateTimeField


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-29 13:05", datetime.datetime(2024, 2, 29, 13, 5, tzinfo=UTC)),
        ("2024-02-29T13:05:06.5", datetime.datetime(2024, 2, 29, 13, 5, 6, 500000, tzinfo=UTC)),
        ("2024-02-29 13:05:06,5Z", datetime.datetime(2024, 2, 29, 13, 5, 6, 500000, tzinfo=UTC)),
        ("2024-02-29", datetime.datetime(2024, 2, 29, tzinfo=UTC)),
        ("02/29/2024 13:05", datetime.datetime(2024, 2, 29, 13, 5, tzinfo=UTC)),
        ("Feb 29 2024", datetime.datetime(2024, 2, 29, tzinfo=UTC)),
        ("2024-02-29 13:05:06.1234567", datetime.datetime(2024, 2, 29, 13, 5, 6, 123456, tzinfo=UTC)),
    ],
)
def test_date_time_field_reads_iso_and_the_formats(text, expected):
    value = DateTimeField().clean(text)
    assert value == expected and value.utcoffset() == datetime.timedelta(0)


def test_date_time_field_keeps_an_offset_it_is_given():
    value = DateTimeField().clean("2024-02-29T13:05:00+01:00")
    assert value.utcoffset() == datetime.timedelta(hours=1)
    assert value == datetime.datetime(2024, 2, 29, 12, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    "text", ["2024-02-30 10:00", "2024-02-29 25:00", "yesterday", "2024-02-29 13:05 +25:00", ["x"], 1]
)
def test_date_time_field_refuses_other_text(text):
    assert clean_error(DateTimeField(), text) == [("invalid", "Enter a valid date/time.")]


def test_date_time_field_takes_naive_times_in_the_current_time_zone(use_settings):
    use_settings(TIME_ZONE="Europe/Paris")
    value = DateTimeField().clean("2024-06-01 12:00")
    assert value == datetime.datetime(2024, 6, 1, 12, tzinfo=PARIS)
    assert value.utcoffset() == datetime.timedelta(hours=2)
    assert DateTimeField().clean(datetime.date(2024, 6, 1)) == datetime.datetime(2024, 6, 1, tzinfo=PARIS)


@pytest.mark.parametrize("text", ["2024-03-31 02:30", "2024-10-27 02:30"])
def test_date_time_field_refuses_a_time_the_clocks_skip_or_repeat(use_settings, text):
    use_settings(TIME_ZONE="Europe/Paris")
    assert clean_error(DateTimeField(), text) == [
        (
            "ambiguous_timezone",
            f"{text}:00 couldn’t be interpreted in time zone Europe/Paris; it may be ambiguous or it may not exist.",
        )
    ]


def test_date_time_field_prepare_value_shows_local_time(use_settings):
    use_settings(TIME_ZONE="Europe/Paris")
    shown = DateTimeField().prepare_value(datetime.datetime(2024, 6, 1, 10, tzinfo=UTC))
    assert shown == datetime.datetime(2024, 6, 1, 12)
    assert DateTimeField().prepare_value("2024-06-01") == "2024-06-01"


def test_date_time_field_without_time_zones(use_settings):
    use_settings(USE_TZ=False)
    assert DateTimeField().clean("2024-06-01 12:00") == datetime.datetime(2024, 6, 1, 12)
    aware = DateTimeField().clean("2024-06-01T12:00+02:00")
    assert aware.utcoffset() == datetime.timedelta(hours=2)


def test_parse_datetime():
    assert parse_datetime("2024-2-9 3:04:05.6-02:30") == datetime.datetime(
        2024, 2, 9, 3, 4, 5, 600000, tzinfo=datetime.timezone(-datetime.timedelta(hours=2, minutes=30))
    )
    assert parse_datetime("2024-02-29 13:05 +01") == datetime.datetime(
        2024, 2, 29, 13, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
    )
    assert parse_datetime("not a date") is None
    with pytest.raises(ValueError):
        parse_datetime("2024-2-30 10:00")


# DurationField


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("1 02:03:04", datetime.timedelta(days=1, hours=2, minutes=3, seconds=4)),
        ("3:04", datetime.timedelta(minutes=3, seconds=4)),
        ("30", datetime.timedelta(seconds=30)),
        ("1 day, 2:03:04.5", datetime.timedelta(days=1, hours=2, minutes=3, seconds=4.5)),
        ("-1 day, 23:59:59", datetime.timedelta(seconds=-1)),
        ("-01:00:00", datetime.timedelta(hours=-1)),
        ("P4DT1H15M20S", datetime.timedelta(days=4, hours=1, minutes=15, seconds=20)),
        ("PT1,5S", datetime.timedelta(seconds=1.5)),
        ("-P1DT1H", datetime.timedelta(days=-1, hours=-1)),
        ("3 days 04:05:06", datetime.timedelta(days=3, hours=4, minutes=5, seconds=6)),
        ("-3 days -04:05:06", datetime.timedelta(days=-3, hours=-4, minutes=-5, seconds=-6)),
    ],
)
def test_duration_field_reads_durations(text, duration):
    assert DurationField().clean(text) == duration


@pytest.mark.parametrize("text", ["soon", "P1Y", "1:2:3:4", "1 day 2 hours", ["1"], "\x00"])
def test_duration_field_refuses_other_text(text):
    assert clean_error(DurationField(), text) == [("invalid", "Enter a valid duration.")]


@pytest.mark.parametrize(
    "text", ["1000000000 00:00:00", "9" * 5000 + " 00:00:00", "P9999999999D", "99999999999999:00:00"]
)
def test_duration_field_out_of_range_is_overflow(text):
    assert clean_error(DurationField(), text) == [
        ("overflow", "The number of days must be between -999999999 and 999999999.")
    ]


def test_duration_field_shows_what_it_reads():
    duration = datetime.timedelta(days=-1, seconds=5, microseconds=7)
    assert DurationField().prepare_value(duration) == "-1 00:00:05.000007"
    assert DurationField().clean(DurationField().prepare_value(duration)) == duration
    assert DurationField().prepare_value("x") == "x"
    assert DurationField().clean(datetime.timedelta(1)) == datetime.timedelta(1)
    assert DurationField(required=False).clean("") is None


def test_duration_string_and_parse_duration():
    assert duration_string(datetime.timedelta(hours=1)) == "01:00:00"
    assert parse_duration("") == datetime.timedelta(0)
    assert parse_duration("x") is None
