"""union(), intersection(), difference(): the rows, the columns, the order and Django's messages.

Each expected result is what Django 5.2 gives for the same models and rows.
"""

import datetime
import decimal
import uuid

import pytest

from tinyframe.db import models


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
