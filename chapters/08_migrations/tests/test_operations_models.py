"""Model operations on a real database, forwards and backwards, with rows in the tables.

Each operation runs as a migration runs it: ``state_forwards`` on a copy of
the state, then ``database_forwards`` from the old state to the new one (and
``database_backwards`` from the new to the old). The texts (``describe()``,
``deconstruct()``, ``repr``) are Django 5.2's for the same operations.
"""

import pytest

from tinyframe.db import IntegrityError, connection, migrations, models
from tinyframe.db.migrations.state import ModelState, ProjectState
from tinyframe.db.models import CASCADE

APP = "ops_models"


def table_names() -> list:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        return [row[0] for row in cursor.fetchall()]


def columns(table: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(f'PRAGMA table_info("{table}")')
        return [row[1] for row in cursor.fetchall()]


def rows(sql: str, params=()) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def index_names(table: str) -> list:
    return [name for (name,) in rows("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                                     "AND name NOT LIKE 'sqlite_%%' ORDER BY name", [table])]  # fmt: skip


def forwards(operation, state: ProjectState) -> ProjectState:
    """Apply ``operation`` to the state and the database; return the new state."""
    new_state = state.clone()
    operation.state_forwards(APP, new_state)
    with connection.schema_editor() as editor:
        operation.database_forwards(APP, editor, state, new_state)
    return new_state


def backwards(operation, state: ProjectState, new_state: ProjectState) -> None:
    with connection.schema_editor() as editor:
        operation.database_backwards(APP, editor, new_state, state)


def create(state: ProjectState, *operations) -> ProjectState:
    for operation in operations:
        state = forwards(operation, state)
    return state


def author_and_book():
    return [
        migrations.CreateModel("Author", [
            ("id", models.AutoField(primary_key=True)),
            ("name", models.CharField(max_length=20)),
        ]),
        migrations.CreateModel("Book", [
            ("id", models.AutoField(primary_key=True)),
            ("title", models.CharField(max_length=20)),
            ("author", models.ForeignKey(f"{APP}.author", CASCADE)),
            ("fans", models.ManyToManyField(f"{APP}.author", related_name="favourites")),
        ]),
    ]  # fmt: skip


def fill(state):
    """Two authors, two books, and a fan of each book; returns the rows of the three tables."""
    Author, Book = state.apps.get_model(APP, "Author"), state.apps.get_model(APP, "Book")
    ann, bob = Author.objects.create(name="Ann"), Author.objects.create(name="Bob")
    dune = Book.objects.create(title="Dune", author=ann)
    emma = Book.objects.create(title="Emma", author=bob)
    dune.fans.add(bob)
    emma.fans.add(ann)


# -- CreateModel / DeleteModel --------------------------------------------------------------


def test_create_model_makes_the_table_and_its_many_to_many_table(database):
    state = create(ProjectState(), author_and_book()[0])
    operation = author_and_book()[1]
    new_state = forwards(operation, state)
    assert columns("ops_models_book") == ["id", "title", "author_id"]
    assert columns("ops_models_book_fans") == ["id", "book_id", "author_id"]
    fill(new_state)
    backwards(operation, state, new_state)
    assert "ops_models_book" not in table_names() and "ops_models_book_fans" not in table_names()
    assert rows("SELECT name FROM ops_models_author ORDER BY id") == [("Ann",), ("Bob",)]


def test_create_model_of_an_unmanaged_model_makes_no_table(database):
    operation = migrations.CreateModel("Legacy", [("id", models.AutoField(primary_key=True))], options={"managed": False})
    state = forwards(operation, ProjectState())
    assert ("ops_models", "legacy") in state.models
    assert "ops_models_legacy" not in table_names()


def test_delete_model_drops_the_tables_and_backwards_makes_them_again(database):
    state = create(ProjectState(), *author_and_book())
    fill(state)
    operation = migrations.DeleteModel("Book")
    new_state = forwards(operation, state)
    assert ("ops_models", "book") not in new_state.models
    assert "ops_models_book" not in table_names() and "ops_models_book_fans" not in table_names()
    backwards(operation, state, new_state)
    assert columns("ops_models_book") == ["id", "title", "author_id"]
    assert rows("SELECT count(*) FROM ops_models_book_fans") == [(0,)]


# -- RenameModel / AlterModelTable -----------------------------------------------------------


def test_rename_model_keeps_every_row_and_the_keys_pointing_at_it(database):
    state = create(ProjectState(), *author_and_book())
    fill(state)
    operation = migrations.RenameModel("Author", "Writer")
    new_state = forwards(operation, state)
    assert "ops_models_author" not in table_names()
    assert rows("SELECT id, name FROM ops_models_writer ORDER BY id") == [(1, "Ann"), (2, "Bob")]
    Book = new_state.apps.get_model(APP, "Book")
    assert [(book.title, book.author.name) for book in Book.objects.order_by("id")] == [("Dune", "Ann"), ("Emma", "Bob")]
    assert sorted(Book.objects.values_list("title", "fans__name")) == [("Dune", "Bob"), ("Emma", "Ann")]
    assert columns("ops_models_book_fans") == ["id", "book_id", "writer_id"]
    backwards(operation, state, new_state)
    assert rows("SELECT id, name FROM ops_models_author ORDER BY id") == [(1, "Ann"), (2, "Bob")]
    assert columns("ops_models_book_fans") == ["id", "book_id", "author_id"]
    Book = state.apps.get_model(APP, "Book")
    assert sorted(Book.objects.values_list("title", "author__name", "fans__name")) == [
        ("Dune", "Ann", "Bob"), ("Emma", "Bob", "Ann"),
    ]  # fmt: skip


def test_rename_model_with_its_own_many_to_many_renames_the_through_table(database):
    state = create(ProjectState(), *author_and_book())
    fill(state)
    operation = migrations.RenameModel("Book", "Novel")
    new_state = forwards(operation, state)
    assert {"ops_models_novel", "ops_models_novel_fans"} <= set(table_names())
    assert columns("ops_models_novel_fans") == ["id", "novel_id", "author_id"]
    Novel = new_state.apps.get_model(APP, "Novel")
    assert sorted(Novel.objects.values_list("title", "fans__name")) == [("Dune", "Bob"), ("Emma", "Ann")]
    backwards(operation, state, new_state)
    assert columns("ops_models_book_fans") == ["id", "book_id", "author_id"]
    assert rows("SELECT title FROM ops_models_book ORDER BY id") == [("Dune",), ("Emma",)]


def test_alter_model_table_renames_the_tables_and_none_goes_back(database):
    state = create(ProjectState(), *author_and_book())
    fill(state)
    operation = migrations.AlterModelTable("Book", "books")
    new_state = forwards(operation, state)
    assert {"books", "books_fans"} <= set(table_names()) and "ops_models_book" not in table_names()
    Book = new_state.apps.get_model(APP, "Book")
    assert sorted(Book.objects.values_list("title", "author__name", "fans__name")) == [
        ("Dune", "Ann", "Bob"), ("Emma", "Bob", "Ann"),
    ]  # fmt: skip
    back = migrations.AlterModelTable("Book", None)
    final = forwards(back, new_state)
    assert {"ops_models_book", "ops_models_book_fans"} <= set(table_names())
    backwards(back, new_state, final)
    assert rows("SELECT title FROM books ORDER BY id") == [("Dune",), ("Emma",)]
    backwards(operation, state, new_state)
    assert rows("SELECT count(*) FROM ops_models_book_fans") == [(2,)]


# -- unique_together, options, indexes, constraints ---------------------------------------------


def test_alter_unique_together_adds_and_drops_the_unique_index(database):
    state = create(ProjectState(), *author_and_book())
    fill(state)
    operation = migrations.AlterUniqueTogether("Book", [("title", "author")])
    new_state = forwards(operation, state)
    assert new_state.models[APP, "book"].options["unique_together"] == {("title", "author")}
    with pytest.raises(IntegrityError):
        rows("INSERT INTO ops_models_book (title, author_id) VALUES ('Dune', 1)")
    backwards(operation, state, new_state)
    rows("INSERT INTO ops_models_book (title, author_id) VALUES ('Dune', 1)")
    assert rows("SELECT count(*) FROM ops_models_book WHERE title = 'Dune'") == [(2,)]


def test_alter_model_options_changes_the_state_only(database):
    state = create(ProjectState(), author_and_book()[0])
    operation = migrations.AlterModelOptions("Author", {"ordering": ["name"], "verbose_name": "writer"})
    with connection.schema_editor(collect_sql=True) as editor:
        new_state = state.clone()
        operation.state_forwards(APP, new_state)
        operation.database_forwards(APP, editor, state, new_state)
        operation.database_backwards(APP, editor, new_state, state)
    assert editor.collected_sql == []
    Author = new_state.apps.get_model(APP, "Author")
    assert (Author._meta.ordering, Author._meta.verbose_name) == (["name"], "writer")


def test_add_and_remove_an_index(database):
    state = create(ProjectState(), *author_and_book())
    fill(state)
    operation = migrations.AddIndex("Book", models.Index(fields=["-title"], name="book_title_idx"))
    new_state = forwards(operation, state)
    assert "book_title_idx" in index_names("ops_models_book")
    removal = migrations.RemoveIndex("Book", "book_title_idx")
    final = forwards(removal, new_state)
    assert "book_title_idx" not in index_names("ops_models_book")
    backwards(removal, new_state, final)
    assert "book_title_idx" in index_names("ops_models_book")
    backwards(operation, state, new_state)
    assert "book_title_idx" not in index_names("ops_models_book")
    assert rows("SELECT title FROM ops_models_book ORDER BY id") == [("Dune",), ("Emma",)]


def test_add_and_remove_a_check_constraint_with_rows_in_the_table(database):
    state = create(ProjectState(), *author_and_book())
    fill(state)
    constraint = models.CheckConstraint(condition=models.Q(title__gt="B"), name="title_after_b")
    operation = migrations.AddConstraint("Book", constraint)
    new_state = forwards(operation, state)
    assert rows("SELECT id, title, author_id FROM ops_models_book ORDER BY id") == [(1, "Dune", 1), (2, "Emma", 2)]
    with pytest.raises(IntegrityError):
        rows("INSERT INTO ops_models_book (title, author_id) VALUES ('Alpha', 1)")
    removal = migrations.RemoveConstraint("Book", "title_after_b")
    final = forwards(removal, new_state)
    rows("INSERT INTO ops_models_book (title, author_id) VALUES ('Alpha', 1)")
    rows("DELETE FROM ops_models_book WHERE title = 'Alpha'")
    backwards(removal, new_state, final)
    with pytest.raises(IntegrityError):
        rows("INSERT INTO ops_models_book (title, author_id) VALUES ('Alpha', 1)")
    backwards(operation, state, new_state)
    rows("INSERT INTO ops_models_book (title, author_id) VALUES ('Alpha', 1)")
    assert sorted(rows("SELECT title FROM ops_models_book")) == [("Alpha",), ("Dune",), ("Emma",)]


def test_a_unique_constraint_refuses_duplicates(database):
    state = create(ProjectState(), *author_and_book())
    operation = migrations.AddConstraint("Author", models.UniqueConstraint(fields=["name"], name="one_name"))
    new_state = forwards(operation, state)
    rows("INSERT INTO ops_models_author (name) VALUES ('Ann')")
    with pytest.raises(IntegrityError):
        rows("INSERT INTO ops_models_author (name) VALUES ('Ann')")
    backwards(operation, state, new_state)
    rows("INSERT INTO ops_models_author (name) VALUES ('Ann')")


# -- the texts ------------------------------------------------------------------------------------


def title():
    return models.CharField(max_length=20)


TEXTS = [
    (migrations.CreateModel("Post", [("id", models.AutoField(primary_key=True))], options={"ordering": ["id"]}),
     "Create model Post", "+"),
    (migrations.CreateModel("Post", [], options={"proxy": True}), "Create proxy model Post", "+"),
    (migrations.DeleteModel("Post"), "Delete model Post", "-"),
    (migrations.RenameModel("Post", "Article"), "Rename model Post to Article", "~"),
    (migrations.AlterModelTable("Post", "posts"), "Rename table for Post to posts", "~"),
    (migrations.AlterModelTable("Post", None), "Rename table for Post to (default)", "~"),
    (migrations.AlterModelOptions("Post", {"ordering": ["x"]}), "Change Meta options on Post", "~"),
    (migrations.AlterUniqueTogether("post", [("a", "b")]), "Alter unique_together for post (1 constraint(s))", "~"),
    (migrations.AlterUniqueTogether("post", None), "Alter unique_together for post (0 constraint(s))", "~"),
    (migrations.AddIndex("post", models.Index(fields=["title", "-id"], name="post_title_idx")),
     "Create index post_title_idx on field(s) title, -id of model post", "+"),
    (migrations.RemoveIndex("post", "post_title_idx"), "Remove index post_title_idx from post", "-"),
    (migrations.AddConstraint("post", models.CheckConstraint(condition=models.Q(n__gt=1), name="c")),
     "Create constraint c on model post", "+"),
    (migrations.RemoveConstraint("post", "c"), "Remove constraint c from model post", "-"),
]  # fmt: skip


def test_describe_and_formatted_description_are_djangos(check_rows):
    def check(operation, description, symbol):
        assert operation.describe() == description
        assert operation.formatted_description() == f"{symbol} {description}"

    check_rows(TEXTS, check)


def test_deconstruct_gives_the_arguments_a_migration_file_writes():
    fields = [("id", models.AutoField(primary_key=True)), ("title", title())]
    assert migrations.CreateModel("Post", fields, options={"ordering": ["title"]}).deconstruct() == (
        "CreateModel", [], {"name": "Post", "fields": fields, "options": {"ordering": ["title"]}},
    )  # fmt: skip
    assert migrations.CreateModel("Post", fields).deconstruct() == ("CreateModel", [], {"name": "Post", "fields": fields})
    mixin = type("Mixin", (), {})
    assert migrations.CreateModel("Post", [], bases=(mixin, models.Model)).deconstruct()[2]["bases"] == (
        mixin, models.Model,
    )  # fmt: skip
    assert migrations.DeleteModel("Post").deconstruct() == ("DeleteModel", [], {"name": "Post"})
    assert migrations.RenameModel("Post", "Article").deconstruct() == (
        "RenameModel", [], {"old_name": "Post", "new_name": "Article"},
    )  # fmt: skip
    assert migrations.AlterModelTable("Post", None).deconstruct() == ("AlterModelTable", [], {"name": "Post", "table": None})
    assert migrations.AlterModelOptions("Post", {"ordering": []}).deconstruct() == (
        "AlterModelOptions", [], {"name": "Post", "options": {"ordering": []}},
    )  # fmt: skip
    assert migrations.AlterUniqueTogether("post", [("a", "b")]).deconstruct() == (
        "AlterUniqueTogether", [], {"name": "post", "unique_together": {("a", "b")}},
    )  # fmt: skip
    index = models.Index(fields=["title"], name="ix")
    assert migrations.AddIndex("post", index).deconstruct() == ("AddIndex", [], {"model_name": "post", "index": index})
    assert migrations.RemoveIndex("post", "ix").deconstruct() == ("RemoveIndex", [], {"model_name": "post", "name": "ix"})
    check = models.CheckConstraint(condition=models.Q(n__gt=1), name="c")
    assert migrations.AddConstraint("post", check).deconstruct() == (
        "AddConstraint", [], {"model_name": "post", "constraint": check},
    )  # fmt: skip
    assert migrations.RemoveConstraint("post", "c").deconstruct() == (
        "RemoveConstraint", [], {"model_name": "post", "name": "c"},
    )  # fmt: skip


def test_repr_shows_the_call():
    assert repr(migrations.DeleteModel("Post")) == "<DeleteModel 'Post'>"
    assert repr(migrations.RenameModel("Post", "Article")) == "<RenameModel 'Post', 'Article'>"
    assert repr(migrations.AlterUniqueTogether("post", None)) == "<AlterUniqueTogether 'post', None>"
    assert repr(migrations.AlterModelOptions("Post", options={"ordering": ["x"]})) == (
        "<AlterModelOptions 'Post' options={'ordering': ['x']}>"
    )


def test_bad_arguments_are_refused_with_djangos_messages():
    with pytest.raises(ValueError, match="^Found duplicate value title in CreateModel fields argument.$"):
        migrations.CreateModel("Post", [("title", title()), ("title", title())])
    with pytest.raises(ValueError, match="^Found duplicate value objects in CreateModel managers argument.$"):
        migrations.CreateModel("Post", [], managers=[("objects", models.Manager()), ("objects", models.Manager())])
    with pytest.raises(ValueError, match="^Found duplicate value ops_models.author in CreateModel bases argument.$"):
        migrations.CreateModel("Post", [], bases=("ops_models.Author", "ops_models.author"))
    with pytest.raises(ValueError) as caught:
        migrations.AddIndex("post", models.Index(fields=["title"]))
    assert str(caught.value) == (
        "Indexes passed to AddIndex operations require a name argument. <Index: fields=['title']> doesn't have one."
    )


def test_operations_know_which_models_they_involve():
    create_book = author_and_book()[1]
    assert create_book.references_model("Book", APP) and create_book.references_model("author", APP)
    assert not create_book.references_model("Tag", APP)
    assert migrations.CreateModel("Child", [], bases=("ops_models.Parent",)).references_model("parent", APP)
    rename = migrations.RenameModel("Post", "Article")
    assert rename.references_model("article", APP) and not rename.references_model("tag", APP)
    assert migrations.AddIndex("post", models.Index(fields=["a"], name="i")).references_model("Post", APP)
    together = migrations.AlterUniqueTogether("post", [("a", "b")])
    assert together.references_field("post", "a", APP) and not together.references_field("post", "c", APP)


def test_model_states_made_by_create_model_keep_its_arguments():
    manager = models.Manager()
    manager.use_in_migrations = True
    operation = migrations.CreateModel("Post", [("id", models.AutoField(primary_key=True))],
                                       options={"verbose_name": "entry"}, managers=[("posts", manager)])  # fmt: skip
    state = ProjectState()
    operation.state_forwards(APP, state)
    model_state = state.models[APP, "post"]
    assert isinstance(model_state, ModelState) and model_state.options["verbose_name"] == "entry"
    Post = state.apps.get_model(APP, "Post")
    assert [manager.name for manager in Post._meta.managers] == ["posts"]
    assert operation.options == {"verbose_name": "entry"}, "the operation's options are not changed by the state"


def test_rename_model_with_keys_to_itself(database):
    state = create(ProjectState(), migrations.CreateModel("Person", [
        ("id", models.AutoField(primary_key=True)),
        ("name", models.CharField(max_length=10)),
        ("mentor", models.ForeignKey(f"{APP}.person", models.SET_NULL, null=True, related_name="students")),
        ("friends", models.ManyToManyField(f"{APP}.person")),
    ]))  # fmt: skip
    Person = state.apps.get_model(APP, "Person")
    ann = Person.objects.create(name="Ann")
    bob = Person.objects.create(name="Bob", mentor=ann)
    carl = Person.objects.create(name="Carl", mentor=bob)
    bob.friends.add(ann, carl)
    expected = sorted(Person.objects.values_list("name", "mentor__name", "friends__name"))
    operation = migrations.RenameModel("Person", "Member")
    new_state = forwards(operation, state)
    Member = new_state.apps.get_model(APP, "Member")
    assert sorted(Member.objects.values_list("name", "mentor__name", "friends__name")) == expected
    assert rows("SELECT from_member_id, to_member_id FROM ops_models_member_friends ORDER BY id") == [(2, 1), (2, 3)]
    backwards(operation, state, new_state)
    assert sorted(Person.objects.values_list("name", "mentor__name", "friends__name")) == expected


def test_model_operations_on_an_unmanaged_model_leave_the_database_alone(database):
    state = forwards(migrations.CreateModel(
        "Legacy", [("id", models.AutoField(primary_key=True)), ("name", models.CharField(max_length=5))],
        options={"managed": False},
    ), ProjectState())  # fmt: skip
    for operation in [
        migrations.AlterModelTable("Legacy", "old_legacy"),
        migrations.AlterUniqueTogether("Legacy", [("id", "name")]),
        migrations.AddIndex("Legacy", models.Index(fields=["name"], name="legacy_idx")),
        migrations.RemoveIndex("Legacy", "legacy_idx"),
        migrations.AddConstraint("Legacy", models.UniqueConstraint(fields=["name"], name="legacy_name")),
        migrations.RemoveConstraint("Legacy", "legacy_name"),
        migrations.RenameModel("Legacy", "Ancient"),
        migrations.DeleteModel("Ancient"),
    ]:  # fmt: skip
        with connection.schema_editor(collect_sql=True) as editor:
            new_state = state.clone()
            operation.state_forwards(APP, new_state)
            operation.database_forwards(APP, editor, state, new_state)
            operation.database_backwards(APP, editor, new_state, state)
        assert editor.collected_sql == [], f"{operation!r} wrote {editor.collected_sql}"
        state = new_state
    assert state.models == {}


def test_a_partial_index_is_described_without_its_condition():
    index = models.Index(fields=["a"], name="i", condition=models.Q(a=1))
    assert migrations.AddIndex("post", index).describe() == "Create index i on field(s) a of model post"
