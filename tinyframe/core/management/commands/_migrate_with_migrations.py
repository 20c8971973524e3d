"""Chapter 08's ``migrate``: apply and unapply migration files, and still sync apps without migrations.

How it works: ``handle`` builds a ``MigrationExecutor``, which loads every
app's migrations into a graph and reads what the database has applied. It
refuses an inconsistent history and apps with two newest migrations (a merge
is needed), turns the arguments into targets (every app's newest migration;
one app's; ``app_label migration_name`` for a point in an app's history, or
``zero`` for none of it), forgets the records of deleted files if asked
(``--prune``), and asks the executor for the plan. ``--plan`` prints it,
``--check`` exits 1 if it is not empty, and otherwise the apps without
migrations are synced (``--run-syncdb``, chapter 06's ``sync_apps``) and the
plan runs, each migration printed as it goes ("Applying
blog.0001_initial... OK") by ``migration_progress_callback``, between the
``pre_migrate`` and ``post_migrate`` signals.

The class here is a mixin: the block at the end of chapter 06's
``migrate.py`` defines ``class Command(MigrateWithMigrations, Command)``, so
``call_command("migrate")`` finds chapter 08's command, whose ``super()`` is
chapter 06's (its ``sync_apps``, and its ``handle`` for a project without a
single migration). A mixin rather than a subclass of chapter 06's class
here: importing that class from this module would import each module from
the other.
"""

import sys
import time

from tinyframe.core.management.base import CommandError
from tinyframe.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from tinyframe.db import DEFAULT_DB_ALIAS, connections
from tinyframe.db.migrations.exceptions import AmbiguityError
from tinyframe.db.migrations.executor import MigrationExecutor
from tinyframe.utils.text import Truncator

__all__ = ["MigrateWithMigrations"]


class MigrateWithMigrations:
    """Bring the database schema to the migrations' state: ``migrate [app_label] [migration_name]``.

    Mixed into chapter 06's ``migrate`` command (see the module docstring).
    """

    help = "Updates database schema. Manages both apps with migrations and those without."

    def add_arguments(self, parser) -> None:
        parser.add_argument("app_label", nargs="?", help="App label of an application to synchronize the state.")
        parser.add_argument("migration_name", nargs="?",
                            help='Database state will be brought to the state after that migration. Use the name '
                                 '"zero" to unapply all migrations.')
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="Tells tinyframe to NOT prompt the user for input of any kind.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS,
                            help='Nominates a database to synchronize. Defaults to the "default" database.')
        parser.add_argument("--fake", action="store_true",
                            help="Mark migrations as run without actually running them.")
        parser.add_argument("--fake-initial", action="store_true",
                            help="Detect if tables already exist and fake-apply initial migrations if so. Make sure "
                                 "that the current database schema matches your initial migration before using "
                                 "this flag. tinyframe will only check for an existing table name.")
        parser.add_argument("--plan", action="store_true",
                            help="Shows a list of the migration actions that will be performed.")
        parser.add_argument("--run-syncdb", action="store_true", help="Creates tables for apps without migrations.")
        parser.add_argument("--check", action="store_true", dest="check_unapplied",
                            help="Exits with a non-zero status if unapplied migrations exist and does not actually "
                                 "apply migrations.")
        parser.add_argument("--prune", action="store_true",
                            help="Delete nonexistent migrations from the tinyframe_migrations table.")

    def handle(self, *args, **options):
        from tinyframe.apps import apps

        self.verbosity = options["verbosity"]
        self.interactive = options["interactive"]
        connection = connections[options["database"]]
        executor = MigrationExecutor(connection, self.migration_progress_callback)
        loader = executor.loader
        loader.check_consistent_history(connection)
        conflicts = loader.detect_conflicts()
        if conflicts:
            names = "; ".join(f"{', '.join(migrations)} in {app}" for app, migrations in conflicts.items())
            raise CommandError(
                f"Conflicting migrations detected; multiple leaf nodes in the migration graph: ({names}).\n"
                f"To fix them run 'python manage.py makemigrations --merge'"
            )

        app_label, migration_name = options["app_label"], options["migration_name"]
        if app_label:
            try:
                apps.get_app_config(app_label)
            except LookupError as error:
                raise CommandError(str(error)) from None
            if options["run_syncdb"]:
                if app_label in loader.migrated_apps:
                    raise CommandError(f"Can't use run_syncdb with app '{app_label}' as it has migrations.")
            elif app_label not in loader.migrated_apps:
                raise CommandError(f"App '{app_label}' does not have migrations.")
        targets = self.targets(loader, app_label, migration_name)
        if options["prune"]:
            if not app_label:
                raise CommandError("Migrations can be pruned only when an app is specified.")
            self.prune(executor, app_label)
        plan = executor.migration_plan(targets)

        if options["plan"]:
            self.print_plan(plan)
            if options["check_unapplied"] and plan:
                sys.exit(1)
            return
        if options["check_unapplied"]:
            if plan:
                sys.exit(1)
            return
        if options["prune"]:
            return

        run_syncdb = options["run_syncdb"] and loader.unmigrated_apps
        if self.verbosity >= 1:
            self.print_operations(loader, app_label, migration_name, targets, run_syncdb)
        pre_migrate_state = executor._create_project_state(with_applied_migrations=True)
        # Rendered once here: the signal's receivers get the models, and the executor need not render them.
        emit_pre_migrate_signal(self.verbosity, self.interactive, connection.alias, stdout=self.stdout,
                                apps=pre_migrate_state.apps, plan=plan)
        if run_syncdb:
            if self.verbosity >= 1:
                self.stdout.write("Synchronizing apps without migrations:")
            labels = [app_label] if app_label else sorted(loader.unmigrated_apps)
            self.sync_apps(connection, [apps.get_app_config(label) for label in labels])
        if self.verbosity >= 1:
            self.stdout.write("Running migrations:")
        if not plan:
            if self.verbosity >= 1:
                self.stdout.write("  No migrations to apply.")
                if loader.migrated_apps:  # the autodetector leaves apps without migrations alone anyway
                    self.warn_about_changes(loader)
            post_migrate_state = executor.migrate(targets, plan=plan, state=pre_migrate_state.clone())
        else:
            post_migrate_state = executor.migrate(targets, plan=plan, state=pre_migrate_state.clone(),
                                                  fake=options["fake"], fake_initial=options["fake_initial"])
        emit_post_migrate_signal(self.verbosity, self.interactive, connection.alias, stdout=self.stdout,
                                 apps=post_migrate_state.apps, plan=plan)

    def targets(self, loader, app_label: str | None, migration_name: str | None) -> list[tuple]:
        """The ``(app_label, migration_name)`` keys to migrate to; ``(app_label, None)`` for ``zero``."""
        if app_label and migration_name:
            if migration_name == "zero":
                return [(app_label, None)]
            try:
                migration = loader.get_migration_by_prefix(app_label, migration_name)
            except AmbiguityError:
                raise CommandError(
                    f"More than one migration matches '{migration_name}' in app '{app_label}'. "
                    f"Please be more specific."
                ) from None
            except KeyError:
                known = sorted(name for label, name in loader.disk_migrations if label == app_label)
                raise CommandError(
                    f"Cannot find a migration matching '{migration_name}' from app '{app_label}'. "
                    f"Its migrations: {', '.join(known) or '(none)'}; or 'zero' to unapply them all."
                ) from None
            target = (app_label, migration.name)
            if target not in loader.graph.nodes and target in loader.replacements:
                # A squashed migration that is half applied is not in the graph: aim at its last part.
                target = tuple(loader.replacements[target].replaces[-1])
            return [target]
        if app_label:
            return loader.graph.leaf_nodes(app_label)
        return loader.graph.leaf_nodes()

    def prune(self, executor, app_label: str) -> None:
        """``--prune``: forget the applied migrations of ``app_label`` whose files are gone.

        Not when a squashed migration still names one of them in its
        ``replaces``: its record depends on theirs.
        """
        loader = executor.loader
        if self.verbosity > 0:
            self.stdout.write("Pruning migrations:")
        to_prune = sorted(key for key in set(loader.applied_migrations) - set(loader.disk_migrations)
                          if key[0] == app_label)
        squashed = [key for key, migration in loader.replacements.items()
                    if any(tuple(replaced) in to_prune for replaced in migration.replaces)]
        if squashed:
            self.stdout.write("  Cannot use --prune because the following squashed migrations have their "
                              "'replaces' attributes and may not be recorded as applied:")
            for app, name in squashed:
                self.stdout.write(f"    {app}.{name}")
            self.stdout.write("  Re-run 'manage.py migrate' if they are not marked as applied, and remove "
                              "'replaces' attributes in their Migration classes.")
            return
        for app, name in to_prune:
            if self.verbosity > 0:
                self.stdout.write(f"  Pruning {app}.{name}", ending="")
            executor.recorder.record_unapplied(app, name)
            if self.verbosity > 0:
                self.stdout.write(" OK")
        if not to_prune and self.verbosity > 0:
            self.stdout.write("  No migrations to prune.")

    def print_operations(self, loader, app_label, migration_name, targets, run_syncdb) -> None:
        """The "Operations to perform:" header."""
        self.stdout.write("Operations to perform:")
        if run_syncdb:
            if app_label:
                self.stdout.write(f"  Synchronize unmigrated app: {app_label}")
            else:
                self.stdout.write(f"  Synchronize unmigrated apps: {', '.join(sorted(loader.unmigrated_apps))}")
        if not (app_label and migration_name):
            self.stdout.write(f"  Apply all migrations: {', '.join(sorted({a for a, _ in targets})) or '(none)'}")
        elif targets[0][1] is None:
            self.stdout.write(f"  Unapply all migrations: {targets[0][0]}")
        else:
            self.stdout.write(f"  Target specific migration: {targets[0][1]}, from {targets[0][0]}")

    def print_plan(self, plan) -> None:
        """``--plan``: each migration of the plan and its operations, described."""
        self.stdout.write("Planned operations:")
        if not plan:
            self.stdout.write("  No planned migration operations.")
        for migration, backwards in plan:
            self.stdout.write(str(migration))
            for operation in migration.operations:
                message, _is_error = self.describe_operation(operation, backwards)
                self.stdout.write("    " + message)

    def warn_about_changes(self, loader) -> None:
        """Say so when the models have changes that no migration holds yet (makemigrations would write one)."""
        from tinyframe.apps import apps
        from tinyframe.db.migrations.autodetector import MigrationAutodetector
        from tinyframe.db.migrations.state import ProjectState

        changes = MigrationAutodetector(loader.project_state(), ProjectState.from_apps(apps)).changes(
            graph=loader.graph
        )
        if changes:
            labels = ", ".join(repr(label) for label in sorted(changes))
            self.stdout.write(f"  Your models in app(s): {labels} have changes that are not yet reflected in a "
                              f"migration, and so won't be applied.")
            self.stdout.write("  Run 'manage.py makemigrations' to make new migrations, and then re-run "
                              "'manage.py migrate' to apply them.")

    def migration_progress_callback(self, action: str, migration=None, fake: bool = False) -> None:
        """Print the executor's progress: "  Applying blog.0001_initial... OK", with times at -v 2."""
        if self.verbosity < 1:
            return
        timed = self.verbosity > 1
        starts = {"apply_start": "Applying", "unapply_start": "Unapplying", "render_start": None}
        if action in starts:
            if timed:
                self.start = time.monotonic()
            text = f"  {starts[action]} {migration}..." if starts[action] else "  Rendering model states..."
            self.stdout.write(text, ending="")
        else:
            elapsed = f" ({time.monotonic() - self.start:.3f}s)" if timed else ""
            outcome = "DONE" if action == "render_success" else "FAKED" if fake else "OK"
            self.stdout.write(f" {outcome}{elapsed}")

    @staticmethod
    def describe_operation(operation, backwards: bool) -> tuple[str, bool]:
        """``(line, is_error)`` for ``--plan``: the operation's description, and its code or SQL if it has some.

        Unapplying, a plain operation reads "Undo Add field slug to post"; a
        RunPython without reverse code is "IRREVERSIBLE".
        """
        prefix = ""
        is_error = False
        if hasattr(operation, "code"):
            code = operation.reverse_code if backwards else operation.code
            action = (code.__doc__ or "") if code else None
        elif hasattr(operation, "sql"):
            action = operation.reverse_sql if backwards else operation.sql
        else:
            action = ""
            if backwards:
                prefix = "Undo "
        if action is not None:
            action = str(action).replace("\n", "")
        elif backwards:
            action = "IRREVERSIBLE"
            is_error = True
        if action:
            action = " -> " + action
        return prefix + operation.describe() + Truncator(action).chars(40), is_error
