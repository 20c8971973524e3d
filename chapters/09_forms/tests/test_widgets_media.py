"""Form media: the CSS and JavaScript a widget declares, merged in order and rendered (checked against Django 5.2)."""

import pytest

from tinyframe.forms import Media, MultiWidget, Script, SplitDateTimeWidget, TextInput
from tinyframe.forms.media import MediaOrderConflictWarning


class CalendarInput(TextInput):
    class Media:
        css = {"all": ["cal.css"]}
        js = ["jq.js", "cal.js"]


class ClockInput(CalendarInput):
    class Media:
        js = ["jq.js", "clock.js"]


class BareInput(CalendarInput):
    class Media:
        extend = False
        js = ["only.js"]


class StyledInput(CalendarInput):
    class Media:
        extend = ("css",)
        js = ["styled.js"]


@pytest.fixture
def static_url(use_settings):
    use_settings(STATIC_URL="/static/")


def test_a_widget_without_media_has_none():
    assert str(TextInput().media) == ""


def test_a_widgets_media_renders_links_then_scripts_under_static_url(static_url):
    assert str(CalendarInput().media) == (
        '<link href="/static/cal.css" media="all" rel="stylesheet">\n'
        '<script src="/static/jq.js"></script>\n'
        '<script src="/static/cal.js"></script>'
    )


def test_absolute_paths_and_urls_are_kept_and_relative_ones_quoted(static_url):
    media = Media(js=["http://cdn.example.com/x.js", "/abs.js", "my dir/x.js"])
    assert str(media) == (
        '<script src="http://cdn.example.com/x.js"></script>\n'
        '<script src="/abs.js"></script>\n'
        '<script src="/static/my%20dir/x.js"></script>'
    )


def test_css_media_are_rendered_in_alphabetical_order():
    media = Media(css={"screen": ["s.css"], "print": ["p.css"]})
    assert str(media) == (
        '<link href="p.css" media="print" rel="stylesheet">\n<link href="s.css" media="screen" rel="stylesheet">'
    )


def test_a_subclass_adds_to_its_parents_media():
    assert ClockInput().media._js == ["jq.js", "cal.js", "clock.js"]
    assert ClockInput().media._css == {"all": ["cal.css"]}


def test_extend_false_drops_the_parents_media_and_a_tuple_keeps_some_of_it():
    assert (BareInput().media._js, BareInput().media._css) == (["only.js"], {})
    assert (StyledInput().media._js, StyledInput().media._css) == (["styled.js"], {"all": ["cal.css"]})


def test_adding_media_keeps_each_lists_order_and_every_file_once():
    media = Media(js=["jq.js", "cal.js"]) + Media(js=["jq.js", "clock.js"]) + Media(js=["jq.js", "cal.js"])
    assert media._js == ["jq.js", "cal.js", "clock.js"]


def test_merge_puts_a_file_after_the_ones_every_list_puts_before_it():
    assert Media.merge(["a.js", "c.js"], ["a.js", "b.js", "c.js"]) == ["a.js", "b.js", "c.js"]
    assert Media.merge([], ["a.js"], None) == ["a.js"]


def test_merge_warns_when_two_lists_disagree_and_keeps_the_first_order():
    message = r"Detected duplicate Media files in an opposite order: \['a', 'b'\], \['b', 'a'\]"
    with pytest.warns(MediaOrderConflictWarning, match=message):
        assert Media.merge(["a", "b"], ["b", "a"]) == ["a", "b"]


def test_media_of_one_type():
    media = Media(css={"all": ["x.css"]}, js=["a.js"])
    assert str(media["css"]) == '<link href="x.css" media="all" rel="stylesheet">'
    assert str(media["js"]) == '<script src="a.js"></script>'
    with pytest.raises(KeyError, match='Unknown media type "images"'):
        media["images"]


def test_repr_shows_the_merged_lists():
    assert repr(Media(css={"all": ["x.css"]}, js=["a.js"])) == "Media(css={'all': ['x.css']}, js=['a.js'])"
    assert repr(Media(CalendarInput.Media)) == "Media(css={'all': ['cal.css']}, js=['jq.js', 'cal.js'])"


def test_a_script_with_attributes_is_the_same_file_as_its_path(static_url):
    media = Media(js=[Script("app.js", type="module"), "app.js", "other.js"])
    assert str(media) == (
        '<script src="/static/app.js" type="module"></script>\n<script src="/static/other.js"></script>'
    )
    assert repr(Script("app.js")) == "Script('app.js')"
    assert Script("app.js") == Script("app.js") and hash(Script("app.js")) == hash("app.js")
    assert str(Script("x.js", title="<b>")) == '<script src="/static/x.js" title="&lt;b&gt;"></script>'


def test_a_multiwidgets_media_is_its_parts():
    assert MultiWidget([CalendarInput(), BareInput()]).media._js == ["jq.js", "only.js", "cal.js"]
    assert str(SplitDateTimeWidget().media) == ""


def test_media_is_html():
    assert Media(js=["a.js"]).__html__() == '<script src="a.js"></script>'
    assert Media().absolute_path("https://x/y.js") == "https://x/y.js"
