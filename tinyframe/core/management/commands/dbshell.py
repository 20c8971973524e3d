"""``dbshell``: open SQLite's own command line on the project's database.

How it works: the ``sqlite3`` program (not Python's module: the shell that
ships with SQLite) is looked up on the PATH with ``shutil.which`` and run
on the database file, with any arguments given after ``--``
(``tinyframe dbshell -- -readonly``). The command waits for it to exit. An
in-memory database cannot be opened this way: it lives inside this
process, and the program would get an empty database of its own.
"""

import shutil
import subprocess

from tinyframe.core.management.base import BaseCommand, CommandError
from tinyframe.db import DEFAULT_DB_ALIAS, connections

__all__ = ["Command"]

EXECUTABLE_NAME = "sqlite3"


class Command(BaseCommand):
    """Run the database's own command-line client, to look at the tables with plain SQL."""

    help = "Open the sqlite3 command-line program on the database (arguments after -- go to it)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS,
                            help='The database alias to open ("default" unless given).')
        parser.add_argument("parameters", nargs="*", help="Arguments for sqlite3 itself, after --.")

    def handle(self, **options):
        """Find the program, refuse an in-memory database, then run it until the user quits it."""
        connection = connections[options["database"]]
        executable = shutil.which(EXECUTABLE_NAME)
        if executable is None:
            raise CommandError(f"You appear not to have the {EXECUTABLE_NAME!r} program installed or on your path.")
        if connection.is_in_memory_db():
            raise CommandError(
                f"The {connection.alias!r} database is in memory, inside this process: the "
                f"{EXECUTABLE_NAME!r} program cannot open it. Give DATABASES[{connection.alias!r}]['NAME'] "
                f"a file name to use dbshell."
            )
        args = [executable, str(connection.settings_dict["NAME"]), *options["parameters"]]
        try:
            subprocess.run(args, check=True)
        except subprocess.CalledProcessError as error:
            command = " ".join(map(str, error.cmd))
            raise CommandError(f'"{command}" returned non-zero exit status {error.returncode}.',
                               returncode=error.returncode) from None
