"""Every migration operation, importable as ``migrations.AddField`` (see ``tinyframe.db.migrations``)."""

from tinyframe.db.migrations.operations.fields import AddField, AlterField, RemoveField, RenameField
from tinyframe.db.migrations.operations.indexes import AddConstraint, AddIndex, RemoveConstraint, RemoveIndex
from tinyframe.db.migrations.operations.models import (
    AlterModelOptions, AlterModelTable, AlterUniqueTogether, CreateModel, DeleteModel, RenameModel,
)  # fmt: skip
from tinyframe.db.migrations.operations.special import RunPython, RunSQL, SeparateDatabaseAndState

__all__ = [
    "AddConstraint", "AddField", "AddIndex", "AlterField", "AlterModelOptions", "AlterModelTable",
    "AlterUniqueTogether", "CreateModel", "DeleteModel", "RemoveConstraint", "RemoveField", "RemoveIndex",
    "RenameField", "RenameModel", "RunPython", "RunSQL", "SeparateDatabaseAndState",
]  # fmt: skip
