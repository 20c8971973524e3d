"""IntegerField, FloatField and DecimalField: text in, numbers out, limits checked (Django 5.2's messages)."""

import decimal

import pytest

from tinyframe.core.exceptions import ValidationError
from tinyframe.forms import DecimalField, FloatField, IntegerField, NumberInput, TextInput
from tinyframe.forms.fields.numeric import sanitize_separators


def clean_error(field, value):
    """The (code, message) pairs ``field.clean(value)`` raises, for comparing with Django's."""
    with pytest.raises(ValidationError) as caught:
        field.clean(value)
    return [(error.code, error.message % (error.params or {})) for error in caught.value.error_list]


# Exercise 09.2: IntegerField.to_python


@pytest.mark.exercise("09.2")
@pytest.mark.parametrize(
    ("text", "number"),
    [("1", 1), ("-17", -17), (" 42 ", 42), ("+5", 5), ("1_000", 1000), (7, 7), ("9" * 100, int("9" * 100))],
)
def test_integer_field_converts_text_to_an_int(text, number):
    assert IntegerField().to_python(text) == number, f"IntegerField().to_python({text!r})"


@pytest.mark.exercise("09.2")
@pytest.mark.parametrize("empty", [None, "", [], (), {}])
def test_integer_field_gives_none_for_empty_values(empty):
    assert IntegerField().to_python(empty) is None
    assert IntegerField(required=False).clean(empty) is None


@pytest.mark.exercise("09.2")
@pytest.mark.parametrize(("text", "number"), [("42.0", 42), ("42.", 42), ("42.000 ", 42), ("-3.0", -3)])
def test_integer_field_accepts_a_whole_number_written_with_a_decimal_point(text, number):
    assert IntegerField().to_python(text) == number


@pytest.mark.exercise("09.2")
@pytest.mark.parametrize(
    "text", ["seven", "1.5", "1e3", "0x10", "inf", "NaN", "1 000", "1,000", "--1", "1.0.0", "\x00", "1\x00"]
)
def test_integer_field_refuses_what_is_not_a_whole_number(text):
    with pytest.raises(ValidationError) as caught:
        IntegerField().to_python(text)
    assert caught.value.code == "invalid"
    assert caught.value.messages == ["Enter a whole number."]


@pytest.mark.exercise("09.2")
def test_integer_field_refuses_numbers_python_will_not_convert():
    # int() refuses text of more than 4300 digits (a guard against quadratic-time conversion).
    assert clean_error(IntegerField(), "9" * 5000) == [("invalid", "Enter a whole number.")]


@pytest.mark.exercise("09.2")
@pytest.mark.parametrize("value", [["1"], {"a": 1}, ["1", "2"]])
def test_integer_field_refuses_lists_and_dicts(value):
    assert clean_error(IntegerField(), value) == [("invalid", "Enter a whole number.")]


@pytest.mark.exercise("09.2")
def test_integer_field_uses_its_own_invalid_message():
    field = IntegerField(error_messages={"invalid": "Numbers only, please."})
    assert clean_error(field, "x") == [("invalid", "Numbers only, please.")]


@pytest.mark.exercise("09.2")
def test_integer_field_localized_reads_the_decimal_separator(use_settings):
    use_settings(USE_THOUSAND_SEPARATOR=True, THOUSAND_SEPARATOR=",", DECIMAL_SEPARATOR=".")
    assert IntegerField(localize=True).clean("1,234") == 1234
    assert IntegerField(localize=True).clean("1,234.0") == 1234
    assert clean_error(IntegerField(), "1,234") == [("invalid", "Enter a whole number.")]


@pytest.mark.exercise("09.2")
def test_integer_field_required_says_so():
    assert clean_error(IntegerField(), "") == [("required", "This field is required.")]
    # Whitespace alone is not empty to an IntegerField (Django's too): it is text that is no number.
    assert clean_error(IntegerField(), "   ") == [("invalid", "Enter a whole number.")]


# IntegerField's limits: every validator runs, and all their errors are reported together.
STEP_ERROR = ("step_size", "Ensure this value is a multiple of step size 3, starting from 1, e.g. 1, 4, 7, and so on.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", [("min_value", "Ensure this value is greater than or equal to 1."), STEP_ERROR]),
        ("11", [("max_value", "Ensure this value is less than or equal to 10."), STEP_ERROR]),
        ("5", [STEP_ERROR]),
        ("13", [("max_value", "Ensure this value is less than or equal to 10.")]),
        ("7", []),
    ],
)
def test_integer_field_limits(text, expected):
    field = IntegerField(min_value=1, max_value=10, step_size=3)
    if not expected:
        assert field.clean(text) == int(text)
    else:
        assert clean_error(field, text) == expected


def test_integer_field_step_without_minimum_counts_from_zero():
    assert clean_error(IntegerField(step_size=3), "5") == [
        ("step_size", "Ensure this value is a multiple of step size 3.")
    ]
    assert IntegerField(step_size=3).clean("9" * 3000) == int("9" * 3000)


def test_integer_field_limits_are_widget_attributes():
    field = IntegerField(min_value=1, max_value=10, step_size=3)
    assert isinstance(field.widget, NumberInput)
    assert field.widget.attrs == {"min": 1, "max": 10, "step": 3}
    assert IntegerField().widget.attrs == {}
    assert IntegerField(max_value=5, widget=TextInput).widget.attrs == {}


def test_localized_integer_field_uses_a_text_input():
    # A browser's number input reads numbers its own way; localized text needs a plain text input.
    field = IntegerField(localize=True, min_value=1)
    assert type(field.widget) is TextInput
    assert field.widget.is_localized is True
    assert field.widget.attrs == {}


def test_limit_messages_can_be_replaced_by_code():
    field = IntegerField(max_value=3, error_messages={"max_value": "At most %(limit_value)s."})
    assert clean_error(field, "4") == [("max_value", "At most 3.")]


# FloatField


@pytest.mark.parametrize(("text", "number"), [("1.5", 1.5), ("2.5e3", 2500.0), (" -0.25 ", -0.25), ("7", 7.0)])
def test_float_field_converts_text_to_a_float(text, number):
    assert FloatField().clean(text) == number


@pytest.mark.parametrize("text", ["x", "nan", "NaN", "inf", "-inf", "Infinity", "1e400", "1,5", "\x00"])
def test_float_field_refuses_what_is_no_finite_number(text):
    assert clean_error(FloatField(), text) == [("invalid", "Enter a number.")]


def test_float_field_widget_step():
    assert FloatField().widget.attrs == {"step": "any"}
    assert FloatField(step_size=0.5, min_value=0).widget.attrs == {"min": 0, "step": 0.5}
    assert FloatField(widget=NumberInput(attrs={"step": "0.1"})).widget.attrs == {"step": "0.1"}


def test_float_field_step_with_offset():
    field = FloatField(step_size=0.5, min_value=0.1)
    assert field.clean("0.6") == 0.6
    assert clean_error(field, "0.3") == [
        (
            "step_size",
            "Ensure this value is a multiple of step size 0.5, starting from 0.1, e.g. 0.1, 0.6, 1.1, and so on.",
        )
    ]


# DecimalField


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3.14", decimal.Decimal("3.14")),
        (" 1.5 ", decimal.Decimal("1.5")),
        ("-0.01", decimal.Decimal("-0.01")),
        ("12", decimal.Decimal("12")),
        ("", None),
    ],
)
def test_decimal_field_converts_text_to_a_decimal(text, expected):
    assert DecimalField(max_digits=4, decimal_places=2, required=False).clean(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.345", [("max_digits", "Ensure that there are no more than 4 digits in total.")]),
        ("1.234", [("max_decimal_places", "Ensure that there are no more than 2 decimal places.")]),
        ("123.4", [("max_whole_digits", "Ensure that there are no more than 2 digits before the decimal point.")]),
        ("12345", [("max_digits", "Ensure that there are no more than 4 digits in total.")]),
        ("1e5", [("max_digits", "Ensure that there are no more than 4 digits in total.")]),
        ("0.001", [("max_decimal_places", "Ensure that there are no more than 2 decimal places.")]),
        ("NaN", [("invalid", "Enter a number.")]),
        ("sNaN", [("invalid", "Enter a number.")]),
        ("Infinity", [("invalid", "Enter a number.")]),
        ("-inf", [("invalid", "Enter a number.")]),
        ("x", [("invalid", "Enter a number.")]),
        (["1"], [("invalid", "Enter a number.")]),
        ("1\x00", [("invalid", "Enter a number.")]),
    ],
)
def test_decimal_field_errors(text, expected):
    assert clean_error(DecimalField(max_digits=4, decimal_places=2), text) == expected


def test_decimal_field_singular_messages():
    assert clean_error(DecimalField(max_digits=1), "12") == [
        ("max_digits", "Ensure that there are no more than 1 digit in total.")
    ]
    assert clean_error(DecimalField(decimal_places=1), "1.25") == [
        ("max_decimal_places", "Ensure that there are no more than 1 decimal place.")
    ]


def test_decimal_field_huge_exponent_is_a_clear_error():
    assert clean_error(DecimalField(max_digits=10), "1e999999999") == [
        ("max_digits", "Ensure that there are no more than 10 digits in total.")
    ]
    assert clean_error(DecimalField(max_value=100), "1e999999999") == [
        ("max_value", "Ensure this value is less than or equal to 100.")
    ]


def test_decimal_field_widget_step():
    assert DecimalField(decimal_places=2).widget.attrs == {"step": "0.01"}
    # A tiny step in exponent notation, as Django writes it.
    assert DecimalField(decimal_places=9).widget.attrs == {"step": "1e-9"}
    assert DecimalField().widget.attrs == {"step": "any"}
    assert DecimalField(decimal_places=0).widget.attrs == {"step": "1"}


def test_decimal_field_step_size():
    field = DecimalField(step_size=decimal.Decimal("0.5"), min_value=0)
    assert field.clean("1.5") == decimal.Decimal("1.5")
    assert clean_error(field, "1.3") == [
        ("step_size", "Ensure this value is a multiple of step size 0.5, starting from 0, e.g. 0, 0.5, 1.0, and so on.")
    ]


def test_decimal_field_localized(use_settings):
    use_settings(DECIMAL_SEPARATOR=",", USE_THOUSAND_SEPARATOR=True, THOUSAND_SEPARATOR=".")
    assert DecimalField(localize=True).clean("1.234,5") == decimal.Decimal("1234.5")
    assert FloatField(localize=True).clean("2,5") == 2.5


def test_sanitize_separators_leaves_other_values_alone():
    assert sanitize_separators(5) == 5
    assert sanitize_separators("1234.5") == "1234.5"
