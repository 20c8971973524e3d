"""Choice fields: one value, or several, picked from a list of ``(value, label)`` pairs.

How it works: ``choices`` may be given as a list of pairs (a pair whose
label is itself a list of pairs is an option group), a dict, an enumeration
class (``TextChoices``: its ``.choices``) or a callable, called afresh each
time the choices are read (``CallableChoiceIterator``). The field hands the
same normalized choices to its widget, which renders them. What a browser
submits is text, so a submitted value is valid when it equals a choice's
value or that value's text (``"1"`` picks the choice ``1``).

``TypedChoiceField`` and ``TypedMultipleChoiceField`` then ``coerce`` the
valid text into a Python value (``coerce=int``).

>>> ChoiceField(choices=[("tea", "Tea"), ("Cold", [("soda", "Soda")])]).clean("soda")
'soda'
>>> TypedChoiceField(choices=[(1, "One"), (2, "Two")], coerce=int).clean("2")
2
"""

import copy
import os
import re

from tinyframe.core.exceptions import ValidationError
from tinyframe.forms.choice_widgets import CallableChoiceIterator, normalize_choices
from tinyframe.forms.fields.base import Field
from tinyframe.forms.widgets import MultipleHiddenInput, Select, SelectMultiple

__all__ = ["ChoiceField", "FilePathField", "MultipleChoiceField", "TypedChoiceField", "TypedMultipleChoiceField"]


class ChoiceField(Field):
    """One of the choices, as text (the choice's value converted with ``str``)."""

    widget = Select
    default_error_messages = {
        "invalid_choice": "Select a valid choice. %(value)s is not one of the available choices.",
    }

    def __init__(self, *, choices=(), **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._choices = copy.deepcopy(self._choices, memo)
        return result

    @property
    def choices(self):
        """The normalized choices; setting them sets the widget's too, so what is offered is what is accepted."""
        return self._choices

    @choices.setter
    def choices(self, value):
        self._choices = self.widget.choices = normalize_choices(value)

    def to_python(self, value):
        """The value as text ("" when empty)."""
        if value in self.empty_values:
            return ""
        return str(value)

    def validate(self, value):
        """Required as any field, and a non-empty value must be one of the choices."""
        super().validate(value)
        if value and not self.valid_value(value):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )

    def valid_value(self, value) -> bool:
        """Whether ``value`` is one of the choices' values, in an option group or not, or its text."""
        text_value = str(value)
        for choice_value, label in self.choices:
            # An option group: its label is the group's list of (value, label) pairs.
            options = label if isinstance(label, (list, tuple)) else [(choice_value, label)]
            for option_value, _option_label in options:
                if value == option_value or text_value == str(option_value):
                    return True
        return False


class TypedChoiceField(ChoiceField):
    """A choice ``coerce``-d to a Python type; empty gives ``empty_value``.

    A value ``coerce`` cannot convert is an invalid choice, as one not offered is.
    """

    def __init__(self, *, coerce=lambda value: value, empty_value="", **kwargs):
        self.coerce = coerce
        self.empty_value = empty_value
        super().__init__(**kwargs)

    def _coerce(self, value):
        """The value coerced, or ``empty_value`` when it is empty."""
        if value == self.empty_value or value in self.empty_values:
            return self.empty_value
        try:
            return self.coerce(value)
        except (ValueError, TypeError, ValidationError):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None

    def clean(self, value):
        """Checked as a choice first, then coerced."""
        value = super().clean(value)
        return self._coerce(value)


class MultipleChoiceField(ChoiceField):
    """Several of the choices, as a list of text; none selected is ``[]``."""

    hidden_widget = MultipleHiddenInput
    widget = SelectMultiple
    default_error_messages = {
        "invalid_choice": "Select a valid choice. %(value)s is not one of the available choices.",
        "invalid_list": "Enter a list of values.",
    }

    def to_python(self, value):
        """A list of strings; anything but a list or tuple is ``invalid_list``."""
        if not value:
            return []
        if not isinstance(value, (list, tuple)):
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        return [str(item) for item in value]

    def validate(self, value):
        """Check the list of selected values: required means at least one, and each must be a choice.

        - ``self.required`` and an empty list → ``ValidationError`` with
          ``self.error_messages["required"]``, code ``"required"``
          ("This field is required.");
        - the first value that ``self.valid_value`` refuses (option groups are
          searched too) → ``ValidationError`` with
          ``self.error_messages["invalid_choice"]``, code ``"invalid_choice"``,
          ``params={"value": that_value}``: "Select a valid choice. %(value)s
          is not one of the available choices.";
        - otherwise return None.
        """
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        for item in value:
            if not self.valid_value(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )

    def has_changed(self, initial, data):
        """Whether the set of selected values changed (order does not matter, as a string compares)."""
        if self.disabled:
            return False
        initial = [] if initial is None else initial
        data = [] if data is None else data
        if len(initial) != len(data):
            return True
        return {str(item) for item in initial} != {str(item) for item in data}


class TypedMultipleChoiceField(MultipleChoiceField):
    """Several choices, each ``coerce``-d; none selected gives ``empty_value`` (``[]``)."""

    def __init__(self, *, coerce=lambda value: value, **kwargs):
        self.coerce = coerce
        self.empty_value = kwargs.pop("empty_value", [])
        super().__init__(**kwargs)

    def _coerce(self, value):
        """Each value coerced; the first that cannot be is an invalid choice."""
        if value == self.empty_value or value in self.empty_values:
            return self.empty_value
        coerced = []
        for choice in value:
            try:
                coerced.append(self.coerce(choice))
            except (ValueError, TypeError, ValidationError):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": choice}
                ) from None
        return coerced

    def clean(self, value):
        value = super().clean(value)
        return self._coerce(value)

    def validate(self, value):
        """As MultipleChoiceField's, except that ``empty_value`` is what "nothing selected" looks like."""
        if value != self.empty_value:
            super().validate(value)
        elif self.required:
            raise ValidationError(self.error_messages["required"], code="required")


class FilePathField(ChoiceField):
    """A choice among the files (or folders) under ``path``, listed when the field is made.

    ``match`` is a regular expression searched in each file's name;
    ``recursive`` walks subdirectories too (a choice's label is then its path
    below ``path``). ``__pycache__`` folders are never offered. An optional
    field offers "---------" (the empty choice) first.
    """

    def __init__(self, path, *, match=None, recursive=False, allow_files=True, allow_folders=False, **kwargs):
        self.path, self.match, self.recursive = path, match, recursive
        self.allow_files, self.allow_folders = allow_files, allow_folders
        super().__init__(choices=(), **kwargs)
        if match is not None:
            self.match_re = re.compile(match)
        choices = [] if self.required else [("", "---------")]
        choices += self.walk() if recursive else self.scan()
        self.choices = choices

    def matches(self, name: str) -> bool:
        """Whether a file or folder name passes ``match`` (every name does without one)."""
        return self.match is None or self.match_re.search(name) is not None

    def walk(self) -> list:
        """The choices under ``path`` and its subdirectories, directory by directory, each sorted by name."""
        choices = []
        for root, folders, files in sorted(os.walk(self.path)):
            names = (sorted(files) if self.allow_files else []) + (
                [folder for folder in sorted(folders) if folder != "__pycache__"] if self.allow_folders else []
            )
            for name in filter(self.matches, names):
                full_path = os.path.join(root, name)
                choices.append((full_path, full_path.replace(self.path, "", 1)))
        return choices

    def scan(self) -> list:
        """The choices directly in ``path``, sorted by name."""
        with os.scandir(self.path) as entries:
            choices = [
                (entry.path, entry.name)
                for entry in entries
                if entry.name != "__pycache__"
                and ((self.allow_files and entry.is_file()) or (self.allow_folders and entry.is_dir()))
                and self.matches(entry.name)
            ]
        return sorted(choices, key=lambda choice: choice[1])
