"""``sqlmigrate app_label migration_name``: the SQL a migration runs, without running it.

How it works: a ``MigrationLoader`` finds the migration by its name or a
prefix of it (``0002``), and ``collect_sql`` runs its operations against a
schema editor that keeps each statement instead of executing it, starting
from the project state just before the migration. Each operation is
introduced by a comment naming it. An atomic migration's SQL is wrapped in
``BEGIN;`` … ``COMMIT;``, as SQLite can roll schema changes back.
``--backwards`` shows the SQL that unapplies it.
"""

from tinyframe.core.management.base import BaseCommand, CommandError
from tinyframe.db import DEFAULT_DB_ALIAS, connections
from tinyframe.db.migrations.exceptions import AmbiguityError
from tinyframe.db.migrations.loader import MigrationLoader

__all__ = ["Command"]


class Command(BaseCommand):
    """Print the SQL statements of one migration."""

    help = "Prints the SQL statements for the named migration."

    def add_arguments(self, parser) -> None:
        parser.add_argument("app_label", help="App label of the application containing the migration.")
        parser.add_argument("migration_name", help="Migration name to print the SQL for.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS,
                            help='Nominates a database to create SQL for. Defaults to the "default" database.')
        parser.add_argument("--backwards", action="store_true",
                            help="Creates SQL to unapply the migration, rather than to apply it")

    def handle(self, *args, **options):
        from tinyframe.apps import apps

        connection = connections[options["database"]]
        # The files as they are: a squashed migration does not stand in for the ones it replaces.
        loader = MigrationLoader(connection, replace_migrations=False)
        app_label, migration_name = options["app_label"], options["migration_name"]
        try:
            apps.get_app_config(app_label)
        except LookupError as error:
            raise CommandError(str(error)) from None
        if app_label not in loader.migrated_apps:
            raise CommandError(f"App '{app_label}' does not have migrations")
        try:
            migration = loader.get_migration_by_prefix(app_label, migration_name)
        except AmbiguityError:
            raise CommandError(
                f"More than one migration matches '{migration_name}' in app '{app_label}'. Please be more specific."
            ) from None
        except KeyError:
            raise CommandError(
                f"Cannot find a migration matching '{migration_name}' from app '{app_label}'. "
                f"Is it in INSTALLED_APPS?"
            ) from None
        plan = [(loader.graph.nodes[app_label, migration.name], options["backwards"])]
        statements = loader.collect_sql(plan)
        if not statements and options["verbosity"] >= 1:
            self.stderr.write("No operations found.")
        output = "\n".join(statements)
        if output and migration.atomic:
            # SQLite undoes schema changes on ROLLBACK, so the whole migration is one transaction.
            output = f"BEGIN;\n{output}\nCOMMIT;"
        return output
