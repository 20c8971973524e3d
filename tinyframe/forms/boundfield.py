"""Bound fields: one field of one form, with its name, data, errors and HTML.

How it works: a ``Field`` belongs to a form class and knows nothing of any
submission; ``form["name"]`` pairs it with the form and is a ``BoundField``.
The bound field works out everything that depends on both: ``html_name``
(with the form's prefix), ``auto_id`` (``id_name``), ``data`` (read from the
submitted data by the widget), ``initial``, ``value()`` (the data when bound,
else the initial value, prepared for display), ``errors``. Rendering goes
the other way: ``str(bound_field)`` is ``as_widget()`` — the widget rendered
with the value and the attributes the form adds (``build_widget_attrs``:
``required``, ``disabled``, ``aria-invalid``, ``aria-describedby``);
``label_tag()`` is the ``<label>``; ``as_field_group()`` is the field's
template (``field.html``) with label, help text, errors and widget together.

>>> from tinyframe.forms.fields import CharField
>>> from tinyframe.forms.forms import Form
>>> class NameForm(Form):
...     your_name = CharField(help_text="As on your passport.")
>>> bound_field = NameForm(prefix="p")["your_name"]
>>> bound_field.html_name, bound_field.auto_id, bound_field.label
('p-your_name', 'id_p-your_name', 'Your name')
>>> print(bound_field.label_tag())
<label for="id_p-your_name">Your name:</label>
>>> print(bound_field)
<input type="text" name="p-your_name" required aria-describedby="id_p-your_name_helptext" id="id_p-your_name">
"""

import functools
import re

from tinyframe.core.exceptions import ValidationError
from tinyframe.forms.utils import RenderableFieldMixin, pretty_name
from tinyframe.forms.widgets import Textarea, TextInput
from tinyframe.template.runtime import add_indexed_type
from tinyframe.utils.html import format_html

__all__ = ["BoundField"]

# A label that ends in one of these already has its punctuation: no label_suffix.
LABEL_PUNCTUATION = ":?.!"


class BoundField(RenderableFieldMixin):
    """A field of a form, with the form's data: what templates iterate over and render."""

    def __init__(self, form, field, name: str):
        self.form = form
        self.field = field
        self.name = name
        self.html_name = form.add_prefix(name)
        self.html_initial_name = form.add_initial_prefix(name)
        self.html_initial_id = form.add_initial_prefix(self.auto_id)
        self.label = pretty_name(name) if field.label is None else field.label
        self.help_text = field.help_text or ""
        self.renderer = form.renderer

    @functools.cached_property
    def subwidgets(self) -> list:
        """One ``BoundWidget`` per choice for radio buttons and checkboxes, one for other widgets.

        Kept, so a ModelChoiceField's query runs once however often a
        template loops over the choices.
        """
        widget_id = self.field.widget.attrs.get("id") or self.auto_id
        attrs = self.build_widget_attrs({"id": widget_id} if widget_id else {})
        return [
            BoundWidget(self.field.widget, data, self.form.renderer)
            for data in self.field.widget.subwidgets(self.html_name, self.value(), attrs=attrs)
        ]

    def __bool__(self):
        # True even for a widget without subwidgets (an empty select).
        return True

    def __iter__(self):
        return iter(self.subwidgets)

    def __len__(self):
        return len(self.subwidgets)

    def __getitem__(self, index):
        # Templates try item lookup before attributes: refuse anything but an
        # index, so that {{ field.label }} does not render every subwidget first.
        if not isinstance(index, (int, slice)):
            raise TypeError(f"BoundField indices must be integers or slices, not {type(index).__name__}.")
        return self.subwidgets[index]

    @property
    def errors(self):
        """This field's ``ErrorList`` (an empty one when it has none); validates the form if needed."""
        errors = self.form.errors.get(self.name)
        if errors is None:
            return self.form.error_class(renderer=self.form.renderer)
        return errors

    @property
    def template_name(self) -> str:
        """The field's own template if it names one, else the renderer's ``field.html``."""
        return self.field.template_name or self.form.renderer.field_template_name

    def get_context(self) -> dict:
        return {"field": self}

    def as_widget(self, widget=None, attrs=None, only_initial: bool = False):
        """The widget's HTML (the field's widget, or ``widget``), with ``attrs`` added.

        ``only_initial`` renders the hidden copy of the initial value
        (``show_hidden_initial``) under the ``initial-`` name and id.
        """
        widget = widget or self.field.widget
        if self.field.localize:
            widget.is_localized = True
        attrs = self.build_widget_attrs(attrs or {}, widget)
        if self.auto_id and "id" not in widget.attrs:
            attrs.setdefault("id", self.html_initial_id if only_initial else self.auto_id)
        if only_initial and self.html_initial_name in self.form.data:
            # Re-rendering a bound form keeps the initial value that was sent with it.
            value = self.form._widget_data_value(self.field.hidden_widget(), self.html_initial_name)
        else:
            value = self.value()
        return widget.render(
            name=self.html_initial_name if only_initial else self.html_name,
            value=value,
            attrs=attrs,
            renderer=self.form.renderer,
        )

    def as_text(self, attrs=None, **kwargs):
        """The field as an ``<input type="text">``, whatever its widget."""
        return self.as_widget(TextInput(), attrs, **kwargs)

    def as_textarea(self, attrs=None, **kwargs):
        """The field as a ``<textarea>``."""
        return self.as_widget(Textarea(), attrs, **kwargs)

    def as_hidden(self, attrs=None, **kwargs):
        """The field as its hidden widget (``<input type="hidden">`` for most fields)."""
        return self.as_widget(self.field.hidden_widget(), attrs, **kwargs)

    @property
    def data(self):
        """What was submitted for this field, as the widget reads it (``None`` when nothing was)."""
        return self.form._widget_data_value(self.field.widget, self.html_name)

    def value(self):
        """The value to show: the submitted data when the form is bound, else the initial value."""
        data = self.initial
        if self.form.is_bound:
            data = self.field.bound_data(self.data, data)
        return self.field.prepare_value(data)

    def _has_changed(self) -> bool:
        """Whether the data differs from the initial value (the submitted hidden initial, if kept)."""
        field = self.field
        if field.show_hidden_initial:
            initial_value = self.form._widget_data_value(field.hidden_widget(), self.html_initial_name)
            try:
                initial_value = field.to_python(initial_value)
            except ValidationError:
                # A tampered initial value cannot be compared: count it as a change.
                return True
        else:
            initial_value = self.initial
        return field.has_changed(initial_value, self.data)

    def label_tag(self, contents=None, attrs=None, label_suffix=None, tag=None):
        """The ``<label for="...">`` of this field (just the text when the field has no id).

        ``contents`` replaces the label and is not escaped (mark it safe);
        the label itself is escaped. The suffix (the field's, else the
        form's ``:``) is added unless the text ends in punctuation.
        """
        contents = contents or self.label
        if label_suffix is None:
            label_suffix = self.field.label_suffix if self.field.label_suffix is not None else self.form.label_suffix
        if label_suffix and contents and contents[-1] not in LABEL_PUNCTUATION:
            contents = format_html("{}{}", contents, label_suffix)
        widget = self.field.widget
        widget_id = widget.attrs.get("id") or self.auto_id
        if widget_id:
            id_for_label = widget.id_for_label(widget_id)
            if id_for_label:
                attrs = {**(attrs or {}), "for": id_for_label}
            if self.field.required and hasattr(self.form, "required_css_class"):
                attrs = attrs or {}
                if "class" in attrs:
                    attrs["class"] += " " + self.form.required_css_class
                else:
                    attrs["class"] = self.form.required_css_class
        context = {
            "field": self,
            "label": contents,
            "attrs": attrs,
            "use_tag": bool(widget_id),
            "tag": tag or "label",
        }
        return self.form.render(self.form.template_name_label, context)

    def legend_tag(self, contents=None, attrs=None, label_suffix=None):
        """The label as a ``<legend>``: for widgets rendered in a ``<fieldset>`` (radio buttons)."""
        return self.label_tag(contents, attrs, label_suffix, tag="legend")

    def css_classes(self, extra_classes=None) -> str:
        """The CSS classes of the field's row: ``extra_classes``, then the form's error and required classes."""
        if hasattr(extra_classes, "split"):
            extra_classes = extra_classes.split()
        classes = list(dict.fromkeys(extra_classes or []))
        if self.errors and hasattr(self.form, "error_css_class"):
            classes.append(self.form.error_css_class)
        if self.field.required and hasattr(self.form, "required_css_class"):
            classes.append(self.form.required_css_class)
        return " ".join(dict.fromkeys(classes))

    @property
    def is_hidden(self) -> bool:
        return self.field.widget.is_hidden

    @property
    def auto_id(self) -> str:
        """The widget's id: the form's ``auto_id`` with the name in it, the name itself, or ``""`` for none."""
        auto_id = self.form.auto_id  # a format string, True, or False
        if auto_id and "%s" in str(auto_id):
            return auto_id % self.html_name
        if auto_id:
            return self.html_name
        return ""

    @property
    def id_for_label(self) -> str:
        """The id a ``<label for>`` points at (a multi-part widget's first part)."""
        widget = self.field.widget
        widget_id = widget.attrs.get("id") or self.auto_id
        return widget.id_for_label(widget_id)

    @functools.cached_property
    def initial(self):
        return self.form.get_initial_for_field(self.field, self.name)

    def build_widget_attrs(self, attrs: dict, widget=None) -> dict:
        """The attributes the form adds to the widget's: ``required``, ``disabled``, and ARIA hints.

        ``aria-invalid`` marks a visible field with errors; ``aria-describedby``
        points at the help text and error list (unless ``attrs`` or the
        widget already set one, or the field is a fieldset, which carries it).
        """
        widget = widget or self.field.widget
        attrs = dict(attrs)
        if widget.use_required_attribute(self.initial) and self.field.required and self.form.use_required_attribute:
            if hasattr(self.field, "require_all_fields") and not self.field.require_all_fields and hasattr(
                self.field.widget, "widgets"
            ):
                # A multi-value field that does not need every part: each part says for itself.
                for subfield, subwidget in zip(self.field.fields, widget.widgets):
                    subwidget.attrs["required"] = subwidget.use_required_attribute(self.initial) and subfield.required
            else:
                attrs["required"] = True
        if self.field.disabled:
            attrs["disabled"] = True
        has_errors = bool(self.errors)  # read once: each read looks the errors up again
        if not widget.is_hidden and has_errors:
            attrs["aria-invalid"] = "true"
        if not attrs.get("aria-describedby") and not self.use_fieldset:
            aria_describedby = self._aria_describedby(has_errors)
            if aria_describedby:
                attrs["aria-describedby"] = aria_describedby
        return attrs

    @property
    def aria_describedby(self):
        """The ids of the help text and the error list, for screen readers; None if the widget sets its own."""
        return self._aria_describedby(bool(self.errors))

    def _aria_describedby(self, has_errors: bool):
        if self.field.widget.attrs.get("aria-describedby"):
            return None
        ids = []
        if self.auto_id and not self.is_hidden:
            if self.help_text:
                ids.append(f"{self.auto_id}_helptext")
            if has_errors:
                ids.append(f"{self.auto_id}_error")
        return " ".join(ids)

    @property
    def widget_type(self) -> str:
        """The widget's class name, lower case, without "widget" or "input": ``text``, ``checkbox``, ``select``."""
        return re.sub(r"widget$|input$", "", type(self.field.widget).__name__.lower())

    @property
    def use_fieldset(self) -> bool:
        """Whether the field renders in a ``<fieldset>`` with a ``<legend>`` (radio buttons, checkbox lists)."""
        return self.field.widget.use_fieldset


# {{ field.label }} in a template: a BoundField's items are its subwidgets,
# numbered, so the template lookup goes straight to the attribute (see
# tinyframe.template.runtime.INDEXED_TYPES: a tenth of rendering a form).
add_indexed_type(BoundField)


class BoundWidget:
    """One choice of a radio or checkbox list, for laying the choices out by hand in a template.

    ``{% for radio in form.size %}<label for="{{ radio.id_for_label }}">
    {{ radio.choice_label }} {{ radio.tag }}</label>{% endfor %}``
    """

    def __init__(self, parent_widget, data: dict, renderer):
        self.parent_widget = parent_widget
        self.data = data
        self.renderer = renderer

    def __str__(self):
        return self.tag(wrap_label=True)

    def __html__(self):
        return str(self)

    def tag(self, wrap_label: bool = False):
        """The choice's input (inside its label with ``wrap_label``)."""
        context = {"widget": {**self.data, "wrap_label": wrap_label}}
        return self.parent_widget._render(self.template_name, context, self.renderer)

    @property
    def template_name(self) -> str:
        if "template_name" in self.data:
            return self.data["template_name"]
        return self.parent_widget.template_name

    @property
    def id_for_label(self):
        return self.data["attrs"].get("id")

    @property
    def choice_label(self):
        return self.data["label"]
