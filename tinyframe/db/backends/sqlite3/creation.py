"""Test databases: a fresh SQLite database for a test run, built by the project's own migrations.

How it works: the test runner calls ``connection.creation.create_test_db()``
for each database the tests use. It picks the test database's name
(``settings.DATABASES[alias]["TEST"]["NAME"]``, else the process's
in-memory database), erases an old test file of that name, points the
connection and ``settings.DATABASES`` at it, and runs ``migrate`` there:
every app's migrations in order, and ``--run-syncdb`` for apps without any.
So the tests run on the schema the migrations make, the one a production
database gets, not on one made straight from the models; a migration that
forgets a column fails the tests. ``destroy_test_db(old_name)`` removes the
test database and points everything back at ``old_name``.

Messages go to standard error as Django's do: "Creating test database for
alias 'default'..." and "Destroying test database for alias 'default'...",
with the database's name too from verbosity 2.
"""

import os
import sys

from tinyframe.conf import settings

__all__ = ["DatabaseCreation"]


class DatabaseCreation:
    """``connection.creation``: makes and removes the test database of one connection."""

    def __init__(self, connection):
        self.connection = connection

    def log(self, message: str) -> None:
        sys.stderr.write(message + os.linesep)

    def create_test_db(self, verbosity: int = 1, autoclobber: bool = False, serialize: bool = False,
                       keepdb: bool = False) -> str:
        """Make the test database, switch the connection to it, migrate it; return its name.

        ``autoclobber`` erases an old test database file without asking;
        ``keepdb`` keeps one (and its data) from an earlier run, so that only
        the migrations it lacks are applied. ``serialize`` is accepted for
        Django's sake: tinyframe's ``TransactionTestCase`` does not reload a
        copy of the database between tests.
        """
        from tinyframe.core.management import call_command

        test_database_name = self._get_test_db_name()
        if verbosity >= 1:
            action = "Using existing" if keepdb else "Creating"
            self.log(f"{action} test database for alias {self._get_database_display_str(verbosity, test_database_name)}...")
        self._create_test_db(verbosity, autoclobber, keepdb)
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = test_database_name
        self.connection.settings_dict["NAME"] = test_database_name
        # One level quieter than the test run: "Applying blog.0001_initial... OK"
        # only when the tests themselves are verbose.
        call_command("migrate", verbosity=max(verbosity - 1, 0), interactive=False,
                     database=self.connection.alias, run_syncdb=True)
        self.connection.ensure_connection()
        return test_database_name

    def _get_test_db_name(self) -> str:
        """``TEST["NAME"]`` if the settings give one, else ``":memory:"``: the process's in-memory database."""
        return (self.connection.settings_dict.get("TEST") or {}).get("NAME") or ":memory:"

    def _get_database_display_str(self, verbosity: int, database_name: str) -> str:
        """``'default'``, and from verbosity 2 the name too: ``'default' ('/tmp/test.sqlite3')``."""
        name = f" ('{database_name}')" if verbosity >= 2 else ""
        return f"'{self.connection.alias}'{name}"

    @staticmethod
    def is_in_memory_db(database_name) -> bool:
        return database_name in ("", ":memory:", None) or "mode=memory" in str(database_name)

    def _create_test_db(self, verbosity: int, autoclobber: bool, keepdb: bool = False) -> str:
        """Erase an old test database file (asking first unless ``autoclobber``); nothing to do in memory."""
        test_database_name = self._get_test_db_name()
        if keepdb or self.is_in_memory_db(test_database_name):
            if not keepdb:
                self._forget_memory_database(test_database_name)
            return test_database_name
        if verbosity >= 1:
            self.log(
                f"Destroying old test database for alias {self._get_database_display_str(verbosity, test_database_name)}..."
            )
        if os.access(test_database_name, os.F_OK):
            confirm = "yes" if autoclobber else input(
                f"Type 'yes' if you would like to try deleting the test database '{test_database_name}', "
                "or 'no' to cancel: "
            )
            if confirm != "yes":
                self.log("Tests cancelled.")
                sys.exit(1)
            try:
                os.remove(test_database_name)
            except OSError as error:
                self.log(f"Got an error deleting the old test database: {error}")
                sys.exit(2)
        return test_database_name

    def destroy_test_db(self, old_database_name: str | None = None, verbosity: int = 1, keepdb: bool = False,
                        suffix=None) -> None:
        """Remove the test database (unless ``keepdb``) and point the connection back at ``old_database_name``."""
        self.connection.close()
        test_database_name = self.connection.settings_dict["NAME"]
        if verbosity >= 1:
            action = "Preserving" if keepdb else "Destroying"
            self.log(f"{action} test database for alias {self._get_database_display_str(verbosity, test_database_name)}...")
        if not keepdb:
            self._destroy_test_db(test_database_name, verbosity)
        if old_database_name is not None:
            settings.DATABASES[self.connection.alias]["NAME"] = old_database_name
            self.connection.settings_dict["NAME"] = old_database_name

    def _destroy_test_db(self, test_database_name: str, verbosity: int) -> None:
        if self.is_in_memory_db(test_database_name):
            self._forget_memory_database(test_database_name)
        elif os.access(test_database_name, os.F_OK):
            os.remove(test_database_name)

    def _forget_memory_database(self, test_database_name) -> None:
        """Close the keep-alive connection of this alias's in-memory database, so that it vanishes.

        SQLite drops an in-memory database with its last connection; the
        backend keeps one open for the whole process (see ``base.py``), so the
        test database would otherwise outlive the run, rows and all.
        """
        from tinyframe.db.backends.sqlite3 import base

        uri = base.memory_database_uri(self.connection.alias)
        with base._memory_keepers_lock:
            keeper = base._memory_keepers.pop(uri, None)
        if keeper is not None:
            keeper.close()
