r"""Widgets of several parts: one value shown as several inputs.

How it works: a ``MultiWidget`` holds a list of widgets. ``get_context``
splits the value into one value per widget (``decompress``, unless it is
already a list), asks each widget for its own context under a suffixed name
(``when_0``, ``when_1``) and id (``id_when_0``), and puts the list in
``widget.subwidgets``; the template renders them one after the other.
``value_from_datadict`` reads each part back and returns the list, which the
field (``MultiValueField``, ``SplitDateTimeField``) puts together again.
``MultipleHiddenInput`` is the same idea for a list of values of one name.

>>> widget = SplitDateTimeWidget()
>>> print(widget.render("when", datetime.datetime(2026, 12, 7, 9, 30), {"id": "id_when"}).replace("><", ">\n<"))
<input type="text" name="when_0" value="2026-12-07" id="id_when_0">
<input type="text" name="when_1" value="09:30:00" id="id_when_1">
>>> widget.value_from_datadict({"when_0": "2026-12-07", "when_1": "09:30"}, {}, "when")
['2026-12-07', '09:30']
"""

import copy
import datetime  # noqa: F401 (the doctest above uses it)

from tinyframe.forms.utils import to_current_timezone
from tinyframe.forms.widgets import DateInput, HiddenInput, Media, TimeInput, Widget

__all__ = ["MultipleHiddenInput", "MultiWidget", "SplitDateTimeWidget", "SplitHiddenDateTimeWidget"]


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
