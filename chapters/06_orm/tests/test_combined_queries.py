"""union(), intersection(), difference(): the rows, the columns, the order and Django's messages.

Each expected result is what Django 5.2 gives for the same models and rows.
"""

import datetime
import decimal
import uuid

import pytest

from tinyframe.db import DatabaseError, NotSupportedError
from tinyframe.db import models
from tinyframe.db.models import F, Q


class CqNote(models.Model):
    n = models.IntegerField()
    title = models.CharField(max_length=20)
    day = models.DateField(null=True)
    moment = models.DateTimeField(null=True)
    hour = models.TimeField(null=True)
    price = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    data = models.JSONField(null=True)
    key = models.UUIDField(null=True)
    length = models.DurationField(null=True)

    class Meta:
        app_label = "combined_tests"


VALUES = {
    "day": datetime.date(2024, 1, 1),
    "moment": datetime.datetime(2024, 1, 1, 12, 30, tzinfo=datetime.timezone.utc),
    "hour": datetime.time(1, 2),
    "price": decimal.Decimal("1.50"),
    "data": {"a": [1, 2]},
    "key": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "length": datetime.timedelta(days=1, seconds=5),
}

# (n, title): two rows have n=2.
ROWS = [(1, "x"), (2, "y"), (3, "z"), (2, "w")]


@pytest.fixture
def notes(tables):
    tables(CqNote)
    for n, title in ROWS:
        CqNote.objects.create(n=n, title=title, **VALUES)


def ones_and_twos():
    return CqNote.objects.filter(n=1).union(CqNote.objects.filter(n=2))


# -- model rows: each value converted once ---------------------------------------------------------


@pytest.mark.parametrize(
    "combined",
    [
        lambda: ones_and_twos(),
        lambda: CqNote.objects.filter(n__lte=2).intersection(CqNote.objects.filter(n__gte=1)),
        lambda: CqNote.objects.filter(n__lte=2).difference(CqNote.objects.filter(n=3)),
        lambda: CqNote.objects.filter(n__lte=2).union(CqNote.objects.none()),
    ],
    ids=["union", "intersection", "difference", "union with none"],
)
def test_combined_model_rows_convert_each_value_once(notes, combined):
    notes = list(combined().order_by("title"))
    assert [note.title for note in notes] == ["w", "x", "y"]
    for note in notes:
        assert {name: getattr(note, name) for name in VALUES} == VALUES


@pytest.mark.parametrize("name", sorted(VALUES))
def test_combined_rows_of_only_some_fields_convert_them_once(notes, name):
    combined = CqNote.objects.only("n", name).union(CqNote.objects.only("n", name))
    assert [getattr(note, name) for note in combined.order_by("n")] == [VALUES[name]] * 4


def test_combined_model_rows_ordered_sliced_first_last_latest(notes):
    assert ones_and_twos().order_by("-title")[0].day == VALUES["day"]
    assert [note.title for note in ones_and_twos().order_by("title")[1:]] == ["x", "y"]
    assert ones_and_twos().order_by("title").first().title == "w"
    assert ones_and_twos().order_by("title").last().title == "y"
    assert ones_and_twos().first().title == "x"
    assert ones_and_twos().latest("title").price == VALUES["price"]
    assert sorted(ones_and_twos().in_bulk()) == [1, 2, 4]


# -- values() and values_list() after union() --------------------------------------------------


def test_values_after_union_select_those_columns_in_every_part(notes):
    combined = ones_and_twos().order_by("title")
    assert list(combined.values("title")) == [{"title": "w"}, {"title": "x"}, {"title": "y"}]
    assert list(combined.values_list("title", flat=True)) == ["w", "x", "y"]
    assert list(combined.values_list("n", "title")) == [(2, "w"), (1, "x"), (2, "y")]
    assert [tuple(row) for row in combined.values_list("title", "n", named=True)] == [("w", 2), ("x", 1), ("y", 2)]
    assert list(combined.values_list("day", flat=True))[:1] == [VALUES["day"]]
    assert list(ones_and_twos().values("title").order_by("title")[1:]) == [{"title": "x"}, {"title": "y"}]


def test_values_after_union_ordered_by_a_field_they_do_not_select(notes):
    combined = ones_and_twos()
    assert list(combined.order_by("n").values("title"))[0] == {"title": "x"}
    assert list(combined.values("title").order_by("-n", "title")) == [{"title": "w"}, {"title": "y"}, {"title": "x"}]
    assert list(combined.values_list("title", flat=True).order_by("-pk")) == ["w", "y", "x"]
    assert list(combined.values_list("title", flat=True).order_by(F("n").desc(), "-title")) == ["y", "w", "x"]
    assert list(combined.values("title").order_by("n", "title").reverse()) == [{"title": "y"}, {"title": "w"}, {"title": "x"}]
    assert combined.values("title").first() == {"title": "x"}, "first() orders by pk, which is not selected"
    assert combined.values("title").order_by("-n", "title").last() == {"title": "x"}
    assert list(combined.values("title").order_by("-n", "title")[1:2]) == [{"title": "y"}]
    assert combined.values("title").order_by("n").exists() is True
    assert combined.values("title").order_by("n").count() == 3


def test_values_list_rows_leave_out_a_column_added_only_to_order_them(notes):
    # Django 5.2 hands these tuples out with the order column at the end, (2, "w", 4):
    # a column nobody asked for. tinyframe keeps the rows to the names asked for.
    assert list(ones_and_twos().values_list("n", "title").order_by("-pk")) == [(2, "w"), (2, "y"), (1, "x")]
    # A first part's distinct() stays on the whole union; there Django 5.2 leaves the column out too.
    distinct_first = CqNote.objects.distinct().filter(n=1).union(CqNote.objects.filter(n=2))
    assert list(distinct_first.values_list("title", "n").order_by("-pk")) == [("w", 2), ("y", 2), ("x", 1)]


def test_values_of_the_first_part_apply_to_a_part_without_its_own(notes):
    combined = CqNote.objects.filter(n=1).values("title").union(CqNote.objects.filter(n=2))
    assert list(combined.order_by("title")) == [{"title": "w"}, {"title": "x"}, {"title": "y"}]


def test_values_after_a_union_of_values_keep_the_parts_columns(notes):
    parts = CqNote.objects.filter(n=1).values("title", "n").union(CqNote.objects.filter(n=2).values("title", "n"))
    assert list(parts.values("title").order_by("title")) == [{"title": "w"}, {"title": "x"}, {"title": "y"}]
    assert list(parts.order_by("-n", "title")) == [
        {"title": "w", "n": 2}, {"title": "y", "n": 2}, {"title": "x", "n": 1},
    ]  # fmt: skip
    # The parts chose their columns: one more, to order by, cannot be added to them.
    with pytest.raises(DatabaseError, match=r"^ORDER BY term does not match any column in the result set\.$"):
        list(parts.order_by("pk"))
    with pytest.raises(DatabaseError, match=r"^ORDER BY term does not match any column in the result set\.$"):
        list(parts.values("day").order_by("title"))


def test_model_rows_of_a_union_order_only_by_their_columns(notes):
    # Django 5.2 fails here too, with a TypeError from deep inside its compiler; tinyframe
    # says what a values() union says when its parts cannot take one more column.
    assert [note.title for note in ones_and_twos().order_by(F("title").desc())] == ["y", "x", "w"]
    with pytest.raises(DatabaseError, match=r"^ORDER BY term does not match any column in the result set\.$"):
        list(ones_and_twos().order_by((F("n") * -1).asc()))


# -- empty parts -------------------------------------------------------------------------------------


def test_difference_with_an_empty_queryset_keeps_every_row(notes):
    everything = CqNote.objects.all()
    assert sorted(note.title for note in everything.difference(CqNote.objects.none())) == ["w", "x", "y", "z"]
    assert everything.difference(CqNote.objects.none()).count() == 4
    assert everything.difference(CqNote.objects.none()).exists() is True
    assert sorted(everything.values_list("n", flat=True).difference(CqNote.objects.none())) == [1, 2, 2, 3]
    without_ones = everything.difference(CqNote.objects.none(), CqNote.objects.filter(n=1))
    assert sorted(note.title for note in without_ones) == ["w", "y", "z"]
    nothing_taken = everything.difference(CqNote.objects.filter(pk__in=[]))
    assert list(nothing_taken.values_list("title", flat=True).order_by("title")) == ["w", "x", "y", "z"]


def test_an_empty_part_first_or_in_an_intersection_leaves_no_rows(notes):
    assert list(CqNote.objects.none().difference(CqNote.objects.all())) == []
    assert list(CqNote.objects.filter(pk__in=[]).difference(CqNote.objects.all())) == []
    assert list(CqNote.objects.all().intersection(CqNote.objects.none())) == []
    assert list(CqNote.objects.all().intersection(CqNote.objects.filter(pk__in=[]))) == []


def test_a_union_leaves_out_a_part_that_matches_nothing(notes):
    first_empty = CqNote.objects.filter(pk__in=[]).union(CqNote.objects.filter(n=1))
    assert [note.title for note in first_empty] == ["x"]
    assert ones_and_twos().union(CqNote.objects.none()).count() == 3
    assert list(CqNote.objects.none().union(CqNote.objects.none())) == []


# -- Django's messages -------------------------------------------------------------------------------


def test_a_sliced_or_ordered_part_is_djangos_database_error(notes):
    with pytest.raises(DatabaseError, match=r"^LIMIT/OFFSET not allowed in subqueries of compound statements\.$"):
        list(CqNote.objects.filter(n=1).union(CqNote.objects.all()[:1]))
    with pytest.raises(DatabaseError, match=r"^LIMIT/OFFSET not allowed in subqueries of compound statements\.$"):
        list(CqNote.objects.filter(n=1).union(CqNote.objects.all()[:0]))
    with pytest.raises(DatabaseError, match=r"^ORDER BY not allowed in subqueries of compound statements\.$"):
        list(CqNote.objects.filter(n=1).union(CqNote.objects.order_by("n")))


def test_contains_after_union_is_not_supported(notes):
    note = CqNote.objects.get(title="x")
    with pytest.raises(NotSupportedError, match=r"^Calling QuerySet\.contains\(\) after union\(\) is not supported\.$"):
        ones_and_twos().contains(note)


@pytest.mark.parametrize(
    "queryset",
    [
        lambda: CqNote.objects.values("n"),
        lambda: CqNote.objects.values_list("n", flat=True),
        lambda: CqNote.objects.none().values("n"),
        lambda: ones_and_twos().values("title"),
    ],
    ids=["values", "values_list", "none values", "union values"],
)
def test_in_bulk_after_values_is_djangos_type_error(notes, queryset):
    for call in (lambda: queryset().in_bulk([1]), lambda: queryset().in_bulk(), lambda: queryset().in_bulk([])):
        with pytest.raises(TypeError, match=r"^in_bulk\(\) cannot be used with values\(\) or values_list\(\)\.$"):
            call()


def test_a_selected_condition_no_row_meets_leaves_an_ordered_union_its_rows(notes):
    """A column ``Q(pk__in=[])`` is False on every row, as in Django 5.2, also where ORDER BY looks for it."""
    parts = [CqNote.objects.filter(n=n).annotate(x=Q(pk__in=[])).values("title", "x") for n in (1, 2, 3)]
    combined = parts[0].union(*parts[1:])
    assert [row["title"] for row in combined.order_by("title")] == ["w", "x", "y", "z"]
    assert [row["x"] for row in combined.order_by("x", "title")] == [False] * 4
