"""ChoiceField, TypedChoiceField, MultipleChoiceField, TypedMultipleChoiceField (Django 5.2's messages)."""

import copy

import pytest

from tinyframe.core.exceptions import ValidationError
from tinyframe.db.models import IntegerChoices, TextChoices
from tinyframe.forms import (
    ChoiceField,
    FilePathField,
    MultipleChoiceField,
    MultipleHiddenInput,
    RadioSelect,
    Select,
    SelectMultiple,
    TypedChoiceField,
    TypedMultipleChoiceField,
)
from tinyframe.forms.fields import CallableChoiceIterator

# A plain choice, an option group, and a choice whose value is not text.
DRINKS = [("tea", "Tea"), ("Cold", [("soda", "Soda"), ("juice", "Juice")]), (1, "One")]


def clean_error(field, value):
    """The (code, message) pairs ``field.clean(value)`` raises."""
    with pytest.raises(ValidationError) as caught:
        field.clean(value)
    return [(error.code, error.message % (error.params or {})) for error in caught.value.error_list]


def invalid_choice(value):
    return [("invalid_choice", f"Select a valid choice. {value} is not one of the available choices.")]


# Exercise 09.3: MultipleChoiceField.validate


@pytest.mark.exercise("09.3")
@pytest.mark.parametrize("selected", [["tea"], ["tea", "soda"], ["juice"], ["1"], ["tea", "tea"]])
def test_multiple_choice_field_accepts_choices_from_groups_too(selected):
    field = MultipleChoiceField(choices=DRINKS)
    assert field.validate(selected) is None
    assert field.clean(selected) == selected


@pytest.mark.exercise("09.3")
@pytest.mark.parametrize("empty", [[], None, ""])
def test_multiple_choice_field_required_wants_at_least_one(empty):
    assert clean_error(MultipleChoiceField(choices=DRINKS), empty) == [("required", "This field is required.")]


@pytest.mark.exercise("09.3")
def test_multiple_choice_field_validate_says_required():
    with pytest.raises(ValidationError) as caught:
        MultipleChoiceField(choices=DRINKS).validate([])
    assert caught.value.code == "required"
    assert caught.value.messages == ["This field is required."]


@pytest.mark.exercise("09.3")
def test_multiple_choice_field_optional_accepts_nothing():
    field = MultipleChoiceField(choices=DRINKS, required=False)
    assert field.validate([]) is None
    assert field.clean([]) == []


@pytest.mark.exercise("09.3")
@pytest.mark.parametrize(
    ("selected", "refused"),
    [
        (["coffee"], "coffee"),
        (["tea", "coffee"], "coffee"),
        (["water", "coffee"], "water"),
        (["Cold"], "Cold"),
        (["2"], "2"),
    ],
)
def test_multiple_choice_field_names_the_first_value_that_is_no_choice(selected, refused):
    field = MultipleChoiceField(choices=DRINKS)
    with pytest.raises(ValidationError) as caught:
        field.validate(selected)
    assert caught.value.code == "invalid_choice"
    assert caught.value.params == {"value": refused}
    assert caught.value.messages == [f"Select a valid choice. {refused} is not one of the available choices."]


@pytest.mark.exercise("09.3")
def test_multiple_choice_field_optional_still_checks_choices():
    assert clean_error(MultipleChoiceField(choices=DRINKS, required=False), ["tea", "x"]) == invalid_choice("x")


@pytest.mark.exercise("09.3")
def test_multiple_choice_field_uses_its_own_messages():
    field = MultipleChoiceField(
        choices=DRINKS, error_messages={"invalid_choice": "No %(value)s here.", "required": "Pick one."}
    )
    assert clean_error(field, ["x"]) == [("invalid_choice", "No x here.")]
    assert clean_error(field, []) == [("required", "Pick one.")]


@pytest.mark.exercise("09.3")
def test_multiple_choice_field_hostile_values_are_invalid_choices():
    field = MultipleChoiceField(choices=DRINKS)
    assert clean_error(field, ["<script>"]) == invalid_choice("<script>")
    assert clean_error(field, [["tea"]]) == invalid_choice("['tea']")
    assert clean_error(field, ["tea\x00"]) == invalid_choice("tea\x00")


# MultipleChoiceField's conversion, widgets and changes


@pytest.mark.parametrize("value", ["tea", {"tea": 1}, 5])
def test_multiple_choice_field_wants_a_list(value):
    assert clean_error(MultipleChoiceField(choices=DRINKS), value) == [("invalid_list", "Enter a list of values.")]


def test_multiple_choice_field_values_become_text():
    assert MultipleChoiceField(choices=DRINKS).clean((1, "tea")) == ["1", "tea"]


def test_multiple_choice_field_widgets():
    field = MultipleChoiceField(choices=DRINKS)
    assert isinstance(field.widget, SelectMultiple)
    assert field.hidden_widget is MultipleHiddenInput
    assert field.widget.choices == field.choices


@pytest.mark.parametrize(
    ("initial", "data", "changed"),
    [
        (None, None, False),
        (["tea"], ["tea"], False),
        ([1, "tea"], ["tea", "1"], False),
        (["tea"], ["soda"], True),
        (["tea"], ["tea", "soda"], True),
        (None, ["tea"], True),
    ],
)
def test_multiple_choice_field_has_changed(initial, data, changed):
    assert MultipleChoiceField(choices=DRINKS).has_changed(initial, data) is changed
    assert MultipleChoiceField(choices=DRINKS, disabled=True).has_changed(initial, data) is False


# ChoiceField


@pytest.mark.parametrize(("value", "cleaned"), [("tea", "tea"), ("soda", "soda"), ("1", "1"), (1, "1")])
def test_choice_field_accepts_choices(value, cleaned):
    assert ChoiceField(choices=DRINKS).clean(value) == cleaned


@pytest.mark.parametrize("value", ["coffee", "Cold", "<b>", ["tea"], {"tea": 1}])
def test_choice_field_refuses_other_values(value):
    assert clean_error(ChoiceField(choices=DRINKS), value) == invalid_choice(value)


def test_choice_field_required_and_optional():
    assert clean_error(ChoiceField(choices=DRINKS), "") == [("required", "This field is required.")]
    assert ChoiceField(choices=DRINKS, required=False).clean(None) == ""


def test_choice_field_choices_reach_the_widget():
    field = ChoiceField(choices=DRINKS)
    assert isinstance(field.widget, Select)
    assert field.widget.choices == DRINKS
    field.choices = [("a", "A")]
    assert field.widget.choices == [("a", "A")]
    radio = ChoiceField(choices=DRINKS, widget=RadioSelect)
    assert radio.widget.choices == DRINKS


def test_choices_may_be_a_dict():
    field = ChoiceField(choices={"tea": "Tea", "Cold": {"soda": "Soda"}})
    assert field.choices == [("tea", "Tea"), ("Cold", [("soda", "Soda")])]
    assert field.clean("soda") == "soda"


def test_choices_may_be_an_enumeration():
    class Size(TextChoices):
        SMALL = "S", "Small"
        LARGE = "L", "Large"

    class Rating(IntegerChoices):
        LOW = 1
        HIGH = 5

    assert ChoiceField(choices=Size).choices == [("S", "Small"), ("L", "Large")]
    assert ChoiceField(choices=Size).clean("L") == "L"
    assert ChoiceField(choices=Rating).clean("5") == "5"
    assert clean_error(ChoiceField(choices=Rating), "3") == invalid_choice("3")


def test_callable_choices_are_read_each_time():
    offered = [("a", "A")]
    field = ChoiceField(choices=lambda: offered)
    assert isinstance(field.choices, CallableChoiceIterator)
    assert field.clean("a") == "a"
    offered.append(("b", "B"))
    assert field.clean("b") == "b"
    assert list(field.widget.choices) == [("a", "A"), ("b", "B")]


def test_deep_copied_choices_are_the_copys_own():
    field = ChoiceField(choices=[("a", "A")])
    clone = copy.deepcopy(field)
    clone.choices = [("b", "B")]
    assert field.choices == [("a", "A")] and field.widget.choices == [("a", "A")]
    assert clone.widget.choices == [("b", "B")]
    assert clone.widget is not field.widget


# TypedChoiceField


def test_typed_choice_field_coerces():
    field = TypedChoiceField(choices=[(1, "One"), (2, "Two")], coerce=int)
    assert field.clean("2") == 2
    assert clean_error(field, "3") == invalid_choice("3")
    assert clean_error(field, "") == [("required", "This field is required.")]


def test_typed_choice_field_a_value_that_does_not_coerce_is_an_invalid_choice():
    field = TypedChoiceField(choices=[(1, "One"), ("x", "Ex")], coerce=int)
    assert clean_error(field, "x") == invalid_choice("x")


def test_typed_choice_field_empty_value():
    assert TypedChoiceField(choices=[(1, "One")], coerce=int, required=False).clean("") == ""
    assert TypedChoiceField(choices=[(1, "One")], coerce=int, required=False, empty_value=None).clean("") is None


def test_typed_choice_field_has_changed_compares_coerced_values():
    field = TypedChoiceField(choices=[(1, "One"), (2, "Two")], coerce=int)
    assert field.has_changed(1, "1") is False
    assert field.has_changed(1, "2") is True
    assert field.has_changed(1, "x") is True


# TypedMultipleChoiceField


def test_typed_multiple_choice_field_coerces_each():
    field = TypedMultipleChoiceField(choices=[(1, "One"), (2, "Two")], coerce=int)
    assert field.clean(["1", "2"]) == [1, 2]
    assert clean_error(field, ["3"]) == invalid_choice("3")
    assert clean_error(field, []) == [("required", "This field is required.")]


def test_typed_multiple_choice_field_a_value_that_does_not_coerce_is_an_invalid_choice():
    field = TypedMultipleChoiceField(choices=[(1, "One"), ("x", "Ex")], coerce=int)
    assert clean_error(field, ["1", "x"]) == invalid_choice("x")


def test_typed_multiple_choice_field_empty_value():
    field = TypedMultipleChoiceField(choices=[(1, "One")], coerce=int, required=False)
    assert field.clean([]) == []
    field = TypedMultipleChoiceField(choices=[(1, "One")], coerce=int, required=False, empty_value=None)
    assert field.clean([]) is None
    required = TypedMultipleChoiceField(choices=[(1, "One")], coerce=int, empty_value=None)
    assert clean_error(required, None) == [("required", "This field is required.")]


# FilePathField


@pytest.fixture
def tree(tmp_path):
    for name in ["b.txt", "a.py", "sub/c.py", "sub/deep/d.py", "sub/__pycache__/x.pyc"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    return str(tmp_path)


def test_file_path_field_offers_the_files_in_a_folder(tree):
    field = FilePathField(tree)
    assert field.choices == [(f"{tree}/a.py", "a.py"), (f"{tree}/b.txt", "b.txt")]
    assert list(field.widget.choices) == field.choices
    assert field.clean(f"{tree}/a.py") == f"{tree}/a.py"
    assert clean_error(field, f"{tree}/sub/c.py") == invalid_choice(f"{tree}/sub/c.py")


def test_file_path_field_options(tree):
    assert FilePathField(tree, required=False).choices[0] == ("", "---------")
    assert FilePathField(tree, match=r"\.py$").choices == [(f"{tree}/a.py", "a.py")]
    assert FilePathField(tree, allow_files=False, allow_folders=True).choices == [(f"{tree}/sub", "sub")]
    assert FilePathField(tree, recursive=True, match=r"\.py$").choices == [
        (f"{tree}/a.py", "/a.py"),
        (f"{tree}/sub/c.py", "/sub/c.py"),
        (f"{tree}/sub/deep/d.py", "/sub/deep/d.py"),
    ]
    assert FilePathField(tree, recursive=True, allow_files=False, allow_folders=True).choices == [
        (f"{tree}/sub", "/sub"),
        (f"{tree}/sub/deep", "/sub/deep"),
    ]
