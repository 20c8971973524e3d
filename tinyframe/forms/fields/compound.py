"""Fields made of fields: one value checked by several fields, or one value typed into several inputs.

How it works: a ``ComboField`` cleans the same value with each of its fields
in turn (an e-mail address that is also at most 20 characters). A
``MultiValueField`` receives a *list* of values from a ``MultiWidget``, one
per input, cleans each with the matching field, and joins the cleaned parts
with ``compress``: a ``SplitDateTimeField`` reads a date input and a time
input and compresses them into one datetime.

>>> import datetime
>>> from tinyframe.forms.fields import CharField, EmailField
>>> ComboField(fields=[CharField(max_length=20), EmailField()]).clean("ada@example.com")
'ada@example.com'
"""

import datetime

from tinyframe.core.exceptions import ValidationError
from tinyframe.forms.fields.base import Field
from tinyframe.forms.fields.temporal import DateField, TimeField
from tinyframe.forms.utils import from_current_timezone
from tinyframe.forms.widgets import SplitDateTimeWidget, SplitHiddenDateTimeWidget

__all__ = ["ComboField", "MultiValueField", "SplitDateTimeField"]


class ComboField(Field):
    """A value every one of ``fields`` must accept, cleaned by each in turn (the combo decides ``required``)."""

    def __init__(self, fields, **kwargs):
        super().__init__(**kwargs)
        for field in fields:
            field.required = False
        self.fields = fields

    def clean(self, value):
        """Required-checked once here, then cleaned by each field, each seeing the previous one's result."""
        super().clean(value)
        for field in self.fields:
            value = field.clean(value)
        return value


class MultiValueField(Field):
    """A value typed into several inputs: a list, its i-th item cleaned by the i-th field, then ``compress``-ed.

    ``require_all_fields`` (the default) makes the whole field required or
    not, as one; without it, each part's own ``required`` counts, and a
    missing required part is "Enter a complete value." (code ``incomplete``).
    """

    default_error_messages = {
        "invalid": "Enter a list of values.",
        "incomplete": "Enter a complete value.",
    }

    def __init__(self, fields, *, require_all_fields=True, **kwargs):
        self.require_all_fields = require_all_fields
        super().__init__(**kwargs)
        for field in fields:
            field.error_messages.setdefault("incomplete", self.error_messages["incomplete"])
            if self.disabled:
                field.disabled = True
            if require_all_fields:
                # The parts are checked as a whole below; alone, each may be empty.
                field.required = False
        self.fields = fields

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.fields = tuple(field.__deepcopy__(memo) for field in self.fields)
        return result

    def validate(self, value):
        """Nothing here: the parts were validated by their own fields."""

    def clean(self, value):
        """Clean each part with its field, gather every part's errors, then ``compress`` the cleaned parts."""
        if self.disabled and not isinstance(value, list):
            value = self.widget.decompress(value)
        if value and not isinstance(value, (list, tuple)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if not value or all(part in self.empty_values for part in value):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return self.compress([])
        cleaned, errors = [], []
        for index, field in enumerate(self.fields):
            part = value[index] if index < len(value) else None
            if part in self.empty_values:
                if self.require_all_fields:
                    if self.required:
                        raise ValidationError(self.error_messages["required"], code="required")
                elif field.required:
                    if field.error_messages["incomplete"] not in errors:
                        errors.append(field.error_messages["incomplete"])
                    continue
            try:
                cleaned.append(field.clean(part))
            except ValidationError as error:
                # The same message from two parts is shown once.
                errors.extend(message for message in error.error_list if message not in errors)
        if errors:
            raise ValidationError(errors)
        out = self.compress(cleaned)
        self.validate(out)
        self.run_validators(out)
        return out

    def compress(self, data_list):
        """One value from the list of cleaned parts (subclasses say how; ``[]`` when nothing was typed)."""
        raise NotImplementedError("Subclasses must implement this method.")

    def has_changed(self, initial, data):
        """Whether any part changed, each compared by its own field."""
        if self.disabled:
            return False
        if initial is None:
            initial = ["" for _ in data]
        elif not isinstance(initial, list):
            initial = self.widget.decompress(initial)
        for field, initial_part, data_part in zip(self.fields, initial, data):
            try:
                initial_part = field.to_python(initial_part)
            except ValidationError:
                return True
            if field.has_changed(initial_part, data_part):
                return True
        return False


class SplitDateTimeField(MultiValueField):
    """A datetime typed as a date and a time in two inputs (``SplitDateTimeWidget``).

    >>> SplitDateTimeField().clean(["2024-02-29", "13:05"]).isoformat()
    '2024-02-29T13:05:00+00:00'
    """

    widget = SplitDateTimeWidget
    hidden_widget = SplitHiddenDateTimeWidget
    default_error_messages = {
        "invalid_date": "Enter a valid date.",
        "invalid_time": "Enter a valid time.",
    }

    def __init__(self, *, input_date_formats=None, input_time_formats=None, **kwargs):
        messages = {**self.default_error_messages, **kwargs.get("error_messages", {})}
        localize = kwargs.get("localize", False)
        fields = (
            DateField(input_formats=input_date_formats, error_messages={"invalid": messages["invalid_date"]},
                      localize=localize),
            TimeField(input_formats=input_time_formats, error_messages={"invalid": messages["invalid_time"]},
                      localize=localize),
        )  # fmt: skip
        super().__init__(fields, **kwargs)

    def compress(self, data_list):
        """The date and time combined (aware under ``USE_TZ``); None when neither was typed."""
        if not data_list:
            return None
        # An optional field may get one part without the other.
        if data_list[0] in self.empty_values:
            raise ValidationError(self.error_messages["invalid_date"], code="invalid_date")
        if data_list[1] in self.empty_values:
            raise ValidationError(self.error_messages["invalid_time"], code="invalid_time")
        return from_current_timezone(datetime.datetime.combine(*data_list))
