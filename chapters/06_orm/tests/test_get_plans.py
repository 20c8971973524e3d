"""get() by plan (get_plans.py): the planned path and the general one give the same answer, SQL and error.

Each case runs ``get()`` twice on the same data: once as it is (a plain
shape runs its plan) and once with plans turned off (every call takes the
general path: filter, WhereNode, compiler). The outcomes must be equal: the
same instance (its class, values, ``_state``) or the same exception (class
and message), and the same statements sent.
"""

import datetime
import decimal
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinyframe.db import connection, models
from tinyframe.db.models import Count, F, Q, Value
from tinyframe.db.models import get_plans, queryset_methods
from tinyframe.db.models.lookups import Exact
from tinyframe.db.models.signals import post_init, pre_init
from tinyframe.test.utils import CaptureQueriesContext


class GpBook(models.Model):
    title = models.CharField(max_length=50)
    pages = models.IntegerField(null=True)
    rating = models.FloatField(default=0.0)
    published = models.DateField(null=True)
    code = models.UUIDField(null=True)
    price = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    done = models.BooleanField(default=False)
    seen = models.DateTimeField(null=True)

    class Meta:
        app_label = "get_plans_tests"
        ordering = ["-pages"]


class GpCustom(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "get_plans_tests"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.made_by_from_db = True
        return instance


class Size(models.IntegerChoices):
    SMALL = 100
    BIG = 900


class Title(str):
    """A str subclass: not a plain type, so the general path takes it."""


CODE = uuid.UUID("12345678-1234-5678-1234-567812345678")
SEEN = datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.timezone.utc)


@pytest.fixture
def books(tables):
    tables(GpBook, GpCustom)
    made = [
        GpBook.objects.create(title="Dune", pages=100, rating=4.5, published=datetime.date(1965, 8, 1), code=CODE,
                              price=decimal.Decimal("9.50"), done=True, seen=SEEN),
        GpBook.objects.create(title="Emma", pages=900, rating=3.0),
        GpBook.objects.create(title="Emma", pages=None, rating=2.0),
        GpBook.objects.create(title="Mort", pages=250, rating=4.0),
    ]  # fmt: skip
    GpCustom.objects.create(name="x")
    return made


def outcome(call):
    """What ``call()`` gives, comparable: the instance's class, values and state, or the exception's class and message."""
    with CaptureQueriesContext(connection) as queries:
        try:
            found = call()
        except NotImplementedError:
            raise  # an exercise not written yet: the test waits for it, there is nothing to compare
        except Exception as error:  # noqa: BLE001 - every error must be the same one
            result = ("error", type(error), str(error))
        else:
            values = {name: value for name, value in vars(found).items() if name != "_state"}
            result = ("found", type(found), values, found._state.db, found._state.adding)
    return result, [query["sql"] for query in queries.captured_queries]


def both(call, monkeypatch):
    """``call()``'s outcome by plan (as the code runs) and by the general path (plans off)."""
    planned = outcome(call)
    with monkeypatch.context() as patch:
        patch.setattr(queryset_methods, "get_plan", lambda queryset, kwargs: None)
        general = outcome(call)
    return planned, general


PLAIN = [
    lambda: GpBook.objects.get(pk=1),
    lambda: GpBook.objects.get(id=4),
    lambda: GpBook.objects.get(pk=99),
    lambda: GpBook.objects.get(pk="3"),
    lambda: GpBook.objects.get(pk="three"),
    lambda: GpBook.objects.get(pk=1.0),
    lambda: GpBook.objects.get(pk=True),
    lambda: GpBook.objects.get(title="Dune"),
    lambda: GpBook.objects.get(title="Emma"),
    lambda: GpBook.objects.get(title="Nobody"),
    lambda: GpBook.objects.get(title="Emma", pages=900),
    lambda: GpBook.objects.get(pages__gte=800),
    lambda: GpBook.objects.get(pages__gt=0),
    lambda: GpBook.objects.get(pages__lt=200, rating__lte=4.5),
    lambda: GpBook.objects.get(rating__gt=4.4),
    lambda: GpBook.objects.get(published=datetime.date(1965, 8, 1)),
    lambda: GpBook.objects.get(published="1965-08-01"),
    lambda: GpBook.objects.get(published="not a date"),
    lambda: GpBook.objects.get(code=CODE),
    lambda: GpBook.objects.get(code=str(CODE)),
    lambda: GpBook.objects.get(code="not a uuid"),
    lambda: GpBook.objects.get(price=decimal.Decimal("9.5")),
    lambda: GpBook.objects.get(price="9.50"),
    lambda: GpBook.objects.get(done=True),
    lambda: GpBook.objects.get(seen=SEEN),
    lambda: GpBook.objects.get(title__exact="Mort"),
    lambda: GpBook.objects.order_by("title").get(title="Mort"),
    lambda: GpBook.objects.only("title").get(pk=1),
    lambda: GpBook.objects.defer("rating", "code").get(pk=1),
    lambda: GpBook.objects.all().get(pk=4),
    lambda: GpCustom.objects.get(pk=1),
]

GENERAL = [
    lambda: GpBook.objects.get(pk=None),
    lambda: GpBook.objects.get(pages=None),
    lambda: GpBook.objects.get(pages__gt=None),
    lambda: GpBook.objects.get(pages=F("pages"), title="Mort"),
    lambda: GpBook.objects.get(pages=Value(250)),
    lambda: GpBook.objects.get(Q(pk=1)),
    lambda: GpBook.objects.get(Q(pk=1) | Q(pk=2), title="Dune"),
    lambda: GpBook.objects.get(pk=GpBook.objects.get(pk=1)),
    lambda: GpBook.objects.get(pk__in=[1, 2]),
    lambda: GpBook.objects.get(pk__in=GpBook.objects.filter(title="Mort")),
    lambda: GpBook.objects.get(pages=Size.SMALL),
    lambda: GpBook.objects.get(title=Title("Dune")),
    lambda: GpBook.objects.get(title__icontains="dun"),
    lambda: GpBook.objects.get(published__year=1965),
    lambda: GpBook.objects.get(pages__isnull=True),
    lambda: GpBook.objects.get(nope=1),
    lambda: GpBook.objects.get(pages__nope=1),
    lambda: GpBook.objects.exclude(title="Emma").get(pages__gt=200),
    lambda: GpBook.objects.filter(title="Emma").get(pages=900),
    lambda: GpBook.objects.none().get(pk=1),
    lambda: GpBook.objects.distinct().get(pk=1),
    lambda: GpBook.objects.annotate(n=Count("id")).get(pk=1),
    lambda: GpBook.objects.all()[:2].get(pk=1),
    lambda: GpBook.objects.union(GpBook.objects.all()).get(pk=1),
    lambda: GpBook.objects.get(),
]


@pytest.mark.parametrize("case", range(len(PLAIN)))
def test_a_plain_shape_runs_its_plan_with_the_general_paths_answer(books, monkeypatch, case):
    call = PLAIN[case]
    planned, general = both(call, monkeypatch)
    assert planned == general
    assert planned == both(call, monkeypatch)[0]  # the second call of the shape too


@pytest.mark.parametrize("case", range(len(GENERAL)))
def test_anything_else_takes_the_general_path_with_the_same_answer(books, monkeypatch, case):
    planned, general = both(GENERAL[case], monkeypatch)
    assert planned == general


def test_which_calls_have_a_plan(books):
    plain = GpBook.objects.all()
    assert get_plans.get_plan(plain, {"pk": 1}) is not None
    assert get_plans.get_plan(plain, {"title": "Dune", "pages__gte": 3}) is not None
    assert get_plans.get_plan(plain, {"pk": None}) is None
    assert get_plans.get_plan(plain, {"pk": F("id")}) is None
    assert get_plans.get_plan(plain, {"title__icontains": "d"}) is None
    assert get_plans.get_plan(plain.filter(pk=1), {"pk": 1}) is None
    assert get_plans.get_plan(plain.values(), {"pk": 1}) is None
    assert get_plans.get_plan(plain.order_by("title"), {"pk": 1}) is None
    assert get_plans.get_plan(plain.only("title"), {"pk": 1}) is None
    assert get_plans.get_plan(plain.using("default"), {"pk": 1}) is not None


def test_a_queryset_makes_its_query_on_first_use(books):
    plain = GpBook.objects.all()
    assert plain._query is None, "a QuerySet nothing was asked of needs no Query yet"
    chained = plain.all()
    assert chained._query is None
    assert 'FROM "get_plans_tests_gpbook"' in str(plain.query)
    assert plain._query is not None
    assert plain.all().query is not plain.query, "a clone copies the Query once there is one"
    assert [book.title for book in chained] == ["Emma", "Mort", "Dune", "Emma"]
    assert get_plans.get_plan(plain, {"pk": 1}) is None, "a QuerySet whose Query is made is not taken as plain"


def test_a_plan_keeps_the_sql_of_its_shape_and_binds_each_call_s_values(books):
    plan = get_plans.get_plan(GpBook.objects.all(), {"title": "x", "pages__lt": 3})
    sql, params = GpBook.objects.filter(title="x", pages__lt=3).order_by()[:21].query.sql_with_params()
    assert plan.sql == sql
    assert plan.params({"title": "x", "pages__lt": 3}, connection) == params == [3, "x", 21]
    assert plan.params({"title": "Dune", "pages__lt": "7"}, connection) == [7, "Dune", 21]


def test_a_registered_lookup_is_seen_at_once(books, monkeypatch):
    class Never(Exact):
        """An ``exact`` that matches nothing: a plan made before it must not be used after."""

        operator = "= {rhs} AND 0 = 1"

    assert GpBook.objects.get(pages=250).title == "Mort"
    integer_exact = models.IntegerField.get_lookups()["exact"]  # the integers' own (field_lookups.py), put back after
    models.IntegerField.register_lookup(Never)
    try:
        planned, general = both(lambda: GpBook.objects.get(pages=250), monkeypatch)
        assert planned == general
        assert planned[0][0] == "error"
    finally:
        models.IntegerField.register_lookup(integer_exact)
    assert GpBook.objects.get(pages=250).title == "Mort"


def test_init_signals_are_sent_by_both_paths(books, monkeypatch):
    seen = []

    def before(sender, args, **kwargs):
        seen.append(("pre", args))

    def after(sender, instance, **kwargs):
        seen.append(("post", instance.title))

    pre_init.connect(before, sender=GpBook)
    post_init.connect(after, sender=GpBook)
    try:
        planned, general = both(lambda: GpBook.objects.get(pk=4), monkeypatch)
        assert planned == general
        assert seen[: len(seen) // 2] == seen[len(seen) // 2 :] and ("post", "Mort") in seen
    finally:
        pre_init.disconnect(before, sender=GpBook)
        post_init.disconnect(after, sender=GpBook)


def test_from_db_still_builds_each_instance(books):
    assert GpCustom.objects.get(pk=1).made_by_from_db is True


NAMES = ["pk", "title", "pages", "pages__gt", "pages__gte", "pages__lt", "pages__lte", "rating__gt", "done"]
VALUES = st.one_of(
    st.integers(-5, 1000), st.sampled_from(["Dune", "Emma", "Mort", "3", "x"]), st.floats(-1, 1000, allow_nan=False),
    st.booleans(), st.none(),
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(NAMES), VALUES, min_size=1, max_size=3))
def test_any_simple_get_gives_the_general_answer(tables_made, kwargs):
    with pytest.MonkeyPatch.context() as monkeypatch:
        planned, general = both(lambda: GpBook.objects.get(**kwargs), monkeypatch)
    assert planned == general


@pytest.fixture(scope="module")
def tables_made():
    """The books, once for the whole property (hypothesis runs every example inside one test call)."""
    with connection.schema_editor() as editor:
        editor.create_model(GpBook)
    for title, pages, rating, done in [("Dune", 100, 4.5, True), ("Emma", 900, 3.0, False), ("Emma", None, 2.0, False)]:
        GpBook.objects.create(title=title, pages=pages, rating=rating, done=done)
    yield
    with connection.schema_editor() as editor:
        editor.delete_model(GpBook)
