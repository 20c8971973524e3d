"""The SQL layer of the ORM: ``Query`` describes a SELECT, the compilers write and run SQL.

How it works: a QuerySet keeps a ``Query`` (``query.py``) whose WHERE is a
``WhereNode`` tree (``where.py``); ``Query.get_compiler()`` returns an
``SQLCompiler`` (``compiler.py``) that turns it into ``(sql, params)`` and
runs it. INSERT, UPDATE and DELETE have compilers of their own
(``subqueries.py``).
"""

from tinyframe.db.models.lookups import EmptyResultSet
from tinyframe.db.models.sql.query import Query
from tinyframe.db.models.sql.where import AND, OR, WhereNode

__all__ = ["AND", "OR", "EmptyResultSet", "Query", "WhereNode"]
