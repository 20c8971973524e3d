"""Choice widgets: Select, SelectMultiple, NullBooleanSelect, RadioSelect, CheckboxSelectMultiple.

The expected HTML was checked once against Django 5.2 (whitespace between tags aside).
"""

import copy
import enum

import pytest

from tinyframe.forms import (
    CheckboxSelectMultiple,
    NullBooleanSelect,
    RadioSelect,
    Select,
    SelectMultiple,
)
from tinyframe.forms.choice_widgets import CallableChoiceIterator, normalize_choices
from tinyframe.forms.widgets import ChoiceWidget
from tinyframe.http import QueryDict

MEDIA = [("Audio", [("vinyl", "Vinyl"), ("cd", "CD")]), ("unknown", "Unknown")]


def test_select_renders_an_option_per_choice_and_selects_the_value():
    widget = Select(choices=[("", "---------"), ("tea", "Tea"), ("coffee", "Coffee & cake")])
    assert widget.render("drink", "tea", {"id": "id_drink"}) == (
        '<select name="drink" id="id_drink">\n'
        '  <option value="">---------</option>\n'
        '  <option value="tea" selected>Tea</option>\n'
        '  <option value="coffee">Coffee &amp; cake</option>\n'
        "</select>"
    )


def test_select_puts_grouped_choices_in_an_optgroup():
    assert Select(choices=MEDIA).render("media", "cd", {"id": "id_media"}) == (
        '<select name="media" id="id_media">\n'
        '  <optgroup label="Audio">\n'
        '  <option value="vinyl">Vinyl</option>\n'
        '  <option value="cd" selected>CD</option>\n'
        "  </optgroup>\n"
        '  <option value="unknown">Unknown</option>\n'
        "</select>"
    )


def test_select_compares_values_as_text():
    assert '<option value="2" selected>Two</option>' in Select(choices=[(1, "One"), (2, "Two")]).render("n", 2)
    assert '<option value="2" selected>Two</option>' in Select(choices=[(1, "One"), (2, "Two")]).render("n", "2")


def test_select_selects_only_the_first_of_two_equal_values():
    html = Select(choices=[("a", "First"), ("a", "Second")]).render("x", "a")
    assert html.count("selected") == 1
    assert '<option value="a" selected>First</option>' in html


def test_none_as_a_choice_value_is_the_empty_option():
    html = Select(choices=[(None, "Nothing"), ("a", "A")]).render("x", None)
    assert '<option value="" selected>Nothing</option>' in html


def test_select_escapes_values_labels_and_group_names():
    html = Select(choices=[('"><script>', [("<v>", "<l>")])]).render("x", None)
    assert '<optgroup label="&quot;&gt;&lt;script&gt;">' in html
    assert '<option value="&lt;v&gt;">&lt;l&gt;</option>' in html


def test_options_do_not_inherit_the_selects_attributes():
    html = Select(attrs={"class": "big"}, choices=[("a", "A")]).render("x", "a", {"id": "id_x"})
    assert html.startswith('<select name="x" class="big" id="id_x">')
    assert '<option value="a" selected>A</option>' in html


def test_select_multiple_selects_every_value_and_says_multiple():
    widget = SelectMultiple(choices=[("a", "A"), ("b", "B"), ("c", "C")])
    assert widget.render("tags", ["a", "c"], {"id": "id_tags"}) == (
        '<select name="tags" id="id_tags" multiple>\n'
        '  <option value="a" selected>A</option>\n'
        '  <option value="b">B</option>\n'
        '  <option value="c" selected>C</option>\n'
        "</select>"
    )
    assert "selected" not in widget.render("tags", None)


def test_select_multiple_reads_every_submitted_value():
    widget = SelectMultiple()
    assert widget.value_from_datadict(QueryDict("tags=a&tags=c"), {}, "tags") == ["a", "c"]
    assert widget.value_from_datadict(QueryDict(""), {}, "tags") == []
    assert widget.value_from_datadict({"tags": ["a"]}, {}, "tags") == ["a"], "a plain dict is read with get()"
    assert widget.value_omitted_from_data({}, {}, "tags") is False


def test_select_reads_the_last_value_of_a_name():
    assert Select().value_from_datadict(QueryDict("x=a&x=b"), {}, "x") == "b"
    assert Select().value_omitted_from_data({}, {}, "x") is True


@pytest.mark.parametrize(
    ("choices", "required"),
    [([], False), ([("", "---")], True), ([(None, "---")], True), ([("a", "A")], False), ([("G", [("", "x")])], False)],
)
def test_select_is_required_only_with_an_empty_first_choice(choices, required):
    assert Select(choices=choices).use_required_attribute(initial=None) is required


def test_select_multiple_may_always_be_required():
    assert SelectMultiple(choices=[("a", "A")]).use_required_attribute(initial=None) is True


@pytest.mark.parametrize(
    ("value", "selected"),
    [(None, "unknown"), (True, "true"), (False, "false"), ("true", "true"), ("2", "true"), ("3", "false"),
     ("junk", "unknown"), (["list"], "unknown")],
)
def test_null_boolean_select_shows_unknown_yes_or_no(value, selected):
    html = NullBooleanSelect().render("known", value)
    assert html.count("selected") == 1
    assert f'<option value="{selected}" selected>' in html
    assert '<option value="unknown"' in html and ">Yes</option>" in html and ">No</option>" in html


@pytest.mark.parametrize(
    ("sent", "value"),
    [("true", True), ("True", True), ("2", True), ("false", False), ("False", False), ("3", False),
     ("unknown", None), ("", None), ("yes", None)],
)
def test_null_boolean_select_reads_true_false_or_none(sent, value):
    assert NullBooleanSelect().value_from_datadict({"known": sent}, {}, "known") is value


def test_null_boolean_select_reads_nothing_and_lists_as_none():
    # Django's raises TypeError for a list (it looks it up in a dict); a list is not a 500 here.
    assert NullBooleanSelect().value_from_datadict({}, {}, "known") is None
    assert NullBooleanSelect().value_from_datadict({"known": ["true"]}, {}, "known") is None


def test_radio_select_renders_labelled_inputs_with_numbered_ids():
    widget = RadioSelect(choices=[("s", "Small"), ("l", "Large <XL>")])
    assert widget.render("size", "l", {"id": "id_size", "required": True}) == (
        '<div id="id_size">\n'
        '  <div><label for="id_size_0"><input type="radio" name="size" value="s" id="id_size_0" required>'
        " Small</label></div>\n"
        '  <div><label for="id_size_1"><input type="radio" name="size" value="l" id="id_size_1" required checked>'
        " Large &lt;XL&gt;</label></div>\n"
        "</div>"
    )


def test_radio_select_groups_have_a_label_and_ids_with_two_indexes():
    html = RadioSelect(attrs={"class": "inline"}, choices=MEDIA).render("media", "cd", {"id": "id_media"})
    assert html.startswith('<div id="id_media" class="inline">\n  <div><label>Audio</label>\n')
    assert (
        '<label for="id_media_0_1"><input type="radio" name="media" value="cd" class="inline" id="id_media_0_1"'
        " checked> CD</label>"
    ) in html
    assert (
        '<label for="id_media_1"><input type="radio" name="media" value="unknown" class="inline" id="id_media_1">'
        " Unknown</label>"
    ) in html


def test_radio_select_without_an_id_renders_labels_without_for():
    html = RadioSelect(choices=[("s", "Small")]).render("size", None)
    assert '<div>\n  <div><label><input type="radio" name="size" value="s"> Small</label></div>\n</div>' == html


def test_radio_select_label_points_at_no_single_button():
    widget = RadioSelect()
    assert widget.id_for_label("id_size") == ""
    assert widget.id_for_label("id_size", "1") == "id_size_1"
    assert widget.use_fieldset is True
    assert Select().use_fieldset is False


def test_checkbox_select_multiple_checks_every_value():
    widget = CheckboxSelectMultiple(choices=[("a", "A"), ("b", "B"), ("c", "C")])
    html = widget.render("tags", ["a", "c"], {"id": "id_tags"})
    assert html.count(" checked") == 2
    assert '<label for="id_tags_2"><input type="checkbox" name="tags" value="c" id="id_tags_2" checked> C</label>' in (
        html
    )


def test_checkbox_select_multiple_is_never_required_nor_omitted():
    widget = CheckboxSelectMultiple(choices=[("a", "A")])
    assert widget.use_required_attribute(initial=None) is False
    assert widget.value_omitted_from_data({}, {}, "tags") is False
    assert widget.value_from_datadict(QueryDict("tags=a&tags=b"), {}, "tags") == ["a", "b"]


def test_subwidgets_are_the_options():
    options = list(RadioSelect(choices=[("s", "Small"), ("l", "Large")]).subwidgets("size", "l", {"id": "id_size"}))
    assert [(option["value"], option["selected"], option["attrs"]) for option in options] == [
        ("s", False, {"id": "id_size_0"}),
        ("l", True, {"id": "id_size_1", "checked": True}),
    ]
    assert options[0]["template_name"] == "tinyframe/forms/widgets/radio_option.html"
    assert options[0]["index"] == "0" and options[0]["wrap_label"] is True and options[0]["type"] == "radio"


def test_optgroups_is_a_list_of_group_name_options_and_index():
    groups = Select(choices=MEDIA).optgroups("media", ["vinyl"])
    assert [(name, [option["value"] for option in options], index) for name, options, index in groups] == [
        ("Audio", ["vinyl", "cd"], 0),
        (None, ["unknown"], 1),
    ]
    assert groups[0][1][0]["selected"] is True and groups[0][1][1]["index"] == "0_1"


@pytest.mark.parametrize(
    ("value", "formatted"),
    [(None, [""]), ("a", ["a"]), (1, ["1"]), (["a", None, 2], ["a", "", "2"]), (("a",), ["a"])],
)
def test_format_value_is_a_list_of_text(value, formatted):
    assert Select().format_value(value) == formatted


def test_format_value_of_nothing_is_an_empty_list_for_multiple_choices():
    assert SelectMultiple().format_value(None) == []


# Choices in the forms Django takes


def test_choices_may_be_a_dict_with_nested_groups():
    assert Select(choices={"a": "A", "Group": {"b": "B"}}).choices == [("a", "A"), ("Group", [("b", "B")])]


def test_choices_may_be_an_enumeration_with_choices():
    class Size(enum.Enum):
        S = "s"

    Size.choices = [("s", "Small")]
    assert Select(choices=Size).choices == [("s", "Small")]


def test_choices_from_a_generator_are_read_once_and_kept():
    widget = Select(choices=(pair for pair in [("a", "A")]))
    assert widget.choices == [("a", "A")]
    assert '<option value="a">A</option>' in widget.render("x", None)
    assert '<option value="a">A</option>' in widget.render("x", None)


def test_choices_from_a_function_are_read_afresh_each_time():
    offered = [("a", "A")]
    widget = Select(choices=lambda: list(offered))
    assert isinstance(widget.choices, CallableChoiceIterator)
    assert '<option value="a">A</option>' in widget.render("x", None)
    offered.append(("b", "B"))
    assert '<option value="b">B</option>' in widget.render("x", None)


def test_choices_that_are_not_pairs_are_kept_as_they_are():
    assert normalize_choices([("a", "A"), "abc"]) == [("a", "A"), "abc"]
    assert normalize_choices(iter([1, 2])) == [1, 2]


def test_an_iterable_object_is_kept_as_it_is():
    class Lazy:
        def __iter__(self):
            yield ("a", "A")

    lazy = Lazy()
    assert Select(choices=lazy).choices is lazy
    assert normalize_choices("text") == "text"


def test_a_copied_widget_has_its_own_choices_and_attrs():
    widget = Select(attrs={"class": "c"}, choices=[("a", "A")])
    copied = copy.deepcopy(widget)
    copied.choices.append(("b", "B"))
    copied.attrs["class"] = "d"
    assert widget.choices == [("a", "A")] and widget.attrs == {"class": "c"}


def test_choice_widget_id_for_label_numbers_the_first_option():
    assert ChoiceWidget().id_for_label("id_x") == "id_x_0"
    assert Select().id_for_label("id_x") == "id_x"
    assert ChoiceWidget().id_for_label("") == ""


def test_the_choice_and_multi_widgets_are_importable_from_widgets_and_from_their_own_module():
    import tinyframe.forms.widgets as widgets
    from tinyframe.forms import choice_widgets, multi_widgets

    assert widgets.Select is choice_widgets.Select and widgets.ChoiceWidget is choice_widgets.ChoiceWidget
    assert widgets.SplitDateTimeWidget is multi_widgets.SplitDateTimeWidget
    assert "ChoiceWidget" not in widgets.__all__ and "Input" not in widgets.__all__, "as in django.forms.widgets"
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        widgets.Nope
