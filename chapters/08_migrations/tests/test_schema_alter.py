"""Altering tables that hold rows: every row and every value survives each change, forwards and back.

Each test builds the models as a migration's two states would render them:
one registry (``Apps``) per state, the same table in both. The tables are
filled with rows whose values are awkward on purpose (quotes, NULLs, unicode,
large numbers), changed with the schema editor, and read back with plain SQL.
The SQL the editor writes is Django 5.2's, checked once by running the same
change through Django's SQLite schema editor with ``collect_sql=True``.
"""

import pytest

from tinyframe.apps.registry import Apps
from tinyframe.db import IntegrityError, NotSupportedError, connection, models, transaction
from tinyframe.db.backends.sqlite3.alter_table import effective_default, quote_value

APP = "schema_alter"

BOOK_ROWS = [
    (1, "Dune", 412, "it's", 1),
    (2, "Ubik", None, None, 2),
    (3, "Solaris — ünïcode", 9_007_199_254_740_993, "x", 1),
]


def model(apps, class_name, meta=None, /, **fields):
    """A model class of app ``schema_alter`` in registry ``apps``, with these fields and Meta options."""
    options = {"app_label": APP, "apps": apps, **(meta or {})}
    for field in fields.values():
        # Columns in the order given, as a migration's state renders them.
        field.creation_counter = models.Field.creation_counter
        models.Field.creation_counter += 1
    attrs = {"__module__": __name__, "Meta": type("Meta", (), options), **fields}
    return type(class_name, (models.Model,), attrs)


def author_model(apps):
    return model(apps, "Author", name=models.CharField(max_length=50))


def book_fields(**changes):
    """Book's fields in the first state; ``changes`` replace or add fields, and a None removes one."""
    fields = {
        "title": models.CharField(max_length=100),
        "pages": models.BigIntegerField(null=True),
        "note": models.CharField(max_length=20, null=True),
        "author": models.ForeignKey("Author", models.CASCADE),
    }
    fields.update(changes)
    return {name: field for name, field in fields.items() if field is not None}


def state(book_meta=None, **changes):
    """A registry with Author and Book (``changes`` as in ``book_fields``); returns ``(Author, Book)``."""
    apps = Apps()
    return author_model(apps), model(apps, "Book", book_meta, **book_fields(**changes))


def rows(table, order="id"):
    """Every row of ``table`` as a tuple, in ``order``."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY "{order}"')
        return cursor.fetchall()


def columns(table):
    """The table's columns as ``(name, declared type, nullable)``."""
    with connection.cursor() as cursor:
        return [(info.name, info.type_code, info.null_ok) for info in connection.introspection.get_table_description(cursor, table)]


def schema(table):
    """Everything SQLite keeps about ``table``: its CREATE TABLE and its indexes' statements."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = %s ORDER BY type, name", [table])
        return cursor.fetchall()


def constraint_names(table):
    with connection.cursor() as cursor:
        return sorted(connection.introspection.get_constraints(cursor, table))


def collected(change):
    """The statements ``change(editor)`` writes with ``collect_sql=True``."""
    with connection.schema_editor(collect_sql=True) as editor:
        change(editor)
    return editor.collected_sql


def alter(change):
    """Run ``change(editor)`` in a schema editor block."""
    with connection.schema_editor() as editor:
        change(editor)


@pytest.fixture
def shop():
    """Author and Book (first state) with three authors and three books; every schema_alter table dropped after."""
    author, book = state()
    alter(lambda editor: [editor.create_model(author), editor.create_model(book)])
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO schema_alter_author (id, name) VALUES (1, 'Ann'), (2, 'Bob'), (3, 'O''Neil')")
        for row in BOOK_ROWS:
            cursor.execute(
                "INSERT INTO schema_alter_book (id, title, pages, note, author_id) VALUES (%s, %s, %s, %s, %s)", row
            )
    yield author, book
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
        for info in connection.introspection.get_table_list(cursor):
            if info.name.startswith((f"{APP}_", f"new__{APP}_")):
                cursor.execute(f'DROP TABLE "{info.name}"')
        cursor.execute("PRAGMA foreign_keys = ON")


# -- adding and removing columns -------------------------------------------------------


@pytest.mark.exercise("08.3")
def test_adding_a_not_null_column_with_a_default_fills_every_row_and_removing_it_restores_them(shop):
    _, book = shop
    _, new_book = state(rank=models.IntegerField(default=7))
    rank = new_book._meta.get_field("rank")
    alter(lambda editor: editor.add_field(new_book, rank))
    assert rows("schema_alter_book") == [(*row, 7) for row in BOOK_ROWS]
    assert columns("schema_alter_book")[-1] == ("rank", "INTEGER", False)
    # Backwards: RemoveField's reverse is this field's removal.
    alter(lambda editor: editor.remove_field(new_book, rank))
    assert rows("schema_alter_book") == BOOK_ROWS
    assert [name for name, *_ in columns("schema_alter_book")] == ["id", "title", "pages", "note", "author_id"]


@pytest.mark.exercise("08.3")
def test_an_added_column_gets_its_default_as_the_database_stores_it(shop, check_rows):
    import datetime
    import decimal

    cases = [
        (models.BooleanField(default=True), 1),
        (models.CharField(max_length=10, default="l'été"), "l'été"),
        (models.CharField(max_length=10, blank=True), ""),
        (models.DateField(default=datetime.date(2024, 2, 29)), "2024-02-29"),
        (models.DecimalField(max_digits=5, decimal_places=2, default=decimal.Decimal("1.50")), 1.5),
        (models.FloatField(default=0.25), 0.25),
        (models.JSONField(default=dict), "{}"),
        (models.CharField(max_length=10, null=True, unique=True), None),
    ]

    def check(field, stored):
        _, new_book = state(extra=field)
        alter(lambda editor: editor.add_field(new_book, field))
        try:
            values = [row[-1] for row in rows("schema_alter_book")]
            assert values == [stored] * 3, f"{field!r} added to rows: {values}, expected {stored!r} in each"
            assert rows("schema_alter_book") == [(*row, stored) for row in BOOK_ROWS]
        finally:
            alter(lambda editor: editor.remove_field(new_book, field))

    check_rows(cases, check)


@pytest.mark.exercise("08.3")
def test_removing_an_indexed_column_rebuilds_the_table_and_keeps_the_other_values(shop):
    _, book = shop
    alter(lambda editor: editor.remove_field(book, book._meta.get_field("author")))
    assert rows("schema_alter_book") == [row[:4] for row in BOOK_ROWS]
    assert constraint_names("schema_alter_book") == ["__primary__"]  # the key's index went with it
    # Backwards: adding it again with a default for the rows.
    _, new_book = state(author=models.ForeignKey("Author", models.CASCADE, default=3))
    alter(lambda editor: editor.add_field(new_book, new_book._meta.get_field("author")))
    assert rows("schema_alter_book") == [(*row[:4], 3) for row in BOOK_ROWS]
    assert "schema_alter_book_author_id_550913c6" in constraint_names("schema_alter_book")


def test_adding_a_nullable_column_is_one_alter_table_and_every_row_reads_null(shop):
    _, new_book = state(subtitle=models.CharField(max_length=30, null=True, db_index=True))
    subtitle = new_book._meta.get_field("subtitle")
    assert collected(lambda editor: editor.add_field(new_book, subtitle)) == [
        'ALTER TABLE "schema_alter_book" ADD COLUMN "subtitle" varchar(30) NULL;',
        'CREATE INDEX "schema_alter_book_subtitle_9046c7c7" ON "schema_alter_book" ("subtitle");',
    ]
    alter(lambda editor: editor.add_field(new_book, subtitle))
    assert rows("schema_alter_book") == [(*row, None) for row in BOOK_ROWS]
    assert "schema_alter_book_subtitle_9046c7c7" in constraint_names("schema_alter_book")


def test_removing_a_plain_column_is_one_drop_column(shop):
    _, book = shop
    note = book._meta.get_field("note")
    assert collected(lambda editor: editor.remove_field(book, note)) == [
        'ALTER TABLE "schema_alter_book" DROP COLUMN "note";'
    ]
    alter(lambda editor: editor.remove_field(book, note))
    assert rows("schema_alter_book") == [(id_, title, pages, author) for id_, title, pages, _, author in BOOK_ROWS]


# -- altering columns -----------------------------------------------------------------


@pytest.mark.exercise("08.3")
def test_changing_a_type_keeps_every_value_forwards_and_back(shop):
    _, book = shop
    _, new_book = state(title=models.TextField(), pages=models.IntegerField(null=True))
    pairs = [(book._meta.get_field(name), new_book._meta.get_field(name)) for name in ("title", "pages")]
    for old, new in pairs:
        alter(lambda editor: editor.alter_field(new_book, old, new))
    assert rows("schema_alter_book") == BOOK_ROWS
    assert columns("schema_alter_book")[1:3] == [("title", "TEXT", False), ("pages", "INTEGER", True)]
    for old, new in reversed(pairs):
        alter(lambda editor: editor.alter_field(book, new, old))
    assert rows("schema_alter_book") == BOOK_ROWS
    assert columns("schema_alter_book")[1:3] == [("title", "varchar(100)", False), ("pages", "bigint", True)]


@pytest.mark.exercise("08.3")
def test_making_a_column_not_null_fills_its_nulls_with_the_default_and_back(shop):
    _, book = shop
    _, new_book = state(note=models.CharField(max_length=20, default="none"))
    old, new = book._meta.get_field("note"), new_book._meta.get_field("note")
    sql = collected(lambda editor: editor.alter_field(new_book, old, new))
    assert sql[1] == (
        'INSERT INTO "new__schema_alter_book" ("id", "title", "pages", "author_id", "note") '
        'SELECT "id", "title", "pages", "author_id", coalesce("note", \'none\') FROM "schema_alter_book";'
    )
    alter(lambda editor: editor.alter_field(new_book, old, new))
    assert [row[3] for row in rows("schema_alter_book")] == ["it's", "none", "x"]
    alter(lambda editor: editor.alter_field(book, new, old))
    assert rows("schema_alter_book") == [(2, "Ubik", None, "none", 2) if row[0] == 2 else row for row in BOOK_ROWS]
    assert columns("schema_alter_book")[3] == ("note", "varchar(20)", True)


@pytest.mark.exercise("08.3")
def test_a_not_null_column_with_a_null_row_fails_and_leaves_the_table_as_it_was(shop):
    _, book = shop
    _, new_book = state(pages=models.BigIntegerField())
    before = schema("schema_alter_book")
    with pytest.raises(IntegrityError) as caught:
        alter(lambda editor: editor.alter_field(new_book, book._meta.get_field("pages"), new_book._meta.get_field("pages")))
    assert str(caught.value) == (
        "Could not rebuild table 'schema_alter_book': NOT NULL constraint failed: new__schema_alter_book.pages. "
        "The table and its rows are unchanged."
    )
    assert schema("schema_alter_book") == before
    assert rows("schema_alter_book") == BOOK_ROWS
    assert "new__schema_alter_book" not in connection.introspection.table_names()


@pytest.mark.exercise("08.3")
def test_a_unique_column_with_duplicates_fails_and_leaves_the_table_as_it_was(shop):
    _, book = shop
    _, new_book = state(author=models.ForeignKey("Author", models.CASCADE, unique=True))
    before = schema("schema_alter_book")
    with pytest.raises(IntegrityError, match=r"^Could not rebuild table 'schema_alter_book': UNIQUE constraint failed: "
                       r"new__schema_alter_book\.author_id\. The table and its rows are unchanged\.$"):
        alter(lambda editor: editor.alter_field(new_book, book._meta.get_field("author"), new_book._meta.get_field("author")))
    assert schema("schema_alter_book") == before
    assert rows("schema_alter_book") == BOOK_ROWS


@pytest.mark.exercise("08.3")
def test_unique_and_db_index_come_and_go_with_the_rows_kept(shop):
    _, book = shop
    _, new_book = state(title=models.CharField(max_length=100, unique=True), pages=models.BigIntegerField(null=True, db_index=True))
    pairs = [(book._meta.get_field(name), new_book._meta.get_field(name)) for name in ("title", "pages")]
    for old, new in pairs:
        alter(lambda editor: editor.alter_field(new_book, old, new))
    assert rows("schema_alter_book") == BOOK_ROWS
    names = constraint_names("schema_alter_book")
    assert "schema_alter_book_pages_c7cf93f6" in names and "__unnamed_constraint_1__" in names
    with pytest.raises(IntegrityError):
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO schema_alter_book (title, author_id) VALUES ('Dune', 1)")
    for old, new in reversed(pairs):
        alter(lambda editor: editor.alter_field(book, new, old))
    assert rows("schema_alter_book") == BOOK_ROWS
    assert constraint_names("schema_alter_book") == ["__primary__", "fk_0", "schema_alter_book_author_id_550913c6"]


@pytest.mark.exercise("08.3")
def test_renaming_a_column_and_changing_it_at_once_keeps_its_values(shop):
    _, book = shop
    _, new_book = state(pages=None, length=models.IntegerField(default=0))
    old, new = book._meta.get_field("pages"), new_book._meta.get_field("length")
    alter(lambda editor: editor.alter_field(new_book, old, new))
    assert [name for name, *_ in columns("schema_alter_book")] == ["id", "title", "note", "author_id", "length"]
    assert [row[-1] for row in rows("schema_alter_book")] == [412, 0, 9_007_199_254_740_993]
    alter(lambda editor: editor.alter_field(book, new, old))
    assert rows("schema_alter_book") == [(2, "Ubik", 0, None, 2) if row[0] == 2 else row for row in BOOK_ROWS]


def test_a_rename_alone_is_rename_column(shop):
    _, book = shop
    _, new_book = state(pages=None, page_count=models.BigIntegerField(null=True))
    old, new = book._meta.get_field("pages"), new_book._meta.get_field("page_count")
    assert collected(lambda editor: editor.alter_field(new_book, old, new)) == [
        'ALTER TABLE "schema_alter_book" RENAME COLUMN "pages" TO "page_count";'
    ]
    alter(lambda editor: editor.alter_field(new_book, old, new))
    alter(lambda editor: editor.alter_field(book, new, old))
    assert rows("schema_alter_book") == BOOK_ROWS


def test_a_change_the_database_does_not_see_runs_nothing(shop):
    _, book = shop
    _, new_book = state(title=models.CharField(max_length=100, verbose_name="Name", help_text="h", blank=True))
    assert collected(lambda editor: editor.alter_field(new_book, book._meta.get_field("title"), new_book._meta.get_field("title"))) == []


@pytest.mark.exercise("08.3")
def test_a_new_default_alone_rebuilds_the_table_as_django_does_and_changes_no_row(shop):
    _, book = shop
    _, new_book = state(pages=models.BigIntegerField(null=True, default=100))
    old, new = book._meta.get_field("pages"), new_book._meta.get_field("pages")
    assert collected(lambda editor: editor.alter_field(new_book, old, new)) == [
        'CREATE TABLE "new__schema_alter_book" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, '
        '"title" varchar(100) NOT NULL, "pages" bigint NULL, "note" varchar(20) NULL, '
        '"author_id" bigint NOT NULL REFERENCES "schema_alter_author" ("id") DEFERRABLE INITIALLY DEFERRED);'.replace(
            '"author_id" bigint', '"author_id" integer'
        ),
        'INSERT INTO "new__schema_alter_book" ("id", "title", "note", "author_id", "pages") '
        'SELECT "id", "title", "note", "author_id", "pages" FROM "schema_alter_book";',
        'DROP TABLE "schema_alter_book";',
        'ALTER TABLE "new__schema_alter_book" RENAME TO "schema_alter_book";',
        'CREATE INDEX "schema_alter_book_author_id_550913c6" ON "schema_alter_book" ("author_id");',
    ]
    alter(lambda editor: editor.alter_field(new_book, old, new))
    assert rows("schema_alter_book") == BOOK_ROWS


# -- keys ---------------------------------------------------------------------------------


@pytest.mark.exercise("08.3")
def test_a_new_primary_key_replaces_the_automatic_id_and_keeps_the_rows(shop):
    _, book = shop
    apps = Apps()
    author_model(apps)
    new_book = model(apps, "Book", **{
        name: field for name, field in book_fields(title=models.CharField(max_length=100, primary_key=True)).items()
    })
    alter(lambda editor: editor.alter_field(new_book, book._meta.get_field("title"), new_book._meta.get_field("title")))
    assert [name for name, *_ in columns("schema_alter_book")] == ["title", "pages", "note", "author_id"]
    assert rows("schema_alter_book", order="title") == sorted(row[1:] for row in BOOK_ROWS)
    with connection.cursor() as cursor:
        assert connection.introspection.get_primary_key_column(cursor, "schema_alter_book") == "title"


@pytest.mark.exercise("08.3")
def test_a_foreign_key_pointed_at_another_table_keeps_its_values_and_is_checked(shop):
    _, book = shop
    apps = Apps()
    author_model(apps)
    publisher = model(apps, "Publisher", name=models.CharField(max_length=50))
    new_book = model(apps, "Book", **book_fields(author=models.ForeignKey("Publisher", models.CASCADE)))
    alter(lambda editor: editor.create_model(publisher))
    old, new = book._meta.get_field("author"), new_book._meta.get_field("author")
    before = schema("schema_alter_book")
    # Publisher 2 does not exist: the check after the rebuild refuses, and nothing changes.
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO schema_alter_publisher (id, name) VALUES (1, 'Gollancz')")
    with pytest.raises(IntegrityError) as caught:
        alter(lambda editor: editor.alter_field(new_book, old, new))
    assert str(caught.value) == (
        "The row in table 'schema_alter_book' with primary key '2' has an invalid foreign key: "
        "schema_alter_book.author_id contains a value '2' that does not have a corresponding value in "
        "schema_alter_publisher.id."
    )
    assert schema("schema_alter_book") == before and rows("schema_alter_book") == BOOK_ROWS
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO schema_alter_publisher (id, name) VALUES (2, 'Berkley')")
    alter(lambda editor: editor.alter_field(new_book, old, new))
    assert rows("schema_alter_book") == BOOK_ROWS
    with connection.cursor() as cursor:
        assert connection.introspection.get_relations(cursor, "schema_alter_book") == {
            "author_id": ("id", "schema_alter_publisher")
        }


@pytest.mark.exercise("08.3")
def test_rebuilding_a_table_others_point_at_keeps_their_keys_valid(shop):
    author, book = shop
    apps = Apps()
    new_author = model(apps, "Author", name=models.CharField(max_length=50), born=models.IntegerField(default=1900))
    alter(lambda editor: editor.add_field(new_author, new_author._meta.get_field("born")))
    assert rows("schema_alter_author") == [(1, "Ann", 1900), (2, "Bob", 1900), (3, "O'Neil", 1900)]
    assert rows("schema_alter_book") == BOOK_ROWS
    with connection.cursor() as cursor:
        assert connection.introspection.get_relations(cursor, "schema_alter_book") == {
            "author_id": ("id", "schema_alter_author")
        }
        cursor.execute("PRAGMA foreign_key_check")
        assert cursor.fetchall() == []
        cursor.execute("SELECT b.title FROM schema_alter_book b JOIN schema_alter_author a ON a.id = b.author_id WHERE a.name = 'Bob'")
        assert cursor.fetchall() == [("Ubik",)]


@pytest.mark.exercise("08.3")
def test_a_wider_key_also_rebuilds_the_tables_pointing_at_it(shop):
    def publishing(code_length):
        apps = Apps()
        publisher = model(apps, "Publisher", code=models.CharField(max_length=code_length, unique=True))
        magazine = model(apps, "Magazine", title=models.CharField(max_length=20),
                         publisher=models.ForeignKey("Publisher", models.CASCADE, to_field="code"))  # fmt: skip
        return publisher, magazine

    publisher, magazine = publishing(5)
    alter(lambda editor: [editor.create_model(publisher), editor.create_model(magazine)])
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO schema_alter_publisher (id, code) VALUES (1, 'gol'), (2, 'ber')")
        cursor.execute("INSERT INTO schema_alter_magazine (id, title, publisher_id) VALUES (1, 'SF', 'ber'), (2, 'F', 'gol')")
    wider, _ = publishing(8)
    alter(lambda editor: editor.alter_field(wider, publisher._meta.get_field("code"), wider._meta.get_field("code")))
    assert columns("schema_alter_magazine")[-1] == ("publisher_id", "varchar(8)", False)
    assert rows("schema_alter_magazine") == [(1, "SF", "ber"), (2, "F", "gol")]
    assert rows("schema_alter_publisher") == [(1, "gol"), (2, "ber")]
    alter(lambda editor: editor.alter_field(publisher, wider._meta.get_field("code"), publisher._meta.get_field("code")))
    assert columns("schema_alter_magazine")[-1] == ("publisher_id", "varchar(5)", False)
    assert rows("schema_alter_magazine") == [(1, "SF", "ber"), (2, "F", "gol")]


@pytest.mark.exercise("08.3")
def test_a_key_to_its_own_table_points_at_the_rebuilt_table(shop):
    apps = Apps()
    category = model(apps, "Category", name=models.CharField(max_length=20),
                     parent=models.ForeignKey("self", models.CASCADE, null=True))  # fmt: skip
    alter(lambda editor: editor.create_model(category))
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO schema_alter_category (id, name, parent_id) VALUES (1, 'root', NULL), (2, 'leaf', 1)")
    apps = Apps()
    new_category = model(apps, "Category", name=models.CharField(max_length=20),
                         parent=models.ForeignKey("self", models.CASCADE, null=True), depth=models.IntegerField(default=0))  # fmt: skip
    alter(lambda editor: editor.add_field(new_category, new_category._meta.get_field("depth")))
    assert rows("schema_alter_category") == [(1, "root", 0, None), (2, "leaf", 0, 1)]
    with connection.cursor() as cursor:
        assert connection.introspection.get_relations(cursor, "schema_alter_category") == {
            "parent_id": ("id", "schema_alter_category")
        }


# -- indexes and constraints ----------------------------------------------------------------

EVERYTHING = {
    "indexes": [models.Index(fields=["-title", "pages"], name="book_title_idx")],
    "unique_together": [("title", "author")],
    "constraints": [
        models.CheckConstraint(condition=models.Q(pages__gte=0), name="pages_not_negative"),
        models.UniqueConstraint(fields=["note"], condition=models.Q(pages__gt=100), name="long_note_unique"),
        models.UniqueConstraint(fields=["title", "note"], name="title_note_unique"),
    ],
}


@pytest.mark.exercise("08.3")
def test_indexes_and_constraints_survive_a_rebuild(shop):
    _, book = shop
    _, full_book = state(EVERYTHING)
    # With nothing to change, the table is made again as the model says: every constraint and index.
    alter(lambda editor: editor._remake_table(full_book))
    before = constraint_names("schema_alter_book")
    assert before == [
        "__primary__", "book_title_idx", "fk_0", "long_note_unique", "pages_not_negative",
        "schema_alter_book_author_id_550913c6", "schema_alter_book_title_author_id_93443e38_uniq", "title_note_unique",
    ]  # fmt: skip
    _, wider = state(EVERYTHING, pages=models.BigIntegerField(null=True, default=1))
    alter(lambda editor: editor.alter_field(wider, full_book._meta.get_field("pages"), wider._meta.get_field("pages")))
    assert constraint_names("schema_alter_book") == before
    assert rows("schema_alter_book") == BOOK_ROWS
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "schema_alter_book")
    assert constraints["book_title_idx"]["orders"] == ["DESC", "ASC"]
    assert constraints["schema_alter_book_title_author_id_93443e38_uniq"]["columns"] == ["title", "author_id"]


@pytest.mark.exercise("08.3")
def test_a_check_constraint_a_row_breaks_fails_and_changes_nothing(shop):
    _, book = shop
    check = models.CheckConstraint(condition=models.Q(pages__lt=1000), name="short_books")
    _, new_book = state({"constraints": [check]})
    before = schema("schema_alter_book")
    with pytest.raises(IntegrityError, match="^Could not rebuild table 'schema_alter_book': CHECK constraint failed: short_books"):
        alter(lambda editor: editor.add_constraint(new_book, check))
    assert schema("schema_alter_book") == before and rows("schema_alter_book") == BOOK_ROWS


@pytest.mark.exercise("08.3")
def test_constraints_and_indexes_are_added_and_removed_with_djangos_sql(shop):
    _, book = shop
    _, full_book = state(EVERYTHING)
    check, partial, _ = EVERYTHING["constraints"]
    index = EVERYTHING["indexes"][0]
    assert collected(lambda editor: editor.add_index(full_book, index)) == [
        'CREATE INDEX "book_title_idx" ON "schema_alter_book" ("title" DESC, "pages");'
    ]
    assert collected(lambda editor: editor.remove_index(book, index)) == ['DROP INDEX "book_title_idx";']
    renamed = models.Index(fields=["-title", "pages"], name="book_recent_idx")
    assert collected(lambda editor: editor.rename_index(full_book, index, renamed)) == [
        'DROP INDEX "book_title_idx";',
        'CREATE INDEX "book_recent_idx" ON "schema_alter_book" ("title" DESC, "pages");',
    ]
    assert collected(lambda editor: editor.add_constraint(full_book, partial)) == [
        'CREATE UNIQUE INDEX "long_note_unique" ON "schema_alter_book" ("note") WHERE "pages" > 100;'
    ]
    assert collected(lambda editor: editor.remove_constraint(book, partial)) == ['DROP INDEX "long_note_unique";']
    assert collected(lambda editor: editor.alter_unique_together(full_book, [], [("title", "author")])) == [
        'CREATE UNIQUE INDEX "schema_alter_book_title_author_id_93443e38_uniq" ON "schema_alter_book" ("title", "author_id");'
    ]
    removed = collected(lambda editor: editor.remove_constraint(book, check))
    assert removed[0].startswith('CREATE TABLE "new__schema_alter_book"') and "CHECK" not in removed[0]
    # One at a time, forwards then back, each model as the state after the step renders it.
    steps = [
        {"constraints": [check]},
        {"constraints": [check, partial]},
        {"constraints": EVERYTHING["constraints"]},
        {"constraints": EVERYTHING["constraints"], "unique_together": [("title", "author")]},
        EVERYTHING,
    ]
    models_after = [book] + [state(meta)[1] for meta in steps]
    for constraint, after in zip(EVERYTHING["constraints"], models_after[1:]):
        alter(lambda editor: editor.add_constraint(after, constraint))
    alter(lambda editor: editor.alter_unique_together(models_after[4], [], [("title", "author")]))
    alter(lambda editor: editor.add_index(models_after[5], index))
    assert len(constraint_names("schema_alter_book")) == 8
    alter(lambda editor: editor.remove_index(models_after[4], index))
    alter(lambda editor: editor.alter_unique_together(models_after[3], [("title", "author")], []))
    for constraint, after in reversed(list(zip(EVERYTHING["constraints"], models_after))):
        alter(lambda editor: editor.remove_constraint(after, constraint))
    assert constraint_names("schema_alter_book") == ["__primary__", "fk_0", "schema_alter_book_author_id_550913c6"]
    assert rows("schema_alter_book") == BOOK_ROWS


def test_removing_a_unique_together_that_is_not_there_names_the_columns(shop):
    _, book = shop
    with pytest.raises(ValueError, match=r"^Found wrong number \(0\) of constraints for schema_alter_book\(title, author_id\)$"):
        alter(lambda editor: editor.alter_unique_together(book, [("title", "author")], []))


# -- tables -------------------------------------------------------------------------------


def test_many_to_many_tables_come_and_go_with_their_field_and_a_rename_keeps_the_pairs(shop):
    _, book = shop
    _, tagged = state(readers=models.ManyToManyField("Author", related_name="read_books"))
    _, renamed = state(fans=models.ManyToManyField("Author", related_name="read_books"))
    readers, fans = tagged._meta.get_field("readers"), renamed._meta.get_field("fans")
    alter(lambda editor: editor.add_field(tagged, readers))
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO schema_alter_book_readers (id, book_id, author_id) VALUES (1, 1, 2), (2, 3, 3)")
    assert collected(lambda editor: editor.alter_field(renamed, readers, fans))[1] == (
        'INSERT INTO "schema_alter_book_fans" (id, book_id, author_id) SELECT id, book_id, author_id '
        'FROM "schema_alter_book_readers";'
    )
    alter(lambda editor: editor.alter_field(renamed, readers, fans))
    assert rows("schema_alter_book_fans") == [(1, 1, 2), (2, 3, 3)]
    assert "schema_alter_book_readers" not in connection.introspection.table_names()
    alter(lambda editor: editor.remove_field(renamed, fans))
    assert "schema_alter_book_fans" not in connection.introspection.table_names()
    assert rows("schema_alter_book") == BOOK_ROWS
    with pytest.raises(ValueError, match="they are not compatible types"):
        alter(lambda editor: editor.alter_field(renamed, fans, book._meta.get_field("note")))


def test_a_renamed_table_keeps_its_rows_and_its_many_to_many_table_is_renamed_as_alter_model_table_does(shop):
    _, book = shop
    _, tagged = state(readers=models.ManyToManyField("Author", related_name="read_books"))
    alter(lambda editor: editor.add_field(tagged, tagged._meta.get_field("readers")))
    _, moved = state({"db_table": "schema_alter_volume"}, readers=models.ManyToManyField("Author", related_name="read_books"))
    old_through = tagged._meta.get_field("readers").remote_field.through
    new_through = moved._meta.get_field("readers").remote_field.through
    assert collected(lambda editor: editor.alter_db_table(moved, "schema_alter_book", "schema_alter_volume")) == [
        'ALTER TABLE "schema_alter_book" RENAME TO "schema_alter_volume";'
    ]
    assert collected(lambda editor: editor.alter_db_table(moved, "schema_alter_book", "schema_alter_book")) == []

    def rename(editor):
        editor.alter_db_table(moved, "schema_alter_book", "schema_alter_volume")
        editor.alter_db_table(new_through, old_through._meta.db_table, new_through._meta.db_table)

    alter(rename)
    assert rows("schema_alter_volume") == BOOK_ROWS
    assert new_through._meta.db_table == "schema_alter_volume_readers"
    assert rows("schema_alter_volume_readers") == []


@pytest.mark.exercise("08.3")
def test_a_rebuild_in_the_block_that_created_the_table_makes_each_index_once():
    # create_model queues the key's index for the end of the block; the rebuild drops the old table
    # (and what was queued for it) and makes the indexes of the new one: a migration does this often.
    author, book = state()
    _, new_book = state(pages=models.BigIntegerField(default=0))
    try:
        with connection.schema_editor() as editor:
            editor.create_model(author)
            editor.create_model(book)
            editor.alter_field(new_book, book._meta.get_field("pages"), new_book._meta.get_field("pages"))
        assert [name for name in constraint_names("schema_alter_book") if "author_id" in name] == [
            "schema_alter_book_author_id_550913c6"
        ]
    finally:
        with connection.cursor() as cursor:
            cursor.execute('DROP TABLE IF EXISTS "schema_alter_book"')
            cursor.execute('DROP TABLE IF EXISTS "schema_alter_author"')


@pytest.mark.exercise("08.3")
def test_a_rebuild_inside_an_open_transaction_is_refused_with_djangos_message(shop):
    _, new_book = state(rank=models.IntegerField(default=7))
    with pytest.raises(NotSupportedError, match=r"^SQLite schema editor cannot be used while foreign key constraint checks are enabled\."):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            alter(lambda editor: editor.add_field(new_book, new_book._meta.get_field("rank")))
    assert rows("schema_alter_book") == BOOK_ROWS


@pytest.mark.exercise("08.3")
def test_collecting_sql_changes_nothing(shop):
    _, new_book = state(rank=models.IntegerField(default=7))
    before = schema("schema_alter_book")
    statements = collected(lambda editor: editor.add_field(new_book, new_book._meta.get_field("rank")))
    assert [statement.split(" (")[0].split(" SELECT")[0] for statement in statements] == [
        'CREATE TABLE "new__schema_alter_book"',
        'INSERT INTO "new__schema_alter_book"',
        'DROP TABLE "schema_alter_book";',
        'ALTER TABLE "new__schema_alter_book" RENAME TO "schema_alter_book";',
        'CREATE INDEX "schema_alter_book_author_id_550913c6" ON "schema_alter_book"',
    ]
    assert schema("schema_alter_book") == before and rows("schema_alter_book") == BOOK_ROWS


def test_effective_default_and_quote_value():
    assert effective_default(models.CharField(max_length=3, null=True, blank=True)) is None
    assert effective_default(models.DateTimeField(auto_now=True)) is not None
    assert effective_default(models.DateField(auto_now_add=True)).year >= 2024
    with pytest.raises(ValueError, match="^Cannot quote parameter value"):
        quote_value(object())


@pytest.mark.exercise("08.3")
def test_a_many_to_many_field_pointed_at_another_model_keeps_its_pairs(shop):
    _, tagged = state(readers=models.ManyToManyField("Author", related_name="read_books"))
    alter(lambda editor: editor.add_field(tagged, tagged._meta.get_field("readers")))
    apps = Apps()
    author_model(apps)
    publisher = model(apps, "Publisher", name=models.CharField(max_length=50))
    retargeted = model(apps, "Book", **book_fields(readers=models.ManyToManyField("Publisher")))
    alter(lambda editor: editor.create_model(publisher))
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO schema_alter_publisher (id, name) VALUES (1, 'Gollancz'), (2, 'Berkley')")
        cursor.execute("INSERT INTO schema_alter_book_readers (id, book_id, author_id) VALUES (1, 1, 2), (2, 3, 1)")
    old, new = tagged._meta.get_field("readers"), retargeted._meta.get_field("readers")
    alter(lambda editor: editor.alter_field(retargeted, old, new))
    assert [name for name, *_ in columns("schema_alter_book_readers")] == ["id", "book_id", "publisher_id"]
    assert rows("schema_alter_book_readers") == [(1, 1, 2), (2, 3, 1)]
    with connection.cursor() as cursor:
        assert connection.introspection.get_relations(cursor, "schema_alter_book_readers")["publisher_id"] == (
            "id", "schema_alter_publisher",
        )  # fmt: skip


@pytest.mark.exercise("08.3")
def test_a_wider_primary_key_rebuilds_the_many_to_many_tables_on_both_sides(shop):
    def tagging(code_length):
        apps = Apps()
        model(apps, "Book", title=models.CharField(max_length=100))
        tag = model(apps, "Tag", code=models.CharField(max_length=code_length, primary_key=True),
                    books=models.ManyToManyField("Book"))  # fmt: skip
        shelf = model(apps, "Shelf", tags=models.ManyToManyField("Tag"))
        return tag, shelf

    tag, shelf = tagging(5)
    alter(lambda editor: [editor.create_model(tag), editor.create_model(shelf)])
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO schema_alter_tag (code) VALUES ('sf'), ('crime')")
        cursor.execute("INSERT INTO schema_alter_tag_books (id, tag_id, book_id) VALUES (1, 'sf', 1), (2, 'crime', 2)")
        cursor.execute("INSERT INTO schema_alter_shelf (id) VALUES (1)")
        cursor.execute("INSERT INTO schema_alter_shelf_tags (id, shelf_id, tag_id) VALUES (1, 1, 'sf')")
    wider, _ = tagging(8)
    alter(lambda editor: editor.alter_field(wider, tag._meta.get_field("code"), wider._meta.get_field("code")))
    assert ("tag_id", "varchar(8)", False) in columns("schema_alter_tag_books")
    assert ("tag_id", "varchar(8)", False) in columns("schema_alter_shelf_tags")
    assert rows("schema_alter_tag", order="code") == [("crime",), ("sf",)]
    assert rows("schema_alter_tag_books") == [(1, "sf", 1), (2, "crime", 2)]
    assert rows("schema_alter_shelf_tags") == [(1, 1, "sf")]


def test_the_foreign_key_check_can_look_at_some_tables_only(shop):
    from tinyframe.db.backends.sqlite3.alter_table import check_constraints

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
        cursor.execute("INSERT INTO schema_alter_book (id, title, author_id) VALUES (9, 'Lost', 99)")
        cursor.execute("PRAGMA foreign_keys = ON")
    check_constraints(connection, ["schema_alter_author"])
    with pytest.raises(IntegrityError, match=r"^The row in table 'schema_alter_book' with primary key '9' has an invalid"):
        check_constraints(connection, ["schema_alter_book"])
    assert quote_value(b"\xff\x00") == "X'ff00'"


def test_a_many_to_many_field_through_a_model_of_its_own_leaves_that_table_alone(shop):
    apps = Apps()
    author_model(apps)
    model(apps, "Reading", book=models.ForeignKey("Book", models.CASCADE), reader=models.ForeignKey("Author", models.CASCADE))
    book = model(apps, "Book", **book_fields(readers=models.ManyToManyField("Author", through="Reading", related_name="+")))
    readers = book._meta.get_field("readers")
    for change in (
        lambda editor: editor.remove_field(book, readers),
        lambda editor: editor.alter_field(book, readers, readers),
    ):
        assert collected(change) == []
    # Adding one rebuilds the model's table as it is, as Django's editor does (the field has no column).
    rebuild = collected(lambda editor: editor.add_field(book, readers))
    assert [statement.split(" (")[0] for statement in rebuild[:4]] == [
        'CREATE TABLE "new__schema_alter_book"',
        'INSERT INTO "new__schema_alter_book"',
        'DROP TABLE "schema_alter_book";',
        'ALTER TABLE "new__schema_alter_book" RENAME TO "schema_alter_book";',
    ]
    assert all(statement.startswith('CREATE INDEX "schema_alter_book_') for statement in rebuild[4:])
    assert "reading" not in " ".join(rebuild)


def test_a_checked_column_is_dropped_in_place(shop):
    _, new_book = state(stock=models.PositiveIntegerField(null=True))
    stock = new_book._meta.get_field("stock")
    alter(lambda editor: editor.add_field(new_book, stock))
    assert collected(lambda editor: editor.remove_field(new_book, stock)) == [
        'ALTER TABLE "schema_alter_book" DROP COLUMN "stock";'
    ]
    alter(lambda editor: editor.remove_field(new_book, stock))
    assert rows("schema_alter_book") == BOOK_ROWS
