"""``migrate``: applying and unapplying migration files, with Django's printed output.

Each test installs the apps ``blog`` and ``shop`` written by the ``project``
fixture (conftest.py): shop's ``0001_initial`` creates ``Item``; blog's
``0001_initial`` creates ``Post`` and ``0002_post_slug`` adds its slug,
after shop's first migration. The expected outputs were printed by Django
5.2's ``migrate`` on the same two apps.
"""

import io
import re
import textwrap

import pytest

from tinyframe.core.management import CommandError, call_command
from tinyframe.db import OperationalError, connection
from tinyframe.db.migrations.recorder import MigrationRecorder

ID = 'models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")'

BLOG_MODELS = """\
from tinyframe.db import models


class Post(models.Model):
    title = models.CharField(max_length=100)
    slug = models.SlugField(default="")
"""

SHOP_MODELS = """\
from tinyframe.db import models


class Item(models.Model):
    name = models.CharField(max_length=10)
"""

PLAIN_MODELS = """\
from tinyframe.db import models


class Thing(models.Model):
    name = models.CharField(max_length=10)
"""


def blog_migrations(project, **extra) -> dict:
    return {
        "0001_initial": project.migration(initial=True, operations=f"""
            migrations.CreateModel(
                name="Post",
                fields=[("id", {ID}), ("title", models.CharField(max_length=100))],
            ),
        """),
        "0002_post_slug": project.migration(
            [("blog", "0001_initial"), ("shop", "0001_initial")],
            'migrations.AddField(model_name="post", name="slug", field=models.SlugField(default="")),',
        ),
        **extra,
    }


@pytest.fixture
def blog(project):
    """Install blog and shop (both with migrations) and return the project."""
    project.app("blog", BLOG_MODELS, blog_migrations(project))
    project.app("shop", SHOP_MODELS, {"0001_initial": project.migration(initial=True, operations=f"""
        migrations.CreateModel(
            name="Item",
            fields=[("id", {ID}), ("name", models.CharField(max_length=10))],
        ),
    """)})
    project.install("blog", "shop")
    return project


def migrate(*args, **options) -> str:
    """``call_command("migrate", ...)``; its output."""
    stdout = io.StringIO()
    call_command("migrate", *args, stdout=stdout, **options)
    return stdout.getvalue()


def columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f'PRAGMA table_info("{table}")')
        return [row[1] for row in cursor.fetchall()]


def rows(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def applied() -> list[tuple[str, str]]:
    return sorted(MigrationRecorder(connection).applied_migrations())


def expected(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# -- applying -------------------------------------------------------------------------------


def test_migrate_applies_every_migration_in_dependency_order(blog):
    output = migrate()

    assert output == expected("""
        Operations to perform:
          Apply all migrations: blog, shop
        Running migrations:
          Applying shop.0001_initial... OK
          Applying blog.0001_initial... OK
          Applying blog.0002_post_slug... OK
        """)
    assert columns("blog_post") == ["id", "title", "slug"]
    assert columns("shop_item") == ["id", "name"]
    assert applied() == [("blog", "0001_initial"), ("blog", "0002_post_slug"), ("shop", "0001_initial")]


def test_migrate_again_has_nothing_to_apply(blog):
    migrate()

    assert migrate() == expected("""
        Operations to perform:
          Apply all migrations: blog, shop
        Running migrations:
          No migrations to apply.
        """)


def test_migrate_one_app_applies_what_its_migrations_need_from_other_apps(blog):
    output = migrate("blog", "0001")

    assert output == expected("""
        Operations to perform:
          Target specific migration: 0001_initial, from blog
        Running migrations:
          Applying blog.0001_initial... OK
        """)
    assert applied() == [("blog", "0001_initial")]
    assert migrate("blog").splitlines()[1:] == [
        "  Apply all migrations: blog", "Running migrations:",
        "  Applying shop.0001_initial... OK", "  Applying blog.0002_post_slug... OK",
    ]


def test_verbosity_0_prints_nothing_and_2_prints_times(blog):
    assert migrate("blog", "0001", verbosity=0) == ""

    output = migrate(verbosity=2)

    assert re.sub(r"\(\d+\.\d{3}s\)", "(0.001s)", output) == expected("""
        Operations to perform:
          Apply all migrations: blog, shop
        Running pre-migrate handlers for application blog
        Running pre-migrate handlers for application shop
        Running migrations:
          Applying shop.0001_initial... OK (0.001s)
          Applying blog.0002_post_slug... OK (0.001s)
        Running post-migrate handlers for application blog
        Running post-migrate handlers for application shop
        """)


def test_pre_and_post_migrate_are_sent_for_each_app_with_models(blog):
    from tinyframe.db.models.signals import post_migrate, pre_migrate

    heard = []

    def receiver(signal, sender, app_config, verbosity, interactive, using, plan, apps, **kwargs):
        heard.append((signal is pre_migrate, app_config.label, using, [str(m) for m, _ in plan],
                      sorted(model._meta.label for model in apps.get_models())))

    pre_migrate.connect(receiver)
    post_migrate.connect(receiver)
    try:
        migrate("shop", verbosity=0)
    finally:
        pre_migrate.disconnect(receiver)
        post_migrate.disconnect(receiver)

    assert heard == [
        (True, "blog", "default", ["shop.0001_initial"], []),
        (True, "shop", "default", ["shop.0001_initial"], []),
        (False, "blog", "default", ["shop.0001_initial"], ["shop.Item"]),
        (False, "shop", "default", ["shop.0001_initial"], ["shop.Item"]),
    ]


# -- unapplying -------------------------------------------------------------------------------


def test_migrate_back_to_a_migration_unapplies_the_later_ones_and_keeps_the_rows(blog):
    migrate()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO blog_post (title, slug) VALUES ('Dune', 'dune'), ('Emma', 'emma')")

    output = migrate("blog", "0001_initial")

    assert output == expected("""
        Operations to perform:
          Target specific migration: 0001_initial, from blog
        Running migrations:
          Rendering model states... DONE
          Unapplying blog.0002_post_slug... OK
        """)
    assert columns("blog_post") == ["id", "title"]
    assert rows("SELECT id, title FROM blog_post ORDER BY id") == [(1, "Dune"), (2, "Emma")]
    assert applied() == [("blog", "0001_initial"), ("shop", "0001_initial")], "shop's migration is not undone"


def test_migrate_zero_unapplies_the_whole_app_and_what_depends_on_it(blog):
    migrate()

    output = migrate("shop", "zero")

    assert output == expected("""
        Operations to perform:
          Unapply all migrations: shop
        Running migrations:
          Rendering model states... DONE
          Unapplying blog.0002_post_slug... OK
          Unapplying shop.0001_initial... OK
        """)
    assert "shop_item" not in connection.introspection.table_names()
    assert applied() == [("blog", "0001_initial")]


def test_fake_records_without_touching_the_schema(blog):
    migrate()

    output = migrate("blog", "zero", fake=True)

    assert output.splitlines()[-2:] == ["  Unapplying blog.0002_post_slug... FAKED",
                                        "  Unapplying blog.0001_initial... FAKED"]
    assert columns("blog_post") == ["id", "title", "slug"], "--fake leaves the tables as they are"
    assert applied() == [("shop", "0001_initial")]


# -- --fake-initial -------------------------------------------------------------------------------


def test_fake_initial_fakes_initial_migrations_whose_tables_exist(blog):
    migrate()
    migrate("blog", "zero", fake=True)
    migrate("shop", "zero", fake=True)

    output = migrate(fake_initial=True)

    assert output.splitlines()[2:] == [
        "Running migrations:",
        "  Applying shop.0001_initial... FAKED",
        "  Applying blog.0001_initial... FAKED",
        "  Applying blog.0002_post_slug... OK",
    ]


def test_fake_initial_applies_an_initial_migration_whose_table_is_missing(blog):
    migrate("shop")
    migrate("shop", "zero", fake=True)  # shop_item exists, unrecorded; blog has nothing

    output = migrate(fake_initial=True)

    assert output.splitlines()[3:] == [
        "  Applying shop.0001_initial... FAKED",
        "  Applying blog.0001_initial... OK",
        "  Applying blog.0002_post_slug... OK",
    ]
    assert columns("blog_post") == ["id", "title", "slug"]


def test_fake_initial_checks_the_columns_of_an_initial_add_field(project):
    create = f'migrations.CreateModel("Note", [("id", {ID})]),'
    add = 'migrations.AddField("note", "body", models.TextField(default="")),'
    project.app("notes", "", {
        "0001_initial": project.migration(initial=True, operations=create),
        "0002_body": project.migration([("notes", "0001_initial")], add, initial=True),
    })
    project.install("notes")
    with connection.cursor() as cursor:
        cursor.execute('CREATE TABLE "notes_note" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT)')

    output = migrate(fake_initial=True)

    assert output.splitlines()[-2:] == ["  Applying notes.0001_initial... FAKED", "  Applying notes.0002_body... OK"]
    assert columns("notes_note") == ["id", "body"]
    migrate("notes", "0001", fake=True)
    assert migrate(fake_initial=True).splitlines()[-1] == "  Applying notes.0002_body... FAKED"


# -- --plan and --check -------------------------------------------------------------------------------


def test_plan_lists_the_migrations_and_their_operations_without_running_them(blog):
    output = migrate(plan=True)

    assert output == expected("""
        Planned operations:
        shop.0001_initial
            Create model Item
        blog.0001_initial
            Create model Post
        blog.0002_post_slug
            Add field slug to post
        """)
    assert applied() == []


def test_plan_backwards_says_undo_and_shows_code_and_sql(project):
    operations = """
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(fill),
        migrations.RunSQL("SELECT 1", "SELECT 2"),
        migrations.RunSQL("SELECT 'a long statement that will not fit in the line'"),
    """
    extra = '''
        def fill(apps, schema_editor):
            """Fill the slugs."""
    '''
    project.app("blog", BLOG_MODELS, blog_migrations(project, **{
        "0003_fill": project.migration([("blog", "0002_post_slug")], operations, extra=extra),
    }))
    project.app("shop", SHOP_MODELS, {"0001_initial": project.migration()})
    project.install("blog", "shop")

    assert migrate("blog", plan=True).splitlines()[-5:] == [
        "blog.0003_fill",
        "    Raw Python operation -> Fill the slugs.",
        "    Raw Python operation -> Fill the slugs.",
        "    Raw SQL operation -> SELECT 1",
        "    Raw SQL operation -> SELECT 'a long statement that will …",
    ]
    migrate(fake=True)
    assert migrate("blog", "0001", plan=True) == expected("""
        Planned operations:
        blog.0003_fill
            Raw Python operation
            Raw Python operation -> IRREVERSIBLE
            Raw SQL operation -> SELECT 2
            Raw SQL operation -> IRREVERSIBLE
        blog.0002_post_slug
            Undo Add field slug to post
        """)
    migrate("blog", "0002", fake=True)
    assert migrate("blog", "0002", plan=True) == "Planned operations:\n  No planned migration operations.\n"


def test_check_exits_1_while_migrations_are_unapplied_and_applies_nothing(blog):
    with pytest.raises(SystemExit) as exit_status:
        migrate(check_unapplied=True)
    assert exit_status.value.code == 1
    assert applied() == []
    with pytest.raises(SystemExit):
        migrate(check=True, plan=True)

    migrate()

    assert migrate(check=True) == ""
    assert migrate("--check", "--plan") == "Planned operations:\n  No planned migration operations.\n"


# -- apps without migrations ---------------------------------------------------------------------------


def test_run_syncdb_creates_the_tables_of_apps_without_migrations_and_migrates_the_others(blog):
    blog.app("plain", PLAIN_MODELS)
    blog.install("blog", "shop", "plain")

    output = migrate(run_syncdb=True)

    assert output == expected("""
        Operations to perform:
          Synchronize unmigrated apps: plain
          Apply all migrations: blog, shop
        Synchronizing apps without migrations:
          Creating tables...
            Creating table plain_thing
            Running deferred SQL...
        Running migrations:
          Applying shop.0001_initial... OK
          Applying blog.0001_initial... OK
          Applying blog.0002_post_slug... OK
        """)
    assert migrate("plain", run_syncdb=True) == expected("""
        Operations to perform:
          Synchronize unmigrated app: plain
          Apply all migrations: (none)
        Synchronizing apps without migrations:
          Creating tables...
            Running deferred SQL...
        Running migrations:
          No migrations to apply.
        """)


def test_migrate_without_run_syncdb_leaves_apps_without_migrations_alone(blog):
    blog.app("plain", PLAIN_MODELS)
    blog.install("blog", "shop", "plain")

    migrate()

    assert "plain_thing" not in connection.introspection.table_names()


def test_models_changed_since_the_last_migration_are_pointed_out(blog):
    blog.write("shop/models.py", SHOP_MODELS + "    price = models.IntegerField(default=0)\n")
    blog.install("blog", "shop")
    migrate()

    assert migrate().splitlines()[-2:] == [
        "  Your models in app(s): 'shop' have changes that are not yet reflected in a migration, and so won't be "
        "applied.",
        "  Run 'manage.py makemigrations' to make new migrations, and then re-run 'manage.py migrate' to apply them.",
    ]


# -- errors ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, options, message", [
    (("blog", "0009"), {}, "Cannot find a migration matching '0009' from app 'blog'. Its migrations: "
                           "0001_initial, 0002_post_slug; or 'zero' to unapply them all."),
    (("blog", "000"), {}, "More than one migration matches '000' in app 'blog'. Please be more specific."),
    (("nope",), {}, "No installed app with label 'nope'."),
    (("plain",), {}, "App 'plain' does not have migrations."),
    (("blog",), {"run_syncdb": True}, "Can't use run_syncdb with app 'blog' as it has migrations."),
])
def test_bad_arguments_are_command_errors_with_djangos_messages(blog, args, options, message):
    blog.app("plain", PLAIN_MODELS)
    blog.install("blog", "shop", "plain")

    with pytest.raises(CommandError) as error:
        migrate(*args, **options)

    assert str(error.value) == message
    assert applied() == []


def test_two_leaf_migrations_in_an_app_ask_for_a_merge(blog):
    blog.write("blog/migrations/0002_other.py", blog.migration([("blog", "0001_initial")]))

    with pytest.raises(CommandError) as error:
        migrate()

    assert str(error.value) == (
        "Conflicting migrations detected; multiple leaf nodes in the migration graph: (0002_other, "
        "0002_post_slug in blog).\nTo fix them run 'python manage.py makemigrations --merge'"
    )


def test_a_migration_applied_before_its_dependency_is_refused(blog):
    MigrationRecorder(connection).record_applied("blog", "0002_post_slug")

    from tinyframe.db.migrations.exceptions import InconsistentMigrationHistory

    with pytest.raises(InconsistentMigrationHistory) as error:
        migrate()

    assert str(error.value) == (
        "Migration blog.0002_post_slug is applied before its dependency blog.0001_initial on database 'default'."
    )


def test_a_migration_failing_half_way_leaves_schema_rows_and_record_as_before(blog):
    failing = """
        migrations.AddField("post", "body", models.TextField(default="")),
        migrations.RunSQL("INSERT INTO blog_post (title, slug, body) VALUES ('new', 'new', 'new')"),
        migrations.RunSQL("INSERT INTO no_such_table VALUES (1)"),
    """
    blog.write("blog/migrations/0003_body.py", blog.migration([("blog", "0002_post_slug")], failing))
    migrate("blog", "0002")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO blog_post (title, slug) VALUES ('Dune', 'dune')")
    stdout = io.StringIO()

    with pytest.raises(OperationalError) as error:
        call_command("migrate", stdout=stdout)

    assert stdout.getvalue().endswith("  Applying blog.0003_body..."), stdout.getvalue()
    assert error.value.__notes__[-1] == (
        "Applying blog.0003_body failed in operation 3 of 3: Raw SQL operation; its changes were rolled back: "
        "the schema, the rows and tinyframe_migrations are as before it."
    )
    assert columns("blog_post") == ["id", "title", "slug"]
    assert rows("SELECT id, title, slug FROM blog_post") == [(1, "Dune", "dune")]
    assert ("blog", "0003_body") not in applied() and ("blog", "0002_post_slug") in applied()


def test_migrate_from_the_command_line(blog, capsys):
    from tinyframe.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", "migrate", "blog", "0001"])
    assert capsys.readouterr().out.endswith("  Applying blog.0001_initial... OK\n")

    with pytest.raises(SystemExit) as exit_status:
        execute_from_command_line(["manage.py", "migrate", "blog", "0042"])
    assert exit_status.value.code == 1
    assert capsys.readouterr().err.startswith("CommandError: Cannot find a migration matching '0042' from app 'blog'.")


def test_a_project_without_any_migrations_is_synced_and_told_there_is_nothing_to_apply(project):
    project.app("plain", PLAIN_MODELS)
    project.install("plain")

    assert migrate() == expected("""
        Operations to perform:
          Apply all migrations: (none)
        Running migrations:
          No migrations to apply.
        """)
    assert migrate(run_syncdb=True) == expected("""
        Operations to perform:
          Synchronize unmigrated apps: plain
          Apply all migrations: (none)
        Synchronizing apps without migrations:
          Creating tables...
            Creating table plain_thing
            Running deferred SQL...
        Running migrations:
          No migrations to apply.
        """)
    assert migrate(plan=True) == "Planned operations:\n  No planned migration operations.\n"
    assert migrate(check=True) == ""


def test_prune_forgets_the_applied_migrations_whose_files_are_gone(blog):
    migrate()
    recorder = MigrationRecorder(connection)
    for name in ("0009_gone", "0008_gone"):
        recorder.record_applied("blog", name)
    recorder.record_applied("shop", "0005_gone")

    with pytest.raises(CommandError) as error:
        migrate(prune=True)
    assert str(error.value) == "Migrations can be pruned only when an app is specified."

    assert migrate("blog", prune=True) == expected("""
        Pruning migrations:
          Pruning blog.0008_gone OK
          Pruning blog.0009_gone OK
        """)
    assert ("shop", "0005_gone") in applied() and ("blog", "0009_gone") not in applied()
    assert migrate("blog", "--prune") == "Pruning migrations:\n  No migrations to prune.\n"


def test_prune_leaves_the_records_a_squashed_migration_replaces(project):
    project.app("blog", "", {
        "0001_squashed_0002": project.migration(replaces=[("blog", "0001_initial"), ("blog", "0002_more")]),
    })
    project.install("blog")
    recorder = MigrationRecorder(connection)
    recorder.record_applied("blog", "0001_initial")

    assert migrate("blog", prune=True) == expected("""
        Pruning migrations:
          Cannot use --prune because the following squashed migrations have their 'replaces' attributes and may not be recorded as applied:
            blog.0001_squashed_0002
          Re-run 'manage.py migrate' if they are not marked as applied, and remove 'replaces' attributes in their Migration classes.
        """)  # noqa: E501
    assert ("blog", "0001_initial") in applied()
