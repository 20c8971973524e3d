"""Migration: a named list of operations, with the migrations it comes after.

How it works: a file ``blog/migrations/0002_post_slug.py`` defines
``class Migration(migrations.Migration)`` with class attributes
(``dependencies``, ``operations``, ``initial``, ``replaces``,
``run_before``, ``atomic``); the loader makes ONE instance of it,
``Migration("0002_post_slug", "blog")``, which copies the lists so that
changing them (the loader does, for replaced migrations) changes no class.

``apply(state, schema_editor)`` runs each operation in order: a copy of the
state as it was, ``state_forwards`` on the state, then ``database_forwards``
from the copy to the state; it returns the state after the migration.
``unapply`` first computes the state before each operation, then runs
``database_backwards`` last operation first. With ``collect_sql`` (what
``sqlmigrate`` uses) each operation's SQL is preceded by a ``-- describe()``
comment and nothing runs.

``suggest_name()`` is how ``makemigrations`` names a new file from its
operations: ``initial``, ``post_slug``, ``remove_post_slug``...
"""

import datetime
import re

from tinyframe.db import transaction
from tinyframe.db.migrations.exceptions import IrreversibleError

__all__ = ["Migration", "SwappableTuple", "swappable_dependency"]


class Migration:
    """The base class of every migration file's ``Migration``; an instance is one migration of one app."""

    # The operations, in the order they run.
    operations = []
    # (app_label, migration_name) pairs that must be applied first.
    dependencies = []
    # (app_label, migration_name) pairs that must be applied after this one.
    run_before = []
    # Names of migrations of this app that this one (a squashed migration) replaces.
    replaces = []
    # True for a migration that creates an app's first tables (``migrate --fake-initial`` may skip it);
    # None: decided by whether it depends on a migration of its own app.
    initial = None
    # Whether the whole migration runs in one transaction.
    atomic = True

    def __init__(self, name: str, app_label: str):
        self.name = name
        self.app_label = app_label
        self.operations = list(type(self).operations)
        self.dependencies = list(type(self).dependencies)
        self.run_before = list(type(self).run_before)
        self.replaces = list(type(self).replaces)

    def __eq__(self, other):
        return isinstance(other, Migration) and (self.name, self.app_label) == (other.name, other.app_label)

    def __hash__(self):
        return hash(f"{self.app_label}.{self.name}")

    def __repr__(self):
        return f"<Migration {self.app_label}.{self.name}>"

    def __str__(self):
        return f"{self.app_label}.{self.name}"

    def mutate_state(self, project_state, preserve: bool = True):
        """The state after this migration's operations (on a copy of ``project_state`` unless told not to)."""
        new_state = project_state.clone() if preserve else project_state
        for operation in self.operations:
            operation.state_forwards(self.app_label, new_state)
        return new_state

    def apply(self, project_state, schema_editor, collect_sql: bool = False):
        """Run the operations forwards on the database; return ``project_state``, moved past this migration."""
        for operation in self.operations:
            if collect_sql and not self.collect_comment(operation, schema_editor):
                continue
            statements_before = len(schema_editor.collected_sql)
            if not collect_sql:
                render_before_changing(project_state)
            was_rendered = project_state._apps is not None
            before = project_state.clone()
            operation.state_forwards(self.app_label, project_state)
            if was_rendered:
                # A state once rendered stays rendered, as Django's does (it renders
                # the changed model again at once): the models after are the newer.
                render_before_changing(project_state)
            self.run_operation(operation, schema_editor, "database_forwards", before, project_state)
            if collect_sql and len(schema_editor.collected_sql) == statements_before:
                schema_editor.collected_sql.append("-- (no-op)")
        return project_state

    def unapply(self, project_state, schema_editor, collect_sql: bool = False):
        """Undo the operations on the database, last first; ``project_state`` is the state before this migration.

        The state before and after each operation is computed first (going
        forwards is the only way to know them); an operation that cannot be
        undone stops everything before the database is touched.
        """
        steps = []
        state = project_state
        for operation in self.operations:
            if not operation.reversible:
                raise IrreversibleError(f"Operation {operation} in {self} is not reversible")
            if not collect_sql:
                render_before_changing(state)
            before = state.clone()
            state = before.clone()
            operation.state_forwards(self.app_label, state)
            steps.insert(0, (operation, before, state))
        for operation, before, after in steps:
            if collect_sql and not self.collect_comment(operation, schema_editor):
                continue
            statements_before = len(schema_editor.collected_sql)
            self.run_operation(operation, schema_editor, "database_backwards", after, before)
            if collect_sql and len(schema_editor.collected_sql) == statements_before:
                schema_editor.collected_sql.append("-- (no-op)")
        return project_state

    def collect_comment(self, operation, schema_editor) -> bool:
        """Write the ``-- describe()`` lines ``sqlmigrate`` prints; False if the operation has no SQL to show."""
        schema_editor.collected_sql.extend(["--", f"-- {operation.describe()}", "--"])
        if not operation.reduces_to_sql:
            schema_editor.collected_sql.append("-- THIS OPERATION CANNOT BE WRITTEN AS SQL")
            return False
        return True

    def run_operation(self, operation, schema_editor, method: str, from_state, to_state) -> None:
        """Call ``operation.<method>``; in a transaction of its own if it must be atomic and the editor's is not."""
        run = getattr(operation, method)
        atomic_operation = operation.atomic or (self.atomic and operation.atomic is not False)
        if atomic_operation and not schema_editor.atomic_migration:
            with transaction.atomic(schema_editor.connection.alias):
                run(self.app_label, schema_editor, from_state, to_state)
        else:
            run(self.app_label, schema_editor, from_state, to_state)

    def suggest_name(self) -> str:
        """The name ``makemigrations`` gives this migration's file (after the number), from its operations.

        Exercise 08.6. The rules, in order:

        - an initial migration (``self.initial`` is true) is ``"initial"``;
        - otherwise take each operation's ``migration_name_fragment``
          (``"post_slug"`` for ``AddField("post", "slug", ...)``) with every
          run of non-word characters (regex ``\\W+``) replaced by ``"_"``;
        - if there are no operations, or any operation has no fragment
          (None or ""), the name is ``"auto_"`` and the current local time as
          ``%Y%m%d_%H%M`` (``"auto_20260131_1745"``);
        - otherwise join the fragments with ``"_"``, adding one at a time; when
          adding the next would make the name longer than 52 characters,
          stop and end the name with ``"_and_more"`` instead.

        >>> from tinyframe.db.migrations.operations import RemoveField
        >>> migration = Migration("0002", "blog")
        >>> migration.operations = [RemoveField("post", "slug"), RemoveField("post", "title")]
        >>> migration.suggest_name()
        'remove_post_slug_remove_post_title'
        """
        if self.initial:
            return "initial"
        fragments = [operation.migration_name_fragment for operation in self.operations]
        if not fragments or not all(fragments):
            return f"auto_{datetime.datetime.now():%Y%m%d_%H%M}"
        fragments = [re.sub(r"\W+", "_", fragment) for fragment in fragments]
        name = fragments[0]
        for fragment in fragments[1:]:
            longer = f"{name}_{fragment}"
            if len(longer) > 52:
                return f"{name}_and_more"
            name = longer
        return name


def render_before_changing(state) -> None:
    """Render ``state``'s models now, before an operation changes a copy of it.

    Why: each field has a creation counter that orders a model's fields, so
    models rendered later have later fields. Rendering the state before an
    operation first (as Django's executor does for ``migrate``) makes the
    fields of the state after it the newer ones, so a table the schema editor
    rebuilds gets an added column last, as Django's ``migrate`` does.
    ``sqlmigrate`` (``collect_sql``) does not render first, in Django either:
    its printed rebuilds list an added column first, and so do ours.
    """
    state.apps


class SwappableTuple(tuple):
    """A dependency on the model a setting names (``AUTH_USER_MODEL``): a tuple that remembers the setting."""

    def __new__(cls, value, setting: str):
        self = tuple.__new__(cls, value)
        self.setting = setting
        return self


def swappable_dependency(value: str) -> SwappableTuple:
    """The dependency on the first migration of the app of ``"app_label.Model"``.

    >>> swappable_dependency("auth.User")
    ('auth', '__first__')
    """
    return SwappableTuple((value.split(".", 1)[0], "__first__"), value)
