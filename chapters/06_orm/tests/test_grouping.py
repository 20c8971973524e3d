"""Grouping with values() and annotate(), in its corners: what a later values() keeps, first() and
last() of groups, aggregates that refuse a default, conditions as annotations.

The rows, values and messages are Django 5.2's for the same model and data.
"""

import pytest

from tinyframe.db import models
from tinyframe.db.models import Count, F, Sum


class GrSale(models.Model):
    shop = models.CharField(max_length=10, null=True)
    amount = models.IntegerField(default=0)
    rank = models.IntegerField(default=0)

    class Meta:
        app_label = "grouping_tests"


@pytest.fixture
def sales(tables):
    """north sold 1 and 2 (ranks 1 and 1), south 2 and 3 (ranks 2 and 1)."""
    tables(GrSale)
    for shop, amount, rank in [("north", 1, 1), ("north", 2, 1), ("south", 2, 2), ("south", 3, 1)]:
        GrSale.objects.create(shop=shop, amount=amount, rank=rank)


def by_shop():
    return GrSale.objects.values("shop").annotate(total=Sum("amount"))


# -- a values() after the grouping keeps the groups ---------------------------------------


def test_values_after_the_grouping_keeps_the_groups(sales):
    assert sorted(row["total"] for row in by_shop().values("total")) == [3, 5]
    assert sorted(by_shop().values_list("total", flat=True)) == [3, 5]
    assert by_shop().values("total").aggregate(top=models.Max("total")) == {"top": 5}


def test_a_column_selected_after_the_grouping_is_grouped_by_too(sales):
    # Django groups by the shop and by the rank now selected: south's two ranks are two rows.
    rows = by_shop().values("rank", "total").order_by("rank", "total")
    assert list(rows) == [{"rank": 1, "total": 3}, {"rank": 1, "total": 3}, {"rank": 2, "total": 2}]


def test_an_annotation_left_out_by_values_still_groups(sales):
    # The double rank was part of the groups; values("total") no longer selects it, yet it still splits them.
    rows = GrSale.objects.values("shop", double=F("rank") * 2).annotate(total=Sum("amount")).values("total")
    assert sorted(row["total"] for row in rows) == [2, 3, 3]


def test_an_aggregate_after_values_groups_by_the_new_values(sales):
    rows = by_shop().values("rank").annotate(n=Count("id")).order_by("rank")
    assert list(rows) == [{"rank": 1, "n": 3}, {"rank": 2, "n": 1}]


# -- first() and last() of groups -------------------------------------------------------------

UNORDERED_GROUPS = "Cannot use QuerySet.{}() on an unordered queryset performing aggregation. Add an ordering with order_by()."


@pytest.mark.parametrize("method", ["first", "last"])
def test_first_and_last_of_unordered_groups_are_refused(sales, method):
    # Ordering by the key would split each group into its rows: Django asks for an order instead.
    with pytest.raises(TypeError) as caught:
        getattr(by_shop(), method)()
    assert str(caught.value) == UNORDERED_GROUPS.format(method)
    with pytest.raises(TypeError, match=r"QuerySet\.first\(\)"):
        by_shop().values("total").first()


def test_first_and_last_of_ordered_groups(sales):
    assert by_shop().order_by("-shop").first() == {"shop": "south", "total": 5}
    assert by_shop().order_by("-shop").last() == {"shop": "north", "total": 3}


def test_first_of_groups_that_hold_the_key_orders_by_it(sales):
    # A group per key, or a group per row (annotate() without values()), is not split by ordering on the key.
    assert GrSale.objects.values("id").annotate(total=Sum("amount")).first() == {"id": 1, "total": 1}
    assert GrSale.objects.values("pk").annotate(total=Sum("amount")).last() == {"pk": 4, "total": 3}
    assert GrSale.objects.annotate(total=Sum("amount")).first().total == 1


# -- aggregates' options -----------------------------------------------------------------------


def test_count_does_not_allow_a_default():
    # Count is 0 over no rows, never NULL: Django refuses a default for it, even 0.
    for default in (5, 0):
        with pytest.raises(TypeError) as caught:
            Count("amount", default=default)
        assert str(caught.value) == "Count does not allow default."
    assert Count("amount", default=None).default is None

