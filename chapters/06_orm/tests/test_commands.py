"""Chapter 06 tests: the database commands (migrate --run-syncdb, sqlflush, flush, dbshell, shell).

The commands work on the installed apps, so most tests install a throwaway
app: a package written into ``tmp_path`` with a ``models.py``, named uniquely
per test (model classes stay registered for the whole run), and put in
``INSTALLED_APPS`` with ``use_settings``, which also loads it into the app
registry for the test.
"""

import builtins
import io
import itertools
import shutil
import sqlite3
import sys
import textwrap

import pytest

from tinyframe.core.management import CommandError, call_command
from tinyframe.db import connection

_numbers = itertools.count()

BLOG_MODELS = """
from tinyframe.db import models


class Post(models.Model):
    title = models.CharField(max_length=100, db_index=True)


class Tag(models.Model):
    name = models.CharField(max_length=20)
"""


@pytest.fixture
def blog(tmp_path, monkeypatch, use_settings):
    """Install a throwaway app with two models (Post, Tag) and return its label; drop its tables after."""
    label = f"syncblog{next(_numbers)}"
    package = tmp_path / label
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text(BLOG_MODELS)
    monkeypatch.syspath_prepend(str(tmp_path))
    use_settings(INSTALLED_APPS=[label])
    yield label
    with connection.cursor() as cursor:
        for table in ("post", "tag"):
            cursor.execute(f'DROP TABLE IF EXISTS "{label}_{table}"')
    for name in [name for name in sys.modules if name == label or name.startswith(f"{label}.")]:
        del sys.modules[name]


def run(*args, **options) -> tuple[str, str]:
    """call_command with its output captured: ``(stdout, stderr)``."""
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(*args, stdout=stdout, stderr=stderr, **options)
    # >>> 08_migrations
    if args[:1] == ("migrate",) and WITH_MIGRATIONS:
        return without_migration_lines(stdout.getvalue()), stderr.getvalue()
    # <<< 08_migrations
    return stdout.getvalue(), stderr.getvalue()


# >>> 08_migrations
# From chapter 08 on, migrate also applies migrations and reports on them.
try:
    import tinyframe.db.migrations  # noqa: F401
    WITH_MIGRATIONS = True
except ModuleNotFoundError:
    WITH_MIGRATIONS = False
MIGRATION_LINES = ("  Apply all migrations:", "Running migrations:", "  No migrations to apply.",
                   "Running pre-migrate handlers", "Running post-migrate handlers")


def without_migration_lines(stdout: str) -> str:
    """migrate's output without chapter 08's report on migrations (there are none here; chapter 08 tests it)."""
    return "".join(line for line in stdout.splitlines(keepends=True) if not line.startswith(MIGRATION_LINES))
# <<< 08_migrations


def existing_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in cursor.fetchall()}


def insert(table: str, **values) -> None:
    with connection.cursor() as cursor:
        columns = ", ".join(f'"{name}"' for name in values)
        placeholders = ", ".join(["%s"] * len(values))
        cursor.execute(f'INSERT INTO "{table}" ({columns}) VALUES ({placeholders})', list(values.values()))


def rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')
        return cursor.fetchall()


# -- migrate --run-syncdb ----------------------------------------------------------


def test_migrate_run_syncdb_creates_the_missing_tables_and_says_so(blog):
    stdout, _ = run("migrate", run_syncdb=True)

    assert stdout == textwrap.dedent(f"""\
        Operations to perform:
          Synchronize unmigrated apps: {blog}
        Synchronizing apps without migrations:
          Creating tables...
            Creating table {blog}_post
            Creating table {blog}_tag
            Running deferred SQL...
        """)
    assert {f"{blog}_post", f"{blog}_tag"} <= existing_tables()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s", [f"{blog}_post"])
        indexes = [name for (name,) in cursor.fetchall()]
    assert [name for name in indexes if name.startswith(f"{blog}_post_title_")], (
        f"the deferred SQL should have created the db_index index on title; indexes: {indexes}"
    )


def test_migrate_run_syncdb_twice_creates_nothing_the_second_time(blog):
    run("migrate", run_syncdb=True)
    insert(f"{blog}_post", title="kept")

    stdout, _ = run("migrate", "--run-syncdb")

    assert "Creating table " not in stdout, stdout
    assert stdout.endswith("  Creating tables...\n    Running deferred SQL...\n"), stdout
    assert rows(f"{blog}_post") == [(1, "kept")], "existing tables and their rows should be left alone"


def test_migrate_run_syncdb_creates_only_the_tables_that_are_missing(blog):
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE TABLE "{blog.upper()}_TAG" ("id" integer)')  # SQLite names ignore case

    stdout, _ = run("migrate", run_syncdb=True)

    assert f"Creating table {blog}_post" in stdout and "_tag" not in stdout.lower(), stdout


@pytest.mark.parametrize("verbosity, expected_lines", [
    (0, []),
    (3, ["Processing {blog}.Post model", "Creating table {blog}_post", "Processing {blog}.Tag model",
         "Creating table {blog}_tag", "Running deferred SQL..."]),
])
def test_migrate_verbosity_decides_what_is_printed(blog, verbosity, expected_lines):
    stdout, _ = run("migrate", run_syncdb=True, verbosity=verbosity)

    printed = [line.strip() for line in stdout.splitlines()][4:]
    assert printed == [line.format(blog=blog) for line in expected_lines], stdout


def test_migrate_one_app_by_label(blog):
    stdout, _ = run("migrate", blog, run_syncdb=True)

    assert stdout.splitlines()[1] == f"  Synchronize unmigrated app: {blog}"
    assert f"{blog}_post" in existing_tables()


def test_migrate_unknown_app_label_is_a_command_error(blog):
    with pytest.raises(CommandError) as error:
        run("migrate", "nope", run_syncdb=True)
    assert str(error.value) == "No installed app with label 'nope'."


def test_migrate_without_run_syncdb_explains_that_migrations_come_later(blog):
    # >>> 08_migrations
    if WITH_MIGRATIONS:  # migrate applies migrations: there are none, and the tables wait for --run-syncdb
        stdout = io.StringIO()
        call_command("migrate", stdout=stdout)
        assert stdout.getvalue().splitlines() == [
            "Operations to perform:", "  Apply all migrations: (none)", "Running migrations:", "  No migrations to apply.",
        ]
        assert f"{blog}_post" not in existing_tables()
        return
    # <<< 08_migrations
    with pytest.raises(CommandError) as error:
        run("migrate")

    assert str(error.value) == (
        "tinyframe has no migration files yet: they arrive in chapter 08. Until then, 'migrate "
        "--run-syncdb' creates the tables of the installed apps' models (call_command('migrate', "
        "run_syncdb=True) from code)."
    )
    assert f"{blog}_post" not in existing_tables()


def test_override_of_installed_apps_is_undone_after_the_block(blog, use_settings):
    from tinyframe.apps import apps
    from tinyframe.test.utils import override_settings

    assert [config.label for config in apps.get_app_configs()] == [blog]
    with override_settings(INSTALLED_APPS=[]):
        assert list(apps.get_app_configs()) == []
    assert [config.label for config in apps.get_app_configs()] == [blog]


# -- sqlflush and flush ------------------------------------------------------------------


def test_sqlflush_prints_one_delete_per_table_and_the_sequence_reset(blog):
    run("migrate", run_syncdb=True)

    stdout, stderr = run("sqlflush")

    assert stdout == (
        "BEGIN;\n"
        f'DELETE FROM "{blog}_post";\n'
        f'DELETE FROM "{blog}_tag";\n'
        f"UPDATE \"sqlite_sequence\" SET \"seq\" = 0 WHERE \"name\" IN ('{blog}_post', '{blog}_tag');\n"
        "COMMIT;\n"
    )
    assert stderr == ""


def test_sqlflush_without_tables_says_so_on_stderr(blog):
    assert run("sqlflush") == ("", "No tables found.\n")


def test_flush_without_input_empties_the_tables_and_restarts_the_ids(blog):
    run("migrate", run_syncdb=True)
    insert(f"{blog}_post", title="a")
    insert(f"{blog}_post", title="b")
    insert(f"{blog}_tag", name="t")

    run("flush", interactive=False)

    assert rows(f"{blog}_post") == [] and rows(f"{blog}_tag") == []
    insert(f"{blog}_post", title="after")
    assert rows(f"{blog}_post") == [(1, "after")], "the AUTOINCREMENT counter should start again at 1"


@pytest.mark.parametrize("answer, remaining", [("yes", []), ("no", [(1, "a")]), ("YES", [(1, "a")])])
def test_flush_asks_first_and_only_yes_goes_ahead(blog, monkeypatch, answer, remaining):
    run("migrate", run_syncdb=True)
    insert(f"{blog}_post", title="a")
    prompts = []
    monkeypatch.setattr(builtins, "input", lambda prompt: prompts.append(prompt) or answer)

    stdout, _ = run("flush")

    assert len(prompts) == 1 and prompts[0].endswith(
        "Are you sure you want to do this?\n\n    Type 'yes' to continue, or 'no' to cancel: "
    ), prompts
    assert rows(f"{blog}_post") == remaining
    assert stdout == ("" if answer == "yes" else "Flush cancelled.\n")


def test_flush_no_input_flag_from_the_command_line_spelling(blog, monkeypatch):
    run("migrate", run_syncdb=True)
    insert(f"{blog}_post", title="a")
    monkeypatch.setattr(builtins, "input", lambda prompt: pytest.fail("flush --no-input should not ask"))

    run("flush", "--no-input")

    assert rows(f"{blog}_post") == []


# -- dbshell -------------------------------------------------------------------------


def test_dbshell_without_the_sqlite3_program_is_a_command_error(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)

    with pytest.raises(CommandError) as error:
        run("dbshell")

    assert str(error.value) == "You appear not to have the 'sqlite3' program installed or on your path."


def test_dbshell_refuses_the_in_memory_database(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/sqlite3")

    with pytest.raises(CommandError) as error:
        run("dbshell")

    assert str(error.value) == (
        "The 'default' database is in memory, inside this process: the 'sqlite3' program cannot open "
        "it. Give DATABASES['default']['NAME'] a file name to use dbshell."
    )


@pytest.fixture
def file_database(tmp_path, monkeypatch):
    """Make the default connection's settings name a database file with one table, for dbshell to open."""
    path = tmp_path / "db.sqlite3"
    with sqlite3.connect(path) as database:
        database.execute("CREATE TABLE answer (n integer)")
        database.execute("INSERT INTO answer VALUES (42)")
    database.close()
    monkeypatch.setitem(connection.settings_dict, "NAME", str(path))
    return path


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 program is not installed")
def test_dbshell_runs_sqlite3_on_the_database_file_with_the_given_parameters(file_database, capfd):
    run("dbshell", "--", "SELECT n FROM answer")

    assert capfd.readouterr().out == "42\n"


def test_dbshell_reports_the_program_failing(file_database, monkeypatch):
    false = shutil.which("false")
    if false is None:
        pytest.skip("no 'false' program to stand in for a failing sqlite3")
    monkeypatch.setattr(shutil, "which", lambda name: false)

    with pytest.raises(CommandError) as error:
        run("dbshell")

    assert str(error.value) == f'"{false} {file_database}" returned non-zero exit status 1.'
    assert error.value.returncode == 1


# -- shell ------------------------------------------------------------------------------


def test_shell_command_runs_with_the_models_imported(blog, capsys):
    stdout, _ = run("shell", command="print(Post.__name__, Tag._meta.label, __name__)")

    assert capsys.readouterr().out == f"Post {blog}.Tag __main__\n"
    assert stdout == "2 objects imported automatically (use -v 2 for details).\n\n"


def test_shell_verbosity_2_lists_the_imports_and_0_says_nothing(blog, capsys):
    stdout, _ = run("shell", "-c", "pass", verbosity=2)
    assert stdout == f"2 objects imported automatically:\n\n  from {blog}.models import Post, Tag\n\n"

    assert run("shell", "-c", "pass", verbosity=0) == ("", "")


def test_shell_no_imports(blog):
    with pytest.raises(NameError):
        run("shell", command="Post", no_imports=True)


def test_shell_runs_standard_input_when_it_is_not_a_terminal(blog, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("print(Post.objects.model is Post)\n"))

    run("shell", verbosity=0)

    assert capsys.readouterr().out == "True\n"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_shell_on_a_terminal_opens_the_interactive_console(blog, monkeypatch):
    import code

    consoles = []
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(code, "interact", lambda local: consoles.append(local))
    monkeypatch.delenv("PYTHONSTARTUP", raising=False)

    run("shell", verbosity=0)

    assert len(consoles) == 1 and consoles[0]["Post"].__module__ == f"{blog}.models", consoles


def test_shell_is_listed_with_the_other_new_commands():
    from tinyframe.core.management import get_commands

    assert {"dbshell", "flush", "migrate", "shell", "sqlflush"} <= set(get_commands())


def test_migrate_from_the_command_line(blog, capsys):
    from tinyframe.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", "migrate", "--run-syncdb", "-v", "1"])
    assert f"    Creating table {blog}_post\n" in capsys.readouterr().out

    # >>> 08_migrations
    if WITH_MIGRATIONS:  # nothing to apply is not an error
        execute_from_command_line(["manage.py", "migrate"])
        assert capsys.readouterr().out.endswith("  No migrations to apply.\n")
        return
    # <<< 08_migrations
    with pytest.raises(SystemExit) as exit_status:
        execute_from_command_line(["manage.py", "migrate"])
    assert exit_status.value.code == 1
    assert capsys.readouterr().err.startswith("CommandError: tinyframe has no migration files yet")
