"""Widgets of several parts (MultiWidget, SplitDateTimeWidget, MultipleHiddenInput) and file inputs.

The expected HTML was checked once against Django 5.2 (whitespace between tags aside).
"""

import copy
import datetime

import pytest

from tinyframe.forms import (
    CheckboxInput,
    ClearableFileInput,
    FileInput,
    HiddenInput,
    MultipleHiddenInput,
    MultiWidget,
    NumberInput,
    SelectDateWidget,
    SplitDateTimeWidget,
    SplitHiddenDateTimeWidget,
    TextInput,
)
from tinyframe.forms.widgets import FILE_INPUT_CONTRADICTION
from tinyframe.http import QueryDict
from tinyframe.http.multipartparser import UploadedFile
from tinyframe.utils.datastructures import MultiValueDict


class NameWidget(MultiWidget):
    """A first and a last name in one value, "Ada Lovelace"."""

    def __init__(self, attrs=None):
        super().__init__([TextInput, TextInput(attrs={"class": "last"})], attrs)

    def decompress(self, value):
        return value.split(" ", 1) if value else [None, None]


def test_multiwidget_renders_its_widgets_with_suffixed_names_and_ids():
    assert NameWidget().render("name", "Ada Lovelace", {"id": "id_name"}) == (
        '<input type="text" name="name_0" value="Ada" id="id_name_0">'
        '<input type="text" name="name_1" value="Lovelace" class="last" id="id_name_1">'
    )


def test_multiwidget_takes_a_list_as_it_is_and_pads_a_short_one():
    assert NameWidget().render("name", ["Ada"]) == (
        '<input type="text" name="name_0" value="Ada"><input type="text" name="name_1" class="last">'
    )


def test_multiwidget_attributes_go_to_every_part_and_a_type_changes_their_type():
    widget = MultiWidget([TextInput(), NumberInput()], attrs={"class": "q"})
    assert widget.render("m", ["a", 1], {"type": "hidden"}) == (
        '<input type="hidden" name="m_0" value="a" class="q"><input type="hidden" name="m_1" value="1" class="q">'
    )


def test_multiwidget_with_a_dict_names_its_parts_by_key():
    widget = MultiWidget({"": TextInput(), "unit": TextInput()})
    assert widget.render("size", ["10", "cm"], {"id": "id_size"}) == (
        '<input type="text" name="size" value="10" id="id_size_0">'
        '<input type="text" name="size_unit" value="cm" id="id_size_1">'
    )
    assert widget.value_from_datadict({"size": "10", "size_unit": "cm"}, {}, "size") == ["10", "cm"]


def test_multiwidget_reads_every_part_back():
    data = QueryDict("name_0=Ada&name_1=Lovelace")
    assert NameWidget().value_from_datadict(data, {}, "name") == ["Ada", "Lovelace"]
    assert NameWidget().value_from_datadict({}, {}, "name") == [None, None]


def test_multiwidget_is_omitted_only_when_every_part_is():
    assert NameWidget().value_omitted_from_data({}, {}, "name") is True
    assert NameWidget().value_omitted_from_data({"name_1": ""}, {}, "name") is False
    # A checkbox is never omitted, so neither is a widget that has one.
    assert MultiWidget([TextInput(), CheckboxInput()]).value_omitted_from_data({}, {}, "x") is False


def test_multiwidget_label_points_at_no_single_part_and_is_a_fieldset():
    assert NameWidget().id_for_label("id_name") == ""
    assert NameWidget().use_fieldset is True


def test_multiwidget_is_hidden_and_multipart_when_its_parts_are():
    assert MultiWidget([HiddenInput(), HiddenInput()]).is_hidden
    assert not MultiWidget([HiddenInput(), TextInput()]).is_hidden
    assert MultiWidget([TextInput(), FileInput()]).needs_multipart_form
    assert not NameWidget().needs_multipart_form


def test_multiwidget_without_decompress_says_what_to_write():
    with pytest.raises(NotImplementedError, match="Subclasses must implement this method."):
        MultiWidget([TextInput()]).render("x", "not a list")


def test_multiwidget_copies_its_parts():
    widget = NameWidget()
    copied = copy.deepcopy(widget)
    copied.widgets[1].attrs["class"] = "changed"
    assert widget.widgets[1].attrs == {"class": "last"}


def test_multiwidget_passes_is_localized_to_its_parts():
    widget = NameWidget()
    widget.is_localized = True
    widget.get_context("name", "Ada Lovelace", None)
    assert all(part.is_localized for part in widget.widgets)


def test_split_datetime_widget_shows_a_date_and_a_time():
    widget = SplitDateTimeWidget()
    assert widget.render("when", datetime.datetime(2026, 12, 7, 9, 30, 15, 500), {"id": "id_when"}) == (
        '<input type="text" name="when_0" value="2026-12-07" id="id_when_0">'
        '<input type="text" name="when_1" value="09:30:15" id="id_when_1">'
    )
    assert widget.render("when", None) == '<input type="text" name="when_0"><input type="text" name="when_1">'
    data = {"when_0": "2026-12-07", "when_1": "09:30"}
    assert widget.value_from_datadict(data, {}, "when") == ["2026-12-07", "09:30"]


def test_split_datetime_widget_takes_formats_and_attrs_for_each_part():
    widget = SplitDateTimeWidget(date_format="%d/%m/%Y", time_format="%H:%M", time_attrs={"class": "time"})
    assert widget.render("when", datetime.datetime(2026, 12, 7, 9, 30)) == (
        '<input type="text" name="when_0" value="07/12/2026">'
        '<input type="text" name="when_1" value="09:30" class="time">'
    )


def test_split_datetime_widget_shows_an_aware_datetime_in_local_time(use_settings):
    use_settings(USE_TZ=True, TIME_ZONE="America/New_York")
    value = datetime.datetime(2026, 12, 7, 14, 30, tzinfo=datetime.timezone.utc)
    assert SplitDateTimeWidget().decompress(value) == [datetime.date(2026, 12, 7), datetime.time(9, 30)]


def test_split_hidden_datetime_widget_hides_both_parts():
    widget = SplitHiddenDateTimeWidget()
    assert widget.is_hidden
    assert widget.render("when", datetime.datetime(2026, 12, 7, 9, 30), {"id": "id_when"}) == (
        '<input type="hidden" name="when_0" value="2026-12-07" id="id_when_0">'
        '<input type="hidden" name="when_1" value="09:30:00" id="id_when_1">'
    )


def test_multiple_hidden_input_renders_one_hidden_input_per_value():
    widget = MultipleHiddenInput()
    assert widget.render("tags", ["a", "b<"], {"id": "id_tags"}) == (
        '<input type="hidden" name="tags" value="a" id="id_tags_0">'
        '<input type="hidden" name="tags" value="b&lt;" id="id_tags_1">'
    )
    assert widget.render("tags", None) == ""
    assert widget.value_from_datadict(QueryDict("tags=a&tags=b"), {}, "tags") == ["a", "b"]
    assert widget.value_from_datadict({"tags": "a"}, {}, "tags") == "a"


# File inputs


def upload(name="notes.txt"):
    return UploadedFile(name=name, content_type="text/plain", size=3)


class StoredFile:
    """What a model's file field holds: something with a ``url``."""

    url = "/media/a&b.txt"

    def __str__(self):
        return "a&b.txt"


def test_file_input_never_renders_a_value():
    assert FileInput().render("doc", StoredFile(), {"id": "id_doc"}) == '<input type="file" name="doc" id="id_doc">'
    assert FileInput().needs_multipart_form


def test_file_input_reads_from_files_not_from_data():
    uploaded = upload()
    assert FileInput().value_from_datadict({"doc": "sneaky"}, {"doc": uploaded}, "doc") is uploaded
    assert FileInput().value_from_datadict({"doc": "sneaky"}, {}, "doc") is None
    assert FileInput().value_omitted_from_data({"doc": "x"}, {}, "doc") is True
    assert FileInput().value_omitted_from_data({}, {"doc": uploaded}, "doc") is False


def test_file_input_need_not_be_required_when_there_is_a_file_already():
    assert FileInput().use_required_attribute(initial=None) is True
    assert FileInput().use_required_attribute(initial=StoredFile()) is False


def test_file_input_refuses_multiple_unless_it_allows_it():
    with pytest.raises(ValueError, match="^FileInput doesn't support uploading multiple files.$"):
        FileInput(attrs={"multiple": True})

    class MultipleFileInput(FileInput):
        allow_multiple_selected = True

    widget = MultipleFileInput()
    assert widget.render("docs", None) == '<input type="file" name="docs" multiple>'
    attrs = {"accept": "image/*"}
    assert MultipleFileInput(attrs).render("docs", None) == '<input type="file" name="docs" accept="image/*" multiple>'
    assert attrs == {"accept": "image/*"}, "the attrs given are not changed"
    files = MultiValueDict({"docs": [upload("a"), upload("b")]})
    assert [file.name for file in widget.value_from_datadict({}, files, "docs")] == ["a", "b"]


def test_clearable_file_input_shows_the_current_file_and_a_clear_box():
    assert ClearableFileInput().render("doc", StoredFile(), {"id": "id_doc"}) == (
        'Currently: <a href="/media/a&amp;b.txt">a&amp;b.txt</a>\n'
        '<input type="checkbox" name="doc-clear" id="doc-clear_id">\n'
        '<label for="doc-clear_id">Clear</label><br>\n'
        "Change:\n"
        '<input type="file" name="doc" id="id_doc">'
    )


def test_clearable_file_input_has_no_clear_box_when_required_and_nothing_without_a_file():
    widget = ClearableFileInput()
    widget.is_required = True
    assert widget.render("doc", StoredFile()) == (
        'Currently: <a href="/media/a&amp;b.txt">a&amp;b.txt</a><br>\nChange:\n<input type="file" name="doc">'
    )
    assert ClearableFileInput().render("doc", None) == '<input type="file" name="doc">'
    assert ClearableFileInput().render("doc", upload()) == '<input type="file" name="doc">'


def test_clearable_file_input_clear_box_is_disabled_with_the_input():
    html = ClearableFileInput(attrs={"disabled": True}).render("doc", StoredFile())
    assert '<input type="checkbox" name="doc-clear" id="doc-clear_id" disabled>' in html


def test_clearable_file_input_ticked_clear_means_false_and_a_new_file_too_is_a_contradiction():
    uploaded = upload()
    widget = ClearableFileInput()
    assert widget.value_from_datadict({}, {"doc": uploaded}, "doc") is uploaded
    assert widget.value_from_datadict({"doc-clear": "on"}, {}, "doc") is False
    assert widget.value_from_datadict({"doc-clear": "on"}, {"doc": uploaded}, "doc") is FILE_INPUT_CONTRADICTION
    assert widget.value_from_datadict({"doc-clear": "false"}, {}, "doc") is None


def test_clearable_file_input_remembers_the_ticked_box_when_shown_again():
    widget = ClearableFileInput()
    widget.value_from_datadict({"doc-clear": "on"}, {}, "doc")
    assert '<input type="checkbox" name="doc-clear" id="doc-clear_id" checked>' in widget.render("doc", StoredFile())


def test_a_required_clearable_file_input_cannot_be_cleared():
    widget = ClearableFileInput()
    widget.is_required = True
    assert widget.value_from_datadict({"doc-clear": "on"}, {}, "doc") is None


def test_clearable_file_input_is_omitted_only_without_a_file_and_a_clear_box():
    widget = ClearableFileInput()
    assert widget.value_omitted_from_data({}, {}, "doc") is True
    assert widget.value_omitted_from_data({"doc-clear": "on"}, {}, "doc") is False
    assert widget.value_omitted_from_data({}, {"doc": upload()}, "doc") is False
    assert (widget.clear_checkbox_name("doc"), widget.clear_checkbox_id("doc-clear")) == ("doc-clear", "doc-clear_id")


# SelectDateWidget


def test_select_date_widget_renders_month_day_and_year_selects():
    html = SelectDateWidget(years=[2025, 2026]).render("born", datetime.date(2026, 2, 3), {"id": "id_born"})
    months = html.index('<select name="born_month" id="id_born_month">')
    days = html.index('<select name="born_day" id="id_born_day">')
    years = html.index('<select name="born_year" id="id_born_year">')
    assert months < days < years, "the order of DATE_FORMAT, 'N j, Y'"
    assert '<option value="">---</option>' in html
    assert '<option value="2" selected>February</option>' in html
    assert '<option value="3" selected>3</option>' in html and '<option value="31">31</option>' in html
    assert '<option value="2026" selected>2026</option>' in html


def test_select_date_widget_follows_the_date_format_setting(use_settings):
    use_settings(DATE_FORMAT=r"\Y\e\a\r Y, d/m")
    html = SelectDateWidget(years=[2026]).render("born", None)
    assert html.index("born_year") < html.index("born_day") < html.index("born_month")
    assert SelectDateWidget().id_for_label("id_born") == "id_born_year"


def test_select_date_widget_required_has_no_empty_choice_and_labels_can_be_given():
    widget = SelectDateWidget(years=[2026], months={1: "Jan", 2: "Feb"})
    widget.is_required = True
    html = widget.render("born", None, {"class": "c"})
    assert 'value=""' not in html
    assert '<select name="born_month" class="c" id="id_born_month">\n  <option value="1">Jan</option>' in html
    labelled = SelectDateWidget(years=[2026], empty_label=("Year", "Month", "Day")).render("born", None)
    assert '<option value="" selected>Month</option>' in labelled
    assert '<option value="" selected>Year</option>' in labelled
    assert '<option value="">--</option>' in SelectDateWidget(years=[2026], empty_label="--").render("born", "2026-2-3")


def test_select_date_widget_empty_label_must_have_three_parts():
    with pytest.raises(ValueError, match="^empty_label list/tuple must have 3 elements.$"):
        SelectDateWidget(empty_label=("Year", "Month"))


def test_select_date_widget_years_default_to_this_year_and_the_nine_after():
    this_year = datetime.date.today().year
    assert list(SelectDateWidget().years) == list(range(this_year, this_year + 10))


@pytest.mark.parametrize(
    ("data", "value"),
    [
        ({"born_year": "2026", "born_month": "2", "born_day": "3"}, "2026-02-03"),
        ({"born_year": "33", "born_month": "1", "born_day": "2"}, "0033-01-02"),
        ({"born_year": "2026", "born_month": "2", "born_day": "31"}, "2026-2-31"),
        ({"born_year": "2026", "born_month": "", "born_day": "3"}, "2026-0-3"),
        ({"born_year": "x<", "born_month": "2", "born_day": "3"}, "x<-2-3"),
        ({"born_year": "9" * 20, "born_month": "2", "born_day": "3"}, "0-0-0"),
        ({"born_year": "", "born_month": "", "born_day": ""}, None),
        ({"born_year": "2026", "born_month": "2"}, None),
        ({"born": "2026-01-01"}, "2026-01-01"),
        ({}, None),
    ],
)
def test_select_date_widget_reads_a_date_or_text_for_the_field_to_refuse(data, value):
    assert SelectDateWidget().value_from_datadict(data, {}, "born") == value


def test_select_date_widget_is_omitted_only_without_any_part():
    assert SelectDateWidget().value_omitted_from_data({}, {}, "born") is True
    assert SelectDateWidget().value_omitted_from_data({"born_day": ""}, {}, "born") is False


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        (None, (None, None, None)),
        (datetime.date(2026, 2, 3), (2026, 2, 3)),
        (datetime.datetime(2026, 2, 3, 4, 5), (2026, 2, 3)),
        ("2026-2-3", (2026, 2, 3)),
        ("2026-0-0", (2026, "", "")),
        ("2026-13-45", (2026, 13, 45)),
        ("garbage", (None, None, None)),
    ],
)
def test_select_date_widget_splits_its_value_into_year_month_and_day(value, parts):
    assert SelectDateWidget().format_value(value) == dict(zip(("year", "month", "day"), parts))
