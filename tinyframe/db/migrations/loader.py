"""Finding the migration files of every installed app and what the database has applied.

How it works: ``MigrationLoader(connection)`` runs ``build_graph``:

1. ``load_disk`` imports each installed app's migrations package
   (``<app>.migrations``, or the module ``settings.MIGRATION_MODULES`` names
   for it), and every module in it whose name does not start with ``_`` or
   ``~``: each must hold a ``Migration`` class, instantiated with its name and
   app (``disk_migrations``). Apps without a package are ``unmigrated_apps``.
2. ``MigrationRecorder`` reads ``applied_migrations`` from the database.
3. A ``MigrationGraph`` gets a node per migration, then an edge per
   dependency: within an app first, then across apps, where ``__first__``
   and ``__latest__`` stand for an app's first and newest migration.
4. Squashed migrations (``replaces = [...]``) stand in for the ones they
   replace when those are all applied or none is; otherwise they step aside.
5. The graph is checked: no dependency on a missing migration, no cycle.

Then ``project_state()`` replays the files into the models they describe,
``detect_conflicts()`` finds apps with two newest migrations, and
``get_migration_by_prefix`` turns the ``0002`` a user typed into a migration.
"""

import os
import pkgutil
import sys
from importlib import import_module, reload

from tinyframe.db.migrations.exceptions import (
    AmbiguityError,
    BadMigrationError,
    InconsistentMigrationHistory,
    NodeNotFoundError,
)
from tinyframe.db.migrations.graph import MigrationGraph, label
from tinyframe.db.migrations.recorder import MigrationRecorder

__all__ = ["MIGRATIONS_MODULE_NAME", "MigrationLoader"]

MIGRATIONS_MODULE_NAME = "migrations"


class MigrationLoader:
    """The migrations on disk, the ones applied in the database, and the graph joining them."""

    def __init__(self, connection, load: bool = True, ignore_no_migrations: bool = False,
                 replace_migrations: bool = True):
        self.connection = connection
        self.disk_migrations = None
        self.applied_migrations = None
        self.ignore_no_migrations = ignore_no_migrations
        self.replace_migrations = replace_migrations
        if load:
            self.build_graph()

    @classmethod
    def migrations_module(cls, app_label: str) -> tuple[str | None, bool]:
        """``(dotted name of the app's migrations package, whether settings.MIGRATION_MODULES named it)``."""
        from tinyframe.apps import apps
        from tinyframe.conf import settings

        if app_label in settings.MIGRATION_MODULES:
            return settings.MIGRATION_MODULES[app_label], True
        return f"{apps.get_app_config(app_label).name}.{MIGRATIONS_MODULE_NAME}", False

    def load_disk(self) -> None:
        """Import every installed app's migration files into ``disk_migrations``."""
        from tinyframe.apps import apps

        self.disk_migrations = {}
        self.unmigrated_apps = set()
        self.migrated_apps = set()
        for app_config in apps.get_app_configs():
            module = self.import_migrations_package(app_config.label)
            if module is None:
                self.unmigrated_apps.add(app_config.label)
                continue
            self.migrated_apps.add(app_config.label)
            names = sorted(
                name for _, name, is_package in pkgutil.iter_modules(module.__path__)
                if not is_package and name[0] not in "_~"
            )
            for name in names:
                migration_module = self.import_migration(module, name)
                if not hasattr(migration_module, "Migration"):
                    raise BadMigrationError(f"Migration {name} in app {app_config.label} has no Migration class")
                self.disk_migrations[app_config.label, name] = migration_module.Migration(name, app_config.label)

    def import_migrations_package(self, app_label: str):
        """The app's migrations package, or None when the app has none (it is then synced, not migrated)."""
        module_name, explicit = self.migrations_module(app_label)
        if module_name is None:  # MIGRATION_MODULES = {"blog": None}
            return None
        was_loaded = module_name in sys.modules
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as error:
            # Only the package itself missing means "no migrations"; a missing
            # import inside it is an error to show.
            if (explicit and self.ignore_no_migrations) or (
                not explicit and MIGRATIONS_MODULE_NAME in (error.name or "").split(".")
            ):
                return None
            raise
        if not hasattr(module, "__path__"):  # a migrations.py module, not a package
            return None
        if getattr(module, "__file__", None) is None and not isinstance(module.__path__, list):
            return None  # an empty folder: a namespace package
        if was_loaded:
            reload(module)  # see files added since it was imported
        return module

    @staticmethod
    def import_migration(package, name: str):
        """Import the migration module ``name`` of ``package``; a failure names the file."""
        path = f"{package.__name__}.{name}"
        try:
            return import_module(path)
        except Exception as error:
            filename = os.path.join(next(iter(package.__path__)), f"{name}.py")
            raise BadMigrationError(
                f"Couldn't import migration {path!r} ({filename}): {type(error).__name__}: {error}"
            ) from error

    def get_migration(self, app_label: str, name: str):
        """The migration ``name`` of ``app_label`` in the graph (a KeyError if it is not there)."""
        return self.graph.nodes[app_label, name]

    def get_migration_by_prefix(self, app_label: str, name_prefix: str):
        """The one migration of ``app_label`` whose name starts with ``name_prefix``.

        ``AmbiguityError`` if several do, ``KeyError`` if none does (Django's messages).
        """
        matches = [key for key in self.disk_migrations if key[0] == app_label and key[1].startswith(name_prefix)]
        if len(matches) > 1:
            raise AmbiguityError(f"There is more than one migration for '{app_label}' with the prefix '{name_prefix}'")
        if not matches:
            raise KeyError(f"There is no migration for '{app_label}' with the prefix '{name_prefix}'")
        return self.disk_migrations[matches[0]]

    def check_key(self, key: tuple[str, str], current_app: str):
        """The real key of a dependency, resolving ``__first__`` and ``__latest__``; None to ignore it."""
        if key[1] not in ("__first__", "__latest__") or key in self.graph:
            return key
        if key[0] == current_app:
            return None  # __first__ of one's own app: nothing to wait for
        if key[0] in self.unmigrated_apps:
            return None  # its models are in the state as they are
        if key[0] in self.migrated_apps:
            nodes = self.graph.root_nodes(key[0]) if key[1] == "__first__" else self.graph.leaf_nodes(key[0])
            if nodes:
                return nodes[0]
            if self.ignore_no_migrations:
                return None
            raise ValueError(f"Dependency on app with no migrations: {key[0]}")
        raise ValueError(f"Dependency on unknown app: {key[0]}")

    def add_internal_dependencies(self, key: tuple[str, str], migration) -> None:
        """The edges to migrations of the same app (first, so ``__first__`` finds the right root)."""
        for parent in migration.dependencies:
            if parent[0] == key[0] and parent[1] != "__first__":
                self.graph.add_dependency(migration, key, tuple(parent), skip_validation=True)

    def add_external_dependencies(self, key: tuple[str, str], migration) -> None:
        """The edges to other apps' migrations, and those ``run_before`` asks for."""
        for parent in migration.dependencies:
            if parent[0] == key[0]:
                continue
            parent = self.check_key(tuple(parent), key[0])
            if parent is not None:
                self.graph.add_dependency(migration, key, parent, skip_validation=True)
        for child in getattr(migration, "run_before", ()):
            child = self.check_key(tuple(child), key[0])
            if child is not None:
                self.graph.add_dependency(migration, child, key, skip_validation=True)

    def build_graph(self) -> None:
        """Load the files and the applied list, and join them in ``self.graph`` (see the module docstring)."""
        self.load_disk()
        if self.connection is None:
            self.applied_migrations = {}
        else:
            self.applied_migrations = MigrationRecorder(self.connection).applied_migrations()
        self.graph = MigrationGraph()
        self.replacements = {}
        for key, migration in self.disk_migrations.items():
            self.graph.add_node(key, migration)
            if getattr(migration, "replaces", None):
                self.replacements[key] = migration
        for key, migration in self.disk_migrations.items():
            self.add_internal_dependencies(key, migration)
        for key, migration in self.disk_migrations.items():
            self.add_external_dependencies(key, migration)
        if self.replace_migrations:
            for key, migration in self.replacements.items():
                self.use_replacement(key, migration)
        try:
            self.graph.validate_consistency()
        except NodeNotFoundError as error:
            self.explain_missing_replaced_node(error)
            raise
        self.graph.ensure_not_cyclic()

    def use_replacement(self, key: tuple[str, str], migration) -> None:
        """Put the squashed migration ``key`` in place of those it replaces, when it can be.

        It counts as applied when all of them are; it is used when all or
        none of them are applied. Half applied, the old migrations stay, so
        the rest of them can be applied one by one.
        """
        applied = [tuple(replaced) in self.applied_migrations for replaced in migration.replaces]
        if all(applied):
            self.applied_migrations[key] = migration
        else:
            self.applied_migrations.pop(key, None)
        if all(applied) or not any(applied):
            self.graph.remove_replaced_nodes(key, [tuple(replaced) for replaced in migration.replaces])
        else:
            self.graph.remove_replacement_node(key, [tuple(replaced) for replaced in migration.replaces])

    def explain_missing_replaced_node(self, error: NodeNotFoundError) -> None:
        """A missing node some squashed migration replaces: say why it could not stand in, if that is the cause."""
        candidates = [
            key for key, migration in self.replacements.items()
            if error.node in [tuple(replaced) for replaced in migration.replaces]
        ]
        if candidates and not any(candidate in self.graph.nodes for candidate in candidates):
            tries = ", ".join(label(candidate) for candidate in candidates)
            app_label, name = error.node
            raise NodeNotFoundError(
                f"Migration {error.origin} depends on nonexistent node ('{app_label}', '{name}'). tinyframe "
                f"tried to replace migration {app_label}.{name} with any of [{tries}] but wasn't able to "
                f"because some of the replaced migrations are already applied.",
                error.node,
            ) from error

    def check_consistent_history(self, connection) -> None:
        """``InconsistentMigrationHistory`` if an applied migration has a dependency that is not applied."""
        applied = MigrationRecorder(connection).applied_migrations()
        for key in applied:
            if key not in self.graph.nodes:
                continue  # a migration whose file is gone
            for parent in sorted(self.graph.node_map[key].parents):
                if parent.key in applied:
                    continue
                replacement = self.replacements.get(parent.key)
                if replacement is not None and all(tuple(replaced) in applied for replaced in replacement.replaces):
                    continue
                raise InconsistentMigrationHistory(
                    f"Migration {label(key)} is applied before its dependency {label(parent.key)} on "
                    f"database '{connection.alias}'."
                )

    def detect_conflicts(self) -> dict[str, list[str]]:
        """``{app_label: [names]}`` for each app with more than one newest migration (they need a merge)."""
        leaves: dict[str, list[str]] = {}
        for app_label, name in self.graph.leaf_nodes():
            leaves.setdefault(app_label, []).append(name)
        return {app_label: sorted(names) for app_label, names in leaves.items() if len(names) > 1}

    def project_state(self, nodes=None, at_end: bool = True):
        """The ``ProjectState`` the migrations describe, after ``nodes`` (or before, if not ``at_end``).

        See ``MigrationGraph.make_state``; the apps without migrations are
        included as they are (``real_apps``).
        """
        return self.graph.make_state(nodes=nodes, at_end=at_end, real_apps=self.unmigrated_apps)

    def collect_sql(self, plan) -> list[str]:
        """The SQL the ``plan`` (``[(migration, backwards), ...]``) would run, without running it."""
        statements = []
        state = None
        for migration, backwards in plan:
            with self.connection.schema_editor(collect_sql=True, atomic=migration.atomic) as schema_editor:
                if state is None:
                    state = self.project_state((migration.app_label, migration.name), at_end=False)
                if backwards:
                    state = migration.unapply(state, schema_editor, collect_sql=True)
                else:
                    state = migration.apply(state, schema_editor, collect_sql=True)
            statements.extend(schema_editor.collected_sql)
        return statements
