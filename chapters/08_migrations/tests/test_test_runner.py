"""Test databases and the test runner: ``manage.py test`` runs a project's tests on a database its migrations built.

The printed lines were checked once against Django 5.2's ``manage.py test``
on a project of the same shape: "Found 2 test(s).", "Creating test
database for alias 'default'...", unittest's summary, "Destroying test
database for alias 'default'...".

Every test here gives the ``default`` alias a connection of its own, to a
file under ``tmp_path`` (``site_database``), so that making and destroying
test databases never touches the in-memory database the rest of the suite
shares.
"""

import io
import sqlite3

import pytest

from tinyframe.core.management import call_command
from tinyframe.db import connections
from tinyframe.db.backends.sqlite3.base import DatabaseWrapper
from tinyframe.test.runner import DiscoverRunner, find_top_level, get_runner, setup_databases, teardown_databases

SHELF_MODELS = """\
from tinyframe.db import models


class Book(models.Model):
    title = models.CharField(max_length=100)
"""

SHELF_MIGRATION = """\
from tinyframe.db import migrations, models


def add_first_book(apps, schema_editor):
    apps.get_model("shelf", "Book").objects.create(title="Made by a migration")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Book',
            fields=[
                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=100)),
            ],
        ),
        migrations.RunPython(add_first_book, migrations.RunPython.noop),
    ]
"""

SHELF_TESTS = """\
import unittest

from tinyframe.test import SimpleTestCase, TestCase

from shelf.models import Book


class PlainTests(unittest.TestCase):
    def test_plain(self):
        self.assertEqual(1 + 1, 2)


class SimpleTests(SimpleTestCase):
    def test_simple(self):
        self.assertTrue(True)


class BookTests(TestCase):
    def test_the_database_is_the_test_database(self):
        from tinyframe.db import connection
        self.assertTrue(str(connection.settings_dict["NAME"]).endswith("test.sqlite3"))
        Book.objects.create(title="Only in the test database")
        self.assertEqual(Book.objects.filter(title="Only in the test database").count(), 1)
"""

FAILING_TESTS = """\
from tinyframe.test import SimpleTestCase


class FailingTests(SimpleTestCase):
    def test_fails(self):
        self.assertEqual(1, 2)
"""


@pytest.fixture
def site_database(tmp_path, use_settings):
    """``default`` as a site's file database (``site.sqlite3``) whose test database is ``test.sqlite3``."""
    settings_dict = {
        "ENGINE": "tinyframe.db.backends.sqlite3", "NAME": str(tmp_path / "site.sqlite3"), "OPTIONS": {},
        "TEST": {"NAME": str(tmp_path / "test.sqlite3")}, "ATOMIC_REQUESTS": False, "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0, "TIME_ZONE": None,
    }  # fmt: skip
    use_settings(DATABASES={"default": dict(settings_dict)})
    original = connections["default"]
    connections["default"] = DatabaseWrapper(settings_dict, "default")
    yield settings_dict
    connections["default"].close()
    connections["default"] = original


def tables(path) -> set[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    connection.close()
    return {name for (name,) in rows if not name.startswith("sqlite_")}


@pytest.fixture
def shelf(project, site_database):
    """An installed app ``shelf`` with a model and a tests module; no migrations."""
    project.app("shelf", models=SHELF_MODELS)
    project.write("shelf/tests.py", SHELF_TESTS)
    project.install("shelf")
    return project


def test_create_test_db_switches_to_a_new_database_and_destroy_switches_back(shelf, site_database, capsys, tmp_path):
    connection = connections["default"]
    name = connection.creation.create_test_db(verbosity=1, autoclobber=True)
    assert name == str(tmp_path / "test.sqlite3")
    assert connection.settings_dict["NAME"] == name
    assert "shelf_book" in connection.introspection.table_names()
    assert capsys.readouterr().err == (
        "Creating test database for alias 'default'...\nDestroying old test database for alias 'default'...\n"
    )
    connection.creation.destroy_test_db(str(tmp_path / "site.sqlite3"), verbosity=1)
    assert capsys.readouterr().err == "Destroying test database for alias 'default'...\n"
    assert connection.settings_dict["NAME"] == str(tmp_path / "site.sqlite3")
    assert not (tmp_path / "test.sqlite3").exists()
    assert not (tmp_path / "site.sqlite3").exists() or "shelf_book" not in tables(tmp_path / "site.sqlite3")


def test_verbosity_2_names_the_test_database_and_an_old_one_is_erased(shelf, site_database, capsys, tmp_path):
    old = tmp_path / "test.sqlite3"
    sqlite3.connect(old).execute("CREATE TABLE leftover (id integer)").connection.close()
    connection = connections["default"]
    connection.creation.create_test_db(verbosity=2, autoclobber=True)
    err = capsys.readouterr().err
    assert err.startswith(
        f"Creating test database for alias 'default' ('{old}')...\n"
        f"Destroying old test database for alias 'default' ('{old}')...\n"
    )
    assert "leftover" not in connection.introspection.table_names()
    connection.creation.destroy_test_db(str(tmp_path / "site.sqlite3"), verbosity=0)


def test_an_old_test_database_is_kept_when_the_user_says_no(shelf, site_database, capsys, tmp_path, monkeypatch):
    (tmp_path / "test.sqlite3").write_bytes(b"")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(SystemExit) as exited:
        connections["default"].creation.create_test_db(verbosity=1)
    assert exited.value.code == 1
    assert capsys.readouterr().err.endswith("Tests cancelled.\n")
    assert (tmp_path / "test.sqlite3").exists()
    connections["default"].settings_dict["NAME"] = str(tmp_path / "site.sqlite3")


def test_keepdb_uses_and_preserves_the_test_database(shelf, site_database, capsys, tmp_path):
    creation = connections["default"].creation
    creation.create_test_db(verbosity=1, keepdb=True)
    creation.destroy_test_db(str(tmp_path / "site.sqlite3"), verbosity=1, keepdb=True)
    assert capsys.readouterr().err == (
        "Using existing test database for alias 'default'...\n"
        "Preserving test database for alias 'default'...\n"
    )
    assert "shelf_book" in tables(tmp_path / "test.sqlite3")


def test_an_in_memory_test_database_vanishes_when_destroyed(project, use_settings):
    settings_dict = {"ENGINE": "tinyframe.db.backends.sqlite3", "NAME": "", "OPTIONS": {}, "TEST": {}}
    project.app("shelf", models=SHELF_MODELS)
    project.install("shelf")
    use_settings(DATABASES={"default": {"ENGINE": "tinyframe.db.backends.sqlite3", "NAME": ":memory:"},
                            "memtest": dict(settings_dict)})
    connection = DatabaseWrapper(settings_dict, "memtest")
    connections["memtest"] = connection
    try:
        assert connection.creation.create_test_db(verbosity=0) == ":memory:"
        assert "shelf_book" in connection.introspection.table_names()
        connection.creation.destroy_test_db("", verbosity=0)
        assert connection.settings_dict["NAME"] == ""
        connection.settings_dict["NAME"] = ":memory:"
        assert "shelf_book" not in connection.introspection.table_names()
    finally:
        connection.close()
        del connections["memtest"]


def test_the_runner_runs_the_tests_on_a_test_database_and_removes_it(shelf, site_database, capsys, tmp_path):
    failures = DiscoverRunner(verbosity=1, interactive=False).run_tests(["shelf"])
    out, err = capsys.readouterr()
    assert failures == 0, err
    assert out == "Found 3 test(s).\n"
    assert err.startswith(
        "Creating test database for alias 'default'...\nDestroying old test database for alias 'default'...\n...\n"
    )
    assert "\nRan 3 tests in " in err and err.endswith("\nOK\nDestroying test database for alias 'default'...\n")
    assert not (tmp_path / "test.sqlite3").exists(), "the test database is removed"
    assert connections["default"].settings_dict["NAME"] == str(tmp_path / "site.sqlite3")


def test_a_set_up_that_fails_leaves_the_test_environment_as_it_was(shelf, site_database, monkeypatch):
    from tinyframe.test.utils import setup_test_environment, teardown_test_environment

    runner = DiscoverRunner(verbosity=0, interactive=False)

    def broken_setup(*args, **kwargs):
        raise RuntimeError("a migration did not apply")

    monkeypatch.setattr(runner, "setup_databases", broken_setup)
    with pytest.raises(RuntimeError, match="a migration did not apply"):
        runner.run_tests(["shelf"])
    setup_test_environment()  # raises "already called" if the failed run left its environment behind
    teardown_test_environment()


def test_database_tests_run_first_then_the_others(shelf, site_database, capsys):
    runner = DiscoverRunner(verbosity=0)
    suite = runner.build_suite(["shelf"])
    assert [type(test).__name__ for test in suite] == ["BookTests", "SimpleTests", "PlainTests"]
    reverse = DiscoverRunner(verbosity=0, reverse=True)
    assert [type(test).__name__ for test in reverse.build_suite(["shelf"])] == ["BookTests", "SimpleTests", "PlainTests"]
    assert runner.get_databases(suite) == {"default"}


def test_labels_name_a_module_a_class_or_a_method(shelf, site_database):
    runner = DiscoverRunner(verbosity=0)
    assert [test.id() for test in runner.build_suite(["shelf.tests.SimpleTests.test_simple"])] == [
        "shelf.tests.SimpleTests.test_simple"
    ]
    assert len(list(runner.build_suite(["shelf.tests"]))) == 3
    assert [test.id() for test in runner.build_suite([str(shelf.root / "shelf")])] == [
        "shelf.tests.BookTests.test_the_database_is_the_test_database",
        "shelf.tests.SimpleTests.test_simple",
        "shelf.tests.PlainTests.test_plain",
    ]


def test_k_selects_tests_by_name(shelf, site_database):
    runner = DiscoverRunner(verbosity=0, test_name_patterns=["simple"])
    assert [test.id() for test in runner.build_suite(["shelf"])] == ["shelf.tests.SimpleTests.test_simple"]


def test_a_file_is_not_a_label(shelf, site_database):
    with pytest.raises(RuntimeError) as caught:
        DiscoverRunner(verbosity=0).build_suite([str(shelf.root / "shelf" / "tests.py")])
    assert str(caught.value) == (
        f"One of the test labels is a path to a file: '{shelf.root / 'shelf' / 'tests.py'}', which is not "
        "supported. Use a dotted module name or path to a directory instead."
    )


def test_tests_without_a_database_need_no_test_database(shelf, site_database, capsys, tmp_path):
    failures = DiscoverRunner(verbosity=1).run_tests(["shelf.tests.SimpleTests"])
    assert failures == 0
    assert "Creating test database" not in capsys.readouterr().err


def test_the_test_command_exits_1_when_a_test_fails(shelf, site_database, capsys):
    shelf.write("shelf/test_failing.py", FAILING_TESTS)
    call_command("test", "shelf.tests", verbosity=0, interactive=False)
    with pytest.raises(SystemExit) as exited:
        call_command("test", "shelf.test_failing", verbosity=0, interactive=False)
    assert exited.value.code == 1
    assert "AssertionError: 1 != 2" in capsys.readouterr().err


def test_the_test_command_on_the_command_line(shelf, site_database, capsys):
    from tinyframe.core.management import ManagementUtility

    ManagementUtility(["manage.py", "test", "shelf", "-k", "plain", "--noinput"]).execute()
    out, err = capsys.readouterr()
    assert out == "Found 1 test(s).\n"
    assert "Ran 1 test in" in err and "Creating test database" not in err


def test_the_test_runner_comes_from_the_settings_or_the_option(use_settings):
    assert get_runner(__import__("tinyframe.conf").conf.settings) is DiscoverRunner
    use_settings(TEST_RUNNER="unittest.TextTestRunner")
    from tinyframe.conf import settings

    import unittest

    assert get_runner(settings) is unittest.TextTestRunner
    assert get_runner(settings, "tinyframe.test.runner.DiscoverRunner") is DiscoverRunner


def test_setup_and_teardown_databases_only_for_the_aliases_asked(shelf, site_database, capsys, tmp_path):
    assert setup_databases(verbosity=1, interactive=False, aliases=set()) == []
    old_config = setup_databases(verbosity=1, interactive=False, aliases={"default"})
    assert [(old_name, destroy) for _, old_name, destroy in old_config] == [(str(tmp_path / "site.sqlite3"), True)]
    teardown_databases(old_config, verbosity=1)
    assert capsys.readouterr().err == (
        "Creating test database for alias 'default'...\nDestroying old test database for alias 'default'...\n"
        "Destroying test database for alias 'default'...\n"
    )


def test_the_top_level_of_a_folder_is_above_its_outermost_package(tmp_path):
    (tmp_path / "site" / "blog" / "sub").mkdir(parents=True)
    (tmp_path / "site" / "blog" / "__init__.py").write_text("")
    (tmp_path / "site" / "blog" / "sub" / "__init__.py").write_text("")
    assert find_top_level(str(tmp_path / "site" / "blog" / "sub")) == str(tmp_path / "site")
    assert find_top_level(str(tmp_path / "site")) == str(tmp_path / "site")


def test_the_test_database_is_built_by_the_apps_migrations(project, site_database, capsys, tmp_path):
    """A row a data migration adds is in the test database: migrate made it, not a table per model."""
    project.app("shelf", models=SHELF_MODELS, migrations={"0001_initial": SHELF_MIGRATION})
    project.write("shelf/tests.py", """\
from tinyframe.test import TestCase

from shelf.models import Book


class MigratedTests(TestCase):
    def test_the_data_migration_ran(self):
        self.assertEqual(list(Book.objects.values_list("title", flat=True)), ["Made by a migration"])
""")
    project.install("shelf")
    failures = DiscoverRunner(verbosity=2, interactive=False).run_tests(["shelf"])
    out, err = capsys.readouterr()
    assert failures == 0, err
    assert "  Applying shelf.0001_initial... OK" in out
    assert "test_the_data_migration_ran (shelf.tests.MigratedTests" in err
