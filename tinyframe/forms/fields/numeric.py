"""Number fields: whole numbers, floats and decimals typed into a form.

How it works: each field's ``to_python`` turns the submitted text into an
``int``, ``float`` or ``Decimal`` (or None when nothing was typed) and says
"Enter a whole number." or "Enter a number." (code ``invalid``) when it
cannot; ``validate`` refuses what converts but is no number a user meant
(``"nan"``, ``"inf"``); then the limits run as validators: ``max_value``,
``min_value``, ``step_size`` for all three, ``max_digits`` and
``decimal_places`` for decimals. The same limits become the ``<input
type="number">``'s ``min``, ``max`` and ``step`` attributes
(``widget_attrs``), so the browser checks them first.

>>> IntegerField(max_value=10).widget_attrs(NumberInput())
{'max': 10}
>>> DecimalField(max_digits=5, decimal_places=2).clean("3.14")
Decimal('3.14')
"""

import decimal
import math
import re

from tinyframe.conf import settings
from tinyframe.core import validators
from tinyframe.core.exceptions import ValidationError
from tinyframe.forms.fields.base import Field
from tinyframe.forms.widgets import NumberInput

__all__ = ["DecimalField", "FloatField", "IntegerField"]


def sanitize_separators(value):
    """Localized number text in Python's notation: thousands separators dropped, the decimal one a dot.

    tinyframe has no locales yet (chapter 13), so the separators are the
    ``DECIMAL_SEPARATOR`` and ``THOUSAND_SEPARATOR`` settings (Django's
    defaults: "." and ","; thousands are only grouped with ``USE_THOUSAND_SEPARATOR``).

    >>> sanitize_separators("1234.5")
    '1234.5'
    """
    if not isinstance(value, str):
        return value
    decimal_separator = getattr(settings, "DECIMAL_SEPARATOR", ".")
    whole, separator, decimals = value.partition(decimal_separator)
    if getattr(settings, "USE_THOUSAND_SEPARATOR", False):
        whole = whole.replace(getattr(settings, "THOUSAND_SEPARATOR", ","), "")
    return f"{whole}.{decimals}" if separator else whole


class IntegerField(Field):
    """A whole number; ``"7.0"`` is accepted as 7, as Django does, ``"7.5"`` is not."""

    widget = NumberInput
    default_error_messages = {"invalid": "Enter a whole number."}
    # A decimal point followed only by zeros (and whitespace) changes nothing: "7.00" is 7.
    re_decimal = re.compile(r"\.0*\s*$")

    def __init__(self, *, max_value=None, min_value=None, step_size=None, **kwargs):
        self.max_value, self.min_value, self.step_size = max_value, min_value, step_size
        if kwargs.get("localize") and self.widget == NumberInput:
            # Browsers read <input type="number"> in their own notation: a localized number needs text.
            kwargs.setdefault("widget", Field.widget)
        super().__init__(**kwargs)
        if max_value is not None:
            self.validators.append(validators.MaxValueValidator(max_value))
        if min_value is not None:
            self.validators.append(validators.MinValueValidator(min_value))
        if step_size is not None:
            self.validators.append(validators.StepValueValidator(step_size, offset=min_value))

    def to_python(self, value):
        """The submitted value as an ``int``, or None when it is empty.

        - empty values (None, "", [], (), {}) give None;
        - surrounding whitespace is ignored; with ``localize``, the text goes
          through ``sanitize_separators`` first;
        - a decimal point followed only by zeros is dropped: "42.0" and "42."
          give 42 (``re_decimal``), but "42.5" is refused;
        - anything ``int()`` refuses (letters, "1e3", a list, a number of more
          than 4300 digits, which Python refuses to convert) raises
          ``ValidationError(self.error_messages["invalid"], code="invalid")``,
          whose message is "Enter a whole number.".
        """
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if self.localize:
            value = sanitize_separators(value)
        try:
            return int(self.re_decimal.sub("", str(value)))
        except (ValueError, TypeError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def widget_attrs(self, widget):
        """``min``, ``max`` and ``step`` on a number input, from the field's limits."""
        attrs = super().widget_attrs(widget)
        if isinstance(widget, NumberInput):
            if self.min_value is not None:
                attrs["min"] = self.min_value
            if self.max_value is not None:
                attrs["max"] = self.max_value
            if self.step_size is not None:
                attrs["step"] = self.step_size
        return attrs


class FloatField(IntegerField):
    """A number with a fractional part, as a ``float``; infinities and NaN are refused.

    >>> FloatField().clean("2.5e3")
    2500.0
    """

    default_error_messages = {"invalid": "Enter a number."}

    def to_python(self, value):
        """The value as a ``float``, or None when it is empty."""
        value = Field.to_python(self, value)
        if value in self.empty_values:
            return None
        if self.localize:
            value = sanitize_separators(value)
        try:
            return float(value)
        except (ValueError, TypeError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value):
        """Refuse "inf", "nan" and numbers too large for a float (``1e999``): no one types them meaning a number."""
        super().validate(value)
        if value in self.empty_values:
            return
        if not math.isfinite(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")

    def widget_attrs(self, widget):
        """``step="any"`` unless a step size is given: a number input otherwise accepts only whole numbers."""
        attrs = super().widget_attrs(widget)
        if isinstance(widget, NumberInput) and "step" not in widget.attrs:
            attrs.setdefault("step", "any" if self.step_size is None else str(self.step_size))
        return attrs


class DecimalField(IntegerField):
    """An exact decimal number (``Decimal``), for money and measures, with digit limits.

    >>> DecimalField(max_digits=4, decimal_places=2).clean("123.4")
    Traceback (most recent call last):
      ...
    tinyframe.core.exceptions.ValidationError: ['Ensure that there are no more than 2 digits before the decimal point.']
    """

    default_error_messages = {"invalid": "Enter a number."}

    def __init__(self, *, max_value=None, min_value=None, max_digits=None, decimal_places=None, **kwargs):
        self.max_digits, self.decimal_places = max_digits, decimal_places
        super().__init__(max_value=max_value, min_value=min_value, **kwargs)
        self.validators.append(validators.DecimalValidator(max_digits, decimal_places))

    def to_python(self, value):
        """The value as a ``Decimal``, or None when it is empty."""
        if value in self.empty_values:
            return None
        if self.localize:
            value = sanitize_separators(value)
        try:
            return decimal.Decimal(str(value))
        except decimal.DecimalException:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value):
        """Refuse "NaN" and "Infinity", which ``Decimal`` reads but no column can store."""
        super().validate(value)
        if value in self.empty_values:
            return
        if not value.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})

    def widget_attrs(self, widget):
        """``step`` as the smallest step the decimal places allow ("0.01"; "1e-7" for tiny ones), else "any"."""
        attrs = super().widget_attrs(widget)
        if isinstance(widget, NumberInput) and "step" not in widget.attrs:
            if self.decimal_places is not None:
                # A small step written as 0.0000001 might be read as 0: use exponent notation, as Django does.
                step = str(decimal.Decimal(1).scaleb(-self.decimal_places)).lower()
            else:
                step = "any"
            attrs.setdefault("step", step)
        return attrs
