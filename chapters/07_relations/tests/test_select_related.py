"""select_related: the related objects come in the same query, by JOINs, built by the generated hydrator.

The expected SQL strings are Django 5.2's for the same querysets.
"""

import datetime
import decimal

import pytest

from tinyframe.core.exceptions import FieldDoesNotExist, FieldError
from tinyframe.db import connection, models
from tinyframe.db.models import Count, F
from tinyframe.db.models.signals import post_init
from tinyframe.test.utils import CaptureQueriesContext


class Publisher(models.Model):
    name = models.CharField(max_length=50)
    founded = models.DateField(null=True)

    class Meta:
        app_label = "select_related_tests"


class Author(models.Model):
    name = models.CharField(max_length=50)
    publisher = models.ForeignKey(Publisher, null=True, on_delete=models.SET_NULL)

    class Meta:
        app_label = "select_related_tests"


class Book(models.Model):
    title = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=6, decimal_places=2, default=decimal.Decimal("9.99"))
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
    editor = models.ForeignKey(Author, null=True, on_delete=models.SET_NULL, related_name="edited")

    class Meta:
        app_label = "select_related_tests"


class Profile(models.Model):
    author = models.OneToOneField(Author, on_delete=models.CASCADE)
    bio = models.CharField(max_length=100)

    class Meta:
        app_label = "select_related_tests"


class Review(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE)
    stars = models.IntegerField(default=3)

    class Meta:
        app_label = "select_related_tests"


class Category(models.Model):
    name = models.CharField(max_length=20)
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE)

    class Meta:
        app_label = "select_related_tests"


class Rowed(models.Model):
    """A model that builds its own instances (from_db): select_related must call it."""

    name = models.CharField(max_length=20)

    class Meta:
        app_label = "select_related_tests"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.built_by = "from_db"
        return instance


class Entry(models.Model):
    rowed = models.ForeignKey(Rowed, on_delete=models.CASCADE)

    class Meta:
        app_label = "select_related_tests"


T = "select_related_tests"
BOOK_COLUMNS = f'"{T}_book"."id", "{T}_book"."title", "{T}_book"."price", "{T}_book"."author_id", "{T}_book"."editor_id"'
AUTHOR_COLUMNS = f'"{T}_author"."id", "{T}_author"."name", "{T}_author"."publisher_id"'
PUBLISHER_COLUMNS = f'"{T}_publisher"."id", "{T}_publisher"."name", "{T}_publisher"."founded"'
JOIN_AUTHOR = f'INNER JOIN "{T}_author" ON ("{T}_book"."author_id" = "{T}_author"."id")'


@pytest.fixture
def library(tables):
    """Le Guin (published by Ace, with a profile) wrote Earthsea, edited by Pratchett (no publisher), who wrote Mort."""
    tables(Publisher, Author, Book, Profile)
    ace = Publisher.objects.create(name="Ace", founded=datetime.date(1952, 1, 1))
    le_guin = Author.objects.create(name="Le Guin", publisher=ace)
    pratchett = Author.objects.create(name="Pratchett")
    Book.objects.create(title="Earthsea", author=le_guin, editor=pratchett, price=decimal.Decimal("12.50"))
    Book.objects.create(title="Mort", author=pratchett)
    Profile.objects.create(author=le_guin, bio="Earthsea")
    return {"ace": ace, "le_guin": le_guin, "pratchett": pratchett}


def queries(block) -> tuple[object, list[str]]:
    """``(block(), [the SQL of every query it ran])``."""
    with CaptureQueriesContext(connection) as captured:
        result = block()
    return result, [query["sql"] for query in captured]


@pytest.mark.parametrize(
    "queryset, sql",
    [
        (lambda: Book.objects.select_related("author"),
         f"SELECT {BOOK_COLUMNS}, {AUTHOR_COLUMNS} FROM \"{T}_book\" {JOIN_AUTHOR}"),
        (lambda: Book.objects.select_related("author__publisher"),
         f"SELECT {BOOK_COLUMNS}, {AUTHOR_COLUMNS}, {PUBLISHER_COLUMNS} FROM \"{T}_book\" {JOIN_AUTHOR} "
         f'LEFT OUTER JOIN "{T}_publisher" ON ("{T}_author"."publisher_id" = "{T}_publisher"."id")'),
        (lambda: Book.objects.select_related(),
         f"SELECT {BOOK_COLUMNS}, {AUTHOR_COLUMNS} FROM \"{T}_book\" {JOIN_AUTHOR}"),
        (lambda: Book.objects.select_related("editor", "author"),
         f"SELECT {BOOK_COLUMNS}, {AUTHOR_COLUMNS}, T3.\"id\", T3.\"name\", T3.\"publisher_id\" FROM \"{T}_book\" "
         f'{JOIN_AUTHOR} LEFT OUTER JOIN "{T}_author" T3 ON ("{T}_book"."editor_id" = T3."id")'),
        (lambda: Book.objects.select_related("author").filter(author__name="Le Guin"),
         f"SELECT {BOOK_COLUMNS}, {AUTHOR_COLUMNS} FROM \"{T}_book\" {JOIN_AUTHOR} WHERE \"{T}_author\".\"name\" = Le Guin"),
        (lambda: Book.objects.select_related("author").annotate(double=F("price") * 2),
         f"SELECT {BOOK_COLUMNS}, (\"{T}_book\".\"price\" * 2) AS \"double\", {AUTHOR_COLUMNS} FROM \"{T}_book\" {JOIN_AUTHOR}"),
        (lambda: Book.objects.select_related("author").order_by("author__name"),
         f"SELECT {BOOK_COLUMNS}, {AUTHOR_COLUMNS} FROM \"{T}_book\" {JOIN_AUTHOR} ORDER BY \"{T}_author\".\"name\" ASC"),
        (lambda: Author.objects.select_related("profile"),
         f'SELECT {AUTHOR_COLUMNS}, "{T}_profile"."id", "{T}_profile"."author_id", "{T}_profile"."bio" FROM "{T}_author" '
         f'LEFT OUTER JOIN "{T}_profile" ON ("{T}_author"."id" = "{T}_profile"."author_id")'),
        (lambda: Book.objects.select_related("author").only("title", "author__name"),
         f'SELECT "{T}_book"."id", "{T}_book"."title", "{T}_book"."author_id", "{T}_author"."id", "{T}_author"."name" '
         f'FROM "{T}_book" {JOIN_AUTHOR}'),
        (lambda: Book.objects.select_related("author").defer("author__publisher"),
         f'SELECT {BOOK_COLUMNS}, "{T}_author"."id", "{T}_author"."name" FROM "{T}_book" {JOIN_AUTHOR}'),
        (lambda: Author.objects.select_related("profile").only("name", "profile__bio"),
         f'SELECT "{T}_author"."id", "{T}_author"."name", "{T}_profile"."id", "{T}_profile"."bio" FROM "{T}_author" '
         f'LEFT OUTER JOIN "{T}_profile" ON ("{T}_author"."id" = "{T}_profile"."author_id")'),
    ],
    ids=["one", "nested", "no-names", "two-to-one-table", "with-filter", "with-annotation", "ordered-by-it",
         "reverse-one-to-one", "only-across", "defer-across", "only-across-reverse-one-to-one"],
)  # fmt: skip
def test_sql_is_djangos(queryset, sql):
    assert str(queryset().query) == sql


def test_a_shape_is_planned_once_and_every_query_of_it_gets_its_joins(library):
    def run(title):
        queryset = Book.objects.select_related("editor", "author").filter(author__name__startswith=title[:2])
        compiler = queryset.query.get_compiler()
        select = compiler.get_select()
        return compiler.select_related_plan, len(select), str(queryset.query), list(queryset)

    first_plan, first_width, first_sql, (earthsea,) = run("Le Guin")
    second_plan, second_width, second_sql, (mort,) = run("Pratchett")
    assert second_plan is first_plan and second_width == first_width == 11
    assert first_sql.replace("Le", "Pr") == second_sql and second_sql.count(" JOIN ") == 2
    assert queries(lambda: (earthsea.author.name, earthsea.editor.name, mort.author.name, mort.editor)) == (
        ("Le Guin", "Pratchett", "Pratchett", None), []
    )  # fmt: skip


def test_one_query_gives_the_books_and_their_authors(library):
    books, sql = queries(lambda: list(Book.objects.select_related("author").order_by("title")))
    assert len(sql) == 1
    names, sql = queries(lambda: [(book.title, book.author.name) for book in books])
    assert (names, sql) == ([("Earthsea", "Le Guin"), ("Mort", "Pratchett")], [])
    assert books[0]._state.fields_cache == {"author": books[0].author}
    assert books[0].author._state.db == "default" and not books[0].author._state.adding


def test_a_null_key_gives_none_without_a_query(library):
    books = list(Book.objects.select_related("editor__publisher").order_by("title"))
    editors, sql = queries(lambda: [book.editor and (book.editor.name, book.editor.publisher) for book in books])
    assert (editors, sql) == ([("Pratchett", None), None], [])


def test_nested_relations_are_built_and_converted(library):
    book = Book.objects.select_related("author__publisher").get(title="Earthsea")
    publisher, sql = queries(lambda: book.author.publisher)
    assert sql == []
    assert (publisher.name, publisher.founded) == ("Ace", datetime.date(1952, 1, 1))
    assert book.price == decimal.Decimal("12.50")


def test_no_names_follows_every_non_null_key(library):
    book = Book.objects.select_related().get(title="Earthsea")
    assert sorted(book._state.fields_cache) == ["author"]
    assert queries(lambda: book.author.name) == ("Le Guin", [])


def test_no_names_stops_at_djangos_depth(library, tables, monkeypatch):
    from tinyframe.db.models import select_related

    tables(Review)
    Review.objects.create(book=Book.objects.get(title="Mort"))
    assert sorted(Review.objects.select_related().get().book._state.fields_cache) == ["author"]
    monkeypatch.setattr(select_related, "MAX_DEPTH", 1)
    review = Review.objects.select_related().get()
    assert sorted(review._state.fields_cache) == ["book"] and "author" not in review.book._state.fields_cache


def test_chained_calls_add_up_and_none_clears(library):
    queryset = Book.objects.select_related("author").select_related("editor")
    assert queryset.query.select_related == {"author": {}, "editor": {}}
    assert Book.objects.select_related().select_related("editor").query.select_related == {"editor": {}}
    assert Book.objects.select_related("editor").select_related().query.select_related is True
    cleared = queryset.select_related(None)
    assert cleared.query.select_related is False
    assert str(cleared.query) == f'SELECT {BOOK_COLUMNS} FROM "{T}_book"'


def test_the_original_queryset_is_not_changed(library):
    books = Book.objects.all()
    books.select_related("author")
    assert books.query.select_related is False


def test_reverse_one_to_one_is_cached_both_ways(library):
    authors = list(Author.objects.select_related("profile").order_by("name"))
    (bio, back), sql = queries(lambda: (authors[0].profile.bio, authors[0].profile.author is authors[0]))
    assert (bio, back, sql) == ("Earthsea", True, [])
    with pytest.raises(Author.profile.RelatedObjectDoesNotExist):
        authors[1].profile


def test_forward_one_to_one_knows_its_way_back(library):
    profile = Profile.objects.select_related("author").get()
    assert queries(lambda: profile.author.profile is profile) == (True, [])


def test_annotations_and_select_related_together(library):
    book = Book.objects.select_related("author").annotate(double=F("price") * 2).get(title="Earthsea")
    assert (book.double, book.author.name) == (decimal.Decimal("25.00"), "Le Guin")


def test_a_grouped_query_groups_by_the_related_columns_too(library):
    queryset = Author.objects.select_related("publisher").annotate(books=Count("book")).order_by("name")
    assert str(queryset.query) == (
        f'SELECT {AUTHOR_COLUMNS}, COUNT("{T}_book"."id") AS "books", {PUBLISHER_COLUMNS} FROM "{T}_author" '
        f'LEFT OUTER JOIN "{T}_book" ON ("{T}_author"."id" = "{T}_book"."author_id") LEFT OUTER JOIN "{T}_publisher" '
        f'ON ("{T}_author"."publisher_id" = "{T}_publisher"."id") GROUP BY {AUTHOR_COLUMNS}, {PUBLISHER_COLUMNS} '
        f'ORDER BY "{T}_author"."name" ASC'
    )
    rows, sql = queries(lambda: [(author.name, author.books, author.publisher and author.publisher.name) for author in queryset])
    assert (rows, len(sql)) == ([("Le Guin", 1, "Ace"), ("Pratchett", 1, None)], 1)


def test_the_generated_hydrator_builds_the_related_objects():
    source = Book.objects.select_related("author").only("title", "author").query.hydrator_source
    assert source == (
        "def hydrate_book_select_related(rows, db, connection):\n"
        "    '''Book rows (id, title, author_id) with author (id, name, publisher_id) -> Book instances.'''\n"
        "    instances = []\n"
        "    append = instances.append\n"
        "    for id, title, author_id, author__id, author__name, author__publisher_id in rows:\n"
        "        state = new(ModelState)\n"
        "        state.db = db\n"
        "        state.adding = False\n"
        "        instance = new(Book)\n"
        "        instance._state = state\n"
        "        instance.id = id\n"
        "        instance.title = title\n"
        "        instance.__dict__['author_id'] = author_id\n"
        "        if author__id is None:\n"
        "            author = None\n"
        "        else:\n"
        "            author_state = new(ModelState)\n"
        "            author_state.db = db\n"
        "            author_state.adding = False\n"
        "            author = new(Author)\n"
        "            author._state = author_state\n"
        "            author.id = author__id\n"
        "            author.name = author__name\n"
        "            author.__dict__['publisher_id'] = author__publisher_id\n"
        "        state.fields_cache = {'author': author}\n"
        "        append(instance)\n"
        "    return instances\n"
    )


def test_iterator_builds_each_chunk_with_its_related_objects(library):
    books, sql = queries(lambda: list(Book.objects.select_related("author").order_by("title").iterator(chunk_size=1)))
    assert len(sql) == 1
    assert queries(lambda: [book.author.name for book in books]) == (["Le Guin", "Pratchett"], [])


def test_self_referential_keys_join_the_table_again(tables):
    tables(Category)
    root = Category.objects.create(name="root")
    Category.objects.create(name="leaf", parent=Category.objects.create(name="branch", parent=root))
    queryset = Category.objects.select_related("parent__parent").filter(name="leaf")
    assert str(queryset.query) == (
        f'SELECT "{T}_category"."id", "{T}_category"."name", "{T}_category"."parent_id", T2."id", T2."name", '
        f'T2."parent_id", T3."id", T3."name", T3."parent_id" FROM "{T}_category" LEFT OUTER JOIN "{T}_category" T2 '
        f'ON ("{T}_category"."parent_id" = T2."id") LEFT OUTER JOIN "{T}_category" T3 ON (T2."parent_id" = T3."id") '
        f'WHERE "{T}_category"."name" = leaf'
    )
    leaf = queryset.get()
    assert queries(lambda: (leaf.parent.name, leaf.parent.parent.name, leaf.parent.parent.parent)) == (
        ("branch", "root", None), []
    )  # fmt: skip
    assert Category.objects.select_related("parent").values("name").query.hydrator_source.startswith("def hydrate_category(")


def test_a_model_with_its_own_from_db_is_built_by_it(tables):
    tables(Rowed, Entry)
    Entry.objects.create(rowed=Rowed.objects.create(name="r"))
    entry = Entry.objects.select_related("rowed").get()
    assert queries(lambda: entry.rowed.built_by) == ("from_db", [])


def test_init_signals_are_sent_for_the_related_objects_too(library):
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(type(instance).__name__)

    post_init.connect(receiver, sender=Author)
    try:
        book = Book.objects.select_related("author__publisher").get(title="Earthsea")
    finally:
        post_init.disconnect(receiver, sender=Author)
    assert seen == ["Author"]
    assert queries(lambda: book.author.publisher.name) == ("Ace", [])


def test_the_slow_path_builds_null_keys_and_one_to_ones_too(library):
    def receiver(sender, instance, **kwargs):
        pass

    post_init.connect(receiver, sender=Profile)
    try:
        books = list(Book.objects.select_related("editor").order_by("title"))
        profile = Profile.objects.select_related("author").get()
        authors = list(Author.objects.select_related("profile").order_by("name"))
    finally:
        post_init.disconnect(receiver, sender=Profile)
    assert queries(lambda: [book.editor and book.editor.name for book in books]) == (["Pratchett", None], [])
    assert queries(lambda: profile.author.profile is profile) == (True, [])
    assert queries(lambda: authors[0].profile.author is authors[0]) == (True, [])


def test_count_exists_and_values_ignore_it(library):
    queryset = Book.objects.select_related("author")
    assert queryset.count() == 2 and queryset.exists()
    count, sql = queries(lambda: queryset[:1].count())
    assert count == 1 and "JOIN" not in sql[0]  # Django leaves the join out of the counted subquery too
    assert list(queryset.filter(title="Mort").values_list("title", flat=True)) == ["Mort"]
    assert str(queryset.values("title").query) == str(Book.objects.values("title").query)


# -- errors, in Django's words -------------------------------------------------------------


@pytest.mark.parametrize(
    "names, message",
    [
        (("nmae",), "Invalid field name(s) given in select_related: 'nmae'. Choices are: author, editor"),
        (("title",), "Non-relational field given in select_related: 'title'. Choices are: author, editor"),
        (("author__nmae",), "Invalid field name(s) given in select_related: 'nmae'. Choices are: publisher, profile"),
        (("author__publisher__x",), "Invalid field name(s) given in select_related: 'x'. Choices are: (none)"),
    ],
)  # fmt: skip
def test_a_bad_name_is_djangos_field_error(library, names, message):
    with pytest.raises(FieldError) as caught:
        list(Book.objects.select_related(*names))
    assert str(caught.value) == message


def test_select_related_after_values_is_refused():
    with pytest.raises(TypeError) as caught:
        Book.objects.values("title").select_related("author")
    assert str(caught.value) == "Cannot call select_related() after .values() or .values_list()"


def test_a_deferred_key_cannot_be_followed(library):
    with pytest.raises(FieldError) as caught:
        list(Book.objects.only("title").select_related("author"))
    assert str(caught.value) == "Field Book.author cannot be both deferred and traversed using select_related at the same time."


def test_only_across_a_relation_loads_the_rest_on_access(library):
    books, sql = queries(lambda: list(Book.objects.select_related("author__publisher").only("title", "author__publisher__name")))
    assert len(sql) == 1
    assert [(book.title, book.author.publisher and book.author.publisher.name) for book in books] == [
        ("Earthsea", "Ace"), ("Mort", None),
    ]  # fmt: skip
    # The author's name was left out (Django 5.2 selects only the author's id and publisher_id): one query loads it.
    name, sql = queries(lambda: books[0].author.name)
    assert (name, len(sql)) == ("Le Guin", 1)


@pytest.mark.parametrize(
    "make, error, message",
    [
        # Django 5.2's errors: a name that is no field, a relation only() leaves out.
        (lambda: Book.objects.select_related("author").only("title", "author__nope"), FieldDoesNotExist, "Author has no field named 'nope'"),
        (lambda: list(Book.objects.select_related("author").only("title", "author__name").defer("author__name")), FieldError,
         "Field Book.author cannot be both deferred and traversed using select_related at the same time."),
        (lambda: list(Book.objects.select_related("author__publisher").only("title", "author__name")), FieldError,
         "Field Author.publisher cannot be both deferred and traversed using select_related at the same time."),
        (lambda: list(Author.objects.select_related("profile").only("name")), FieldError,
         "Field Author.profile cannot be both deferred and traversed using select_related at the same time."),
    ],
    ids=["no-such-field", "only-then-defer", "nested-deferred-key", "reverse-one-to-one-left-out"],
)  # fmt: skip
def test_only_and_defer_across_relations_refuse_as_django_does(library, make, error, message):
    with pytest.raises(error) as caught:
        make()
    assert str(caught.value) == message
