"""CheckboxInput: a value that is sent only when it is True (exercise 09.5), and its HTML."""

import pytest

from tinyframe import forms
from tinyframe.forms import CheckboxInput
from tinyframe.http import QueryDict


def ticked(data, name="agree"):
    """What CheckboxInput reads from ``data`` for ``name``."""
    return CheckboxInput().value_from_datadict(data, {}, name)


# Exercise 09.5: CheckboxInput.value_from_datadict


@pytest.mark.exercise("09.5")
def test_a_ticked_box_sends_on_which_is_true():
    assert ticked({"agree": "on"}) is True, "CheckboxInput().value_from_datadict({'agree': 'on'}, {}, 'agree')"


@pytest.mark.exercise("09.5")
def test_an_unticked_box_sends_nothing_which_is_false():
    assert ticked({}) is False, "a name missing from data means the box was not ticked: False, not None"
    assert ticked({"other": "on"}) is False


@pytest.mark.exercise("09.5")
@pytest.mark.parametrize(
    ("sent", "meaning"),
    [("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False), ("fAlSe", False)],
)
def test_the_words_true_and_false_mean_what_they_say_in_any_case(sent, meaning):
    assert ticked({"agree": sent}) is meaning, f"value_from_datadict({{'agree': {sent!r}}}, {{}}, 'agree')"


@pytest.mark.exercise("09.5")
@pytest.mark.parametrize(
    ("sent", "meaning"),
    [("1", True), ("0", True), ("yes", True), ("", False), (None, False), (0, False), (1, True), ([], False)],
)
def test_any_other_value_means_its_truth(sent, meaning):
    # "0" is a non-empty string, so it is True: only the words true/false are read as words.
    assert ticked({"agree": sent}) is meaning, f"value_from_datadict({{'agree': {sent!r}}}, {{}}, 'agree')"


@pytest.mark.exercise("09.5")
def test_it_reads_a_querydict_as_a_browser_sends_it():
    assert ticked(QueryDict("agree=on&name=ada")) is True
    assert ticked(QueryDict("name=ada")) is False
    assert ticked(QueryDict("agree=false")) is False
    assert ticked(QueryDict("agree=on"), name="other") is False


@pytest.mark.exercise("09.5")
def test_a_form_with_an_unticked_optional_box_cleans_to_false():
    class Subscribe(forms.Form):
        newsletter = forms.BooleanField(required=False)

    form = Subscribe(QueryDict(""))
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"newsletter": False}
    form = Subscribe(QueryDict("newsletter=on"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"newsletter": True}


@pytest.mark.exercise("09.5")
def test_a_required_box_left_unticked_is_an_error():
    class Terms(forms.Form):
        accept = forms.BooleanField()

    form = Terms(QueryDict("accept=false"))
    assert not form.is_valid()
    assert list(form.errors) == ["accept"]
    assert form.errors["accept"].as_data()[0].code == "required"
    assert Terms(QueryDict("accept=true")).is_valid()


# Not part of the exercise: the rest of CheckboxInput


def test_an_unticked_box_is_never_omitted_from_the_data():
    # Leaving the name out is how a browser says False: a ModelForm must not keep the model's default.
    assert CheckboxInput().value_omitted_from_data({}, {}, "agree") is False


@pytest.mark.parametrize(
    ("value", "html"),
    [
        (True, '<input type="checkbox" name="agree" id="id_agree" checked>'),
        (False, '<input type="checkbox" name="agree" id="id_agree">'),
        (None, '<input type="checkbox" name="agree" id="id_agree">'),
        ("", '<input type="checkbox" name="agree" id="id_agree">'),
        ("on", '<input type="checkbox" name="agree" value="on" id="id_agree" checked>'),
        (0, '<input type="checkbox" name="agree" value="0" id="id_agree" checked>'),
    ],
)
def test_a_checkbox_is_checked_unless_its_value_is_false_none_or_empty(value, html):
    assert CheckboxInput().render("agree", value, {"id": "id_agree"}) == html


def test_check_test_decides_whether_the_box_is_checked():
    widget = CheckboxInput(check_test=lambda value: value == "yes")
    assert widget.render("agree", "yes") == '<input type="checkbox" name="agree" value="yes" checked>'
    assert widget.render("agree", "no") == '<input type="checkbox" name="agree" value="no">'


def test_format_value_keeps_booleans_out_of_the_value_attribute():
    widget = CheckboxInput()
    formatted = [widget.format_value(value) for value in (True, False, None, "", "x", 2)]
    assert formatted == [None, None, None, None, "x", "2"]


def test_checked_does_not_stick_to_the_widget():
    widget = CheckboxInput(attrs={"class": "c"})
    widget.render("agree", True)
    assert widget.attrs == {"class": "c"}
    assert widget.render("agree", False) == '<input type="checkbox" name="agree" class="c">'
