"""The form field every other field builds on, and the fields for text and yes/no answers.

How it works: ``Field.clean(value)`` takes what the widget read from the
submitted data (a string, a list of strings, an uploaded file, or None) and
runs three steps, each a method a subclass may replace:

1. ``to_python`` converts the text to a Python value (``"42"`` → ``42``) or
   raises ``ValidationError`` with code ``invalid``;
2. ``validate`` checks what only the field knows (``required``, choices);
3. ``run_validators`` runs the field's ``validators`` list and reports every
   failure at once, with the field's own message for a code when it has one.

The other direction is ``prepare_value`` (a Python value made ready for the
widget) and ``widget_attrs`` (HTML attributes the field gives its widget:
``maxlength`` for a ``CharField(max_length=...)``).

>>> CharField(max_length=5).clean("  hello ")
'hello'
>>> CharField(max_length=3).clean("hello")
Traceback (most recent call last):
  ...
tinyframe.core.exceptions.ValidationError: ['Ensure this value has at most 3 characters (it has 5).']
"""

import copy

from tinyframe.core import validators
from tinyframe.core.exceptions import ValidationError
from tinyframe.forms.widgets import CheckboxInput, HiddenInput, NullBooleanSelect, TextInput

__all__ = ["BooleanField", "CharField", "Field", "NullBooleanField"]


class Field:
    """One value of a form: how to read it from submitted text, check it, and show it again.

    A field belongs to a form *class* and is deep-copied into every form
    instance (``__deepcopy__``), so a form may change its own fields' widgets
    or choices without touching the class. It holds no submitted data: that
    lives in the form, and ``BoundField`` pairs the two.
    """

    widget = TextInput  # what renders the field, unless widget= says otherwise
    hidden_widget = HiddenInput  # what renders it as a hidden input (show_hidden_initial)
    default_validators = []  # validators every field of this class runs
    # Each class adds its own messages; an instance's error_messages= replaces any of them by code.
    default_error_messages = {"required": "This field is required."}
    empty_values = list(validators.EMPTY_VALUES)
    bound_field_class = None

    def __init__(
        self,
        *,
        required=True,
        widget=None,
        label=None,
        initial=None,
        help_text="",
        error_messages=None,
        show_hidden_initial=False,
        validators=(),
        localize=False,
        disabled=False,
        label_suffix=None,
        template_name=None,
        bound_field_class=None,
    ):
        self.required, self.label, self.initial = required, label, initial
        self.show_hidden_initial = show_hidden_initial
        self.help_text = help_text
        self.disabled = disabled
        self.label_suffix = label_suffix
        self.bound_field_class = bound_field_class or self.bound_field_class
        widget = widget or self.widget
        # A widget class gets a fresh instance; an instance is copied, because
        # several fields (or form classes) may have been given the same one.
        widget = widget() if isinstance(widget, type) else copy.deepcopy(widget)
        self.localize = localize
        if localize:
            widget.is_localized = True
        widget.is_required = required
        widget.attrs.update(self.widget_attrs(widget))
        self.widget = widget

        # Messages along the MRO, the most derived class last, so it wins; then the instance's own.
        messages = {}
        for klass in reversed(type(self).__mro__):
            messages.update(getattr(klass, "default_error_messages", {}))
        messages.update(error_messages or {})
        self.error_messages = messages

        self.validators = [*self.default_validators, *validators]
        self.template_name = template_name

    def prepare_value(self, value):
        """The value as the widget should be given it (a hook: most fields pass it through)."""
        return value

    def to_python(self, value):
        """The submitted value converted to the field's Python type (a hook: here, unchanged)."""
        return value

    def validate(self, value):
        """Check what the field itself knows; here only that a required field has a value."""
        if value in self.empty_values and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value):
        """Run every validator, collecting all their errors into one ValidationError.

        An empty value is not validated (a blank optional field is fine). When
        the field has its own message for an error's code, that message wins:
        ``IntegerField(error_messages={"max_value": "Too big."})``.
        """
        if value in self.empty_values:
            return
        validators.run_validators(self.validators, value, self.error_messages)

    def clean(self, value):
        """The cleaned value: ``to_python``, then ``validate``, then ``run_validators``."""
        value = self.to_python(value)
        self.validate(value)
        self.run_validators(value)
        return value

    def bound_data(self, data, initial):
        """What a bound form shows for this field: the submitted data (the initial value when disabled)."""
        if self.disabled:
            return initial
        return data

    def widget_attrs(self, widget) -> dict:
        """HTML attributes this field adds to ``widget`` (a hook: ``maxlength``, ``min``, ``step``...)."""
        return {}

    def has_changed(self, initial, data) -> bool:
        """Whether the submitted ``data`` differs from ``initial``, compared as Python values.

        None and "" count as the same; data that does not even convert has changed.
        """
        if self.disabled:
            return False
        try:
            data = self.to_python(data)
            if hasattr(self, "_coerce"):
                return self._coerce(data) != self._coerce(initial)
        except ValidationError:
            return True
        initial_value = "" if initial is None else initial
        data_value = "" if data is None else data
        return initial_value != data_value

    def get_bound_field(self, form, field_name):
        """The BoundField that shows this field in ``form`` (the field's class, the form's, or BoundField)."""
        # boundfield.py sits above fields/ in the import layers: import it only when needed.
        from tinyframe.forms.boundfield import BoundField

        bound_field_class = self.bound_field_class or getattr(form, "bound_field_class", None) or BoundField
        return bound_field_class(form, self, field_name)

    def __deepcopy__(self, memo):
        """A copy a form instance can change: its own widget, messages and validators list."""
        # A shallow copy written out, as Widget.__deepcopy__ does (see there).
        result = object.__new__(type(self))
        result.__dict__.update(self.__dict__)
        memo[id(self)] = result
        result.widget = copy.deepcopy(self.widget, memo)
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result

    def _clean_bound_field(self, bound_field):
        """Clean the value a form holds for this field: the initial one when the field is disabled."""
        value = bound_field.initial if self.disabled else bound_field.data
        return self.clean(value)


class CharField(Field):
    """Text: stripped of surrounding whitespace, with optional length limits and no NUL characters.

    >>> CharField(required=False).clean("   ")
    ''
    >>> CharField(required=False, empty_value=None).clean("")
    """

    def __init__(self, *, max_length=None, min_length=None, strip=True, empty_value="", **kwargs):
        self.max_length = max_length
        self.min_length = min_length
        self.strip = strip
        self.empty_value = empty_value
        super().__init__(**kwargs)
        if min_length is not None:
            self.validators.append(validators.MinLengthValidator(int(min_length)))
        if max_length is not None:
            self.validators.append(validators.MaxLengthValidator(int(max_length)))
        # Text reaches a database at last, and most cannot store a NUL in a text column.
        self.validators.append(validators.ProhibitNullCharactersValidator())

    def to_python(self, value):
        """A string (``empty_value`` when nothing was typed), stripped unless ``strip=False``."""
        if value not in self.empty_values:
            value = str(value)
            if self.strip:
                value = value.strip()
        if value in self.empty_values:
            return self.empty_value
        return value

    def widget_attrs(self, widget):
        """``maxlength`` and ``minlength``, so the browser helps before the server refuses."""
        attrs = super().widget_attrs(widget)
        if self.max_length is not None and not widget.is_hidden:
            attrs["maxlength"] = str(self.max_length)
        if self.min_length is not None and not widget.is_hidden:
            attrs["minlength"] = str(self.min_length)
        return attrs


class BooleanField(Field):
    """A checkbox: True when ticked. Required means it must be ticked ("I accept the terms").

    A browser does not send an unticked box at all, so "nothing" is False.

    >>> BooleanField(required=False).clean("false"), BooleanField().clean("on")
    (False, True)
    """

    widget = CheckboxInput

    def to_python(self, value):
        """True or False; the strings "false" and "0" (any case) are False, as hidden inputs send them."""
        if isinstance(value, str) and value.lower() in ("false", "0"):
            value = False
        else:
            value = bool(value)
        return super().to_python(value)

    def validate(self, value):
        """A required box must be ticked: False is "no value" here."""
        if not value and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial, data):
        """Compare as booleans, so "False" submitted for an initial False is no change."""
        if self.disabled:
            return False
        return self.to_python(initial) != self.to_python(data)


class NullBooleanField(BooleanField):
    """Yes, no, or unknown: True, False or None, never an error.

    It reads what its widgets send: "True"/"False" (a hidden input),
    "true"/"false" (JavaScript), "1"/"0" (radio buttons, ``NullBooleanSelect``
    sends "true"/"false"/"unknown"). Anything else is None.

    >>> [NullBooleanField().clean(value) for value in ("true", "0", "unknown")]
    [True, False, None]
    """

    widget = NullBooleanSelect

    def to_python(self, value):
        """True, False, or None for anything that is neither."""
        if value in (True, "True", "true", "1"):
            return True
        if value in (False, "False", "false", "0"):
            return False
        return None

    def validate(self, value):
        """Nothing to check: None is an answer ("unknown"), even when required."""
