"""JSON for responses: DjangoJSONEncoder's formats, and to_json, the fast path JsonResponse takes."""

import datetime
import decimal
import json
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinyframe.core.serializers import json as serializers_json
from tinyframe.core.serializers.json import DjangoJSONEncoder, to_json
from tinyframe.http import JsonResponse
from tinyframe.utils.duration import duration_iso_string

UTC = datetime.timezone.utc
PLUS_TWO = datetime.timezone(datetime.timedelta(hours=2))


# Each expected text was produced by Django 5.2's DjangoJSONEncoder for the same value.
@pytest.mark.parametrize(
    "value, expected",
    [
        (datetime.datetime(2024, 1, 2, 3, 4, 5, 123456), '"2024-01-02T03:04:05.123"'),
        (datetime.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC), '"2024-01-02T03:04:05.123Z"'),
        (datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=PLUS_TWO), '"2024-01-02T03:04:05+02:00"'),
        (datetime.datetime(2024, 1, 2, 3, 4, 5, 900, tzinfo=PLUS_TWO), '"2024-01-02T03:04:05.000+02:00"'),
        (datetime.date(2024, 1, 2), '"2024-01-02"'),
        (datetime.time(3, 4, 5, 678901), '"03:04:05.678"'),
        (datetime.time(3, 4), '"03:04:00"'),
        (datetime.timedelta(days=-1, seconds=5), '"-P0DT23H59M55S"'),
        (datetime.timedelta(days=1, hours=2, microseconds=5), '"P1DT02H00M00.000005S"'),
        (decimal.Decimal("1.10"), '"1.10"'),
        (uuid.UUID(int=5), '"00000000-0000-0000-0000-000000000005"'),
    ],
)
def test_django_json_encoder_formats(value, expected):
    assert json.dumps(value, cls=DjangoJSONEncoder) == expected
    assert to_json(value) == expected


def test_django_json_encoder_refuses_an_aware_time():
    with pytest.raises(ValueError, match="JSON can't represent timezone-aware times."):
        to_json({"at": datetime.time(9, tzinfo=UTC)})


def test_django_json_encoder_refuses_what_it_does_not_know():
    with pytest.raises(TypeError, match="Object of type object is not JSON serializable"):
        JsonResponse({"thing": object()})


def test_a_circular_structure_is_named_not_a_stack_overflow():
    data = {}
    data["self"] = data
    with pytest.raises(ValueError, match="Circular reference detected"):
        JsonResponse(data)


def test_to_json_works_without_the_c_accelerator(monkeypatch):
    """Python builds without json's C encoder (PyPy, for one) fall back to json.dumps."""
    monkeypatch.setattr(serializers_json, "_encode", None)
    assert to_json({"when": datetime.date(2024, 5, 1)}) == '{"when": "2024-05-01"}'


def test_json_response_encodes_dates_by_default():
    response = JsonResponse({"published": datetime.datetime(2024, 5, 1, 12, 0, tzinfo=UTC)})
    assert response.content == b'{"published": "2024-05-01T12:00:00Z"}'


def test_json_response_with_params_uses_json_dumps_with_the_encoder():
    response = JsonResponse({"b": decimal.Decimal("2"), "a": 1}, json_dumps_params={"sort_keys": True})
    assert response.content == b'{"a": 1, "b": "2"}'


def test_duration_iso_string_of_zero():
    assert duration_iso_string(datetime.timedelta(0)) == "P0DT00H00M00S"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=8,
)


@given(json_values)
def test_to_json_gives_what_json_dumps_gives(value):
    """The shared encoder is a speed-up only: the text is json.dumps's, character for character."""
    assert to_json(value) == json.dumps(value, cls=DjangoJSONEncoder)
