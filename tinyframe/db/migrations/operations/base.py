"""Operation: one step of a migration, told twice — to the project state and to the database.

How it works: a migration file lists operations (``CreateModel(...)``,
``AddField(...)``). Applying one is two calls:

1. ``state_forwards(app_label, state)`` changes an in-memory
   ``ProjectState`` (no database: this is how the loader rebuilds the models
   of any point in history);
2. ``database_forwards(app_label, schema_editor, from_state, to_state)``
   changes the schema, reading the historical models from the two states
   (``from_state.apps.get_model(...)``) and calling the schema editor.

``database_backwards`` undoes step 2 with the same two states. ``describe()``
is the line ``makemigrations`` and ``sqlmigrate`` print; ``deconstruct()``
is how the writer prints the operation back into a file; and
``migration_name_fragment`` is what ``Migration.suggest_name`` builds a file
name from.
"""

import enum

__all__ = ["Operation", "OperationCategory"]


class OperationCategory(str, enum.Enum):
    """The symbol ``makemigrations`` prints before an operation's description."""

    ADDITION = "+"
    REMOVAL = "-"
    ALTERATION = "~"
    PYTHON = "p"
    SQL = "s"
    MIXED = "?"


class Operation:
    """The base of every migration operation.

    Class attributes say how the operation behaves in a migration:
    ``reversible`` (can it be unapplied), ``reduces_to_sql`` (can
    ``sqlmigrate`` print it), ``atomic`` (must it run in a transaction of its
    own even in a non-atomic migration) and ``elidable`` (may squashing drop it).
    """

    reversible = True
    reduces_to_sql = True
    atomic = False
    elidable = False
    # Arguments the writer spreads over several lines (lists of fields).
    serialization_expand_args = []
    category = None

    def __new__(cls, *args, **kwargs):
        # Kept so that an operation written without its own deconstruct() can still be written back.
        operation = object.__new__(cls)
        operation._constructor_args = (args, kwargs)
        return operation

    def deconstruct(self) -> tuple[str, list, dict]:
        """``(class name, args, kwargs)``: the call that makes this operation again."""
        args, kwargs = self._constructor_args
        return type(self).__name__, list(args), dict(kwargs)

    def state_forwards(self, app_label: str, state) -> None:
        """Change ``state`` (a ProjectState) as this operation changes the models."""
        raise NotImplementedError("subclasses of Operation must provide a state_forwards() method")

    def database_forwards(self, app_label: str, schema_editor, from_state, to_state) -> None:
        """Change the schema from what ``from_state`` describes to what ``to_state`` does."""
        raise NotImplementedError("subclasses of Operation must provide a database_forwards() method")

    def database_backwards(self, app_label: str, schema_editor, from_state, to_state) -> None:
        """Undo ``database_forwards``: the schema goes from ``from_state`` back to ``to_state``."""
        raise NotImplementedError("subclasses of Operation must provide a database_backwards() method")

    def describe(self) -> str:
        """One line saying what the operation does (``makemigrations`` prints it)."""
        return f"{type(self).__name__}: {self._constructor_args}"

    def formatted_description(self) -> str:
        """``describe()`` after the category's symbol: ``+ Add field slug to post``."""
        category = self.category or OperationCategory.MIXED
        return f"{category.value} {self.describe()}"

    @property
    def migration_name_fragment(self) -> str | None:
        """A piece of a migration's file name (``post_slug``), or None if the operation has none."""
        return None

    def references_model(self, name: str, app_label: str) -> bool:
        """Whether the operation may involve the model ``name`` (lower case); True unless it knows better."""
        return True

    def references_field(self, model_name: str, name: str, app_label: str) -> bool:
        """Whether the operation may involve the field ``name`` of ``model_name``."""
        return self.references_model(model_name, app_label)

    def allow_migrate_model(self, connection_alias, model) -> bool:
        """Whether the schema of ``model`` is ours to change (not an unmanaged model, not a proxy)."""
        return model._meta.can_migrate(connection_alias)

    def reduce(self, operation, app_label: str):
        """A shorter list of operations doing what ``self`` then ``operation`` do, or False (for the optimizer)."""
        if self.elidable:
            return [operation]
        if operation.elidable:
            return [self]
        return False

    def __repr__(self):
        args, kwargs = self._constructor_args
        # Django's layout: positional arguments by commas, then each keyword after a space.
        positional = ", ".join(repr(arg) for arg in args)
        keywords = ",".join(f" {key}={value!r}" for key, value in kwargs.items())
        return f"<{type(self).__name__} {positional}{keywords}>"
