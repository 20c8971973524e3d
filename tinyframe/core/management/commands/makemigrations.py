"""``makemigrations``: write the migration files that bring the migrations up to the models.

How it works: ``MigrationLoader`` reads every app's migration files into a
graph, and ``loader.project_state()`` replays them into the state they build;
``ProjectState.from_apps(apps)`` is the state the models describe.
``MigrationAutodetector`` compares the two and proposes new ``Migration``
objects, numbered after each app's latest; ``MigrationWriter`` turns each
into Python source, written to the app's ``migrations`` package. Along the
way: two latest migrations in one app is a conflict (``--merge`` writes a
migration depending on both); ``--empty`` writes a migration with no
operations, for a data migration; ``--update`` folds the changes into the
app's latest migration instead; ``--dry-run`` and ``--check`` write
nothing (``--check`` exits with status 1 when a migration is missing, for
CI); questions (a rename? a default for existing rows?) are asked at the
terminal unless ``--noinput``, and ``--scriptable`` sends them and every
message to stderr, leaving stdout to the paths of the files written.
"""

import datetime
import os
import sys
import warnings
from itertools import takewhile

from tinyframe.core.management.base import BaseCommand, CommandError
from tinyframe.db import DEFAULT_DB_ALIAS, OperationalError, connections
from tinyframe.db.migrations.autodetector import MigrationAutodetector
from tinyframe.db.migrations.loader import MigrationLoader
from tinyframe.db.migrations.migration import Migration
from tinyframe.db.migrations.optimizer import MigrationOptimizer
from tinyframe.db.migrations.questioner import (
    InteractiveMigrationQuestioner,
    MigrationQuestioner,
    NonInteractiveMigrationQuestioner,
)
from tinyframe.db.migrations.state import ProjectState
from tinyframe.db.migrations.writer import MigrationWriter

__all__ = ["Command"]


def stated_renames(field_renames, model_renames) -> set[str]:
    """``--rename-field post.title=headline`` and ``--rename-model blog.Article=Post`` as the questioner holds them.

    >>> sorted(stated_renames(["Post.title=headline"], ["blog.Article=Post"]))
    ['field post.title=headline', 'model blog.article=post']
    """
    forms = {"field": "MODEL.OLD=NEW, e.g. post.title=headline", "model": "APP_LABEL.OLD=NEW, e.g. blog.Article=Post"}
    renames = set()
    for kind, values in (("field", field_renames), ("model", model_renames)):
        for value in values:
            owner, dot, rest = value.partition(".")
            old, equals, new = rest.partition("=")
            if not (owner and dot and old and equals and new):
                raise CommandError(f"--rename-{kind} {value!r}: write it as {forms[kind]}")
            rename = f"{kind} {owner.lower()}.{old}={new}"
            renames.add(rename.lower() if kind == "model" else rename)
    return renames


class Command(BaseCommand):
    """Create new migration files for the apps whose models changed."""

    help = "Creates new migration(s) for apps."
    autodetector = MigrationAutodetector

    def add_arguments(self, parser) -> None:
        parser.add_argument("args", metavar="app_label", nargs="*",
                            help="Specify the app label(s) to create migrations for.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Just show what migrations would be made; don't actually write them.")
        parser.add_argument("--merge", action="store_true", help="Enable fixing of migration conflicts.")
        parser.add_argument("--empty", action="store_true", help="Create an empty migration.")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="Tells tinyframe to NOT prompt the user for input of any kind.")
        parser.add_argument("-n", "--name", help="Use this name for migration file(s).")
        parser.add_argument("--no-header", action="store_false", dest="include_header",
                            help="Do not add header comments to new migration file(s).")
        parser.add_argument("--check", action="store_true", dest="check_changes",
                            help="Exit with a non-zero status if model changes are missing migrations and don't "
                                 "actually write them. Implies --dry-run.")
        parser.add_argument("--scriptable", action="store_true", dest="scriptable",
                            help="Divert log output and input prompts to stderr, writing only paths of generated "
                                 "migration files to stdout.")
        parser.add_argument("--update", action="store_true", dest="update",
                            help="Merge model changes into the latest migration and optimize the resulting "
                                 "operations.")
        parser.add_argument("--rename-field", action="append", default=[], metavar="MODEL.OLD=NEW",
                            help="Take this field rename without asking (tinyframe's; may be repeated): "
                                 "post.title=headline.")
        parser.add_argument("--rename-model", action="append", default=[], metavar="APP_LABEL.OLD=NEW",
                            help="Take this model rename without asking (tinyframe's; may be repeated): "
                                 "blog.Article=Post.")

    @property
    def log_output(self):
        """Where messages and questions go: stderr with ``--scriptable``, which keeps stdout for the paths."""
        return self.stderr if self.scriptable else self.stdout

    def log(self, message: str) -> None:
        self.log_output.write(message)

    def handle(self, *app_labels, **options):
        from tinyframe.apps import apps

        self.verbosity = options["verbosity"]
        self.interactive = options.get("interactive", True)
        self.dry_run = options.get("dry_run", False) or options.get("check_changes", False)
        self.migration_name = options.get("name")
        self.include_header = options.get("include_header", True)
        self.scriptable = options.get("scriptable", False)
        if self.migration_name and not self.migration_name.isidentifier():
            raise CommandError("The migration name must be a valid Python identifier.")
        renames = stated_renames(options.get("rename_field", []), options.get("rename_model", []))

        app_labels = set(app_labels)
        bad_labels = False
        for app_label in sorted(app_labels):
            try:
                apps.get_app_config(app_label)
            except LookupError as error:
                self.stderr.write(str(error))
                bad_labels = True
        if bad_labels:
            sys.exit(2)

        # No connection: the files alone say what the migrations are.
        loader = MigrationLoader(None, ignore_no_migrations=True)
        # A database where a migration is applied before one it depends on cannot take new ones safely.
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            loader.check_consistent_history(connection)
        except OperationalError as error:
            warnings.warn(f"Got an error checking a consistent migration history performed for database "
                          f"connection '{connection.alias}': {error}", RuntimeWarning)
        conflicts = loader.detect_conflicts()
        if app_labels:
            conflicts = {label: names for label, names in conflicts.items() if label in app_labels}
        merge = options.get("merge", False)
        if conflicts and not merge:
            described = "; ".join(f"{', '.join(names)} in {label}" for label, names in conflicts.items())
            raise CommandError(
                f"Conflicting migrations detected; multiple leaf nodes in the migration graph: ({described}).\n"
                f"To fix them run 'python manage.py makemigrations --merge'"
            )
        if merge and not conflicts:
            self.log("No conflicts detected to merge.")
            return None
        if merge:
            return self.handle_merge(loader, conflicts)

        if self.interactive:
            questioner = InteractiveMigrationQuestioner(specified_apps=app_labels, dry_run=self.dry_run,
                                                        prompt_output=self.log_output, renames=renames)
        else:
            questioner = NonInteractiveMigrationQuestioner(specified_apps=app_labels, dry_run=self.dry_run,
                                                           verbosity=self.verbosity, log=self.log, renames=renames)
        autodetector = self.autodetector(loader.project_state(), ProjectState.from_apps(apps), questioner)

        if options.get("empty"):
            if not app_labels:
                raise CommandError("You must supply at least one app label when using --empty.")
            changes = {app_label: [Migration("custom", app_label)] for app_label in sorted(app_labels)}
            changes = autodetector.arrange_for_graph(changes, loader.graph, self.migration_name)
            self.write_migration_files(changes)
            return None

        changes = autodetector.changes(
            graph=loader.graph,
            trim_to_apps=app_labels or None,
            convert_apps=app_labels or None,
            migration_name=self.migration_name,
        )
        not_found = sorted(renames - questioner.renames_taken)
        if not_found:
            raise CommandError(
                "No such rename between the migrations and the models: " + ", ".join(not_found) + ". A rename is "
                "found when a field (or model) is gone and one with the same definition appeared."
            )
        if not changes:
            if self.verbosity >= 1:
                if len(app_labels) == 1:
                    self.log(f"No changes detected in app '{app_labels.pop()}'")
                elif app_labels:
                    self.log("No changes detected in apps '" + "', '".join(sorted(app_labels)) + "'")
                else:
                    self.log("No changes detected")
            return None
        if options.get("update"):
            self.write_to_last_migration_files(changes)
        else:
            self.write_migration_files(changes)
        if options.get("check_changes"):
            sys.exit(1)
        return None

    def write_to_last_migration_files(self, changes: dict) -> None:
        """``--update``: fold each app's changes into its latest migration, renamed, instead of a new one.

        Only a migration nothing has built on may change: not applied, not a
        squash, and no other migration depending on it.
        """
        loader = MigrationLoader(connections[DEFAULT_DB_ALIAS])
        new_changes, previous_paths = {}, {}
        for app_label, migrations in changes.items():
            leaves = loader.graph.leaf_nodes(app_label)
            if not leaves:
                raise CommandError(f"App {app_label} has no migration, cannot update last migration.")
            leaf = loader.graph.nodes[leaves[0]]
            if leaf.replaces:
                raise CommandError(f"Cannot update squash migration '{leaf}'.")
            if leaves[0] in loader.applied_migrations:
                raise CommandError(f"Cannot update applied migration '{leaf}'.")
            dependents = [migration for migration in loader.disk_migrations.values()
                          if leaves[0] in migration.dependencies]
            if dependents:
                named = ", ".join(f"'{migration}'" for migration in dependents)
                raise CommandError(f"Cannot update migration '{leaf}' that migrations {named} depend on.")
            for migration in migrations:
                leaf.operations.extend(migration.operations)
                leaf.dependencies.extend(dependency for dependency in migration.dependencies
                                         if dependency[0] != app_label)
            leaf.operations = MigrationOptimizer().optimize(leaf.operations, app_label)
            previous_paths[app_label] = MigrationWriter(leaf).path
            suggested = f"{leaf.name[:4]}_{self.migration_name or leaf.suggest_name()}"
            leaf.name = f"{leaf.name}_updated" if leaf.name == suggested else suggested
            new_changes[app_label] = [leaf]
        self.write_migration_files(new_changes, previous_paths)

    def write_migration_files(self, changes: dict, update_previous_migration_paths: dict | None = None) -> None:
        """Write (or, in a dry run, only describe) each new migration, listing its operations."""
        for app_label, migrations in changes.items():
            if self.verbosity >= 1:
                self.log(f"Migrations for '{app_label}':")
            for migration in migrations:
                writer = MigrationWriter(migration, self.include_header)
                if self.verbosity >= 1:
                    path = self.get_relative_path(writer.path)
                    self.log(f"  {path}\n")
                    for operation in migration.operations:
                        self.log(f"    {operation.formatted_description()}")
                    if self.scriptable:
                        self.stdout.write(path)
                if not self.dry_run:
                    directory = os.path.dirname(writer.path)
                    os.makedirs(directory, exist_ok=True)
                    init_path = os.path.join(directory, "__init__.py")
                    if not os.path.isfile(init_path):
                        open(init_path, "w").close()
                    source = writer.as_string()  # before opening: a value that cannot be written leaves no file
                    with open(writer.path, "w", encoding="utf-8") as file:
                        file.write(source)
                    if update_previous_migration_paths:
                        self.replace_previous(writer, update_previous_migration_paths[app_label])
                elif self.verbosity == 3:
                    self.log(f"Full migrations file '{writer.filename}':")
                    self.log(writer.as_string())

    def replace_previous(self, writer, previous_path: str) -> None:
        """After ``--update``, delete the migration the updated one replaces (unless code must be ported by hand)."""
        previous = self.get_relative_path(previous_path)
        if writer.needs_manual_porting:
            self.log(f"Updated migration {self.get_relative_path(writer.path)} requires manual porting.\n"
                     f"Previous migration {previous} was kept and must be deleted after porting functions "
                     f"manually.")
        else:
            os.remove(previous_path)
            self.log(f"Deleted {previous}")

    @staticmethod
    def get_relative_path(path: str) -> str:
        """``path`` relative to the current directory when it is below it; otherwise as it is."""
        try:
            relative = os.path.relpath(path)
        except ValueError:  # another drive, on Windows
            return path
        return path if relative.startswith("..") else relative

    def handle_merge(self, loader, conflicts: dict) -> None:
        """Write a merge migration depending on the leaves of each conflicting app, after showing their branches."""
        if self.interactive:
            questioner = InteractiveMigrationQuestioner(prompt_output=self.log_output)
        else:
            questioner = MigrationQuestioner(defaults={"ask_merge": True})
        for app_label, names in conflicts.items():
            leaves = []
            for name in names:
                migration = loader.get_migration(app_label, name)
                migration.ancestry = [node for node in loader.graph.forwards_plan((app_label, name))
                                      if node[0] == app_label]
                leaves.append(migration)
            # The common ancestors are the first migrations every branch's ancestry shares.
            generations = zip(*(migration.ancestry for migration in leaves))
            common = sum(1 for _ in takewhile(lambda nodes: all(node == nodes[0] for node in nodes), generations))
            if not common:
                raise ValueError(f"Could not find common ancestor of {names}")
            for migration in leaves:
                migration.branch = migration.ancestry[common:]
                migration.merged_operations = [
                    operation for node in migration.branch for operation in loader.get_migration(*node).operations
                ]
            if self.verbosity > 0:
                self.log(f"Merging {app_label}")
                for migration in leaves:
                    self.log(f"  Branch {migration.name}")
                    for operation in migration.merged_operations:
                        self.log(f"    {operation.formatted_description()}")
            if not questioner.ask_merge(app_label):
                continue
            numbers = [self.autodetector.parse_number(migration.name) for migration in leaves]
            biggest = max((number for number in numbers if number is not None), default=1)
            parts = [f"{biggest + 1:04d}"]
            if self.migration_name:
                parts.append(self.migration_name)
            else:
                parts.append("merge")
                leaf_names = "_".join(sorted(migration.name for migration in leaves))
                parts.append(leaf_names if len(leaf_names) <= 47 else
                             datetime.datetime.now().strftime("%Y%m%d_%H%M"))
            merge_migration = Migration("_".join(parts), app_label)
            merge_migration.dependencies = [(app_label, migration.name) for migration in leaves]
            writer = MigrationWriter(merge_migration, self.include_header)
            if not self.dry_run:
                with open(writer.path, "w", encoding="utf-8") as file:
                    file.write(writer.as_string())
                if self.verbosity > 0:
                    self.log(f"\nCreated new merge migration {writer.path}")
                    if self.scriptable:
                        self.stdout.write(writer.path)
            elif self.verbosity == 3:
                self.log(f"Full merge migrations file '{writer.filename}':")
                self.log(writer.as_string())
        return None

