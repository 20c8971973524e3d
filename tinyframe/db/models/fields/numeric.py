"""The number fields: integers of every size, the automatic primary keys, floats and decimals.

How it works: SQLite stores every integer in up to eight bytes whatever the
column's declared type (``smallint``, ``bigint``), so every integer field
accepts the same 64-bit range, and validates it (``MinValueValidator``,
``MaxValueValidator``) so that a value too big fails in ``full_clean``
rather than in the database. The positive fields add ``CHECK ("n" >= 0)``
to their column. The automatic primary keys (``AutoField`` and its
big and small siblings) are integers the database numbers itself:
``INTEGER PRIMARY KEY AUTOINCREMENT``, returned to ``save()`` after an
insert (``db_returning``).

Decimals are stored as SQLite stores numbers (its ``decimal`` column has
numeric affinity, as in Django): exact up to 15 significant digits, read back
through ``from_db_value``, which rounds to ``decimal_places``. A value SQL
computed from a decimal column (``F("price") * 2``, ``Avg("price")``) is
read by ``expression_from_db_value`` instead, which does not round: the
places belong to the column, not to what is computed from it.
"""

import decimal

from tinyframe.core import validators
from tinyframe.core.exceptions import ValidationError
from tinyframe.db.models.fields import Field
from tinyframe.utils.functional import cached_property

__all__ = [
    "AutoField", "AutoFieldMixin", "BigAutoField", "BigIntegerField", "DecimalField", "FloatField",
    "IntegerField", "PositiveBigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
    "SmallAutoField", "SmallIntegerField",
]

# What an SQLite integer holds: a signed 64-bit number.
SQLITE_INTEGER_RANGE = (-(2**63), 2**63 - 1)


class NumberConversion:
    """Conversions for a field whose values are one Python number type, ``number_type`` (int or float).

    In a query a value that is not a number is the caller's mistake (a
    TypeError or ValueError naming the field); in ``clean()`` it is the
    user's (a ValidationError with the field's "invalid" message).
    """

    number_type = int

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        try:
            return self.number_type(value)
        except (TypeError, ValueError) as error:
            raise type(error)(f"Field '{self.name}' expected a number but got {value!r}.") from error

    def to_python(self, value):
        if value is None:
            return None
        try:
            return self.number_type(value)
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})


class IntegerField(NumberConversion, Field):
    """A whole number (an ``integer`` column)."""

    empty_strings_allowed = False
    default_error_messages = {"invalid": "“%(value)s” value must be an integer."}
    # The smallest value allowed; positive fields raise it to 0.
    min_value = SQLITE_INTEGER_RANGE[0]

    @cached_property
    def validators(self) -> list:
        """The field's validators, plus the range SQLite can store unless tighter ones are given."""
        found = super().validators
        low, high = self.min_value, SQLITE_INTEGER_RANGE[1]
        if not any(isinstance(v, validators.MinValueValidator) and v.limit_value >= low for v in found):
            found.append(validators.MinValueValidator(low))
        if not any(isinstance(v, validators.MaxValueValidator) and v.limit_value <= high for v in found):
            found.append(validators.MaxValueValidator(high))
        return found



class BigIntegerField(IntegerField):
    """A 64-bit whole number (a ``bigint`` column)."""


class SmallIntegerField(IntegerField):
    """A small whole number (a ``smallint`` column; SQLite stores it like any integer)."""


class PositiveIntegerField(IntegerField):
    """A whole number of zero or more, enforced by a CHECK constraint on the column."""

    min_value = 0


class PositiveBigIntegerField(PositiveIntegerField):
    """A 64-bit whole number of zero or more."""


class PositiveSmallIntegerField(PositiveIntegerField):
    """A small whole number of zero or more."""


class AutoFieldMixin:
    """What makes an integer field an automatic primary key: numbered by the database, returned on insert."""

    db_returning = True

    def __init__(self, *args, **kwargs):
        kwargs["blank"] = True
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls, name):
        if cls._meta.auto_field is not None:
            raise ValueError(f"Model {cls._meta.label} can't have more than one auto-generated field.")
        super().contribute_to_class(cls, name)
        cls._meta.auto_field = self

    def validate(self, value, model_instance):
        # The database chooses the value; there is nothing to check.
        pass


class AutoFieldMeta(type):
    """Lets ``BigAutoField`` and ``SmallAutoField`` count as ``AutoField`` for ``isinstance`` and ``issubclass``.

    ``DEFAULT_AUTO_FIELD`` must name "an AutoField"; the big and small ones
    inherit from their integer siblings instead, so the check asks here.
    """

    @property
    def _subclasses(cls):
        return (BigAutoField, SmallAutoField)

    def __instancecheck__(cls, instance):
        return isinstance(instance, cls._subclasses) or super().__instancecheck__(instance)

    def __subclasscheck__(cls, subclass):
        return issubclass(subclass, cls._subclasses) or super().__subclasscheck__(subclass)


class AutoField(AutoFieldMixin, IntegerField, metaclass=AutoFieldMeta):
    """The default primary key: an integer the database gives each new row."""


class BigAutoField(AutoFieldMixin, BigIntegerField):
    """An automatic primary key with the 64-bit range."""


class SmallAutoField(AutoFieldMixin, SmallIntegerField):
    """An automatic primary key declared small."""


class FloatField(NumberConversion, Field):
    """A floating-point number (a ``real`` column: an IEEE double, stored exactly)."""

    empty_strings_allowed = False
    default_error_messages = {"invalid": "“%(value)s” value must be a float."}
    number_type = float


class DecimalField(Field):
    """A fixed-point number with ``max_digits`` digits, ``decimal_places`` of them after the point."""

    empty_strings_allowed = False
    default_error_messages = {"invalid": "“%(value)s” value must be a decimal number."}

    def __init__(self, verbose_name=None, name=None, max_digits=None, decimal_places=None, **kwargs):
        self.max_digits = max_digits
        self.decimal_places = decimal_places
        super().__init__(verbose_name, name, **kwargs)

    @cached_property
    def context(self) -> decimal.Context:
        """Arithmetic at the field's precision."""
        return decimal.Context(prec=self.max_digits)

    @cached_property
    def validators(self) -> list:
        """The field's validators and a ``DecimalValidator`` for its digits."""
        return [*super().validators, validators.DecimalValidator(self.max_digits, self.decimal_places)]

    def to_python(self, value):
        if value is None:
            return None
        try:
            if isinstance(value, float):
                number = self.context.create_decimal_from_float(value)
            else:
                number = decimal.Decimal(value)
        except (decimal.InvalidOperation, TypeError, ValueError):
            number = None
        if number is None or not number.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})
        return number

    def get_prep_value(self, value):
        return self.to_python(super().get_prep_value(value))

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        if value is None or hasattr(value, "as_sql"):
            return value
        # Text, which the column's numeric affinity turns into a number.
        return str(value)

    def from_db_value(self, value, expression, connection):
        """The number SQLite returns (an int or a float) as a Decimal with ``decimal_places`` places.

        A float holds 15 significant digits exactly; they are read as such and
        rounded to the field's places, so what was saved is what comes back.
        """
        if value is None:
            return None
        if isinstance(value, str):
            number = decimal.Decimal(value)
        else:
            number = decimal.Context(prec=15).create_decimal_from_float(value)
        if self.decimal_places is None:
            return number
        return number.quantize(decimal.Decimal(1).scaleb(-self.decimal_places), context=self.context)

    def expression_from_db_value(self, value, expression, connection):
        """What SQLite computed for an expression or aggregate of this type, as a Decimal, not rounded.

        Why not ``from_db_value``: rounding to ``decimal_places`` is right for
        a column, whose values were saved with those places, but it would
        change a computed answer (``F("price") + Decimal("0.001")``,
        ``Avg("price")``). Expressions use this instead (see
        ``BaseExpression.get_db_converters``); 15 significant digits, what a
        float holds, as Django gives.
        """
        if value is None:
            return None
        if isinstance(value, str):
            return decimal.Decimal(value)
        return decimal.Context(prec=15).create_decimal_from_float(value)
