"""Operations on one field of a model: add, remove, alter, rename.

How it works: each operation names its model (``model_name``, in any case)
and field (``name``), changes the model's state (``state_forwards``) and
asks the schema editor for the same change on the table, with the
historical models of the two states:

- ``AddField``: ``schema_editor.add_field(model, field)``; a ``default``
  given only to fill the existing rows (``preserve_default=False``) is used
  for the rows and then left out of the state;
- ``RemoveField``: ``remove_field`` (backwards: ``add_field`` again, with
  the field as the earlier state had it);
- ``AlterField``: ``alter_field(model, old_field, new_field)``;
- ``RenameField``: ``alter_field`` with the same field under two names.

On SQLite most of these rebuild the table (``_remake_table``); the
operations do not care how the editor does it.
"""

from tinyframe.db.models import NOT_PROVIDED
from tinyframe.db.migrations.operations.base import Operation, OperationCategory
from tinyframe.db.migrations.state import field_references_model, relation_label


class FieldOperation(Operation):
    """An operation on the field ``name`` of the model ``model_name``."""

    def __init__(self, model_name: str, name: str, field=None):
        self.model_name = model_name
        self.name = name
        self.field = field

    @property
    def model_name_lower(self) -> str:
        """The model's name in lower case, as state keys hold it."""
        return self.model_name.lower()

    @property
    def name_lower(self) -> str:
        """The field's name in lower case."""
        return self.name.lower()

    def is_same_model_operation(self, operation) -> bool:
        """Whether ``operation`` is on the same model (the optimizer asks)."""
        return self.model_name_lower == operation.model_name_lower

    def is_same_field_operation(self, operation) -> bool:
        """Whether ``operation`` is on the same field of the same model."""
        return self.is_same_model_operation(operation) and self.name_lower == operation.name_lower

    def references_model(self, name: str, app_label: str) -> bool:
        name_lower = name.lower()
        if name_lower == self.model_name_lower:
            return True
        return self.field is not None and field_references_model(self.field, f"{app_label}.{name_lower}", app_label)

    def references_field(self, model_name: str, name: str, app_label: str) -> bool:
        if model_name.lower() == self.model_name_lower:
            return name.lower() == self.name_lower
        if self.field is not None and self.field.is_relation:
            if relation_label(self.field, app_label) != f"{app_label}.{model_name.lower()}":
                return False
            to_field = getattr(self.field.remote_field, "field_name", None)
            return to_field is None or to_field == name
        return False


class FieldDefinitionOperation(FieldOperation):
    """An operation giving a field its definition (``AddField``, ``AlterField``), with ``preserve_default``.

    ``preserve_default=False``: the field's default is there only to fill the
    rows already in the table; the state keeps the field without it.
    """

    def __init__(self, model_name: str, name: str, field, preserve_default: bool = True):
        self.preserve_default = preserve_default
        super().__init__(model_name, name, field)

    def deconstruct(self):
        kwargs = {"model_name": self.model_name, "name": self.name, "field": self.field}
        if self.preserve_default is not True:
            kwargs["preserve_default"] = self.preserve_default
        return type(self).__name__, [], kwargs


class AddField(FieldDefinitionOperation):
    """Add a column: ``AddField("post", "slug", models.SlugField(default=""))``."""

    category = OperationCategory.ADDITION

    def state_forwards(self, app_label: str, state) -> None:
        """Add ``self.field`` to the model's state in ``state`` under ``self.name``.

        Exercise 08.1. The model's state is ``state.models[app_label,
        self.model_name_lower]`` (a ``ModelState``; its ``fields`` is a dict
        of name to field, in order). Add the field at the end of it, then call
        ``state.reload_model(app_label, self.model_name_lower)`` so the models
        rendered from the state (``state.apps``) are made again.

        ``preserve_default=False`` means the field's default was only there to
        fill the rows already in the table: put a copy of the field
        (``self.field.clone()``) in the state, with ``default`` set to
        ``NOT_PROVIDED``; never change ``self.field`` itself, the operation
        is applied again each time the migrations are loaded.

        Two errors, with these exact messages:

        - no such model in the state: ``LookupError("Cannot add field 'slug'
          to blog.post: the project state has no model blog.post.")``;
        - the model already has a field of that name: ``ValueError("Cannot
          add field 'slug' to blog.post: it already has a field named
          'slug'.")``.
        """
        model_key = app_label, self.model_name_lower
        label = f"{app_label}.{self.model_name_lower}"
        model_state = state.models.get(model_key)
        if model_state is None:
            raise LookupError(f"Cannot add field '{self.name}' to {label}: the project state has no model {label}.")
        if self.name in model_state.fields:
            raise ValueError(f"Cannot add field '{self.name}' to {label}: it already has a field named '{self.name}'.")
        field = self.field
        if not self.preserve_default:
            field = field.clone()
            field.default = NOT_PROVIDED
        model_state.fields[self.name] = field
        state.reload_model(*model_key)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        to_model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, to_model):
            return
        from_model = from_state.apps.get_model(app_label, self.model_name)
        field = to_model._meta.get_field(self.name)
        if not self.preserve_default:
            # The one-off default fills the existing rows; the state keeps none.
            field.default = self.field.default
        schema_editor.add_field(from_model, field)
        if not self.preserve_default:
            field.default = NOT_PROVIDED

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        from_model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, from_model):
            schema_editor.remove_field(from_model, from_model._meta.get_field(self.name))

    def describe(self):
        return f"Add field {self.name} to {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name_lower}_{self.name_lower}"


class RemoveField(FieldOperation):
    """Drop a column: ``RemoveField("post", "slug")``; backwards, the column comes back (its values do not)."""

    category = OperationCategory.REMOVAL

    def deconstruct(self):
        return type(self).__name__, [], {"model_name": self.model_name, "name": self.name}

    def state_forwards(self, app_label, state):
        state.remove_field(app_label, self.model_name_lower, self.name)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        from_model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, from_model):
            schema_editor.remove_field(from_model, from_model._meta.get_field(self.name))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        to_model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, to_model):
            from_model = from_state.apps.get_model(app_label, self.model_name)
            schema_editor.add_field(from_model, to_model._meta.get_field(self.name))

    def describe(self):
        return f"Remove field {self.name} from {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"remove_{self.model_name_lower}_{self.name_lower}"


class AlterField(FieldDefinitionOperation):
    """Change a field's definition: ``AlterField("post", "title", models.CharField(max_length=300))``."""

    category = OperationCategory.ALTERATION

    def state_forwards(self, app_label, state):
        state.alter_field(app_label, self.model_name_lower, self.name, self.field, self.preserve_default)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        to_model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, to_model):
            return
        from_model = from_state.apps.get_model(app_label, self.model_name)
        from_field = from_model._meta.get_field(self.name)
        to_field = to_model._meta.get_field(self.name)
        if not self.preserve_default:
            # A null column made NOT NULL fills its NULLs with the one-off default.
            to_field.default = self.field.default
        schema_editor.alter_field(from_model, from_field, to_field)
        if not self.preserve_default:
            to_field.default = NOT_PROVIDED

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self.database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Alter field {self.name} on {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"alter_{self.model_name_lower}_{self.name_lower}"


class RenameField(FieldOperation):
    """Rename a field (and its column, unless ``db_column`` fixes it): ``RenameField("post", "title", "headline")``."""

    category = OperationCategory.ALTERATION

    def __init__(self, model_name: str, old_name: str, new_name: str):
        self.old_name = old_name
        self.new_name = new_name
        super().__init__(model_name, old_name)

    @property
    def old_name_lower(self) -> str:
        """``old_name`` in lower case."""
        return self.old_name.lower()

    @property
    def new_name_lower(self) -> str:
        """``new_name`` in lower case."""
        return self.new_name.lower()

    def deconstruct(self):
        return type(self).__name__, [], {
            "model_name": self.model_name, "old_name": self.old_name, "new_name": self.new_name,
        }  # fmt: skip

    def state_forwards(self, app_label, state):
        state.rename_field(app_label, self.model_name_lower, self.old_name, self.new_name)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        to_model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, to_model):
            from_model = from_state.apps.get_model(app_label, self.model_name)
            schema_editor.alter_field(
                from_model, from_model._meta.get_field(self.old_name), to_model._meta.get_field(self.new_name)
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        to_model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, to_model):
            from_model = from_state.apps.get_model(app_label, self.model_name)
            schema_editor.alter_field(
                from_model, from_model._meta.get_field(self.new_name), to_model._meta.get_field(self.old_name)
            )

    def references_field(self, model_name, name, app_label):
        return self.references_model(model_name, app_label) and name.lower() in (
            self.old_name_lower, self.new_name_lower,
        )  # fmt: skip

    def describe(self):
        return f"Rename field {self.old_name} on {self.model_name} to {self.new_name}"

    @property
    def migration_name_fragment(self):
        return f"rename_{self.old_name_lower}_{self.model_name_lower}_{self.new_name_lower}"
