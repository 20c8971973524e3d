"""Operations on a model's indexes and constraints: add one, remove one by name.

How it works: ``AddIndex`` / ``RemoveIndex`` change ``Meta.indexes`` in the
state (``state.add_index``, ``state.remove_index``) and ask the schema editor
for ``add_index`` / ``remove_index``; ``AddConstraint`` / ``RemoveConstraint``
do the same with ``Meta.constraints`` and ``add_constraint`` /
``remove_constraint``. Removing names the index or constraint; going
backwards finds it by that name in the state it goes back to. Django keeps
these classes in ``operations/models.py``, where they are importable too.
"""

from tinyframe.db.migrations.operations.base import Operation, OperationCategory

__all__ = ["AddConstraint", "AddIndex", "IndexOperation", "RemoveConstraint", "RemoveIndex"]


class IndexOperation(Operation):
    """An operation on an index or constraint of the model ``model_name``."""

    def __init__(self, model_name: str):
        self.model_name = model_name

    @property
    def model_name_lower(self) -> str:
        """``model_name`` in lower case."""
        return self.model_name.lower()

    def references_model(self, name, app_label):
        return name.lower() == self.model_name_lower


class AddIndex(IndexOperation):
    """Create an index: ``AddIndex("post", models.Index(fields=["title"], name="post_title_idx"))``."""

    category = OperationCategory.ADDITION

    def __init__(self, model_name: str, index):
        super().__init__(model_name)
        if not index.name:
            raise ValueError(
                f"Indexes passed to AddIndex operations require a name argument. {index!r} doesn't have one."
            )
        self.index = index

    def deconstruct(self):
        return type(self).__name__, [], {"model_name": self.model_name, "index": self.index}

    def state_forwards(self, app_label, state):
        state.add_index(app_label, self.model_name_lower, self.index)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_index(model, self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.remove_index(model, self.index)

    def describe(self):
        # Django leaves a partial index's condition out of the line.
        return f"Create index {self.index.name} on field(s) {', '.join(self.index.fields)} of model {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name_lower}_{self.index.name.lower()}"


class RemoveIndex(IndexOperation):
    """Drop the index called ``name``: ``RemoveIndex("post", "post_title_idx")``."""

    category = OperationCategory.REMOVAL

    def __init__(self, model_name: str, name: str):
        super().__init__(model_name)
        self.name = name

    def deconstruct(self):
        return type(self).__name__, [], {"model_name": self.model_name, "name": self.name}

    def state_forwards(self, app_label, state):
        state.remove_index(app_label, self.model_name_lower, self.name)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            index = from_state.models[app_label, self.model_name_lower].get_index_by_name(self.name)
            schema_editor.remove_index(model, index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            index = to_state.models[app_label, self.model_name_lower].get_index_by_name(self.name)
            schema_editor.add_index(model, index)

    def describe(self):
        return f"Remove index {self.name} from {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"remove_{self.model_name_lower}_{self.name.lower()}"


class AddConstraint(IndexOperation):
    """Add a ``CheckConstraint`` or ``UniqueConstraint`` to a model."""

    category = OperationCategory.ADDITION

    def __init__(self, model_name: str, constraint):
        super().__init__(model_name)
        self.constraint = constraint

    def deconstruct(self):
        return type(self).__name__, [], {"model_name": self.model_name, "constraint": self.constraint}

    def state_forwards(self, app_label, state):
        state.add_constraint(app_label, self.model_name_lower, self.constraint)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_constraint(model, self.constraint)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.remove_constraint(model, self.constraint)

    def describe(self):
        return f"Create constraint {self.constraint.name} on model {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name_lower}_{self.constraint.name.lower()}"


class RemoveConstraint(IndexOperation):
    """Drop the constraint called ``name``."""

    category = OperationCategory.REMOVAL

    def __init__(self, model_name: str, name: str):
        super().__init__(model_name)
        self.name = name

    def deconstruct(self):
        return type(self).__name__, [], {"model_name": self.model_name, "name": self.name}

    def state_forwards(self, app_label, state):
        state.remove_constraint(app_label, self.model_name_lower, self.name)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            constraint = from_state.models[app_label, self.model_name_lower].get_constraint_by_name(self.name)
            schema_editor.remove_constraint(model, constraint)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            constraint = to_state.models[app_label, self.model_name_lower].get_constraint_by_name(self.name)
            schema_editor.add_constraint(model, constraint)

    def describe(self):
        return f"Remove constraint {self.name} from model {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"remove_{self.model_name_lower}_{self.name.lower()}"
