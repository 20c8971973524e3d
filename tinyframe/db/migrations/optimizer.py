"""The optimizer: fewer operations that do the same.

How it works: ``MigrationOptimizer().optimize(operations, app_label)`` looks
at each operation and the ones after it, asking ``operation.reduce(other,
app_label)``: a list means "these two are the same as this list" (a
``CreateModel`` and an ``AddField`` on it are one ``CreateModel``; a
``CreateModel`` and its ``DeleteModel`` are nothing), ``True`` means "``other``
does not touch me, it may move past me", ``False`` means it may not. Two
operations merge when the ones between them let the result move to where it
lands. One pass merges at most one pair; passes repeat until nothing changes.

Django writes each rule in the operation's own ``reduce()`` method;
tinyframe keeps the rules together here (``REDUCERS``, one function per kind
of left-hand operation), so the whole of what merges with what reads as one
table. An operation class with a ``reduce()`` of its own is asked first.

>>> MigrationOptimizer().optimize([], "blog")
[]
"""

from tinyframe.db.migrations import operations as ops
from tinyframe.db.migrations.operations.base import Operation

__all__ = ["MigrationOptimizer", "reduce"]


class MigrationOptimizer:
    """Merge operations of one app's migration; the result does the same with fewer (or as many) operations."""

    def optimize(self, operations: list, app_label: str) -> list:
        """The operations, merged until no pair merges any more."""
        if app_label is None:
            raise TypeError("app_label must be a str.")
        while True:
            result = self.optimize_inner(operations, app_label)
            if result == operations:
                return result
            operations = result

    def optimize_inner(self, operations: list, app_label: str) -> list:
        """One pass: merge the first pair that can merge, and return the new list."""
        new_operations = []
        for position, operation in enumerate(operations):
            # The merged operation goes on the right (where `other` was) while
            # every operation in between could be crossed by `operation`;
            # otherwise on the left, if `other` can cross everything in between.
            right = True
            for offset, other in enumerate(operations[position + 1:]):
                result = reduce(operation, other, app_label)
                if isinstance(result, list):
                    in_between = operations[position + 1:position + offset + 1]
                    if right:
                        new_operations.extend(in_between)
                        new_operations.extend(result)
                    elif all(reduce(between, other, app_label) is True for between in in_between):
                        new_operations.extend(result)
                        new_operations.extend(in_between)
                    else:
                        new_operations.append(operation)
                        break
                    new_operations.extend(operations[position + offset + 2:])
                    return new_operations
                if not result:
                    right = False
            else:
                new_operations.append(operation)
        return new_operations


def reduce(operation, other, app_label: str):
    """What ``operation`` then ``other`` reduce to: a list of operations, True (``other`` may cross), or False."""
    own = type(operation).reduce
    if own is not Operation.reduce:
        return operation.reduce(other, app_label)
    if operation.elidable:
        return [other]
    if other.elidable:
        return [operation]
    for kind, reducer in REDUCERS:
        if isinstance(operation, kind):
            return reducer(operation, other, app_label)
    return False


# -- the rules: one function per kind of left-hand operation ------------------------------


# Operations nothing moves past, whatever model they name, as in Django: a deleted model's
# relations can point at any model, and index and constraint operations claim every model.
BARRIERS = (ops.DeleteModel, ops.AddIndex, ops.RemoveIndex, ops.AddConstraint, ops.RemoveConstraint)


def references_model(other, name: str, app_label: str) -> bool:
    """Whether ``other`` may involve the model ``name`` (a barrier always may)."""
    return isinstance(other, BARRIERS) or other.references_model(name, app_label)


def references_field(other, model_name: str, name: str, app_label: str) -> bool:
    """Whether ``other`` may involve the field ``name`` of ``model_name`` (a barrier always may)."""
    return isinstance(other, BARRIERS) or other.references_field(model_name, name, app_label)


def can_cross_model(operation, other, app_label: str, name: str | None = None) -> bool:
    """``other`` may move past an operation on model ``name`` if it does not involve that model."""
    return not references_model(other, name or operation.name, app_label)


def can_cross_field(operation, other, app_label: str) -> bool:
    """``other`` may move past an operation on a field if it does not involve that field."""
    return not references_field(other, operation.model_name, operation.name, app_label)


def same_field(operation, other) -> bool:
    return (getattr(other, "model_name", None) or "").lower() == operation.model_name.lower() and \
        getattr(other, "name", "").lower() == operation.name.lower() and hasattr(other, "field")


def reduce_create_model(operation, other, app_label: str):
    """A CreateModel absorbs what later happens to its model in the same migration."""
    name = operation.name.lower()

    def create(**changes):
        arguments = {"name": operation.name, "fields": list(operation.fields), "options": dict(operation.options),
                     "bases": operation.bases, "managers": operation.managers}
        arguments.update(changes)
        return [type(operation)(**arguments)]

    if isinstance(other, ops.DeleteModel) and other.name.lower() == name and not operation.options.get("proxy"):
        return []
    if isinstance(other, ops.RenameModel) and other.old_name.lower() == name:
        return create(name=other.new_name)
    if isinstance(other, ops.AlterModelOptions) and other.name.lower() == name:
        options = {**operation.options, **other.options}
        for key in ops.AlterModelOptions.ALTER_OPTION_KEYS:
            if key not in other.options:
                options.pop(key, None)
        return create(options=options)
    if isinstance(other, ops.AlterUniqueTogether) and other.name.lower() == name:
        return create(options={**operation.options, "unique_together": other.unique_together})
    if isinstance(other, ops.AlterModelTable) and other.name.lower() == name:
        return create(options={**operation.options, "db_table": other.table})
    if isinstance(other, (ops.AddIndex, ops.AddConstraint, ops.RemoveIndex, ops.RemoveConstraint)) \
            and other.model_name.lower() == name:
        options = dict(operation.options)
        if isinstance(other, ops.AddIndex):
            options["indexes"] = [*options.get("indexes", []), other.index]
        elif isinstance(other, ops.AddConstraint):
            options["constraints"] = [*options.get("constraints", []), other.constraint]
        elif isinstance(other, ops.RemoveIndex):
            options["indexes"] = [index for index in options.get("indexes", []) if index.name != other.name]
        else:
            options["constraints"] = [c for c in options.get("constraints", []) if c.name != other.name]
        return create(options=options)
    if isinstance(other, (ops.AddField, ops.AlterField, ops.RemoveField, ops.RenameField)) \
            and other.model_name.lower() == name:
        fields = list(operation.fields)
        options = dict(operation.options)
        if isinstance(other, ops.AddField):
            fields.append((other.name, other.field))
        elif isinstance(other, ops.AlterField):
            fields = [(field_name, other.field if field_name.lower() == other.name.lower() else field)
                      for field_name, field in fields]
        elif isinstance(other, ops.RemoveField):
            fields = [(field_name, field) for field_name, field in fields
                      if field_name.lower() != other.name.lower()]
            # The removed field leaves every unique_together tuple (and a tuple left empty goes).
            kept = {tuple(name for name in names if name != other.name.lower())
                    for names in options.pop("unique_together", None) or ()} - {()}
            if kept:
                options["unique_together"] = kept
        else:
            fields = [(other.new_name if field_name.lower() == other.old_name.lower() else field_name, field)
                      for field_name, field in fields]
            if options.get("unique_together"):
                options["unique_together"] = {
                    tuple(other.new_name if field_name == other.old_name else field_name for field_name in names)
                    for names in options["unique_together"]
                }
        return create(fields=fields, options=options)
    return can_cross_model(operation, other, app_label)


def reduce_rename_model(operation, other, app_label: str):
    """Two renames in a row are one; otherwise only operations not involving the new name may cross."""
    if isinstance(other, ops.RenameModel) and operation.new_name.lower() == other.old_name.lower():
        return [type(operation)(operation.old_name, other.new_name)]
    return can_cross_model(operation, other, app_label, operation.new_name)


def reduce_model_option(operation, other, app_label: str):
    """A later change of the same option, or the model's deletion, makes this one pointless."""
    if isinstance(other, (type(operation), ops.DeleteModel)) and other.name.lower() == operation.name.lower():
        return [other]
    return can_cross_model(operation, other, app_label)


def reduce_add_field(operation, other, app_label: str):
    """Added then altered: added altered. Added then removed: nothing. Added then renamed: added renamed."""
    if isinstance(other, ops.AlterField) and same_field(operation, other):
        return [type(operation)(model_name=operation.model_name, name=operation.name, field=other.field)]
    if isinstance(other, ops.RemoveField) and same_field(operation, other):
        return []
    if isinstance(other, ops.RenameField) and other.model_name.lower() == operation.model_name.lower() \
            and other.old_name.lower() == operation.name.lower():
        return [type(operation)(model_name=operation.model_name, name=other.new_name, field=operation.field)]
    return can_cross_field(operation, other, app_label)


def reduce_remove_field(operation, other, app_label: str):
    """A field removed from a model then deleted: the deletion alone."""
    if isinstance(other, ops.DeleteModel) and other.name.lower() == operation.model_name.lower():
        return [other]
    return can_cross_field(operation, other, app_label)


def reduce_alter_field(operation, other, app_label: str):
    """A field altered then altered again or removed: the later operation alone."""
    if isinstance(other, (ops.AlterField, ops.RemoveField)) and same_field(operation, other):
        return [other]
    if isinstance(other, ops.RenameField) and other.model_name.lower() == operation.model_name.lower() \
            and other.old_name.lower() == operation.name.lower() and not getattr(operation.field, "db_column", None):
        return [other, type(operation)(model_name=operation.model_name, name=other.new_name, field=operation.field)]
    return can_cross_field(operation, other, app_label)


def reduce_rename_field(operation, other, app_label: str):
    """Two renames of one field in a row are one."""
    if isinstance(other, ops.RenameField) and other.model_name.lower() == operation.model_name.lower() \
            and operation.new_name.lower() == other.old_name.lower():
        return [type(operation)(operation.model_name, operation.old_name, other.new_name)]
    return not (references_field(other, operation.model_name, operation.old_name, app_label)
                or references_field(other, operation.model_name, operation.new_name, app_label))


def reduce_add_index(operation, other, app_label: str):
    """An index (or constraint) added then removed by name is nothing; nothing else crosses it."""
    added = getattr(operation, "index", None) or getattr(operation, "constraint", None)
    remover = ops.RemoveIndex if isinstance(operation, ops.AddIndex) else ops.RemoveConstraint
    if isinstance(other, remover) and other.model_name.lower() == operation.model_name.lower() \
            and other.name == added.name:
        return []
    return False


# The left-hand operation's kind, and the rule for what follows it (the first kind that matches).
REDUCERS = [
    (ops.CreateModel, reduce_create_model),
    (ops.RenameModel, reduce_rename_model),
    ((ops.AlterModelOptions, ops.AlterUniqueTogether, ops.AlterModelTable), reduce_model_option),
    (ops.DeleteModel, can_cross_model),
    (ops.AddField, reduce_add_field),
    (ops.RemoveField, reduce_remove_field),
    (ops.AlterField, reduce_alter_field),
    (ops.RenameField, reduce_rename_field),
    ((ops.AddIndex, ops.AddConstraint), reduce_add_index),
]
