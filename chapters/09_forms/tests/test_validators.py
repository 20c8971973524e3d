"""The validators chapter 09 adds, and ValidationError's shapes as forms use them (Django 5.2's behaviour)."""

import decimal

import pytest

from tinyframe.core.exceptions import NON_FIELD_ERRORS, ValidationError
from tinyframe.core.validators import (
    FileExtensionValidator,
    StepValueValidator,
    int_list_validator,
    ip_address_validators,
    validate_comma_separated_integer_list,
    validate_integer,
    validate_ipv4_address,
    validate_ipv6_address,
    validate_ipv46_address,
)
from tinyframe.http.multipartparser import UploadedFile


def errors_of(validator, value):
    """The (code, message, params) of each error ``validator(value)`` raises."""
    with pytest.raises(ValidationError) as caught:
        validator(value)
    return [(error.code, error.message % (error.params or {}), error.params) for error in caught.value.error_list]


# validate_integer and integer lists


@pytest.mark.parametrize("value", ["0", "-12", "123456789012345678901234567890"])
def test_validate_integer_accepts_whole_numbers(value):
    assert validate_integer(value) is None


@pytest.mark.parametrize("value", ["1.0", "+1", " 1", "1\n", "x", ""])
def test_validate_integer_refuses_other_text(value):
    [(code, message, params)] = errors_of(validate_integer, value)
    assert (code, message, params) == ("invalid", "Enter a valid integer.", {"value": value})


@pytest.mark.parametrize(
    ("value", "valid"), [("1,22,333", True), ("1", True), ("1,,2", False), ("1,-2", False), ("1, 2", False)]
)
def test_validate_comma_separated_integer_list(value, valid):
    if valid:
        assert validate_comma_separated_integer_list(value) is None
    else:
        assert errors_of(validate_comma_separated_integer_list, value)[0][:2] == (
            "invalid",
            "Enter only digits separated by commas.",
        )


def test_int_list_validator_options():
    validator = int_list_validator(sep=";", allow_negative=True, message="Numbers;numbers.", code="numbers")
    assert validator("-1;2;-3") is None
    assert errors_of(validator, "1,2")[0][:2] == ("numbers", "Numbers;numbers.")
    assert errors_of(int_list_validator(), "1.2")[0][:2] == ("invalid", "Enter a valid value.")
    # The separator is taken literally, not as a pattern.
    assert errors_of(int_list_validator(sep="."), "1x2")[0][0] == "invalid"


# StepValueValidator


def test_step_value_validator_counts_from_zero():
    validator = StepValueValidator(3)
    assert validator(9) is None and validator(-3) is None
    assert errors_of(validator, 10) == [
        (
            "step_size",
            "Ensure this value is a multiple of step size 3.",
            {"limit_value": 3, "show_value": 10, "value": 10},
        )
    ]


def test_step_value_validator_with_an_offset_gives_examples():
    validator = StepValueValidator(3, offset=1)
    assert validator(7) is None
    [(code, message, params)] = errors_of(validator, 5)
    assert message == "Ensure this value is a multiple of step size 3, starting from 1, e.g. 1, 4, 7, and so on."
    assert (params["offset"], params["valid_value1"], params["valid_value2"]) == (1, 4, 7)


def test_step_value_validator_floats_and_decimals():
    assert StepValueValidator(0.1)(0.3) is None  # 0.3 is not exactly 3 * 0.1 in binary: compared within 1e-9
    assert StepValueValidator(decimal.Decimal("0.5"))(decimal.Decimal("2.5")) is None
    validator = StepValueValidator(decimal.Decimal("0.5"), offset=decimal.Decimal("0.1"))
    [(_, message, _)] = errors_of(validator, decimal.Decimal("1"))
    assert message == (
        "Ensure this value is a multiple of step size 0.5, starting from 0.1, e.g. 0.1, 0.6, 1.1, and so on."
    )


def test_step_value_validator_huge_numbers_are_exact_or_refused():
    assert StepValueValidator(3)(3 * 10**5000) is None
    assert errors_of(StepValueValidator(3), 10**5000 + 1)[0][0] == "step_size"
    # A decimal beyond a float's range cannot be checked: refused, never an OverflowError.
    assert errors_of(StepValueValidator(decimal.Decimal("0.5")), decimal.Decimal("1e999"))[0][0] == "step_size"


def test_step_value_validator_limit_may_be_callable_and_messages_replaced():
    assert StepValueValidator(lambda: 5, offset=0)(10) is None
    assert errors_of(StepValueValidator(2, message="Even only."), 3)[0][:2] == ("step_size", "Even only.")


def test_step_value_validator_equality():
    assert StepValueValidator(3) == StepValueValidator(3)
    assert StepValueValidator(3) != StepValueValidator(3, offset=1)
    assert StepValueValidator(3).deconstruct() == ("tinyframe.core.validators.StepValueValidator", (3,), {})


# FileExtensionValidator


def named(name):
    return UploadedFile(name=name, size=1)


@pytest.mark.parametrize("name", ["report.pdf", "REPORT.PDF", "archive.tar.Pdf"])
def test_file_extension_validator_accepts_allowed_extensions_in_any_case(name):
    assert FileExtensionValidator(["PDF", "txt"])(named(name)) is None


@pytest.mark.parametrize(
    ("name", "extension"), [("evil.exe", "exe"), ("noextension", ""), ("pdf", ""), ("x.pdf.exe", "exe")]
)
def test_file_extension_validator_names_the_extension_and_the_allowed_ones(name, extension):
    [(code, message, params)] = errors_of(FileExtensionValidator(["pdf", "txt"]), named(name))
    assert code == "invalid_extension"
    assert message == f"File extension “{extension}” is not allowed. Allowed extensions are: pdf, txt."
    assert params["extension"] == extension


def test_file_extension_validator_options():
    assert FileExtensionValidator()(named("anything.exe")) is None
    validator = FileExtensionValidator(["pdf"], message="PDF only.", code="pdf_only")
    assert errors_of(validator, named("a.txt"))[0][:2] == ("pdf_only", "PDF only.")
    assert FileExtensionValidator(["pdf", "txt"]) == FileExtensionValidator(["TXT", "pdf"])
    assert FileExtensionValidator(["pdf"]) != FileExtensionValidator(["pdf"], code="other")


# IP address validators


def test_ip_address_validators():
    assert ip_address_validators("both", True) == [validate_ipv46_address]
    assert ip_address_validators("IPv4", False) == [validate_ipv4_address]
    assert ip_address_validators("ipv6", False) == [validate_ipv6_address]
    with pytest.raises(ValueError) as caught:
        ip_address_validators("ipv4", True)
    assert str(caught.value) == "You can only use `unpack_ipv4` if `protocol` is set to 'both'"
    with pytest.raises(ValueError) as caught:
        ip_address_validators("ipx", False)
    assert str(caught.value) == "The protocol 'ipx' is unknown. Supported: ['both', 'ipv4', 'ipv6']"


# ValidationError, in the shapes forms build


def test_validation_error_single_message():
    error = ValidationError("Bad %(x)s", code="bad", params={"x": 1})
    assert (error.message, error.code, error.params) == ("Bad %(x)s", "bad", {"x": 1})
    assert error.messages == ["Bad 1"] and list(error) == ["Bad 1"]
    assert error.error_list == [error]
    assert str(error) == "['Bad 1']" and repr(error) == "ValidationError(['Bad 1'])"


def test_validation_error_list_flattens_nested_errors_and_keeps_codes():
    nested = ValidationError(["a", ValidationError("b", code="cb")])
    error = ValidationError(["plain", ValidationError("coded", code="c"), nested])
    assert error.messages == ["plain", "coded", "a", "b"]
    assert [item.code for item in error.error_list] == [None, "c", None, "cb"]
    assert not hasattr(error, "message")


def test_validation_error_dict():
    loud = ValidationError("Too %(how)s.", code="loud", params={"how": "loud"})
    error = ValidationError({"title": ["Too long.", loud], NON_FIELD_ERRORS: ValidationError("Nope.", code="nope")})
    assert error.message_dict == {"title": ["Too long.", "Too loud."], "__all__": ["Nope."]}
    assert error.messages == ["Too long.", "Too loud.", "Nope."]
    assert [item.code for item in error.error_dict["title"]] == [None, "loud"]
    assert dict(error) == error.message_dict


def test_validation_error_from_dicts_in_a_list_keeps_only_messages():
    error = ValidationError([ValidationError({"a": ["x"], "b": ["y"]}), "z"])
    assert error.messages == ["x", "y", "z"]


def test_validation_error_rewrapped_keeps_its_shape():
    single = ValidationError("m", code="c", params={"p": 1})
    assert (ValidationError(single).code, ValidationError(single).params) == ("c", {"p": 1})
    assert ValidationError(ValidationError(["a", "b"])).messages == ["a", "b"]
    assert ValidationError(ValidationError({"f": ["x"]})).message_dict == {"f": ["x"]}


def test_message_dict_only_for_a_dict():
    with pytest.raises(AttributeError):
        ValidationError("x").message_dict  # noqa: B018


def test_update_error_dict_collects_by_field():
    collected = ValidationError("x", code="c").update_error_dict({})
    assert list(collected) == [NON_FIELD_ERRORS] and collected[NON_FIELD_ERRORS][0].code == "c"
    collected = ValidationError({"f": ["new"]}).update_error_dict({"f": [ValidationError("old")]})
    assert [item.message for item in collected["f"]] == ["old", "new"]


def test_validation_errors_compare_by_content():
    assert ValidationError("a", code="c", params={"x": 1}) == ValidationError("a", code="c", params={"x": 1})
    assert ValidationError("a", code="c") != ValidationError("a", code="d")
    assert ValidationError(["a", "b"]) == ValidationError(["b", "a"])
    assert hash(ValidationError({"f": ["a"]})) == hash(ValidationError({"f": ["a"]}))
    assert ValidationError("a").__eq__("a") is NotImplemented
