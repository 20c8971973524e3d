"""The rest of a form's API: binding, repr, initial values, hidden and visible fields, multipart, BoundField classes."""

import datetime

import pytest


@pytest.fixture
def EventForm(forms):
    class EventForm(forms.Form):
        name = forms.CharField()
        when = forms.DateTimeField(initial=datetime.datetime(2024, 1, 2, 3, 4, 5, 678))
        at = forms.TimeField(initial=datetime.time(3, 4, 5, 6))
        poster = forms.FileField(required=False)
        code = forms.CharField(widget=forms.HiddenInput, required=False)
        seats = forms.IntegerField(localize=True, initial=1234, required=False)
        stamp = forms.IntegerField(show_hidden_initial=True, initial=3)

    return EventForm


def test_a_form_is_bound_by_data_or_files(forms):
    class NameForm(forms.Form):
        name = forms.CharField()

    assert NameForm().is_bound is False
    assert NameForm({}).is_bound is True, "empty data is still data: a submitted empty form"
    assert NameForm(files={}).is_bound is True
    assert NameForm().data == {} and NameForm().files == {}


def test_repr_says_bound_valid_and_fields(EventForm):
    fields = "name;when;at;poster;code;seats;stamp"
    assert repr(EventForm()) == f"<EventForm bound=False, valid=Unknown, fields=({fields})>"
    form = EventForm({})
    assert repr(form) == f"<EventForm bound=True, valid=Unknown, fields=({fields})>", "not validated yet"
    form.is_valid()
    assert repr(form) == f"<EventForm bound=True, valid=False, fields=({fields})>"


def test_hidden_visible_and_multipart(EventForm, forms):
    form = EventForm()
    assert [field.name for field in form.hidden_fields()] == ["code"]
    assert [field.name for field in form.visible_fields()] == ["name", "when", "at", "poster", "seats", "stamp"]
    assert form.is_multipart() is True, "a file input needs multipart/form-data"

    class NameForm(forms.Form):
        name = forms.CharField()

    assert NameForm().is_multipart() is False


def test_initial_values_drop_microseconds_the_widget_cannot_show(EventForm):
    form = EventForm()
    assert form.get_initial_for_field(form.fields["when"], "when") == datetime.datetime(2024, 1, 2, 3, 4, 5)
    assert form.get_initial_for_field(form.fields["at"], "at") == datetime.time(3, 4, 5)


def test_a_callable_initial_is_called(forms):
    class NameForm(forms.Form):
        name = forms.CharField()

    assert NameForm(initial={"name": lambda: "called"})["name"].value() == "called"


def test_a_localized_field_and_a_submitted_hidden_initial(EventForm):
    assert str(EventForm()["seats"]) == '<input type="text" name="seats" value="1234" id="id_seats">'
    assert str(EventForm({"stamp": "5", "initial-stamp": "7"})["stamp"]) == (
        '<input type="number" name="stamp" value="5" required id="id_stamp">'
        '<input type="hidden" name="initial-stamp" value="7" id="initial-id_stamp">'
    ), "the hidden initial value that was submitted is sent back as it came"


def test_bound_field_class_from_the_argument_the_form_or_the_renderer(forms, renderer):
    class ShoutingBoundField(forms.BoundField):
        @property
        def label(self):
            return self.name.upper()

        @label.setter
        def label(self, value):
            pass

    class NameForm(forms.Form):
        name = forms.CharField()

    class ShoutingForm(NameForm):
        bound_field_class = ShoutingBoundField

    renderer.bound_field_class = ShoutingBoundField

    assert type(NameForm()["name"]) is forms.BoundField
    assert NameForm(bound_field_class=ShoutingBoundField)["name"].label == "NAME"
    assert ShoutingForm()["name"].label == "NAME"
    assert NameForm(renderer=renderer)["name"].label == "NAME"


def test_a_multi_value_field_that_needs_not_every_part_marks_each_part_required(forms):
    """MultiValueField's require_all_fields=False: each sub-widget says for itself whether it is required."""

    class PhoneWidget(forms.MultiWidget):
        def __init__(self):
            super().__init__(widgets=[forms.TextInput, forms.TextInput])

        def decompress(self, value):
            return value.split("-") if value else [None, None]

    class PhoneField(forms.Field):
        widget = PhoneWidget
        require_all_fields = False

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.fields = [forms.CharField(required=True), forms.CharField(required=False)]

    class CallForm(forms.Form):
        phone = PhoneField()

    assert str(CallForm()["phone"]) == (
        '<input type="text" name="phone_0" required id="id_phone_0"><input type="text" name="phone_1" id="id_phone_1">'
    )
