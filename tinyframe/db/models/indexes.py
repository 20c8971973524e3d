"""Index: an index on some columns of a table, declared in ``Meta.indexes``.

How it works: ``Index(fields=["-published", "title"], name="recent_idx")``
keeps each field with its direction (a ``-`` prefix is descending). The
schema editor asks ``create_sql`` for the ``CREATE INDEX`` statement after
the table is made. An index without a name gets one from
``set_name_with_model`` when its model is prepared, made as Django makes it
(the table, the first column, a hash of all of them, ``_idx``), so that
tinyframe and Django name the same index the same way.
"""

import hashlib

from tinyframe.db.models.query_utils import Q

__all__ = ["Index", "names_digest"]


def names_digest(*names: str, length: int) -> str:
    """A short hash of some names, to make a unique but stable identifier from them.

    >>> names_digest("library_book", "title", length=8)
    'fccd0c46'
    """
    digest = hashlib.md5(usedforsecurity=False)
    for name in names:
        digest.update(name.encode())
    return digest.hexdigest()[:length]


class Index:
    """An index on ``fields`` (``"-name"`` for descending), optionally partial (``condition``)."""

    suffix = "idx"
    max_name_length = 30

    def __init__(self, *, fields=(), name: str | None = None, condition=None):
        if not isinstance(fields, (list, tuple)):
            raise ValueError("Index.fields must be a list or tuple.")
        if not fields:
            raise ValueError("At least one field or expression is required to define an index.")
        if condition is not None and not isinstance(condition, Q):
            raise ValueError("Index.condition must be a Q instance.")
        if condition is not None and not name:
            raise ValueError("An index must be named to use condition.")
        self.fields = list(fields)
        # (field name, "DESC" or "") for each field.
        self.fields_orders = [(name[1:], "DESC") if name.startswith("-") else (name, "") for name in self.fields]
        self.name = name or ""
        self.condition = condition

    def set_name_with_model(self, model) -> None:
        """Name the index after its table and columns, as Django does (at most 30 characters)."""
        table = model._meta.db_table
        columns = [model._meta.get_field(name).column for name, _ in self.fields_orders]
        with_order = [f"-{column}" if order else column for column, (_, order) in zip(columns, self.fields_orders)]
        digest = names_digest(table, *with_order, self.suffix, length=6)
        self.name = f"{table[:11]}_{columns[0][:7]}_{digest}_{self.suffix}"
        if len(self.name) > self.max_name_length:
            raise ValueError("Index too long for multiple database support. Is self.suffix longer than 3 characters?")
        if self.name[0] == "_" or self.name[0].isdigit():
            self.name = f"D{self.name[1:]}"

    def create_sql(self, model, schema_editor) -> str:
        """``CREATE INDEX "name" ON "table" ("column" DESC, ...) [WHERE ...]``."""
        quote = schema_editor.quote_name
        columns = ", ".join(
            quote(model._meta.get_field(name).column) + (f" {order}" if order else "")
            for name, order in self.fields_orders
        )
        sql = f"CREATE INDEX {quote(self.name)} ON {quote(model._meta.db_table)} ({columns})"
        if self.condition is not None:
            sql += f" WHERE {schema_editor.condition_sql(model, self.condition)}"
        return sql

    # >>> 08_migrations
    def deconstruct(self) -> tuple[str, tuple, dict]:
        """``(path, args, kwargs)``: how a migration file writes this index."""
        from tinyframe.db.models.deconstruction import deconstruct_index

        return deconstruct_index(self)

    def clone(self) -> "Index":
        """A copy made from ``deconstruct()`` (naming it for a model changes the copy only)."""
        path, args, kwargs = self.deconstruct()
        return type(self)(*args, **kwargs)

    # <<< 08_migrations
    def __eq__(self, other):
        if not isinstance(other, Index):
            return NotImplemented
        return (self.fields, self.name, self.condition) == (other.fields, other.name, other.condition)

    def __hash__(self):
        return hash((tuple(self.fields), self.name))

    def __repr__(self):
        name = f" name={self.name!r}" if self.name else ""
        condition = f" condition={self.condition}" if self.condition is not None else ""
        return f"<{type(self).__name__}: fields={self.fields!r}{name}{condition}>"
