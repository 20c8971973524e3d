"""Values as Python source: what a migration file writes for a field's default, an index, a date.

How it works: ``serializer_factory(value)`` picks a serializer for the value
and ``serialize()`` returns ``(source, imports)``: the text of a Python
expression that rebuilds the value, and the import lines that text needs.

>>> serializer_factory([1, "a", None]).serialize()
("[1, 'a', None]", set())
>>> serializer_factory(datetime.date(2026, 1, 5)).serialize()
('datetime.date(2026, 1, 5)', {'import datetime'})

The choice goes in this order: model fields and operations first (they
know how to take themselves apart), then classes, then anything with a
``deconstruct()`` method (indexes, constraints, ``Q``, ``models.SET(...)``), then
the ``Serializer`` registry of plain types, tried in order: containers
recurse into their items, so a list of dates imports ``datetime`` once.
Anything else is Django's ``ValueError("Cannot serialize: ...")``: a
migration file must rebuild exactly the value, or not be written.

The heart of it is ``DeconstructableSerializer.serialize_deconstructed``:
``deconstruct()`` gives ``(path, args, kwargs)``, the dotted path of the
class and the arguments that rebuild it, and the serializer writes the call,
``models.CharField(max_length=200)``, importing ``models`` once for every
class that ``tinyframe.db.models`` exports.
"""

import builtins
import collections.abc
import datetime
import decimal
import enum
import functools
import math
import os
import pathlib
import re
import types
import uuid

from tinyframe.db import models
from tinyframe.db.migrations.operations.base import Operation
from tinyframe.utils.functional import Promise
# >>> 10_auth
from tinyframe.conf import SettingsReference
# <<< 10_auth

__all__ = [
    "BaseSerializer", "DeconstructableSerializer", "ModelFieldSerializer", "Serializer", "serializer_factory",
]  # fmt: skip

# Modules whose names a migration file spells differently. The on_delete
# handlers live in ``on_delete.py``, but Django's path for them is
# ``deletion``, which re-exports them: files read ``tinyframe.db.models.deletion.CASCADE``.
MODULE_ALIASES = {"tinyframe.db.models.on_delete": "tinyframe.db.models.deletion"}


class BaseSerializer:
    """One value to write; ``serialize()`` returns ``(source, imports)``."""

    def __init__(self, value):
        self.value = value

    def serialize(self) -> tuple[str, set[str]]:
        raise NotImplementedError("Subclasses of BaseSerializer must implement the serialize() method.")


class BaseSimpleSerializer(BaseSerializer):
    """Values whose ``repr()`` is their source and needs no import: numbers, strings, bytes, None."""

    def serialize(self):
        return repr(self.value), set()


class BaseSequenceSerializer(BaseSerializer):
    """A container: each item serialized in turn, joined by commas inside the container's brackets."""

    def _format(self) -> str:
        """The brackets, with ``%s`` where the items go: ``"[%s]"``."""
        raise NotImplementedError("Subclasses of BaseSequenceSerializer must implement the _format() method.")

    def serialize(self):
        imports = set()
        strings = []
        for item in self.value:
            item_string, item_imports = serializer_factory(item).serialize()
            strings.append(item_string)
            imports |= item_imports
        return self._format() % ", ".join(strings), imports


class BaseUnorderedSequenceSerializer(BaseSequenceSerializer):
    """Sets have no order of their own: the items are written sorted by ``repr``, so a file never churns."""

    def __init__(self, value):
        super().__init__(sorted(value, key=repr))


class SequenceSerializer(BaseSequenceSerializer):
    def _format(self):
        return "[%s]"


class TupleSerializer(BaseSequenceSerializer):
    def _format(self):
        # A tuple of one needs its trailing comma: (1,) and not (1).
        return "(%s,)" if len(self.value) == 1 else "(%s)"


class SetSerializer(BaseUnorderedSequenceSerializer):
    def _format(self):
        # {} is an empty dict, so the empty set is written set().
        return "{%s}" if self.value else "set(%s)"


class FrozensetSerializer(BaseUnorderedSequenceSerializer):
    def _format(self):
        return "frozenset([%s])"


class IterableSerializer(BaseSequenceSerializer):
    """Any other iterable (a generator, a dict view) is written as the tuple of its items."""

    def __init__(self, value):
        super().__init__(list(value))

    def _format(self):
        return "(%s,)" if len(self.value) == 1 else "(%s)"


class DictionarySerializer(BaseSerializer):
    """A dict, its keys sorted: ``{'a': 1, 'b': 2}``."""

    def serialize(self):
        imports = set()
        pairs = []
        for key, value in sorted(self.value.items()):
            key_string, key_imports = serializer_factory(key).serialize()
            value_string, value_imports = serializer_factory(value).serialize()
            pairs.append(f"{key_string}: {value_string}")
            imports |= key_imports | value_imports
        return "{%s}" % ", ".join(pairs), imports


class FloatSerializer(BaseSimpleSerializer):
    """Floats; ``nan`` and ``inf`` have no literal, so they are written ``float("nan")``."""

    def serialize(self):
        if math.isnan(self.value) or math.isinf(self.value):
            return f'float("{self.value}")', set()
        return super().serialize()


class DecimalSerializer(BaseSerializer):
    def serialize(self):
        return repr(self.value), {"from decimal import Decimal"}


class DateTimeSerializer(BaseSerializer):
    """Dates, times and timedeltas: their ``repr`` is already ``datetime.date(2026, 1, 5)``."""

    def serialize(self):
        return repr(self.value), {"import datetime"}


class DatetimeDatetimeSerializer(BaseSerializer):
    """A datetime; an aware one is written in UTC, ``tzinfo=datetime.timezone.utc``, whatever its zone was."""

    def serialize(self):
        value = self.value
        if value.tzinfo is not None and value.tzinfo != datetime.timezone.utc:
            value = value.astimezone(datetime.timezone.utc)
        return repr(value), {"import datetime"}


class UUIDSerializer(BaseSerializer):
    def serialize(self):
        return f"uuid.{self.value!r}", {"import uuid"}


class PathSerializer(BaseSerializer):
    """A ``pathlib`` path: a concrete one is written as its pure class, which any system can build."""

    def serialize(self):
        prefix = "Pure" if isinstance(self.value, pathlib.Path) else ""
        return f"pathlib.{prefix}{self.value!r}", {"import pathlib"}


class PathLikeSerializer(BaseSerializer):
    def serialize(self):
        return repr(os.fspath(self.value)), set()


class RegexSerializer(BaseSerializer):
    """A compiled pattern: ``re.compile('^a', re.IGNORECASE)``, without the flags every pattern has."""

    def serialize(self):
        pattern_string, imports = serializer_factory(self.value.pattern).serialize()
        # re.U is implied for str patterns; writing it would compare unequal to the original.
        flags = self.value.flags ^ re.compile("").flags
        arguments = [pattern_string]
        if flags:
            flags_string, flag_imports = serializer_factory(flags).serialize()
            arguments.append(flags_string)
            imports |= flag_imports
        return "re.compile(%s)" % ", ".join(arguments), {"import re", *imports}


class ChoicesSerializer(BaseSerializer):
    """A member of ``models.TextChoices`` or ``IntegerChoices`` is written as its plain value."""

    def serialize(self):
        return serializer_factory(self.value.value).serialize()


class EnumSerializer(BaseSerializer):
    """An enum member by name, ``app.models.Color['RED']``; flags joined by ``|``."""

    def serialize(self):
        enum_class = type(self.value)
        module = enum_class.__module__
        members = list(self.value) if issubclass(enum_class, enum.Flag) else [self.value]
        source = " | ".join(f"{module}.{enum_class.__qualname__}[{member.name!r}]" for member in members)
        return source, {f"import {module}"}


class FunctionTypeSerializer(BaseSerializer):
    """A function (a default such as ``timezone.now``, a RunPython's code) by its dotted path.

    Only a function importable by that path can be written: a lambda or a
    function defined inside another has none, and is Django's ValueError.
    """

    def serialize(self):
        owner = getattr(self.value, "__self__", None)
        if isinstance(owner, type):
            # A classmethod: reached through its class.
            module = owner.__module__
            return f"{module}.{owner.__qualname__}.{self.value.__name__}", {f"import {module}"}
        if self.value.__name__ == "<lambda>":
            raise ValueError("Cannot serialize function: lambda")
        if self.value.__module__ is None:
            raise ValueError(f"Cannot serialize function {self.value!r}: No module")
        module = MODULE_ALIASES.get(self.value.__module__, self.value.__module__)
        if "<" not in self.value.__qualname__:  # no "<locals>" on the way
            return f"{module}.{self.value.__qualname__}", {f"import {module}"}
        raise ValueError(f"Could not find function {self.value.__name__} in {module}.\n")


class FunctoolsPartialSerializer(BaseSerializer):
    """``functools.partial(func, *args, **keywords)``, each part serialized."""

    def serialize(self):
        func_string, imports = serializer_factory(self.value.func).serialize()
        args_string, args_imports = serializer_factory(self.value.args).serialize()
        keywords_string, keywords_imports = serializer_factory(self.value.keywords).serialize()
        imports |= args_imports | keywords_imports | {"import functools"}
        name = type(self.value).__name__
        return f"functools.{name}({func_string}, *{args_string}, **{keywords_string})", imports


class TypeSerializer(BaseSerializer):
    """A class by its dotted path; builtins by name; ``models.Model`` (a model's base) by its short name."""

    SPECIAL_CASES = [
        (models.Model, "models.Model", {"from tinyframe.db import models"}),
        (types.NoneType, "types.NoneType", {"import types"}),
    ]

    def serialize(self):
        for case, string, imports in self.SPECIAL_CASES:
            if self.value is case:
                return string, set(imports)
        module = self.value.__module__
        if module == builtins.__name__:
            return self.value.__name__, set()
        return f"{module}.{self.value.__qualname__}", {f"import {module}"}


class DeconstructableSerializer(BaseSerializer):
    """Anything with ``deconstruct() -> (path, args, kwargs)``: written as the call that rebuilds it."""

    @staticmethod
    def serialize_deconstructed(path: str, args, kwargs: dict) -> tuple[str, set[str]]:
        """Write the call ``path(*args, **kwargs)`` as source, with the imports it needs.

        Exercise 08.5. ``path`` is a dotted path: a class that
        ``tinyframe.db.models`` exports (``"tinyframe.db.models.CharField"``)
        is written ``models.CharField`` and imports ``"from tinyframe.db import
        models"``; any other path (``"blog.fields.ColorField"``) is written
        whole and imports its module, ``"import blog.fields"`` (see
        ``_serialize_path``). Each positional argument is written in order,
        then each keyword argument as ``name=value``, sorted by name; every
        value is written with ``serializer_factory(value).serialize()``, whose
        imports join the call's. Returns ``(source, imports)``: for
        ``("tinyframe.db.models.DecimalField", [], {"max_digits": 5,
        "decimal_places": 2})``, ``("models.DecimalField(decimal_places=2,
        max_digits=5)", {"from tinyframe.db import models"})``.
        """
        name, imports = DeconstructableSerializer._serialize_path(path)
        strings = []
        for arg in args:
            arg_string, arg_imports = serializer_factory(arg).serialize()
            strings.append(arg_string)
            imports |= arg_imports
        for keyword, arg in sorted(kwargs.items()):
            arg_string, arg_imports = serializer_factory(arg).serialize()
            strings.append(f"{keyword}={arg_string}")
            imports |= arg_imports
        return f"{name}({', '.join(strings)})", imports

    @staticmethod
    def _serialize_path(path: str) -> tuple[str, set[str]]:
        """How a file names the class at ``path``, and the import that makes the name work.

        >>> DeconstructableSerializer._serialize_path("tinyframe.db.models.Index")
        ('models.Index', {'from tinyframe.db import models'})
        >>> DeconstructableSerializer._serialize_path("blog.fields.ColorField")
        ('blog.fields.ColorField', {'import blog.fields'})
        """
        module, name = path.rsplit(".", 1)
        if module == "tinyframe.db.models":
            return f"models.{name}", {"from tinyframe.db import models"}
        return path, {f"import {module}"}

    def serialize(self):
        return self.serialize_deconstructed(*self.value.deconstruct())


class ModelFieldSerializer(DeconstructableSerializer):
    """A model field: ``deconstruct()`` also gives its name, which the call leaves out."""

    def serialize(self):
        _name, path, args, kwargs = self.value.deconstruct()
        return self.serialize_deconstructed(path, args, kwargs)


class OperationSerializer(BaseSerializer):
    """An operation inside a value (a ``SeparateDatabaseAndState``'s list): the call, without its last comma."""

    def serialize(self):
        # writer.py imports this module, so the import waits until an operation needs it.
        from tinyframe.db.migrations.writer import OperationWriter

        string, imports = OperationWriter(self.value, indentation=0).serialize()
        return string.rstrip(","), imports


class Serializer:
    """The registry of plain types and their serializers, tried in order (bool before int's repr...).

    A project adds its own with ``Serializer.register(type_, serializer_class)``.
    """

    _registry = {
        frozenset: FrozensetSerializer,
        list: SequenceSerializer,
        set: SetSerializer,
        tuple: TupleSerializer,
        dict: DictionarySerializer,
        models.Choices: ChoicesSerializer,
        enum.Enum: EnumSerializer,
        # datetime.datetime is a datetime.date: it must come first.
        datetime.datetime: DatetimeDatetimeSerializer,
        (datetime.date, datetime.timedelta, datetime.time): DateTimeSerializer,
        float: FloatSerializer,
        (bool, int, types.NoneType, bytes, str, range): BaseSimpleSerializer,
        decimal.Decimal: DecimalSerializer,
        (functools.partial, functools.partialmethod): FunctoolsPartialSerializer,
        (types.FunctionType, types.BuiltinFunctionType, types.MethodType): FunctionTypeSerializer,
        collections.abc.Iterable: IterableSerializer,
        re.Pattern: RegexSerializer,
        uuid.UUID: UUIDSerializer,
        pathlib.PurePath: PathSerializer,
        os.PathLike: PathLikeSerializer,
    }

    @classmethod
    def register(cls, type_, serializer) -> None:
        if not issubclass(serializer, BaseSerializer):
            raise ValueError(f"'{serializer.__name__}' must inherit from 'BaseSerializer'.")
        cls._registry[type_] = serializer

    @classmethod
    def unregister(cls, type_) -> None:
        cls._registry.pop(type_)


def serializer_factory(value) -> BaseSerializer:
    """The serializer for ``value``; Django's ValueError for a value no migration file can rebuild.

    >>> serializer_factory(models.CASCADE).serialize()
    ('tinyframe.db.models.deletion.CASCADE', {'import tinyframe.db.models.deletion'})
    """
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, models.Field):
        return ModelFieldSerializer(value)
    if isinstance(value, Operation):
        return OperationSerializer(value)
    if isinstance(value, type):
        return TypeSerializer(value)
    if hasattr(value, "deconstruct"):
        return DeconstructableSerializer(value)
    for types_, serializer_class in Serializer._registry.items():
        if isinstance(value, types_):
            return serializer_class(value)
    raise ValueError(
        f"Cannot serialize: {value!r}\nThere are some values tinyframe cannot serialize into migration files.\n"
        "For more, see tutorials/08_migrations.md (the writer)."
    )


# >>> 10_auth
class SettingsReferenceSerializer(BaseSerializer):
    """``ForeignKey(settings.AUTH_USER_MODEL)``'s target: written as the setting, not as the label it had."""

    def serialize(self) -> tuple[str, set]:
        return f"settings.{self.value.setting_name}", {"from tinyframe.conf import settings"}


# First: a SettingsReference is a str, which the plain serializer would take.
Serializer._registry = {SettingsReference: SettingsReferenceSerializer, **Serializer._registry}
# <<< 10_auth
