"""The N+1 problem and its two cures, counted: 101 queries, then 1 with select_related, then 2 with prefetch_related."""

import pytest

from tinyframe.db import models
from tinyframe.test import TransactionTestCase


class Writer(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "n_plus_one_tests"


class Novel(models.Model):
    title = models.CharField(max_length=100)
    writer = models.ForeignKey(Writer, on_delete=models.CASCADE)

    class Meta:
        app_label = "n_plus_one_tests"


@pytest.fixture
def hundred_novels(tables):
    """100 novels by 10 writers."""
    tables(Writer, Novel)
    writers = Writer.objects.bulk_create([Writer(name=f"Writer {number}") for number in range(10)])
    Novel.objects.bulk_create([Novel(title=f"Novel {number}", writer=writers[number % 10]) for number in range(100)])


def listing(novels) -> list[str]:
    """What a page listing the novels shows: each title with its writer's name."""
    return [f"{novel.title} by {novel.writer.name}" for novel in novels]


# assertNumQueries belongs to the database test cases; one made by hand lends it to pytest functions.
counter = TransactionTestCase()


def test_listing_novels_naively_runs_one_query_per_novel(hundred_novels):
    with counter.assertNumQueries(101):
        lines = listing(Novel.objects.order_by("id"))
    assert lines[:2] == ["Novel 0 by Writer 0", "Novel 1 by Writer 1"]


def test_select_related_lists_them_in_one_query(hundred_novels):
    with counter.assertNumQueries(1):
        lines = listing(Novel.objects.select_related("writer").order_by("id"))
    assert len(lines) == 100 and lines[-1] == "Novel 99 by Writer 9"


def test_prefetch_related_lists_them_in_two_queries(hundred_novels):
    with counter.assertNumQueries(2):
        lines = listing(Novel.objects.prefetch_related("writer").order_by("id"))
    assert len(lines) == 100 and lines[-1] == "Novel 99 by Writer 9"


def test_the_cures_list_the_same_as_the_naive_way(hundred_novels):
    naive = listing(Novel.objects.order_by("id"))
    assert listing(Novel.objects.select_related("writer").order_by("id")) == naive
    assert listing(Novel.objects.prefetch_related("writer").order_by("id")) == naive


def test_the_reverse_side_costs_two_queries_with_prefetch_related(hundred_novels):
    with counter.assertNumQueries(2):
        counts = {writer.name: len(writer.novel_set.all()) for writer in Writer.objects.prefetch_related("novel_set")}
    assert counts == {f"Writer {number}": 10 for number in range(10)}
