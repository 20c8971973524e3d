"""``sqlflush``: print the SQL that would empty every table of the installed apps' models.

How it works: ``connection.introspection.table_names()`` asks SQLite which
tables exist (its catalogue, ``sqlite_master``); ``installed_model_tables``
keeps the tables of the installed apps' models that exist; ``sql_flush``
writes one ``DELETE FROM`` per table and, if SQLite keeps ``AUTOINCREMENT``
counters (``sqlite_sequence``), one ``UPDATE`` that sets them back to 0, so
the next row gets id 1 again. The command prints them between ``BEGIN;`` and
``COMMIT;``, ready for ``dbshell``; ``flush`` runs the same statements.
"""

from tinyframe.core.management.base import BaseCommand
from tinyframe.db import DEFAULT_DB_ALIAS, connections

__all__ = ["Command", "installed_model_tables", "sql_flush"]


def installed_model_tables(connection) -> list[str]:
    """The existing tables of every installed app's models, sorted, so the output is the same each run."""
    from tinyframe.apps import apps

    existing = connection.introspection.table_names()
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.can_migrate(connection)
    }
    return sorted(table for table in tables if table.lower() in existing)


def sql_flush(connection, reset_sequences: bool = True) -> list[str]:
    """The statements that empty the installed apps' tables (and restart their ids if ``reset_sequences``).

    An empty list when there is no such table.
    """
    tables = installed_model_tables(connection)
    quote = connection.ops.quote_name
    statements = [f"DELETE FROM {quote(table)};" for table in tables]
    # sqlite_sequence exists once an AUTOINCREMENT table has been created;
    # naming it before that would fail with "no such table".
    if tables and reset_sequences and "sqlite_sequence" in connection.introspection.table_names():
        names = ", ".join(f"'{table}'" for table in tables)
        statements.append(
            f"UPDATE {quote('sqlite_sequence')} SET {quote('seq')} = 0 WHERE {quote('name')} IN ({names});"
        )
    return statements


class Command(BaseCommand):
    """Print the SQL ``flush`` would run: a way to see what it does before doing it."""

    help = "Print the SQL that empties every table of the installed apps' models: what 'flush' runs."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS,
                            help='The database alias whose SQL to print ("default" unless given).')

    def handle(self, **options):
        """Print the statements between BEGIN and COMMIT, or say on stderr that there is no table."""
        statements = sql_flush(connections[options["database"]])
        if not statements:
            if options["verbosity"] >= 1:
                self.stderr.write("No tables found.")
            return ""
        return "\n".join(["BEGIN;", *statements, "COMMIT;"])
