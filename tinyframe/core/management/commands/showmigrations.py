"""``showmigrations``: every app's migrations, and which ones the database has applied.

How it works: a ``MigrationLoader`` reads the files and the applied ones.
The list format (the default) prints each app with migrations, alphabetically,
then its migrations oldest first (the graph's forwards plan from the app's
newest ones) marked ``[X]`` when applied, ``[ ]`` when not, and ``[-]`` for a
squashed migration counted as applied but not yet recorded. ``--plan`` prints
every migration in the order ``migrate`` would apply them, ``app.name`` with the
same marks; at ``-v 2`` with the migrations each depends on.
"""

import sys

from tinyframe.core.management.base import BaseCommand
from tinyframe.db import DEFAULT_DB_ALIAS, connections
from tinyframe.db.migrations.loader import MigrationLoader
from tinyframe.db.migrations.recorder import MigrationRecorder

__all__ = ["Command"]


class Command(BaseCommand):
    """List the project's migrations and whether each is applied."""

    help = "Shows all available migrations for the current project"

    def add_arguments(self, parser) -> None:
        parser.add_argument("app_label", nargs="*", help="App labels of applications to limit the output to.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS,
                            help='Nominates a database to show migrations for. Defaults to the "default" database.')
        formats = parser.add_mutually_exclusive_group()
        formats.add_argument("--list", "-l", action="store_const", dest="format", const="list",
                             help="Shows a list of all migrations and which are applied. With a verbosity level of "
                                  "2 or above, the applied datetimes will be included.")
        formats.add_argument("--plan", "-p", action="store_const", dest="format", const="plan",
                             help="Shows all migrations in the order they will be applied. With a verbosity level "
                                  "of 2 or above all direct migration dependencies and reverse dependencies "
                                  "(run_before) will be included.")
        parser.set_defaults(format="list")

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        connection = connections[options["database"]]
        if options["format"] == "plan":
            return self.show_plan(connection, options["app_label"])
        return self.show_list(connection, options["app_label"])

    def validate_app_names(self, app_names) -> None:
        """Exit with status 2, after naming each, if some labels are not installed apps."""
        from tinyframe.apps import apps

        bad = False
        for app_name in app_names:
            try:
                apps.get_app_config(app_name)
            except LookupError as error:
                self.stderr.write(str(error))
                bad = True
        if bad:
            sys.exit(2)

    def show_list(self, connection, app_names=None) -> None:
        """Each app, then its migrations oldest first, marked applied or not."""
        loader = MigrationLoader(connection, ignore_no_migrations=True)
        recorded = MigrationRecorder(connection).applied_migrations()
        graph = loader.graph
        if app_names:
            self.validate_app_names(app_names)
        else:
            app_names = sorted(loader.migrated_apps)
        for app_name in app_names:
            self.stdout.write(app_name)
            shown = set()
            for leaf in graph.leaf_nodes(app_name):
                for key in graph.forwards_plan(leaf):
                    if key in shown or key[0] != app_name:
                        continue
                    shown.add(key)
                    self.stdout.write(self.list_line(loader, recorded, key))
            if not shown:
                self.stdout.write(" (no migrations)")

    def list_line(self, loader, recorded, key) -> str:
        """`` [X] 0001_initial``, with its time applied at ``-v 2``."""
        migration = loader.graph.nodes[key]
        title = key[1]
        if migration.replaces:
            title += f" ({len(migration.replaces)} squashed migrations)"
        applied = loader.applied_migrations.get(key)
        if not applied:
            return f" [ ] {title}"
        if key in recorded:
            line = f" [X] {title}"
        else:
            line = f" [-] {title} Run 'manage.py migrate' to finish recording."
        if self.verbosity >= 2 and hasattr(applied, "applied"):
            line += f" (applied at {applied.applied.strftime('%Y-%m-%d %H:%M:%S')})"
        return line

    def show_plan(self, connection, app_names=None) -> None:
        """Every migration (of ``app_names``' newest, if given) in applying order."""
        loader = MigrationLoader(connection)
        graph = loader.graph
        if app_names:
            self.validate_app_names(app_names)
            targets = [key for key in graph.leaf_nodes() if key[0] in app_names]
        else:
            targets = graph.leaf_nodes()
        plan = []
        for target in targets:
            plan += [key for key in graph.forwards_plan(target) if key not in plan]
        for key in plan:
            mark = "[X]" if key in loader.applied_migrations else "[ ]"
            dependencies = ""
            if self.verbosity >= 2:
                parents = sorted(parent.key for parent in graph.node_map[key].parents)
                if parents:
                    dependencies = f" ... ({', '.join(f'{app}.{name}' for app, name in parents)})"
            self.stdout.write(f"{mark}  {key[0]}.{key[1]}{dependencies}")
        if not plan:
            self.stdout.write("(no migrations)")
