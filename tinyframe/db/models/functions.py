"""Database functions: Coalesce, Lower, Upper, Length, Concat, Random.

How it works: each is a ``Func`` naming its SQL function; ``Lower`` and
``Upper`` and ``Length`` are also transforms, so a project may register them
on a field (``CharField.register_lookup(Lower)``) and filter with
``title__lower="dune"``.

>>> Lower("title")
Lower(F(title))
"""

from tinyframe.db.models.expressions import Func, Value
from tinyframe.db.models.lookups import Transform


class Coalesce(Func):
    """The first of its arguments that is not NULL: ``Coalesce("nickname", "name")``."""

    function = "COALESCE"

    def __init__(self, *expressions, **extra):
        if len(expressions) < 2:
            raise ValueError("Coalesce must take at least two expressions")
        super().__init__(*expressions, **extra)


class Lower(Transform):
    """Text in lower case (ASCII letters only, in SQLite)."""

    function = "LOWER"
    lookup_name = "lower"


class Upper(Transform):
    """Text in upper case (ASCII letters only, in SQLite)."""

    function = "UPPER"
    lookup_name = "upper"


class Length(Transform):
    """The number of characters of a text (NULL for NULL)."""

    function = "LENGTH"
    lookup_name = "length"

    def _resolve_output_field(self):
        from tinyframe.db.models import fields

        return fields.IntegerField()


class Concat(Func):
    """Texts joined end to end; a NULL counts as an empty text (``Concat("first", Value(" "), "last")``)."""

    template = "{expressions}"
    arg_joiner = " || "

    def __init__(self, *expressions, **extra):
        if len(expressions) < 2:
            raise ValueError("Concat must take at least two expressions")
        super().__init__(*expressions, **extra)

    def as_sql(self, compiler, connection, template=None, **extra) -> tuple[str, list]:
        parts, params = [], []
        for source in self.source_expressions:
            sql, source_params = compiler.compile(source)
            parts.append(f"COALESCE({sql}, '')")
            params.extend(source_params)
        return f"({self.arg_joiner.join(parts)})", params

    def _resolve_output_field(self):
        from tinyframe.db.models import fields

        return fields.TextField()


class Random(Func):
    """A random number per row: ``order_by("?")`` sorts by it."""

    function = "RANDOM"
    template = "RANDOM()"

    def _resolve_output_field(self):
        from tinyframe.db.models import fields

        return fields.FloatField()


__all__ = ["Coalesce", "Concat", "Length", "Lower", "Random", "Upper", "Value"]
