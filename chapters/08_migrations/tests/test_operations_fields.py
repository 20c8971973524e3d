"""Field operations on a real database, forwards and backwards, every row and value checked.

The texts (``describe()``, ``deconstruct()``, name fragments, ``repr``) are
Django 5.2's for the same operations.
"""

import datetime

import pytest

from tinyframe.db import IntegrityError, connection, migrations, models
from tinyframe.db.migrations.state import ProjectState
from tinyframe.db.models import CASCADE, SET_NULL

APP = "ops_fields"


def table_names() -> list:
    return [name for (name,) in rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]


def rows(sql: str, params=()) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def columns(table: str) -> dict:
    """``{column: (type, notnull)}`` from ``PRAGMA table_info``."""
    return {row[1]: (row[2].lower(), bool(row[3])) for row in rows(f'PRAGMA table_info("{table}")')}


def forwards(operation, state: ProjectState) -> ProjectState:
    new_state = state.clone()
    operation.state_forwards(APP, new_state)
    with connection.schema_editor() as editor:
        operation.database_forwards(APP, editor, state, new_state)
    return new_state


def backwards(operation, state: ProjectState, new_state: ProjectState) -> None:
    with connection.schema_editor() as editor:
        operation.database_backwards(APP, editor, new_state, state)


@pytest.fixture
def library(database):
    """Authors and books with rows: the state, and the rows each table starts with."""
    state = ProjectState()
    for operation in [
        migrations.CreateModel("Author", [
            ("id", models.AutoField(primary_key=True)),
            ("name", models.CharField(max_length=20)),
        ]),
        migrations.CreateModel("Book", [
            ("id", models.AutoField(primary_key=True)),
            ("title", models.CharField(max_length=20)),
            ("pages", models.IntegerField(null=True)),
            ("author", models.ForeignKey(f"{APP}.author", CASCADE)),
        ]),
    ]:  # fmt: skip
        state = forwards(operation, state)
    rows("INSERT INTO ops_fields_author (id, name) VALUES (1, 'Ann'), (2, 'Bob')")
    rows("INSERT INTO ops_fields_book (id, title, pages, author_id) VALUES (1, 'Dune', 412, 1), (2, 'Emma', NULL, 2), "
         "(3, 'Ulysses', 730, 1)")  # fmt: skip
    return state


BOOKS = [(1, "Dune", 412, 1), (2, "Emma", None, 2), (3, "Ulysses", 730, 1)]


def books(*extra_columns) -> list:
    names = ", ".join(["id", "title", "pages", "author_id", *extra_columns])
    return rows(f"SELECT {names} FROM ops_fields_book ORDER BY id")


# -- AddField ------------------------------------------------------------------------------------


def test_add_field_fills_the_rows_with_the_default_and_backwards_drops_the_column(library):
    operation = migrations.AddField("Book", "slug", models.SlugField(default="todo"))
    new_state = forwards(operation, library)
    assert books("slug") == [(*book, "todo") for book in BOOKS]
    assert columns("ops_fields_book")["slug"] == ("varchar(50)", True)
    assert new_state.models[APP, "book"].fields["slug"].default == "todo"
    backwards(operation, library, new_state)
    assert "slug" not in columns("ops_fields_book")
    assert books() == BOOKS


def test_add_field_with_a_one_off_default_fills_the_rows_and_keeps_no_default(library):
    field = models.DateField(default=datetime.date(2024, 2, 29))
    operation = migrations.AddField("book", "published", field, preserve_default=False)
    new_state = forwards(operation, library)
    assert books("published") == [(*book, "2024-02-29") for book in BOOKS]
    Book = new_state.apps.get_model(APP, "Book")
    assert not Book._meta.get_field("published").has_default()
    assert field.default == datetime.date(2024, 2, 29)
    backwards(operation, library, new_state)
    assert books() == BOOKS


def test_add_field_of_a_nullable_key_and_of_a_nullable_column(library):
    editor_key = migrations.AddField("book", "editor", models.ForeignKey(f"{APP}.author", SET_NULL, null=True, related_name="edited"))
    state = forwards(editor_key, library)
    assert books("editor_id") == [(*book, None) for book in BOOKS]
    Book = state.apps.get_model(APP, "Book")
    Book.objects.filter(pk=2).update(editor=1)
    assert [book.editor.name if book.editor else None for book in Book.objects.order_by("id")] == [None, "Ann", None]
    notes = migrations.AddField("book", "notes", models.TextField(null=True))
    final = forwards(notes, state)
    assert books("editor_id", "notes") == [(1, "Dune", 412, 1, None, None), (2, "Emma", None, 2, 1, None),
                                           (3, "Ulysses", 730, 1, None, None)]  # fmt: skip
    backwards(notes, state, final)
    backwards(editor_key, library, state)
    assert books() == BOOKS and "editor_id" not in columns("ops_fields_book")


def test_add_field_of_a_many_to_many_makes_its_table(library):
    operation = migrations.AddField("book", "fans", models.ManyToManyField(f"{APP}.author", related_name="liked"))
    new_state = forwards(operation, library)
    assert "ops_fields_book_fans" in table_names()
    Book = new_state.apps.get_model(APP, "Book")
    Book.objects.get(pk=1).fans.add(2)
    assert list(Book.objects.filter(fans__name="Bob").values_list("title", flat=True)) == ["Dune"]
    backwards(operation, library, new_state)
    assert "ops_fields_book_fans" not in table_names() and books() == BOOKS


# -- RemoveField ---------------------------------------------------------------------------------


def test_remove_field_keeps_the_other_values_and_backwards_brings_the_column_back(library):
    operation = migrations.RemoveField("book", "pages")
    new_state = forwards(operation, library)
    assert "pages" not in columns("ops_fields_book")
    assert rows("SELECT id, title, author_id FROM ops_fields_book ORDER BY id") == [
        (id_, title, author) for id_, title, _, author in BOOKS
    ]
    assert "pages" not in new_state.models[APP, "book"].fields
    backwards(operation, library, new_state)
    assert books() == [(id_, title, None, author) for id_, title, _, author in BOOKS], "the values are gone for good"


def test_remove_field_of_a_key(library):
    operation = migrations.RemoveField("book", "author")
    new_state = forwards(operation, library)
    assert list(columns("ops_fields_book")) == ["id", "title", "pages"]
    assert rows("SELECT id, title, pages FROM ops_fields_book ORDER BY id") == [book[:3] for book in BOOKS]
    Author = new_state.apps.get_model(APP, "Author")
    assert [rel.name for rel in Author._meta.related_objects] == []


# -- AlterField ----------------------------------------------------------------------------------


def test_alter_field_changes_the_column_and_keeps_the_values(library):
    operation = migrations.AlterField("book", "title", models.CharField(max_length=200, db_index=True))
    new_state = forwards(operation, library)
    assert columns("ops_fields_book")["title"] == ("varchar(200)", True)
    assert books() == BOOKS
    backwards(operation, library, new_state)
    assert columns("ops_fields_book")["title"] == ("varchar(20)", True)
    assert books() == BOOKS


def test_alter_field_to_not_null_fills_the_nulls_with_the_one_off_default(library):
    field = models.IntegerField(default=0)
    operation = migrations.AlterField("book", "pages", field, preserve_default=False)
    new_state = forwards(operation, library)
    assert columns("ops_fields_book")["pages"] == ("integer", True)
    assert books() == [(1, "Dune", 412, 1), (2, "Emma", 0, 2), (3, "Ulysses", 730, 1)]
    assert not new_state.models[APP, "book"].fields["pages"].has_default() and field.default == 0
    with pytest.raises(IntegrityError):
        rows("INSERT INTO ops_fields_book (title, pages, author_id) VALUES ('X', NULL, 1)")
    backwards(operation, library, new_state)
    assert columns("ops_fields_book")["pages"] == ("integer", False)
    assert books() == [(1, "Dune", 412, 1), (2, "Emma", 0, 2), (3, "Ulysses", 730, 1)]


# -- RenameField ---------------------------------------------------------------------------------


def test_rename_field_renames_the_column_and_keeps_the_values(library):
    operation = migrations.RenameField("book", "title", "headline")
    new_state = forwards(operation, library)
    assert list(columns("ops_fields_book")) == ["id", "headline", "pages", "author_id"]
    assert rows("SELECT id, headline, pages, author_id FROM ops_fields_book ORDER BY id") == BOOKS
    Book = new_state.apps.get_model(APP, "Book")
    assert Book.objects.get(pk=1).headline == "Dune"
    backwards(operation, library, new_state)
    assert books() == BOOKS


def test_rename_a_key_renames_its_column(library):
    operation = migrations.RenameField("book", "author", "writer")
    new_state = forwards(operation, library)
    assert "writer_id" in columns("ops_fields_book")
    Book = new_state.apps.get_model(APP, "Book")
    assert [book.writer.name for book in Book.objects.order_by("id")] == ["Ann", "Bob", "Ann"]
    backwards(operation, library, new_state)
    assert books() == BOOKS


# -- the texts --------------------------------------------------------------------------------------


def slug():
    return models.SlugField(default="a")


TEXTS = [
    (migrations.AddField("post", "slug", slug()), "Add field slug to post", "post_slug", "+"),
    (migrations.RemoveField("post", "slug"), "Remove field slug from post", "remove_post_slug", "-"),
    (migrations.AlterField("post", "slug", slug()), "Alter field slug on post", "alter_post_slug", "~"),
    (migrations.RenameField("post", "old", "new"), "Rename field old on post to new", "rename_old_post_new", "~"),
    (migrations.AddField("Post", "Slug", slug()), "Add field Slug to Post", "post_slug", "+"),
]


def test_describe_and_name_fragments_are_djangos(check_rows):
    def check(operation, description, fragment, symbol):
        assert operation.describe() == description
        assert operation.migration_name_fragment == fragment
        assert operation.formatted_description() == f"{symbol} {description}"

    check_rows(TEXTS, check)


def test_deconstruct_writes_preserve_default_only_when_false():
    field = slug()
    assert migrations.AddField("post", "slug", field).deconstruct() == (
        "AddField", [], {"model_name": "post", "name": "slug", "field": field},
    )  # fmt: skip
    assert migrations.AddField("post", "slug", field, preserve_default=False).deconstruct() == (
        "AddField", [], {"model_name": "post", "name": "slug", "field": field, "preserve_default": False},
    )  # fmt: skip
    assert migrations.AlterField("post", "slug", field, preserve_default=False).deconstruct()[2]["preserve_default"] is False
    assert migrations.RemoveField("post", "slug").deconstruct() == ("RemoveField", [], {"model_name": "post", "name": "slug"})
    assert migrations.RenameField("post", "a", "b").deconstruct() == (
        "RenameField", [], {"model_name": "post", "old_name": "a", "new_name": "b"},
    )  # fmt: skip


def test_repr_shows_the_call():
    assert repr(migrations.RemoveField("post", "slug")) == "<RemoveField 'post', 'slug'>"
    assert repr(migrations.AddField("post", "slug", models.SlugField(), preserve_default=False)) == (
        "<AddField 'post', 'slug', <tinyframe.db.models.fields.SlugField> preserve_default=False>"
    )


def test_field_operations_know_which_models_and_fields_they_involve():
    key = migrations.AddField("book", "author", models.ForeignKey("library.author", CASCADE))
    assert key.references_model("Book", "library") and key.references_model("author", "library")
    assert not key.references_model("tag", "library")
    assert key.references_field("book", "author", "library") and not key.references_field("book", "title", "library")
    assert key.references_field("author", "id", "library"), "a key refers to its target's fields"
    by_code = migrations.AddField("book", "author", models.ForeignKey("library.author", CASCADE, to_field="code"))
    assert by_code.references_field("author", "code", "library") and not by_code.references_field("author", "id", "library")
    plain = migrations.RemoveField("book", "title")
    assert not plain.references_field("author", "title", "library") and not plain.references_model("author", "library")
    rename = migrations.RenameField("book", "title", "headline")
    assert rename.references_field("book", "headline", "library") and rename.references_field("book", "title", "library")
    assert not rename.references_field("book", "pages", "library")


def test_a_many_to_many_field_operation_involves_its_through_model():
    operation = migrations.AddField("book", "tags", models.ManyToManyField("Tag", through="library.Tagging"))
    assert operation.references_model("tagging", "library") and operation.references_model("Tag", "library")
    assert not operation.references_model("author", "library")


def test_field_operations_on_an_unmanaged_model_leave_the_database_alone(database):
    state = forwards(migrations.CreateModel(
        "Legacy", [("id", models.AutoField(primary_key=True)), ("name", models.CharField(max_length=5))],
        options={"managed": False},
    ), ProjectState())  # fmt: skip
    for operation in [
        migrations.AddField("legacy", "code", models.IntegerField(default=0)),
        migrations.AlterField("legacy", "code", models.IntegerField(default=1)),
        migrations.RenameField("legacy", "code", "number"),
        migrations.RemoveField("legacy", "number"),
    ]:  # fmt: skip
        with connection.schema_editor(collect_sql=True) as editor:
            new_state = state.clone()
            operation.state_forwards(APP, new_state)
            operation.database_forwards(APP, editor, state, new_state)
            operation.database_backwards(APP, editor, new_state, state)
        assert editor.collected_sql == [], f"{operation!r} wrote {editor.collected_sql}"
        state = new_state
    assert list(state.models[APP, "legacy"].fields) == ["id", "name"]


def test_alter_a_key_to_its_own_model_with_a_related_name(database):
    state = forwards(migrations.CreateModel("Person", [
        ("id", models.AutoField(primary_key=True)),
        ("mentor", models.ForeignKey(f"{APP}.person", SET_NULL, null=True, related_name="students")),
    ]), ProjectState())  # fmt: skip
    rows("INSERT INTO ops_fields_person (id, mentor_id) VALUES (1, NULL), (2, 1), (3, 1)")
    operation = migrations.AlterField(
        "person", "mentor", models.ForeignKey(f"{APP}.person", SET_NULL, null=True, related_name="students", db_index=False)
    )
    new_state = forwards(operation, state)
    assert rows("SELECT id, mentor_id FROM ops_fields_person ORDER BY id") == [(1, None), (2, 1), (3, 1)]
    Person = new_state.apps.get_model(APP, "Person")
    assert sorted(Person.objects.get(pk=1).students.values_list("id", flat=True)) == [2, 3]
    backwards(operation, state, new_state)
    assert rows("SELECT id, mentor_id FROM ops_fields_person ORDER BY id") == [(1, None), (2, 1), (3, 1)]


def test_field_operations_compare_their_model_and_field_in_any_case():
    add = migrations.AddField("Book", "Title", models.CharField(max_length=5))
    assert add.is_same_field_operation(migrations.RemoveField("book", "title"))
    assert add.is_same_model_operation(migrations.RemoveField("BOOK", "pages"))
    assert not add.is_same_field_operation(migrations.RemoveField("book", "pages"))
    assert not add.is_same_model_operation(migrations.RemoveField("author", "title"))
