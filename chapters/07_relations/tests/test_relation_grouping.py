"""Relations in the corners of grouping, counting and excluding: values() across a relation,
aggregates of a slice, exclude() against a joined column.

The rows, values and messages are Django 5.2's for the same models and data.
"""

import pytest

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
