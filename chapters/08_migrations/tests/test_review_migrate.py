"""Review of migrate, sqlmigrate and the SQLite editor against Django 5.2, side by side.

Each test runs something whose answer was first taken from Django 5.2 (the
same migration files in a scratch project, ``django`` for ``tinyframe``),
and checks that tinyframe gives the same answer.
"""

import io
import textwrap
import unittest

import pytest

from tinyframe.core.management import call_command
from tinyframe.db import connection


def sqlmigrate(*args, **options) -> str:
    stdout = io.StringIO()
    call_command("sqlmigrate", *args, stdout=stdout, **options)
    return stdout.getvalue()


def test_sqlmigrate_rebuilds_with_the_altered_column_last_once_the_state_is_rendered(project):
    # The first operation renders the state (ADD COLUMN reads the model after it);
    # from then on Django keeps it rendered, so the model after each operation is
    # the newer and a rebuild puts the altered column last.
    project.app("blog", "", {
        "0001_initial": project.migration(initial=True, operations="""
            migrations.CreateModel("Post", [
                ("id", models.AutoField(primary_key=True)),
                ("title", models.CharField(max_length=10)),
                ("rank", models.IntegerField(null=True)),
                ("note", models.TextField(default="")),
            ]),
        """),
        "0002_change": project.migration([("blog", "0001_initial")], operations="""
            migrations.AddField("post", "extra", models.IntegerField(null=True)),
            migrations.RemoveField("post", "note"),
            migrations.AlterField("post", "rank", models.IntegerField(default=0), preserve_default=False),
        """),
    })
    project.install("blog")

    assert sqlmigrate("blog", "0002") == textwrap.dedent("""\
        BEGIN;
        --
        -- Add field extra to post
        --
        ALTER TABLE "blog_post" ADD COLUMN "extra" integer NULL;
        --
        -- Remove field note from post
        --
        ALTER TABLE "blog_post" DROP COLUMN "note";
        --
        -- Alter field rank on post
        --
        CREATE TABLE "new__blog_post" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "title" varchar(10) NOT NULL, "extra" integer NULL, "rank" integer NOT NULL);
        INSERT INTO "new__blog_post" ("id", "title", "extra", "rank") SELECT "id", "title", "extra", coalesce("rank", 0) FROM "blog_post";
        DROP TABLE "blog_post";
        ALTER TABLE "new__blog_post" RENAME TO "blog_post";
        COMMIT;
        """)  # fmt: skip


def test_statements_queued_before_a_new_table_stay_ahead_of_its_unique_together(project):
    # A's index was queued before B was created: Django runs it before B's unique_together.
    project.app("blog", "", {
        "0001_initial": project.migration(initial=True, operations="""
            migrations.CreateModel("A", [
                ("id", models.AutoField(primary_key=True)),
                ("x", models.IntegerField(db_index=True)),
            ]),
            migrations.CreateModel("B", [
                ("id", models.AutoField(primary_key=True)),
                ("x", models.IntegerField(db_index=True)),
                ("y", models.IntegerField()),
                ("a", models.ForeignKey("blog.a", models.CASCADE)),
            ], options={
                "unique_together": {("x", "y")},
                "indexes": [models.Index(fields=["y"], name="b_y")],
                "constraints": [models.UniqueConstraint(fields=["y"], condition=models.Q(x__gt=1), name="b_uc")],
            }),
        """),
    })
    project.install("blog")

    assert sqlmigrate("blog", "0001") == textwrap.dedent("""\
        BEGIN;
        --
        -- Create model A
        --
        CREATE TABLE "blog_a" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "x" integer NOT NULL);
        --
        -- Create model B
        --
        CREATE TABLE "blog_b" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "x" integer NOT NULL, "y" integer NOT NULL, "a_id" integer NOT NULL REFERENCES "blog_a" ("id") DEFERRABLE INITIALLY DEFERRED);
        CREATE INDEX "blog_a_x_bb8aaea1" ON "blog_a" ("x");
        CREATE UNIQUE INDEX "blog_b_x_y_693632e5_uniq" ON "blog_b" ("x", "y");
        CREATE UNIQUE INDEX "b_uc" ON "blog_b" ("y") WHERE "x" > 1;
        CREATE INDEX "blog_b_x_990c6a89" ON "blog_b" ("x");
        CREATE INDEX "blog_b_a_id_75df8d97" ON "blog_b" ("a_id");
        CREATE INDEX "b_y" ON "blog_b" ("y");
        COMMIT;
        """)  # fmt: skip


def test_a_many_to_many_table_added_after_a_queued_index_keeps_its_indexes_after_it(project):
    project.app("blog", "", {
        "0001_initial": project.migration(initial=True, operations="""
            migrations.CreateModel("Tag", [("id", models.AutoField(primary_key=True))]),
            migrations.CreateModel("Post", [("id", models.AutoField(primary_key=True))]),
        """),
        "0002_more": project.migration([("blog", "0001_initial")], operations="""
            migrations.AddField("post", "parent", models.ForeignKey("blog.post", models.CASCADE, null=True)),
            migrations.AddField("post", "tags", models.ManyToManyField("blog.tag")),
        """),
    })
    project.install("blog")

    assert sqlmigrate("blog", "0002").splitlines()[-5:] == [
        'CREATE INDEX "blog_post_parent_id_4228cc7f" ON "blog_post" ("parent_id");',
        'CREATE UNIQUE INDEX "blog_post_tags_post_id_tag_id_4925ec37_uniq" ON "blog_post_tags" ("post_id", "tag_id");',
        'CREATE INDEX "blog_post_tags_post_id_a1c71c8a" ON "blog_post_tags" ("post_id");',
        'CREATE INDEX "blog_post_tags_tag_id_0875c551" ON "blog_post_tags" ("tag_id");',
        "COMMIT;",
    ]


def migrate(*args) -> str:
    stdout = io.StringIO()
    call_command("migrate", *args, stdout=stdout)
    return stdout.getvalue()


def index_names(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s ORDER BY name", [table])
        return [name for (name,) in cursor.fetchall()]


def columns(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f'PRAGMA table_info("{table}")')
        return [(name, kind) for _, name, kind, *_ in cursor.fetchall()]


def rows(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_indexes_queued_for_a_renamed_table_are_named_after_its_new_name(project):
    # RenameField queues the new many-to-many table's indexes; AlterModelTable then
    # renames that table before they run: Django names them after the new name.
    project.app("blog", "", {
        "0001_initial": project.migration(initial=True, operations="""
            migrations.CreateModel("Tag", [("id", models.AutoField(primary_key=True))]),
            migrations.CreateModel("Club", [
                ("id", models.AutoField(primary_key=True)),
                ("members", models.ManyToManyField("blog.tag")),
            ]),
        """),
        "0002_rename": project.migration([("blog", "0001_initial")], operations="""
            migrations.RenameField("club", "members", "people"),
            migrations.AlterModelTable("club", "clubs"),
        """),
    })
    project.install("blog")

    migrate()

    assert index_names("clubs_people") == [
        "clubs_people_club_id_e78d4b00",
        "clubs_people_club_id_tag_id_89b5fe7a_uniq",
        "clubs_people_tag_id_a7d1eef9",
    ]


def test_a_primary_key_of_a_new_type_reaches_the_many_to_many_tables_pointing_at_it(project):
    project.app("blog", "", {
        "0001_initial": project.migration(initial=True, operations="""
            migrations.CreateModel("Node", [
                ("code", models.CharField(max_length=10, primary_key=True, serialize=False)),
                ("links", models.ManyToManyField("self")),
            ]),
            migrations.CreateModel("Leaf", [
                ("id", models.AutoField(primary_key=True)),
                ("nodes", models.ManyToManyField("blog.node")),
            ]),
            migrations.RunSQL([
                "INSERT INTO blog_node (code) VALUES ('a'), ('b')",
                "INSERT INTO blog_node_links (from_node_id, to_node_id) VALUES ('a', 'b'), ('b', 'a')",
                "INSERT INTO blog_leaf (id) VALUES (1)",
                "INSERT INTO blog_leaf_nodes (leaf_id, node_id) VALUES (1, 'b')",
            ], migrations.RunSQL.noop),
        """),
        "0002_longer_code": project.migration([("blog", "0001_initial")], operations="""
            migrations.AlterField("node", "code", models.CharField(max_length=30, primary_key=True, serialize=False)),
        """),
    })
    project.install("blog")

    migrate()

    # Django 5.2 rebuilds both tables, the many-to-many to "self" too, with varchar(30) keys.
    assert key_types() == {
        "blog_node_links": [("from_node_id", "varchar(30)"), ("to_node_id", "varchar(30)")],
        "blog_leaf_nodes": [("node_id", "varchar(30)")],
    }
    assert every_row() == ROWS

    migrate("blog", "0001")

    assert key_types() == {
        "blog_node_links": [("from_node_id", "varchar(10)"), ("to_node_id", "varchar(10)")],
        "blog_leaf_nodes": [("node_id", "varchar(10)")],
    }
    assert every_row() == ROWS


ROWS = {"blog_node_links": [(1, "a", "b"), (2, "b", "a")], "blog_leaf_nodes": [(1, 1, "b")]}


def key_types() -> dict:
    """The many-to-many tables' columns that hold a node's code, with their types."""
    return {
        table: [(name, kind) for name, kind in columns(table) if name.endswith("node_id")]
        for table in ("blog_node_links", "blog_leaf_nodes")
    }


def every_row() -> dict:
    return {table: rows(f'SELECT * FROM "{table}" ORDER BY id') for table in ("blog_node_links", "blog_leaf_nodes")}

    migrate("blog", "0001")

    assert columns("blog_node_links") == [("id", "INTEGER"), ("from_node_id", "varchar(10)"), ("to_node_id", "varchar(10)")]
    assert columns("blog_leaf_nodes") == [("id", "INTEGER"), ("leaf_id", "INTEGER"), ("node_id", "varchar(10)")]
    assert rows("SELECT id, from_node_id, to_node_id FROM blog_node_links ORDER BY id") == [(1, "a", "b"), (2, "b", "a")]
    assert rows("SELECT id, leaf_id, node_id FROM blog_leaf_nodes") == [(1, 1, "b")]


def test_rename_model_alters_another_model_s_keys_before_its_many_to_many_fields(project):
    # Django walks the relations model by model, each one's keys before its
    # many-to-many fields (whatever order the fields were declared in).
    project.app("blog", "", {
        "0001_initial": project.migration(initial=True, operations="""
            migrations.CreateModel("Person", [("id", models.AutoField(primary_key=True))]),
            migrations.CreateModel("Club", [
                ("id", models.AutoField(primary_key=True)),
                ("members", models.ManyToManyField("blog.person")),
                ("boss", models.ForeignKey("blog.person", models.CASCADE, related_name="bossed")),
            ]),
        """),
        "0002_rename": project.migration([("blog", "0001_initial")], operations="""
            migrations.RenameModel("Person", "Human"),
        """),
    })
    project.install("blog")

    assert sqlmigrate("blog", "0002") == textwrap.dedent("""\
        BEGIN;
        --
        -- Rename model Person to Human
        --
        ALTER TABLE "blog_person" RENAME TO "blog_human";
        CREATE TABLE "new__blog_club" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "boss_id" integer NOT NULL REFERENCES "blog_human" ("id") DEFERRABLE INITIALLY DEFERRED);
        INSERT INTO "new__blog_club" ("id", "boss_id") SELECT "id", "boss_id" FROM "blog_club";
        DROP TABLE "blog_club";
        ALTER TABLE "new__blog_club" RENAME TO "blog_club";
        CREATE INDEX "blog_club_boss_id_095967f5" ON "blog_club" ("boss_id");
        CREATE TABLE "new__blog_club_members" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "club_id" integer NOT NULL REFERENCES "blog_club" ("id") DEFERRABLE INITIALLY DEFERRED, "human_id" integer NOT NULL REFERENCES "blog_human" ("id") DEFERRABLE INITIALLY DEFERRED);
        INSERT INTO "new__blog_club_members" ("id", "human_id", "club_id") SELECT "id", "person_id", "club_id" FROM "blog_club_members";
        DROP TABLE "blog_club_members";
        ALTER TABLE "new__blog_club_members" RENAME TO "blog_club_members";
        CREATE UNIQUE INDEX "blog_club_members_club_id_human_id_d3a682d6_uniq" ON "blog_club_members" ("club_id", "human_id");
        CREATE INDEX "blog_club_members_club_id_1e99bf38" ON "blog_club_members" ("club_id");
        CREATE INDEX "blog_club_members_human_id_1e161a94" ON "blog_club_members" ("human_id");
        COMMIT;
        """)  # fmt: skip


def test_an_app_label_that_is_also_a_folder_here_names_its_tests_by_their_package(project, monkeypatch):
    # Django 5.2's "manage.py test blog" run where blog/ is a folder of the current
    # one: "blog.tests.PostTests.test_one" (a relative import in the tests works).
    from tinyframe.test.runner import DiscoverRunner

    tests = """
        import unittest

        from .models import __name__ as models_module


        class PostTests(unittest.TestCase):
            def test_one(self):
                self.assertEqual(models_module, "blog.models")
    """
    blog = project.app("blog")
    project.write("blog/tests.py", textwrap.dedent(tests))
    project.app("shop")
    project.write("shop/tests.py", textwrap.dedent(tests).replace("blog.models", "shop.models"))
    monkeypatch.chdir(blog.parent)

    suite = DiscoverRunner(verbosity=0).build_suite(["blog", "shop"])

    assert [test.id() for test in suite] == ["blog.tests.PostTests.test_one", "shop.tests.PostTests.test_one"]
    assert unittest.TextTestRunner(stream=io.StringIO()).run(suite).wasSuccessful()


def test_a_test_named_twice_runs_once(project, monkeypatch):
    # Django 5.2: "manage.py test blog blog.tests.PostTests.test_one" finds 1 test.
    from tinyframe.test.runner import DiscoverRunner

    blog = project.app("blog")
    project.write("blog/tests.py", textwrap.dedent("""
        import unittest


        class PostTests(unittest.TestCase):
            def test_one(self):
                pass
    """))
    monkeypatch.chdir(blog.parent)

    suite = DiscoverRunner(verbosity=0).build_suite(["blog", "blog.tests.PostTests.test_one"])

    assert [test.id() for test in suite] == ["blog.tests.PostTests.test_one"]


def test_an_irreversible_migration_that_is_not_atomic_says_nothing_was_run(project):
    # Django 5.2 raises IrreversibleError before undoing anything; the note must not claim otherwise.
    from tinyframe.db.migrations.exceptions import IrreversibleError

    project.app("blog", "", {
        "0001_initial": project.migration(initial=True, atomic=False, operations="""
            migrations.CreateModel("Post", [("id", models.AutoField(primary_key=True))]),
            migrations.RunSQL("UPDATE blog_post SET id = id"),
        """),
    })
    project.install("blog")
    migrate()

    with pytest.raises(IrreversibleError) as caught:
        migrate("blog", "zero")

    assert str(caught.value) == (
        "Operation <RunSQL 'UPDATE blog_post SET id = id'> in blog.0001_initial is not reversible"
    )
    assert caught.value.__notes__ == [
        "Unapplying blog.0001_initial failed; nothing was run: the schema, the rows and tinyframe_migrations "
        "are as before it."
    ]
    assert "blog_post" in connection.introspection.table_names()


THROUGH_MIGRATION = """
    migrations.CreateModel("Person", [("id", models.AutoField(primary_key=True))]),
    migrations.CreateModel("Group", [("id", models.AutoField(primary_key=True)), ("name", models.CharField(max_length=5))]),
    migrations.CreateModel("Membership", [
        ("id", models.AutoField(primary_key=True)),
        ("person", models.ForeignKey("blog.person", models.CASCADE)),
        ("group", models.ForeignKey("blog.group", models.CASCADE)),
    ]),
"""


def test_adding_a_many_to_many_field_with_a_through_model_rebuilds_the_table_as_django_does(project):
    project.app("blog", "", {
        "0001_initial": project.migration(initial=True, operations=THROUGH_MIGRATION),
        "0002_members": project.migration([("blog", "0001_initial")], operations="""
            migrations.AddField("group", "members", models.ManyToManyField("blog.person", through="blog.Membership")),
        """),
    })
    project.install("blog")

    assert sqlmigrate("blog", "0002") == textwrap.dedent("""\
        BEGIN;
        --
        -- Add field members to group
        --
        CREATE TABLE "new__blog_group" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(5) NOT NULL);
        INSERT INTO "new__blog_group" ("id", "name") SELECT "id", "name" FROM "blog_group";
        DROP TABLE "blog_group";
        ALTER TABLE "new__blog_group" RENAME TO "blog_group";
        COMMIT;
        """)  # fmt: skip


def test_a_many_to_many_field_cannot_gain_a_through_model_by_alter_field(project):
    project.app("blog", "", {
        "0001_initial": project.migration(initial=True, operations=THROUGH_MIGRATION + """
            migrations.AddField("group", "members", models.ManyToManyField("blog.person", related_name="+")),
        """),
        "0002_through": project.migration([("blog", "0001_initial")], operations="""
            migrations.AlterField("group", "members", models.ManyToManyField(
                "blog.person", through="blog.Membership", related_name="+")),
        """),
    })
    project.install("blog")
    migrate("blog", "0001")

    with pytest.raises(ValueError) as caught:
        migrate("blog", "0002")

    assert str(caught.value) == (
        "Cannot alter field blog.Group.members into blog.Group.members - they are not compatible types (you "
        "cannot alter to or from M2M fields, or add or remove through= on M2M fields)"
    )
    assert "blog_group_members" in connection.introspection.table_names()
