"""Reading a schema back: tables, columns, keys, constraints and indexes, in Django's shapes.

The expected values are what Django 5.2's SQLite introspection returns for
the same tables (checked once, side by side), except where Django's own
parser slips (noted at the test).
"""

import pytest

from tinyframe.apps.registry import Apps
from tinyframe.db import DatabaseError, connection, models
from tinyframe.db.backends.sqlite3.introspection import FieldInfo, TableInfo, split_definitions, table_constraints

APP = "introspect"


def model(apps, class_name, meta=None, /, **fields):
    options = {"app_label": APP, "apps": apps, **(meta or {})}
    return type(class_name, (models.Model,), {"__module__": __name__, "Meta": type("Meta", (), options), **fields})


@pytest.fixture
def library():
    """Author, Book (with every kind of index and constraint) and Tag with a many-to-many table, and a view."""
    apps = Apps()
    author = model(apps, "Author", name=models.CharField(max_length=10, unique=True),
                   age=models.PositiveIntegerField(null=True), data=models.JSONField(null=True))  # fmt: skip
    book = model(apps, "Book", {
        "unique_together": [("title", "author")],
        "indexes": [models.Index(fields=["-title", "pages"], name="book_ix")],
        "constraints": [
            models.CheckConstraint(condition=models.Q(pages__gte=0), name="book_pages"),
            models.UniqueConstraint(fields=["title", "pages"], name="book_title_pages"),
            models.UniqueConstraint(fields=["pages"], condition=models.Q(pages__gt=5), name="book_long"),
        ],
    }, title=models.CharField(max_length=10, db_index=True), author=models.ForeignKey("Author", models.CASCADE),
        pages=models.IntegerField(db_column="n"))  # fmt: skip
    tag = model(apps, "Tag", books=models.ManyToManyField("Book"))
    with connection.schema_editor() as editor:
        for each in (author, book, tag):
            editor.create_model(each)
    with connection.cursor() as cursor:
        cursor.execute('CREATE VIEW "introspect_view" AS SELECT 1')
        yield cursor
        cursor.execute('DROP VIEW "introspect_view"')
    with connection.schema_editor() as editor:
        for each in (tag, book, author):
            editor.delete_model(each)


def test_table_list_has_tables_and_views_but_not_sqlite_sequence(library):
    tables = [info for info in connection.introspection.get_table_list(library) if info.name.startswith(APP)]
    assert tables == [
        TableInfo("introspect_author", "t"), TableInfo("introspect_book", "t"), TableInfo("introspect_tag", "t"),
        TableInfo("introspect_tag_books", "t"), TableInfo("introspect_view", "v"),
    ]  # fmt: skip
    assert "sqlite_sequence" not in [info.name for info in connection.introspection.get_table_list(library)]
    # Chapter 06's table_names() is still there, lower-cased, for "is it there?" questions.
    assert "introspect_author" in connection.introspection.table_names()


def test_table_description_gives_djangos_field_info(library):
    description = connection.introspection.get_table_description(library, "introspect_author")
    assert description == [
        FieldInfo("id", "INTEGER", None, None, None, None, False, None, None, True, False),
        FieldInfo("name", "varchar(10)", 10, None, None, None, False, None, None, False, False),
        FieldInfo("age", "integer unsigned", None, None, None, None, True, None, None, False, False),
        FieldInfo("data", "TEXT", None, None, None, None, True, None, None, False, True),
    ]
    assert description[1].null_ok is False and description[3].has_json_constraint is True


def test_a_missing_table_is_a_database_error(library):
    with pytest.raises(DatabaseError, match=r"^Table nope does not exist \(empty pragma\)\.$"):
        connection.introspection.get_table_description(library, "nope")


def test_relations_and_primary_key(library):
    introspection = connection.introspection
    assert introspection.get_relations(library, "introspect_book") == {"author_id": ("id", "introspect_author")}
    assert introspection.get_relations(library, "introspect_tag_books") == {
        "book_id": ("id", "introspect_book"), "tag_id": ("id", "introspect_tag"),
    }  # fmt: skip
    assert introspection.get_relations(library, "introspect_author") == {}
    assert introspection.get_primary_key_column(library, "introspect_book") == "id"


def test_constraints_of_every_kind(library):
    constraints = connection.introspection.get_constraints(library, "introspect_book")

    def info(columns, unique=False, index=False, check=False, foreign_key=None, primary_key=False, orders=None):
        found = {"columns": columns, "primary_key": primary_key, "unique": unique, "foreign_key": foreign_key,
                 "check": check, "index": index}  # fmt: skip
        if index:
            found.update(type="idx", orders=orders or ["ASC"] * len(columns))
        return found

    assert constraints == {
        "__primary__": info(["id"], primary_key=True),
        "fk_0": info(["author_id"], foreign_key=("introspect_author", "id")),
        "book_ix": info(["title", "n"], index=True, orders=["DESC", "ASC"]),
        "book_pages": info(["n"], check=True),
        "book_long": info(["n"], unique=True, index=True),
        "book_title_pages": info(["title", "n"], unique=True),
        "introspect_book_author_id_696a64a2": info(["author_id"], index=True),
        "introspect_book_title_b5ebc022": info(["title"], index=True),
        "introspect_book_title_author_id_2279b97e_uniq": info(["title", "author_id"], unique=True, index=True),
    }
    author = connection.introspection.get_constraints(library, "introspect_author")
    assert {name: (found["columns"], found["unique"], found["check"]) for name, found in author.items()} == {
        "__primary__": (["id"], False, False),
        "__unnamed_constraint_1__": (["name"], True, False),
        "__unnamed_constraint_2__": (["age"], False, True),
        "__unnamed_constraint_3__": (["data"], False, True),  # Django lists "data" twice here
    }


def test_a_table_written_by_hand(sql_table):
    sql_table('introspect_odd ("a" integer, "b" varchar(5) COLLATE NOCASE, "c" decimal(5, 2) DEFAULT 1, '
              'CHECK ("a" > 0), UNIQUE ("a", "b"), PRIMARY KEY ("a", "b"))')  # fmt: skip
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, "introspect_odd")
        constraints = connection.introspection.get_constraints(cursor, "introspect_odd")
        primary_key = connection.introspection.get_primary_key_column(cursor, "introspect_odd")
    # Django reads no collation here, and the UNIQUE's columns as ["UNIQUE"]: its parser slips on both.
    assert [(info.name, info.collation, info.default, info.pk) for info in description] == [
        ("a", None, None, False), ("b", "NOCASE", None, False), ("c", None, "1", False),
    ]  # fmt: skip
    assert {name: found["columns"] for name, found in constraints.items()} == {
        "__unnamed_constraint_1__": ["a"], "__unnamed_constraint_2__": ["a", "b"], "__primary__": ["a", "b"],
    }  # fmt: skip
    assert primary_key == "a"


def test_splitting_a_definition_respects_brackets_and_quotes():
    assert split_definitions('CREATE TABLE "t" ("a,b" integer, "c" decimal(5, 2), CHECK ("a" IN (\'x,y\', \')\')))') == [
        '"a,b" integer', '"c" decimal(5, 2)', "CHECK (\"a\" IN ('x,y', ')'))",
    ]  # fmt: skip
    assert list(table_constraints('CREATE TABLE "t" ("a" integer, CONSTRAINT "named" CHECK ("a" > 0))')) == ["named"]
