"""tinyframe.utils.dateparse: the parsers model fields (and, later, form fields) share.

Every expected value below is what Django 5.2's ``django.utils.dateparse``
answers for the same text, on the same Python.
"""

import datetime

import pytest

from tinyframe.core.exceptions import ValidationError
from tinyframe.db import models
from tinyframe.utils.dateparse import parse_date, parse_datetime, parse_duration, parse_time

UTC = datetime.timezone.utc


def offset(minutes: int, name: str | None = None) -> datetime.timezone:
    """A fixed offset, named as ``get_fixed_timezone`` names it when given."""
    delta = datetime.timedelta(minutes=minutes)
    return datetime.timezone(delta, name) if name else datetime.timezone(delta)


@pytest.mark.parametrize(
    ("parser", "text", "expected"),
    [
        (parse_date, "2024-02-29", datetime.date(2024, 2, 29)),
        (parse_date, "2024-2-9", datetime.date(2024, 2, 9)),
        (parse_date, "20240229", datetime.date(2024, 2, 29)),
        (parse_date, "2024-W09-4", datetime.date(2024, 2, 29)),
        (parse_date, "2024-1-1\n", datetime.date(2024, 1, 1)),
        (parse_date, "2024/02/29", None),
        (parse_date, "2024-02-29 ", None),
        (parse_date, "2024-02-29T10:00", None),
        (parse_date, "", None),
        (parse_time, "9:30", datetime.time(9, 30)),
        (parse_time, "13:05:00,5", datetime.time(13, 5, 0, 500000)),
        (parse_time, "13:05:00.1234567", datetime.time(13, 5, 0, 123456)),
        (parse_time, "1305", datetime.time(13, 5)),
        (parse_time, "T13:05", datetime.time(13, 5)),
        (parse_time, "13:05+01:00", datetime.time(13, 5)),
        (parse_time, "13:05:00Z", datetime.time(13, 5)),
        (parse_time, "noon", None),
        (parse_datetime, "2024-02-29", datetime.datetime(2024, 2, 29)),
        (parse_datetime, "20240229T130500", datetime.datetime(2024, 2, 29, 13, 5)),
        (parse_datetime, "2024-02-29T13:05Z", datetime.datetime(2024, 2, 29, 13, 5, tzinfo=UTC)),
        (parse_datetime, "2024-02-29 13:05:00 Z", datetime.datetime(2024, 2, 29, 13, 5, tzinfo=UTC)),
        (parse_datetime, "2024-02-29 13:05+0130", datetime.datetime(2024, 2, 29, 13, 5, tzinfo=offset(90))),
        (parse_datetime, "2024-02-29T13:05:00,5", datetime.datetime(2024, 2, 29, 13, 5, 0, 500000)),
        (parse_datetime, "2024-2-9 3:4", datetime.datetime(2024, 2, 9, 3, 4)),
        (parse_datetime, "02/29/2024", None),
        (parse_duration, "1 day, 2:03:04.5", datetime.timedelta(days=1, hours=2, minutes=3, seconds=4.5)),
        (parse_duration, "-1 02:00:00", datetime.timedelta(days=-1, hours=2)),
        (parse_duration, "-1:00", datetime.timedelta(minutes=-1)),
        (parse_duration, "4,5", datetime.timedelta(seconds=4.5)),
        (parse_duration, "", datetime.timedelta(0)),
        (parse_duration, "P1DT2H3M4S", datetime.timedelta(days=1, hours=2, minutes=3, seconds=4)),
        (parse_duration, "-P1DT2H", -datetime.timedelta(days=1, hours=2)),
        (parse_duration, "P1.5D", datetime.timedelta(days=1.5)),
        (parse_duration, "PT1,5S", datetime.timedelta(seconds=1.5)),
        (parse_duration, "P4W", None),
        (parse_duration, "3 days 04:05:06", datetime.timedelta(days=3, hours=4, minutes=5, seconds=6)),
        (parse_duration, "3 days -04:05:06", datetime.timedelta(days=3, hours=-4, minutes=-5, seconds=-6)),
        (parse_duration, "-1 day -01:00:00", datetime.timedelta(days=-1, hours=-1)),
        (parse_duration, "1:02:03:04", None),
    ],
)
def test_parsers_answer_as_djangos_dateparse(parser, text, expected):
    assert parser(text) == expected, f"{parser.__name__}({text!r}) gave {parser(text)!r}, expected {expected!r}"


def test_a_written_offset_is_a_named_fixed_zone_and_an_iso_one_is_not():
    parsed = parse_datetime("2024-2-9 3:04:05,6 -0230")
    assert parsed == datetime.datetime(2024, 2, 9, 3, 4, 5, 600000, tzinfo=offset(-150))
    assert parsed.tzname() == "-0230"
    assert parse_datetime("2024-02-29 13:05:00+01:00").tzname() == "UTC+01:00"


@pytest.mark.parametrize(
    ("parser", "text"),
    [
        (parse_date, "2024-02-30"),
        (parse_date, "0000-01-01"),
        (parse_time, "25:00"),
        (parse_time, "13:05:60"),
        (parse_datetime, "2024-02-30 10:00"),
        (parse_datetime, "2024-02-29 13:05:00+24:00"),
    ],
)
def test_the_right_shape_with_an_impossible_value_is_a_value_error(parser, text):
    with pytest.raises(ValueError):
        parser(text)


@pytest.mark.parametrize("text", ["1000000000 days", "P99999999999999999999D", "9" * 400])
def test_a_duration_beyond_timedeltas_range_is_an_overflow_error(text):
    with pytest.raises(OverflowError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        (models.DateField(), "20240229", datetime.date(2024, 2, 29)),
        (models.TimeField(), "13:05+01:00", datetime.time(13, 5)),
        (models.DateTimeField(), "20240229T1305", datetime.datetime(2024, 2, 29, 13, 5)),
        (models.DurationField(), "P1DT2H", datetime.timedelta(days=1, hours=2)),
        (models.DurationField(), "-1 day -01:00:00", datetime.timedelta(days=-1, hours=-1)),
    ],
)
def test_model_fields_read_every_form_djangos_read(field, text, expected):
    assert field.to_python(text) == expected


def test_a_model_duration_out_of_range_is_invalid_not_an_overflow_error():
    # Django lets the OverflowError escape; a field's to_python should only ever raise ValidationError.
    with pytest.raises(ValidationError) as caught:
        models.DurationField().to_python("1000000000 days")
    assert caught.value.code == "invalid"
