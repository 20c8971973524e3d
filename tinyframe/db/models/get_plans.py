"""``get()`` by plan: ``Book.objects.get(pk=7)`` compiled once per shape, not rebuilt per call.

How it works: the general ``get(pk=7)`` clones the QuerySet, makes a ``Q``,
builds a WhereNode with an ``Exact`` lookup in it (finding the field, the
lookup class, preparing the value), walks that tree for its shape to find
the SQL cached for it, then runs it and hydrates the rows: some 230 Python
calls to send a statement whose text is the same for every key. ``get()``
never hands its QuerySet out, so once the SQL of a shape is known, nothing
needs that tree again: only the parameters change.

So ``get_plan(queryset, kwargs)`` keeps, per shape, a ``GetPlan``: the SQL,
the fields the rows hold, and for each keyword the field whose
``get_prep_value`` and ``get_db_prep_value`` turn its value into its
parameter (what the lookup itself does). The shape is the model and the
keyword names as given (``("title", "pages__gte")``).

The plan is made by the general path itself, on the first call: the filter
is built and compiled as always, and the plan is kept only if every keyword
became a plain comparison of a column (the model's own, or a joined
table's: the SQL is the general path's either way; ``exact``, ``gt``,
``gte``, ``lt``, ``lte``: the built-in classes, no transform) and the
plan's own parameters are the ones the compiler produced. Otherwise the
shape is remembered as having no plan. A call uses the plan only when

- the QuerySet is a plain ``QuerySet`` of the model's whole rows, nothing
  asked of it yet (it has not even made its ``Query``: no filter, ordering,
  ``only()``, annotation, slice, ``distinct``, ``values()``, union, related
  loading);
- every value is of a plain type (``int``, ``str``, ``date``...): not None
  (``exact`` None is ``IS NULL``), not an expression, a model instance, a
  QuerySet or a list.

Anything else takes the general path; both give the same rows, the same
SQL and the same errors (``chapters/06_orm/tests/test_get_plans.py``
compares them). Registering a lookup forgets every plan
(``forget_plans``): a custom ``exact`` would change what a name means.

Measured (tests/benchmarks/orm.py, get by pk, 2,000 calls): 33 us -> 13 us
a call (9 us with the cheaper manager access and cursor of the same round,
7 us once a QuerySet makes its Query only on first use; SQLite's own part is
under 1.5 us).
"""

import datetime
import decimal
import functools
import uuid

from tinyframe.db import connections

__all__ = ["GetPlan", "forget_plans", "get_plan"]

# Values whose parameter is the field's prepared value, the same SQL whatever they are (exact types:
# a subclass, say an IntegerChoices member or a str with resolve_expression, takes the general path).
PLAIN_TYPES = frozenset({
    int, str, float, bool, bytes, decimal.Decimal, uuid.UUID,
    datetime.date, datetime.datetime, datetime.time, datetime.timedelta,
})  # fmt: skip

# (model, keyword names in the call's order) -> GetPlan, or None for a shape that has no plan.
# Bounded as the compiler's SQL_CACHE is: forgotten when full.
_plans: dict = {}
PLANS_LIMIT = 2048


class GetPlan:
    """One shape of ``get(**kwargs)``: its SQL, the fields of its rows, the field preparing each keyword's value.

    ``preparers`` are ``(name, prepare, field)`` in the order the SQL binds
    them (``prepare``: the lookup's ``value_preparer``, the field's
    ``get_prep_value`` or, for ``lt`` and ``gte`` on an integer, one that
    rounds a float up first); ``tail`` the parameters after them (the LIMIT).
    """

    def __init__(self, sql: str, model, fields: list, preparers: list, tail: list):
        from tinyframe.db.models.hydration import hydrator

        self.sql = sql
        self.fields = fields
        self.hydrate = hydrator(model, fields).function
        self.preparers = preparers
        self.tail = tail

    def params(self, kwargs: dict, connection) -> list:
        """The statement's parameters: each value prepared as its lookup prepares it, then the LIMIT."""
        params = []
        for name, prepare, field in self.preparers:
            value = prepare(kwargs[name])
            params.append(value if value is None else field.get_db_prep_value(value, connection, prepared=True))
        params.extend(self.tail)
        return params

    def rows(self, queryset, kwargs: dict) -> list | None:
        """Run the statement for these values: the model instances of at most ``MAX_GET_RESULTS`` rows.

        None for a number sqlite3 cannot bind (``pk=2**64``): the general
        path answers that one, whose lookup knows what it matches without the
        database (``field_lookups.IntegerFieldOverflow``). Caught, not checked: a
        check would cost every call.
        """
        db = queryset.db
        connection = connections[db]
        params = self.params(kwargs, connection)
        cursor = connection.cursor()
        try:
            cursor.execute(self.sql, params)
        except OverflowError:
            cursor.close()
            return None
        rows = cursor.fetchall()
        cursor.close()
        return iterables().model_instances(queryset.model, self.fields, rows, db, connection, self.hydrate)


def get_plan(queryset, kwargs: dict) -> GetPlan | None:
    """The plan for ``queryset.get(**kwargs)``, made on the first call of its shape; None: take the general path."""
    if not kwargs or not plain_queryset(queryset):
        return None
    for value in kwargs.values():
        if type(value) not in PLAIN_TYPES:
            return None
    key = (queryset.model, tuple(kwargs))
    try:
        return _plans[key]
    except KeyError:
        pass
    plan = make_plan(queryset, kwargs)
    if plan is UNDECIDED:
        return None
    if len(_plans) >= PLANS_LIMIT:
        _plans.clear()
    _plans[key] = plan
    return plan


def plain_queryset(queryset) -> bool:
    """Whether ``queryset`` is a plain QuerySet of its model's whole rows, nothing asked of it yet.

    A QuerySet makes its Query on first use (``QuerySet.query``), and every
    method that narrows or reshapes it (``filter``, ``only``, ``values``,
    a slice...) uses it, so one test says there is nothing of that: no Query yet.
    """
    # >>> 07_relations
    if queryset._prefetch_related_lookups:  # prefetch_related() leaves the Query alone
        return False
    # <<< 07_relations
    return queryset._query is None and type(queryset) is queryset_class()


@functools.cache
def queryset_class() -> type:
    """``QuerySet`` (imported late: ``query.py`` imports this module's users).

    Cached, as ``iterables`` is: an import statement run on every ``get()``
    cost 1.45 us of its 8.6 (tests/benchmarks/orm.py, get).
    """
    from tinyframe.db.models.query import QuerySet

    return QuerySet


@functools.cache
def iterables():
    """The ``iterables`` module, whose ``model_instances`` builds the rows (imported late, as ``queryset_class``)."""
    from tinyframe.db.models import iterables

    return iterables


# What make_plan returns when these values cannot tell (a number beyond 64 bits compiles to no SQL): ask again.
UNDECIDED = object()


def make_plan(queryset, kwargs: dict):
    """Build ``get(**kwargs)`` the general way and keep what its SQL and parameters are made of, if they are plain.

    Returns the plan, None for a shape that has none, or ``UNDECIDED``.

    Errors (a misspelled name, a value the field refuses) are the general
    path's own, raised from here as they would be from ``filter()``.
    """
    from tinyframe.db.models.expressions import Col
    from tinyframe.db.models.lookups import EmptyResultSet
    from tinyframe.db.models.queryset_methods import MAX_GET_RESULTS
    from tinyframe.db.models.sql.where import WhereNode

    clone = queryset.filter(**kwargs)
    query = clone.query
    query.clear_ordering(force=True)
    query.set_limits(high=MAX_GET_RESULTS)
    where = query.where
    if where.negated or where.connector != "AND" or any(isinstance(child, WhereNode) for child in where.children):
        return None
    names = sorted(kwargs)  # the order Q keeps them in, so the order the WHERE binds them
    if len(where.children) != len(names):
        return None
    preparers = []
    for name, lookup in zip(names, where.children):
        if type(lookup) not in plain_lookups() or type(lookup.lhs) is not Col or lookup.rhs_is_expression:
            return None
        if getattr(lookup, "outside_range", None) and lookup.outside_range() is not None:
            return UNDECIDED
        preparers.append((name, lookup.value_preparer(), lookup.lhs._output_field_or_none))
    compiler = query.get_compiler(clone.db)
    try:
        converters = compiler.result_converters()  # also sets compiler.model_fields
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # no row can match these values: nothing to say of the shape
        return UNDECIDED
    if converters or compiler.column_names or getattr(compiler, "related_selections", None):
        return None
    plan = GetPlan(sql, queryset.model, compiler.model_fields, preparers, [])
    values = plan.params(kwargs, compiler.connection)
    if list(params[: len(values)]) != values:
        return None
    plan.tail = list(params[len(values) :])
    return plan


@functools.cache
def plain_lookups() -> frozenset:
    """The lookup classes whose SQL is ``<column> <operator> ?`` with the prepared value as its one parameter."""
    from tinyframe.db.models import field_lookups, lookups

    return frozenset({
        lookups.Exact, lookups.GreaterThan, lookups.GreaterThanOrEqual, lookups.LessThan, lookups.LessThanOrEqual,
        field_lookups.IntegerFieldExact, field_lookups.IntegerGreaterThan, field_lookups.IntegerGreaterThanOrEqual,
        field_lookups.IntegerLessThan, field_lookups.IntegerLessThanOrEqual,
    })  # fmt: skip


def forget_plans() -> None:
    """Forget every plan (``register_lookup`` calls this: a name may now mean another lookup)."""
    _plans.clear()
