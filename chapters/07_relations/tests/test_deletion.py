"""Deleting rows that others point at: the Collector's order, cascades, through rows, signals and counts.

The expected counts, orders and SQL statements are what Django 5.2 gives for
the same models and rows.
"""

import pytest

from tinyframe.db import IntegrityError, connection, models, transaction
from tinyframe.db.models.deletion import Collector
from tinyframe.db.models.signals import post_delete, pre_delete
from tinyframe.test.utils import CaptureQueriesContext


class DelAuthor(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "deletion_tests"

    def __str__(self):
        return self.name


class DelTag(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "deletion_tests"

    def __str__(self):
        return self.name


class DelBook(models.Model):
    title = models.CharField(max_length=50)
    author = models.ForeignKey(DelAuthor, models.CASCADE)
    tags = models.ManyToManyField(DelTag)

    class Meta:
        app_label = "deletion_tests"

    def __str__(self):
        return self.title


class DelChapter(models.Model):
    title = models.CharField(max_length=50)
    book = models.ForeignKey(DelBook, models.CASCADE)

    class Meta:
        app_label = "deletion_tests"

    def __str__(self):
        return self.title


class DelCategory(models.Model):
    name = models.CharField(max_length=50)
    parent = models.ForeignKey("self", models.CASCADE, null=True, related_name="children")

    class Meta:
        app_label = "deletion_tests"

    def __str__(self):
        return self.name


class DelShelf(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "deletion_tests"

    def __str__(self):
        return self.name


class DelSticker(models.Model):
    """Points at a shelf and is left alone when the shelf goes: the shelf's only incoming relation."""

    shelf = models.ForeignKey(DelShelf, models.DO_NOTHING, db_constraint=False, related_name="stickers")

    class Meta:
        app_label = "deletion_tests"


BookTags = DelBook.tags.through

BOOKS = [("Earthsea", "Le Guin", ["fantasy"]), ("Dispossessed", "Le Guin", ["scifi"]),
         ("Lathe", "Le Guin", ["scifi", "fantasy"]), ("Dune", "Herbert", ["scifi"])]  # fmt: skip


@pytest.fixture
def library(tables):
    """Two authors, two tags, four books (five through rows) and six chapters; the authors by name."""
    tables(DelAuthor, DelTag, DelBook, DelChapter)
    authors = {name: DelAuthor.objects.create(name=name) for name in ["Le Guin", "Herbert"]}
    tags = {name: DelTag.objects.create(name=name) for name in ["scifi", "fantasy"]}
    for title, author, tag_names in BOOKS:
        book = DelBook.objects.create(title=title, author=authors[author])
        for tag_name in tag_names:
            BookTags.objects.create(delbook=book, deltag=tags[tag_name])
        if title != "Lathe":
            for number in (1, 2):
                DelChapter.objects.create(title=f"{title} {number}", book=book)
    return authors


def row_counts() -> dict:
    """How many rows every table of the library holds."""
    return {model.__name__: model.objects.count() for model in (DelAuthor, DelTag, DelBook, DelChapter, BookTags)}


FULL = {"DelAuthor": 2, "DelTag": 2, "DelBook": 4, "DelChapter": 6, "DelBook_tags": 5}


def statements(context) -> list[str]:
    """The statements a block ran, without the transaction's own BEGIN and COMMIT."""
    return [query["sql"] for query in context if query["sql"] not in ("BEGIN", "COMMIT")]


@pytest.fixture
def receivers():
    """``receivers(signal, function, sender)``: connect for this test only."""
    connected = []

    def connect(signal, function, sender):
        signal.connect(function, sender=sender)
        connected.append((signal, function, sender))

    yield connect
    for signal, function, sender in connected:
        signal.disconnect(function, sender=sender)


# -- exercise 07.4: Collector.sort ---------------------------------------------------


@pytest.mark.exercise("07.4")
def test_sort_puts_every_model_before_the_models_it_points_at():
    collector = Collector("default")
    collector.data = {DelAuthor: {"an author"}, DelBook: {"a book"}, DelChapter: {"a chapter"}}
    collector.add_dependency(DelAuthor, DelBook)  # an author waits for its books
    collector.add_dependency(DelBook, DelChapter)  # a book waits for its chapters
    collector.sort()
    assert list(collector.data) == [DelChapter, DelBook, DelAuthor], (
        "Collector.sort() with Author -> Book -> Chapter collected in that order should delete chapters first"
    )
    assert collector.data[DelBook] == {"a book"}, "sort() reorders the models and keeps each one's rows"


@pytest.mark.exercise("07.4")
def test_sort_keeps_the_collection_order_where_nothing_waits():
    collector = Collector("default")
    collector.data = {DelTag: set(), DelAuthor: set(), DelBook: set(), DelCategory: set()}
    collector.add_dependency(DelAuthor, DelBook)
    collector.sort()
    # First pass: Tag, then Author waits, Book and Category go; second pass: Author.
    assert list(collector.data) == [DelTag, DelBook, DelCategory, DelAuthor]
    collector.dependencies.clear()
    collector.sort()
    assert list(collector.data) == [DelTag, DelBook, DelCategory, DelAuthor], "no dependencies: the order stays"


@pytest.mark.exercise("07.4")
def test_sort_counts_a_model_taken_earlier_in_the_same_pass():
    collector = Collector("default")
    collector.data = {DelChapter: set(), DelBook: set(), DelTag: set(), DelAuthor: set()}
    collector.add_dependency(DelAuthor, DelBook)
    collector.add_dependency(DelBook, DelChapter)
    collector.sort()
    # Books wait only for chapters, taken just before them in the same pass: Django's order keeps them
    # ahead of the tags (a second pass for the books would give Chapter, Tag, Book, Author).
    assert [model.__name__ for model in collector.data] == ["DelChapter", "DelBook", "DelTag", "DelAuthor"]


@pytest.mark.exercise("07.4")
def test_sort_leaves_a_cycle_in_its_collection_order():
    collector = Collector("default")
    collector.data = {DelAuthor: {1}, DelBook: {2}, DelTag: {3}}
    collector.add_dependency(DelAuthor, DelBook)
    collector.add_dependency(DelBook, DelAuthor)
    before = collector.data
    collector.sort()
    assert list(collector.data) == [DelAuthor, DelBook, DelTag], "a cycle cannot be ordered: nothing moves"
    assert collector.data is before, "sort() gives up without replacing data when a pass takes no model"


def test_a_reverse_dependency_swaps_the_two_models():
    collector = Collector("default")
    collector.add_dependency(DelBook, DelAuthor, reverse_dependency=True)
    assert collector.dependencies == {DelAuthor: {DelBook}}
    assert list(collector.data) == [DelBook], "the model waited for is filed, with no rows yet"


@pytest.mark.exercise("07.4")
def test_deleting_an_author_deletes_rows_before_the_rows_they_point_at(library):
    with CaptureQueriesContext(connection) as context:
        library["Le Guin"].delete()
    deletes = [sql.split('"')[1] for sql in statements(context) if sql.startswith("DELETE")]
    assert deletes == [
        "deletion_tests_delbook_tags", "deletion_tests_delchapter", "deletion_tests_delbook", "deletion_tests_delauthor",
    ]  # fmt: skip


# -- cascades and counts ---------------------------------------------------------------


def test_deleting_an_author_cascades_three_levels_with_djangos_counts(library):
    le_guin = library["Le Guin"]
    assert le_guin.delete() == (
        12,
        {"deletion_tests.DelBook_tags": 4, "deletion_tests.DelChapter": 4, "deletion_tests.DelBook": 3,
         "deletion_tests.DelAuthor": 1},
    )  # fmt: skip
    assert row_counts() == {"DelAuthor": 1, "DelTag": 2, "DelBook": 1, "DelChapter": 2, "DelBook_tags": 1}
    assert [book.title for book in DelBook.objects.all()] == ["Dune"], "Herbert's book stays"
    assert le_guin.pk is None, "a deleted instance names no row any more"


def test_a_cascade_fetches_only_the_keys_and_fast_deletes_the_last_level(library):
    """Nobody listens: books are fetched by key only, chapters and through rows go without a SELECT."""
    with CaptureQueriesContext(connection) as context:
        library["Le Guin"].delete()
    assert statements(context) == [
        'SELECT "deletion_tests_delbook"."id" FROM "deletion_tests_delbook" WHERE "deletion_tests_delbook"."author_id" IN (1)',
        'DELETE FROM "deletion_tests_delbook_tags" WHERE "deletion_tests_delbook_tags"."delbook_id" IN (1, 2, 3)',
        'DELETE FROM "deletion_tests_delchapter" WHERE "deletion_tests_delchapter"."book_id" IN (1, 2, 3)',
        'DELETE FROM "deletion_tests_delbook" WHERE "deletion_tests_delbook"."id" IN (3, 2, 1)',
        'DELETE FROM "deletion_tests_delauthor" WHERE "deletion_tests_delauthor"."id" IN (1)',
    ]  # fmt: skip


def test_queryset_delete_goes_through_the_collector(library):
    assert DelAuthor.objects.filter(name="Le Guin").delete() == (
        12,
        {"deletion_tests.DelBook_tags": 4, "deletion_tests.DelChapter": 4, "deletion_tests.DelBook": 3,
         "deletion_tests.DelAuthor": 1},
    )  # fmt: skip
    assert DelAuthor.objects.filter(name="nobody").delete() == (0, {})
    assert row_counts()["DelAuthor"] == 1


def test_deleting_a_book_deletes_its_chapters_and_through_rows_in_three_statements(library):
    lathe = DelBook.objects.get(title="Lathe")
    with CaptureQueriesContext(connection) as context:
        assert lathe.delete() == (3, {"deletion_tests.DelBook_tags": 2, "deletion_tests.DelBook": 1})
    assert len(statements(context)) == 3, f"expected the fast deletes and the book's DELETE, got {statements(context)}"
    assert row_counts() == {**FULL, "DelBook": 3, "DelBook_tags": 3}


def test_deleting_a_tag_deletes_its_through_rows_and_no_book(library):
    scifi = DelTag.objects.get(name="scifi")
    assert scifi.delete() == (4, {"deletion_tests.DelBook_tags": 3, "deletion_tests.DelTag": 1})
    assert row_counts() == {**FULL, "DelTag": 1, "DelBook_tags": 2}
    assert list(BookTags.objects.values_list("deltag_id", flat=True).distinct()) == [DelTag.objects.get().pk]


# -- what one delete costs: the whole query log, BEGIN and COMMIT included, as Django 5.2 sends it ----


def query_log(block) -> tuple[object, list[str]]:
    """``(block(), [every statement it sent])``, the transaction's BEGIN and COMMIT included."""
    with CaptureQueriesContext(connection) as context:
        result = block()
    return result, [query["sql"] for query in context]


def test_one_row_of_a_model_nothing_points_at_is_deleted_by_its_delete_alone(library):
    chapter = DelChapter.objects.get(title="Dune 1")
    key = chapter.pk
    result, sql = query_log(chapter.delete)
    assert result == (1, {"deletion_tests.DelChapter": 1})
    assert sql == [f'DELETE FROM "deletion_tests_delchapter" WHERE "deletion_tests_delchapter"."id" IN ({key})'], (
        "one statement is atomic on its own: Django sends no BEGIN or COMMIT around a single row's DELETE"
    )
    assert chapter.pk is None


def test_a_row_deleted_already_answers_zero_for_its_model(library):
    chapter = DelChapter.objects.get(title="Dune 1")
    DelChapter.objects.filter(pk=chapter.pk).delete()
    result, sql = query_log(chapter.delete)
    assert result == (0, {"deletion_tests.DelChapter": 0}), "Django names the model even when no row went"
    assert len(sql) == 1 and sql[0].startswith('DELETE FROM "deletion_tests_delchapter"'), sql


def test_one_row_whose_incoming_relations_are_all_do_nothing_is_deleted_alone(tables):
    tables(DelShelf, DelSticker)
    top = DelShelf.objects.create(name="top")
    DelSticker.objects.create(shelf=top)
    result, sql = query_log(top.delete)
    assert (result, sql) == (
        (1, {"deletion_tests.DelShelf": 1}), ['DELETE FROM "deletion_tests_delshelf" WHERE "deletion_tests_delshelf"."id" IN (1)'],
    ), "DO_NOTHING: no query for the stickers, and no transaction for one statement"  # fmt: skip
    assert list(DelSticker.objects.values_list("shelf_id", flat=True)) == [1], "the sticker still holds the old key"


def test_a_queryset_delete_runs_in_a_transaction(library, tables):
    tables(DelShelf, DelSticker)
    DelShelf.objects.create(name="top")
    assert query_log(DelChapter.objects.filter(title="Dune 1").delete) == ((1, {"deletion_tests.DelChapter": 1}), [
        "BEGIN", 'DELETE FROM "deletion_tests_delchapter" WHERE "deletion_tests_delchapter"."title" = \'Dune 1\'', "COMMIT",
    ])  # fmt: skip
    assert query_log(DelShelf.objects.filter(name="top").delete) == ((1, {"deletion_tests.DelShelf": 1}), [
        "BEGIN", 'DELETE FROM "deletion_tests_delshelf" WHERE "deletion_tests_delshelf"."name" = \'top\'', "COMMIT",
    ])  # fmt: skip


def test_a_row_with_receivers_is_deleted_in_a_transaction(library, tables, receivers):
    tables(DelShelf, DelSticker)
    heard = []
    receivers(pre_delete, lambda sender, instance, **kwargs: heard.append(str(instance)), DelChapter)
    receivers(post_delete, lambda sender, instance, **kwargs: heard.append(str(instance)), DelShelf)
    chapter, top = DelChapter.objects.get(title="Dune 1"), DelShelf.objects.create(name="top")
    key = chapter.pk
    assert query_log(chapter.delete)[1] == [
        "BEGIN", f'DELETE FROM "deletion_tests_delchapter" WHERE "deletion_tests_delchapter"."id" IN ({key})',
        "COMMIT",
    ], "a receiver's work and the DELETE stand or fall together"  # fmt: skip
    assert query_log(top.delete)[1] == [
        "BEGIN", 'DELETE FROM "deletion_tests_delshelf" WHERE "deletion_tests_delshelf"."id" IN (1)', "COMMIT",
    ]  # fmt: skip
    assert heard == ["Dune 1", "top"]


@pytest.fixture
def guarded_chapter(library):
    """The chapter "Dune 1", whose row a trigger refuses to delete."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TRIGGER deletion_tests_keep_dune BEFORE DELETE ON deletion_tests_delchapter "
            "WHEN old.title = 'Dune 1' BEGIN SELECT RAISE(ABORT, 'Dune 1 stays'); END"
        )
    return DelChapter.objects.get(title="Dune 1")


def test_a_lone_delete_that_fails_leaves_the_table_as_it_was(guarded_chapter):
    key = guarded_chapter.pk
    with pytest.raises(IntegrityError, match="^Dune 1 stays$"):
        guarded_chapter.delete()
    assert guarded_chapter.pk == key, "the key is cleared only after a delete that succeeded"
    assert row_counts() == FULL


def test_a_lone_delete_that_fails_dooms_the_atomic_block_around_it(guarded_chapter):
    with pytest.raises(transaction.TransactionManagementError) as caught:
        with transaction.atomic():
            DelTag.objects.create(name="poetry")
            with pytest.raises(IntegrityError):
                guarded_chapter.delete()
            assert connection.needs_rollback, "the failed DELETE marks the block for rollback, as in Django"
            DelTag.objects.count()
    assert str(caught.value) == (
        "An error occurred in the current transaction. You can't execute queries until the end of the 'atomic' block."
    )
    assert row_counts() == FULL, "the block rolled back: no new tag, and the chapter is still there"


def test_a_self_referential_tree_is_deleted_level_by_level_in_one_delete(tables):
    tables(DelCategory)
    root = DelCategory.objects.create(name="root")
    fiction = DelCategory.objects.create(name="fiction", parent=root)
    DelCategory.objects.create(name="poetry", parent=root)
    DelCategory.objects.create(name="novels", parent=fiction)
    DelCategory.objects.create(name="other")
    with CaptureQueriesContext(connection) as context:
        assert root.delete() == (4, {"deletion_tests.DelCategory": 4})
    assert statements(context) == [
        'SELECT "deletion_tests_delcategory"."id" FROM "deletion_tests_delcategory" WHERE "deletion_tests_delcategory"."parent_id" IN (1)',
        'SELECT "deletion_tests_delcategory"."id" FROM "deletion_tests_delcategory" WHERE "deletion_tests_delcategory"."parent_id" IN (2, 3)',
        'SELECT "deletion_tests_delcategory"."id" FROM "deletion_tests_delcategory" WHERE "deletion_tests_delcategory"."parent_id" IN (4)',
        'DELETE FROM "deletion_tests_delcategory" WHERE "deletion_tests_delcategory"."id" IN (4, 3, 2, 1)',
    ]  # fmt: skip
    assert [category.name for category in DelCategory.objects.all()] == ["other"]


# -- signals and the transaction ---------------------------------------------------------


def test_signals_are_sent_for_every_row_in_djangos_order(library, receivers):
    heard = []

    def before(sender, instance, origin, **kwargs):
        heard.append(("pre", sender.__name__, str(instance), origin))

    def after(sender, instance, origin, **kwargs):
        heard.append(("post", sender.__name__, str(instance), origin))

    for model in (DelAuthor, DelBook, DelChapter):
        receivers(pre_delete, before, model)
        receivers(post_delete, after, model)
    le_guin = library["Le Guin"]
    assert le_guin.delete()[0] == 12
    # pre_delete row by row in deletion order, keys ascending; post_delete after each model's DELETE,
    # keys descending. The through rows, made by the framework, send nothing.
    assert heard == [
        ("pre", "DelChapter", "Earthsea 1", le_guin), ("pre", "DelChapter", "Earthsea 2", le_guin),
        ("pre", "DelChapter", "Dispossessed 1", le_guin), ("pre", "DelChapter", "Dispossessed 2", le_guin),
        ("pre", "DelBook", "Earthsea", le_guin), ("pre", "DelBook", "Dispossessed", le_guin),
        ("pre", "DelBook", "Lathe", le_guin), ("pre", "DelAuthor", "Le Guin", le_guin),
        ("post", "DelChapter", "Dispossessed 2", le_guin), ("post", "DelChapter", "Dispossessed 1", le_guin),
        ("post", "DelChapter", "Earthsea 2", le_guin), ("post", "DelChapter", "Earthsea 1", le_guin),
        ("post", "DelBook", "Lathe", le_guin), ("post", "DelBook", "Dispossessed", le_guin),
        ("post", "DelBook", "Earthsea", le_guin), ("post", "DelAuthor", "Le Guin", le_guin),
    ]  # fmt: skip


def test_a_queryset_delete_is_the_signals_origin(library, receivers):
    origins = []
    receivers(pre_delete, lambda sender, origin, **kwargs: origins.append(origin), DelBook)
    queryset = DelAuthor.objects.filter(name="Herbert")
    queryset.delete()
    assert origins == [queryset], "QuerySet.delete() sends the queryset as origin, as in Django"


def test_a_listened_model_is_fetched_whole_and_deleted_by_key(library, receivers):
    deleted = []
    receivers(post_delete, lambda sender, instance, **kwargs: deleted.append(instance.title), DelChapter)
    dune = DelBook.objects.get(title="Dune")
    with CaptureQueriesContext(connection) as context:
        assert dune.delete() == (
            4, {"deletion_tests.DelBook_tags": 1, "deletion_tests.DelChapter": 2, "deletion_tests.DelBook": 1}
        )  # fmt: skip
    assert statements(context)[0].startswith(
        'SELECT "deletion_tests_delchapter"."id", "deletion_tests_delchapter"."title", "deletion_tests_delchapter"."book_id"'
    ), "a receiver sees whole rows"
    assert statements(context)[2].startswith('DELETE FROM "deletion_tests_delchapter" WHERE "deletion_tests_delchapter"."id" IN (')
    assert deleted == ["Dune 2", "Dune 1"]


def test_a_post_delete_receiver_that_raises_rolls_everything_back(library, receivers):
    def fail(sender, instance, **kwargs):
        raise RuntimeError("receiver failed")

    receivers(post_delete, fail, DelAuthor)
    le_guin = library["Le Guin"]
    with pytest.raises(RuntimeError, match="receiver failed"):
        le_guin.delete()
    assert row_counts() == FULL, "the delete ran in one transaction: all of it is undone"
    assert le_guin.pk is not None, "the key is cleared only after a delete that succeeded"


def test_many_rows_are_looked_up_and_deleted_in_batches_under_the_parameter_limit(library, monkeypatch):
    monkeypatch.setattr(connection.ops, "max_query_params", 2)
    with CaptureQueriesContext(connection) as context:
        assert DelAuthor.objects.filter(name="Le Guin").delete()[0] == 12
    selects = [sql.split(" WHERE ")[1] for sql in statements(context) if sql.startswith('SELECT "deletion_tests_delbook"')]
    assert selects == ['"deletion_tests_delbook"."author_id" IN (1)']
    deletes = [sql.split(" WHERE ")[1] for sql in statements(context) if sql.startswith("DELETE")]
    assert deletes == [
        '"deletion_tests_delbook_tags"."delbook_id" IN (1, 2)', '"deletion_tests_delbook_tags"."delbook_id" IN (3)',
        '"deletion_tests_delchapter"."book_id" IN (1, 2)', '"deletion_tests_delchapter"."book_id" IN (3)',
        '"deletion_tests_delbook"."id" IN (3, 2)', '"deletion_tests_delbook"."id" IN (1)',
        '"deletion_tests_delauthor"."id" IN (1)',
    ]  # fmt: skip
    assert row_counts() == {"DelAuthor": 1, "DelTag": 2, "DelBook": 1, "DelChapter": 2, "DelBook_tags": 1}
