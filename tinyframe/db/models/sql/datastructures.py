"""The pieces of a FROM clause: the query's own table (``BaseTable``) and each table joined to it (``Join``).

How it works: a relation field describes how to walk from one model to the
next as a list of ``PathInfo`` (one per hop: a foreign key is one hop, a
many-to-many two, through its table). ``sql/joins.py`` turns each hop into a
``Join`` and files it in the query's ``alias_map`` under its alias; the
compiler then writes the map in order, the ``BaseTable`` first::

    Book.objects.filter(author__name="Le Guin")
      path:  [PathInfo(book -> author, join_field=Book.author, direct=True)]
      alias_map: {"library_book": BaseTable, "library_author": Join(INNER)}
      FROM "library_book"
        INNER JOIN "library_author" ON ("library_book"."author_id" = "library_author"."id")

A ``Join`` is never changed in place: promoting it to a LEFT OUTER JOIN (or
demoting it back) makes a new one, so a cloned query may share the old.
"""

from typing import NamedTuple

INNER = "INNER JOIN"
LOUTER = "LEFT OUTER JOIN"


class PathInfo(NamedTuple):
    """One hop of a relation path: from ``from_opts``'s table to ``to_opts``'s.

    ``target_fields`` are the fields of ``to_opts`` the hop arrives at (the
    target's key for a foreign key, the foreign key's model's key for the
    reverse); ``join_field`` is the forward field (``direct``) or its rel
    object (the reverse); ``m2m`` says whether the hop can reach many rows
    (a reverse foreign key or a many-to-many), which decides whether two
    filters may share the join.
    """

    from_opts: object
    to_opts: object
    target_fields: tuple
    join_field: object
    m2m: bool
    direct: bool
    filtered_relation: object = None


class BaseTable:
    """The query's own table, first in the FROM clause: ``FROM "library_book"``."""

    join_type = None
    parent_alias = None

    def __init__(self, table_name: str, alias: str):
        self.table_name = table_name
        self.table_alias = alias

    def __repr__(self) -> str:
        return f"BaseTable({self.table_name!r}, {self.table_alias!r})"

    def identity(self) -> tuple:
        """What decides this entry's SQL (part of the query's shape)."""
        return (BaseTable, self.table_name, self.table_alias)


class Join:
    """One joined table: ``INNER JOIN "library_author" ON ("library_book"."author_id" = "library_author"."id")``.

    ``join_cols`` pairs the parent table's column with this table's column,
    ``(("author_id", "id"),)``; ``nullable`` says whether the hop may find no
    row (a nullable foreign key, any reverse relation), so whether a LEFT
    OUTER JOIN is needed to keep the rows that have none.
    """

    def __init__(self, table_name: str, parent_alias: str, table_alias: str, join_type: str, join_field,
                 nullable: bool, join_cols: tuple = ()):  # fmt: skip
        self.table_name = table_name
        self.parent_alias = parent_alias
        self.table_alias = table_alias
        self.join_type = join_type
        self.join_field = join_field
        self.nullable = nullable
        self.join_cols = tuple(join_cols)

    def __repr__(self) -> str:
        return f"Join({self.table_name!r} AS {self.table_alias!r} ON {self.parent_alias!r}, {self.join_type})"

    def equals(self, other) -> bool:
        """Whether ``other`` walks the same hop from the same parent (join types aside): it may be reused."""
        if not isinstance(other, Join):
            return False
        return (self.table_name, self.parent_alias, self.join_field) == (
            other.table_name, other.parent_alias, other.join_field,
        )  # fmt: skip

    def identity(self) -> tuple:
        """What decides this join's SQL (part of the query's shape)."""
        return (Join, self.table_name, self.parent_alias, self.table_alias, self.join_type, self.join_cols)

    def replace(self, **changes) -> "Join":
        """A copy with some attributes changed (the query keeps joins unchanged once made)."""
        values = dict(vars(self), **changes)
        return Join(**values)

    def promote(self) -> "Join":
        """This join as a LEFT OUTER JOIN."""
        return self.replace(join_type=LOUTER)

    def demote(self) -> "Join":
        """This join as an INNER JOIN."""
        return self.replace(join_type=INNER)

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        """``(sql, params)`` of this join, as it stands in the FROM clause after the tables before it.

        Exercise 07.3. Write ``<join_type> <table> [<alias>] ON (<conditions>)``:

        - ``join_type`` is ``INNER JOIN`` or ``LEFT OUTER JOIN`` (the constants
          ``INNER`` and ``LOUTER``); ``<table>`` is ``table_name`` quoted with
          ``compiler.quote_name``;
        - the alias follows the table only when the SQL name of this join's
          alias differs from the quoted table name: ``LEFT OUTER JOIN
          "library_person" T3 ON (...)``. The SQL names of aliases come from
          ``compiler.quote_alias(alias)``: a table name gives its quoted name
          (``"library_author"``), another alias itself (``T3``, or ``U1`` in a
          subquery);
        - one condition per pair ``(parent_column, column)`` of ``join_cols``,
          ``<parent>.<parent_column> = <this>.<column>``, each side written as
          ``<SQL name of its alias>.<quoted column>`` (the parent's alias is
          ``parent_alias``), joined by `` AND ``;
        - no parameters: ``[]``.

        ``Join("library_author", "library_book", "library_author", INNER, field,
        False, (("author_id", "id"),))`` gives::

            INNER JOIN "library_author" ON ("library_book"."author_id" = "library_author"."id")
        """
        quote_alias = compiler.quote_alias
        table = compiler.quote_name(self.table_name)
        alias = quote_alias(self.table_alias)
        parent = quote_alias(self.parent_alias)
        conditions = " AND ".join(
            f"{parent}.{compiler.quote_name(parent_column)} = {alias}.{compiler.quote_name(column)}"
            for parent_column, column in self.join_cols
        )
        named = table if alias == table else f"{table} {alias}"
        return f"{self.join_type} {named} ON ({conditions})", []
