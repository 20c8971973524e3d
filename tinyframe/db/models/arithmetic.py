"""Arithmetic between expressions: ``F("pages") + 1``, ``F("price") * F("quantity")``, dates moved by durations.

How it works: ``Combinable``'s operators (in ``expressions``) build a
``CombinedExpression(lhs, connector, rhs)``. Its type comes from its sides'
(``_resolve_output_field``): the same type stays, integers and floats or
decimals mix as Django mixes them, and any other mix must be given an
``output_field``. Its SQL is ``(lhs <connector> rhs)``, except for date
arithmetic: SQLite keeps dates as text and durations as microseconds, so
``+`` would make a number of a date; a date, datetime or time moved by a
duration, or two of a kind subtracted, call the functions the SQLite backend
registers instead.
"""

from tinyframe.core.exceptions import FieldError
from tinyframe.db.models.expressions import Expression


# The temporal field types date arithmetic works on, and the kind the SQL functions are told.
TEMPORAL_KINDS = {"DateField": "date", "DateTimeField": "datetime", "TimeField": "time"}


class CombinedExpression(Expression):
    """``lhs <connector> rhs`` in SQL, in parentheses: what ``F("a") + 1`` builds."""

    # Which field two numeric types combine to; other mixes must name output_field.
    NUMERIC_MIXES = {
        frozenset({"IntegerField", "FloatField"}): "FloatField",
        frozenset({"IntegerField", "DecimalField"}): "DecimalField",
        frozenset({"FloatField", "DecimalField"}): "FloatField",
    }

    def __init__(self, lhs, connector: str, rhs, output_field=None):
        super().__init__(output_field=output_field)
        self.lhs, self.connector, self.rhs = lhs, connector, rhs

    def __repr__(self) -> str:
        return f"<CombinedExpression: {self.lhs!r} {self.connector} {self.rhs!r}>"

    def get_source_expressions(self) -> list:
        return [self.lhs, self.rhs]

    def set_source_expressions(self, expressions: list) -> None:
        self.lhs, self.rhs = expressions

    def shape_identity(self) -> tuple:
        return (CombinedExpression, self.connector)

    def _resolve_output_field(self):
        left, right = self.lhs._output_field_or_none, self.rhs._output_field_or_none
        if left is None or right is None:
            return left or right
        left_name, right_name = self._type_name(left), self._type_name(right)
        temporal = self.temporal_arithmetic(left_name, right_name)
        if temporal is not None:
            # A date, datetime or time moved by a duration stays one; two of a kind subtract to a duration.
            function, _kind, swapped = temporal
            if function == "tinyframe_temporal_subtract":
                from tinyframe.db.models.fields import DurationField

                return DurationField()
            return right if swapped else left
        if left_name == right_name:
            return left
        mixed = self.NUMERIC_MIXES.get(frozenset({left_name, right_name}))
        if mixed:
            return left if self._type_name(left) == mixed else right
        raise FieldError(
            f"Cannot infer type of '{self.connector}' expression involving these types: "
            f"{type(left).__name__}, {type(right).__name__}. You must set output_field."
        )

    @staticmethod
    def _type_name(field) -> str:
        # AutoField, BigIntegerField... count as IntegerField when mixing.
        internal = field.get_internal_type()
        return "IntegerField" if internal.endswith(("IntegerField", "AutoField")) else internal

    def temporal_arithmetic(self, left_name: str, right_name: str):
        """``(SQL function, kind, swapped)`` when this connector on these types is date arithmetic, else None.

        Why not plain ``+``: SQLite stores dates as text and durations as
        microseconds, so SQL's ``+`` would add a number to text and give a
        number, which an UPDATE would write into the date column. Date
        arithmetic calls the Python functions the SQLite backend registers
        (``tinyframe_temporal_add``, ``tinyframe_temporal_subtract``)
        instead; ``swapped`` is True for ``duration + date``, whose date goes first.
        """
        if left_name in TEMPORAL_KINDS and right_name == "DurationField" and self.connector in ("+", "-"):
            return "tinyframe_temporal_add", TEMPORAL_KINDS[left_name], False
        if left_name == "DurationField" and right_name in TEMPORAL_KINDS and self.connector == "+":
            return "tinyframe_temporal_add", TEMPORAL_KINDS[right_name], True
        if left_name in TEMPORAL_KINDS and left_name == right_name and self.connector == "-":
            return "tinyframe_temporal_subtract", TEMPORAL_KINDS[left_name], False
        return None

    def temporal_operation(self):
        """``(SQL function, kind, (date side, other side))`` when this expression is date arithmetic, else None."""
        try:
            left, right = self.lhs._output_field_or_none, self.rhs._output_field_or_none
        except FieldError:
            return None
        if left is None or right is None:
            return None
        found = self.temporal_arithmetic(self._type_name(left), self._type_name(right))
        if found is None:
            return None
        function, kind, swapped = found
        return function, kind, (self.rhs, self.lhs) if swapped else (self.lhs, self.rhs)

    def shape(self, params, connection) -> tuple:
        # Date arithmetic writes its sources in its own order, under its own SQL: the key says so.
        operation = self.temporal_operation()
        sources = operation[2] if operation else (self.lhs, self.rhs)
        identity = (CombinedExpression, self.connector, operation and operation[:2])
        return (identity, *(source.shape(params, connection) for source in sources))

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        operation = self.temporal_operation()
        if operation is not None:
            function, kind, (value, other) = operation
            value_sql, value_params = compiler.compile(value)
            other_sql, other_params = compiler.compile(other)
            if function == "tinyframe_temporal_add" and self.connector == "-":
                other_sql = f"-({other_sql})"
            return f"{function}('{kind}', {value_sql}, {other_sql})", [*value_params, *other_params]
        lhs_sql, lhs_params = compiler.compile(self.lhs)
        rhs_sql, rhs_params = compiler.compile(self.rhs)
        return f"({lhs_sql} {self.connector} {rhs_sql})", [*lhs_params, *rhs_params]
