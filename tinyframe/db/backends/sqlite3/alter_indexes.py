"""Altering a table's indexes and constraints on SQLite, for migrations.

How it works: an index, a partial unique constraint and a unique_together
set are each an index of their own in SQLite, so adding or removing one is
a single ``CREATE INDEX`` / ``DROP INDEX``; SQLite cannot rename an index,
so a rename drops it and creates it again. Any other constraint (a CHECK, a
plain UNIQUE) is part of the table's definition, and changing it rebuilds
the table (``_remake_table``, in ``alter_table.py``). Chapter 08's
``DatabaseSchemaEditor`` inherits these methods, with Django's names and SQL.
``rename_table_in_index_sql`` makes a queued ``CREATE INDEX`` follow its
table to a new name (``alter_db_table``).
"""

import re

from tinyframe.db.backends.sqlite3.schema import index_name

__all__ = ["IndexAlterationsMixin", "rename_table_in_index_sql"]


class IndexAlterationsMixin:
    """The schema editor's methods for ``Meta.indexes``, ``Meta.constraints`` and ``unique_together``."""

    def add_index(self, model, index) -> None:
        """``CREATE INDEX`` for one of ``Meta.indexes``."""
        self.execute(index.create_sql(model, self))

    def remove_index(self, model, index) -> None:
        """``DROP INDEX`` by the index's name."""
        self.execute(self.sql_delete_index % {"name": self.quote_name(index.name)})

    def rename_index(self, model, old_index, new_index) -> None:
        """SQLite cannot rename an index: drop it and create it under the new name."""
        self.remove_index(model, old_index)
        self.add_index(model, new_index)

    def add_constraint(self, model, constraint) -> None:
        """A partial unique constraint is an index of its own; any other is part of the table: rebuild it.

        ``model`` is the model with the constraint (from the state after the change).
        """
        statement = constraint.create_sql(model, self)
        if statement:
            self.execute(statement)
        else:
            self._remake_table(model)

    def remove_constraint(self, model, constraint) -> None:
        """``DROP INDEX`` for a partial unique constraint; a rebuild without it for any other.

        ``model`` is the model without the constraint (from the state after the change).
        """
        if constraint.create_sql(model, self):
            self.execute(self.sql_delete_index % {"name": self.quote_name(constraint.name)})
        else:
            self._remake_table(model)

    def alter_unique_together(self, model, old_unique_together, new_unique_together) -> None:
        """Drop the unique indexes of the sets that went, create those of the sets that came."""
        olds = {tuple(names) for names in old_unique_together}
        news = {tuple(names) for names in new_unique_together}
        for names in sorted(olds - news):
            self.execute(self.sql_delete_index % {"name": self.quote_name(self._unique_together_name(model, names))})
        for names in sorted(news - olds):
            self.execute(self.unique_together_sql(model, names))

    def _unique_together_name(self, model, field_names) -> str:
        """The name of the unique index on ``field_names``'s columns, read from the database as Django does."""
        table = model._meta.db_table
        columns = [model._meta.get_field(name).column for name in field_names]
        own_names = {constraint.name for constraint in model._meta.constraints}
        own_names |= {index.name for index in model._meta.indexes}
        with self.connection.cursor() as cursor:
            constraints = self.connection.introspection.get_constraints(cursor, table)
        found = [
            name for name, info in constraints.items()
            if info["columns"] == columns and info["unique"] and not info["primary_key"] and name not in own_names
        ]  # fmt: skip
        if len(found) != 1:
            raise ValueError(f"Found wrong number ({len(found)}) of constraints for {table}({', '.join(columns)})")
        return found[0]


# A queued CREATE INDEX: its name, its table and its columns.
CREATE_INDEX = re.compile(r'CREATE (?:UNIQUE )?INDEX "(?P<name>[^"]+)" ON "(?P<table>[^"]+)" \((?P<columns>[^)]*)\)')


def rename_table_in_index_sql(sql: str, old_table: str, new_table: str) -> str:
    """A queued ``CREATE INDEX`` made to follow its table to a new name.

    A name Django made from the table (a field's index, a unique_together's)
    is made again from the new one, as Django's statements do; an index
    named by hand keeps its name.

    >>> rename_table_in_index_sql('CREATE INDEX "a_x_9cea1e24" ON "a" ("x")', "a", "b")
    'CREATE INDEX "b_x_6f5770d5" ON "b" ("x")'
    >>> rename_table_in_index_sql('CREATE INDEX "by_x" ON "a" ("x")', "a", "b")
    'CREATE INDEX "by_x" ON "b" ("x")'
    """
    match = CREATE_INDEX.match(sql)
    if match is None:
        return sql.replace(f' ON "{old_table}" ', f' ON "{new_table}" ')
    if match["table"] != old_table:
        return sql
    columns = [column.strip().strip('"') for column in match["columns"].split(",")]
    name = match["name"]
    for suffix in ("", "_uniq"):
        if name == index_name(old_table, columns, suffix):
            name = index_name(new_table, columns, suffix)
            break
    start, end = match.span("table")
    sql = f"{sql[:start]}{new_table}{sql[end:]}"
    start, end = match.span("name")
    return f"{sql[:start]}{name}{sql[end:]}"
