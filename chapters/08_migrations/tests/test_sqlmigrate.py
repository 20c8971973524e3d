"""``sqlmigrate app_label migration_name``: the SQL of one migration, forwards or backwards, run nowhere.

The expected SQL is what Django 5.2's ``sqlmigrate`` prints for the same
migration on SQLite.
"""

import io
import textwrap

import pytest

from tinyframe.core.management import CommandError, call_command
from tinyframe.db import connection

ID = 'models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")'


@pytest.fixture
def blog(project):
    project.app("blog", "", {
        "0001_initial": project.migration(initial=True, operations=f"""
            migrations.CreateModel("Post", [("id", {ID}), ("title", models.CharField(max_length=100))]),
        """),
        "0002_empty": project.migration([("blog", "0001_initial")]),
        "0003_raw": project.migration([("blog", "0002_empty")], atomic=False, operations="""
            migrations.RunSQL("UPDATE blog_post SET title = 'x'"),
        """),
    })
    project.app("plain")
    project.install("blog", "plain")
    return project


def sqlmigrate(*args, **options) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("sqlmigrate", *args, stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue(), stderr.getvalue()


def test_sqlmigrate_prints_the_sql_in_a_transaction_with_each_operation_named(blog):
    stdout, stderr = sqlmigrate("blog", "0001")

    assert stdout == textwrap.dedent("""\
        BEGIN;
        --
        -- Create model Post
        --
        CREATE TABLE "blog_post" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "title" varchar(100) NOT NULL);
        COMMIT;
        """)
    assert stderr == ""
    assert "blog_post" not in connection.introspection.table_names(), "sqlmigrate runs nothing"


def test_backwards_prints_the_sql_that_unapplies_it(blog):
    stdout, _ = sqlmigrate("blog", "0001_initial", backwards=True)

    assert stdout == 'BEGIN;\n--\n-- Create model Post\n--\nDROP TABLE "blog_post";\nCOMMIT;\n'


def test_a_migration_that_is_not_atomic_has_no_transaction(blog):
    stdout, _ = sqlmigrate("blog", "0003")

    assert stdout == "--\n-- Raw SQL operation\n--\nUPDATE blog_post SET title = 'x';\n"


def test_a_migration_without_operations_says_so_on_stderr(blog):
    assert sqlmigrate("blog", "0002") == ("", "No operations found.\n")
    assert sqlmigrate("blog", "0002", verbosity=0) == ("", "")


@pytest.mark.parametrize("args, message", [
    (("blog", "0009"), "Cannot find a migration matching '0009' from app 'blog'. Is it in INSTALLED_APPS?"),
    (("blog", "000"), "More than one migration matches '000' in app 'blog'. Please be more specific."),
    (("plain", "0001"), "App 'plain' does not have migrations"),
    (("nope", "0001"), "No installed app with label 'nope'."),
])
def test_bad_arguments_are_djangos_errors(blog, args, message):
    with pytest.raises(CommandError) as error:
        sqlmigrate(*args)

    assert str(error.value) == message
