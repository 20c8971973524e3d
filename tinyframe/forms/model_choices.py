"""Choice fields whose choices are rows of a table: a ForeignKey's select, a ManyToManyField's list.

How it works: ``ModelChoiceField(queryset=Author.objects.all())`` holds a
QuerySet, not a list. Its ``choices`` is a fresh ``ModelChoiceIterator``
each time it is read, which runs the query only when the widget renders:
one ``(key, str(row))`` pair per row, after the ``empty_label`` choice
("---------"). Each key comes wrapped in a ``ModelChoiceIteratorValue``,
which renders as the key but also carries the row itself, for a widget
that wants to show more than the label.

Cleaning goes the other way: the submitted text is a key, and
``to_python`` looks it up *in the queryset*, so a key that exists but is
not offered (``limit_choices_to``, a filtered queryset) is refused just as
a key that does not exist: "Select a valid choice. That choice is not one
of the available choices." The cleaned value is the row itself.
``ModelMultipleChoiceField`` takes a list of keys, checks each one's type
and then all of them in one query, and cleans to a QuerySet of the rows.

``to_field_name`` makes the choices' keys another unique field than the
primary key (a slug, an e-mail address).
"""

from tinyframe.core.exceptions import ValidationError
from tinyframe.core.validators import ProhibitNullCharactersValidator
from tinyframe.forms.choice_widgets import normalize_choices
from tinyframe.forms.fields import ChoiceField, Field
from tinyframe.forms.widgets import MultipleHiddenInput, RadioSelect, SelectMultiple

__all__ = ["ModelChoiceField", "ModelChoiceIterator", "ModelChoiceIteratorValue", "ModelMultipleChoiceField"]


class ModelChoiceIteratorValue:
    """A choice's value: renders and compares as the row's key, and carries the row (``instance``).

    >>> value = ModelChoiceIteratorValue(7, instance="<the row>")
    >>> str(value), value == 7, value == ModelChoiceIteratorValue(7, None), value.instance
    ('7', True, True, '<the row>')
    """

    def __init__(self, value, instance):
        self.value = value
        self.instance = instance

    def __str__(self):
        return str(self.value)

    def __hash__(self):
        return hash(self.value)

    def __eq__(self, other):
        if isinstance(other, ModelChoiceIteratorValue):
            other = other.value
        return self.value == other

    def __repr__(self):
        return f"<ModelChoiceIteratorValue: {self.value!r}>"


class ModelChoiceIterator:
    """The choices of a ``ModelChoiceField``, read from its queryset each time they are iterated."""

    def __init__(self, field):
        self.field = field
        self.queryset = field.queryset

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset
        # iterator() keeps no cache of the rows; prefetch_related needs the cache, so not then.
        if not queryset._prefetch_related_lookups:
            queryset = queryset.iterator()
        for row in queryset:
            yield self.choice(row)

    def __len__(self):
        # A COUNT query, not the rows: the length is asked for alone (is the list empty?).
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)

    def __bool__(self):
        return self.field.empty_label is not None or self.queryset.exists()

    def __getitem__(self, index):
        return list(self)[index]

    def choice(self, row) -> tuple:
        """``(ModelChoiceIteratorValue(key, row), label)`` for one row."""
        return ModelChoiceIteratorValue(self.field.prepare_value(row), row), self.field.label_from_instance(row)


class ModelChoiceField(ChoiceField):
    """One row of ``queryset``, chosen by its key (the primary key, or ``to_field_name``)."""

    default_error_messages = {
        "invalid_choice": "Select a valid choice. That choice is not one of the available choices.",
    }
    iterator = ModelChoiceIterator

    def __init__(self, queryset, *, empty_label="---------", required=True, widget=None, label=None, initial=None,
                 help_text="", to_field_name=None, limit_choices_to=None, blank=False, **kwargs):  # fmt: skip
        # Field's constructor, not ChoiceField's: the choices come from the queryset, set below.
        Field.__init__(self, required=required, widget=widget, label=label, initial=initial, help_text=help_text,
                       **kwargs)  # fmt: skip
        # No "---------" when a value is required and one is already chosen, nor
        # on radio buttons unless the model allows none (blank).
        if (required and initial is not None) or (isinstance(self.widget, RadioSelect) and not blank):
            self.empty_label = None
        else:
            self.empty_label = empty_label
        self.queryset = queryset
        self.limit_choices_to = limit_choices_to  # applied by the ModelForm, each time one is made
        self.to_field_name = to_field_name

    def validate_no_null_characters(self, value) -> None:
        """Refuse a key with a NUL character before it reaches a query."""
        ProhibitNullCharactersValidator()(value)

    def get_limit_choices_to(self):
        """``limit_choices_to``, called if it is a callable (so it may depend on the moment)."""
        if callable(self.limit_choices_to):
            return self.limit_choices_to()
        return self.limit_choices_to

    def __deepcopy__(self, memo):
        result = Field.__deepcopy__(self, memo)
        # A form's copy gets a queryset (and so an iterator on its widget) of its own.
        if self.queryset is not None:
            result.queryset = self.queryset.all()
        return result

    @property
    def queryset(self):
        """The rows offered; setting it also gives the widget new choices."""
        return self._queryset

    @queryset.setter
    def queryset(self, queryset):
        self._queryset = None if queryset is None else queryset.all()
        self.widget.choices = self.choices

    def label_from_instance(self, obj) -> str:
        """The label a row is shown with: ``str(obj)``. Override to show something else."""
        return str(obj)

    @property
    def choices(self):
        """Choices set by hand if any, else a fresh iterator over the queryset (not run until read)."""
        if hasattr(self, "_choices"):
            return self._choices
        return self.iterator(self)

    @choices.setter
    def choices(self, value):
        self._choices = self.widget.choices = normalize_choices(value)

    def prepare_value(self, value):
        """A row as its key (``to_field_name``'s value, or the primary key); anything else as it is."""
        if hasattr(value, "_meta"):
            if self.to_field_name:
                return value.serializable_value(self.to_field_name)
            return value.pk
        return super().prepare_value(value)

    def to_python(self, value):
        """The row of the queryset whose key is ``value``; None for an empty value.

        A key that is malformed, missing from the table, or not in the
        queryset gives the same ``invalid_choice`` error: the visitor can
        fix each the same way, and a probe learns nothing about rows it is
        not offered.
        """
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        key = self.to_field_name or "pk"
        try:
            if isinstance(value, self.queryset.model):
                value = getattr(value, key)
            value = self.queryset.get(**{key: value})
        except (ValueError, TypeError, OverflowError, self.queryset.model.DoesNotExist):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": value})  # fmt: skip
        return value

    def validate(self, value):
        # Only "required": to_python already checked the row is among the choices.
        return Field.validate(self, value)

    def has_changed(self, initial, data) -> bool:
        """Compare keys as text: the initial row's key with the submitted key."""
        if self.disabled:
            return False
        initial_value = initial if initial is not None else ""
        data_value = data if data is not None else ""
        return str(self.prepare_value(initial_value)) != str(data_value)


class ModelMultipleChoiceField(ModelChoiceField):
    """Any number of rows of ``queryset``, chosen by their keys; cleans to a QuerySet of them."""

    widget = SelectMultiple
    hidden_widget = MultipleHiddenInput
    default_error_messages = {
        "invalid_list": "Enter a list of values.",
        "invalid_choice": "Select a valid choice. %(value)s is not one of the available choices.",
        "invalid_pk_value": "“%(pk)s” is not a valid value.",
    }

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, empty_label=None, **kwargs)

    def to_python(self, value):
        if not value:
            return []
        return list(self._check_values(value))

    def clean(self, value):
        value = self.prepare_value(value)
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        if not self.required and not value:
            return self.queryset.none()
        if not isinstance(value, (list, tuple)):
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        rows = self._check_values(value)
        self.run_validators(value)
        return rows

    def _check_values(self, value):
        """The rows whose keys are in ``value``, as a QuerySet; ValidationError naming the first bad key.

        Each key's type is checked alone first ("“x” is not a valid value."),
        so that the one query for all of them cannot fail; then a key that
        names no offered row is "Select a valid choice. 7 is not one of the
        available choices."
        """
        key = self.to_field_name or "pk"
        try:
            # Each distinct key once: a repeated key costs nothing.
            value = frozenset(value)
        except TypeError:
            # A list of lists, say: nothing a form sends.
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        for pk in value:
            self.validate_no_null_characters(pk)
            try:
                self.queryset.filter(**{key: pk})
            except (ValueError, TypeError, OverflowError):
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                      params={"pk": pk})  # fmt: skip
        rows = self.queryset.filter(**{f"{key}__in": value})
        try:
            found = {str(getattr(row, key)) for row in rows}
        except OverflowError:
            # A number too big for SQLite's integers names no row; find it, one query each (rare).
            found = {str(item) for item in value if self.key_exists(key, item)}
        for item in value:
            if str(item) not in found:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": item})  # fmt: skip
        return rows

    def key_exists(self, key: str, value) -> bool:
        """Whether the queryset has a row whose ``key`` is ``value``; False for a number SQLite cannot hold."""
        try:
            return self.queryset.filter(**{key: value}).exists()
        except OverflowError:
            return False

    def prepare_value(self, value):
        """A list of rows (or keys) as a list of keys; one value as ``ModelChoiceField`` prepares it."""
        if hasattr(value, "__iter__") and not isinstance(value, str) and not hasattr(value, "_meta"):
            prepare_one = super().prepare_value
            return [prepare_one(item) for item in value]
        return super().prepare_value(value)

    def has_changed(self, initial, data) -> bool:
        """Whether the set of keys differs (order does not matter)."""
        if self.disabled:
            return False
        initial = [] if initial is None else initial
        data = [] if data is None else data
        if len(initial) != len(data):
            return True
        return {str(item) for item in self.prepare_value(initial)} != {str(item) for item in data}
