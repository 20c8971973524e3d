"""The optimizer: fewer operations that do the same.

How it works: ``MigrationOptimizer().optimize(operations, app_label)`` looks
at each operation and the ones after it, asking ``operation.reduce(other,
app_label)``: a list means "these two are the same as this list" (a
``CreateModel`` and an ``AddField`` on it are one ``CreateModel``; a
``CreateModel`` and its ``DeleteModel`` are nothing), ``True`` means "``other``
does not touch me, it may move past me", ``False`` means it may not. Two
operations merge when the ones between them let the result move to where it
lands. One pass merges at most one pair; passes repeat until nothing changes.

>>> MigrationOptimizer().optimize([], "blog")
[]
"""

__all__ = ["MigrationOptimizer"]


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
    """``operation.reduce(other, app_label)``; an operation without ``reduce`` merges with nothing."""
    method = getattr(operation, "reduce", None)
    return method(other, app_label) if method is not None else False
