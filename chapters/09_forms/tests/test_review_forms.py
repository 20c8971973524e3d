"""Differences from Django 5.2 found by running the same inputs through both, each fixed here.

Each test states Django's answer (checked by running the same code with
``from django import forms``), so the difference cannot come back.
"""

import pytest


@pytest.fixture
def media_forms(forms):
    """Forms whose widgets and inner ``Media`` classes name CSS and JavaScript files."""

    class CalendarInput(forms.TextInput):
        class Media:
            js = ["calendar.js", "shared.js"]
            css = {"all": ["calendar.css"]}

    class TagSelect(forms.Select):
        class Media:
            js = ["shared.js", "tags.js"]

    class EventForm(forms.Form):
        day = forms.CharField(widget=CalendarInput)
        tag = forms.ChoiceField(widget=TagSelect, choices=[])
        note = forms.CharField()

    class StyledEventForm(EventForm):
        class Media:
            js = ["form.js"]
            css = {"print": ["print.css"]}

    class OwnMediaForm(StyledEventForm):
        class Media:
            extend = False
            js = ["only.js"]

    return EventForm, StyledEventForm, OwnMediaForm


def test_a_form_has_the_media_of_its_widgets_in_field_order(forms, media_forms, html):
    EventForm, _, _ = media_forms
    assert html(EventForm().media) == (
        '<link href="calendar.css" media="all" rel="stylesheet">'
        '<script src="calendar.js"></script><script src="shared.js"></script><script src="tags.js"></script>'
    )
    assert html(EventForm().media["js"]) == (
        '<script src="calendar.js"></script><script src="shared.js"></script><script src="tags.js"></script>'
    )


def test_a_form_without_media_has_empty_media(forms):
    class NameForm(forms.Form):
        name = forms.CharField()

    assert str(NameForm().media) == ""
    assert isinstance(NameForm().media, forms.Media)


def test_a_forms_inner_media_class_adds_to_its_widgets(forms, media_forms, html):
    _, StyledEventForm, OwnMediaForm = media_forms
    assert html(StyledEventForm().media) == (
        '<link href="calendar.css" media="all" rel="stylesheet"><link href="print.css" media="print" rel="stylesheet">'
        '<script src="calendar.js"></script><script src="form.js"></script>'
        '<script src="shared.js"></script><script src="tags.js"></script>'
    )
    assert html(OwnMediaForm().media) == '<script src="only.js"></script>', "extend = False drops the widgets' media"


def test_the_media_follows_a_forms_own_fields(forms, media_forms, html):
    EventForm, _, _ = media_forms
    form = EventForm()
    form.fields["day"].widget = forms.TextInput()
    assert html(form.media) == '<script src="shared.js"></script><script src="tags.js"></script>'


def test_the_form_metaclass_is_a_media_defining_class(forms):
    from tinyframe.forms.forms import DeclarativeFieldsMetaclass

    assert [cls.__name__ for cls in DeclarativeFieldsMetaclass.__mro__] == [
        "DeclarativeFieldsMetaclass",
        "MediaDefiningClass",
        "type",
        "object",
    ]


@pytest.fixture
def AmountForm(forms):
    class AmountForm(forms.Form):
        count = forms.IntegerField(localize=True)
        price = forms.DecimalField(localize=True)
        mass = forms.FloatField(localize=True)
        plain = forms.IntegerField()
        plain_mass = forms.FloatField()

    return AmountForm


AMOUNTS = {"count": 1234567, "plain": 1234567, "mass": 1e20, "plain_mass": 1e20}


def values(form):
    """The ``value`` attribute each field's input renders."""
    return {name: form[name].as_widget().split('value="')[1].split('"')[0] for name in form.fields}


def test_a_localized_number_never_shows_an_exponent(AmountForm):
    import decimal

    form = AmountForm(initial={**AMOUNTS, "price": decimal.Decimal("-1234.50")})
    assert values(form) == {
        "count": "1234567",
        "price": "-1234.50",
        "mass": "100000000000000000000",
        "plain": "1234567",
        "plain_mass": "1e+20",
    }, "Django 5.2: a localized widget writes a float in full, an unlocalized one as str()"


def test_a_localized_number_is_grouped_with_use_thousand_separator(AmountForm, use_settings):
    import decimal

    use_settings(USE_THOUSAND_SEPARATOR=True)
    form = AmountForm(initial={**AMOUNTS, "price": decimal.Decimal("-1234.50")})
    assert values(form) == {
        "count": "1,234,567",
        "price": "-1,234.50",
        "mass": "100,000,000,000,000,000,000",
        "plain": "1234567",
        "plain_mass": "1e+20",
    }, "Django 5.2 groups only the localized fields' numbers"


def test_a_grouped_number_cleans_back_to_its_value(AmountForm, use_settings):
    import decimal

    use_settings(USE_THOUSAND_SEPARATOR=True)
    shown = values(AmountForm(initial={**AMOUNTS, "price": decimal.Decimal("-1234.50")}))
    form = AmountForm({**shown, "plain_mass": "1"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "count": 1234567,
        "price": decimal.Decimal("-1234.50"),
        "mass": 1e20,
        "plain": 1234567,
        "plain_mass": 1.0,
    }


def test_localize_number_leaves_booleans_and_text_alone(forms, use_settings):
    use_settings(USE_THOUSAND_SEPARATOR=True)
    widget = forms.TextInput()
    widget.is_localized = True
    assert [widget.format_value(value) for value in (True, "12345", 12345, None, "")] == [
        "True",
        "12345",
        "12,345",
        None,
        None,
    ]


def test_a_localized_text_input_shows_dates_in_the_first_input_format(forms):
    import datetime

    widget = forms.TextInput()
    widget.is_localized = True
    values = [
        datetime.datetime(2024, 1, 2, 3, 4, 5, 6),
        datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
        datetime.date(2024, 1, 2),
        datetime.time(3, 4, 5, 6),
    ]
    assert [widget.format_value(value) for value in values] == [
        "2024-01-02 03:04:05",
        "2024-01-02 03:04:05",
        "2024-01-02",
        "03:04:05",
    ], "Django 5.2's localize_input: no microseconds, no offset"
    assert forms.TextInput().format_value(values[0]) == "2024-01-02 03:04:05.000006", "unlocalized: str()"


def test_fields_helpers_are_importable_from_djangos_module_path():
    from tinyframe.forms import fields

    assert fields.BaseTemporalField is fields.temporal.BaseTemporalField
    assert issubclass(fields.DateField, fields.BaseTemporalField)
    assert issubclass(fields.InvalidJSONInput, str) and issubclass(fields.JSONString, str)
    assert "BaseTemporalField" not in fields.__all__, "as in Django, not part of `from forms.fields import *`"


def test_media_helpers_are_importable_from_the_widgets_module():
    from tinyframe.forms import media, widgets

    assert widgets.MediaOrderConflictWarning is media.MediaOrderConflictWarning, "as django.forms.widgets'"
    assert widgets.MediaAsset is media.MediaAsset
