"""The serializer: every value a field or operation carries, written as the source Django writes for it.

Each expected string was checked once against Django 5.2's
``django.db.migrations.serializer.serializer_factory`` on the same value,
with ``django`` read as ``tinyframe``. A written value must also come back
equal when the source is run with its imports (``round_trip``).
"""

import datetime
import decimal
import enum
import functools
import pathlib
import re
import sys
import uuid

import pytest

from tinyframe.db import models
from tinyframe.db.migrations.serializer import (
    BaseSerializer, DeconstructableSerializer, Serializer, serializer_factory,
)  # fmt: skip
from tinyframe.db.migrations.writer import MigrationWriter
from tinyframe.utils import timezone


class Colour(enum.Enum):
    RED = "r"
    BLUE = "b"


class Permission(enum.Flag):
    READ = 1
    WRITE = 2


class Size(models.TextChoices):
    SMALL = "S", "Small"
    LARGE = "L", "Large"


class Shelf:
    """A class with a classmethod, for the dotted path of a bound class function."""

    @classmethod
    def default_width(cls):
        return 3


def module_default():
    return "x"


def round_trip(value):
    """Serialize ``value``, then run the source with its imports: the value that comes back.

    This test module's name has a folder starting with a digit, which no
    import statement can spell: its import is skipped and the module is
    handed to the source under a name that can.
    """
    source, imports = serializer_factory(value).serialize()
    namespace = {"this_module": sys.modules[__name__]}
    exec("\n".join(sorted(line for line in imports if line != f"import {__name__}")), namespace)
    return eval(source.replace(__name__, "this_module"), namespace)


def serialized(value):
    return serializer_factory(value).serialize()


# (value, source, imports), each pair as Django 5.2 writes it.
PLAIN_VALUES = [
    (None, "None", set()),
    (True, "True", set()),
    (42, "42", set()),
    (1.5, "1.5", set()),
    ("a 'quoted' text", "\"a 'quoted' text\"", set()),
    (b"bytes", "b'bytes'", set()),
    (range(3), "range(0, 3)", set()),
    (decimal.Decimal("1.50"), "Decimal('1.50')", {"from decimal import Decimal"}),
    ([1, "a", None, True], "[1, 'a', None, True]", set()),
    ((1,), "(1,)", set()),
    ((1, 2), "(1, 2)", set()),
    ((), "()", set()),
    (set(), "set()", set()),
    ({3, 1, 2}, "{1, 2, 3}", set()),
    (frozenset([2, 1]), "frozenset([1, 2])", set()),
    ({"b": 1, "a": [1, 2]}, "{'a': [1, 2], 'b': 1}", set()),
    (datetime.date(2026, 1, 5), "datetime.date(2026, 1, 5)", {"import datetime"}),
    (datetime.time(3, 4), "datetime.time(3, 4)", {"import datetime"}),
    (datetime.timedelta(days=1), "datetime.timedelta(days=1)", {"import datetime"}),
    (datetime.datetime(2026, 1, 5, 9), "datetime.datetime(2026, 1, 5, 9, 0)", {"import datetime"}),
    (uuid.UUID("12345678123456781234567812345678"), "uuid.UUID('12345678-1234-5678-1234-567812345678')",
     {"import uuid"}),
    (Colour.RED, f"{__name__}.Colour['RED']", {f"import {__name__}"}),
    (Permission.READ | Permission.WRITE, f"{__name__}.Permission['READ'] | {__name__}.Permission['WRITE']",
     {f"import {__name__}"}),
    (Size.SMALL, "'S'", set()),
    (re.compile(r"^a+$", re.IGNORECASE), "re.compile('^a+$', 2)", {"import re"}),
    (re.compile("b"), "re.compile('b')", {"import re"}),
    (pathlib.PurePosixPath("/srv/a"), "pathlib.PurePosixPath('/srv/a')", {"import pathlib"}),
    (int, "int", set()),
    (type(None), "types.NoneType", {"import types"}),
    (models.Model, "models.Model", {"from tinyframe.db import models"}),
    (Shelf, f"{__name__}.Shelf", {f"import {__name__}"}),
    (module_default, f"{__name__}.module_default", {f"import {__name__}"}),
    (Shelf.default_width, f"{__name__}.Shelf.default_width", {f"import {__name__}"}),
    (timezone.now, "tinyframe.utils.timezone.now", {"import tinyframe.utils.timezone"}),
    (models.CASCADE, "tinyframe.db.models.deletion.CASCADE", {"import tinyframe.db.models.deletion"}),
    (models.SET_NULL, "tinyframe.db.models.deletion.SET_NULL", {"import tinyframe.db.models.deletion"}),
]  # fmt: skip


@pytest.mark.parametrize("value, source, imports", PLAIN_VALUES, ids=[repr(case[1])[:40] for case in PLAIN_VALUES])
def test_plain_values_are_written_as_django_writes_them(value, source, imports):
    assert serialized(value) == (source, imports)


@pytest.mark.parametrize("value", [case[0] for case in PLAIN_VALUES if case[0] is not Size.SMALL],
                         ids=[repr(case[1])[:40] for case in PLAIN_VALUES if case[0] is not Size.SMALL])
def test_written_values_come_back_equal(value):
    assert round_trip(value) == value


def test_an_aware_datetime_is_written_in_utc():
    plus_two = datetime.timezone(datetime.timedelta(hours=2))
    value = datetime.datetime(2026, 1, 5, 9, tzinfo=plus_two)
    assert serialized(value) == ("datetime.datetime(2026, 1, 5, 7, 0, tzinfo=datetime.timezone.utc)",
                                 {"import datetime"})
    assert round_trip(value) == value


def test_floats_without_a_literal():
    assert serialized(float("nan")) == ('float("nan")', set())
    assert serialized(float("-inf")) == ('float("-inf")', set())
    assert round_trip(float("inf")) == float("inf")


def test_a_concrete_path_is_written_as_its_pure_class():
    source, imports = serialized(pathlib.Path("/srv/site"))
    assert source in {"pathlib.PurePosixPath('/srv/site')", "pathlib.PureWindowsPath('/srv/site')"}
    assert imports == {"import pathlib"}


def test_other_iterables_are_written_as_tuples():
    assert serialized(iter([1])) == ("(1,)", set())
    assert serialized({"a": 1}.keys()) == ("('a',)", set())
    assert serialized(item for item in [1, 2]) == ("(1, 2)", set())


def test_partial_functions():
    value = functools.partial(module_default, 1, size=2)
    assert serialized(value) == (f"functools.partial({__name__}.module_default, *(1,), **{{'size': 2}})",
                                 {"import functools", f"import {__name__}"})
    rebuilt = round_trip(value)
    assert (rebuilt.func, rebuilt.args, rebuilt.keywords) == (module_default, (1,), {"size": 2})


def test_containers_collect_the_imports_of_their_items():
    assert serialized([datetime.date(2026, 1, 1), {"when": datetime.time(9)}]) == (
        "[datetime.date(2026, 1, 1), {'when': datetime.time(9, 0)}]", {"import datetime"}
    )


def test_q_objects_are_written_with_their_children():
    assert serialized(models.Q(pages__gt=0)) == ("models.Q(('pages__gt', 0))", {"from tinyframe.db import models"})
    value = ~models.Q(a=1) | models.Q(b__gt=2)
    assert serialized(value) == (
        "models.Q(models.Q(('a', 1), _negated=True), ('b__gt', 2), _connector='OR')",
        {"from tinyframe.db import models"},
    )


def test_set_handlers_deconstruct_to_models_set():
    assert serialized(models.SET(3)) == ("models.SET(3)", {"from tinyframe.db import models"})


@pytest.mark.parametrize(
    "value, message",
    [
        (lambda: 1, "Cannot serialize function: lambda"),
        (object(), "Cannot serialize: <object object at"),
    ],
)
def test_values_no_file_can_rebuild_are_refused(value, message):
    with pytest.raises(ValueError) as caught:
        serialized(value)
    assert str(caught.value).startswith(message)


def test_the_refusal_names_the_value_and_says_why():
    class Opaque:
        def __repr__(self):
            return "<Opaque>"

    with pytest.raises(ValueError) as caught:
        serialized(Opaque())
    assert str(caught.value) == (
        "Cannot serialize: <Opaque>\nThere are some values tinyframe cannot serialize into migration files.\n"
        "For more, see tutorials/08_migrations.md (the writer)."
    )


def test_a_function_defined_inside_another_is_refused():
    def inner():
        pass

    with pytest.raises(ValueError) as caught:
        serialized(inner)
    assert str(caught.value) == f"Could not find function inner in {__name__}.\n"


def test_a_project_registers_its_own_serializer():
    class Money:
        def __init__(self, cents):
            self.cents = cents

    class MoneySerializer(BaseSerializer):
        def serialize(self):
            return f"shop.Money({self.value.cents})", {"import shop"}

    MigrationWriter.register_serializer(Money, MoneySerializer)
    try:
        assert MigrationWriter.serialize(Money(150)) == ("shop.Money(150)", {"import shop"})
    finally:
        MigrationWriter.unregister_serializer(Money)
    with pytest.raises(ValueError):
        serialized(Money(1))


def test_only_serializers_can_be_registered():
    with pytest.raises(ValueError) as caught:
        Serializer.register(int, dict)
    assert str(caught.value) == "'dict' must inherit from 'BaseSerializer'."


def test_base_serializer_must_be_subclassed():
    with pytest.raises(NotImplementedError):
        BaseSerializer(1).serialize()


# Exercise 08.5: DeconstructableSerializer.serialize_deconstructed, called directly.


@pytest.mark.exercise("08.5")
def test_a_class_of_models_is_written_through_the_models_import():
    assert DeconstructableSerializer.serialize_deconstructed(
        "tinyframe.db.models.CharField", [], {"max_length": 200}
    ) == ("models.CharField(max_length=200)", {"from tinyframe.db import models"})


@pytest.mark.exercise("08.5")
def test_a_call_without_arguments_keeps_its_parentheses():
    assert DeconstructableSerializer.serialize_deconstructed("tinyframe.db.models.TextField", (), {}) == (
        "models.TextField()", {"from tinyframe.db import models"},
    )


@pytest.mark.exercise("08.5")
def test_another_class_is_written_by_its_dotted_path_and_imports_its_module():
    assert DeconstructableSerializer.serialize_deconstructed(
        "blog.fields.ColourField", ["red"], {}
    ) == ("blog.fields.ColourField('red')", {"import blog.fields"})


@pytest.mark.exercise("08.5")
def test_positional_arguments_come_first_then_keywords_sorted_by_name():
    source, _ = DeconstructableSerializer.serialize_deconstructed(
        "tinyframe.db.models.DecimalField", ["Price", 2], {"max_digits": 5, "decimal_places": 2, "blank": True}
    )
    assert source == "models.DecimalField('Price', 2, blank=True, decimal_places=2, max_digits=5)"


@pytest.mark.exercise("08.5")
def test_the_arguments_imports_join_the_calls():
    source, imports = DeconstructableSerializer.serialize_deconstructed(
        "tinyframe.db.models.DateField",
        [],
        {"default": datetime.date(2026, 1, 5), "validators": [module_default]},
    )
    assert source == f"models.DateField(default=datetime.date(2026, 1, 5), validators=[{__name__}.module_default])"
    assert imports == {"from tinyframe.db import models", "import datetime", f"import {__name__}"}


@pytest.mark.exercise("08.5")
def test_an_argument_that_cannot_be_written_is_the_serializers_error():
    with pytest.raises(ValueError) as caught:
        DeconstructableSerializer.serialize_deconstructed("tinyframe.db.models.IntegerField", [], {"default": object()})
    assert str(caught.value).startswith("Cannot serialize: <object object at")


@pytest.mark.exercise("08.5")
def test_a_deconstructable_value_is_written_through_serialize_deconstructed():
    class Point:
        def deconstruct(self):
            return "geo.Point", (1, 2), {"srid": 4326}

    assert serialized(Point()) == ("geo.Point(1, 2, srid=4326)", {"import geo"})
