"""The errors of the migration machinery, each saying which migration or node went wrong.

How it works: the loader raises ``BadMigrationError`` for a file it cannot
use and ``AmbiguityError`` for a name prefix matching several; the graph
raises ``NodeNotFoundError`` for a dependency it does not know and
``CircularDependencyError`` for a cycle; the executor raises
``InconsistentMigrationHistory`` when an applied migration's dependency is
not applied, ``InvalidMigrationPlan`` for a plan it cannot follow, and
``IrreversibleError`` when asked to unapply an operation that cannot be undone.
The names and bases are Django's, so ``except`` clauses port unchanged.
"""

from tinyframe.db import DatabaseError

__all__ = [
    "AmbiguityError", "BadMigrationError", "CircularDependencyError", "InconsistentMigrationHistory",
    "InvalidBasesError", "InvalidMigrationPlan", "IrreversibleError", "MigrationSchemaMissing",
    "NodeNotFoundError",
]  # fmt: skip


class AmbiguityError(Exception):
    """A migration name prefix matches more than one migration."""


class BadMigrationError(Exception):
    """A migration module cannot be used: it does not import, or has no ``Migration`` class."""


class CircularDependencyError(Exception):
    """Migrations depend on each other in a cycle, so none can go first."""


class InconsistentMigrationHistory(Exception):
    """A migration is recorded as applied while one of its dependencies is not."""


class InvalidBasesError(ValueError):
    """A model state's bases name models that the state does not have."""


class IrreversibleError(RuntimeError):
    """An operation that cannot be undone was asked to run backwards."""


class NodeNotFoundError(LookupError):
    """A migration was named (as a target or a dependency) that the graph does not have.

    ``node`` is the ``(app_label, migration_name)`` pair; ``origin`` the
    migration whose dependency it was, if any.
    """

    def __init__(self, message: str, node, origin=None):
        super().__init__(message)
        self.message = message
        self.origin = origin
        self.node = node

    def __str__(self):
        return self.message

    def __repr__(self):
        return f"NodeNotFoundError({self.node!r})"


class MigrationSchemaMissing(DatabaseError):
    """The table recording applied migrations cannot be created."""


class InvalidMigrationPlan(ValueError):
    """A migration plan mixes forwards and backwards steps, or cannot otherwise be run."""
