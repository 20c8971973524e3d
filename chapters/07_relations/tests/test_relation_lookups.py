"""Filters across relations: forward, reverse, many-to-many, isnull, related values, exclude, F, order_by, values.

Rows, SQL and messages are Django 5.2's for the same models and data.
"""

import pytest

from tinyframe.core.exceptions import FieldError
from tinyframe.db import connection, models
from tinyframe.db.models import Exists, F, OuterRef, Q
from tinyframe.test.utils import CaptureQueriesContext


class Publisher(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "rl"
        ordering = ["-name"]


class Author(models.Model):
    name = models.CharField(max_length=20)
    age = models.IntegerField(default=0)

    class Meta:
        app_label = "rl"

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "rl"

    def __str__(self):
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=20)
    price = models.IntegerField(default=0)
    author = models.ForeignKey(Author, models.CASCADE)
    editor = models.ForeignKey(Author, models.SET_NULL, null=True, related_name="edited")
    publisher = models.ForeignKey(Publisher, models.SET_NULL, null=True)
    tags = models.ManyToManyField(Tag)

    class Meta:
        app_label = "rl"


class Review(models.Model):
    book = models.ForeignKey(Book, models.CASCADE, related_query_name="critique")
    stars = models.IntegerField(default=0)

    class Meta:
        app_label = "rl"


class Chapter(models.Model):
    book = models.ForeignKey(Book, models.CASCADE)
    number = models.IntegerField(default=0)

    class Meta:
        app_label = "rl"
        ordering = ["book__title", "-number"]


class Category(models.Model):
    name = models.CharField(max_length=20)
    parent = models.ForeignKey("self", models.CASCADE, null=True)

    class Meta:
        app_label = "rl"
        ordering = ["parent", "name"]


@pytest.fixture
def library(tables):
    """Ann wrote Dune (sf, classic; edited by Bob) and Ubik (edited by Ann); Bob wrote Emma (classic); Cy none."""
    tables(Publisher, Author, Tag, Book, Review)
    ace, zed = Publisher.objects.create(name="Ace"), Publisher.objects.create(name="Zed")
    ann = Author.objects.create(name="Ann", age=40)
    bob = Author.objects.create(name="Bob", age=30)
    cy = Author.objects.create(name="Cy", age=50)
    sf, classic = Tag.objects.create(name="sf"), Tag.objects.create(name="classic")
    dune = Book.objects.create(title="Dune", price=10, author=ann, editor=bob, publisher=zed)
    emma = Book.objects.create(title="Emma", price=20, author=bob, publisher=ace)
    ubik = Book.objects.create(title="Ubik", price=30, author=ann, editor=ann)
    dune.tags.add(sf, classic)
    emma.tags.add(classic)
    for book, stars in ((dune, 5), (dune, 3), (emma, 4)):
        Review.objects.create(book=book, stars=stars)
    return {"ann": ann, "bob": bob, "cy": cy, "sf": sf, "classic": classic, "dune": dune, "emma": emma, "ubik": ubik}


def titles(queryset) -> list:
    return sorted(book.title for book in queryset)


def names(queryset) -> list:
    return sorted(row.name for row in queryset)


B, A, T = Book.objects, Author.objects, Tag.objects

# (queryset, the names or titles it finds): Django 5.2's rows for the fixture's data.
ROWS = [
    (lambda: B.filter(author__name__icontains="AN"), ["Dune", "Ubik"]),
    (lambda: B.filter(editor__name="Ann"), ["Ubik"]),
    (lambda: B.filter(author__age__gt=F("editor__age")), ["Dune"]),
    (lambda: A.filter(book__title="Emma"), ["Bob"]),
    (lambda: A.filter(edited__title="Dune"), ["Bob"]),
    (lambda: A.filter(book__critique__stars__gte=4), ["Ann", "Bob"]),
    (lambda: B.filter(critique__stars=3), ["Dune"]),
    (lambda: B.filter(tags__name="classic"), ["Dune", "Emma"]),
    (lambda: T.filter(book__author__name="Bob"), ["classic"]),
    (lambda: A.filter(book__tags__name="sf"), ["Ann"]),
    (lambda: B.filter(editor__isnull=True), ["Emma"]),
    (lambda: B.filter(editor__isnull=False), ["Dune", "Ubik"]),
    (lambda: B.filter(editor__name__isnull=True), ["Emma"]),
    (lambda: A.filter(book__isnull=True), ["Cy"]),
    (lambda: A.filter(edited__isnull=True), ["Cy"]),
    (lambda: B.filter(tags__isnull=True), ["Ubik"]),
    (lambda: T.filter(book__isnull=False).distinct(), ["classic", "sf"]),
    (lambda: B.filter(Q(editor__name="Bob") | Q(title="Emma")), ["Dune", "Emma"]),
    (lambda: B.filter(Q(editor__name="Bob") | Q(editor__isnull=True)), ["Dune", "Emma"]),
    (lambda: B.exclude(editor__name="Bob"), ["Emma", "Ubik"]),
    (lambda: B.exclude(author__name="Ann"), ["Emma"]),
    (lambda: B.exclude(tags__name="sf"), ["Emma", "Ubik"]),
    (lambda: B.exclude(tags__name="classic", title="Emma"), ["Dune", "Ubik"]),
    (lambda: A.exclude(book__title="Dune"), ["Bob", "Cy"]),
    (lambda: A.exclude(book__tags__name="classic"), ["Cy"]),
    (lambda: T.exclude(book__title="Emma"), ["sf"]),
    (lambda: A.exclude(book__isnull=True), ["Ann", "Bob"]),
    (lambda: A.exclude(book=None), ["Ann", "Bob"]),
    (lambda: A.exclude(book__isnull=False), ["Cy"]),
    (lambda: B.exclude(tags__isnull=True), ["Dune", "Emma"]),
    (lambda: A.filter(~Q(book__title="Dune") | Q(name="Ann")), ["Ann", "Bob", "Cy"]),
    (lambda: B.filter(~Q(critique__stars__lt=4)), ["Emma", "Ubik"]),
    # One filter() call: a single tag must match both; two calls: any tag for each.
    (lambda: B.filter(tags__name__startswith="s", tags__name__endswith="c"), []),
    (lambda: B.filter(tags__name__startswith="s").filter(tags__name__endswith="c"), ["Dune"]),
    (lambda: A.filter(book__title="Dune", book__price=30), []),
    (lambda: A.filter(book__title="Dune").filter(book__price=30), ["Ann"]),
    # A NOT inside filter() on a relation this call joined speaks of the same related row (here: the same tag).
    (lambda: B.filter(Q(tags__name__startswith="c") & ~Q(tags__name="sf")), ["Dune", "Emma"]),
    (lambda: B.exclude(~Q(tags__name="classic")), ["Dune", "Emma"]),
    # Two querysets combined: the right side's joins join the left's.
    (lambda: B.filter(author__name="Bob") | B.filter(tags__name="sf"), ["Dune", "Emma"]),
    (lambda: B.filter(tags__name="sf") & B.filter(tags__name="classic"), ["Dune"]),
    (lambda: (B.filter(tags__name="classic") | B.filter(tags__name="sf")).distinct(), ["Dune", "Emma"]),
    (lambda: B.filter(title="Ubik") | B.filter(editor__name="Bob"), ["Dune", "Ubik"]),
    # The left side's join becomes LEFT OUTER too: Emma has no editor (Django finds both).
    (lambda: B.filter(editor__name="Bob") | B.filter(title="Emma"), ["Dune", "Emma"]),
    (lambda: A.filter(book__title="Dune") | A.filter(name="Cy"), ["Ann", "Cy"]),
]


def test_filters_across_relations_find_djangos_rows(library, check_rows):
    def check(make_queryset, expected):
        queryset = make_queryset()
        found = sorted(getattr(row, "title", None) or row.name for row in queryset)
        assert found == expected, f"{queryset.query}\nfound {found}, expected {expected}"

    check_rows(ROWS, check)


def test_a_related_value_compares_the_key_without_a_join(library):
    ann = library["ann"]
    book_sql = str(B.filter(author=ann).query)
    assert book_sql.endswith(f'FROM "rl_book" WHERE "rl_book"."author_id" = {ann.pk}') and "JOIN" not in book_sql
    for keywords in ({"author": ann}, {"author": ann.pk}, {"author_id": ann.pk}, {"author__pk": ann.pk},
                     {"author__id": ann.pk}, {"author__in": [ann, 999]}, {"author__in": [ann.pk]}):  # fmt: skip
        queryset = B.filter(**keywords)
        assert "JOIN" not in str(queryset.query), keywords
        assert titles(queryset) == ["Dune", "Ubik"], keywords


def test_a_queryset_value_is_a_subquery_of_its_keys(library):
    queryset = B.filter(author__in=A.filter(age__gte=40))
    assert str(queryset.query).endswith(
        'WHERE "rl_book"."author_id" IN (SELECT U0."id" FROM "rl_author" U0 WHERE U0."age" >= 40)'
    )
    assert titles(queryset) == ["Dune", "Ubik"]
    with CaptureQueriesContext(connection) as queries:
        assert titles(B.filter(author__in=A.filter(book__tags__name="classic"))) == ["Dune", "Emma", "Ubik"]
    assert len(queries) == 1


def test_none_is_isnull_and_reverse_and_many_to_many_values_take_instances(library):
    assert str(B.filter(editor=None).query).endswith('WHERE "rl_book"."editor_id" IS NULL')
    assert titles(B.filter(editor=None)) == ["Emma"]
    assert names(A.filter(book=library["emma"])) == ["Bob"]
    assert names(A.filter(book__in=[library["dune"], library["emma"].pk]).distinct()) == ["Ann", "Bob"]
    assert titles(B.filter(tags=library["sf"])) == ["Dune"]
    assert names(T.filter(book=library["emma"])) == ["classic"]
    assert str(T.filter(book=library["emma"]).query).endswith(
        'INNER JOIN "rl_book_tags" ON ("rl_tag"."id" = "rl_book_tags"."tag_id") '
        f'WHERE "rl_book_tags"."book_id" = {library["emma"].pk}'
    )


def test_an_instance_of_another_model_is_djangos_value_error(library):
    with pytest.raises(ValueError) as caught:
        B.filter(author=library["sf"])
    assert str(caught.value) == 'Cannot query "sf": Must be "Author" instance.'
    with pytest.raises(ValueError) as caught:
        A.filter(book__in=[library["ann"]])
    assert str(caught.value) == 'Cannot query "Ann": Must be "Book" instance.'
    with pytest.raises(ValueError) as caught:
        B.filter(author__in=T.all())
    assert str(caught.value) == 'Cannot use QuerySet for "Tag": Use a QuerySet for "Author".'


def test_an_unsaved_instance_is_djangos_value_error():
    for keywords in ({"author": Author(name="new")}, {"author__in": [Author(name="new")]}):
        with pytest.raises(ValueError) as caught:
            B.filter(**keywords)
        assert str(caught.value) == "Model instances passed to related filters must be saved."


def test_a_bad_name_lists_the_choices_with_the_reverse_relations():
    with pytest.raises(FieldError) as caught:
        B.filter(titel="Dune")
    assert str(caught.value) == (
        "Cannot resolve keyword 'titel' into field. Choices are: author, author_id, chapter, critique, editor, "
        "editor_id, "
        "id, price, publisher, publisher_id, tags, title"
    )
    assert caught.value.__notes__ == ["Did you mean 'title'?"]
    with pytest.raises(FieldError) as caught:
        A.filter(bok__title="Dune")
    assert str(caught.value) == "Cannot resolve keyword 'bok' into field. Choices are: age, book, edited, id, name"
    assert caught.value.__notes__ == ["Did you mean 'book'?"]


def test_a_bad_name_after_a_relation_is_djangos_field_error():
    with pytest.raises(FieldError) as caught:
        B.filter(author__nmae="Ann")
    assert str(caught.value) == "Unsupported lookup 'nmae' for ForeignKey or join on the field not permitted."
    with pytest.raises(FieldError) as caught:
        B.filter(author__name__nope="Ann")
    assert str(caught.value) == "Unsupported lookup 'nope' for CharField or join on the field not permitted."
    with pytest.raises(FieldError) as caught:
        B.values("author__nmae")
    assert str(caught.value) == "Cannot resolve keyword 'nmae' into field. Choices are: age, book, edited, id, name"
    with pytest.raises(FieldError) as caught:
        B.order_by("-author__nmae")
    assert str(caught.value) == "Cannot resolve keyword 'nmae' into field. Choices are: age, book, edited, id, name"


def test_exclude_across_a_many_valued_relation_after_a_prefix_runs(library):
    # The subquery reads the outer book's author_id: the outer query must join the book (it raised "no such column").
    kept = Review.objects.exclude(book__author__edited__title="Dune").order_by("pk")
    assert [review.stars for review in kept] == [5, 3], "Django 5.2 keeps Dune's reviews: Bob, Emma's author, edited Dune"


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: B.filter(author__contains="A"), "Unsupported lookup 'contains' for ForeignKey or join on the field not permitted."),
        (lambda: A.filter(book__startswith="D"), "Unsupported lookup 'startswith' for ManyToOneRel or join on the field not permitted."),
        (lambda: B.filter(tags__range=(1, 2)), "Unsupported lookup 'range' for ForeignKey or join on the field not permitted."),
        (lambda: B.exclude(tags__iexact=1), "Unsupported lookup 'iexact' for ForeignKey or join on the field not permitted."),
    ],
    ids=["forward", "reverse", "many-to-many", "exclude"],
)
def test_a_relation_takes_only_djangos_related_lookups(make, message):
    # Django 5.2 compares a relation's key with exact, in, gt, gte, lt, lte and isnull only; the rest are refused.
    with pytest.raises(FieldError) as caught:
        make()
    assert str(caught.value) == message


def test_order_by_across_a_relation_and_by_the_relations_own_ordering(library):
    assert [b.title for b in B.order_by("author__name", "title")] == ["Dune", "Ubik", "Emma"]
    assert [b.title for b in B.order_by("-author__age", "-title")] == ["Ubik", "Dune", "Emma"]
    # Publisher.Meta.ordering is ["-name"]: by a relation is by its model's ordering; "-" turns it around.
    # SQLite puts NULL (Ubik has no publisher) first in ascending order, last in descending order.
    assert [b.title for b in B.order_by("publisher")] == ["Dune", "Emma", "Ubik"]
    assert [b.title for b in B.order_by("-publisher")] == ["Ubik", "Emma", "Dune"]
    assert str(B.order_by("-publisher").query).endswith(
        'LEFT OUTER JOIN "rl_publisher" ON ("rl_book"."publisher_id" = "rl_publisher"."id") '
        'ORDER BY "rl_publisher"."name" ASC'
    )
    # Without an ordering of its own, a relation orders by its key: no join.
    assert str(B.order_by("author").query).endswith('FROM "rl_book" ORDER BY "rl_book"."author_id" ASC')
    # A relation values() selects orders by the key it selects, not by Publisher.Meta.ordering (Django 5.2).
    keys = list(B.values_list("publisher", flat=True).order_by("publisher"))
    assert keys == [None, 1, 2], f"values_list('publisher').order_by('publisher') gave {keys}, expected [None, 1, 2]"
    assert "JOIN" not in str(B.values("publisher").order_by("-publisher").query)


def test_values_and_f_across_relations(library):
    rows = list(B.order_by("title").values("title", "author__name", "editor__name"))
    assert rows == [
        {"title": "Dune", "author__name": "Ann", "editor__name": "Bob"},
        {"title": "Emma", "author__name": "Bob", "editor__name": None},
        {"title": "Ubik", "author__name": "Ann", "editor__name": "Ann"},
    ]
    assert sorted(A.filter(name="Ann").values_list("book__title", flat=True)) == ["Dune", "Ubik"]
    assert list(B.filter(price__lt=F("author__age") / 2).values_list("title", flat=True)) == ["Dune"]
    doubled = B.annotate(age=F("author__age") * 2).order_by("title").values_list("title", "age")
    assert list(doubled) == [("Dune", 80), ("Emma", 60), ("Ubik", 80)]


def test_an_outer_ref_across_a_relation_joins_the_outer_query(library):
    reviewed = Review.objects.filter(book=OuterRef("pk"), stars__lt=OuterRef("editor__age"))
    queryset = B.filter(Exists(reviewed))
    joined = 'FROM "rl_book" LEFT OUTER JOIN "rl_author" ON ("rl_book"."editor_id" = "rl_author"."id") WHERE EXISTS('
    assert joined in str(queryset.query)
    assert titles(queryset) == ["Dune"]


def test_update_and_delete_filtered_across_a_relation(library):
    assert B.filter(author__name="Ann").update(price=1) == 2
    assert sorted(B.values_list("title", "price")) == [("Dune", 1), ("Emma", 20), ("Ubik", 1)]
    assert B.filter(tags__name="classic").count() == 2
    with pytest.raises(FieldError) as caught:
        B.update(price=F("author__age") + 1)
    assert str(caught.value) == "Joined field references are not permitted in this query"
    assert B.filter(title="Emma").update(price=F("author__id")) == 1
    assert A.filter(book__tags__name="classic").distinct().count() == 2


def test_a_meta_ordering_across_a_relation_joins_when_the_query_runs(library, tables):
    tables(Chapter)
    for title, number in (("Ubik", 1), ("Dune", 1), ("Dune", 2)):
        Chapter.objects.create(book=library[title.lower()], number=number)
    assert [(chapter.book.title, chapter.number) for chapter in Chapter.objects.all()] == [
        ("Dune", 2), ("Dune", 1), ("Ubik", 1),
    ]  # fmt: skip
    assert str(Chapter.objects.all().query) == (
        'SELECT "rl_chapter"."id", "rl_chapter"."book_id", "rl_chapter"."number" FROM "rl_chapter" '
        'INNER JOIN "rl_book" ON ("rl_chapter"."book_id" = "rl_book"."id") '
        'ORDER BY "rl_book"."title" ASC, "rl_chapter"."number" DESC'
    )
    assert Chapter.objects.filter(book__title="Dune").count() == 2


def test_an_ordering_that_comes_back_to_its_model_is_djangos_field_error():
    with pytest.raises(FieldError) as caught:
        str(Category.objects.all().query)
    assert str(caught.value) == "Infinite loop caused by ordering."
    assert str(Category.objects.order_by("name").query).endswith('ORDER BY "rl_category"."name" ASC')
