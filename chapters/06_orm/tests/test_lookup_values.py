"""Values a lookup must read as Django does: floats and huge numbers on integers, UUID text, JSON's null.

Each expectation is Django 5.2's answer on SQLite to the same filter on the
same rows (checked side by side): the rows found, the value computed, or the
exception and its message.
"""

import datetime
import uuid

import pytest

from tinyframe.db import connection, models
from tinyframe.db.models import Avg, Case, Count, F, Max, Min, Q, Sum, Value, When
from tinyframe.db.models import get_plans
from tinyframe.db.models.functions import Lower

APP = "lookup_values_tests"


class LvNumber(models.Model):
    num = models.IntegerField(null=True)
    count = models.PositiveIntegerField(null=True)

    class Meta:
        app_label = APP


class LvCode(models.Model):
    code = models.UUIDField(null=True)
    text = models.CharField(max_length=40, default="")

    class Meta:
        app_label = APP


class LvTask(models.Model):
    name = models.CharField(max_length=20, default="")
    took = models.DurationField(null=True)

    class Meta:
        app_label = APP


class LvDoc(models.Model):
    data = models.JSONField(null=True)

    class Meta:
        app_label = APP


@pytest.fixture
def numbers(tables):
    """Rows with num 1, 2, 3 and one with NULL (count the same)."""
    tables(LvNumber)
    for number in (1, 2, 3, None):
        LvNumber.objects.create(num=number, count=number)


def nums(queryset) -> list:
    return sorted(queryset.values_list("num", flat=True), key=lambda number: (number is None, number))


# --- integers and floats --------------------------------------------------------------------------

FLOAT_CASES = [
    # lt and gte round a float up (n < 1.5 is n < 2); gt, lte and exact truncate it, as int() does.
    ({"num__lt": 1.5}, [1]),
    ({"num__gte": 1.5}, [2, 3]),
    ({"num__lt": 2.9999}, [1, 2]),
    ({"num__gte": 2.9999}, [3]),
    ({"num__gt": 1.5}, [2, 3]),
    ({"num__lte": 1.5}, [1]),
    ({"num": 1.5}, [1]),
    ({"num__lt": -0.5}, []),
    ({"num__gte": -0.5}, [1, 2, 3]),
    ({"num__lt": 2.0}, [1]),
    ({"num__gte": 2.0}, [2, 3]),
    ({"pk__lt": 1.5}, [1]),
    ({"pk__gte": 3.5}, [None]),
]


@pytest.mark.parametrize("filters, expected", FLOAT_CASES)
def test_a_float_compared_with_an_integer_column(numbers, filters, expected):
    found = nums(LvNumber.objects.filter(**filters))
    assert found == expected, f"filter({filters}) found {found}, Django finds {expected}"


def test_get_by_plan_rounds_a_float_as_the_filter_does(numbers):
    assert LvNumber.objects.get(num__lt=1.5).num == 1
    assert LvNumber.objects.get(num__gte=2.5).num == 3
    assert LvNumber.objects.get(num__lt=1.5).num == 1  # the second call runs the kept plan
    assert get_plans._plans[(LvNumber, ("num__lt",))] is not None


# --- integers beyond 64 bits ----------------------------------------------------------------------

HUGE = 2**64
ALL = [1, 2, 3, None]  # a condition that matches every row is dropped, so the NULL row is in too

OVERFLOW_CASES = [
    ({"num": HUGE}, []),
    ({"num": -HUGE}, []),
    ({"num": 2**63}, []),
    ({"num__lt": 2**70}, ALL),
    ({"num__lte": HUGE}, ALL),
    ({"num__gt": HUGE}, []),
    ({"num__gte": HUGE}, []),
    ({"num__gt": -HUGE}, ALL),
    ({"num__gte": -HUGE}, ALL),
    ({"num__lt": -HUGE}, []),
    ({"num__lte": -HUGE}, []),
    ({"num": 1e30}, []),
    ({"num__lt": 1e30}, ALL),
    ({"num": "99999999999999999999"}, []),
    ({"pk": 10**20}, []),
    # The positive fields' range starts at 0, as Django's does on SQLite.
    ({"count__gt": -1}, ALL),
    ({"count__lt": -1}, []),
    ({"count": -1}, []),
]


@pytest.mark.parametrize("filters, expected", OVERFLOW_CASES)
def test_an_integer_beyond_64_bits_matches_all_or_nothing(numbers, filters, expected):
    found = nums(LvNumber.objects.filter(**filters))
    assert found == expected, f"filter({filters}) found {found}, Django finds {expected}"


def test_an_integer_beyond_64_bits_in_exclude_and_or(numbers):
    assert nums(LvNumber.objects.exclude(num=HUGE)) == ALL
    assert nums(LvNumber.objects.exclude(num__lt=2**70)) == [None]  # NOT (num IS NOT NULL)
    assert nums(LvNumber.objects.exclude(num__gt=2**70)) == ALL
    assert nums(LvNumber.objects.filter(Q(num__gt=2**70) | Q(num=1))) == [1]
    assert nums(LvNumber.objects.filter(Q(num__lt=2**70) | Q(num=1))) == ALL
    assert nums(LvNumber.objects.filter(Q(num__lt=2**70) & Q(num=1))) == [1]
    assert LvNumber.objects.filter(num__gt=2**70).count() == 0
    assert LvNumber.objects.filter(num__lt=2**70).exists() is True
    assert LvNumber.objects.filter(num__gt=2**70).update(count=5) == 0


@pytest.mark.parametrize(
    "condition, when, counted",
    [
        (Q(num__lt=2**70), ["y", "y", "y", "y"], 4),  # true for every row, NULL's too
        (Q(num__gt=2**70), ["n", "n", "n", "n"], 0),  # true for none
        (Q(pk__in=[]), ["n", "n", "n", "n"], 0),
    ],
)
def test_a_condition_true_for_all_or_no_rows_in_case_and_in_an_aggregate_filter(numbers, condition, when, counted):
    case = Case(When(condition, then=Value("y")), default=Value("n"))
    assert list(LvNumber.objects.order_by("pk").annotate(x=case).values_list("x", flat=True)) == when
    totals = LvNumber.objects.aggregate(all=Count("pk"), some=Count("pk", filter=condition), total=Sum("num", filter=condition))
    assert totals == {"all": 4, "some": counted, "total": 6 if counted else None}


def test_get_by_a_key_beyond_64_bits_is_does_not_exist(numbers):
    for key in (2**64, 10**20, -(2**64)):
        with pytest.raises(LvNumber.DoesNotExist) as caught:
            LvNumber.objects.get(pk=key)
        assert str(caught.value) == "LvNumber matching query does not exist."


def test_get_plan_survives_a_key_beyond_64_bits(numbers):
    # First call of the shape with a huge key: answered without the plan, and the shape keeps one.
    with pytest.raises(LvNumber.DoesNotExist):
        LvNumber.objects.get(num=2**64)
    assert LvNumber.objects.get(num=2).num == 2
    assert get_plans._plans[(LvNumber, ("num",))] is not None
    # A plan in place, then a huge key: sqlite3 refuses it, the general path answers.
    with pytest.raises(LvNumber.DoesNotExist):
        LvNumber.objects.get(num=2**64)
    assert LvNumber.objects.get(num__lte=2**64, num__gte=3).num == 3


def test_in_with_an_integer_beyond_64_bits_fails_as_in_django(numbers):
    # Django checks the range for exact and the comparisons only: sqlite3's error comes through.
    with pytest.raises(OverflowError, match="Python int too large to convert to SQLite INTEGER"):
        list(LvNumber.objects.filter(num__in=[1, 2**64]))


# --- UUIDs searched as text -----------------------------------------------------------------------

FIRST = uuid.UUID("12345678-1234-5678-1234-567812345678")
SECOND = uuid.UUID(int=0x1234ABCD)  # 00000000-0000-0000-0000-00001234abcd


@pytest.fixture
def codes(tables):
    tables(LvCode)
    return {
        "first": LvCode.objects.create(code=FIRST, text="5678-1234-5678"),
        "second": LvCode.objects.create(code=SECOND, text="abcd"),
        "none": LvCode.objects.create(code=None, text="x"),
    }


UUID_CASES = [
    ({"code__startswith": "00000000-0000"}, ["second"]),
    ({"code__istartswith": "12345678-1234"}, ["first"]),
    ({"code__iexact": str(FIRST).upper()}, ["first"]),
    ({"code__iexact": FIRST}, ["first"]),
    ({"code__contains": FIRST}, ["first"]),
    ({"code__icontains": "-"}, ["first", "second"]),
    ({"code__contains": "5678-1234"}, ["first"]),
    ({"code__endswith": "-567812345678"}, ["first"]),
    ({"code__iendswith": "-00001234ABCD"}, ["second"]),
    ({"code__icontains": "ABCD"}, ["second"]),
    ({"code__contains": 1234}, ["first", "second"]),
    ({"code__contains": F("text")}, ["first", "second"]),
    ({"code__contains": "%"}, []),
]


@pytest.mark.parametrize("filters, expected", UUID_CASES)
def test_text_lookups_on_a_uuid_leave_the_dashes_out(codes, filters, expected):
    names = {row.pk: name for name, row in codes.items()}
    found = [names[pk] for pk in LvCode.objects.filter(**filters).order_by("pk").values_list("pk", flat=True)]
    assert found == expected, f"filter({filters}) found {found}, Django finds {expected}"


def test_exclude_a_uuid_text_lookup(codes):
    assert list(LvCode.objects.exclude(code__icontains="-").values_list("text", flat=True)) == ["x"]


# --- aggregates of durations ----------------------------------------------------------------------


@pytest.fixture
def tasks(tables):
    tables(LvTask)
    for name, seconds in [("a", 1.5), ("a", 3), ("b", 4.5)]:
        LvTask.objects.create(name=name, took=datetime.timedelta(seconds=seconds))


def test_avg_of_a_duration_is_a_timedelta(tasks):
    result = LvTask.objects.aggregate(mean=Avg("took"), total=Sum("took"), low=Min("took"), high=Max("took"))
    assert result == {
        "mean": datetime.timedelta(seconds=3),
        "total": datetime.timedelta(seconds=9),
        "low": datetime.timedelta(seconds=1.5),
        "high": datetime.timedelta(seconds=4.5),
    }


def test_avg_of_a_duration_per_group_and_over_no_rows(tasks):
    groups = LvTask.objects.values("name").annotate(mean=Avg("took")).order_by("name")
    assert [(group["name"], group["mean"]) for group in groups] == [
        ("a", datetime.timedelta(seconds=2.25)),
        ("b", datetime.timedelta(seconds=4.5)),
    ]
    nothing = LvTask.objects.filter(name="z")
    assert nothing.aggregate(mean=Avg("took")) == {"mean": None}
    assert nothing.aggregate(mean=Avg("took", default=datetime.timedelta(0))) == {"mean": datetime.timedelta(0)}


# --- JSON's null and SQL's NULL -------------------------------------------------------------------


def stored(model) -> list:
    """The raw column text of every row, in key order: None for SQL NULL, 'null' for JSON null."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "data" FROM "{model._meta.db_table}" ORDER BY "id"')
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def docs(tables):
    """Rows 1 to 4: SQL NULL, JSON null, {"a": 1}, the JSON string "null"."""
    tables(LvDoc)
    for data in (None, Value(None, models.JSONField()), {"a": 1}, "null"):
        LvDoc.objects.create(data=data)


def keys(queryset) -> list:
    return list(queryset.order_by("pk").values_list("pk", flat=True))


def test_none_saves_sql_null_and_value_none_saves_json_null(docs):
    assert stored(LvDoc) == [None, "null", '{"a": 1}', '"null"']
    assert list(LvDoc.objects.order_by("pk").values_list("data", flat=True)) == [None, None, {"a": 1}, "null"]


JSON_NULL_CASES = [
    ({"data": None}, [2]),
    ({"data__exact": None}, [2]),
    ({"data": Value(None, models.JSONField())}, [2]),
    ({"data__isnull": True}, [1]),
    ({"data__isnull": False}, [2, 3, 4]),
    ({"data__iexact": None}, [1]),
    ({"data": "null"}, [4]),
]


@pytest.mark.parametrize("filters, expected", JSON_NULL_CASES)
def test_json_null_and_sql_null_are_told_apart(docs, filters, expected):
    found = keys(LvDoc.objects.filter(**filters))
    assert found == expected, f"filter({filters}) found {found}, Django finds {expected}"


def test_json_null_in_exclude_and_or(docs):
    assert keys(LvDoc.objects.exclude(data=None)) == [3, 4]  # NOT (data = 'null'): the SQL NULL is left out too
    assert keys(LvDoc.objects.exclude(data__isnull=True)) == [2, 3, 4]
    assert keys(LvDoc.objects.filter(Q(data=None) | Q(pk=3))) == [2, 3]
    assert LvDoc.objects.get(data=None).pk == 2


def test_json_null_through_save_update_and_bulk(docs):
    third = LvDoc.objects.get(pk=3)
    third.data = None
    third.save()
    LvDoc.objects.filter(pk=4).update(data=Value(None, models.JSONField()))
    LvDoc.objects.filter(pk=2).update(data=None)
    LvDoc.objects.bulk_create([LvDoc(data=None), LvDoc(data=Value(None, models.JSONField()))])
    assert stored(LvDoc) == [None, None, None, "null", None, "null"]
    first = LvDoc.objects.get(pk=4)
    first.data = None
    assert LvDoc.objects.bulk_update([first], ["data"]) == 1
    assert stored(LvDoc)[3] is None


# --- expressions that read a column, in an INSERT -------------------------------------------------

F_INSERT_MESSAGE = " F() expressions can only be used to update, not to insert."


@pytest.mark.parametrize(
    "make, field",
    [
        (lambda: LvNumber.objects.create(num=F("num")), "num"),
        (lambda: LvNumber.objects.create(num=F("num") + 1), "num"),
        (lambda: LvNumber.objects.bulk_create([LvNumber(num=1), LvNumber(count=F("num"))]), "count"),
        (lambda: LvNumber(num=F("count")).save(), "num"),
        (lambda: LvNumber.objects.get_or_create(num=7, defaults={"count": F("num")}), "count"),
        (lambda: LvNumber.objects.create(num=Sum("num")), "num"),
        (lambda: LvTask.objects.create(name=Lower("name")), "name"),
    ],
)
def test_an_insert_refuses_an_expression_reading_a_column(tables, make, field):
    tables(LvNumber, LvTask)
    with pytest.raises(ValueError) as caught:
        make()
    message = str(caught.value)
    model = "LvTask" if field == "name" else "LvNumber"
    assert message.startswith('Failed to insert expression "'), message
    assert message.endswith(f'" on {APP}.{model}.{field}.{F_INSERT_MESSAGE}'), message
    assert LvNumber.objects.count() == 0


def test_an_insert_still_takes_an_expression_of_values(tables):
    tables(LvNumber)
    made = LvNumber.objects.create(num=Value(3) + 1)
    made.refresh_from_db()
    assert made.num == 4
