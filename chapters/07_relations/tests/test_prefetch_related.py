"""prefetch_related: one query per relation level, the rows matched to their instances in Python.

The expected SQL strings are Django 5.2's for the same querysets, except where
a comment says otherwise.
"""

import pytest

from tinyframe.core.exceptions import FieldError
from tinyframe.db import connection, models
from tinyframe.db.models import Prefetch, QuerySet, prefetch_related_objects
from tinyframe.db.models.prefetch import ReverseFetcher, match_related_objects, relation_fetcher
from tinyframe.test.utils import CaptureQueriesContext


class Author(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "prefetch_tests"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "prefetch_tests"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=100)
    pages = models.IntegerField(default=100)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
    editor = models.ForeignKey(Author, null=True, on_delete=models.SET_NULL, related_name="edited")
    tags = models.ManyToManyField(Tag)

    class Meta:
        app_label = "prefetch_tests"
        ordering = ["title"]

    def __str__(self):
        return self.title


class Profile(models.Model):
    author = models.OneToOneField(Author, on_delete=models.CASCADE)
    bio = models.CharField(max_length=100)

    class Meta:
        app_label = "prefetch_tests"


@pytest.fixture
def library(tables):
    """Le Guin (two books, a profile), Pratchett (one book, editing Le Guin's first) and Austen (none)."""
    tables(Author, Tag, Book, Profile)
    le_guin = Author.objects.create(name="Le Guin")
    pratchett = Author.objects.create(name="Pratchett")
    Author.objects.create(name="Austen")
    fantasy, classic = Tag.objects.create(name="fantasy"), Tag.objects.create(name="classic")
    earthsea = Book.objects.create(title="Earthsea", pages=180, author=le_guin, editor=pratchett)
    dispossessed = Book.objects.create(title="The Dispossessed", pages=387, author=le_guin)
    mort = Book.objects.create(title="Mort", pages=250, author=pratchett)
    earthsea.tags.add(fantasy, classic)
    mort.tags.add(fantasy)
    Profile.objects.create(author=le_guin, bio="Earthsea")
    return {"le_guin": le_guin, "pratchett": pratchett, "earthsea": earthsea, "dispossessed": dispossessed, "mort": mort}


def queries(block) -> tuple[object, list[str]]:
    """``(block(), [the SQL of every query it ran])``."""
    with CaptureQueriesContext(connection) as captured:
        result = block()
    return result, [query["sql"] for query in captured]


def titles(books) -> list[str]:
    return [book.title for book in books]


# -- the reverse of a foreign key ----------------------------------------------------------


def test_reverse_foreign_key_is_fetched_in_one_more_query(library):
    authors, sql = queries(lambda: list(Author.objects.prefetch_related("book_set")))
    assert len(sql) == 2, sql
    assert sql[1] == (
        'SELECT "prefetch_tests_book"."id", "prefetch_tests_book"."title", "prefetch_tests_book"."pages", '
        '"prefetch_tests_book"."author_id", "prefetch_tests_book"."editor_id" FROM "prefetch_tests_book" '
        'WHERE "prefetch_tests_book"."author_id" IN (%s, %s, %s) ORDER BY "prefetch_tests_book"."title" ASC'
        % tuple(author.pk for author in authors)
    )
    shelves, sql = queries(lambda: {author.name: titles(author.book_set.all()) for author in authors})
    assert sql == []
    assert shelves == {"Austen": [], "Le Guin": ["Earthsea", "The Dispossessed"], "Pratchett": ["Mort"]}


@pytest.mark.exercise("07.5")
def test_prefetched_manager_answers_count_and_exists_without_a_query(library):
    authors = list(Author.objects.prefetch_related("book_set"))
    counts, sql = queries(lambda: [(author.book_set.count(), author.book_set.exists()) for author in authors])
    assert sql == []
    assert counts == [(0, False), (2, True), (1, True)]


@pytest.mark.exercise("07.5")
def test_prefetched_manager_still_filters_with_a_query(library):
    le_guin = Author.objects.prefetch_related("book_set").get(name="Le Guin")
    assert titles(le_guin.book_set.filter(pages__gt=200)) == ["The Dispossessed"]


def test_the_books_fetched_for_an_author_know_their_author(library):
    authors = list(Author.objects.prefetch_related("book_set"))
    names, sql = queries(lambda: [book.author.name for author in authors for book in author.book_set.all()])
    assert sql == []
    assert names == ["Le Guin", "Le Guin", "Pratchett"]


@pytest.mark.exercise("07.5")
def test_results_are_stored_in_the_prefetched_objects_cache_under_the_accessor_name(library):
    le_guin = Author.objects.prefetch_related("edited", "book_set").get(name="Le Guin")
    assert sorted(le_guin._prefetched_objects_cache) == ["book_set", "edited"]
    assert titles(le_guin._prefetched_objects_cache["book_set"]) == ["Earthsea", "The Dispossessed"]


# -- forward foreign keys and one-to-ones ---------------------------------------------------


def test_forward_foreign_key_is_fetched_in_one_more_query_and_a_null_key_is_none(library):
    books, sql = queries(lambda: list(Book.objects.prefetch_related("author", "editor")))
    assert len(sql) == 3, sql
    # Django 5.2 writes ("id" = 1 OR "id" = 2) for the keys; tinyframe writes IN (1, 2).
    assert sql[1].endswith(
        'FROM "prefetch_tests_author" WHERE "prefetch_tests_author"."id" IN (%s, %s)'
        % (library["le_guin"].pk, library["pratchett"].pk)
    )
    people, sql = queries(lambda: [(book.title, book.author.name, book.editor and book.editor.name) for book in books])
    assert sql == []
    assert people == [("Earthsea", "Le Guin", "Pratchett"), ("Mort", "Pratchett", None), ("The Dispossessed", "Le Guin", None)]
    assert books[0]._state.fields_cache["author"] is books[2]._state.fields_cache["author"]


def test_a_deferred_key_is_loaded_before_its_object_is_fetched(library):
    """only() left author_id out: each book loads its key (a query each, as in Django), then one query finds the authors."""
    books, sql = queries(lambda: list(Book.objects.only("title").prefetch_related("author")))
    assert len(sql) == 1 + len(books) + 1, sql
    assert queries(lambda: [(book.title, book.author.name) for book in books]) == (
        [("Earthsea", "Le Guin"), ("Mort", "Pratchett"), ("The Dispossessed", "Le Guin")], [],
    )  # fmt: skip


def test_reverse_and_forward_one_to_one(library):
    authors, sql = queries(lambda: list(Author.objects.prefetch_related("profile")))
    assert len(sql) == 2
    assert sql[1].startswith('SELECT "prefetch_tests_profile"."id"') and 'WHERE "prefetch_tests_profile"."author_id" IN (' in sql[1]
    le_guin, others = authors[1], [authors[0], authors[2]]
    bio, sql = queries(lambda: (le_guin.profile.bio, le_guin.profile.author is le_guin))
    assert (bio, sql) == (("Earthsea", True), [])
    for author in others:
        with pytest.raises(Author.profile.RelatedObjectDoesNotExist):
            author.profile
    profiles = list(Profile.objects.prefetch_related("author"))
    assert queries(lambda: profiles[0].author.profile is profiles[0]) == (True, [])


# -- many-to-many ---------------------------------------------------------------------------


def test_many_to_many_forward_in_one_query_through_the_pair_table(library):
    books, sql = queries(lambda: list(Book.objects.prefetch_related("tags")))
    assert len(sql) == 2
    ids = ", ".join(str(book.pk) for book in books)
    # Django selects the pair table's column first, through extra(); tinyframe, an annotation, after the tag's.
    assert sql[1] == (
        'SELECT "prefetch_tests_tag"."id", "prefetch_tests_tag"."name", "prefetch_tests_book_tags"."book_id" AS '
        '"_prefetch_related_val_book_id" FROM "prefetch_tests_tag" INNER JOIN "prefetch_tests_book_tags" ON '
        '("prefetch_tests_tag"."id" = "prefetch_tests_book_tags"."tag_id") WHERE "prefetch_tests_book_tags"."book_id" '
        f'IN ({ids}) ORDER BY "prefetch_tests_tag"."name" ASC'
    )
    tags, sql = queries(lambda: {book.title: [tag.name for tag in book.tags.all()] for book in books})
    assert sql == []
    assert tags == {"Earthsea": ["classic", "fantasy"], "Mort": ["fantasy"], "The Dispossessed": []}


def test_many_to_many_reverse(library):
    tags, sql = queries(lambda: list(Tag.objects.prefetch_related("book_set")))
    assert len(sql) == 2
    shelves, sql = queries(lambda: {tag.name: titles(tag.book_set.all()) for tag in tags})
    assert sql == []
    assert shelves == {"classic": ["Earthsea"], "fantasy": ["Earthsea", "Mort"]}


# -- nesting, Prefetch, to_attr --------------------------------------------------------------


def test_nested_lookup_runs_one_query_per_level(library):
    authors, sql = queries(lambda: list(Author.objects.prefetch_related("book_set__tags")))
    assert len(sql) == 3
    tags, sql = queries(lambda: {
        author.name: {book.title: [tag.name for tag in book.tags.all()] for book in author.book_set.all()}
        for author in authors
    })  # fmt: skip
    assert sql == []
    assert tags["Le Guin"] == {"Earthsea": ["classic", "fantasy"], "The Dispossessed": []}


def test_a_level_shared_by_two_lookups_is_fetched_once(library):
    _, sql = queries(lambda: list(Author.objects.prefetch_related("book_set__tags", "book_set__editor", "book_set")))
    assert len(sql) == 4


def test_prefetch_with_a_queryset_and_to_attr_gives_a_list(library):
    long_books = Prefetch("book_set", queryset=Book.objects.filter(pages__gt=200), to_attr="long_books")
    authors, sql = queries(lambda: list(Author.objects.prefetch_related(long_books)))
    assert len(sql) == 2
    assert 'WHERE ("prefetch_tests_book"."pages" > 200 AND "prefetch_tests_book"."author_id" IN (' in sql[1]
    assert {author.name: titles(author.long_books) for author in authors} == {
        "Austen": [], "Le Guin": ["The Dispossessed"], "Pratchett": ["Mort"],
    }  # fmt: skip
    assert isinstance(authors[1].long_books, list)
    assert "book_set" not in getattr(authors[1], "_prefetched_objects_cache", {})


def test_a_sliced_prefetch_queryset_slices_each_instances_objects(library):
    # Django 5.2 cuts every author's books, not all the books: the first by pages, and all but the first by title.
    longest = Prefetch("book_set", queryset=Book.objects.order_by("-pages")[:1], to_attr="longest")
    later = Prefetch("book_set", queryset=Book.objects.order_by("title")[1:], to_attr="later")
    authors, sql = queries(lambda: list(Author.objects.prefetch_related(longest, later)))
    assert len(sql) == 3
    found = {author.name: (titles(author.longest), titles(author.later)) for author in authors}
    assert found == {"Austen": ([], []), "Le Guin": (["The Dispossessed"], ["The Dispossessed"]), "Pratchett": (["Mort"], [])}
    last_book = Prefetch("book_set", queryset=Book.objects.order_by("-title")[:1], to_attr="last_book")
    assert {tag.name: titles(tag.last_book) for tag in Tag.objects.prefetch_related(last_book)} == {
        "classic": ["Earthsea"], "fantasy": ["Mort"],
    }  # fmt: skip


def test_a_prefetch_queryset_filtering_across_the_relation_filters_the_same_row(library):
    # Django 5.2 shares the queryset's join of the pair table: each book's tags that are tags *of that book* by
    # Le Guin, so Mort (Pratchett's) gets none, though its tag "fantasy" is on a Le Guin book too.
    by_le_guin = Prefetch("tags", queryset=Tag.objects.filter(book__author__name="Le Guin"))
    books = Book.objects.prefetch_related(by_le_guin)
    assert {book.title: [tag.name for tag in book.tags.all()] for book in books} == {
        "Earthsea": ["classic", "fantasy"], "Mort": [], "The Dispossessed": [],
    }  # fmt: skip


@pytest.mark.exercise("07.5")
def test_prefetch_with_a_queryset_and_no_to_attr_fills_the_manager(library):
    authors = list(Author.objects.prefetch_related(Prefetch("book_set", queryset=Book.objects.filter(pages__gt=200))))
    assert queries(lambda: titles(authors[1].book_set.all())) == (["The Dispossessed"], [])
    # Django 5.2: the manager's queryset is the Prefetch's, so a filter chained on it keeps pages > 200.
    assert titles(authors[1].book_set.all().filter(title__startswith="E")) == [], (
        "Earthsea (180 pages) is not one of the Prefetch queryset's books: a filter chained on the prefetched "
        "manager keeps the Prefetch's filter (match_related_objects hands queryset to fetcher.cached_queryset)"
    )
    assert titles(authors[1].book_set.filter(pages__lt=400)) == ["The Dispossessed"]


def test_to_attr_on_a_single_relation_holds_the_object(library):
    books = list(Book.objects.prefetch_related(Prefetch("editor", to_attr="the_editor")))
    assert [book.the_editor and book.the_editor.name for book in books] == ["Pratchett", None, None]


def test_a_prefetch_queryset_may_prefetch_further_in_the_same_walk(library):
    inner = Prefetch("book_set", queryset=Book.objects.prefetch_related("tags"))
    authors, sql = queries(lambda: list(Author.objects.prefetch_related(inner)))
    assert len(sql) == 3
    assert queries(lambda: [tag.name for tag in authors[1].book_set.all()[0].tags.all()]) == (["classic", "fantasy"], [])


def test_prefetch_through_a_select_related_object_needs_no_query_for_it(library):
    books, sql = queries(lambda: list(Book.objects.select_related("author").prefetch_related("author__book_set")))
    assert len(sql) == 2
    assert queries(lambda: titles(books[0].author.book_set.all())) == (["Earthsea", "The Dispossessed"], [])


def test_prefetch_walks_through_levels_fetched_already(library):
    authors = list(Author.objects.prefetch_related("book_set"))
    _, sql = queries(lambda: prefetch_related_objects(authors, "book_set__tags"))
    assert len(sql) == 1  # the tags only: the books were prefetched
    assert [tag.name for tag in authors[1].book_set.all()[0].tags.all()] == ["classic", "fantasy"]
    with_profiles = list(Author.objects.select_related("profile"))
    _, sql = queries(lambda: prefetch_related_objects(with_profiles, "profile__author__book_set"))
    assert len(sql) == 1  # a missing profile is left out, as a missing editor is below
    books = list(Book.objects.select_related("editor"))
    _, sql = queries(lambda: prefetch_related_objects(books, "editor__edited"))
    assert len(sql) == 1
    assert [titles(book.editor.edited.all()) for book in books if book.editor] == [["Earthsea"]]


# -- the QuerySet method ---------------------------------------------------------------------


def test_calls_add_up_and_none_clears_them(library):
    queryset = Author.objects.prefetch_related("book_set").prefetch_related("edited")
    assert queryset._prefetch_related_lookups == ("book_set", "edited")
    assert queryset.prefetch_related(None)._prefetch_related_lookups == ()
    assert len(queries(lambda: list(queryset.prefetch_related(None)))[1]) == 1


def test_prefetch_related_survives_refining_and_is_done_once(library):
    queryset = Author.objects.prefetch_related("book_set").filter(name__startswith="P")
    authors, sql = queries(lambda: (list(queryset), list(queryset)))
    assert len(sql) == 2
    assert titles(authors[0][0].book_set.all()) == ["Mort"]


def test_get_and_first_prefetch_too(library):
    author, sql = queries(lambda: Author.objects.prefetch_related("book_set").get(name="Pratchett"))
    assert len(sql) == 2 and titles(author.book_set.all()) == ["Mort"]
    author, sql = queries(lambda: Author.objects.prefetch_related("book_set").first())
    assert len(sql) == 2 and titles(author.book_set.all()) == []


def test_iterator_prefetches_each_chunk(library):
    authors, sql = queries(lambda: list(Author.objects.prefetch_related("book_set").iterator(chunk_size=2)))
    assert len(sql) == 3  # the authors (read two at a time), then each chunk's books
    assert [titles(author.book_set.all()) for author in authors] == [[], ["Earthsea", "The Dispossessed"], ["Mort"]]


def test_iterator_needs_a_chunk_size_after_prefetch_related(library):
    with pytest.raises(ValueError) as caught:
        Author.objects.prefetch_related("book_set").iterator()
    assert str(caught.value) == "chunk_size must be provided when using QuerySet.iterator() after prefetch_related()."


def test_values_ignore_prefetch_related_as_in_django(library):
    rows, sql = queries(lambda: list(Author.objects.prefetch_related("book_set").values("name")))
    assert len(sql) == 1 and rows[0] == {"name": "Austen"}


def test_an_empty_result_runs_no_prefetch_query(library):
    assert len(queries(lambda: list(Author.objects.filter(name="nobody").prefetch_related("book_set")))[1]) == 1


# -- prefetch_related_objects ----------------------------------------------------------------


def test_prefetch_related_objects_fills_instances_fetched_any_way(library):
    books = [Book.objects.get(title="Mort"), Book.objects.get(title="Earthsea")]
    _, sql = queries(lambda: prefetch_related_objects(books, "author", "tags"))
    assert len(sql) == 2
    assert queries(lambda: [(book.author.name, [tag.name for tag in book.tags.all()]) for book in books]) == (
        [("Pratchett", ["fantasy"]), ("Le Guin", ["classic", "fantasy"])], []
    )  # fmt: skip


def test_prefetch_related_objects_skips_what_is_fetched_already(library):
    authors = list(Author.objects.prefetch_related("book_set"))
    assert queries(lambda: prefetch_related_objects(authors, "book_set"))[1] == []
    assert queries(lambda: prefetch_related_objects([], "book_set"))[1] == []


# -- errors, in Django's words ---------------------------------------------------------------


@pytest.mark.parametrize(
    "lookup, error, message",
    [
        ("nmae", AttributeError, "Cannot find 'nmae' on Author object, 'nmae' is an invalid parameter to prefetch_related()"),
        ("book_set__nmae", AttributeError,
         "Cannot find 'nmae' on Book object, 'book_set__nmae' is an invalid parameter to prefetch_related()"),
        ("name", ValueError,
         "'name' does not resolve to an item that supports prefetching - this is an invalid parameter to prefetch_related()."),
    ],
)  # fmt: skip
def test_a_lookup_that_is_no_relation_is_refused(library, lookup, error, message):
    with pytest.raises(error) as caught:
        list(Author.objects.prefetch_related(lookup))
    assert str(caught.value) == message


def test_a_prefetch_queryset_must_give_instances():
    with pytest.raises(ValueError) as caught:
        Prefetch("book_set", queryset=Book.objects.values("title"))
    assert str(caught.value) == "Prefetch querysets cannot use raw(), values(), and values_list()."


def test_the_same_place_with_another_queryset_is_refused(library):
    lookups = (Prefetch("book_set", to_attr="chosen"), Prefetch("book_set", queryset=Book.objects.all(), to_attr="chosen"))
    with pytest.raises(ValueError) as caught:
        list(Author.objects.prefetch_related(*lookups))
    assert str(caught.value) == (
        "'chosen' lookup was already seen with a different queryset. You may need to adjust the ordering of your lookups."
    )


def test_prefetch_objects_compare_by_where_they_store():
    assert Prefetch("book_set") == Prefetch("book_set")
    assert Prefetch("book_set", to_attr="long") != Prefetch("book_set")
    assert Prefetch("book_set__tags", to_attr="labels").prefetch_to == "book_set__labels"
    assert repr(Prefetch("book_set", to_attr="long")) == "<Prefetch: long>"
    assert len({Prefetch("book_set"), Prefetch("book_set")}) == 1
    assert Prefetch("book_set") != "book_set"


# -- exercise 07.5: matching the fetched rows to their instances -----------------------------


@pytest.mark.exercise("07.5")
def test_matching_gives_each_instance_its_own_rows_in_the_query_order(library):
    authors = list(Author.objects.order_by("name"))
    books = list(Book.objects.order_by("-pages"))
    match_related_objects(authors, books, relation_fetcher(Author, "book_set"))
    assert {author.name: titles(author._prefetched_objects_cache["book_set"]) for author in authors} == {
        "Austen": [], "Le Guin": ["The Dispossessed", "Earthsea"], "Pratchett": ["Mort"],
    }  # fmt: skip
    assert queries(lambda: titles(authors[1].book_set.all())) == (["The Dispossessed", "Earthsea"], [])
    stored = authors[1]._prefetched_objects_cache["book_set"]
    assert isinstance(stored, QuerySet), (
        f"a related manager's prefetched books are stored as fetcher.cached_queryset(instance, group, queryset), "
        f"a QuerySet whose results are ready, so author.book_set answers like a manager; got {type(stored).__name__}"
    )
    assert queries(lambda: (authors[1].book_set.count(), authors[0].book_set.exists())) == ((2, False), [])


@pytest.mark.exercise("07.5")
def test_matching_with_a_prefetch_queryset_keeps_its_filter_when_chained(library):
    authors = list(Author.objects.order_by("name"))
    long_books = Book.objects.filter(pages__gt=200)
    match_related_objects(authors, list(long_books), relation_fetcher(Author, "book_set"), queryset=long_books)
    le_guin = authors[1]
    assert queries(lambda: titles(le_guin.book_set.all())) == (["The Dispossessed"], [])
    # Django 5.2 chains on the Prefetch's queryset: Earthsea (180 pages) stays out of every later filter.
    assert titles(le_guin.book_set.all().filter(title__startswith="E")) == [], (
        "le_guin.book_set.all().filter(title__startswith='E') found Earthsea, which the prefetch queryset "
        "(pages > 200) left out: store fetcher.cached_queryset(instance, group, queryset), with the queryset given"
    )
    assert titles(le_guin.book_set.filter(pages__lt=400)) == ["The Dispossessed"]
    assert titles(authors[2].book_set.exclude(title="Earthsea")) == ["Mort"]


@pytest.mark.exercise("07.5")
def test_matching_a_single_relation_stores_the_object_or_none(library):
    books = list(Book.objects.order_by("title"))
    match_related_objects(books, [library["pratchett"]], relation_fetcher(Book, "editor"))
    assert [book._state.fields_cache["editor"] for book in books] == [library["pratchett"], None, None]
    assert queries(lambda: books[1].editor) == (None, [])


@pytest.mark.exercise("07.5")
def test_matching_to_an_attribute_gives_lists_or_objects(library):
    authors = list(Author.objects.order_by("name"))
    match_related_objects(authors, list(Book.objects.all()), relation_fetcher(Author, "book_set"), to_attr="books")
    assert [titles(author.books) for author in authors] == [[], ["Earthsea", "The Dispossessed"], ["Mort"]]
    assert not hasattr(authors[1], "_prefetched_objects_cache")
    books = list(Book.objects.order_by("title"))
    match_related_objects(books, list(Author.objects.all()), relation_fetcher(Book, "author"), to_attr="writer")
    assert [book.writer.name for book in books] == ["Le Guin", "Pratchett", "Le Guin"]
    assert "author" not in books[0]._state.fields_cache


@pytest.mark.exercise("07.5")
def test_matching_refuses_a_to_attr_that_is_a_field(library):
    authors = list(Author.objects.all())
    with pytest.raises(ValueError) as caught:
        match_related_objects(authors, [], relation_fetcher(Author, "book_set"), to_attr="name")
    assert str(caught.value) == "to_attr=name conflicts with a field on the Author model."


@pytest.mark.exercise("07.5")
def test_matching_through_the_queryset_method(library):
    authors = list(Author.objects.prefetch_related("book_set"))
    assert [titles(author.book_set.all()) for author in authors] == [[], ["Earthsea", "The Dispossessed"], ["Mort"]]
    assert isinstance(relation_fetcher(Author, "book_set"), ReverseFetcher)
