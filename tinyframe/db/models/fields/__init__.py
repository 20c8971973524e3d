"""Fields: what one column of a model is, and how its values travel between Python and SQLite.

How it works: ``title = CharField(max_length=100)`` in a model's body makes a
``Field``; the model's metaclass calls ``field.contribute_to_class(Book,
"title")``, which names the field, files it in ``Book._meta`` and installs a
``DeferredAttribute`` as the class attribute (the value itself lives in
``instance.__dict__["title"]``). From then on a value makes three trips:

- **to the database**: ``get_prep_value`` turns it into the plain Python value
  the field stands for (``to_python`` and a little more), then
  ``get_db_prep_value(value, connection)`` into what sqlite3 accepts: ``str``,
  ``int``, ``float``, ``bytes`` or ``None`` (a date becomes ``'2024-02-29'``);
- **back from it**: a field whose column holds something else than its Python
  value has ``from_db_value`` (dates, decimals, UUIDs, JSON...); the query
  layer calls it for each row, and skips fields without one;
- **through validation**: ``clean`` = ``to_python`` (or ValidationError
  "invalid"), ``validate`` (choices, null, blank) and ``run_validators``.

``db_type(connection)`` names the column's SQL type, read from the
connection's ``data_types`` table by ``get_internal_type()``, so a
``SlugField`` is a ``varchar(50)``. Every field inherits the lookup registry
(``RegisterLookupMixin``): ``title__icontains`` works because ``Field``
registered ``IContains``.

This module holds ``Field`` and the boolean and UUID fields; text fields are
in ``text``, numbers in ``numeric``, dates and times in ``temporal``,
``JSONField`` in ``json``; all are importable from here.
"""

import collections.abc
import functools
import uuid

from tinyframe.core import validators
from tinyframe.core.exceptions import ValidationError
from tinyframe.db.models.enums import ChoicesType
from tinyframe.db.models.query_utils import DeferredAttribute, RegisterLookupMixin
from tinyframe.utils.functional import Promise, cached_property

__all__ = [
    "NOT_PROVIDED", "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField",
    "DateField", "DateTimeField", "DecimalField", "DurationField", "EmailField", "Field", "FloatField",
    "GenericIPAddressField", "IntegerField", "JSONField", "PositiveBigIntegerField", "PositiveIntegerField",
    "PositiveSmallIntegerField", "SlugField", "SmallAutoField", "SmallIntegerField", "TextField",
    "TimeField", "URLField", "UUIDField",
]


class NOT_PROVIDED:
    """The ``default`` of a field that has none (``None`` is a real default)."""


def normalize_choices(choices):
    """Choices as a list of ``(value, label)`` pairs, whatever form they were given in.

    A Choices enum class, a dict (``{"Group": {...}}`` for a group), any
    iterable of pairs, or a function returning one of those (called once, when
    the field is made; Django calls it each time the choices are read).

    >>> normalize_choices({"a": "A", "Vowels": {"e": "E"}})
    [('a', 'A'), ('Vowels', [('e', 'E')])]
    """
    if choices is None:
        return None
    if callable(choices) and not isinstance(choices, ChoicesType):
        choices = choices()
    if isinstance(choices, ChoicesType):
        return choices.choices
    if isinstance(choices, collections.abc.Mapping):
        return [
            (key, normalize_choices(value) if isinstance(value, collections.abc.Mapping) else value)
            for key, value in choices.items()
        ]
    return [
        (key, list(value) if isinstance(value, (list, tuple)) else value) for key, value in choices
    ]


class Field(RegisterLookupMixin):
    """One column of a model: its name, its options, and the conversions of its values."""

    # An empty string is a value of this field (CharField), rather than "nothing" (IntegerField).
    empty_strings_allowed = True
    empty_values = list(validators.EMPTY_VALUES)
    # Fields sort in declaration order; a field made by tinyframe (the automatic
    # "id") counts down from -1, so it sorts first.
    creation_counter = 0
    auto_creation_counter = -1
    default_validators = []
    default_error_messages = {
        "invalid_choice": "Value %(value)r is not a valid choice.",
        "null": "This field cannot be null.",
        "blank": "This field cannot be blank.",
        "unique": "%(model_name)s with this %(field_label)s already exists.",
    }
    descriptor_class = DeferredAttribute
    # Relations arrive in chapter 07; until then no field is one.
    is_relation = False
    many_to_many = None
    many_to_one = None
    one_to_many = None
    one_to_one = None
    related_model = None
    remote_field = None
    hidden = False
    generated = False
    db_returning = False

    def __init__(
        self,
        verbose_name=None,
        name=None,
        primary_key=False,
        max_length=None,
        unique=False,
        blank=False,
        null=False,
        db_index=False,
        default=NOT_PROVIDED,
        editable=True,
        serialize=True,
        choices=None,
        help_text="",
        db_column=None,
        validators=(),
        error_messages=None,
        auto_created=False,
    ):
        self.name = name
        self.verbose_name = verbose_name
        self.primary_key = primary_key
        self.max_length = max_length
        self._unique = unique
        self.blank = blank
        self.null = null
        self.db_index = db_index
        self.default = default
        self.editable = editable
        self.serialize = serialize
        self.choices = normalize_choices(choices)
        self.help_text = help_text
        self.db_column = db_column
        self._validators = list(validators)
        self.auto_created = auto_created
        if auto_created:
            self.creation_counter = Field.auto_creation_counter
            Field.auto_creation_counter -= 1
        else:
            self.creation_counter = Field.creation_counter
            Field.creation_counter += 1
        messages = {}
        for klass in reversed(type(self).__mro__):
            messages.update(getattr(klass, "default_error_messages", {}))
        messages.update(error_messages or {})
        self.error_messages = messages
        # >>> 08_migrations
        # The arguments as given, before defaults fill them in: deconstruct() writes only what was said.
        self._verbose_name = verbose_name
        self._error_messages = error_messages
        # <<< 08_migrations

    @property
    def unique(self) -> bool:
        """A primary key is always unique."""
        return self._unique or self.primary_key

    @cached_property
    def validators(self) -> list:
        """The field type's own validators, then those given to the field."""
        return [*self.default_validators, *self._validators]

    # -- joining a model ------------------------------------------------------

    def set_attributes_from_name(self, name: str) -> None:
        """Take the attribute name the field was given in the model's body."""
        self.name = self.name or name
        self.attname = self.name
        self.column = self.db_column or self.attname
        self.concrete = self.column is not None
        if self.verbose_name is None and self.name:
            self.verbose_name = self.name.replace("_", " ")

    def contribute_to_class(self, cls, name: str) -> None:
        """Join model ``cls`` as ``name``: file the field in ``_meta`` and set the class attributes."""
        self.set_attributes_from_name(name)
        self.model = cls
        cls._meta.add_field(self)
        if self.column:
            setattr(cls, self.attname, self.descriptor_class(self))
        if self.choices is not None and f"get_{self.name}_display" not in cls.__dict__:
            setattr(cls, f"get_{self.name}_display", functools.partialmethod(cls._get_FIELD_display, field=self))

    def get_attname_column(self) -> tuple[str, str]:
        """The attribute and column names (the same but for ``db_column``)."""
        return self.attname, self.column

    # -- the SQL side ---------------------------------------------------------

    def get_internal_type(self) -> str:
        """The name that picks this field's column type: the class name, unless a subclass borrows one."""
        return type(self).__name__

    def db_type(self, connection) -> str | None:
        """The SQL type of the column (``varchar(100)``), from the connection's ``data_types``."""
        data_type = connection.data_types.get(self.get_internal_type())
        if data_type is None:
            return None
        return data_type % self.db_type_parameters()

    def db_type_parameters(self) -> dict:
        """The values the ``data_types`` patterns use: the field's attributes, ``max_length`` mostly."""
        return {**self.__dict__, "column": self.column}

    def db_check(self, connection) -> str | None:
        """The SQL CHECK condition the field's type needs (``"n" >= 0``), if any."""
        check = connection.data_type_check_constraints.get(self.get_internal_type())
        return None if check is None else check % self.db_type_parameters()

    def db_type_suffix(self, connection) -> str | None:
        """What follows the column's definition for this type (``AUTOINCREMENT``), if anything."""
        return connection.data_types_suffix.get(self.get_internal_type())

    # -- values -----------------------------------------------------------------

    def to_python(self, value):
        """The field's Python value for ``value`` (text from a form, say); ValidationError if there is none."""
        return value

    def get_prep_value(self, value):
        """The plain Python value to use in a query (a lazy string is computed)."""
        if isinstance(value, Promise):
            value = str(value)
        return value

    def get_db_prep_value(self, value, connection, prepared: bool = False):
        """What to send sqlite3 for ``value``: ``str``, ``int``, ``float``, ``bytes`` or ``None``."""
        if not prepared:
            value = self.get_prep_value(value)
        return value

    def get_db_prep_save(self, value, connection):
        """The value to write for a save; an expression (``F("votes") + 1``) is left to the SQL compiler."""
        if hasattr(value, "as_sql"):
            return value
        return self.get_db_prep_value(value, connection=connection, prepared=False)

    def get_db_converters(self, connection) -> list:
        """The functions each value read from the database goes through."""
        return [self.from_db_value] if hasattr(self, "from_db_value") else []

    def has_default(self) -> bool:
        """Whether the field was given a ``default``."""
        return self.default is not NOT_PROVIDED

    def get_default(self):
        """The value a new instance starts with: the default (called if callable), else None or ""."""
        if self.has_default():
            return self.default() if callable(self.default) else self.default
        if not self.empty_strings_allowed or self.null:
            return None
        return ""

    def pre_save(self, model_instance, add: bool):
        """The value to save, read just before saving (``auto_now`` fields set it here)."""
        return getattr(model_instance, self.attname)

    def value_from_object(self, obj):
        """The field's value on a model instance."""
        return getattr(obj, self.attname)

    # -- validation ---------------------------------------------------------------

    @property
    def flatchoices(self) -> list:
        """The choices without their groups: ``[(value, label), ...]``."""
        if self.choices is None:
            return []
        flat = []
        for value, label in self.choices:
            if isinstance(label, (list, tuple)):
                flat.extend(label)
            else:
                flat.append((value, label))
        return flat

    def run_validators(self, value) -> None:
        """Run every validator on ``value`` and raise all their errors together."""
        if value in self.empty_values:
            return
        validators.run_validators(self.validators, value, self.error_messages)

    def validate(self, value, model_instance) -> None:
        """Check ``value`` against the field's options: one of the choices, not null, not blank."""
        if not self.editable:
            return
        if self.choices is not None and value not in self.empty_values:
            if not any(value == choice for choice, _ in self.flatchoices):
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        if value is None and not self.null:
            raise ValidationError(self.error_messages["null"], code="null")
        if not self.blank and value in self.empty_values:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def clean(self, value, model_instance):
        """Convert, validate and run the validators; return the clean value or raise ValidationError."""
        value = self.to_python(value)
        self.validate(value, model_instance)
        self.run_validators(value)
        return value

    # -- identity -------------------------------------------------------------------

    def __eq__(self, other):
        if not isinstance(other, Field):
            return NotImplemented
        return self.creation_counter == other.creation_counter and getattr(self, "model", None) == getattr(
            other, "model", None
        )

    def __lt__(self, other):
        # Declaration order, the order of _meta.fields.
        if not isinstance(other, Field):
            return NotImplemented
        return self.creation_counter < other.creation_counter

    def __hash__(self):
        model = getattr(self, "model", None)
        return hash((self.creation_counter, model._meta.label if model is not None else None))

    def __deepcopy__(self, memo):
        # An abstract model's fields are copied into each child; a shallow copy
        # suffices, since contribute_to_class then sets the copy's name and model.
        import copy

        clone = copy.copy(self)
        clone.__dict__.pop("model", None)
        clone.__dict__.pop("cached_col", None)  # the copy's column is its own
        memo[id(self)] = clone
        return clone

    def __str__(self):
        """``library.Book.title``."""
        if not hasattr(self, "model"):
            return super().__str__()
        return f"{self.model._meta.label}.{self.name}"

    def __repr__(self):
        # tinyframe's own fields show the path they are imported from, as Django's do.
        module = type(self).__module__
        if module.startswith(f"{__name__}."):
            module = __name__
        path = f"{module}.{type(self).__qualname__}"
        return f"<{path}: {self.name}>" if self.name is not None else f"<{path}>"

    @cached_property
    def cached_col(self):
        """This field's column in its model's own table: one ``Col``, made once (Django's name).

        Every query selects, filters or groups by its model's columns, and a
        Col is never changed once built (a joined table's column is a Col of
        its own, ``sql/joins.py``), so the field keeps the one it needs:
        a user's lookup selects eleven columns without making eleven objects.
        """
        from tinyframe.db.models.expressions import Col

        return Col(self)
    # >>> 08_migrations

    def deconstruct(self) -> tuple[str, str, list, dict]:
        """``(name, path, args, kwargs)``: how a migration file writes this field (see ``deconstruction``)."""
        from tinyframe.db.models.deconstruction import deconstruct_field

        return deconstruct_field(self)

    def clone(self):
        """A new field with the same arguments and no model, made from ``deconstruct()``."""
        from tinyframe.db.models.deconstruction import clone_field

        return clone_field(self)
    # <<< 08_migrations
    # >>> 09_forms

    def formfield(self, form_class=None, choices_form_class=None, **kwargs):
        """The form field that edits this field in a ModelForm, or None (see ``formfields``)."""
        from tinyframe.db.models.formfields import formfield

        return formfield(self, form_class=form_class, choices_form_class=choices_form_class, **kwargs)

    def save_form_data(self, instance, data) -> None:
        """Put a form's cleaned value for this field on ``instance`` (see ``formfields``)."""
        from tinyframe.db.models.formfields import save_form_data

        save_form_data(self, instance, data)

    def get_choices(self, include_blank=True, blank_choice=None, limit_choices_to=None, ordering=()) -> list:
        """The choices for a ``<select>``, the blank ``("", "---------")`` first unless ``blank_choice`` says otherwise."""
        from tinyframe.db.models.formfields import BLANK_CHOICE_DASH, get_choices

        return get_choices(self, include_blank, blank_choice or BLANK_CHOICE_DASH, limit_choices_to, ordering)
    # <<< 09_forms


class BooleanField(Field):
    """True or False (stored as 1 or 0); with ``null=True``, None too."""

    empty_strings_allowed = False
    default_error_messages = {
        "invalid": "“%(value)s” value must be either True or False.",
        "invalid_nullable": "“%(value)s” value must be either True, False, or None.",
    }

    def to_python(self, value):
        if self.null and value in self.empty_values:
            return None
        if value in (True, False):
            return bool(value)  # 1 and 0 too
        if value in ("t", "True", "1"):
            return True
        if value in ("f", "False", "0"):
            return False
        raise ValidationError(
            self.error_messages["invalid_nullable" if self.null else "invalid"], code="invalid", params={"value": value}
        )

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value is None else self.to_python(value)

    def from_db_value(self, value, expression, connection):
        """SQLite has no booleans: 1 and 0 come back as True and False."""
        return bool(value) if value in (0, 1) else value


class UUIDField(Field):
    """A UUID, stored as 32 hex digits (``char(32)``): SQLite has no UUID type."""

    empty_strings_allowed = False
    default_error_messages = {"invalid": "“%(value)s” is not a valid UUID."}

    def __init__(self, verbose_name=None, **kwargs):
        kwargs["max_length"] = 32
        super().__init__(verbose_name, **kwargs)

    def to_python(self, value):
        if value is not None and not isinstance(value, uuid.UUID):
            form = "int" if isinstance(value, int) else "hex"
            try:
                return uuid.UUID(**{form: value})
            except (AttributeError, TypeError, ValueError):
                raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})
        return value

    def get_prep_value(self, value):
        return self.to_python(super().get_prep_value(value))

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        return None if value is None else value.hex

    def from_db_value(self, value, expression, connection):
        """The 32 hex digits back into a ``uuid.UUID``."""
        return None if value is None else uuid.UUID(value)


# The other field families, in modules of their own, are part of this package's API.
from tinyframe.db.models.fields.numeric import (  # noqa: E402
    AutoField, AutoFieldMixin, BigAutoField, BigIntegerField, DecimalField, FloatField, IntegerField,
    PositiveBigIntegerField, PositiveIntegerField, PositiveSmallIntegerField, SmallAutoField, SmallIntegerField,
)  # fmt: skip
from tinyframe.db.models.fields.temporal import DateField, DateTimeField, DurationField, TimeField  # noqa: E402
from tinyframe.db.models.fields.text import (  # noqa: E402
    CharField, EmailField, GenericIPAddressField, SlugField, TextField, URLField,
)  # fmt: skip
from tinyframe.db.models.fields.json import JSONField  # noqa: E402
