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
