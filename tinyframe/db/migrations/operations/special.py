"""Operations written by hand: Python code, raw SQL, and state and schema changed separately.

How it works: ``makemigrations`` never writes these; a person adds them to a
migration (often one made with ``makemigrations --empty``):

- ``RunPython(forwards, backwards)`` calls ``forwards(apps, schema_editor)``
  with ``apps`` the HISTORICAL models (``apps.get_model("blog", "Post")``
  is the Post of that point in history, not of ``models.py``): a data
  migration. It changes no state.
- ``RunSQL(sql, reverse_sql)`` runs SQL: a string of statements, or a list
  of statements, each a string or a ``(sql, params)`` pair. Its
  ``state_operations`` say what the SQL did to the models, if anything.
- ``SeparateDatabaseAndState(database_operations, state_operations)`` runs
  one list on the database and tells the state the other.

Without a reverse (``reverse_code`` / ``reverse_sql``) the operation, and so
its migration, cannot be unapplied; ``RunPython.noop`` and ``RunSQL.noop``
are the reverses that do nothing.
"""

import sqlite3

from tinyframe.db.backends.sqlite3.operations import convert_placeholders
from tinyframe.db.migrations.operations.base import Operation, OperationCategory

__all__ = ["RunPython", "RunSQL", "SeparateDatabaseAndState", "split_sql_script"]


def split_sql_script(script: str) -> list[str]:
    """The statements of an SQL script, each whole (a ``;`` inside a string does not end one).

    >>> split_sql_script("INSERT INTO t VALUES ('a;b'); -- note\\nDELETE FROM t;")
    ["INSERT INTO t VALUES ('a;b');", 'DELETE FROM t;']
    """
    statements, current = [], ""
    for piece in script.split(";"):
        current += piece + ";"
        if sqlite3.complete_statement(current):
            statement = strip_comments(current).strip()
            if statement != ";":
                statements.append(statement)
            current = ""
    rest = strip_comments(current[:-1]).strip()  # what follows the last ";"
    if rest:
        statements.append(rest)
    return statements


def strip_comments(sql: str) -> str:
    """``sql`` without its ``--`` comment lines (a statement's own text is kept as written)."""
    return "\n".join(line for line in sql.splitlines() if not line.strip().startswith("--"))


class SeparateDatabaseAndState(Operation):
    """Tell the state ``state_operations`` and the database ``database_operations``, for changes that differ."""

    category = OperationCategory.MIXED
    serialization_expand_args = ["database_operations", "state_operations"]

    def __init__(self, database_operations=None, state_operations=None):
        self.database_operations = database_operations or []
        self.state_operations = state_operations or []

    def deconstruct(self):
        kwargs = {}
        if self.database_operations:
            kwargs["database_operations"] = self.database_operations
        if self.state_operations:
            kwargs["state_operations"] = self.state_operations
        return type(self).__name__, [], kwargs

    def state_forwards(self, app_label, state):
        for operation in self.state_operations:
            operation.state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        # Each database operation runs between the states before and after it.
        for operation in self.database_operations:
            to_state = from_state.clone()
            operation.state_forwards(app_label, to_state)
            operation.database_forwards(app_label, schema_editor, from_state, to_state)
            from_state = to_state

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        # The states between the operations, then the operations undone last first.
        states = [to_state.clone()]
        for operation in self.database_operations[:-1]:
            state = states[-1].clone()
            operation.state_forwards(app_label, state)
            states.append(state)
        for operation, before in zip(reversed(self.database_operations), reversed(states)):
            after = before.clone()
            operation.state_forwards(app_label, after)
            operation.database_backwards(app_label, schema_editor, after, before)

    def describe(self):
        return "Custom state/database change combination"


class RunSQL(Operation):
    """Run raw SQL forwards, and ``reverse_sql`` backwards (no reverse: irreversible)."""

    category = OperationCategory.SQL
    # The reverse that does nothing: RunSQL("...", reverse_sql=RunSQL.noop).
    noop = ""

    def __init__(self, sql, reverse_sql=None, state_operations=None, hints=None, elidable: bool = False):
        self.sql = sql
        self.reverse_sql = reverse_sql
        self.state_operations = state_operations or []
        self.hints = hints or {}
        self.elidable = elidable

    def deconstruct(self):
        kwargs = {"sql": self.sql}
        if self.reverse_sql is not None:
            kwargs["reverse_sql"] = self.reverse_sql
        if self.state_operations:
            kwargs["state_operations"] = self.state_operations
        if self.hints:
            kwargs["hints"] = self.hints
        return type(self).__name__, [], kwargs

    @property
    def reversible(self) -> bool:
        return self.reverse_sql is not None

    def state_forwards(self, app_label, state):
        for operation in self.state_operations:
            operation.state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self.run_sql(schema_editor, self.sql)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self.reverse_sql is None:
            raise NotImplementedError("You cannot reverse this operation")
        self.run_sql(schema_editor, self.reverse_sql)

    def describe(self):
        return "Raw SQL operation"

    def run_sql(self, schema_editor, sqls) -> None:
        """Run a list of statements (strings or ``(sql, params)`` pairs) or a script of them."""
        if isinstance(sqls, (list, tuple)):
            for sql in sqls:
                params = None
                if isinstance(sql, (list, tuple)):
                    if len(sql) != 2:
                        raise ValueError(f"Expected a 2-tuple but got {len(sql)}")
                    sql, params = sql
                sql = sql.rstrip().removesuffix(";")  # the editor ends each statement with ";" itself
                if params and schema_editor.collect_sql:
                    # The editor writes the values in at SQLite's ? (a cursor reads Django's %s itself).
                    sql = convert_placeholders(sql)
                schema_editor.execute(sql, params=params or ())
        elif sqls != RunSQL.noop:
            for statement in split_sql_script(sqls):
                schema_editor.execute(statement.removesuffix(";"), params=())


class RunPython(Operation):
    """Call ``code(apps, schema_editor)`` forwards and ``reverse_code`` backwards (a data migration)."""

    category = OperationCategory.PYTHON
    reduces_to_sql = False

    def __init__(self, code, reverse_code=None, atomic=None, hints=None, elidable: bool = False):
        self.atomic = atomic
        if not callable(code):
            raise ValueError("RunPython must be supplied with a callable")
        self.code = code
        if reverse_code is not None and not callable(reverse_code):
            raise ValueError("RunPython must be supplied with callable arguments")
        self.reverse_code = reverse_code
        self.hints = hints or {}
        self.elidable = elidable

    def deconstruct(self):
        kwargs = {"code": self.code}
        if self.reverse_code is not None:
            kwargs["reverse_code"] = self.reverse_code
        if self.atomic is not None:
            kwargs["atomic"] = self.atomic
        if self.hints:
            kwargs["hints"] = self.hints
        return type(self).__name__, [], kwargs

    @property
    def reversible(self) -> bool:
        return self.reverse_code is not None

    def state_forwards(self, app_label, state):
        # The code changes rows, not models; a change of models belongs in other operations.
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        # The code gets the models as they were before this operation (the same as after it).
        self.code(from_state.apps, schema_editor)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self.reverse_code is None:
            raise NotImplementedError("You cannot reverse this operation")
        self.reverse_code(from_state.apps, schema_editor)

    def describe(self):
        return "Raw Python operation"

    @staticmethod
    def noop(apps, schema_editor):
        # A function that does nothing: the reverse of a data migration with nothing to undo.
        # No docstring on purpose: ``migrate --plan`` prints a function's docstring after its
        # operation, and Django's noop has none ("Raw Python operation" alone).
        return None
