"""The autodetector's steps for a model's Meta: indexes, constraints, unique_together, db_table, options.

How it works: each ``generate_*`` method here compares one Meta option of
the models both states have (``kept_model_keys``) and adds the operation
that changes it: ``AddIndex`` / ``RemoveIndex``, ``AddConstraint`` /
``RemoveConstraint``, ``AlterUniqueTogether`` (in two steps: first keep only
the sets both states share, so removed fields can go; then, once added
fields exist, the new value), ``AlterModelTable`` and ``AlterModelOptions``.
``MigrationAutodetector`` inherits them and calls them in Django's order;
they read the states and the renames it has worked out.
"""

from tinyframe.db.migrations import operations

__all__ = ["MetaChangesMixin"]


class MetaChangesMixin:
    """The ``create_altered_*`` / ``generate_*`` steps of ``MigrationAutodetector`` for Meta options."""

    def altered_meta_list(self, option: str) -> dict:
        """For each kept model, the items of a Meta list (``"indexes"``, ``"constraints"``) it gained and lost.

        ``{(app_label, model_name): {"added_indexes": [...], "removed_indexes": [...]}}``.
        """
        altered = {}
        for app_label, model_name in sorted(self.kept_model_keys):
            old_items = self.old_model_state(app_label, model_name).options.get(option, [])
            new_items = self.to_state.models[app_label, model_name].options.get(option, [])
            altered[app_label, model_name] = {
                f"added_{option}": [item for item in new_items if item not in old_items],
                f"removed_{option}": [item for item in old_items if item not in new_items],
            }
        return altered

    def create_altered_indexes(self) -> None:
        """Which indexes each kept model gained and lost."""
        self.altered_indexes = self.altered_meta_list("indexes")

    def generate_added_indexes(self) -> None:
        for (app_label, model_name), altered in self.altered_indexes.items():
            dependencies = self._get_dependencies_for_model(app_label, model_name)
            for index in altered["added_indexes"]:
                self.add_operation(app_label, operations.AddIndex(model_name=model_name, index=index),
                                   dependencies=dependencies)

    def generate_removed_indexes(self) -> None:
        for (app_label, model_name), altered in self.altered_indexes.items():
            for index in altered["removed_indexes"]:
                self.add_operation(app_label, operations.RemoveIndex(model_name=model_name, name=index.name))

    def create_altered_constraints(self) -> None:
        """Which constraints each kept model gained and lost (a changed one is removed and added again)."""
        self.altered_constraints = self.altered_meta_list("constraints")

    def generate_added_constraints(self) -> None:
        for (app_label, model_name), altered in self.altered_constraints.items():
            dependencies = self._get_dependencies_for_model(app_label, model_name)
            for constraint in altered["added_constraints"]:
                self.add_operation(app_label, operations.AddConstraint(model_name=model_name, constraint=constraint),
                                   dependencies=dependencies)

    def generate_removed_constraints(self) -> None:
        for (app_label, model_name), altered in self.altered_constraints.items():
            for constraint in altered["removed_constraints"]:
                self.add_operation(app_label, operations.RemoveConstraint(model_name=model_name,
                                                                          name=constraint.name))

    def _get_altered_unique_together(self):
        """``(old, new, app_label, model_name, dependencies)`` for each kept model whose unique_together changed.

        The old value is read through the field renames, so a renamed field
        does not look like a new unique_together.
        """
        for app_label, model_name in sorted(self.kept_model_keys):
            old_model_state = self.old_model_state(app_label, model_name)
            new_model_state = self.to_state.models[app_label, model_name]
            old_value = {
                tuple(self.renamed_fields.get((app_label, model_name, name), name) for name in together)
                for together in old_model_state.options.get("unique_together") or ()
            }
            new_value = {tuple(together) for together in new_model_state.options.get("unique_together") or ()}
            if old_value == new_value:
                continue
            dependencies = []
            for together in new_value:
                for field_name in together:
                    field = new_model_state.fields[field_name]
                    if field.remote_field and field.remote_field.model:
                        dependencies.extend(self._get_dependencies_for_foreign_key(app_label, model_name, field))
            yield old_value, new_value, app_label, model_name, dependencies

    def generate_removed_altered_unique_together(self) -> None:
        """First keep only the sets both states have, so that removed fields can go."""
        for old_value, new_value, app_label, model_name, dependencies in self._get_altered_unique_together():
            kept = new_value & old_value
            if kept or old_value:
                self.add_operation(app_label, operations.AlterUniqueTogether(name=model_name, unique_together=kept),
                                   dependencies=dependencies)

    def generate_altered_unique_together(self) -> None:
        """Then, once added fields exist, set the new value."""
        for old_value, new_value, app_label, model_name, dependencies in self._get_altered_unique_together():
            if new_value != new_value & old_value:
                self.add_operation(app_label,
                                   operations.AlterUniqueTogether(name=model_name, unique_together=new_value),
                                   dependencies=dependencies)

    def generate_altered_db_table(self) -> None:
        """An ``AlterModelTable`` for each kept model whose ``Meta.db_table`` changed."""
        for app_label, model_name in sorted(self.kept_model_keys | self.kept_proxy_keys | self.kept_unmanaged_keys):
            old_table = self.old_model_state(app_label, model_name).options.get("db_table")
            new_table = self.to_state.models[app_label, model_name].options.get("db_table")
            if old_table != new_table:
                self.add_operation(app_label, operations.AlterModelTable(name=model_name, table=new_table))

    def generate_altered_options(self) -> None:
        """An ``AlterModelOptions`` for each model whose table-less options (ordering, verbose_name...) changed."""
        keys = operations.AlterModelOptions.ALTER_OPTION_KEYS  # the options that change no table
        candidates = (
            self.kept_model_keys | self.kept_proxy_keys | self.kept_unmanaged_keys
            | (self.old_unmanaged_keys & self.new_model_keys) | (self.old_model_keys & self.new_unmanaged_keys)
        )
        for app_label, model_name in sorted(candidates):
            old_options = {key: value for key, value in self.old_model_state(app_label, model_name).options.items()
                           if key in keys}
            new_options = {key: value for key, value in self.to_state.models[app_label, model_name].options.items()
                           if key in keys}
            if old_options != new_options:
                self.add_operation(app_label, operations.AlterModelOptions(name=model_name, options=new_options))
