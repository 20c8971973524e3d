"""Hydration: rows become instances through a generated function that a learner can print."""

import datetime
import decimal
import uuid

import pytest

from tinyframe.db import models
from tinyframe.db.models import F
from tinyframe.db.models.query_utils import DeferredAttribute
from tinyframe.db.models.hydration import hydrator, local_name
from tinyframe.db.models.signals import post_init, pre_init

UTC = datetime.timezone.utc


class HyEvent(models.Model):
    name = models.CharField(max_length=50)
    starts = models.DateTimeField(null=True)
    day = models.DateField(null=True)
    at = models.TimeField(null=True)
    fee = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    code = models.UUIDField(null=True)
    extra = models.JSONField(null=True)
    open = models.BooleanField(default=True)
    length = models.DurationField(null=True)

    class Meta:
        app_label = "hydration_tests"


class HyOddNames(models.Model):
    rows = models.IntegerField(default=0)
    state = models.IntegerField(default=0)
    instance = models.IntegerField(default=0, db_column="inst")

    class Meta:
        app_label = "hydration_tests"



class HyClassMeta:
    app_label = "hydration_tests"


# A model whose class is called by a name the generated code uses for itself.
HyModelState = type("ModelState", (models.Model,), {
    "__module__": __name__, "Meta": HyClassMeta, "name": models.CharField(max_length=10),
})  # fmt: skip

class HyConverterClash(models.Model):
    price = models.DecimalField(max_digits=6, decimal_places=2)
    price_from_db = models.IntegerField(default=0)

    class Meta:
        app_label = "hydration_tests"


class HyCustom(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "hydration_tests"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.loaded_by = "from_db"
        return instance


EVENT = dict(
    name="launch",
    starts=datetime.datetime(2024, 2, 29, 13, 5, 30, 123456, tzinfo=UTC),
    day=datetime.date(2024, 2, 29),
    at=datetime.time(9, 30),
    fee=decimal.Decimal("12.50"),
    code=uuid.UUID("12345678123456781234567812345678"),
    extra={"tags": ["a", "b"], "n": 1},
    open=False,
    length=datetime.timedelta(hours=1, microseconds=5),
)


@pytest.mark.exercise("06.8")
def test_hydrator_source_is_printable_python():
    source = HyEvent.objects.only("name", "fee").query.hydrator_source
    assert source == (
        "def hydrate_hyevent(rows, db, connection):\n"
        "    '''HyEvent rows (id, name, fee) -> HyEvent instances.'''\n"
        "    instances = []\n"
        "    append = instances.append\n"
        "    for id, name, fee in rows:\n"
        "        state = new(ModelState)\n"
        "        state.db = db\n"
        "        state.adding = False\n"
        "        instance = new(HyEvent)\n"
        "        instance._state = state\n"
        "        instance.id = id\n"
        "        instance.name = name\n"
        "        instance.fee = fee_from_db(fee, None, connection)\n"
        "        append(instance)\n"
        "    return instances\n"
    )


@pytest.mark.exercise("06.8")
def test_hydrators_are_cached_per_model_and_columns():
    fields = HyEvent._meta.concrete_fields
    assert hydrator(HyEvent, fields) is hydrator(HyEvent, list(fields))
    assert hydrator(HyEvent, fields[:2]) is not hydrator(HyEvent, fields)


@pytest.mark.exercise("06.8")
def test_every_field_type_round_trips(tables):
    tables(HyEvent)
    HyEvent.objects.create(**EVENT)
    loaded = HyEvent.objects.get()
    for name, value in EVENT.items():
        assert getattr(loaded, name) == value, f"{name}: saved {value!r}, loaded {getattr(loaded, name)!r}"
    assert loaded._state.db == "default" and loaded._state.adding is False
    assert HyEvent.objects.values_list("fee", "code", "open").get() == (EVENT["fee"], EVENT["code"], False)
    empty = HyEvent.objects.create(name="empty", open=True)
    assert HyEvent.objects.filter(pk=empty.pk).values("starts", "fee", "extra").get() == {"starts": None, "fee": None, "extra": None}


@pytest.mark.exercise("06.8")
def test_field_names_that_clash_with_the_generated_code_get_other_locals(tables):
    tables(HyOddNames)
    HyOddNames.objects.create(rows=1, state=2, instance=3)
    loaded = HyOddNames.objects.get()
    assert (loaded.rows, loaded.state, loaded.instance) == (1, 2, 3)
    assert "for id, column_rows, column_state, column_instance in rows:" in HyOddNames.objects.all().query.hydrator_source
    assert local_name("class", set()) == "column_class"


@pytest.mark.exercise("06.8")
def test_a_model_class_may_have_a_name_the_generated_code_uses(tables):
    """A model called ModelState: the generated code calls its class by another name, not over the real ModelState."""
    tables(HyModelState)
    HyModelState.objects.create(name="x")
    loaded = HyModelState.objects.get()
    assert (type(loaded).__name__, loaded.name, loaded._state.adding) == ("ModelState", "x", False)
    assert "instance = new(column_ModelState)" in HyModelState.objects.all().query.hydrator_source

@pytest.mark.exercise("06.8")
def test_a_converters_name_never_clashes_with_a_columns_local(tables):
    """A column called price_from_db beside a converted column price: Django 5.2 loads both.

    Were the converter bound under ``price_from_db`` as a global, the column's local of the
    same name would hide it, and the row would fail with "'int' object is not callable".
    """
    tables(HyConverterClash)
    HyConverterClash.objects.create(price=decimal.Decimal("1.50"), price_from_db=7)
    loaded = HyConverterClash.objects.get()
    assert (loaded.price, loaded.price_from_db) == (decimal.Decimal("1.50"), 7)
    source = HyConverterClash.objects.all().query.hydrator_source
    assert "for id, price, price_from_db in rows:" in source
    assert "instance.price = column_price_from_db(price, None, connection)" in source
    assert local_name("column_class", {"column_class"}) == "column_column_class"
    assert local_name("class", {"column_class"}) == "column_class_2"


class CountingAttribute(DeferredAttribute):
    """A field attribute with a ``__set__`` (a data descriptor) that counts what goes through it."""

    sets = 0

    def __set__(self, instance, value):
        CountingAttribute.sets += 1
        instance.__dict__[self.field.attname] = value


class CountedField(models.IntegerField):
    descriptor_class = CountingAttribute

    def get_internal_type(self) -> str:
        return "IntegerField"


class HyCounted(models.Model):
    votes = CountedField(default=0)
    label = models.CharField(max_length=10, default="")

    class Meta:
        app_label = "hydration_tests"


@pytest.mark.exercise("06.8")
def test_a_value_a_data_descriptor_would_intercept_goes_into_dict(tables):
    """Loading a row is not assigning: a ``__set__`` of the class (a ForeignKey's ``author_id``) is not called."""
    tables(HyCounted)
    HyCounted.objects.create(votes=3, label="x")
    before = CountingAttribute.sets
    loaded = HyCounted.objects.get()
    assert (loaded.votes, loaded.label, CountingAttribute.sets) == (3, "x", before)
    source = HyCounted.objects.all().query.hydrator_source
    assert "instance.__dict__['votes'] = votes" in source and "instance.label = label" in source


def test_annotations_become_attributes(tables):
    tables(HyOddNames)
    HyOddNames.objects.create(rows=4)
    assert HyOddNames.objects.annotate(double=F("rows") * 2).get().double == 8


def test_init_signals_are_sent_only_when_someone_listens(tables):
    tables(HyEvent)
    HyEvent.objects.create(name="a")
    heard = []

    def on_pre_init(sender, args, kwargs, **extra):
        heard.append(("pre", args))

    def on_post_init(sender, instance, **extra):
        heard.append(("post", instance.name))

    pre_init.connect(on_pre_init, sender=HyEvent)
    post_init.connect(on_post_init, sender=HyEvent)
    try:
        list(HyEvent.objects.only("name"))
    finally:
        pre_init.disconnect(on_pre_init, sender=HyEvent)
        post_init.disconnect(on_post_init, sender=HyEvent)
    assert heard == [("pre", (1, "a")), ("post", "a")]
    heard.clear()
    list(HyEvent.objects.all())
    assert heard == []


def test_a_models_own_from_db_is_used(tables):
    tables(HyCustom)
    HyCustom.objects.create(name="x")
    assert HyCustom.objects.get().loaded_by == "from_db"


def test_instances_from_the_database_compare_equal_and_save_as_updates(tables):
    tables(HyEvent)
    made = HyEvent.objects.create(name="a")
    loaded = HyEvent.objects.get(pk=made.pk)
    assert loaded == made and hash(loaded) == hash(made)
    loaded.name = "b"
    loaded.save()
    assert HyEvent.objects.count() == 1 and HyEvent.objects.get().name == "b"


@pytest.mark.parametrize("deferred", [("starts",), ("fee", "extra")])
def test_deferred_fields_are_absent_then_loaded(tables, deferred):
    tables(HyEvent)
    HyEvent.objects.create(**EVENT)
    loaded = HyEvent.objects.defer(*deferred).get()
    assert not set(deferred) & set(loaded.__dict__)
    assert [getattr(loaded, name) for name in deferred] == [EVENT[name] for name in deferred]
