"""Altering a table's indexes and constraints on SQLite, for migrations.

How it works: an index, a partial unique constraint and a unique_together
set are each an index of their own in SQLite, so adding or removing one is
a single ``CREATE INDEX`` / ``DROP INDEX``; SQLite cannot rename an index,
so a rename drops it and creates it again. Any other constraint (a CHECK, a
plain UNIQUE) is part of the table's definition, and changing it rebuilds
the table (``_remake_table``, in ``alter_table.py``). Chapter 08's
``DatabaseSchemaEditor`` inherits these methods, with Django's names and SQL.
"""

__all__ = ["IndexAlterationsMixin"]


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
