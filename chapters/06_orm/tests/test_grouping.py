"""Grouping with values() and annotate(), in its corners: what a later values() keeps, first() and
last() of groups, aggregates that refuse a default, conditions as annotations.

The rows, values and messages are Django 5.2's for the same model and data.
"""

import pytest

from tinyframe.db import models
from tinyframe.db.models import Count, Exists, ExpressionWrapper, F, Q, Subquery, Sum


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



# -- a condition as a value: annotate(x=Q(...)) --------------------------------------------------


def flags(queryset, name="big") -> list:
    return list(queryset.order_by("pk").values_list(name, flat=True))


def test_a_q_annotation_is_true_or_false_per_row(sales):
    assert flags(GrSale.objects.annotate(big=Q(amount__gt=1))) == [False, True, True, True]
    assert [sale.big for sale in GrSale.objects.annotate(big=~Q(amount__gt=1)).order_by("pk")] == [True, False, False, False]
    assert flags(GrSale.objects.annotate(big=Q(amount=1) | Q(shop="south"))) == [True, False, True, True]
    # As ExpressionWrapper(Q(...), output_field=BooleanField()) always was.
    wrapped = ExpressionWrapper(Q(amount__gt=1), output_field=models.BooleanField())
    assert flags(GrSale.objects.annotate(big=wrapped)) == [False, True, True, True]


def test_a_q_annotation_can_be_filtered_on(sales):
    big = GrSale.objects.annotate(big=Q(amount__gt=1))
    assert list(big.filter(big=True).values_list("pk", flat=True)) == [2, 3, 4]
    assert list(big.exclude(big=True).values_list("pk", flat=True)) == [1]
    assert big.filter(big=True).count() == 3
    assert list(GrSale.objects.alias(big=Q(amount__gt=1)).filter(big=False).values_list("pk", flat=True)) == [1]


def test_a_q_annotation_groups_and_orders(sales):
    rows = GrSale.objects.values(big=Q(amount__gt=1)).annotate(n=Count("id")).order_by("big")
    assert list(rows) == [{"big": False, "n": 1}, {"big": True, "n": 3}]
    totals = by_shop().annotate(big=Q(total__gt=3)).order_by("shop").values_list("shop", "big")
    assert list(totals) == [("north", False), ("south", True)]


def test_a_selected_condition_that_no_row_meets_is_false_not_an_empty_result(sales):
    # In WHERE, pk__in=[] means "no row"; selected, it is a value: False on every row.
    assert flags(GrSale.objects.annotate(big=Q(pk__in=[]))) == [False] * 4
    assert flags(GrSale.objects.annotate(big=~Q(pk__in=[]))) == [True] * 4
    assert flags(GrSale.objects.annotate(big=Exists(GrSale.objects.none()))) == [False] * 4
    assert flags(GrSale.objects.annotate(big=~Exists(GrSale.objects.none()))) == [True] * 4
    assert flags(GrSale.objects.annotate(big=Subquery(GrSale.objects.none().values("pk")[:1]))) == [None] * 4
    counted = by_shop().annotate(n=Count("id", filter=Q(pk__in=[])), none=Sum("amount", filter=Q(pk__in=[])))
    assert list(counted.order_by("shop").values_list("shop", "n", "none")) == [("north", 0, None), ("south", 0, None)]


def test_not_exists_of_nothing_holds_for_every_row(sales):
    assert GrSale.objects.filter(~Exists(GrSale.objects.none())).count() == 4
    assert GrSale.objects.filter(Q(pk=1) | ~Exists(GrSale.objects.none())).count() == 4
    assert GrSale.objects.filter(Exists(GrSale.objects.none())).count() == 0


# -- aggregate() of a slice, a distinct or a grouping: what the aggregate reads ------------------


def test_aggregate_of_a_sliced_values_query_reads_a_column_it_did_not_choose(sales):
    # The slice selects the amount too (as __col1), for the SUM around it to read, as in Django.
    first_three = GrSale.objects.values("shop").order_by("amount")[:3]
    assert first_three.aggregate(total=Sum("amount"), top=models.Max("amount"), n=Count("shop")) == {"total": 5, "top": 2, "n": 3}


def test_aggregate_of_distinct_values_reads_the_column_inside_the_distinct(sales):
    # The amount joins the DISTINCT: the sum is over distinct (shop, amount) pairs, as in Django.
    assert GrSale.objects.values("shop").distinct().aggregate(total=Sum("amount")) == {"total": 8}


def test_aggregate_of_groups_mixes_their_annotation_and_a_column(sales):
    # The amount joins the groups too (GROUP BY shop, amount): each then holds one sale, as in Django.
    per_shop = GrSale.objects.values("shop").annotate(n=Count("id"))
    assert per_shop.aggregate(most=models.Max("n"), total=Sum("amount")) == {"most": 1, "total": 8}
    assert per_shop.aggregate(most=models.Max("n")) == {"most": 2}
