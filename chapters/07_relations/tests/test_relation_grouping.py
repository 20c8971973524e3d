"""Relations in the corners of grouping, counting and excluding: values() across a relation,
aggregates of a slice, exclude() against a joined column.

The rows, values and messages are Django 5.2's for the same models and data.
"""

import pytest

from tinyframe.core.exceptions import FieldError
from tinyframe.db import models
from tinyframe.db.models import F, Q


class Author(models.Model):
    name = models.CharField(max_length=20)
    age = models.IntegerField(null=True)

    class Meta:
        app_label = "relation_grouping_tests"


class Tag(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "relation_grouping_tests"


class Book(models.Model):
    title = models.CharField(max_length=20)
    price = models.IntegerField(default=0)
    author = models.ForeignKey(Author, models.CASCADE, related_name="books")
    editor = models.ForeignKey(Author, models.SET_NULL, null=True, related_name="edited")
    tags = models.ManyToManyField(Tag, related_name="books")

    class Meta:
        app_label = "relation_grouping_tests"


@pytest.fixture
def library(tables):
    """Ann (30) wrote b1 (10, py+web, edited by Bob) and b2 (20, py); Bob (40) wrote b3 (30, web+db,
    edited by Ann) and b4 (40, all three tags, edited by Cy, whose age is unknown)."""
    tables(Author, Tag, Book)
    ann = Author.objects.create(name="ann", age=30)
    bob = Author.objects.create(name="bob", age=40)
    cy = Author.objects.create(name="cy", age=None)
    py, web, db = (Tag.objects.create(name=name) for name in ("py", "web", "db"))
    b1 = Book.objects.create(title="b1", price=10, author=ann, editor=bob)
    b2 = Book.objects.create(title="b2", price=20, author=ann)
    b3 = Book.objects.create(title="b3", price=30, author=bob, editor=ann)
    b4 = Book.objects.create(title="b4", price=40, author=bob, editor=cy)
    b1.tags.add(py, web)
    b2.tags.add(py)
    b3.tags.add(web, db)
    b4.tags.add(py, web, db)


def titles(queryset) -> list[str]:
    return sorted(book.title for book in queryset)


# -- exclude() against a column of a joined table ---------------------------------------------


def test_exclude_against_a_related_column(library):
    # NOT (price < author.age AND author.age IS NOT NULL): the NULL check names the joined table.
    assert titles(Book.objects.exclude(price__lt=F("author__age"))) == ["b4"]


def test_exclude_against_a_nullable_relation_keeps_rows_without_one(library):
    # b2 has no editor and b4's editor no age: neither is "cheaper than the editor's age", both stay.
    assert titles(Book.objects.exclude(price__lt=F("editor__age"))) == ["b2", "b3", "b4"]


def test_negated_q_against_a_related_column(library):
    assert titles(Book.objects.filter(~Q(price__lt=F("author__age")))) == ["b4"]
    assert titles(Book.objects.filter(Q(title="b1") | ~Q(price__lt=F("editor__age")))) == ["b1", "b2", "b3", "b4"]


# -- count() of values() across a relation -------------------------------------------------------


def test_count_of_values_across_a_relation_counts_the_joined_rows(library):
    # values("tags") is a row per book and tag (a book without tags, once): count() agrees with len().
    assert len(Book.objects.values("tags")) == 8
    assert Book.objects.values("tags").count() == 8
    assert Book.objects.values_list("tags__name").count() == 8
    assert Author.objects.values("books").count() == 5
    assert Author.objects.values_list("books__title", flat=True).count() == 5
    assert Book.objects.values("tags").aggregate(total=models.Sum("price")) == {"total": 220}


def test_count_of_values_across_a_single_valued_relation_is_unchanged(library):
    assert Book.objects.values("author__name").count() == 4
    assert Book.objects.values("editor__name").count() == 4
    assert Book.objects.values("tags").distinct().count() == 3


# -- aggregate() of a slice, across a relation ---------------------------------------------------


def test_aggregate_of_a_slice_across_a_relation(library):
    # The slice is taken of the joined rows, as in Django: b1's two tags are the first two.
    cheapest = Book.objects.order_by("price")[:2]
    assert cheapest.aggregate(n=models.Count("tags")) == {"n": 2}
    assert cheapest.aggregate(total=models.Sum("price"), n=models.Count("tags")) == {"total": 20, "n": 2}
    assert cheapest.aggregate(oldest=models.Max("author__age")) == {"oldest": 30}
    assert Book.objects.order_by("price")[:3].aggregate(total=models.Sum(F("price") + F("author__age"))) == {"total": 160}


def test_aggregate_of_a_slice_reuses_the_filters_join(library):
    tagged = Book.objects.filter(tags__name="py").order_by("price")[:2]
    assert tagged.aggregate(n=models.Count("tags"), name=models.Max("tags__name")) == {"n": 2, "name": "py"}


def test_aggregate_of_a_distinct_or_grouped_query_across_a_relation(library):
    assert Book.objects.filter(price__gt=0).distinct().aggregate(n=models.Count("tags")) == {"n": 8}
    per_author = Book.objects.values("author").annotate(n=models.Count("pk"))
    assert per_author.aggregate(most=models.Max("n"), oldest=models.Max("author__age")) == {"most": 2, "oldest": 40}


# -- update() of a relation that is no column ----------------------------------------------------

NOT_A_COLUMN = "Cannot update model field {} (only non-relations and foreign keys permitted)."


@pytest.mark.parametrize(
    "model, name, shown",
    [
        (Book, "tags", "<tinyframe.db.models.fields.related.ManyToManyField: tags>"),
        (Tag, "books", "<ManyToManyRel: relation_grouping_tests.book>"),
        (Author, "books", "<ManyToOneRel: relation_grouping_tests.book>"),
    ],
)
def test_update_of_a_relation_without_a_column_is_refused(library, model, name, shown):
    with pytest.raises(FieldError) as caught:
        model.objects.update(**{name: None})
    assert str(caught.value) == NOT_A_COLUMN.format(shown)


def test_update_of_a_foreign_key_sets_its_column(library):
    assert Book.objects.filter(title="b1").update(editor=None) == 1
    assert Book.objects.filter(editor=None).count() == 2
