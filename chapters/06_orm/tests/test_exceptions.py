"""The ORM's exceptions: ValidationError's three shapes, and the classes models build on.

Every expected value here is what Django 5.2's ValidationError gives for the
same input.
"""

import pytest

from tinyframe.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    FieldError,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    ValidationError,
)


def test_one_message_fills_in_its_params_when_shown():
    error = ValidationError("Bad %(x)s", code="bad", params={"x": 1})
    assert (error.message, error.code, error.params) == ("Bad %(x)s", "bad", {"x": 1})
    assert error.messages == ["Bad 1"]
    assert list(error) == ["Bad 1"]
    assert str(error) == "['Bad 1']"
    assert repr(error) == "ValidationError(['Bad 1'])"
    assert error.error_list == [error]
    assert error.args == ("Bad %(x)s", "bad", {"x": 1})


def test_message_dict_exists_only_for_a_dict_of_errors():
    with pytest.raises(AttributeError, match="error_dict"):
        ValidationError("Bad").message_dict  # noqa: B018


def test_a_dict_keeps_each_fields_messages():
    error = ValidationError({"a": ["x", ValidationError("y", code="q")], "b": "z"})
    assert error.message_dict == {"a": ["x", "y"], "b": ["z"]}
    assert error.messages == ["x", "y", "z"]
    assert list(error) == [("a", ["x", "y"]), ("b", ["z"])]
    assert str(error) == "{'a': ['x', 'y'], 'b': ['z']}"
    assert repr(error) == "ValidationError({'a': ['x', 'y'], 'b': ['z']})"
    assert [item.code for item in error.error_dict["a"]] == [None, "q"]


def test_a_list_flattens_nested_lists_and_dicts():
    nested = ValidationError({"a": ["x"], "b": ["y"]})
    error = ValidationError(["first", ValidationError("second %(n)s", params={"n": 2}), nested])
    assert error.messages == ["first", "second 2", "x", "y"]
    assert all(len(item.error_list) == 1 for item in error.error_list)
    assert str(ValidationError([])) == "[]"


def test_wrapping_an_error_keeps_its_shape_and_code():
    single = ValidationError("Bad", code="bad")
    assert (ValidationError(single).message, ValidationError(single).code) == ("Bad", "bad")
    as_dict = ValidationError({"a": ["x"]})
    assert ValidationError(as_dict).message_dict == {"a": ["x"]}
    assert ValidationError(ValidationError(["x", "y"])).messages == ["x", "y"]


def test_update_error_dict_files_errors_without_a_field_under_all():
    single = ValidationError("Bad")
    assert single.update_error_dict({}) == {NON_FIELD_ERRORS: [single]}
    merged = ValidationError({"a": ["x"]}).update_error_dict({"a": ["w"]})
    assert merged["a"][0] == "w" and merged["a"][1].messages == ["x"]
    assert NON_FIELD_ERRORS == "__all__"


def test_equal_errors_have_equal_messages_codes_and_params():
    assert ValidationError("x") == ValidationError("x")
    assert hash(ValidationError("x", params={"a": 1})) == hash(ValidationError("x", params={"a": 1}))
    assert ValidationError("x", code="a") != ValidationError("x", code="b")
    assert ValidationError({"a": ["x", "y"]}) == ValidationError({"a": ["y", "x"]})
    assert ValidationError("x") != "x"


def test_does_not_exist_is_silent_in_templates():
    assert ObjectDoesNotExist.silent_variable_failure is True


@pytest.mark.parametrize("exception", [ObjectDoesNotExist, MultipleObjectsReturned, FieldDoesNotExist, FieldError])
def test_the_orm_exceptions_are_plain_exceptions(exception):
    assert issubclass(exception, Exception)
    assert not issubclass(exception, ValidationError)
