"""Choices as enums: a field's ``choices`` written once, with names, values and labels.

How it works: ``class Year(TextChoices): FRESHMAN = "FR", "Freshman"`` is an
``enum.Enum`` whose metaclass, ``ChoicesType``, reads each member's right-hand
side before the enum machinery sees it: when it is a tuple whose last item is a
string, that item is the member's *label* and the rest its *value*; otherwise
the label is made from the name (``JUNIOR_YEAR`` -> "Junior Year"). The class
then offers what a model field wants: ``Year.choices`` (``[(value, label),
...]``), ``labels``, ``values``, ``names``, and each member's ``label``.
``TextChoices`` members are ``str`` and ``IntegerChoices`` members are ``int``,
so a member can be stored and compared as its value.

>>> class Year(TextChoices):
...     FRESHMAN = "FR", "Freshman"
...     SENIOR = "SR"
>>> Year.choices
[('FR', 'Freshman'), ('SR', 'Senior')]
>>> Year.FRESHMAN.label, Year.FRESHMAN == "FR", str(Year.SENIOR)
('Freshman', True, 'SR')

A member named ``__empty__`` is not a value but the label of "no choice"
(``(None, label)`` first in ``choices``), as in Django.
"""

import enum

from tinyframe.utils.functional import Promise

__all__ = ["Choices", "IntegerChoices", "TextChoices"]


class ChoicesType(enum.EnumType):
    """The metaclass that splits ``VALUE, "Label"`` into a member's value and its label."""

    def __new__(metacls, classname, bases, classdict, **kwargs):
        labels = []
        for name in classdict._member_names:
            value = classdict[name]
            if isinstance(value, (list, tuple)) and len(value) > 1 and isinstance(value[-1], (Promise, str)):
                *value, label = value
                value = tuple(value)
            else:
                label = name.replace("_", " ").title()
            labels.append(label)
            # The enum's own dict refuses to redefine a member; bypass it to
            # replace the right-hand side with the value alone.
            dict.__setitem__(classdict, name, value)
        cls = super().__new__(metacls, classname, bases, classdict, **kwargs)
        for member, label in zip(cls.__members__.values(), labels):
            member._label_ = label
        return enum.unique(cls)

    @property
    def names(cls) -> list:
        """The members' names, ``__empty__`` first when defined."""
        empty = ["__empty__"] if hasattr(cls, "__empty__") else []
        return empty + [member.name for member in cls]

    @property
    def choices(cls) -> list:
        """``[(value, label), ...]``: what a field's ``choices`` argument wants."""
        empty = [(None, cls.__empty__)] if hasattr(cls, "__empty__") else []
        return empty + [(member.value, member.label) for member in cls]

    @property
    def labels(cls) -> list:
        """The labels, in order (the ``__empty__`` label first when defined)."""
        return [label for _, label in cls.choices]

    @property
    def values(cls) -> list:
        """The values, in order (``None`` first when ``__empty__`` is defined)."""
        return [value for value, _ in cls.choices]

    def __contains__(cls, member):
        # ``"FR" in Year`` asks about values, as well as members.
        if not isinstance(member, enum.Enum):
            return any(value == member for value in cls.values)
        return super().__contains__(member)


class Choices(enum.Enum, metaclass=ChoicesType):
    """The base of every choices enum: members with a ``label``, shown as their value."""

    # Templates call callables they meet; a choices class must be read, not called.
    do_not_call_in_templates = enum.nonmember(True)

    @property
    def label(self) -> str:
        """The human-readable text of this choice."""
        return self._label_

    def __str__(self):
        # A member shown in a template or saved as text is its value, not "Year.FRESHMAN".
        return str(self.value)

    def __repr__(self):
        return f"{type(self).__qualname__}.{self._name_}"


class IntegerChoices(Choices, enum.IntEnum):
    """Choices whose values are integers (for an ``IntegerField``)."""


class TextChoices(str, Choices):
    """Choices whose values are strings (for a ``CharField``); ``auto()`` uses the member's name."""

    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        return name
