"""Field's life (to_python → validate → run_validators), CharField, BooleanField, NullBooleanField."""

import copy

import pytest

from tinyframe.core.exceptions import ValidationError
from tinyframe.core.validators import MinLengthValidator, ProhibitNullCharactersValidator
from tinyframe.forms import (
    BooleanField,
    CharField,
    CheckboxInput,
    Field,
    HiddenInput,
    NullBooleanField,
    NullBooleanSelect,
    PasswordInput,
    Textarea,
    TextInput,
)


def clean_error(field, value):
    """The (code, message) pairs ``field.clean(value)`` raises."""
    with pytest.raises(ValidationError) as caught:
        field.clean(value)
    return [(error.code, error.message % (error.params or {})) for error in caught.value.error_list]


REQUIRED = [("required", "This field is required.")]


# Field: the three steps


def test_clean_runs_to_python_then_validate_then_validators_in_order():
    calls = []

    class Traced(Field):
        def to_python(self, value):
            calls.append(("to_python", value))
            return value.upper()

        def validate(self, value):
            calls.append(("validate", value))

    def validator(value):
        calls.append(("validator", value))

    assert Traced(validators=[validator]).clean("abc") == "ABC"
    assert calls == [("to_python", "abc"), ("validate", "ABC"), ("validator", "ABC")]


def test_run_validators_reports_every_failure_together():
    def no_digits(value):
        if any(character.isdigit() for character in value):
            raise ValidationError("No digits.", code="digits")

    field = CharField(validators=[MinLengthValidator(5), no_digits])
    assert clean_error(field, "a1") == [
        ("min_length", "Ensure this value has at least 5 characters (it has 2)."),
        ("digits", "No digits."),
    ]


def test_run_validators_skips_empty_values():
    def never(value):
        raise AssertionError("a validator ran on an empty value")

    assert CharField(required=False, validators=[never]).clean("") == ""


def test_field_messages_replace_a_validators_message_by_code():
    field = CharField(min_length=3, error_messages={"min_length": "Too short: %(show_value)s."})
    assert clean_error(field, "ab") == [("min_length", "Too short: 2.")]


def test_error_messages_merge_along_the_classes():
    class Shouty(CharField):
        default_error_messages = {"required": "SAY SOMETHING."}

    assert Shouty().error_messages["required"] == "SAY SOMETHING."
    assert Shouty(error_messages={"extra": "x"}).error_messages == {"required": "SAY SOMETHING.", "extra": "x"}
    assert clean_error(Shouty(), "") == [("required", "SAY SOMETHING.")]


def test_field_defaults():
    field = Field()
    assert (field.required, field.label, field.initial, field.help_text) == (True, None, None, "")
    assert (field.show_hidden_initial, field.localize, field.disabled) == (False, False, False)
    assert field.label_suffix is None
    assert field.template_name is None and field.validators == []
    assert isinstance(field.widget, TextInput) and field.hidden_widget is HiddenInput
    assert field.error_messages == {"required": "This field is required."}


def test_field_arguments_are_keyword_only():
    with pytest.raises(TypeError):
        Field(False)


def test_the_widget_learns_required_and_localize():
    assert Field().widget.is_required is True
    assert Field(required=False).widget.is_required is False
    assert Field(localize=True).widget.is_localized is True


def test_a_widget_instance_is_copied_a_class_instantiated():
    shared = TextInput(attrs={"class": "wide"})
    first, second = CharField(widget=shared, max_length=3), CharField(widget=shared)
    assert first.widget is not shared and second.widget is not first.widget
    assert first.widget.attrs == {"class": "wide", "maxlength": "3"}
    assert shared.attrs == {"class": "wide"}
    assert isinstance(CharField(widget=Textarea).widget, Textarea)


def test_deepcopy_gives_the_copy_its_own_widget_messages_and_validators():
    field = CharField(max_length=3)
    clone = copy.deepcopy(field)
    assert clone is not field and clone.widget is not field.widget
    clone.widget.attrs["class"] = "x"
    clone.error_messages["required"] = "Changed."
    clone.validators.append(str)
    assert "class" not in field.widget.attrs
    assert field.error_messages["required"] == "This field is required."
    assert str not in field.validators
    assert clone.max_length == 3


def test_bound_data_is_the_data_unless_disabled():
    assert Field().bound_data("typed", "initial") == "typed"
    assert Field(disabled=True).bound_data("typed", "initial") == "initial"


@pytest.mark.parametrize(
    ("initial", "data", "changed"),
    [(None, "", False), ("", None, False), ("a", "a", False), ("a", "b", True), ("a", None, True), (None, "x", True)],
)
def test_has_changed(initial, data, changed):
    assert CharField().has_changed(initial, data) is changed
    assert CharField(disabled=True).has_changed(initial, data) is False


def test_has_changed_when_the_data_does_not_convert():
    from tinyframe.forms import IntegerField

    assert IntegerField().has_changed(1, "x") is True
    assert IntegerField().has_changed(1, "1") is False


def test_get_bound_field_uses_the_fields_class_then_the_forms():
    class FieldBound:
        def __init__(self, form, field, name):
            self.form, self.field, self.name = form, field, name

    class FormBound(FieldBound):
        pass

    class AForm:
        bound_field_class = FormBound

    form = AForm()
    bound = Field(bound_field_class=FieldBound).get_bound_field(form, "title")
    assert type(bound) is FieldBound and (bound.form, bound.name) == (form, "title")
    assert type(Field().get_bound_field(form, "title")) is FormBound


def test_clean_bound_field_uses_the_initial_value_when_disabled():
    class Bound:
        data, initial = "typed", "kept"

    assert CharField()._clean_bound_field(Bound()) == "typed"
    assert CharField(disabled=True)._clean_bound_field(Bound()) == "kept"


def test_prepare_value_and_to_python_pass_values_through():
    assert Field().prepare_value([1]) == [1]
    assert Field().to_python({"a": 1}) == {"a": 1}


# CharField


@pytest.mark.parametrize(
    ("kwargs", "value", "cleaned"),
    [
        ({}, "  hello  ", "hello"),
        ({"strip": False}, "  hello  ", "  hello  "),
        ({}, 5, "5"),
        ({"required": False}, "   ", ""),
        ({"required": False}, None, ""),
        ({"required": False, "empty_value": None}, "", None),
        ({"max_length": 3}, "abc", "abc"),
        ({}, "<script>alert(1)</script>", "<script>alert(1)</script>"),
    ],
)
def test_char_field_cleans(kwargs, value, cleaned):
    assert CharField(**kwargs).clean(value) == cleaned


@pytest.mark.parametrize(
    ("kwargs", "value", "errors"),
    [
        ({}, "", REQUIRED),
        ({}, "   ", REQUIRED),
        ({}, None, REQUIRED),
        ({"max_length": 3}, "abcd", [("max_length", "Ensure this value has at most 3 characters (it has 4).")]),
        ({"max_length": 1}, "ab", [("max_length", "Ensure this value has at most 1 character (it has 2).")]),
        ({"min_length": 3}, "ab", [("min_length", "Ensure this value has at least 3 characters (it has 2).")]),
        ({"min_length": 1, "strip": False}, "", REQUIRED),
        ({}, "a\x00b", [("null_characters_not_allowed", "Null characters are not allowed.")]),
    ],
)
def test_char_field_errors(kwargs, value, errors):
    assert clean_error(CharField(**kwargs), value) == errors


def test_char_field_validators():
    field = CharField(max_length=10, min_length=2)
    assert [type(validator).__name__ for validator in field.validators] == [
        "MinLengthValidator",
        "MaxLengthValidator",
        "ProhibitNullCharactersValidator",
    ]
    assert isinstance(CharField().validators[0], ProhibitNullCharactersValidator)


@pytest.mark.parametrize(
    ("widget", "attrs"),
    [
        (TextInput, {"maxlength": "5", "minlength": "2"}),
        (Textarea, {"cols": "40", "rows": "10", "maxlength": "5", "minlength": "2"}),
        (PasswordInput, {"maxlength": "5", "minlength": "2"}),
        (HiddenInput, {}),
    ],
)
def test_char_field_gives_its_lengths_to_visible_widgets(widget, attrs):
    assert CharField(max_length=5, min_length=2, widget=widget).widget.attrs == attrs


# BooleanField


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [("on", True), ("true", True), ("1", True), (True, True), ("False", False), ("false", False), ("0", False),
     ("FALSE", False), ("", False), (None, False), ([], False)],
)  # fmt: skip
def test_boolean_field_reads_what_a_checkbox_sends(value, cleaned):
    assert BooleanField(required=False).clean(value) is cleaned


@pytest.mark.parametrize("unticked", ["", None, False, "false", "0"])
def test_required_boolean_field_must_be_ticked(unticked):
    assert clean_error(BooleanField(), unticked) == REQUIRED


def test_boolean_field_widget_and_changes():
    assert isinstance(BooleanField().widget, CheckboxInput)
    assert BooleanField().has_changed(False, "False") is False
    assert BooleanField().has_changed(False, "on") is True
    assert BooleanField(disabled=True).has_changed(False, "on") is False


# NullBooleanField


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [(True, True), ("True", True), ("true", True), ("1", True), (False, False), ("False", False), ("false", False),
     ("0", False), ("unknown", None), ("", None), (None, None), ("yes", None), (["1"], None), ("2", None)],
)  # fmt: skip
def test_null_boolean_field(value, cleaned):
    assert NullBooleanField().clean(value) is cleaned


def test_null_boolean_field_widget():
    assert isinstance(NullBooleanField().widget, NullBooleanSelect)
