"""Widgets: how a form field looks in HTML, and how its value comes back.

A field knows what a value *means* (a date, a whole number, one of some
choices); a widget knows how to *show* it and how to *read it back*. That is
two jobs, one in each direction of the round trip:

- Out to the browser: ``Widget.render(name, value)`` turns a Python value into
  text for HTML (``format_value``: a date becomes ``"2026-12-07"``), builds a
  small context dictionary (``get_context``: ``{"widget": {"name": ...,
  "value": ..., "attrs": ...}}``), and hands it to the form renderer, which
  fills in a template such as ``tinyframe/forms/widgets/input.html``. A project
  can override any widget's template; the Python side never writes HTML.
- Back from the browser: ``Widget.value_from_datadict(data, files, name)``
  pulls the submitted value out of ``request.POST`` (or ``request.FILES``),
  which is where the browser's quirks are absorbed: an unticked checkbox is
  not sent at all, a ``<select multiple>`` sends a list, a file arrives in
  ``FILES``. ``value_omitted_from_data`` tells "not sent" from "sent empty",
  which a ModelForm needs to leave a model field's default alone.

The classes: ``Widget`` → ``Input`` (one ``<input type=...>``: TextInput,
NumberInput, EmailInput, URLInput, PasswordInput, HiddenInput, the date and
time inputs, CheckboxInput, FileInput), ``Textarea``; the choice widgets
(Select, RadioSelect, CheckboxSelectMultiple...) in ``choice_widgets.py``;
the widgets of several parts (MultiWidget, SplitDateTimeWidget) in
``multi_widgets.py``.

Attributes follow HTML's rules for boolean attributes: True writes the bare
name (``required``), False and None leave it out, anything else is written
as text, escaped:

>>> print(TextInput(attrs={"class": "wide"}).render("title", "Forms & you", {"required": True, "disabled": False}))
<input type="text" name="title" value="Forms &amp; you" class="wide" required>
"""

import datetime
import decimal
import importlib
import re

from tinyframe.forms.media import Media, MediaAsset, MediaDefiningClass, MediaOrderConflictWarning, Script  # noqa: F401
from tinyframe.forms.renderers import get_default_renderer
from tinyframe.utils.safestring import mark_safe

# Django's public names; Input and ChoiceWidget, the bases, are importable
# from this module but not from ``tinyframe.forms``, as in Django.
__all__ = [
    "Media",
    "MediaDefiningClass",
    "Script",
    "Widget",
    "TextInput",
    "NumberInput",
    "EmailInput",
    "URLInput",
    "ColorInput",
    "SearchInput",
    "TelInput",
    "PasswordInput",
    "HiddenInput",
    "FileInput",
    "ClearableFileInput",
    "Textarea",
    "DateInput",
    "DateTimeInput",
    "TimeInput",
    "CheckboxInput",
]


class Widget(metaclass=MediaDefiningClass):
    """The base of every widget: attributes, a template, and the two directions.

    ``attrs`` are the HTML attributes every rendering gets (``class``,
    ``placeholder``...); the form adds its own per rendering (``id``,
    ``required``) through ``build_attrs``. Widgets are copied for every form
    instance (``__deepcopy__``), so changing ``attrs`` on one form's widget
    never leaks into the class's. An inner ``Media`` class names the CSS and
    JavaScript the widget needs (``widget.media``, see ``media.py``).
    A localized widget (``is_localized``, set by a field's ``localize=True``)
    shows a number as ``localize_number`` writes it; tinyframe has no locale
    formats yet, so that is Django's English locale, or the settings.
    """

    needs_multipart_form = False
    is_localized = False
    is_required = False
    supports_microseconds = True
    use_fieldset = False
    template_name: str

    def __init__(self, attrs: dict | None = None):
        self.attrs = {} if attrs is None else attrs.copy()

    def __deepcopy__(self, memo):
        # A shallow copy with its own attrs dict is enough: nothing else in a
        # widget is changed per form. The shallow copy is written out (a new
        # instance of the class, the same attributes) rather than asked of
        # copy.copy, whose generic protocol cost 5% of making, validating and
        # rendering a form (tests/benchmarks/forms.py): every form copies
        # every widget.
        widget = object.__new__(type(self))
        widget.__dict__.update(self.__dict__)
        widget.attrs = self.attrs.copy()
        memo[id(self)] = widget
        return widget

    @property
    def is_hidden(self) -> bool:
        return getattr(self, "input_type", None) == "hidden"

    def subwidgets(self, name, value, attrs=None):
        """The widget's parts, as context dicts: one, except for choices and MultiWidget."""
        yield self.get_context(name, value, attrs)["widget"]

    def format_value(self, value):
        """The value as the text the HTML shows, or None to show nothing."""
        if value == "" or value is None:
            return None
        if self.is_localized and isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool):
            return localize_number(value)
        if self.is_localized and isinstance(value, (datetime.date, datetime.time)):
            # The first input format, as a date input shows it: no microseconds, no offset.
            if isinstance(value, datetime.datetime):
                return format_temporal(value, DEFAULT_INPUT_FORMATS["DATETIME_INPUT_FORMATS"])
            kind = "DATE" if isinstance(value, datetime.date) else "TIME"
            return format_temporal(value, DEFAULT_INPUT_FORMATS[f"{kind}_INPUT_FORMATS"])
        return str(value)

    def get_context(self, name: str, value, attrs: dict | None) -> dict:
        """What the template sees: ``{"widget": {...}}``, kept small because every field renders one."""
        return {
            "widget": {
                "name": name,
                "is_hidden": self.is_hidden,
                "required": self.is_required,
                "value": self.format_value(value),
                "attrs": self.build_attrs(self.attrs, attrs),
                "template_name": self.template_name,
            },
        }

    def render(self, name: str, value, attrs: dict | None = None, renderer=None):
        """The widget as HTML (a SafeString), through the form renderer's templates."""
        context = self.get_context(name, value, attrs)
        return self._render(self.template_name, context, renderer)

    def _render(self, template_name: str, context: dict, renderer=None):
        if renderer is None:
            renderer = get_default_renderer()
        return mark_safe(renderer.render(template_name, context))

    def build_attrs(self, base_attrs: dict, extra_attrs: dict | None = None) -> dict:
        """The attributes to render: the widget's own, then this rendering's on top."""
        return {**base_attrs, **(extra_attrs or {})}

    def value_from_datadict(self, data, files, name: str):
        """The submitted value for ``name``, or None when the browser did not send it."""
        return data.get(name)

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        """Whether the browser sent nothing at all for ``name`` (not even an empty string)."""
        return name not in data

    def id_for_label(self, id_: str) -> str:
        """The id a ``<label for=...>`` should point at (a sub-widget's, for widgets of many parts)."""
        return id_

    def use_required_attribute(self, initial) -> bool:
        """Whether to render the HTML ``required`` attribute: never on a hidden input."""
        return not self.is_hidden


class Input(Widget):
    """One ``<input>`` element; subclasses set ``input_type`` (``attrs={"type": ...}`` may too)."""

    input_type: str | None = None
    template_name = "tinyframe/forms/widgets/input.html"

    def __init__(self, attrs: dict | None = None):
        if attrs is not None:
            attrs = attrs.copy()
            self.input_type = attrs.pop("type", self.input_type)
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["type"] = self.input_type
        return context


class TextInput(Input):
    input_type = "text"
    template_name = "tinyframe/forms/widgets/text.html"


class NumberInput(Input):
    input_type = "number"
    template_name = "tinyframe/forms/widgets/number.html"


class EmailInput(Input):
    input_type = "email"
    template_name = "tinyframe/forms/widgets/email.html"


class URLInput(Input):
    input_type = "url"
    template_name = "tinyframe/forms/widgets/url.html"


class ColorInput(Input):
    input_type = "color"
    template_name = "tinyframe/forms/widgets/color.html"


class SearchInput(Input):
    input_type = "search"
    template_name = "tinyframe/forms/widgets/search.html"


class TelInput(Input):
    input_type = "tel"
    template_name = "tinyframe/forms/widgets/tel.html"


class PasswordInput(Input):
    """A password box; it renders empty unless ``render_value=True``.

    Sending a password back in the page (after another field failed
    validation) would put it in the HTML source, caches and history.
    """

    input_type = "password"
    template_name = "tinyframe/forms/widgets/password.html"

    def __init__(self, attrs: dict | None = None, render_value: bool = False):
        super().__init__(attrs)
        self.render_value = render_value

    def get_context(self, name, value, attrs):
        if not self.render_value:
            value = None
        return super().get_context(name, value, attrs)


class HiddenInput(Input):
    input_type = "hidden"
    template_name = "tinyframe/forms/widgets/hidden.html"


FILE_INPUT_CONTRADICTION = object()


class FileInput(Input):
    """``<input type="file">``: the value comes from ``request.FILES``, and is never rendered back.

    A browser cannot be told which file to upload (that would let a page
    read any file on the visitor's disk), so there is no value to render.
    """

    allow_multiple_selected = False
    input_type = "file"
    needs_multipart_form = True
    template_name = "tinyframe/forms/widgets/file.html"

    def __init__(self, attrs: dict | None = None):
        if attrs is not None and not self.allow_multiple_selected and attrs.get("multiple", False):
            raise ValueError(f"{type(self).__qualname__} doesn't support uploading multiple files.")
        if self.allow_multiple_selected:
            attrs = {**(attrs or {})}
            attrs.setdefault("multiple", True)
        super().__init__(attrs)

    def format_value(self, value):
        return None

    def value_from_datadict(self, data, files, name):
        getter = files.get
        if self.allow_multiple_selected:
            getter = getattr(files, "getlist", files.get)
        return getter(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in files

    def use_required_attribute(self, initial) -> bool:
        # A field that already has a file need not be given another one.
        return super().use_required_attribute(initial) and not initial


class ClearableFileInput(FileInput):
    """A file input that shows the current file and, for optional fields, a "Clear" checkbox.

    Ticking "Clear" and choosing a new file at once is a contradiction the
    field reports as an error: ``value_from_datadict`` returns the marker
    ``FILE_INPUT_CONTRADICTION`` for it.
    """

    clear_checkbox_label = "Clear"
    initial_text = "Currently"
    input_text = "Change"
    template_name = "tinyframe/forms/widgets/clearable_file_input.html"
    checked = False

    def clear_checkbox_name(self, name: str) -> str:
        return name + "-clear"

    def clear_checkbox_id(self, name: str) -> str:
        return name + "_id"

    def is_initial(self, value) -> bool:
        """Whether ``value`` is a stored file (something with a ``url``) rather than nothing."""
        return bool(value and getattr(value, "url", False))

    def format_value(self, value):
        if self.is_initial(value):
            return value
        return None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        checkbox_name = self.clear_checkbox_name(name)
        context["widget"].update(
            {
                "checkbox_name": checkbox_name,
                "checkbox_id": self.clear_checkbox_id(checkbox_name),
                "is_initial": self.is_initial(value),
                "input_text": self.input_text,
                "initial_text": self.initial_text,
                "clear_checkbox_label": self.clear_checkbox_label,
            }
        )
        context["widget"]["attrs"].setdefault("disabled", False)
        context["widget"]["attrs"]["checked"] = self.checked
        return context

    def value_from_datadict(self, data, files, name):
        upload = super().value_from_datadict(data, files, name)
        checkbox_name = self.clear_checkbox_name(name)
        self.checked = checkbox_name in data
        if not self.is_required and CheckboxInput().value_from_datadict(data, files, checkbox_name):
            if upload:
                return FILE_INPUT_CONTRADICTION
            return False  # False means "clear the stored file"; None means "keep it"
        return upload

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and self.clear_checkbox_name(name) not in data


class Textarea(Widget):
    """``<textarea>``, 40 columns by 10 rows unless ``attrs`` say otherwise."""

    template_name = "tinyframe/forms/widgets/textarea.html"

    def __init__(self, attrs: dict | None = None):
        super().__init__({"cols": "40", "rows": "10", **(attrs or {})})


# The first input format of Django's English locale for each kind of value:
# what a date, datetime or time input shows when it is given no ``format``.
# The matching fields always accept these (they are ISO 8601 as well).
DEFAULT_INPUT_FORMATS = {
    "DATE_INPUT_FORMATS": "%Y-%m-%d",
    "DATETIME_INPUT_FORMATS": "%Y-%m-%d %H:%M:%S",
    "TIME_INPUT_FORMATS": "%H:%M:%S",
}

def localize_number(value) -> str:
    """A number as a localized widget shows it, as Django's ``formats.localize_input``.

    The separators are the ``DECIMAL_SEPARATOR`` and ``THOUSAND_SEPARATOR``
    settings (Django's English locale: "." and ","), the thousands grouped by
    ``NUMBER_GROUPING`` digits (3) only with ``USE_THOUSAND_SEPARATOR``; a
    float never shows an exponent. ``fields/numeric.py``'s
    ``sanitize_separators`` reads the same text back.

    >>> localize_number(decimal.Decimal("-1234.50")), localize_number(1e20)
    ('-1234.50', '100000000000000000000')
    """
    from tinyframe.conf import settings

    if isinstance(value, float) and "e" in str(value).lower():
        value = decimal.Decimal(str(value))
    if isinstance(value, decimal.Decimal) and value.is_finite():
        text = f"{value:f}"
    else:
        text = str(value)
    sign = "-" if text.startswith("-") else ""
    whole, point, decimals = text.removeprefix("-").partition(".")
    grouping = getattr(settings, "NUMBER_GROUPING", 3)
    grouped = getattr(settings, "USE_THOUSAND_SEPARATOR", False) and isinstance(grouping, int) and grouping > 0
    if grouped and whole.isdigit():
        groups = []
        while len(whole) > grouping:
            whole, group = whole[:-grouping], whole[-grouping:]
            groups.insert(0, group)
        whole = getattr(settings, "THOUSAND_SEPARATOR", ",").join([whole, *groups])
    if point:
        whole += getattr(settings, "DECIMAL_SEPARATOR", ".") + decimals
    return sign + whole


_STRFTIME_YEAR = re.compile(r"(?<!%)((?:%%)*)%Y")


def format_temporal(value, format: str) -> str:
    """``value.strftime(format)``, with ``%Y`` always four digits.

    The C library writes the year 33 as ``"33"``, which no date parser reads
    back as 0033; the four digits keep the round trip exact.

    >>> format_temporal(datetime.date(33, 4, 3), "%Y-%m-%d")
    '0033-04-03'
    >>> format_temporal(datetime.time(9, 5), "%H:%M")
    '09:05'
    """
    if isinstance(value, datetime.date) and value.year < 1000:
        format = _STRFTIME_YEAR.sub(lambda match: f"{match.group(1)}{value.year:04d}", format)
    return value.strftime(format)


class DateTimeBaseInput(TextInput):
    """A text input for a date, datetime or time: ``format`` (a strftime pattern) says how to show it."""

    format_key = ""
    supports_microseconds = False

    def __init__(self, attrs: dict | None = None, format: str | None = None):
        super().__init__(attrs)
        self.format = format or None

    def format_value(self, value):
        if isinstance(value, (datetime.date, datetime.time)):
            return format_temporal(value, self.format or DEFAULT_INPUT_FORMATS[self.format_key])
        if isinstance(value, (int, float, decimal.Decimal)):
            return str(value)
        # Text (what the visitor typed, shown again after an error) is shown as it is.
        return value


class DateInput(DateTimeBaseInput):
    format_key = "DATE_INPUT_FORMATS"
    template_name = "tinyframe/forms/widgets/date.html"


class DateTimeInput(DateTimeBaseInput):
    format_key = "DATETIME_INPUT_FORMATS"
    template_name = "tinyframe/forms/widgets/datetime.html"


class TimeInput(DateTimeBaseInput):
    format_key = "TIME_INPUT_FORMATS"
    template_name = "tinyframe/forms/widgets/time.html"


def boolean_check(value) -> bool:
    """CheckboxInput's default ``check_test``: ticked unless False, None or ""."""
    return not (value is False or value is None or value == "")


class CheckboxInput(Input):
    """``<input type="checkbox">`` for one yes/no value.

    ``check_test(value)`` decides whether to render it ticked; the value is
    rendered as ``value="..."`` only when it is something other than a bool.
    """

    input_type = "checkbox"
    template_name = "tinyframe/forms/widgets/checkbox.html"

    def __init__(self, attrs: dict | None = None, check_test=None):
        super().__init__(attrs)
        self.check_test = boolean_check if check_test is None else check_test

    def format_value(self, value):
        if value is True or value is False or value is None or value == "":
            return None
        return str(value)

    def get_context(self, name, value, attrs):
        if self.check_test(value):
            attrs = {**(attrs or {}), "checked": True}
        return super().get_context(name, value, attrs)

    def value_from_datadict(self, data, files, name):
        """Whether the box was ticked: True or False, never None.

        A browser sends nothing at all for an unticked checkbox, so a name
        missing from ``data`` means False. A ticked one sends its ``value``
        attribute ("on" when it has none). The strings "true" and "false", in
        any letter case ("True", "FALSE"), mean True and False: that is what a
        script or a hidden input sends. Any other value means ``bool(value)``:
        "on" and "0" are True, "" and None are False.

        >>> CheckboxInput().value_from_datadict({"agree": "on"}, {}, "agree")
        True
        >>> CheckboxInput().value_from_datadict({}, {}, "agree")
        False
        """
        if name not in data:
            return False
        value = data.get(name)
        if isinstance(value, str):
            value = {"true": True, "false": False}.get(value.lower(), value)
        return bool(value)

    def value_omitted_from_data(self, data, files, name):
        # An unticked box sends nothing, so a missing name is an answer (False),
        # never "not submitted".
        return False


# The choice widgets and the widgets of several parts live in their own
# modules (one would pass 600 lines), which subclass the classes above. They
# are offered here as well, so that ``tinyframe.forms.widgets.Select`` works
# as ``django.forms.widgets.Select`` does, but imported only when first asked
# for (a module ``__getattr__``, PEP 562): importing them here, at the top or
# at the bottom, would be a cycle whenever one of them is imported first.
ELSEWHERE = {
    "choice_widgets": ["ChoiceWidget", "Select", "NullBooleanSelect", "SelectMultiple", "RadioSelect",
                       "CheckboxSelectMultiple"],
    "multi_widgets": ["MultipleHiddenInput", "MultiWidget", "SplitDateTimeWidget", "SplitHiddenDateTimeWidget",
                      "SelectDateWidget"],
}  # fmt: skip
__all__ += [name for names in ELSEWHERE.values() for name in names if name != "ChoiceWidget"]


def __getattr__(name: str):
    for module_name, names in ELSEWHERE.items():
        if name in names:
            module = importlib.import_module(f"tinyframe.forms.{module_name}")
            return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
