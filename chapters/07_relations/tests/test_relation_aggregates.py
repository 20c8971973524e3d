"""Aggregates across relations: annotate(Count("book")), Avg("book__price"), GROUP BY, HAVING, aggregate().

Values, rows and SQL are Django 5.2's for the same models and data.
"""

import pytest

from tinyframe.core.exceptions import FieldError
from tinyframe.db import connection, models
from tinyframe.db.models import Avg, Count, Max, Min, Q, Sum
from tinyframe.test.utils import CaptureQueriesContext


class Author(models.Model):
    name = models.CharField(max_length=20)
    age = models.IntegerField(default=0)

    class Meta:
        app_label = "ra"


class Tag(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "ra"


class Book(models.Model):
    title = models.CharField(max_length=20)
    price = models.IntegerField(default=0)
    author = models.ForeignKey(Author, models.CASCADE)
    editor = models.ForeignKey(Author, models.SET_NULL, null=True, related_name="edited")
    tags = models.ManyToManyField(Tag)

    class Meta:
        app_label = "ra"


A, B, T = Author.objects, Book.objects, Tag.objects


@pytest.fixture
def library(tables):
    """Ann wrote Dune (10, sf+classic, edited by Bob) and Ubik (30, edited by Ann); Bob wrote Emma (20, classic)."""
    tables(Author, Tag, Book)
    ann = Author.objects.create(name="Ann", age=40)
    bob = Author.objects.create(name="Bob", age=30)
    Author.objects.create(name="Cy", age=50)
    sf, classic = Tag.objects.create(name="sf"), Tag.objects.create(name="classic")
    dune = Book.objects.create(title="Dune", price=10, author=ann, editor=bob)
    emma = Book.objects.create(title="Emma", price=20, author=bob)
    Book.objects.create(title="Ubik", price=30, author=ann, editor=ann)
    dune.tags.add(sf, classic)
    emma.tags.add(classic)


# (queryset, its rows): the values Django 5.2 gives for the fixture's data.
ANNOTATED = [
    (lambda: A.annotate(n=Count("book")).order_by("name").values_list("name", "n"), [("Ann", 2), ("Bob", 1), ("Cy", 0)]),
    (lambda: A.annotate(a=Avg("book__price")).order_by("name").values_list("name", "a"),
     [("Ann", 20.0), ("Bob", 20.0), ("Cy", None)]),
    (lambda: B.annotate(n=Count("tags")).order_by("title").values_list("title", "n"), [("Dune", 2), ("Emma", 1), ("Ubik", 0)]),
    (lambda: T.annotate(n=Count("book"), top=Max("book__price")).order_by("-n").values_list("name", "n", "top"),
     [("classic", 2, 20), ("sf", 1, 10)]),
    # HAVING: a filter on the aggregate after annotate().
    (lambda: A.annotate(n=Count("book")).filter(n__gt=1).values_list("name", flat=True), ["Ann"]),
    (lambda: A.annotate(n=Count("book")).exclude(n=0).order_by("name").values_list("name", flat=True), ["Ann", "Bob"]),
    # Django's documented order: a filter before annotate() limits what is counted...
    (lambda: A.filter(book__price__gt=15).annotate(n=Count("book")).order_by("name").values_list("name", "n"),
     [("Ann", 1), ("Bob", 1)]),
    # ...a filter after it only picks the authors, and counts over a join of its own.
    (lambda: A.annotate(n=Count("book")).filter(book__price__gt=15).order_by("name").values_list("name", "n"),
     [("Ann", 2), ("Bob", 1)]),
    # In one filter() call too: the price goes to WHERE, the count to HAVING (in HAVING, one row's price of each group).
    (lambda: A.annotate(n=Count("book")).filter(n__gt=0, book__price__gt=15).order_by("name").values_list("name", "n"),
     [("Ann", 2), ("Bob", 1)]),
    # Two many-valued joins multiply each other's rows; distinct=True counts each once.
    (lambda: A.annotate(b=Count("book"), e=Count("edited")).order_by("name").values_list("name", "b", "e"),
     [("Ann", 2, 2), ("Bob", 1, 1), ("Cy", 0, 0)]),
    (lambda: A.annotate(b=Count("book", distinct=True), e=Count("edited", distinct=True)).order_by("name")
     .values_list("name", "b", "e"), [("Ann", 2, 1), ("Bob", 1, 1), ("Cy", 0, 0)]),
    (lambda: A.annotate(cheap=Count("book", filter=Q(book__price__lt=25))).order_by("name").values_list("name", "cheap"),
     [("Ann", 1), ("Bob", 1), ("Cy", 0)]),
    # GROUP BY a joined column.
    (lambda: B.values("author__name").annotate(total=Sum("price")).order_by("author__name"),
     [{"author__name": "Ann", "total": 40}, {"author__name": "Bob", "total": 20}]),
    (lambda: B.values_list("tags__name").annotate(n=Count("id")).order_by("tags__name"),
     [(None, 1), ("classic", 2), ("sf", 1)]),
]


def test_annotations_across_relations_give_djangos_values(library, check_rows):
    def check(make_queryset, expected):
        queryset = make_queryset()
        found = list(queryset)
        assert found == expected, f"{queryset.query}\nfound {found}, expected {expected}"

    check_rows(ANNOTATED, check)


def test_aggregate_across_relations(library):
    assert A.aggregate(n=Count("book"), s=Sum("book__price")) == {"n": 3, "s": 60}
    assert A.filter(name="Cy").aggregate(n=Count("book"), s=Sum("book__price")) == {"n": 0, "s": None}
    assert B.aggregate(a=Avg("author__age"), young=Min("editor__age")) == {"a": pytest.approx(110 / 3), "young": 30}
    assert B.filter(tags__name="classic").aggregate(Sum("price")) == {"price__sum": 30}
    assert A.annotate(n=Count("book")).aggregate(most=Max("n")) == {"most": 2}
    assert A.annotate(n=Count("book")).filter(n__gte=1).count() == 2


def test_aggregate_sql_is_djangos(library):
    with CaptureQueriesContext(connection) as queries:
        A.aggregate(n=Count("book"), s=Sum("book__price"))
        B.aggregate(a=Avg("author__age"))
    assert [query["sql"] for query in queries] == [
        'SELECT COUNT("ra_book"."id") AS "n", SUM("ra_book"."price") AS "s" FROM "ra_author" '
        'LEFT OUTER JOIN "ra_book" ON ("ra_author"."id" = "ra_book"."author_id")',
        'SELECT AVG("ra_author"."age") AS "a" FROM "ra_book" '
        'INNER JOIN "ra_author" ON ("ra_book"."author_id" = "ra_author"."id")',
    ]


def test_a_filter_on_the_aggregate_is_having_and_a_filter_on_the_relation_another_join():
    having = A.annotate(n=Count("book")).filter(n__gt=1)
    assert str(having.query) == (
        'SELECT "ra_author"."id", "ra_author"."name", "ra_author"."age", COUNT("ra_book"."id") AS "n" FROM "ra_author" '
        'LEFT OUTER JOIN "ra_book" ON ("ra_author"."id" = "ra_book"."author_id") '
        'GROUP BY "ra_author"."id", "ra_author"."name", "ra_author"."age" HAVING COUNT("ra_book"."id") > 1'
    )
    after = A.annotate(n=Count("book")).filter(book__title="Dune")
    assert 'INNER JOIN "ra_book" T3 ON ("ra_author"."id" = T3."author_id") WHERE T3."title" = Dune' in str(after.query)
    both = A.annotate(n=Count("book")).filter(n__gt=1, book__title="Dune")
    assert str(both.query).endswith(
        'INNER JOIN "ra_book" T3 ON ("ra_author"."id" = T3."author_id") WHERE T3."title" = Dune '
        'GROUP BY "ra_author"."id", "ra_author"."name", "ra_author"."age" HAVING COUNT("ra_book"."id") > 1'
    )


def test_an_aggregate_over_a_bad_path_names_the_choices():
    with pytest.raises(FieldError) as caught:
        A.annotate(n=Count("bok"))
    assert str(caught.value) == "Cannot resolve keyword 'bok' into field. Choices are: age, book, edited, id, name"
    assert caught.value.__notes__ == ["Did you mean 'book'?"]
