"""The single-element widgets: their HTML, their attributes, and the value read back.

Every expected string here was checked once against Django 5.2's rendering of
the same widget (same elements, attributes in the same order, same values).
"""

import copy
import datetime
import decimal

import pytest

from tinyframe.forms import (
    ColorInput,
    DateInput,
    DateTimeInput,
    EmailInput,
    HiddenInput,
    NumberInput,
    PasswordInput,
    SearchInput,
    TelInput,
    Textarea,
    TextInput,
    TimeInput,
    URLInput,
    Widget,
)
from tinyframe.forms.widgets import Input, format_temporal
from tinyframe.http import QueryDict


@pytest.mark.parametrize(
    ("widget", "value", "attrs", "html"),
    [
        (TextInput(), None, None, '<input type="text" name="x">'),
        (TextInput(), "", None, '<input type="text" name="x">'),
        (TextInput(), "hello", {"id": "id_x"}, '<input type="text" name="x" value="hello" id="id_x">'),
        (TextInput(), 0, None, '<input type="text" name="x" value="0">'),
        (NumberInput(), decimal.Decimal("1.50"), None, '<input type="number" name="x" value="1.50">'),
        (
            NumberInput(attrs={"min": 1, "step": "any"}), 5, None,
            '<input type="number" name="x" value="5" min="1" step="any">',
        ),
        (EmailInput(), "ada@example.com", None, '<input type="email" name="x" value="ada@example.com">'),
        (URLInput(), "https://e.com/?a=1&b=2", None, '<input type="url" name="x" value="https://e.com/?a=1&amp;b=2">'),
        (HiddenInput(), "v", {"id": "id_x"}, '<input type="hidden" name="x" value="v" id="id_x">'),
        (ColorInput(), "#ffffff", None, '<input type="color" name="x" value="#ffffff">'),
        (SearchInput(), "q", None, '<input type="search" name="x" value="q">'),
        (TelInput(), "555", None, '<input type="tel" name="x" value="555">'),
        (TextInput(attrs={"type": "week"}), "2026-W49", None, '<input type="week" name="x" value="2026-W49">'),
    ],
    ids=lambda item: type(item).__name__ if isinstance(item, Widget) else None,
)
def test_input_widgets_render_one_input_element(widget, value, attrs, html):
    assert widget.render("x", value, attrs) == html


def test_render_escapes_the_value_and_every_attribute():
    widget = TextInput(attrs={"placeholder": "\"quoted\" & <tagged>"})
    assert widget.render("x", "</textarea><script>'") == (
        '<input type="text" name="x" value="&lt;/textarea&gt;&lt;script&gt;&#x27;"'
        ' placeholder="&quot;quoted&quot; &amp; &lt;tagged&gt;">'
    )


def test_attributes_true_renders_bare_false_and_none_are_left_out():
    attrs = {"id": "id_x", "required": True, "disabled": False, "autofocus": None, "maxlength": 0, "title": ""}
    html = '<input type="text" name="x" id="id_x" required maxlength="0" title="">'
    assert TextInput().render("x", None, attrs) == html


def test_attributes_of_the_rendering_come_after_and_over_the_widgets_own():
    widget = TextInput(attrs={"class": "wide", "size": "10"})
    assert widget.render("x", None, {"size": "20", "id": "id_x"}) == (
        '<input type="text" name="x" class="wide" size="20" id="id_x">'
    )
    assert widget.attrs == {"class": "wide", "size": "10"}, "render must not change the widget's own attrs"


def test_a_widget_copies_the_attrs_it_is_given():
    attrs = {"class": "wide"}
    widget = TextInput(attrs)
    attrs["class"] = "narrow"
    assert widget.attrs == {"class": "wide"}


def test_a_type_in_attrs_becomes_the_input_type():
    widget = Input(attrs={"type": "range", "min": "0"})
    assert (widget.input_type, widget.attrs) == ("range", {"min": "0"})


def test_get_context_is_djangos_widget_dictionary():
    context = TextInput(attrs={"class": "c"}).get_context("title", 7, {"id": "id_title"})
    assert context == {
        "widget": {
            "name": "title",
            "is_hidden": False,
            "required": False,
            "value": "7",
            "attrs": {"class": "c", "id": "id_title"},
            "template_name": "tinyframe/forms/widgets/text.html",
            "type": "text",
        }
    }


def test_deepcopy_gives_the_copy_its_own_attrs():
    widget = TextInput(attrs={"class": "c"})
    copied = copy.deepcopy(widget)
    copied.attrs["class"] = "changed"
    assert widget.attrs == {"class": "c"}
    assert type(copied) is TextInput


@pytest.mark.parametrize(
    ("value", "formatted"),
    [(None, None), ("", None), ("text", "text"), (0, "0"), (False, "False"), (decimal.Decimal("1.10"), "1.10")],
)
def test_format_value_shows_text_or_nothing(value, formatted):
    assert Widget().format_value(value) == formatted


def test_password_input_does_not_send_the_password_back():
    assert PasswordInput().render("p", "secret") == '<input type="password" name="p">'
    assert PasswordInput(render_value=True).render("p", "secret") == '<input type="password" name="p" value="secret">'


def test_hidden_input_is_hidden_and_never_required():
    assert HiddenInput().is_hidden
    assert not TextInput().is_hidden
    assert TextInput(attrs={"type": "hidden"}).is_hidden
    assert HiddenInput().use_required_attribute(initial=None) is False
    assert TextInput().use_required_attribute(initial=None) is True


def test_textarea_is_forty_columns_by_ten_rows_and_keeps_the_text_inside():
    assert Textarea().render("body", "Line one\nLine <two>") == (
        '<textarea name="body" cols="40" rows="10">\nLine one\nLine &lt;two&gt;</textarea>'
    )
    assert Textarea(attrs={"rows": 3, "class": "c"}).render("body", None) == (
        '<textarea name="body" cols="40" rows="3" class="c">\n</textarea>'
    )


def test_textarea_keeps_a_leading_newline_of_its_text():
    # The browser drops the one newline right after <textarea>; the template writes one, so the value's own survives.
    assert Textarea().render("body", "\nindented").endswith(">\n\nindented</textarea>")


# Dates and times


@pytest.mark.parametrize(
    ("widget", "value", "formatted"),
    [
        (DateInput(), datetime.date(2026, 12, 7), "2026-12-07"),
        (DateInput(), datetime.datetime(2026, 12, 7, 3, 4, 5), "2026-12-07"),
        (DateInput(format="%d/%m/%Y"), datetime.date(2026, 12, 7), "07/12/2026"),
        (DateTimeInput(), datetime.datetime(2026, 12, 7, 3, 4, 5, 678), "2026-12-07 03:04:05"),
        (DateTimeInput(), datetime.date(2026, 12, 7), "2026-12-07 00:00:00"),
        (DateTimeInput(format="%Y-%m-%dT%H:%M"), datetime.datetime(2026, 12, 7, 3, 4), "2026-12-07T03:04"),
        (TimeInput(), datetime.time(3, 4, 5, 6), "03:04:05"),
        (TimeInput(format="%H:%M"), datetime.time(3, 4, 5), "03:04"),
        (DateInput(), datetime.date(33, 4, 3), "0033-04-03"),
        (DateInput(), "2026-13-45", "2026-13-45"),
        (DateInput(), "", ""),
        (DateInput(), None, None),
        (DateInput(), 5, "5"),
    ],
)
def test_date_and_time_inputs_format_their_value(widget, value, formatted):
    assert widget.format_value(value) == formatted


def test_date_input_renders_its_formatted_value():
    assert DateInput().render("d", datetime.date(2026, 12, 7), {"id": "id_d"}) == (
        '<input type="text" name="d" value="2026-12-07" id="id_d">'
    )
    assert DateInput(attrs={"type": "date"}).render("d", datetime.date(2026, 12, 7)) == (
        '<input type="date" name="d" value="2026-12-07">'
    )


def test_an_empty_format_means_the_default_one():
    assert DateInput(format="").format is None
    assert DateInput(format="").format_value(datetime.date(2026, 1, 2)) == "2026-01-02"


def test_date_and_time_inputs_do_not_show_microseconds():
    assert not DateTimeInput.supports_microseconds
    assert TextInput.supports_microseconds


def test_format_temporal_pads_the_year_but_not_a_literal_percent_y():
    assert format_temporal(datetime.date(7, 1, 2), "%%Y %Y") == "%Y 0007"
    assert format_temporal(datetime.date(2026, 1, 2), "%Y") == "2026"


# Reading the value back


def test_value_from_datadict_reads_the_last_value_of_a_name():
    data = QueryDict("title=first&title=second")
    assert TextInput().value_from_datadict(data, {}, "title") == "second"
    assert TextInput().value_from_datadict({"title": "plain"}, {}, "title") == "plain"
    assert TextInput().value_from_datadict({}, {}, "title") is None


def test_value_omitted_from_data_tells_missing_from_empty():
    assert TextInput().value_omitted_from_data({}, {}, "title") is True
    assert TextInput().value_omitted_from_data({"title": ""}, {}, "title") is False


def test_id_for_label_is_the_id():
    assert TextInput().id_for_label("id_title") == "id_title"


def test_subwidgets_of_a_plain_widget_is_its_own_context():
    assert list(TextInput().subwidgets("x", "v")) == [TextInput().get_context("x", "v", None)["widget"]]


def test_render_uses_the_renderer_it_is_given():
    class Recorder:
        def render(self, template_name, context, request=None):
            self.seen = (template_name, context["widget"]["value"])
            return "<recorded>"

    recorder = Recorder()
    html = EmailInput().render("e", "a@b.c", renderer=recorder)
    assert (str(html), recorder.seen) == ("<recorded>", ("tinyframe/forms/widgets/email.html", "a@b.c"))
    assert hasattr(html, "__html__"), "render returns a SafeString"
