"""What forms, fields, widgets and errors share: attributes, error collections, rendering.

How it works: anything that renders itself with a template — a form, a bound
field, a list of errors — mixes in ``RenderableMixin``. Its ``render`` asks
the object for a ``get_context()`` dict and hands it, with a template name, to
the object's ``renderer`` (``tinyframe.forms.renderers``); ``__str__`` and
``__html__`` are ``render``, so ``{{ form }}`` in a page renders the form and
is not escaped again. ``RenderableFormMixin`` adds ``as_div``/``as_p``/
``as_ul``/``as_table`` (one template each); ``RenderableErrorMixin`` adds
``as_ul``/``as_text``/``as_json``.

Errors travel in two collections: ``ErrorList``, the errors of one field (or
the form's own, with the ``nonfield`` class), holding ``ValidationError``
objects so that codes survive; and ``ErrorDict``, field name → ErrorList,
which is ``form.errors``.

>>> errors = ErrorList(["Too short.", ValidationError("Too loud.", code="loud")])
>>> errors
['Too short.', 'Too loud.']
>>> print(errors)
<ul class="errorlist"><li>Too short.</li><li>Too loud.</li></ul>
>>> errors.get_json_data()
[{'message': 'Too short.', 'code': ''}, {'message': 'Too loud.', 'code': 'loud'}]
"""

import datetime
import json
from collections import UserList

from tinyframe.conf import settings
from tinyframe.core.exceptions import ValidationError
from tinyframe.template.runtime import add_indexed_type
from tinyframe.utils import timezone
from tinyframe.utils.html import escape, format_html_join
from tinyframe.utils.safestring import mark_safe

__all__ = ["ErrorDict", "ErrorList", "flatatt", "pretty_name"]


def pretty_name(name: str) -> str:
    """The label a field gets from its name: underscores to spaces, first letter capital.

    >>> pretty_name("first_name"), pretty_name("")
    ('First name', '')
    """
    if not name:
        return ""
    return name.replace("_", " ").capitalize()


def flatatt(attrs: dict) -> str:
    """HTML attributes from a dict: `` key="value"`` pairs sorted, then the boolean ones.

    ``True`` writes the bare name, ``False`` and ``None`` write nothing; values
    are escaped, names are not (they come from code, not from users).

    >>> flatatt({"id": "x", "title": 'a "b"', "required": True, "disabled": False, "lang": None})
    ' id="x" title="a &quot;b&quot;" required'
    """
    pairs = []
    flags = []
    for name, value in attrs.items():
        if isinstance(value, bool):
            if value:
                flags.append((name,))
        elif value is not None:
            pairs.append((name, value))
    return format_html_join("", ' {}="{}"', sorted(pairs)) + format_html_join("", " {}", sorted(flags))


def get_default_renderer():
    """The project's form renderer (imported here late: renderers imports nothing of forms, but keep it so)."""
    from tinyframe.forms.renderers import get_default_renderer as default_renderer

    return default_renderer()


class RenderableMixin:
    """An object that renders itself: a template name, a context, a renderer."""

    def get_context(self) -> dict:
        raise NotImplementedError("Subclasses of RenderableMixin must provide a get_context() method.")

    def render(self, template_name=None, context=None, renderer=None):
        """Render ``template_name`` (default ``self.template_name``) with ``context`` (default ``get_context()``)."""
        renderer = renderer or self.renderer
        template_name = template_name or self.template_name
        context = context or self.get_context()
        return mark_safe(renderer.render(template_name, context))

    __str__ = render
    __html__ = render


class RenderableFieldMixin(RenderableMixin):
    """A bound field: rendered whole by its template (``as_field_group``), or as its widget (``str``)."""

    def as_field_group(self):
        """The label, help text, errors and widget, through the field template (``field.html``)."""
        return self.render()

    def as_hidden(self):
        raise NotImplementedError("Subclasses of RenderableFieldMixin must provide an as_hidden() method.")

    def as_widget(self):
        raise NotImplementedError("Subclasses of RenderableFieldMixin must provide an as_widget() method.")

    def __str__(self):
        """The widget's HTML, and the hidden initial value after it when the field keeps one."""
        if self.field.show_hidden_initial:
            return self.as_widget() + self.as_hidden(only_initial=True)
        return self.as_widget()

    __html__ = __str__


class RenderableFormMixin(RenderableMixin):
    """A form or formset, renderable in Django's four layouts."""

    def as_p(self):
        """Each field in a ``<p>``."""
        return self.render(self.template_name_p)

    def as_table(self):
        """Each field a ``<tr>`` (without the ``<table>`` around them)."""
        return self.render(self.template_name_table)

    def as_ul(self):
        """Each field an ``<li>`` (without the ``<ul>`` around them)."""
        return self.render(self.template_name_ul)

    def as_div(self):
        """Each field in a ``<div>``: the default layout since Django 5."""
        return self.render(self.template_name_div)


class RenderableErrorMixin(RenderableMixin):
    """Errors, renderable as HTML (the default), as a ``<ul>``, as text and as JSON."""

    def as_json(self, escape_html: bool = False) -> str:
        return json.dumps(self.get_json_data(escape_html))

    def as_text(self):
        return self.render(self.template_name_text)

    def as_ul(self):
        return self.render(self.template_name_ul)


class ErrorDict(dict, RenderableErrorMixin):
    """``form.errors``: field name → ``ErrorList``, ``"__all__"`` for the form's own errors.

    >>> errors = ErrorDict({"name": ErrorList(["Required."])})
    >>> print(errors)
    <ul class="errorlist"><li>name<ul class="errorlist"><li>Required.</li></ul></li></ul>
    >>> print(errors.as_text())
    * name
      * Required.
    """

    template_name = "tinyframe/forms/errors/dict/default.html"
    template_name_text = "tinyframe/forms/errors/dict/text.txt"
    template_name_ul = "tinyframe/forms/errors/dict/ul.html"

    def __init__(self, *args, renderer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.renderer = renderer or get_default_renderer()

    def as_data(self) -> dict:
        """Field name → list of ``ValidationError`` (codes and params kept)."""
        return {name: errors.as_data() for name, errors in self.items()}

    def get_json_data(self, escape_html: bool = False) -> dict:
        return {name: errors.get_json_data(escape_html) for name, errors in self.items()}

    def get_context(self) -> dict:
        return {"errors": self.items(), "error_class": "errorlist"}


class ErrorList(UserList, list, RenderableErrorMixin):
    """The errors of one field, or of the whole form (``error_class="nonfield"``).

    It holds what was added — ``ValidationError`` objects from cleaning, or
    plain strings — and reads as a list of message texts (``errors[0]``,
    ``"Required." in errors``, ``errors == ["Required."]``), while
    ``as_data()`` gives back the ``ValidationError`` objects with their codes.
    It is also a ``list`` (``isinstance(errors, list)``), as in Django.
    ``field_id`` (Django 5.2) is the id of the field's widget: the rendered
    ``<ul>`` gets ``id="<field_id>_error"``, which the widget's
    ``aria-describedby`` points at.

    >>> ErrorList(["Bad."], error_class="nonfield").as_ul()
    '<ul class="errorlist nonfield"><li>Bad.</li></ul>'
    """

    template_name = "tinyframe/forms/errors/list/default.html"
    template_name_text = "tinyframe/forms/errors/list/text.txt"
    template_name_ul = "tinyframe/forms/errors/list/ul.html"

    def __init__(self, initlist=None, error_class=None, renderer=None, field_id=None):
        super().__init__(initlist)
        self.error_class = "errorlist" if error_class is None else f"errorlist {error_class}"
        self.renderer = renderer or get_default_renderer()
        self.field_id = field_id

    def as_data(self) -> list:
        """The errors as single-message ``ValidationError`` objects."""
        return ValidationError(self.data).error_list

    def copy(self) -> "ErrorList":
        copy = super().copy()
        copy.error_class = self.error_class
        copy.renderer = self.renderer
        # Django 5.2 leaves field_id behind; a copy should render as its original does.
        copy.field_id = self.field_id
        return copy

    def get_json_data(self, escape_html: bool = False) -> list:
        """``[{"message": ..., "code": ...}]``; the message HTML-escaped if asked."""
        errors = []
        for error in self.as_data():
            message = next(iter(error))
            errors.append({"message": escape(message) if escape_html else message, "code": error.code or ""})
        return errors

    def get_context(self) -> dict:
        return {"errors": self, "error_class": self.error_class}

    def __repr__(self):
        return repr(list(self))

    def __contains__(self, item):
        return item in list(self)

    def __eq__(self, other):
        return list(self) == other

    def __iter__(self):
        """The message texts, as ``errors[i]`` reads them, in one pass.

        Without it, iterating would be ``Sequence``'s (the first base is
        ``UserList``): ``self[0]``, ``self[1]``... until an ``IndexError``,
        for every error list a form renders.
        """
        for error in self.data:
            yield next(iter(error)) if isinstance(error, ValidationError) else error

    def __getitem__(self, index):
        """A message text: a ``ValidationError`` reads as its message, params filled in."""
        error = self.data[index]
        if isinstance(error, ValidationError):
            return next(iter(error))
        return error

    def __reduce_ex__(self, protocol):
        # Pickling: list's reduce would also hand back the items to append, and
        # UserList's state already holds them (``data``); keep only the state.
        return super(UserList, self).__reduce_ex__(protocol)[:3] + (None, None)


# {{ errors.field_id }} in a template: an ErrorList's items are numbered, so
# the template lookup goes straight to the attribute (see
# tinyframe.template.runtime.INDEXED_TYPES).
add_indexed_type(ErrorList)


# Time zones, for the date and time fields: what a user types is local time.


def _ambiguous_or_imaginary(value: datetime.datetime, zone: datetime.tzinfo) -> bool:
    """Whether the wall-clock time ``value`` happens twice in ``zone`` (clocks back) or never (forward).

    Both readings of an ambiguous time (``fold`` 0 and 1) give different
    offsets; a time skipped by the clocks does not survive a round trip through UTC.
    """
    first = value.replace(fold=0, tzinfo=zone)
    second = value.replace(fold=1, tzinfo=zone)
    if first.utcoffset() != second.utcoffset():
        return True
    round_trip = first.astimezone(datetime.timezone.utc).astimezone(zone)
    return round_trip.replace(tzinfo=None) != value.replace(fold=0)


def from_current_timezone(value):
    """A naive datetime typed in the current time zone, made aware (only with ``USE_TZ``).

    A time the clocks skip or repeat cannot be read one way, so it is a
    ``ValidationError`` (code ``ambiguous_timezone``) rather than a guess.
    """
    if settings.USE_TZ and value is not None and timezone.is_naive(value):
        current_timezone = timezone.get_current_timezone()
        try:
            if _ambiguous_or_imaginary(value, current_timezone):
                raise ValueError("Ambiguous or non-existent time.")
            return timezone.make_aware(value, current_timezone)
        except Exception as error:
            raise ValidationError(
                "%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; "
                "it may be ambiguous or it may not exist.",
                code="ambiguous_timezone",
                params={"datetime": value, "current_timezone": current_timezone},
            ) from error
    return value


def to_current_timezone(value):
    """An aware datetime as naive local time in the current time zone, for showing in a widget."""
    if settings.USE_TZ and value is not None and timezone.is_aware(value):
        return timezone.make_naive(value)
    return value
