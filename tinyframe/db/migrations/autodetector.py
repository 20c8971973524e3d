"""The autodetector: what must a migration do to turn one project state into another?

How it works: ``MigrationAutodetector(from_state, to_state, questioner)``
compares two ``ProjectState`` objects, the one the migration files build and
the one the models describe. ``changes(graph)`` answers in four steps:

1. the ``generate_*`` methods (this module) each look at one kind of
   difference (created models, removed fields, altered indexes...) and add
   operations to a list per app, each with the ``OperationDependency``
   objects it needs first (an ``AddField`` of a foreign key needs its
   target's ``CreateModel``);

The steps for whole models (created, deleted, renamed) are inherited from
``ModelChangesMixin`` (``model_changes.py``), those for the models' Meta
(indexes, constraints, unique_together, db_table, options) from
``MetaChangesMixin`` (``meta_changes.py``); steps 2 to 4 from
``MigrationArranger`` (``arranger.py``):

2. ``_sort_migrations`` orders each app's list so that every operation comes
   after the operations of the same app it depends on;
3. ``_build_migration_list`` cuts the lists into ``Migration`` objects, so that
   an operation needing another app's operation lands in a migration that
   depends on that app's migration;
4. ``MigrationOptimizer`` merges what can be merged (a ``CreateModel`` and the
   ``AddField`` of its foreign key become one ``CreateModel``), and
   ``arrange_for_graph`` numbers and names the migrations after the graph's
   leaves (``0002_post_slug``).

A rename cannot be seen in two states: a field that disappeared and an
identical one that appeared may be a rename or a removal and an addition.
The autodetector asks its questioner, which asks the user or answers no.
"""

import functools
import re

from tinyframe.db import models
from tinyframe.db.migrations import operations
from tinyframe.db.migrations.arranger import MigrationArranger, OperationDependency
from tinyframe.db.migrations.meta_changes import MetaChangesMixin
from tinyframe.db.migrations.model_changes import ModelChangesMixin
from tinyframe.db.migrations.questioner import MigrationQuestioner
from tinyframe.db.migrations.state import resolve_relation
# >>> 10_auth
from tinyframe.db.models.swappable import swappable_dependencies
# <<< 10_auth

__all__ = ["MigrationAutodetector", "OperationDependency", "resolve_relation"]


class MigrationAutodetector(ModelChangesMixin, MetaChangesMixin, MigrationArranger):
    """Compare two project states and propose the migrations that lead from the first to the second."""

    def __init__(self, from_state, to_state, questioner=None):
        self.from_state = from_state
        self.to_state = to_state
        self.questioner = questioner or MigrationQuestioner()
        self.existing_apps = {app_label for app_label, _ in from_state.models}

    def changes(self, graph, trim_to_apps=None, convert_apps=None, migration_name=None) -> dict:
        """``{app_label: [Migration, ...]}``: the new migrations, named and numbered after ``graph``'s leaves.

        ``trim_to_apps`` keeps only those apps' migrations (and the apps they
        need); ``convert_apps`` are apps whose models count as new even if the
        from-state has them as unmigrated ("real") apps.
        """
        changes = self._detect_changes(convert_apps, graph)
        changes = self.arrange_for_graph(changes, graph, migration_name)
        if trim_to_apps:
            changes = self._trim_to_apps(changes, trim_to_apps)
        return changes

    # -- comparing fields -------------------------------------------------------------

    def deep_deconstruct(self, obj):
        """``obj`` with every field, index or other deconstructible object in it replaced by its deconstruction.

        Two fields are the same when their deep deconstructions are equal:
        ``CharField(max_length=200)`` and another ``CharField(max_length=200)``
        are, although they are different objects.
        """
        if isinstance(obj, list):
            return [self.deep_deconstruct(value) for value in obj]
        if isinstance(obj, tuple):
            return tuple(self.deep_deconstruct(value) for value in obj)
        if isinstance(obj, dict):
            return {key: self.deep_deconstruct(value) for key, value in obj.items()}
        if isinstance(obj, functools.partial):
            return obj.func, self.deep_deconstruct(obj.args), self.deep_deconstruct(obj.keywords)
        if isinstance(obj, re.Pattern):
            return "re.Pattern", obj.pattern, obj.flags
        if isinstance(obj, type):
            return obj  # a class with a deconstruct() method is not itself deconstructible
        if hasattr(obj, "deconstruct"):
            deconstructed = obj.deconstruct()
            if isinstance(obj, models.Field):
                deconstructed = deconstructed[1:]  # a field's deconstruction starts with its name
            path, args, kwargs = deconstructed
            return (
                path,
                [self.deep_deconstruct(value) for value in args],
                {key: self.deep_deconstruct(value) for key, value in kwargs.items()},
            )
        return obj

    def only_relation_agnostic_fields(self, fields: dict) -> list:
        """The fields' deconstructions without their names or relation targets: what a renamed model keeps."""
        definitions = []
        for name, field in sorted(fields.items()):
            deconstruction = self.deep_deconstruct(field)
            if field.remote_field and field.remote_field.model:
                deconstruction[2].pop("to", None)
            definitions.append(deconstruction)
        return definitions

    # -- the pipeline -----------------------------------------------------------------

    def _detect_changes(self, convert_apps=None, graph=None) -> dict:
        """``{app_label: [Migration, ...]}`` with provisional names (``auto_1``...)."""
        self.generated_operations = {}
        self.altered_indexes = {}
        self.altered_constraints = {}
        self.renamed_fields = {}

        # Models by kind; models of unmigrated apps ("real" apps) are left alone.
        real_apps = self.from_state.real_apps
        self.old_model_keys, self.old_proxy_keys, self.old_unmanaged_keys = set(), set(), set()
        self.new_model_keys, self.new_proxy_keys, self.new_unmanaged_keys = set(), set(), set()
        for key, model_state in self.from_state.models.items():
            if not model_state.options.get("managed", True):
                self.old_unmanaged_keys.add(key)
            elif key[0] not in real_apps:
                (self.old_proxy_keys if model_state.options.get("proxy") else self.old_model_keys).add(key)
        for key, model_state in self.to_state.models.items():
            if not model_state.options.get("managed", True):
                self.new_unmanaged_keys.add(key)
            elif key[0] not in real_apps or (convert_apps and key[0] in convert_apps):
                (self.new_proxy_keys if model_state.options.get("proxy") else self.new_model_keys).add(key)

        # Renamed models first: every later step compares a model with its old self.
        self.generate_renamed_models()
        self._prepare_field_lists()

        self.generate_deleted_models()
        self.generate_created_models()
        self.generate_deleted_proxies()
        self.generate_created_proxies()
        self.generate_altered_options()

        self.create_renamed_fields()
        self.create_altered_indexes()
        self.create_altered_constraints()
        # Indexes and constraints go before the fields they name.
        self.generate_removed_constraints()
        self.generate_removed_indexes()
        self.generate_renamed_fields()
        self.generate_removed_altered_unique_together()
        self.generate_removed_fields()
        self.generate_added_fields()
        self.generate_altered_fields()
        self.generate_altered_unique_together()
        self.generate_added_indexes()
        self.generate_added_constraints()
        self.generate_altered_db_table()

        self._sort_migrations()
        self._build_migration_list(graph)
        self._name_models_not_renamed_yet()
        self._optimize_migrations()
        return self.migrations

    def _name_models_not_renamed_yet(self) -> None:
        """A relation to a model another app renames keeps the old name if its migration runs before the rename.

        The rename's migration depends on the apps whose relations point at
        the model, so those apps' migrations often come first: their
        ``AddField`` or ``AlterField`` must still say ``to="shop.item"``
        (Django writes the old name there too).
        """
        renames = {}  # (app_label, new model name) -> the migration holding the RenameModel
        for app_label, migrations in self.migrations.items():
            for migration in migrations:
                for operation in migration.operations:
                    if isinstance(operation, operations.RenameModel):
                        renames[app_label, operation.new_name_lower] = migration
        for app_label, migrations in self.migrations.items():
            for position, migration in enumerate(migrations):
                not_later = {earlier.name for earlier in migrations[position:]}
                for index, operation in enumerate(migration.operations):
                    if not isinstance(operation, (operations.AddField, operations.AlterField)) \
                            or not (operation.field.remote_field and operation.field.remote_field.model):
                        continue
                    target = resolve_relation(operation.field.remote_field.model, app_label,
                                              operation.model_name_lower)
                    rename = renames.get(target)
                    if target[0] == app_label or rename is None or not any(
                            dependency[0] == app_label and dependency[1] in not_later
                            for dependency in rename.dependencies):
                        continue
                    field = operation.field.clone()
                    field.remote_field.model = f"{target[0]}.{self.renamed_models[target]}"
                    operation.field = field

    def _prepare_field_lists(self) -> None:
        """The ``(app_label, model_name, field_name)`` keys of the fields of models kept in both states."""
        self.kept_model_keys = self.old_model_keys & self.new_model_keys
        self.kept_proxy_keys = self.old_proxy_keys & self.new_proxy_keys
        self.kept_unmanaged_keys = self.old_unmanaged_keys & self.new_unmanaged_keys
        self.old_field_keys = {
            (app_label, model_name, field_name)
            for app_label, model_name in self.kept_model_keys
            for field_name in self.old_model_state(app_label, model_name).fields
        }
        self.new_field_keys = {
            (app_label, model_name, field_name)
            for app_label, model_name in self.kept_model_keys
            for field_name in self.to_state.models[app_label, model_name].fields
        }

    def old_model_state(self, app_label: str, model_name: str):
        """The from-state's model that ``app_label.model_name`` was, before a rename if there was one."""
        old_name = self.renamed_models.get((app_label, model_name), model_name)
        return self.from_state.models[app_label, old_name]


    # -- what operations need ---------------------------------------------------------

    def _get_dependencies_for_foreign_key(self, app_label: str, model_name: str, field) -> list:
        """A relation needs its target model (and an explicit through model) to exist first."""
        target_app, target_model = resolve_relation(field.remote_field.model, app_label, model_name)
        dependencies = [OperationDependency(target_app, target_model, None, OperationDependency.Type.CREATE)]
        through = getattr(field.remote_field, "through", None)
        if through:
            through_app, through_model = resolve_relation(through, app_label, model_name)
            dependencies.append(OperationDependency(through_app, through_model, None,
                                                    OperationDependency.Type.CREATE))
        # >>> 10_auth
        dependencies = swappable_dependencies(self.to_state, field, dependencies)
        # <<< 10_auth
        return dependencies

    def _get_dependencies_for_model(self, app_label: str, model_name: str) -> list:
        """Every relation target of a model: an index or constraint on it waits for them."""
        dependencies = []
        for field in self.to_state.models[app_label, model_name].fields.values():
            if field.is_relation:
                dependencies.extend(self._get_dependencies_for_foreign_key(app_label, model_name, field))
        return dependencies

    def incoming_relations(self, state, app_label: str, model_name: str) -> dict:
        """``{(app_label, model_name): {field_name: field}}``: the fields of ``state`` pointing at a model."""
        relations = {}
        for (other_app, other_model), model_state in state.models.items():
            for field_name, field in model_state.fields.items():
                if field.remote_field and field.remote_field.model:
                    target = resolve_relation(field.remote_field.model, other_app, other_model)
                    if target == (app_label, model_name):
                        relations.setdefault((other_app, other_model), {})[field_name] = field
        return relations

    # -- fields -----------------------------------------------------------------------

    def create_renamed_fields(self) -> None:
        """Find fields that may be renamed (one gone, an identical one new, in the same model) and ask."""
        self.renamed_operations = []
        old_field_keys = set(self.old_field_keys)
        for app_label, model_name, field_name in sorted(self.new_field_keys - old_field_keys):
            old_model_state = self.old_model_state(app_label, model_name)
            field = self.to_state.models[app_label, model_name].fields[field_name]
            field_definition = self.deep_deconstruct(field)
            for removed_app, removed_model, removed_name in sorted(old_field_keys - self.new_field_keys):
                if (removed_app, removed_model) != (app_label, model_name):
                    continue
                old_field = old_model_state.fields[removed_name]
                old_definition = self.deep_deconstruct(old_field)
                if field.remote_field and field.remote_field.model and "to" in old_definition[2]:
                    old_target = old_definition[2]["to"]
                    old_definition[2]["to"] = self.renamed_models_rel.get(old_target, old_target)
                old_field.set_attributes_from_name(removed_name)
                old_column = old_field.get_attname_column()[1]
                same = old_definition == field_definition or (
                    old_definition[:2] == field_definition[:2]
                    and dict(old_definition[2], db_column=old_column) == field_definition[2]
                )
                if same and self.questioner.ask_rename(model_name, removed_name, field_name, field):
                    self.renamed_operations.append(
                        (removed_app, removed_model, old_field.db_column, removed_name,
                         app_label, model_name, field, field_name)
                    )
                    old_field_keys.remove((removed_app, removed_model, removed_name))
                    old_field_keys.add((app_label, model_name, field_name))
                    self.renamed_fields[app_label, model_name, field_name] = removed_name
                    break

    def generate_renamed_fields(self) -> None:
        """A ``RenameField`` for each confirmed rename (after an ``AlterField`` if the column name changes)."""
        for (removed_app, removed_model, removed_column, removed_name,
             app_label, model_name, field, field_name) in self.renamed_operations:
            if removed_column != field.db_column:
                # The new field keeps the old column by naming it: alter first, so the rename changes no table.
                altered = field.clone()
                altered.name = removed_name
                self.add_operation(app_label, operations.AlterField(model_name=model_name, name=removed_name,
                                                                    field=altered))
            self.add_operation(app_label, operations.RenameField(model_name=model_name, old_name=removed_name,
                                                                 new_name=field_name))
            self.old_field_keys.remove((removed_app, removed_model, removed_name))
            self.old_field_keys.add((app_label, model_name, field_name))

    def generate_added_fields(self, field_keys=None) -> None:
        """Add an ``AddField`` operation for each field the new state's models have and the old ones lack.

        ``field_keys``: the ``(app_label, model_name, field_name)`` keys to
        add; by default every key in ``self.new_field_keys`` and not in
        ``self.old_field_keys`` (fields of models kept in both states, after
        renames are taken out), in sorted order. For each one:

        - read the field from ``self.to_state.models[app_label, model_name].fields``;
        - its dependencies: always ``OperationDependency(app_label,
          model_name, field_name, OperationDependency.Type.REMOVE)`` (a field
          of that name being removed first), plus, for a relation
          (``field.remote_field`` with a ``model``),
          ``self._get_dependencies_for_foreign_key(app_label, model_name, field)``;
        - rows already in the table need a value: the default is preserved
          (``preserve_default=True``) when the field is null, has a default,
          is a many-to-many, is blank and allows empty strings, is a date,
          datetime or time field with ``auto_now``, or is an auto field.
          Otherwise, ask on a clone of the field, whose ``default`` becomes
          the answer: ``self.questioner.ask_auto_now_add_addition(field_name,
          model_name)`` for a date/datetime/time field with
          ``auto_now_add``, else ``ask_not_null_addition(field_name,
          model_name)``; and the operation gets ``preserve_default=False``
          (the one-off default fills the rows, then leaves the field);
        - a unique field with a callable default: call
          ``ask_unique_callable_default_addition(field_name, model_name)``;
        - ``self.add_operation(app_label, operations.AddField(model_name=model_name,
          name=field_name, field=field, preserve_default=...), dependencies=...)``.
        """
        if field_keys is None:
            field_keys = sorted(self.new_field_keys - self.old_field_keys)
        time_fields = (models.DateField, models.DateTimeField, models.TimeField)
        auto_fields = (models.AutoField, models.SmallAutoField, models.BigAutoField)
        for app_label, model_name, field_name in field_keys:
            field = self.to_state.models[app_label, model_name].fields[field_name]
            dependencies = [OperationDependency(app_label, model_name, field_name, OperationDependency.Type.REMOVE)]
            if field.remote_field and field.remote_field.model:
                dependencies.extend(self._get_dependencies_for_foreign_key(app_label, model_name, field))
            preserve_default = (
                field.null
                or field.has_default()
                or bool(field.many_to_many)
                or (field.blank and field.empty_strings_allowed)
                or (isinstance(field, time_fields) and getattr(field, "auto_now", False))
                or isinstance(field, auto_fields)
            )
            if not preserve_default:
                field = field.clone()
                if isinstance(field, time_fields) and getattr(field, "auto_now_add", False):
                    field.default = self.questioner.ask_auto_now_add_addition(field_name, model_name)
                else:
                    field.default = self.questioner.ask_not_null_addition(field_name, model_name)
            if field.unique and field.has_default() and callable(field.default):
                self.questioner.ask_unique_callable_default_addition(field_name, model_name)
            self.add_operation(
                app_label,
                operations.AddField(model_name=model_name, name=field_name, field=field,
                                    preserve_default=preserve_default),
                dependencies=dependencies,
            )

    def generate_removed_fields(self) -> None:
        """A ``RemoveField`` for each field the old state's models have and the new ones lack."""
        for app_label, model_name, field_name in sorted(self.old_field_keys - self.new_field_keys):
            self._generate_removed_field(app_label, model_name, field_name)

    def _generate_removed_field(self, app_label: str, model_name: str, field_name: str) -> None:
        self.add_operation(
            app_label,
            operations.RemoveField(model_name=model_name, name=field_name),
            # After a unique_together naming the field lets go of it.
            dependencies=[OperationDependency(app_label, model_name, field_name,
                                              OperationDependency.Type.ALTER_FOO_TOGETHER)],
        )

    def generate_altered_fields(self) -> None:
        """An ``AlterField`` for each field whose definition changed (a remove and an add between m2m and column)."""
        for app_label, model_name, field_name in sorted(self.old_field_keys & self.new_field_keys):
            old_field_name = self.renamed_fields.get((app_label, model_name, field_name), field_name)
            old_field = self.old_model_state(app_label, model_name).fields[old_field_name]
            new_field = self.to_state.models[app_label, model_name].fields[field_name]
            dependencies = []
            old_definition = self.deep_deconstruct(old_field)
            new_definition = self.deep_deconstruct(new_field)
            if new_field.remote_field and new_field.remote_field.model:
                # A relation to a renamed model is RenameModel's business, not a change of this field.
                target = resolve_relation(new_field.remote_field.model, app_label, model_name)
                if target in self.renamed_models and "to" in old_definition[2]:
                    new_definition[2]["to"] = old_definition[2]["to"]
                # Likewise a to_field naming a renamed field (RenameField rewrites it).
                to_field = getattr(new_field.remote_field, "field_name", None)
                if to_field and (*target, to_field) in self.renamed_fields:
                    for key in ("to", "to_field"):
                        if key in old_definition[2]:
                            new_definition[2][key] = old_definition[2][key]
                # And a through model that was renamed.
                through = getattr(new_field.remote_field, "through", None)
                if through and resolve_relation(through, app_label, model_name) in self.renamed_models \
                        and "through" in old_definition[2]:
                    new_definition[2]["through"] = old_definition[2]["through"]
                dependencies.extend(self._get_dependencies_for_foreign_key(app_label, model_name, new_field))
            if old_definition == new_definition or old_field_name != field_name:
                continue  # unchanged, or renamed (generate_renamed_fields handled a new db_column)
            if bool(old_field.many_to_many) == bool(new_field.many_to_many):
                preserve_default = True
                field = new_field
                if old_field.null and not new_field.null and not new_field.has_default() \
                        and not new_field.many_to_many:
                    field = new_field.clone()
                    new_default = self.questioner.ask_not_null_alteration(field_name, model_name)
                    if new_default is not models.NOT_PROVIDED:
                        field.default = new_default
                        preserve_default = False
                self.add_operation(
                    app_label,
                    operations.AlterField(model_name=model_name, name=field_name, field=field,
                                          preserve_default=preserve_default),
                    dependencies=dependencies,
                )
            else:
                # A column cannot become a many-to-many table or the reverse: remove, then add.
                self._generate_removed_field(app_label, model_name, field_name)
                self.generate_added_fields([(app_label, model_name, field_name)])
