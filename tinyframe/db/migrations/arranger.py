"""From generated operations to numbered migrations: the autodetector's second half.

How it works: the autodetector's ``generate_*`` methods call
``add_operation(app_label, operation, dependencies)``, filing each operation
in its app's list with the ``OperationDependency`` objects it needs first.
``MigrationArranger`` then turns those lists into migrations:

1. ``_sort_migrations`` orders each app's list so that each operation comes
   after the operations of the same app it depends on (a topological sort);
2. ``_build_migration_list`` cuts the lists into ``Migration`` objects; an
   operation that needs another app's operation closes its app's migration
   until that app's is made, and then depends on it;
3. ``_optimize_migrations`` chains each app's new migrations and lets
   ``MigrationOptimizer`` merge their operations;
4. ``arrange_for_graph`` numbers and names them after each app's latest
   migration in the graph (``0002_post_slug``), and ``_trim_to_apps`` keeps
   the apps asked for and those they need.

``MigrationAutodetector`` inherits all of this; Django keeps it in the same
class, in one module.
"""

import enum
import graphlib
import re
from collections import namedtuple

from tinyframe.db.migrations import operations
from tinyframe.db.migrations.migration import Migration
from tinyframe.db.migrations.optimizer import MigrationOptimizer

__all__ = ["MigrationArranger", "OperationDependency"]


class OperationDependency(namedtuple("OperationDependency", "app_label model_name field_name type")):
    """What an operation needs done before it: a model or field created, removed or altered.

    ``field_name`` is None for a dependency on a whole model.
    """

    class Type(enum.Enum):
        CREATE = 0
        REMOVE = 1
        ALTER = 2
        REMOVE_ORDER_WRT = 3
        ALTER_FOO_TOGETHER = 4

    @property
    def model_name_lower(self) -> str:
        return self.model_name.lower()

    @property
    def field_name_lower(self) -> str:
        return self.field_name.lower()


def lower(name: str | None) -> str | None:
    """A model or field name as operations compare them: case does not matter."""
    return name.lower() if name else name


class MigrationArranger:
    """The operations the autodetector generated, sorted and cut into named migrations (a mixin)."""

    def add_operation(self, app_label: str, operation, dependencies=None, beginning: bool = False) -> None:
        """File ``operation`` in ``app_label``'s list, remembering what it depends on."""
        operation._auto_deps = dependencies or []
        operations_of_app = self.generated_operations.setdefault(app_label, [])
        if beginning:
            operations_of_app.insert(0, operation)
        else:
            operations_of_app.append(operation)

    def check_dependency(self, operation, dependency: OperationDependency) -> bool:
        """Whether ``operation`` is the one that does what ``dependency`` waits for."""
        kind = dependency.type
        if kind is OperationDependency.Type.CREATE and dependency.field_name is None:
            return (isinstance(operation, operations.CreateModel)
                    and lower(operation.name) == dependency.model_name_lower)
        if kind is OperationDependency.Type.CREATE:
            return (
                isinstance(operation, operations.CreateModel)
                and lower(operation.name) == dependency.model_name_lower
                and any(dependency.field_name == name for name, _ in operation.fields)
            ) or (
                isinstance(operation, operations.AddField)
                and lower(operation.model_name) == dependency.model_name_lower
                and lower(operation.name) == dependency.field_name_lower
            )
        if kind is OperationDependency.Type.REMOVE and dependency.field_name is None:
            return (isinstance(operation, operations.DeleteModel)
                    and lower(operation.name) == dependency.model_name_lower)
        if kind is OperationDependency.Type.REMOVE:
            return (
                isinstance(operation, operations.RemoveField)
                and lower(operation.model_name) == dependency.model_name_lower
                and lower(operation.name) == dependency.field_name_lower
            )
        if kind is OperationDependency.Type.ALTER:
            return (
                isinstance(operation, operations.AlterField)
                and lower(operation.model_name) == dependency.model_name_lower
                and lower(operation.name) == dependency.field_name_lower
            )
        if kind is OperationDependency.Type.ALTER_FOO_TOGETHER:
            return (
                isinstance(operation, operations.AlterUniqueTogether)
                and lower(operation.name) == dependency.model_name_lower
            )
        # REMOVE_ORDER_WRT: tinyframe has no order_with_respect_to, so nothing removes it.
        return False

    def _sort_migrations(self) -> None:
        """Order each app's operations so that each comes after those of the same app it depends on."""
        for app_label, app_operations in sorted(self.generated_operations.items()):
            # The sorter's nodes are positions in the list: operations need not be hashable.
            sorter = graphlib.TopologicalSorter()
            for position, operation in enumerate(app_operations):
                sorter.add(position)
                for dependency in operation._auto_deps:
                    if dependency.app_label != app_label:
                        continue
                    sorter.add(position, *(other_position for other_position, other in enumerate(app_operations)
                                           if self.check_dependency(other, dependency)))
            self.generated_operations[app_label] = [app_operations[position] for position in sorter.static_order()]

    def _build_migration_list(self, graph=None) -> None:
        """Cut the operation lists into migrations, so that a migration needing another app's work depends on it.

        Each round walks every app's list from the front, taking operations
        while what they need from other apps is already in a migration (or
        never was in these changes). A round that takes nothing switches to
        "chop mode": a need still waiting becomes a dependency on the other
        app's latest migration in the graph (or its ``__first__``), which
        breaks the circle of two apps each waiting for the other.
        """
        self.migrations = {}
        remaining = sum(len(ops) for ops in self.generated_operations.values())
        chop_mode = False
        while remaining:
            for app_label in sorted(self.generated_operations):
                chopped, dependencies = [], set()
                for operation in list(self.generated_operations[app_label]):
                    satisfied, needs = self._dependencies_met(app_label, operation, graph, chop_mode)
                    if not satisfied:
                        break
                    chopped.append(operation)
                    dependencies.update(needs)
                    del self.generated_operations[app_label][0]
                if not (dependencies or chopped):
                    continue
                if not self.generated_operations[app_label] or chop_mode:
                    migrations_of_app = self.migrations.setdefault(app_label, [])
                    migration = Migration(f"auto_{len(migrations_of_app) + 1}", app_label)
                    migration.dependencies = list(dependencies)
                    migration.operations = chopped
                    migration.initial = app_label not in self.existing_apps
                    migrations_of_app.append(migration)
                    chop_mode = False
                else:
                    self.generated_operations[app_label] = chopped + self.generated_operations[app_label]
            now_remaining = sum(len(ops) for ops in self.generated_operations.values())
            if now_remaining == remaining:
                if chop_mode:
                    raise ValueError(f"Cannot resolve operation dependencies: {self.generated_operations!r}")
                chop_mode = True
            remaining = now_remaining

    def _dependencies_met(self, app_label: str, operation, graph, chop_mode: bool) -> tuple[bool, set]:
        """Whether ``operation``'s needs in other apps are met, and the migrations it must then depend on."""
        needs = set()
        for dependency in operation._auto_deps:
            if dependency.app_label == app_label:
                continue  # the same app: _sort_migrations put it earlier
            if any(self.check_dependency(other, dependency)
                   for other in self.generated_operations.get(dependency.app_label, [])):
                return False, set()
            # >>> 10_auth
            if getattr(dependency, "setting", None):
                # ForeignKey(settings.AUTH_USER_MODEL): depend on whichever app the setting names.
                needs.add(("__setting__", dependency.setting))
                continue
            # <<< 10_auth
            if dependency.app_label in self.migrations:
                needs.add((dependency.app_label, self.migrations[dependency.app_label][-1].name))
            elif chop_mode:
                leaves = graph.leaf_nodes(dependency.app_label) if graph else []
                needs.add(leaves[0] if leaves else (dependency.app_label, "__first__"))
            else:
                return False, set()
        return True, needs

    def _optimize_migrations(self) -> None:
        """Chain each app's new migrations, drop duplicate dependencies, and merge what the optimizer can."""
        for app_label, migrations in self.migrations.items():
            for previous, following in zip(migrations, migrations[1:]):
                following.dependencies.append((app_label, previous.name))
        for migrations in self.migrations.values():
            for migration in migrations:
                migration.dependencies = list(dict.fromkeys(migration.dependencies))
        for app_label, migrations in self.migrations.items():
            for migration in migrations:
                migration.operations = MigrationOptimizer().optimize(migration.operations, app_label)

    def arrange_for_graph(self, changes: dict, graph, migration_name: str | None = None) -> dict:
        """Number and name the new migrations after each app's leaf in ``graph``, and depend on that leaf.

        An app with no migrations yet gets ``0001_initial`` only if the
        questioner agrees (``ask_initial``); otherwise its changes are dropped.
        """
        leaves = graph.leaf_nodes()
        name_map = {}
        for app_label, migrations in list(changes.items()):
            if not migrations:
                continue
            app_leaf = next((leaf for leaf in leaves if leaf[0] == app_label), None)
            if app_leaf is None and not self.questioner.ask_initial(app_label):
                for migration in migrations:
                    name_map[app_label, migration.name] = (app_label, "__first__")
                del changes[app_label]
                continue
            next_number = (self.parse_number(app_leaf[1]) or 0) + 1 if app_leaf else 1
            for position, migration in enumerate(migrations):
                if position == 0 and app_leaf:
                    migration.dependencies.append(app_leaf)
                if migration_name:
                    suffix = migration_name
                elif position == 0 and not app_leaf:
                    suffix = "initial"
                else:
                    suffix = migration.suggest_name()[:100]
                new_name = f"{next_number:04d}_{suffix}"
                name_map[app_label, migration.name] = (app_label, new_name)
                migration.name = new_name
                next_number += 1
        for migrations in changes.values():
            for migration in migrations:
                migration.dependencies = [name_map.get(dependency, dependency)
                                          for dependency in migration.dependencies]
        return changes

    def _trim_to_apps(self, changes: dict, app_labels) -> dict:
        """Keep the migrations of ``app_labels`` and of the apps they depend on, transitively."""
        app_dependencies = {}
        for app_label, migrations in changes.items():
            for migration in migrations:
                for dependency_app, _ in migration.dependencies:
                    app_dependencies.setdefault(app_label, set()).add(dependency_app)
        required = set(app_labels)
        previous = None
        while previous != required:
            previous = set(required)
            for app_label in previous:
                required |= app_dependencies.get(app_label, set())
        for app_label in list(changes):
            if app_label not in required:
                del changes[app_label]
        return changes

    @classmethod
    def parse_number(cls, name: str) -> int | None:
        """The number a migration's name starts with (the last one for a squashed migration), or None.

        >>> MigrationArranger.parse_number("0002_post_slug"), MigrationArranger.parse_number("initial")
        (2, None)
        >>> MigrationArranger.parse_number("0001_squashed_0004_post_slug")
        4
        """
        squashed = re.search(r".*_squashed_(\d+)", name)
        if squashed:
            return int(squashed[1])
        match = re.match(r"^\d+", name)
        return int(match[0]) if match else None
