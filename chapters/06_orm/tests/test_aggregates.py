"""Aggregates: aggregate() over all rows, annotate() per row or per group, distinct= and filter=."""

import decimal

import pytest

from tinyframe.core.exceptions import FieldError
from tinyframe.db import models
from tinyframe.db.models import Avg, Count, F, Max, Min, Q, Sum


class AgSale(models.Model):
    shop = models.CharField(max_length=20)
    item = models.CharField(max_length=20)
    amount = models.IntegerField()
    price = models.DecimalField(max_digits=8, decimal_places=2, null=True)

    class Meta:
        app_label = "aggregate_tests"


SALES = [
    ("north", "tea", 3, "2.50"),
    ("north", "tea", 1, "2.50"),
    ("north", "cake", 2, None),
    ("south", "tea", 5, "3.00"),
    ("east", "cake", 4, "4.25"),
]


@pytest.fixture
def sales(tables):
    tables(AgSale)
    AgSale.objects.bulk_create(
        [AgSale(shop=shop, item=item, amount=amount, price=price and decimal.Decimal(price)) for shop, item, amount, price in SALES]
    )


def test_aggregate_over_every_row(sales):
    assert AgSale.objects.aggregate(Count("id"), Sum("amount"), Min("amount"), Max("amount"), mean=Avg("amount")) == {
        "id__count": 5, "amount__sum": 15, "amount__min": 1, "amount__max": 5, "mean": 3.0,
    }  # fmt: skip
    assert AgSale.objects.aggregate(n=Count("*"))["n"] == 5
    assert AgSale.objects.aggregate(n=Count("price"))["n"] == 4, "Count of a column skips NULLs"
    assert AgSale.objects.aggregate(n=Count("shop", distinct=True))["n"] == 3
    assert AgSale.objects.aggregate(n=Sum("amount", distinct=True))["n"] == 15


def test_aggregate_with_filter_clause(sales):
    result = AgSale.objects.aggregate(tea=Count("id", filter=Q(item="tea")), cakes=Sum("amount", filter=Q(item="cake")))
    assert result == {"tea": 3, "cakes": 6}


def test_aggregate_of_nothing_is_zero_for_count_none_otherwise(sales):
    assert AgSale.objects.filter(shop="west").aggregate(Count("id"), Sum("amount")) == {"id__count": 0, "amount__sum": None}
    assert AgSale.objects.none().aggregate(n=Count("id"), s=Sum("amount")) == {"n": 0, "s": None}
    assert AgSale.objects.filter(shop="west").aggregate(s=Sum("amount", default=0)) == {"s": 0}
    # A filter no row can pass gives the default too, as Django 5.2 does: in aggregate() and annotate().
    assert AgSale.objects.filter(pk__in=[]).aggregate(s=Sum("amount", default=5)) == {"s": 5}
    assert AgSale.objects.aggregate(s=Sum("amount", filter=Q(pk__in=[]), default=5)) == {"s": 5}
    totals = AgSale.objects.annotate(s=Sum("amount", filter=Q(pk__in=[]), default=5)).values_list("s", flat=True)
    assert set(totals) == {5}


def test_aggregate_keeps_the_fields_type(sales):
    assert AgSale.objects.aggregate(top=Max("price"))["top"] == decimal.Decimal("4.25")
    assert AgSale.objects.aggregate(low=Min("price"))["low"] == decimal.Decimal("2.50")


def test_aggregate_over_a_slice_or_distinct_uses_a_subquery(sales):
    assert AgSale.objects.order_by("-amount")[:2].aggregate(s=Sum("amount"))["s"] == 9
    assert AgSale.objects.values("shop").distinct().count() == 3
    assert AgSale.objects.order_by("amount")[1:3].count() == 2


def test_annotate_per_row_groups_by_the_row(sales):
    rows = AgSale.objects.annotate(n=Count("id")).order_by("pk")
    assert [sale.n for sale in rows] == [1, 1, 1, 1, 1]


def test_values_then_annotate_groups(sales):
    per_shop = AgSale.objects.values("shop").annotate(total=Sum("amount"), sales=Count("id")).order_by("shop")
    assert list(per_shop) == [
        {"shop": "east", "total": 4, "sales": 1},
        {"shop": "north", "total": 6, "sales": 3},
        {"shop": "south", "total": 5, "sales": 1},
    ]
    per_item = dict(AgSale.objects.values("item").annotate(n=Count("id")).values_list("item", "n"))
    assert per_item == {"cake": 2, "tea": 3}


def test_filter_on_an_aggregate_is_having(sales):
    busy = AgSale.objects.values("shop").annotate(total=Sum("amount")).filter(total__gte=5).order_by("shop")
    assert [row["shop"] for row in busy] == ["north", "south"]
    assert "HAVING" in str(busy.query)
    assert busy.count() == 2


def test_aggregate_over_annotations(sales):
    per_shop = AgSale.objects.values("shop").annotate(total=Sum("amount"))
    assert per_shop.aggregate(best=Max("total")) == {"best": 6}
    assert AgSale.objects.annotate(double=F("amount") * 2).aggregate(s=Sum("double")) == {"s": 30}


def test_aggregate_errors_are_djangos(sales):
    with pytest.raises(TypeError, match="^Complex aggregates require an alias$"):
        AgSale.objects.aggregate(Sum(F("amount") * 2))
    with pytest.raises(TypeError, match="^Max does not allow distinct.$"):
        Max("amount", distinct=True)
    with pytest.raises(TypeError, match="is not an aggregate expression"):
        AgSale.objects.aggregate(x=F("amount"))
    with pytest.raises(FieldError, match="Cannot compute Sum\\('n'\\): 'n' is an aggregate"):
        AgSale.objects.annotate(n=Count("id")).annotate(s=Sum("n"))


class AgOrdered(models.Model):
    shop = models.CharField(max_length=20)

    class Meta:
        app_label = "aggregate_tests"
        ordering = ["-shop"]


def test_meta_ordering_does_not_apply_to_grouped_queries(tables):
    tables(AgOrdered)
    grouped = AgOrdered.objects.values("shop").annotate(n=Count("id"))
    assert "ORDER BY" not in str(grouped.query) and not grouped.ordered
    assert "ORDER BY" in str(AgOrdered.objects.all().query)
