"""Property: whatever a client sends, a field's ``clean`` answers with a value or a ValidationError, never a crash.

A request's data is text (or a list of texts for a repeated name), but a
hostile or broken client chooses that text: huge numbers, NUL characters,
"NaN", thousands of brackets, markup. Tests also pass lists, dicts and
numbers, as code calling ``clean`` directly may. Every field, in the
configurations that change its code paths, must turn all of it into either a
cleaned value or a ValidationError whose every error has one of the codes
the field documents.
"""

import decimal
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinyframe.core.exceptions import ValidationError
from tinyframe.forms import fields

CHOICES = [("a", "A"), ("Group", [("b", "B"), (1, "One")]), ("<b>", "Bold")]

TEXT_CODES = {"required", "invalid", "max_length", "null_characters_not_allowed"}

# (field, the codes its errors may carry)
FIELDS = [
    (fields.Field(), {"required"}),
    (fields.CharField(max_length=5, min_length=2), TEXT_CODES - {"invalid"} | {"min_length"}),
    (fields.CharField(required=False, strip=False, empty_value=None), {"null_characters_not_allowed"}),
    (
        fields.IntegerField(min_value=-10, max_value=10**20, step_size=3),
        {"required", "invalid", "min_value", "max_value", "step_size"},
    ),
    (fields.IntegerField(required=False, localize=True), {"invalid"}),
    (fields.FloatField(min_value=0.5, step_size=0.25), {"required", "invalid", "min_value", "step_size"}),
    (fields.FloatField(required=False, localize=True), {"invalid"}),
    (
        fields.DecimalField(
            max_digits=6, decimal_places=2, max_value=decimal.Decimal("1e4"), step_size=decimal.Decimal("0.5")
        ),
        {"required", "invalid", "max_digits", "max_decimal_places", "max_whole_digits", "max_value", "step_size"},
    ),
    (fields.DecimalField(required=False, min_value=0, step_size=2), {"invalid", "min_value", "step_size"}),
    (fields.BooleanField(), {"required"}),
    (fields.NullBooleanField(), set()),
    (fields.EmailField(), {"required", "invalid", "max_length", "null_characters_not_allowed"}),
    (fields.URLField(), {"required", "invalid", "null_characters_not_allowed"}),
    (fields.SlugField(allow_unicode=True), {"required", "invalid", "null_characters_not_allowed"}),
    (fields.RegexField(r"^[a-z]+-[0-9]+\Z", max_length=30), TEXT_CODES),
    (fields.UUIDField(), {"required", "invalid", "null_characters_not_allowed"}),
    (fields.GenericIPAddressField(), {"required", "invalid", "max_length", "null_characters_not_allowed"}),
    (fields.GenericIPAddressField(protocol="IPv6", unpack_ipv4=False), TEXT_CODES),
    (fields.JSONField(), {"required", "invalid", "null_characters_not_allowed"}),
    (fields.DateField(), {"required", "invalid"}),
    (fields.TimeField(), {"required", "invalid"}),
    (fields.DateTimeField(), {"required", "invalid", "ambiguous_timezone"}),
    (fields.DurationField(), {"required", "invalid", "overflow"}),
    (fields.ChoiceField(choices=CHOICES), {"required", "invalid_choice"}),
    (fields.TypedChoiceField(choices=[(1, "1"), ("x", "x")], coerce=int), {"required", "invalid_choice"}),
    (fields.MultipleChoiceField(choices=CHOICES), {"required", "invalid_choice", "invalid_list"}),
    (
        fields.TypedMultipleChoiceField(choices=[(1, "1"), ("x", "x")], coerce=int, required=False),
        {"invalid_choice", "invalid_list"},
    ),
    (fields.FileField(max_length=10), {"required", "invalid", "max_length", "empty"}),
    (fields.SplitDateTimeField(), {"required", "invalid", "ambiguous_timezone"}),
    (fields.SplitDateTimeField(required=False), {"invalid", "invalid_date", "invalid_time", "ambiguous_timezone"}),
    (fields.ComboField(fields=[fields.CharField(max_length=30), fields.EmailField()]), TEXT_CODES),
]

# Text a hostile client might choose on purpose, beside what hypothesis makes up.
HOSTILE = [
    "NaN", "nan", "-nan", "inf", "-Infinity", "sNaN", "1e999", "-1e999999999", "1e-999999999", "9" * 5000,
    "9" * 4000, "0x1F", "1_000", "1.", ".5", "٣", "１２", "\x00", "a\x00b", "[" * 5000, "{" * 3000, '"' * 7,
    "<script>alert(1)</script>", "' OR 1=1 --", "%(value)s", "{value}", "::ffff:1.2.3.4" * 9, "a" * 100_000,
    "P99999999999999D", "9999-12-31 23:59:59+23:59", "0001-01-01 00:00:00-23:59", "2024-02-30", "25:61",
    "\u202e", "\ud7ff", "a" * 5000 + "!", "1" * 40 + ":", "1e5", "-0", "+5", "1,5", " ",
]  # fmt: skip

number_text = st.from_regex(r"\A[-+]?[0-9_]{0,12}(\.[0-9]{0,8})?([eE][-+]?[0-9]{1,12})?\Z")
strings = st.one_of(st.text(), number_text, st.sampled_from(HOSTILE))
values = st.one_of(
    strings,
    st.lists(strings, max_size=4),
    st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=3),
    st.integers(),
    st.floats(),
    st.none(),
    st.booleans(),
)


@pytest.mark.parametrize(("field", "codes"), FIELDS, ids=[type(field).__name__ for field, _ in FIELDS])
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=values)
def test_clean_raises_nothing_but_validation_error(field, codes, value):
    try:
        field.clean(value)
    except ValidationError as error:
        raised = {item.code for item in error.error_list}
        called = f"{type(field).__name__}.clean({value!r:.80})"
        assert raised <= codes, f"{called} raised codes {raised}, expected some of {codes}"
        for item in error.error_list:
            text = item.message % (item.params or {})  # every message can be shown
            assert isinstance(text, str) and text


@pytest.mark.parametrize("value", HOSTILE)
def test_every_field_survives_each_hostile_string(value):
    for field, codes in FIELDS:
        try:
            field.clean(value)
        except ValidationError as error:
            assert {item.code for item in error.error_list} <= codes, (type(field).__name__, value[:40])


def test_python_values_pass_too():
    # What a form's initial data or a model instance hands back is cleaned without complaint.
    assert fields.UUIDField().clean(uuid.UUID(int=5)) == uuid.UUID(int=5)
    assert fields.DecimalField().clean(decimal.Decimal("1.5")) == decimal.Decimal("1.5")
