"""QuerySet: a lazy, chainable description of rows, run only when its results are needed.

How it works: a QuerySet holds a ``Query`` (``sql/query.py``). Every method
that refines it — ``filter``, ``exclude``, ``order_by``, ``values``, a slice —
returns a *clone* with the change (immutable by copy), so a QuerySet can be
kept and refined in several directions. Nothing touches the database until
the rows are wanted: iterating, ``len()``, ``bool()``, ``list()``, ``repr``.
Then the query is compiled (once per shape), run, and its rows turned into
results by an *iterable* class (``iterables.py``: model instances, dicts,
tuples...), chosen by the last of ``values()`` / ``values_list()``.

The results are kept (``_result_cache``), so iterating twice runs one query.
Methods that answer at once (``count``, ``exists``, ``aggregate``, ``get``,
``update``, ``delete``...) are in ``queryset_methods.py``'s mixin, to keep
each file about one thing.
"""

from tinyframe.db import DEFAULT_DB_ALIAS, NotSupportedError
from tinyframe.db.models.query_utils import Q
from tinyframe.db.models.queryset_methods import QuerySetActions
from tinyframe.db.models.sql.query import Query
from tinyframe.db.models.subquery import subquery_of
from tinyframe.db.models.sql.where import AND, OR, WhereNode
# After the sql package: with chapter 07, the iterables need the compiler loaded first.
from tinyframe.db.models.iterables import (
    FlatValuesListIterable, ModelIterable, NamedValuesListIterable, ValuesIterable, ValuesListIterable,
)  # fmt: skip
# >>> 07_relations
from tinyframe.db.models.sql import joins
# <<< 07_relations

# >>> 07_relations
from tinyframe.db.models.prefetch import prefetch_related_objects, prefetched_in_chunks
from tinyframe.db.models.select_related import add_select_related
# <<< 07_relations

# How many results repr() shows, as Django does.
REPR_OUTPUT_SIZE = 20


def joined_where(lhs: WhereNode, rhs: WhereNode, connector: str) -> WhereNode:
    """``lhs <connector> rhs`` as a new tree (copies: the queries they came from stay as they were).

    An empty WHERE matches every row, so it is not joined as a child: OR with
    it matches every row, AND with it is the other side.
    """
    if not lhs or not rhs:
        if connector == OR:
            return WhereNode()
        return (rhs if not lhs else lhs).clone()
    return WhereNode([lhs.clone(), rhs.clone()], connector)


class QuerySet(QuerySetActions):
    """The rows of one model that a chain of method calls describes; see the module docstring."""

    def __init__(self, model=None, query: Query | None = None, using: str | None = None, hints=None):
        self.model = model
        self._db = using
        self._hints = hints or {}
        self._query = query  # None until first asked for: see the ``query`` property
        self._result_cache = None
        self._iterable_class = ModelIterable
        self._fields = None
        self._for_write = False
        # >>> 07_relations
        self._prefetch_related_lookups = ()
        self._prefetch_done = False
        self._known_related_objects = {}  # {ForeignKey: the object every result points at} (related managers)
        # <<< 07_relations

    @property
    def query(self) -> Query:
        """The ``Query`` behind this QuerySet; ``str(qs.query)`` shows its SQL.

        Made on first use: ``Book.objects.get(pk=7)`` (a plan, ``get_plans.py``)
        and a chain's first clone never need the empty Query of all the rows,
        so a QuerySet nothing has been asked of has none (``_query is None``).
        """
        if self._query is None:
            self._query = Query(self.model)
        return self._query

    @query.setter
    def query(self, value: Query) -> None:
        """Replace the Query (a Manager or a test may build one by hand)."""
        self._query = value

    @classmethod
    def as_manager(cls):
        """A Manager whose methods include this QuerySet class's: ``objects = BookQuerySet.as_manager()``."""
        from tinyframe.db.models.manager import Manager

        manager = Manager.from_queryset(cls)()
        manager._built_with_as_manager = True
        return manager

    @property
    def db(self) -> str:
        """The database alias the query runs on."""
        return self._db or DEFAULT_DB_ALIAS

    # -- Python protocols --------------------------------------------------------------

    def __repr__(self) -> str:
        data = list(self[: REPR_OUTPUT_SIZE + 1])
        if len(data) > REPR_OUTPUT_SIZE:
            data[-1] = "...(remaining elements truncated)..."
        return f"<{type(self).__name__} {data!r}>"

    def __len__(self) -> int:
        self._fetch_all()
        return len(self._result_cache)

    def __iter__(self):
        self._fetch_all()
        return iter(self._result_cache)

    def __bool__(self) -> bool:
        self._fetch_all()
        return bool(self._result_cache)

    def __class_getitem__(cls, *args, **kwargs):
        return cls

    def __getitem__(self, k):
        """One result by position (``qs[0]``) or a narrowed QuerySet (``qs[10:20]``: LIMIT/OFFSET)."""
        if not isinstance(k, (int, slice)):
            raise TypeError(f"QuerySet indices must be integers or slices, not {type(k).__name__}.")
        if (isinstance(k, int) and k < 0) or (
            isinstance(k, slice) and ((k.start is not None and k.start < 0) or (k.stop is not None and k.stop < 0))
        ):
            raise ValueError("Negative indexing is not supported.")
        if self._result_cache is not None:
            return self._result_cache[k]
        if isinstance(k, slice):
            clone = self._chain()
            start = None if k.start is None else int(k.start)
            stop = None if k.stop is None else int(k.stop)
            clone.query.set_limits(start, stop)
            return list(clone)[:: k.step] if k.step else clone
        clone = self._chain()
        clone.query.set_limits(k, k + 1)
        clone._fetch_all()
        return clone._result_cache[0]

    def __and__(self, other: "QuerySet") -> "QuerySet":
        """The rows in both: one query whose WHERE is ``(self's) AND (other's)``."""
        return self._merge_conditions(other, AND)

    def __or__(self, other: "QuerySet") -> "QuerySet":
        """The rows in either: one query whose WHERE is ``(self's) OR (other's)``."""
        return self._merge_conditions(other, OR)

    def _merge_conditions(self, other: "QuerySet", connector: str) -> "QuerySet":
        """``self & other`` or ``self | other``: the two WHEREs joined, in a clone of ``self``.

        Only the WHERE is joined, so what else a query says must agree or be turned
        into a condition, as in Django:

        - a slice is no condition: for ``|`` a sliced side becomes one,
          ``pk__in=(its keys, a subquery keeping the slice)``; ``&`` refuses it
          (Django refuses a sliced left side and drops a slice on the right
          silently, a wrong answer; tinyframe refuses both);
        - ``distinct()`` on one side only would be lost or imposed: refused;
        - a union (``union()``...) or a queryset of another model has no WHERE to
          join: refused.

        The ordering is ``other``'s when it has one, else ``self``'s, as in Django.
        """
        operator = "&" if connector == AND else "|"
        if self.query.combinator or other.query.combinator:
            raise TypeError(f"Cannot use {operator} operator with combined queryset.")
        if self._fields is not None and set(self._fields) != set(other._fields or ()):
            raise TypeError(f"Merging '{type(self).__name__}' classes must involve the same values in each case.")
        if connector == AND:
            if other.query.is_empty():
                return other._chain()
            if self.query.is_empty():
                return self._chain()
        else:
            if self.query.is_empty():
                return other._chain()
            if other.query.is_empty():
                return self._chain()
        if connector == OR:
            lhs, rhs = self._sliced_as_condition(), other._sliced_as_condition()
        else:
            lhs, rhs = self, other
        if lhs.model is not rhs.model:
            raise TypeError("Cannot combine queries on two different base models.")
        if lhs.query.is_sliced or rhs.query.is_sliced:
            raise TypeError("Cannot combine queries once a slice has been taken.")
        if lhs.query.distinct != rhs.query.distinct:
            raise TypeError("Cannot combine a unique query with a non-unique query.")
        combined = lhs._chain()
        combined.query.where = joined_where(lhs.query.where, rhs.query.where, connector)
        # >>> 07_relations
        # The right side's joins join the left's, its WHERE renamed to them; and either
        # side's joins vote: under OR a join only the left needs becomes LEFT OUTER too.
        if rhs.query.alias_map or lhs.query.alias_map:
            rhs_where = joins.combine(combined.query, rhs.query, connector)
            combined.query.where = joined_where(lhs.query.where, rhs_where, connector)
        # <<< 07_relations
        if rhs.query.order_by:
            combined.query.order_by = rhs.query.order_by
        return combined

    def _sliced_as_condition(self) -> "QuerySet":
        """This QuerySet, or when sliced, its rows as a condition: ``pk__in=(its keys, sliced)``.

        A slice is a LIMIT/OFFSET, which a WHERE cannot hold; a subquery can.
        The result starts from the model's plain rows (its default ordering, not
        this slice's), as Django's does, and keeps this QuerySet's class and
        the shape of its results (``values()``...).
        """
        if not self.query.is_sliced:
            return self
        rows = type(self)(model=self.model, using=self._db, hints=self._hints).filter(pk__in=self.values("pk"))
        if self._fields is not None:
            rows = rows._values(self._fields, {})
        rows._iterable_class = self._iterable_class
        return rows

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._result_cache = list(self._iterable_class(self))
        # >>> 07_relations
        if self._prefetch_related_lookups and not self._prefetch_done:
            prefetch_related_objects(self._result_cache, *self._prefetch_related_lookups)
            self._prefetch_done = True
        # <<< 07_relations

    # -- cloning ------------------------------------------------------------------------

    def _chain(self) -> "QuerySet":
        """A clone to change: the next link of a method chain."""
        query = None if self._query is None else self._query.clone()  # nothing to copy of a Query not made yet
        clone = type(self)(model=self.model, query=query, using=self._db, hints=self._hints)
        clone._iterable_class = self._iterable_class
        clone._fields = self._fields
        # >>> 07_relations
        clone._prefetch_related_lookups = self._prefetch_related_lookups
        clone._known_related_objects = self._known_related_objects
        # <<< 07_relations
        return clone

    _clone = _chain

    def _not_support_combined_queries(self, operation: str) -> None:
        if self._query is not None and self._query.combinator:  # a Query not made yet is no union
            raise NotSupportedError(
                f"Calling QuerySet.{operation}() after {self.query.combinator}() is not supported."
            )

    def _check_not_sliced(self, action: str) -> None:
        if self._query is not None and self._query.is_sliced:  # a Query not made yet has no slice
            raise TypeError(f"Cannot {action} a query once a slice has been taken.")

    # -- refining ------------------------------------------------------------------------

    def all(self) -> "QuerySet":
        """A fresh copy (its results not yet fetched), e.g. to re-run a query."""
        return self._chain()

    def none(self) -> "QuerySet":
        """A QuerySet that matches nothing and never asks the database."""
        clone = self._chain()
        clone.query.set_empty()
        return clone

    def filter(self, *args, **kwargs) -> "QuerySet":
        """The rows matching every condition: ``filter(title__icontains="dune", pages__gt=100)``."""
        self._not_support_combined_queries("filter")
        return self._filter_or_exclude(False, args, kwargs)

    def exclude(self, *args, **kwargs) -> "QuerySet":
        """The rows not matching the conditions taken together (rows with NULL there are kept)."""
        self._not_support_combined_queries("exclude")
        return self._filter_or_exclude(True, args, kwargs)

    def _filter_or_exclude(self, negate: bool, args, kwargs) -> "QuerySet":
        if args or kwargs:
            self._check_not_sliced("filter")
        clone = self._chain()
        condition = Q(*args, **kwargs)
        clone.query.add_q(~condition if negate else condition)
        return clone

    def complex_filter(self, filter_object) -> "QuerySet":
        """``filter`` for a Q object or a dict (the form ``limit_choices_to`` takes)."""
        if isinstance(filter_object, Q):
            return self.filter(filter_object)
        return self.filter(**filter_object)

    def order_by(self, *field_names) -> "QuerySet":
        """Sort by fields (``"-pages"`` descending, ``"?"`` random, ``"pk"``) or expressions; replaces earlier ordering."""
        self._check_not_sliced("reorder")
        clone = self._chain()
        clone.query.clear_ordering(force=True)
        clone.query.add_ordering(*field_names)
        return clone

    def reverse(self) -> "QuerySet":
        """The same rows in the opposite order."""
        self._check_not_sliced("reverse")
        clone = self._chain()
        clone.query.standard_ordering = not clone.query.standard_ordering
        return clone

    def distinct(self, *field_names) -> "QuerySet":
        """Drop duplicate rows (``SELECT DISTINCT``)."""
        self._not_support_combined_queries("distinct")
        if field_names:
            raise NotSupportedError("DISTINCT ON fields is not supported by this database backend")
        if self._query is not None and self._query.is_sliced:
            raise TypeError("Cannot create distinct fields once a slice has been taken.")
        clone = self._chain()
        clone.query.distinct = True
        return clone

    def annotate(self, *args, **kwargs) -> "QuerySet":
        """Add computed values to each result: ``annotate(n=Count("id"))``, ``annotate(double=F("pages") * 2)``."""
        self._not_support_combined_queries("annotate")
        return self._annotate(args, kwargs, select=True)

    def alias(self, *args, **kwargs) -> "QuerySet":
        """Like ``annotate``, but not selected: for filtering and ordering only."""
        self._not_support_combined_queries("alias")
        return self._annotate(args, kwargs, select=False)

    def _annotate(self, args, kwargs, select: bool) -> "QuerySet":
        annotations = {}
        for argument in args:
            try:
                name = argument.default_alias
            except (AttributeError, TypeError):
                raise TypeError("Complex annotations require an alias") from None
            annotations[name] = argument
        annotations.update(kwargs)
        clone = self._chain()
        field_names = {field.name for field in self.model._meta.concrete_fields}
        for alias, expression in annotations.items():
            if alias in field_names:
                raise ValueError(f"The annotation '{alias}' conflicts with a field on the model.")
            if not hasattr(expression, "resolve_expression"):
                raise TypeError(f"QuerySet.annotate() received non-expression(s): {expression!r}.")
            clone.query.add_annotation(expression, alias, select=select)
        return clone

    def values(self, *fields, **expressions) -> "QuerySet":
        """Dicts instead of instances: ``values("title")`` -> ``{"title": "Dune"}``."""
        clone = self._values(fields, expressions)
        clone._iterable_class = ValuesIterable
        return clone

    def values_list(self, *fields, flat: bool = False, named: bool = False) -> "QuerySet":
        """Tuples instead of instances; ``flat=True`` for single values, ``named=True`` for named tuples."""
        if flat and named:
            raise TypeError("'flat' and 'named' can't be used together.")
        if flat and len(fields) > 1:
            raise TypeError("'flat' is not valid when values_list is called with more than one field.")
        expressions = {}
        names = []
        for field in fields:
            if hasattr(field, "resolve_expression"):
                alias = f"{getattr(field, 'default_alias', 'expression')}{len(expressions) + 1}"
                expressions[alias] = field
                names.append(alias)
            else:
                names.append(field)
        clone = self._values(names, expressions)
        if expressions:
            clone.query.values_select = tuple(names)
        clone._iterable_class = (
            NamedValuesListIterable if named else FlatValuesListIterable if flat else ValuesListIterable
        )
        return clone

    def _values(self, fields, expressions) -> "QuerySet":
        clone = self._chain()
        if expressions:
            clone = clone.annotate(**expressions)
        names = (*fields, *[name for name in expressions if name not in fields])
        clone._fields = names
        clone.query.set_values(names)
        return clone

    def defer(self, *fields) -> "QuerySet":
        """Leave these fields out of the SELECT; they load on first access (``defer(None)``: none deferred)."""
        self._not_support_combined_queries("defer")
        if self._fields is not None:
            raise TypeError("Cannot call defer() after .values() or .values_list()")
        clone = self._chain()
        if fields == (None,):
            clone.query.deferred_loading = (frozenset(), True)
        else:
            clone.query.add_deferred_loading(fields)
        return clone

    def only(self, *fields) -> "QuerySet":
        """Select only these fields (and the key); the others load on first access."""
        self._not_support_combined_queries("only")
        if self._fields is not None:
            raise TypeError("Cannot call only() after .values() or .values_list()")
        if fields == (None,):
            raise TypeError("Cannot pass None as an argument to only().")
        clone = self._chain()
        clone.query.add_immediate_loading(fields)
        return clone

    def using(self, alias: str) -> "QuerySet":
        """Run on the database ``alias`` of ``settings.DATABASES``."""
        clone = self._chain()
        clone._db = alias
        return clone

    def select_for_update(self, nowait=False, skip_locked=False, of=(), no_key=False) -> "QuerySet":
        """Lock the rows until the transaction ends; SQLite locks the whole database on write, so a no-op here."""
        if nowait and skip_locked:
            raise ValueError("The nowait option cannot be used with skip_locked.")
        clone = self._chain()
        clone.query.select_for_update = True
        return clone

    def _combinator_query(self, combinator: str, *other_querysets, all: bool = False) -> "QuerySet":
        clone = self._chain()
        clone.query.clear_ordering(force=True)
        clone.query.low_mark, clone.query.high_mark = 0, None
        clone.query.where = WhereNode()
        clone.query.combinator = combinator
        clone.query.combinator_all = all
        clone.query.combined_queries = (self.query, *(other.query for other in other_querysets))
        return clone

    def union(self, *other_querysets, all: bool = False) -> "QuerySet":
        """The rows of this QuerySet and the others (``UNION``; ``all=True`` keeps duplicates)."""
        if not self.query.is_empty():
            return self._combinator_query("union", *other_querysets, all=all)
        # This one adds no rows: start from the next that may (the compiler leaves out any other empty part).
        others = [queryset for queryset in other_querysets if not queryset.query.is_empty()]
        if not others:
            return self
        if len(others) == 1:
            return others[0]
        return others[0]._combinator_query("union", *others[1:], all=all)

    def intersection(self, *other_querysets) -> "QuerySet":
        """The rows in this QuerySet and in every other (``INTERSECT``)."""
        if self.query.is_empty():
            return self
        for other in other_querysets:
            if other.query.is_empty():
                return other
        return self._combinator_query("intersect", *other_querysets)

    def difference(self, *other_querysets) -> "QuerySet":
        """The rows in this QuerySet and in none of the others (``EXCEPT``)."""
        if self.query.is_empty():
            return self
        return self._combinator_query("except", *other_querysets)

    @property
    def ordered(self) -> bool:
        """Whether the results come in a defined order (``order_by`` or the model's ``Meta.ordering``)."""
        if self.query.group_by is not None and not self.query.order_by:
            return False
        return self.query.ordered

    def resolve_expression(self, query=None, *args, **kwargs):
        """A QuerySet as a value in a filter (``pk__in=queryset``): a subquery of its keys."""
        return subquery_of(self.query)

    def iterator(self, chunk_size: int | None = None):
        """The results one by one, fetched ``chunk_size`` rows at a time, not cached: for big tables."""
        # >>> 07_relations
        if chunk_size is None and self._prefetch_related_lookups:
            raise ValueError("chunk_size must be provided when using QuerySet.iterator() after prefetch_related().")
        # <<< 07_relations
        if chunk_size is None:
            chunk_size = 2000
        elif chunk_size <= 0:
            raise ValueError("Chunk size must be strictly positive.")
        # >>> 07_relations
        if self._prefetch_related_lookups:
            results = self._iterable_class(self, chunk_size=chunk_size)
            return prefetched_in_chunks(results, chunk_size, self._prefetch_related_lookups)
        # <<< 07_relations
        return iter(self._iterable_class(self, chunk_size=chunk_size))

    # >>> 07_relations
    def select_related(self, *fields) -> "QuerySet":
        """Fetch these related objects in the same query, by JOINs: ``select_related("author__publisher")``.

        No names: every non-null foreign key, a few levels deep. Calls add
        up; ``select_related(None)`` forgets the earlier ones.
        """
        self._not_support_combined_queries("select_related")
        if self._fields is not None:
            raise TypeError("Cannot call select_related() after .values() or .values_list()")
        clone = self._chain()
        if fields == (None,):
            clone.query.select_related = False
        elif fields:
            clone.query.select_related = add_select_related(clone.query.select_related, fields)
        else:
            clone.query.select_related = True
        return clone

    def prefetch_related(self, *lookups) -> "QuerySet":
        """Fetch these relations for all the results after them, one query each: ``prefetch_related("book_set")``.

        Calls add up; ``prefetch_related(None)`` forgets the earlier ones. A
        lookup is a name, a path (``"book_set__tags"``) or a ``Prefetch``.
        """
        self._not_support_combined_queries("prefetch_related")
        clone = self._chain()
        if lookups == (None,):
            clone._prefetch_related_lookups = ()
            return clone
        clone._prefetch_related_lookups = (*clone._prefetch_related_lookups, *lookups)
        return clone

    # <<< 07_relations

    def explain(self, *, format=None, **options) -> str:
        """SQLite's query plan for this query (EXPLAIN QUERY PLAN), to see whether an index is used."""
        return self.query.get_compiler(self.db).explain()
