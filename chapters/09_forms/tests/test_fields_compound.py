"""ComboField, MultiValueField and SplitDateTimeField: fields made of fields (Django 5.2's results)."""

import copy
import datetime
import zoneinfo

import pytest

from tinyframe.core.exceptions import ValidationError
from tinyframe.forms import (
    CharField,
    ComboField,
    EmailField,
    IntegerField,
    MultiValueField,
    SplitDateTimeField,
    SplitDateTimeWidget,
    SplitHiddenDateTimeWidget,
)


def clean_error(field, value):
    """The (code, message) pairs ``field.clean(value)`` raises."""
    with pytest.raises(ValidationError) as caught:
        field.clean(value)
    return [(error.code, error.message % (error.params or {})) for error in caught.value.error_list]


REQUIRED = [("required", "This field is required.")]


class Pair(MultiValueField):
    """Two whole numbers, the second optional, joined with a hyphen."""

    def compress(self, data_list):
        return "-".join(map(str, data_list))


def pair(**kwargs):
    return Pair(fields=[IntegerField(), IntegerField(required=False)], **kwargs)


def test_combo_field_cleans_with_every_field_in_turn():
    field = ComboField(fields=[CharField(max_length=20), EmailField()])
    assert field.clean(" ada@example.com ") == "ada@example.com"
    assert clean_error(field, "x" * 21) == [("max_length", "Ensure this value has at most 20 characters (it has 21).")]
    assert clean_error(field, "ada") == [("invalid", "Enter a valid email address.")]
    assert clean_error(field, "") == REQUIRED
    assert ComboField(fields=[CharField()], required=False).clean("") == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["1", ""], "1-None"),
        (["1", "2"], "1-2"),
        (["", "x"], [(None, "Enter a complete value."), ("invalid", "Enter a whole number.")]),
        (["x", "x"], [("invalid", "Enter a whole number.")]),
        (["", ""], REQUIRED),
        ("1-2", [("invalid", "Enter a list of values.")]),
        ({"a": 1}, [("invalid", "Enter a list of values.")]),
    ],
)
def test_multi_value_field_without_require_all_fields(value, expected):
    field = pair(require_all_fields=False)
    if isinstance(expected, list):
        assert clean_error(field, value) == expected
    else:
        assert field.clean(value) == expected


def test_multi_value_field_requiring_all_parts():
    assert clean_error(pair(), ["1", ""]) == REQUIRED
    assert pair().clean(["1", "2"]) == "1-2"
    assert pair(required=False).clean(["", ""]) == ""
    assert pair(required=False).clean(["1"]) == "1-None"


def test_multi_value_field_compress_is_the_subclasses_job():
    with pytest.raises(NotImplementedError):
        MultiValueField(fields=[CharField()]).clean(["x"])


def test_multi_value_field_disabled_decompresses_and_disables_its_parts():
    field = SplitDateTimeField(disabled=True)
    assert all(part.disabled for part in field.fields)
    moment = datetime.datetime(2024, 2, 29, 13, 5, tzinfo=datetime.timezone.utc)
    assert field.clean(moment) == moment
    assert field.has_changed(moment, ["2000-01-01", "00:00"]) is False


def test_multi_value_field_deep_copy_copies_its_parts():
    field = pair()
    clone = copy.deepcopy(field)
    assert clone.fields[0] is not field.fields[0]


def test_multi_value_field_has_changed():
    field = SplitDateTimeField()
    moment = datetime.datetime(2024, 2, 29, 13, 5, tzinfo=datetime.timezone.utc)
    assert field.has_changed(None, ["2024-01-01", ""]) is True
    assert field.has_changed(None, ["", ""]) is False
    assert field.has_changed(moment, ["2024-02-29", "13:05:00"]) is False
    assert field.has_changed(moment, ["2024-02-29", "13:06:00"]) is True
    assert field.has_changed(["bad", "13:05"], ["2024-02-29", "13:05"]) is True


def test_split_date_time_field(use_settings):
    use_settings(TIME_ZONE="Europe/Paris")
    field = SplitDateTimeField()
    assert isinstance(field.widget, SplitDateTimeWidget) and field.hidden_widget is SplitHiddenDateTimeWidget
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    assert field.clean(["2024-06-01", "12:00"]) == datetime.datetime(2024, 6, 1, 12, tzinfo=paris)
    assert clean_error(field, ["2024-02-30", "25:00"]) == [
        ("invalid", "Enter a valid date."),
        ("invalid", "Enter a valid time."),
    ]
    assert clean_error(field, ["2024-02-29", ""]) == REQUIRED
    assert clean_error(field, "2024-02-29 13:05") == [("invalid", "Enter a list of values.")]


def test_optional_split_date_time_field_wants_both_parts_or_none():
    field = SplitDateTimeField(required=False)
    assert field.clean(["", ""]) is None
    assert clean_error(field, ["2024-02-29", ""]) == [("invalid_time", "Enter a valid time.")]
    assert clean_error(field, ["", "13:05"]) == [("invalid_date", "Enter a valid date.")]


def test_split_date_time_field_formats_and_messages():
    field = SplitDateTimeField(
        input_date_formats=["%d.%m.%Y"], input_time_formats=["%H.%M"], error_messages={"invalid_date": "Bad day."}
    )
    assert field.clean(["29.02.2024", "13.05"]) == datetime.datetime(2024, 2, 29, 13, 5, tzinfo=datetime.timezone.utc)
    assert clean_error(field, ["2024-02-29", "13.05"]) == [("invalid", "Bad day.")]
