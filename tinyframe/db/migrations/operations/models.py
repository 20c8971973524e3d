"""Operations on whole models: create, delete, rename, and change their table and options.

How it works: each class pairs a ``state_forwards`` (a ``ProjectState``
method call: ``add_model``, ``remove_model``, ``rename_model``,
``alter_model_options``, ``add_index``...) with database methods that read
the historical models from the states and hand them to the schema editor:

- ``CreateModel`` / ``DeleteModel``: ``create_model`` / ``delete_model``
  (a model's many-to-many tables come and go with it);
- ``RenameModel`` and ``AlterModelTable``: ``alter_db_table`` (and the keys
  that point at a renamed model follow it with ``alter_field``);
- ``AlterModelOptions``: state only (ordering, verbose names... have no schema);
- ``AlterUniqueTogether``: ``alter_unique_together``;
- ``AddIndex`` / ``RemoveIndex``, ``AddConstraint`` / ``RemoveConstraint``
  are in ``indexes.py`` (importable from here too, Django's module).

A model operation names its model by ``name`` as written (``"Post"``) and
compares it in lower case (``name_lower``), as state keys are.
"""

from tinyframe.db import models
from tinyframe.db.migrations.operations.base import Operation, OperationCategory
from tinyframe.db.migrations.operations.indexes import AddConstraint, AddIndex, RemoveConstraint, RemoveIndex
from tinyframe.db.migrations.state import ModelState, field_references_model, reference_label
from tinyframe.db.models.options import normalize_together

__all__ = [
    "AddConstraint", "AddIndex", "AlterModelOptions", "AlterModelTable", "AlterUniqueTogether", "CreateModel",
    "DeleteModel", "ModelOperation", "RemoveConstraint", "RemoveIndex", "RenameModel",
]  # fmt: skip


def check_for_duplicates(argument_name: str, operation_name: str, values) -> None:
    """ValueError, Django's message, when a CreateModel argument lists a value twice.

    >>> check_for_duplicates("fields", "Post", ["id", "title", "id"])
    Traceback (most recent call last):
      ...
    ValueError: Found duplicate value id in CreateModel fields argument.
    """
    seen = set()
    for value in values:
        if value in seen:
            raise ValueError(f"Found duplicate value {value} in CreateModel {argument_name} argument.")
        seen.add(value)


class ModelOperation(Operation):
    """An operation on one model, named ``name``."""

    def __init__(self, name: str):
        self.name = name

    @property
    def name_lower(self) -> str:
        """``name`` in lower case."""
        return self.name.lower()

    def references_model(self, name: str, app_label: str) -> bool:
        return name.lower() == self.name_lower


class CreateModel(ModelOperation):
    """Create a model's table: ``CreateModel("Post", fields=[("id", ...), ("title", ...)], options={...})``."""

    category = OperationCategory.ADDITION
    serialization_expand_args = ["fields", "options", "managers"]

    def __init__(self, name: str, fields, options: dict | None = None, bases=None, managers=None):
        self.fields = list(fields)
        self.options = options or {}
        self.bases = bases or (models.Model,)
        self.managers = managers or []
        super().__init__(name)
        check_for_duplicates("fields", name, (field_name for field_name, _ in self.fields))
        check_for_duplicates(
            "bases", name,
            (base._meta.label_lower if hasattr(base, "_meta") else base.lower() if isinstance(base, str) else base
             for base in self.bases),
        )  # fmt: skip
        check_for_duplicates("managers", name, (manager_name for manager_name, _ in self.managers))

    def deconstruct(self):
        kwargs = {"name": self.name, "fields": self.fields}
        if self.options:
            kwargs["options"] = self.options
        if self.bases and self.bases != (models.Model,):
            kwargs["bases"] = self.bases
        if self.managers and [name for name, _ in self.managers] != ["objects"]:
            kwargs["managers"] = self.managers
        return type(self).__name__, [], kwargs

    def state_forwards(self, app_label, state):
        state.add_model(ModelState(
            app_label, self.name, list(self.fields), dict(self.options), tuple(self.bases), list(self.managers),
        ))  # fmt: skip

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.create_model(model)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.delete_model(model)

    def describe(self):
        proxy = "proxy " if self.options.get("proxy") else ""
        return f"Create {proxy}model {self.name}"

    @property
    def migration_name_fragment(self):
        return self.name_lower

    def references_model(self, name, app_label):
        name_lower = name.lower()
        if name_lower == self.name_lower:
            return True
        label = f"{app_label}.{name_lower}"
        # A base named by label (a concrete parent), a relation to it, or a many-to-many through it.
        if any(isinstance(base, str) and reference_label(base, app_label) == label for base in self.bases):
            return True
        return any(field_references_model(field, label, app_label) for _, field in self.fields)


class DeleteModel(ModelOperation):
    """Drop a model's table (and its many-to-many tables): ``DeleteModel("Post")``."""

    category = OperationCategory.REMOVAL

    def deconstruct(self):
        return type(self).__name__, [], {"name": self.name}

    def state_forwards(self, app_label, state):
        state.remove_model(app_label, self.name_lower)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.delete_model(model)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.create_model(model)

    def describe(self):
        return f"Delete model {self.name}"

    @property
    def migration_name_fragment(self):
        return f"delete_{self.name_lower}"


class RenameModel(ModelOperation):
    """Rename a model, its table (if it had the default name) and the keys pointing at it."""

    category = OperationCategory.ALTERATION

    def __init__(self, old_name: str, new_name: str):
        self.old_name = old_name
        self.new_name = new_name
        super().__init__(old_name)

    @property
    def old_name_lower(self) -> str:
        """``old_name`` in lower case."""
        return self.old_name.lower()

    @property
    def new_name_lower(self) -> str:
        """``new_name`` in lower case."""
        return self.new_name.lower()

    def deconstruct(self):
        return type(self).__name__, [], {"old_name": self.old_name, "new_name": self.new_name}

    def state_forwards(self, app_label, state):
        state.rename_model(app_label, self.old_name, self.new_name)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        new_model = to_state.apps.get_model(app_label, self.new_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, new_model):
            return
        old_model = from_state.apps.get_model(app_label, self.old_name)
        schema_editor.alter_db_table(new_model, old_model._meta.db_table, new_model._meta.db_table)
        # Every key pointing here is altered to point at the renamed table: other
        # models' foreign keys and many-to-many tables, and the model's own keys to itself.
        # The model given is the one of the state after, whose fields keep their order in a rebuilt table.
        # In Django's order: model by model as registered, each one's keys before its many-to-many fields.
        registered = {model: index for index, model in enumerate(from_state.apps.get_models(include_auto_created=True))}
        related_objects = sorted(
            old_model._meta.related_objects,
            key=lambda related: (registered.get(related.related_model, len(registered)), related.many_to_many),
        )
        for related in related_objects:
            if related.related_model == old_model:
                related_key = app_label, self.new_name_lower
            else:
                related_key = related.related_model._meta.app_label, related.related_model._meta.model_name
            model = to_state.apps.get_model(*related_key)
            schema_editor.alter_field(model, related.field, model._meta.get_field(related.field.name))
        # The model's own automatic many-to-many tables are named after it, as is their key to it.
        for old_field, new_field in zip(old_model._meta.local_many_to_many, new_model._meta.local_many_to_many):
            if new_field.related_model == new_model or not new_field.remote_field.through._meta.auto_created:
                continue
            schema_editor._alter_many_to_many(new_model, old_field, new_field, strict=False)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self.swap_names()
        self.database_forwards(app_label, schema_editor, from_state, to_state)
        self.swap_names()

    def swap_names(self) -> None:
        self.old_name, self.new_name = self.new_name, self.old_name

    def references_model(self, name, app_label):
        return name.lower() in (self.old_name_lower, self.new_name_lower)

    def describe(self):
        return f"Rename model {self.old_name} to {self.new_name}"

    @property
    def migration_name_fragment(self):
        return f"rename_{self.old_name_lower}_{self.new_name_lower}"


class AlterModelTable(ModelOperation):
    """Rename a model's table: ``AlterModelTable("Post", "posts")`` (None: back to the default name)."""

    category = OperationCategory.ALTERATION

    def __init__(self, name: str, table: str | None):
        self.table = table
        super().__init__(name)

    def deconstruct(self):
        return type(self).__name__, [], {"name": self.name, "table": self.table}

    def state_forwards(self, app_label, state):
        state.alter_model_options(app_label, self.name_lower, {"db_table": self.table})

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        new_model = to_state.apps.get_model(app_label, self.name)
        if not self.allow_migrate_model(schema_editor.connection.alias, new_model):
            return
        old_model = from_state.apps.get_model(app_label, self.name)
        schema_editor.alter_db_table(new_model, old_model._meta.db_table, new_model._meta.db_table)
        # An automatic many-to-many table is named after its model's table, so it moves too.
        for old_field, new_field in zip(old_model._meta.local_many_to_many, new_model._meta.local_many_to_many):
            new_through = new_field.remote_field.through
            if new_through._meta.auto_created:
                schema_editor.alter_db_table(
                    new_through, old_field.remote_field.through._meta.db_table, new_through._meta.db_table
                )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self.database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        table = self.table if self.table is not None else "(default)"
        return f"Rename table for {self.name} to {table}"

    @property
    def migration_name_fragment(self):
        return f"alter_{self.name_lower}_table"


class AlterUniqueTogether(ModelOperation):
    """Change ``Meta.unique_together``: the unique indexes that go and come."""

    category = OperationCategory.ALTERATION
    option_name = "unique_together"

    def __init__(self, name: str, unique_together):
        if isinstance(unique_together, (set, frozenset)) and unique_together:
            unique_together = sorted(unique_together)  # as makemigrations writes it: {("a", "b")}
        # As given when empty (None, []): the state keeps that, as Django's does.
        self.unique_together = set(normalize_together(unique_together)) if unique_together else unique_together
        super().__init__(name)

    def deconstruct(self):
        return type(self).__name__, [], {"name": self.name, self.option_name: self.unique_together}

    def state_forwards(self, app_label, state):
        state.alter_model_options(app_label, self.name_lower, {self.option_name: self.unique_together})

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        new_model = to_state.apps.get_model(app_label, self.name)
        if self.allow_migrate_model(schema_editor.connection.alias, new_model):
            old_model = from_state.apps.get_model(app_label, self.name)
            schema_editor.alter_unique_together(
                new_model, old_model._meta.unique_together, new_model._meta.unique_together
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self.database_forwards(app_label, schema_editor, from_state, to_state)

    def references_field(self, model_name, name, app_label):
        return self.references_model(model_name, app_label) and (
            not self.unique_together or any(name in names for names in self.unique_together)
        )

    def describe(self):
        return f"Alter {self.option_name} for {self.name} ({len(self.unique_together or ())} constraint(s))"

    @property
    def migration_name_fragment(self):
        return f"alter_{self.name_lower}_{self.option_name}"


class AlterModelOptions(ModelOperation):
    """Change Meta options that have no schema (ordering, verbose names...): state only."""

    category = OperationCategory.ALTERATION
    # The options this operation owns: one of them missing from ``options`` goes back to its default.
    ALTER_OPTION_KEYS = [
        "base_manager_name", "default_manager_name", "default_related_name", "get_latest_by", "managed",
        "ordering", "permissions", "default_permissions", "select_on_save", "verbose_name", "verbose_name_plural",
    ]  # fmt: skip

    def __init__(self, name: str, options: dict):
        self.options = options
        super().__init__(name)

    def deconstruct(self):
        return type(self).__name__, [], {"name": self.name, "options": self.options}

    def state_forwards(self, app_label, state):
        state.alter_model_options(app_label, self.name_lower, self.options, self.ALTER_OPTION_KEYS)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return f"Change Meta options on {self.name}"

    @property
    def migration_name_fragment(self):
        return f"alter_{self.name_lower}_options"
