"""ErrorList and ErrorDict (the errors of a field, of a form), and the small helpers of forms/utils.py."""

import datetime
import zoneinfo

import pytest


@pytest.fixture
def utils(forms):
    return forms.utils


@pytest.fixture
def errors(utils, forms):
    return utils.ErrorList(["A <b>", forms.ValidationError("Bad %(x)s", code="bad", params={"x": 1})])


def test_an_error_list_reads_as_a_list_of_messages(errors):
    assert repr(errors) == "['A <b>', 'Bad 1']"
    assert errors[1] == "Bad 1", "a ValidationError reads as its message, params filled in"
    assert "Bad 1" in errors and "Bad %(x)s" not in errors
    assert errors == ["A <b>", "Bad 1"]
    assert isinstance(errors, list) and len(errors) == 2
    assert errors.error_class == "errorlist"


def test_an_error_list_renders_escaped(errors):
    assert str(errors) == '<ul class="errorlist"><li>A &lt;b&gt;</li><li>Bad 1</li></ul>'
    assert errors.as_ul() == str(errors)
    assert errors.__html__() == str(errors)
    assert errors.as_text() == "* A &lt;b&gt;\n* Bad 1"


def test_an_error_list_as_data_and_json(errors):
    assert [(error.message, error.code, error.params) for error in errors.as_data()] == [
        ("A <b>", None, None),
        ("Bad %(x)s", "bad", {"x": 1}),
    ]
    assert errors.as_json() == '[{"message": "A <b>", "code": ""}, {"message": "Bad 1", "code": "bad"}]'
    assert errors.as_json(escape_html=True) == (
        '[{"message": "A &lt;b&gt;", "code": ""}, {"message": "Bad 1", "code": "bad"}]'
    )
    assert errors.get_json_data(escape_html=True) == [
        {"message": "A &lt;b&gt;", "code": ""},
        {"message": "Bad 1", "code": "bad"},
    ]


def test_an_empty_error_list_renders_nothing(utils):
    empty = utils.ErrorList(error_class="nonfield")
    assert (str(empty), empty.as_text(), empty.as_json()) == ("", "", "[]")
    assert empty.error_class == "errorlist nonfield"
    assert not empty


def test_a_field_error_list_has_an_id_for_aria_describedby(utils):
    assert str(utils.ErrorList(["x"], field_id="id_a")) == '<ul class="errorlist" id="id_a_error"><li>x</li></ul>'


def test_copy_keeps_the_class_renderer_and_field_id(utils, errors, renderer):
    original = utils.ErrorList(["x"], error_class="nonfield", renderer=renderer, field_id="id_x")
    copy = original.copy()
    assert type(copy) is utils.ErrorList and copy == ["x"]
    assert (copy.error_class, copy.renderer, copy.field_id) == ("errorlist nonfield", renderer, "id_x")
    copy.append("y")
    assert original == ["x"], "a copy is a new list"
    assert errors.copy() == errors


def test_an_error_dict(utils):
    errors = utils.ErrorDict(
        {
            "name": utils.ErrorList(["Required."]),
            "__all__": utils.ErrorList(["Whole <form>."], error_class="nonfield"),
        }
    )
    expected = (
        '<ul class="errorlist"><li>name<ul class="errorlist"><li>Required.</li></ul></li>'
        '<li>__all__<ul class="errorlist nonfield"><li>Whole &lt;form&gt;.</li></ul></li></ul>'
    )
    assert str(errors) == expected and errors.as_ul() == expected
    assert errors.as_text() == "* name\n  * Required.\n* __all__\n  * Whole &lt;form&gt;."
    assert errors.as_json() == (
        '{"name": [{"message": "Required.", "code": ""}], "__all__": [{"message": "Whole <form>.", "code": ""}]}'
    )
    assert errors.get_json_data(escape_html=True) == {
        "name": [{"message": "Required.", "code": ""}],
        "__all__": [{"message": "Whole &lt;form&gt;.", "code": ""}],
    }
    assert {name: [error.message for error in data] for name, data in errors.as_data().items()} == {
        "name": ["Required."],
        "__all__": ["Whole <form>."],
    }
    assert str(utils.ErrorDict()) == ""


def test_renderable_mixins_say_what_a_subclass_must_provide(utils):
    with pytest.raises(NotImplementedError) as caught:
        utils.RenderableMixin().get_context()
    assert str(caught.value) == "Subclasses of RenderableMixin must provide a get_context() method."
    with pytest.raises(NotImplementedError) as caught:
        utils.RenderableFieldMixin().as_widget()
    assert str(caught.value) == "Subclasses of RenderableFieldMixin must provide an as_widget() method."
    with pytest.raises(NotImplementedError) as caught:
        utils.RenderableFieldMixin().as_hidden()
    assert str(caught.value) == "Subclasses of RenderableFieldMixin must provide an as_hidden() method."


def test_pretty_name_and_flatatt(utils):
    assert utils.pretty_name("first_name") == "First name"
    assert utils.pretty_name("") == ""
    assert utils.flatatt({}) == ""
    assert utils.flatatt({"title": '"<x>"', "id": "a", "required": True, "hidden": False, "lang": None}) == (
        ' id="a" title="&quot;&lt;x&gt;&quot;" required'
    ), "pairs sorted by name, then the true booleans; False and None write nothing"


@pytest.fixture
def chicago(use_settings):
    use_settings(USE_TZ=True, TIME_ZONE="America/Chicago")


@pytest.mark.parametrize(
    "local_time",
    [datetime.datetime(2024, 3, 10, 2, 30), datetime.datetime(2024, 11, 3, 1, 30)],
    ids=["skipped when clocks go forward", "repeated when clocks go back"],
)
def test_a_local_time_that_does_not_exist_or_happens_twice_is_a_validation_error(utils, forms, chicago, local_time):
    with pytest.raises(forms.ValidationError) as caught:
        utils.from_current_timezone(local_time)
    error = caught.value
    assert error.code == "ambiguous_timezone"
    assert error.params == {"datetime": local_time, "current_timezone": zoneinfo.ZoneInfo("America/Chicago")}
    assert error.messages == [
        f"{local_time} couldn’t be interpreted in time zone America/Chicago; it may be ambiguous or it may not exist."
    ]


def test_local_times_become_aware_and_back(utils, chicago):
    aware = utils.from_current_timezone(datetime.datetime(2024, 6, 1, 12))
    assert aware.utcoffset() == datetime.timedelta(hours=-5)
    assert utils.to_current_timezone(aware) == datetime.datetime(2024, 6, 1, 12)
    assert utils.from_current_timezone(None) is None and utils.to_current_timezone(None) is None
    assert utils.from_current_timezone(aware) is aware, "an aware datetime is left alone"


def test_without_use_tz_datetimes_stay_naive(utils, use_settings):
    use_settings(USE_TZ=False)
    naive = datetime.datetime(2024, 3, 10, 2, 30)
    assert utils.from_current_timezone(naive) is naive
    aware = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    assert utils.to_current_timezone(aware) is aware
