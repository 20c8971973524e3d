"""``migrate --run-syncdb``: create the tables the installed apps' models need and don't have yet.

How it works: tinyframe has no migration files until chapter 08, so the
only thing ``migrate`` can do is Django's "syncdb" for apps without
migrations: ``sync_apps`` lists the installed apps' models (all of them, or
one app's), keeps those whose table is missing (``missing_tables``), and
creates them with one schema editor, so either every table is created or,
if one fails, none is. The indexes each table needs (``db_index``,
``Meta.indexes``...) are the editor's deferred SQL, run as it closes.
Running it again creates nothing: existing tables are left alone, even if
their model has changed since (changing a table is what migrations are for).
"""

from tinyframe.core.management.base import BaseCommand, CommandError
from tinyframe.db import DEFAULT_DB_ALIAS, connections

__all__ = ["Command", "missing_tables"]


def missing_tables(connection, app_configs) -> dict[str, list]:
    """``{app_label: [model, ...]}``: the apps' models whose table the database does not have yet.

    Models that do not own a table are skipped (``Options.can_migrate``).
    """
    existing = connection.introspection.table_names()
    missing = {}
    for app_config in app_configs:
        models = [
            model for model in app_config.get_models()
            if model._meta.can_migrate(connection) and model._meta.db_table.lower() not in existing
        ]
        if models:
            missing[app_config.label] = models
    return missing


class Command(BaseCommand):
    """Create the database tables of the installed apps' models; with ``--run-syncdb`` until chapter 08."""

    help = "Create the tables of the installed apps' models that have none yet (--run-syncdb)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("app_label", nargs="?",
                            help="The label of one app to create the tables of (every installed app if omitted).")
        parser.add_argument("--run-syncdb", action="store_true",
                            help="Create the tables of apps without migrations (in tinyframe, every app).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS,
                            help='The database alias to create the tables in ("default" unless given).')
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="Accepted for Django's sake; migrate asks nothing.")

    def handle(self, *args, **options):
        """Refuse without ``--run-syncdb``; otherwise say what will be synchronized and create the tables."""
        from tinyframe.apps import apps

        self.verbosity = options["verbosity"]
        if not options["run_syncdb"]:
            raise CommandError(
                "tinyframe has no migration files yet: they arrive in chapter 08. Until then, "
                "'migrate --run-syncdb' creates the tables of the installed apps' models "
                "(call_command('migrate', run_syncdb=True) from code)."
            )
        if options["app_label"]:
            try:
                app_configs = [apps.get_app_config(options["app_label"])]
            except LookupError as error:
                raise CommandError(str(error)) from None
        else:
            app_configs = list(apps.get_app_configs())
        if self.verbosity >= 1:
            self.stdout.write("Operations to perform:")
            if options["app_label"]:
                self.stdout.write(f"  Synchronize unmigrated app: {options['app_label']}")
            else:
                labels = ", ".join(sorted(app_config.label for app_config in app_configs))
                self.stdout.write(f"  Synchronize unmigrated apps: {labels}")
            self.stdout.write("Synchronizing apps without migrations:")
        self.sync_apps(connections[options["database"]], app_configs)

    def sync_apps(self, connection, app_configs) -> None:
        """Create the missing tables of ``app_configs``' models, all in one schema editor (one transaction)."""
        missing = missing_tables(connection, app_configs)
        with connection.schema_editor() as editor:
            if self.verbosity >= 1:
                self.stdout.write("  Creating tables...")
            for app_label, models in missing.items():
                for model in models:
                    if self.verbosity >= 3:
                        self.stdout.write(f"    Processing {app_label}.{model._meta.object_name} model")
                    if self.verbosity >= 1:
                        self.stdout.write(f"    Creating table {model._meta.db_table}")
                    editor.create_model(model)
            # The editor runs its deferred SQL (the indexes) as the block ends.
            if self.verbosity >= 1:
                self.stdout.write("    Running deferred SQL...")
# >>> 08_migrations


# Chapter 08's migrate applies migration files, and keeps --run-syncdb for apps without them.
from tinyframe.core.management.commands._migrate_with_migrations import MigrateWithMigrations  # noqa: E402


class Command(MigrateWithMigrations, Command):  # noqa: F811
    """Apply and unapply migration files (chapter 08); sync apps without migrations (--run-syncdb)."""
# <<< 08_migrations
