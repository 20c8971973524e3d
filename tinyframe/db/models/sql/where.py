"""The WHERE clause as a tree: lookups at the leaves, AND / OR / NOT at the nodes.

How it works: ``Query.add_q`` turns a ``Q`` tree into a ``WhereNode`` tree of
the same shape, whose leaves are resolved ``Lookup`` objects (or boolean
expressions such as ``Exists``). ``WhereNode.as_sql`` compiles the children
and joins them with the connector, in parentheses when there are several;
a negated node puts ``NOT`` before one pair of them (``NOT (a AND b)``).

Two answers need no SQL at all, and travel as results rather than text:

- a child that can match nothing (``pk__in=[]``) raises ``EmptyResultSet``;
- a child that matches everything (an empty ``Q()``) compiles to ``""``.

An AND fails as soon as one child is empty; an OR only when all are; NOT
swaps the two. When the whole WHERE is empty, the compiler returns no rows
without asking the database.
"""

from tinyframe.db.models.lookups import EmptyResultSet
from tinyframe.db.models.expressions import NoShape

AND = "AND"
OR = "OR"


class WhereNode:
    """A node of the WHERE tree: ``children`` joined by ``connector``, maybe ``negated``."""

    conditional = True
    contains_over_clause = False

    def __init__(self, children=None, connector: str = AND, negated: bool = False):
        self.children = list(children or [])
        self.connector = connector
        self.negated = negated

    def __repr__(self) -> str:
        text = f"({self.connector}: {', '.join(map(repr, self.children))})"
        return f"NOT {text}" if self.negated else text

    def __bool__(self) -> bool:
        return bool(self.children)

    def clone(self) -> "WhereNode":
        """A copy of the tree's nodes (leaves are shared: they are never changed once built)."""
        return WhereNode(
            [child.clone() if isinstance(child, WhereNode) else child for child in self.children],
            self.connector,
            self.negated,
        )

    def add(self, child, connector: str = AND) -> None:
        """Join ``child`` to this node with ``connector`` (a query's filter() calls add with AND)."""
        if not child and isinstance(child, WhereNode) and not child.negated:
            return
        if self.connector == connector or len(self.children) < 2:
            self.connector = connector
            if isinstance(child, WhereNode) and child.connector == connector and not child.negated:
                self.children.extend(child.children)
            else:
                self.children.append(child)
        else:
            inner = WhereNode(self.children, self.connector, self.negated)
            self.children = [inner, child]
            self.connector, self.negated = connector, False

    @property
    def contains_aggregate(self) -> bool:
        return any(child.contains_aggregate for child in self.children)

    def get_group_by_cols(self) -> list:
        return [col for child in self.children for col in child.get_group_by_cols()]

    def resolve_expression(self, query=None, *args, **kwargs) -> "WhereNode":
        """Already resolved: a WhereNode is built by a query."""
        return self

    def get_source_expressions(self) -> list:
        return list(self.children)

    @property
    def _output_field_or_none(self):
        from tinyframe.db.models import fields

        return fields.BooleanField()

    output_field = _output_field_or_none

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        """``(sql, params)``; ``""`` means "every row", ``EmptyResultSet`` means "no row"."""
        parts, params = [], []
        if self.connector == AND:
            full_needed, empty_needed = len(self.children), 1
        else:
            full_needed, empty_needed = 1, len(self.children)
        for child in self.children:
            try:
                sql, child_params = compiler.compile(child)
            except EmptyResultSet:
                empty_needed -= 1
            else:
                if sql:
                    parts.append(sql)
                    params.extend(child_params)
                else:
                    full_needed -= 1
            if empty_needed == 0:
                if self.negated:
                    return "", []
                raise EmptyResultSet
            if full_needed == 0:
                if self.negated:
                    raise EmptyResultSet
                return "", []
        sql = f" {self.connector} ".join(parts)
        if len(parts) > 1:
            sql = f"({sql})"
        if self.negated and sql:
            sql = f"NOT ({sql})" if len(parts) == 1 else f"NOT {sql}"
        return sql, params

    def shape(self, params: list, connection) -> tuple:
        """The key of this tree's SQL, values left out (they go to ``params``); ``EVERY_ROW`` when it writes ``""``.

        It must agree with ``as_sql`` on every tree, or a cached SQL would run
        with another tree's parameters. So it collapses where ``as_sql`` does:
        a node with no children, an OR with a child that matches every row, an
        AND whose children all do, is ``EVERY_ROW`` and adds no parameters
        (the children's are dropped, as ``as_sql`` drops their SQL). A tree
        where some child matched nothing, or whose NOT turns "every row" into
        "no row", is not cached: ``as_sql`` raises there.
        """
        keys = [WhereNode, self.connector, self.negated]
        own_params, full = [], 0
        for child in self.children:
            child_params = []
            try:
                key = child.shape(child_params, connection)
            except EmptyResultSet:
                raise NoShape from None
            if key is EVERY_ROW:
                full += 1
            else:
                own_params.extend(child_params)
            keys.append(key)
        if full and (self.connector == OR or full == len(self.children)):
            if self.negated:
                raise NoShape  # as_sql: NOT (every row) is no row, EmptyResultSet
            return EVERY_ROW
        if not self.children:
            return EVERY_ROW
        params.extend(own_params)
        return tuple(keys)


# The shape of a WhereNode that compiles to "" (every row): one object, compared with ``is``.
EVERY_ROW = (WhereNode, "every row")


class NothingNode:
    """A condition that matches no row, for ``QuerySet.none()``."""

    contains_aggregate = False

    def as_sql(self, compiler, connection):
        raise EmptyResultSet

    def shape(self, params, connection):
        raise NoShape

    def get_group_by_cols(self) -> list:
        return []
