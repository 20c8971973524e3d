r"""Widgets of several parts: one value shown as several inputs.

How it works: a ``MultiWidget`` holds a list of widgets. ``get_context``
splits the value into one value per widget (``decompress``, unless it is
already a list), asks each widget for its own context under a suffixed name
(``when_0``, ``when_1``) and id (``id_when_0``), and puts the list in
``widget.subwidgets``; the template renders them one after the other.
``value_from_datadict`` reads each part back and returns the list, which the
field (``MultiValueField``, ``SplitDateTimeField``) puts together again.
``MultipleHiddenInput`` is the same idea for a list of values of one name,
and ``SelectDateWidget`` for a date picked from three selects.

>>> widget = SplitDateTimeWidget()
>>> print(widget.render("when", datetime.datetime(2026, 12, 7, 9, 30), {"id": "id_when"}).replace("><", ">\n<"))
<input type="text" name="when_0" value="2026-12-07" id="id_when_0">
<input type="text" name="when_1" value="09:30:00" id="id_when_1">
>>> widget.value_from_datadict({"when_0": "2026-12-07", "when_1": "09:30"}, {}, "when")
['2026-12-07', '09:30']
"""

import copy
import datetime
import re

from tinyframe.conf import settings
from tinyframe.forms.choice_widgets import Select
from tinyframe.forms.utils import to_current_timezone
from tinyframe.forms.widgets import (
    DEFAULT_INPUT_FORMATS,
    DateInput,
    HiddenInput,
    Media,
    TimeInput,
    Widget,
    format_temporal,
)
from tinyframe.utils.dateformat import MONTHS

__all__ = [
    "MultipleHiddenInput",
    "MultiWidget",
    "SplitDateTimeWidget",
    "SplitHiddenDateTimeWidget",
    "SelectDateWidget",
]


class MultipleHiddenInput(HiddenInput):
    """A list of values as several hidden inputs of one name (a MultipleChoiceField kept hidden)."""

    template_name = "tinyframe/forms/widgets/multiple_hidden.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        final_attrs = context["widget"]["attrs"]
        id_ = final_attrs.get("id")
        subwidgets = []
        for index, item in enumerate(context["widget"]["value"]):
            item_attrs = final_attrs.copy()
            if id_:
                # Ids must be unique in a page: number them.
                item_attrs["id"] = f"{id_}_{index}"
            widget = HiddenInput()
            widget.is_required = self.is_required
            subwidgets.append(widget.get_context(name, item, item_attrs)["widget"])
        context["widget"]["subwidgets"] = subwidgets
        return context

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", data.get)
        return getter(name)

    def format_value(self, value):
        return [] if value is None else value


class MultiWidget(Widget):
    """Several widgets that together show one value (a date and a time for a datetime).

    Sub-widget names get a suffix: ``name_0``, ``name_1``, or ``name_<key>``
    when ``widgets`` is a dict (a key of "" means the bare name). A value that
    is not already a list is split by ``decompress``, which subclasses write.
    """

    template_name = "tinyframe/forms/widgets/multiwidget.html"
    use_fieldset = True

    def __init__(self, widgets, attrs: dict | None = None):
        if isinstance(widgets, dict):
            self.widgets_names = [f"_{name}" if name else "" for name in widgets]
            widgets = widgets.values()
        else:
            self.widgets_names = [f"_{index}" for index in range(len(widgets))]
        self.widgets = [widget() if isinstance(widget, type) else widget for widget in widgets]
        super().__init__(attrs)

    @property
    def is_hidden(self) -> bool:
        return all(widget.is_hidden for widget in self.widgets)

    @property
    def media(self) -> Media:
        """The media of every part."""
        media = Media()
        for widget in self.widgets:
            media += widget.media
        return media

    @property
    def needs_multipart_form(self) -> bool:
        return any(widget.needs_multipart_form for widget in self.widgets)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.is_localized:
            for widget in self.widgets:
                widget.is_localized = self.is_localized
        if not isinstance(value, (list, tuple)):
            value = self.decompress(value)
        final_attrs = context["widget"]["attrs"]
        input_type = final_attrs.pop("type", None)
        id_ = final_attrs.get("id")
        subwidgets = []
        for index, (suffix, widget) in enumerate(zip(self.widgets_names, self.widgets)):
            if input_type is not None:
                widget.input_type = input_type
            widget_value = value[index] if index < len(value) else None
            if id_:
                widget_attrs = {**final_attrs, "id": f"{id_}_{index}"}
            else:
                widget_attrs = final_attrs
            subwidgets.append(widget.get_context(name + suffix, widget_value, widget_attrs)["widget"])
        context["widget"]["subwidgets"] = subwidgets
        return context

    def id_for_label(self, id_):
        # A label for several inputs points at none of them; the fieldset's legend names the group.
        return ""

    def value_from_datadict(self, data, files, name):
        return [
            widget.value_from_datadict(data, files, name + suffix)
            for suffix, widget in zip(self.widgets_names, self.widgets)
        ]

    def value_omitted_from_data(self, data, files, name):
        return all(
            widget.value_omitted_from_data(data, files, name + suffix)
            for suffix, widget in zip(self.widgets_names, self.widgets)
        )

    def decompress(self, value):
        """Split one value into a list of the sub-widgets' values."""
        raise NotImplementedError("Subclasses must implement this method.")

    def __deepcopy__(self, memo):
        widget = super().__deepcopy__(memo)
        widget.widgets = copy.deepcopy(self.widgets, memo)
        return widget


class SplitDateTimeWidget(MultiWidget):
    """A DateInput and a TimeInput for one datetime (``name_0`` and ``name_1``)."""

    supports_microseconds = False
    template_name = "tinyframe/forms/widgets/splitdatetime.html"

    def __init__(self, attrs=None, date_format=None, time_format=None, date_attrs=None, time_attrs=None):
        widgets = (
            DateInput(attrs=attrs if date_attrs is None else date_attrs, format=date_format),
            TimeInput(attrs=attrs if time_attrs is None else time_attrs, format=time_format),
        )
        super().__init__(widgets)

    def decompress(self, value):
        if value:
            value = to_current_timezone(value)
            return [value.date(), value.time()]
        return [None, None]


class SplitHiddenDateTimeWidget(SplitDateTimeWidget):
    """SplitDateTimeWidget with both parts hidden."""

    template_name = "tinyframe/forms/widgets/splithiddendatetime.html"

    def __init__(self, attrs=None, date_format=None, time_format=None, date_attrs=None, time_attrs=None):
        super().__init__(attrs, date_format, time_format, date_attrs, time_attrs)
        for widget in self.widgets:
            widget.input_type = "hidden"


def date_field_order(date_format: str) -> list[str]:
    r"""The order of year, month and day in a ``date`` filter format (a backslash escapes a letter).

    >>> date_field_order("N j, Y"), date_field_order(r"\Y\e\a\r: Y, d/m")
    (['month', 'day', 'year'], ['year', 'day', 'month'])
    """
    order, escaped = [], False
    for char in date_format:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "Yy":
            order.append("year")
        elif char in "bEFMmNn":
            order.append("month")
        elif char in "dj":
            order.append("day")
    return order


class SelectDateWidget(Widget):
    """A date as three selects: month, day and year (the order of ``DATE_FORMAT``).

    For a field ``born`` the parts are named ``born_month``, ``born_day`` and
    ``born_year``, each with the id ``id_`` + its name. ``years`` defaults to this year and the
    nine after; ``months`` to the month names; an optional widget starts
    each select with an empty choice, ``empty_label`` ("---", or three labels
    for year, month and day). A date that does not exist (February 31st,
    or a part left empty) comes back as text such as "2026-2-31" or
    "2026-0-3", so that the field reports it and the selects show it again.
    """

    none_value = ("", "---")
    month_field = "%s_month"
    day_field = "%s_day"
    year_field = "%s_year"
    template_name = "tinyframe/forms/widgets/select_date.html"
    input_type = "select"
    select_widget = Select
    date_re = re.compile(r"(\d{4}|0)-(\d\d?)-(\d\d?)$")
    use_fieldset = True

    def __init__(self, attrs=None, years=None, months=None, empty_label=None):
        self.attrs = attrs or {}
        if years:
            self.years = years
        else:
            this_year = datetime.date.today().year
            self.years = range(this_year, this_year + 10)
        self.months = months or dict(enumerate(MONTHS, start=1))
        if isinstance(empty_label, (list, tuple)):
            if len(empty_label) != 3:
                raise ValueError("empty_label list/tuple must have 3 elements.")
            self.year_none_value, self.month_none_value, self.day_none_value = (("", label) for label in empty_label)
        else:
            if empty_label is not None:
                self.none_value = ("", empty_label)
            self.year_none_value = self.month_none_value = self.day_none_value = self.none_value

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        parts = {
            "year": (self.year_field, [(year, str(year)) for year in self.years], self.year_none_value),
            "month": (self.month_field, list(self.months.items()), self.month_none_value),
            "day": (self.day_field, [(day, day) for day in range(1, 32)], self.day_none_value),
        }
        subwidgets = []
        for part in date_field_order(settings.DATE_FORMAT):
            field_name, choices, none_value = parts[part]
            if not self.is_required:
                choices = [none_value, *choices]
            part_name = field_name % name
            select = self.select_widget(attrs, choices=choices)
            part_attrs = {**context["widget"]["attrs"], "id": f"id_{part_name}"}
            subwidgets.append(select.get_context(part_name, context["widget"]["value"][part], part_attrs)["widget"])
        context["widget"]["subwidgets"] = subwidgets
        return context

    def format_value(self, value) -> dict:
        """``{"year": ..., "month": ..., "day": ...}``: numbers, "" for a part left empty, or None."""
        year = month = day = None
        if isinstance(value, datetime.date):
            year, month, day = value.year, value.month, value.day
        elif isinstance(value, str):
            match = self.date_re.match(value)
            if match:
                # "2026-0-3" (a month left empty): 0 shows as the empty choice.
                year, month, day = (int(part) or "" for part in match.groups())
            else:
                try:
                    parsed = datetime.datetime.strptime(value, DEFAULT_INPUT_FORMATS["DATE_INPUT_FORMATS"])
                except ValueError:
                    pass
                else:
                    year, month, day = parsed.year, parsed.month, parsed.day
        return {"year": year, "month": month, "day": day}

    def id_for_label(self, id_):
        order = date_field_order(settings.DATE_FORMAT)
        return f"{id_}_{order[0] if order else 'month'}"

    def value_from_datadict(self, data, files, name):
        year = data.get(self.year_field % name)
        month = data.get(self.month_field % name)
        day = data.get(self.day_field % name)
        if year == month == day == "":
            return None
        if year is None or month is None or day is None:
            return data.get(name)
        try:
            value = datetime.date(int(year), int(month), int(day))
        except ValueError:
            # Not a date: give it back as text with 0 for an empty part, for the field to refuse.
            return f"{year or 0}-{month or 0}-{day or 0}"
        except OverflowError:
            return "0-0-0"
        return format_temporal(value, DEFAULT_INPUT_FORMATS["DATE_INPUT_FORMATS"])

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}_{part}" in data for part in ("year", "month", "day"))
