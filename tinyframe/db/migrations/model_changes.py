"""The autodetector's steps for whole models: renamed, created and deleted models and proxies.

How it works: ``generate_renamed_models`` asks the questioner about each
model that disappeared while one with the same fields appeared; then
``generate_created_models`` writes a ``CreateModel`` for each new model (its
relations to models not created yet become separate ``AddField`` operations,
which the optimizer folds back in where it can), and
``generate_deleted_models`` a ``DeleteModel`` for each model gone, after
``RemoveField`` operations for the relations that pointed at it.
``MigrationAutodetector`` inherits these steps and calls them in Django's
order; they read the states and the field lists it has prepared.
"""

from tinyframe.db.migrations import operations
from tinyframe.db.migrations.arranger import OperationDependency
from tinyframe.db.migrations.state import resolve_relation

__all__ = ["ModelChangesMixin"]


class ModelChangesMixin:
    """The ``generate_*`` steps of ``MigrationAutodetector`` for models as a whole."""

    def generate_renamed_models(self) -> None:
        """A model that appeared with exactly the fields of one that disappeared may be renamed: ask."""
        self.renamed_models = {}
        self.renamed_models_rel = {}
        added_models = self.new_model_keys - self.old_model_keys
        for app_label, model_name in sorted(added_models):
            model_state = self.to_state.models[app_label, model_name]
            fields_definition = self.only_relation_agnostic_fields(model_state.fields)
            for removed_app, removed_model in sorted(self.old_model_keys - self.new_model_keys):
                if removed_app != app_label:
                    continue
                removed_state = self.from_state.models[removed_app, removed_model]
                if self.only_relation_agnostic_fields(removed_state.fields) != fields_definition:
                    continue
                if not self.questioner.ask_rename_model(removed_state, model_state):
                    continue
                dependencies = []
                for field in model_state.fields.values():
                    if field.is_relation and field.remote_field.model:
                        dependencies.extend(self._get_dependencies_for_foreign_key(app_label, model_name, field))
                # The models pointing at the renamed one must exist too: their foreign keys are rewritten.
                for other_app, other_model in self.incoming_relations(self.to_state, app_label, model_name):
                    dependencies.append(OperationDependency(other_app, other_model, None,
                                                            OperationDependency.Type.CREATE))
                self.add_operation(
                    app_label,
                    operations.RenameModel(old_name=removed_state.name, new_name=model_state.name),
                    dependencies=dependencies,
                )
                self.renamed_models[app_label, model_name] = removed_model
                self.renamed_models_rel[f"{app_label}.{removed_model}"] = f"{app_label}.{model_name}"
                self.old_model_keys.remove((removed_app, removed_model))
                self.old_model_keys.add((app_label, model_name))
                break

    def generate_created_models(self) -> None:
        """A ``CreateModel`` for each new model; its relations, indexes and constraints as separate operations.

        The relations are split off so that two new models pointing at each
        other can be created in some order; the optimizer folds each back into
        its ``CreateModel`` when nothing stands between them.
        """
        old_keys = self.old_model_keys | self.old_unmanaged_keys
        added = sorted(self.new_model_keys - old_keys, reverse=True)
        added += sorted(self.new_unmanaged_keys - old_keys, reverse=True)
        for app_label, model_name in added:
            model_state = self.to_state.models[app_label, model_name]
            related_fields = {
                name: field for name, field in model_state.fields.items()
                if field.remote_field and (field.remote_field.model or getattr(field.remote_field, "through", None))
                and not field.primary_key
            }
            primary_key_relations = [field.remote_field.model for field in model_state.fields.values()
                                     if field.remote_field and field.primary_key]
            options = dict(model_state.options)
            indexes = options.pop("indexes", [])
            constraints = options.pop("constraints", [])
            unique_together = options.pop("unique_together", None)
            dependencies = [OperationDependency(app_label, model_name, None, OperationDependency.Type.REMOVE)]
            for base in model_state.bases:
                if isinstance(base, str) and "." in base:
                    base_app, base_name = base.split(".", 1)
                    dependencies.append(OperationDependency(base_app, base_name, None,
                                                            OperationDependency.Type.CREATE))
            for target in primary_key_relations:
                dependencies.append(OperationDependency(*resolve_relation(target, app_label, model_name), None,
                                                        OperationDependency.Type.CREATE))
            self.add_operation(
                app_label,
                operations.CreateModel(
                    name=model_state.name,
                    fields=[(name, field) for name, field in model_state.fields.items()
                            if name not in related_fields],
                    options=options,
                    bases=model_state.bases,
                    managers=model_state.managers,
                ),
                dependencies=dependencies,
                beginning=True,
            )
            if not model_state.options.get("managed", True):
                continue  # an unmanaged model has no table to add columns or indexes to
            for name, field in sorted(related_fields.items()):
                field_dependencies = self._get_dependencies_for_foreign_key(app_label, model_name, field)
                field_dependencies.append(OperationDependency(app_label, model_name, None,
                                                              OperationDependency.Type.CREATE))
                self.add_operation(
                    app_label,
                    operations.AddField(model_name=model_name, name=name, field=field),
                    dependencies=list(dict.fromkeys(field_dependencies)),
                )
            after_fields = [OperationDependency(app_label, model_name, name, OperationDependency.Type.CREATE)
                            for name in sorted(related_fields)]
            after_fields.append(OperationDependency(app_label, model_name, None, OperationDependency.Type.CREATE))
            for index in indexes:
                self.add_operation(app_label, operations.AddIndex(model_name=model_name, index=index),
                                   dependencies=after_fields)
            for constraint in constraints:
                self.add_operation(app_label, operations.AddConstraint(model_name=model_name, constraint=constraint),
                                   dependencies=after_fields)
            if unique_together:
                self.add_operation(
                    app_label,
                    operations.AlterUniqueTogether(name=model_name, unique_together=unique_together),
                    dependencies=after_fields,
                )

    def generate_created_proxies(self) -> None:
        """A field-less ``CreateModel`` for each new proxy model."""
        for app_label, model_name in sorted(self.new_proxy_keys - self.old_proxy_keys):
            model_state = self.to_state.models[app_label, model_name]
            dependencies = [OperationDependency(app_label, model_name, None, OperationDependency.Type.REMOVE)]
            for base in model_state.bases:
                if isinstance(base, str) and "." in base:
                    base_app, base_name = base.split(".", 1)
                    dependencies.append(OperationDependency(base_app, base_name, None,
                                                            OperationDependency.Type.CREATE))
            self.add_operation(
                app_label,
                operations.CreateModel(name=model_state.name, fields=[], options=model_state.options,
                                       bases=model_state.bases, managers=model_state.managers),
                dependencies=dependencies,
            )

    def generate_deleted_models(self) -> None:
        """A ``DeleteModel`` for each removed model, after its relations and the relations pointing at it go."""
        new_keys = self.new_model_keys | self.new_unmanaged_keys
        deleted = sorted(self.old_model_keys - new_keys) + sorted(self.old_unmanaged_keys - new_keys)
        through_users = self.through_users()
        for app_label, model_name in deleted:
            model_state = self.from_state.models[app_label, model_name]
            related_fields = sorted(
                name for name, field in model_state.fields.items()
                if field.remote_field and (field.remote_field.model or getattr(field.remote_field, "through", None))
            )
            if model_state.options.get("unique_together"):
                self.add_operation(app_label, operations.AlterUniqueTogether(name=model_name, unique_together=None))
            for name in related_fields:
                self.add_operation(app_label, operations.RemoveField(model_name=model_name, name=name))
            dependencies = []
            incoming = self.incoming_relations(self.from_state, app_label, model_name)
            for (other_app, other_model), fields in incoming.items():
                for field_name, field in fields.items():
                    dependencies.append(OperationDependency(other_app, other_model, field_name,
                                                            OperationDependency.Type.REMOVE))
                    if not field.many_to_many:
                        dependencies.append(OperationDependency(other_app, other_model, field_name,
                                                                OperationDependency.Type.ALTER))
            for name in related_fields:
                dependencies.append(OperationDependency(app_label, model_name, name, OperationDependency.Type.REMOVE))
            if (app_label, model_name) in through_users:
                # A through model goes after the many-to-many field that used it.
                dependencies.append(OperationDependency(*through_users[app_label, model_name],
                                                        OperationDependency.Type.REMOVE))
            self.add_operation(
                app_label,
                operations.DeleteModel(name=model_state.name),
                dependencies=list(dict.fromkeys(dependencies)),
            )

    def through_users(self) -> dict:
        """``{through model key: (app_label, model_name, field_name)}``: the old many-to-many field using it."""
        users = {}
        for app_label, model_name in sorted(self.old_model_keys):
            old_name = self.renamed_models.get((app_label, model_name), model_name)
            for field_name, field in self.from_state.models[app_label, old_name].fields.items():
                through = getattr(field.remote_field, "through", None) if field.remote_field else None
                if through:
                    users[resolve_relation(through, app_label, model_name)] = (app_label, old_name, field_name)
        return users

    def generate_deleted_proxies(self) -> None:
        """A ``DeleteModel`` for each removed proxy model."""
        for app_label, model_name in sorted(self.old_proxy_keys - self.new_proxy_keys):
            model_state = self.from_state.models[app_label, model_name]
            self.add_operation(app_label, operations.DeleteModel(name=model_state.name))
