"""Conditional expressions: ``Case(When(condition, then=value), ..., default=value)``.

How it works: a ``When`` pairs a condition — a ``Q``, keyword lookups, or a
boolean expression such as ``Exists`` — with a result. Resolving it against a
query turns the condition into a WhereNode, exactly as ``filter()`` would; a
``Case`` compiles its branches in order into SQL's ``CASE WHEN ... THEN ...
ELSE ... END``, so the first true condition gives the value. Strings name
fields (``then="title"``), as in every expression argument; a literal text
goes in a ``Value``.
"""

from tinyframe.db.models.expressions import Expression, parse_expression
from tinyframe.db.models.lookups import EmptyResultSet
from tinyframe.db.models.query_utils import Q


class When(Expression):
    """One ``WHEN condition THEN result`` branch of a ``Case``; the condition is a Q or keyword lookups."""

    def __init__(self, condition=None, then=None, **lookups):
        if lookups:
            condition = Q(condition, **lookups) if condition is not None else Q(**lookups)
        if condition is None or not getattr(condition, "conditional", False):
            raise TypeError("When() supports a Q object, a boolean expression, or lookups as a condition.")
        super().__init__()
        self.condition = condition
        self.result = parse_expression(then)

    def get_source_expressions(self) -> list:
        return [self.condition, self.result]

    def set_source_expressions(self, expressions: list) -> None:
        self.condition, self.result = expressions

    def _resolve_output_field(self):
        return self.result._output_field_or_none

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        """``WHEN condition THEN result``; EmptyResultSet, from the condition, when it can be true for no row."""
        condition_sql, condition_params = compiler.compile(self.condition)
        result_sql, result_params = compiler.compile(self.result)
        # "" is a condition true for every row (pages__lt=2**70: see sql/where.py).
        return f"WHEN {condition_sql or '1'} THEN {result_sql}", [*condition_params, *result_params]


class Case(Expression):
    """SQL's ``CASE WHEN ... THEN ... ELSE ... END``: the first matching ``When`` gives the value."""

    def __init__(self, *cases: When, default=None, output_field=None):
        if not all(isinstance(case, When) for case in cases):
            raise TypeError("Positional arguments must all be When objects.")
        super().__init__(output_field=output_field)
        self.cases = list(cases)
        self.default = parse_expression(default)

    def get_source_expressions(self) -> list:
        return [*self.cases, self.default]

    def set_source_expressions(self, expressions: list) -> None:
        *self.cases, self.default = expressions

    def _resolve_output_field(self):
        for source in self.get_source_expressions():
            field = source._output_field_or_none
            if field is not None:
                return field
        return None

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        if not self.cases:
            return compiler.compile(self.default)
        parts, params = [], []
        for case in self.cases:
            try:
                sql, case_params = compiler.compile(case)
            except EmptyResultSet:
                continue  # a branch no row can take (pk__in=[]) is left out, as Django leaves it
            parts.append(sql)
            params.extend(case_params)
        default_sql, default_params = compiler.compile(self.default)
        if not parts:
            return default_sql, default_params
        return f"CASE {' '.join(parts)} ELSE {default_sql} END", [*params, *default_params]
