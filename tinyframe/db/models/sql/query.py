"""``Query``: the description of one SELECT that a QuerySet builds, before any SQL exists.

How it works: every QuerySet method clones its ``Query`` and changes the
clone (``filter`` adds to ``where``, ``order_by`` sets ``order_by``, a slice
sets ``low_mark``/``high_mark``). Names are checked as they arrive, so a typo
fails at the line that made it:

    filter(title__icontains="dune")
      -> build_filter: "title" -> Col(title), "icontains" -> IContains
      -> where: WhereNode(AND: IContains(Col(title), "dune"))

Nothing here writes SQL: ``get_compiler(using)`` hands the Query to an
``SQLCompiler`` (``compiler.py``), which does, once per shape. ``str(query)``
shows that SQL with the parameters written in, as Django's does: for reading,
not for running (the values are not quoted).
"""

from tinyframe.core.exceptions import FieldDoesNotExist, FieldError
from tinyframe.db import DEFAULT_DB_ALIAS, connections
from tinyframe.db.backends.sqlite3.operations import interpolate
from tinyframe.db.models.aggregates import Count
from tinyframe.db.models.expressions import Col, ExpressionWrapper, NoShape, OrderBy, Ref
from tinyframe.db.models.fields import BooleanField
from tinyframe.db.models.functions import Random
from tinyframe.db.models.hydration import hydrator
from tinyframe.db.models.lookups import IsNull, Transform
from tinyframe.db.models.query_utils import Q
from tinyframe.db.models.sql.compiler import SQLAggregateCompiler, SQLCompiler
from tinyframe.db.models.sql.where import AND, NothingNode, WhereNode
from tinyframe.utils.suggestions import suggest
# >>> 07_relations
from tinyframe.db.models.sql import joins, related_filters
from tinyframe.db.models.select_related import check_loading_name, loading_roots, related_hydrator_source, tree_shape
# <<< 07_relations

LOOKUP_SEP = "__"


class Query:
    """What to select from one model's table, which rows, in what order, how many."""

    # >>> 07_relations
    # The tables joined to the model's (sql/joins.py): alias -> BaseTable or Join, in FROM order.
    # Empty and shared until the first join, so a query without joins pays nothing.
    alias_map = joins.NO_JOINS
    used_aliases = None  # the joins made by the filter() call being built: its many-valued ones are shared
    trimmed_start = 0  # an exclude's subquery that starts one table in numbers its aliases from U1, as Django
    branch_negations = 0  # how many negated Qs enclose the filter being built
    # Joins the next filter() may share as if it had made them (Django's _next_is_sticky): a prefetch's own filter.
    sticky_aliases = frozenset()
    # select_related(): False (none), True (every non-null key), or the names as a tree, {"author": {"publisher": {}}}.
    select_related = False
    # <<< 07_relations

    def __init__(self, model):
        self.model = model
        self.where = WhereNode()
        self.having = WhereNode()
        self.annotations = {}
        self.hidden_annotations = set()
        self.values_select = None
        self.deferred_loading = (frozenset(), True)
        self.order_by = ()
        self.default_ordering = True
        self.standard_ordering = True
        self.distinct = False
        self.low_mark, self.high_mark = 0, None
        self.group_by = None
        self.combinator = None
        self.combinator_all = False
        self.combined_queries = ()
        self.select_for_update = False
        self.is_exists = False
        self.from_subquery = None

    def clone(self) -> "Query":
        """A copy to change; the original, shared by the QuerySet it came from, stays as it was."""
        clone = Query.__new__(type(self))
        clone.__dict__ = self.__dict__.copy()
        clone.where = self.where.clone()
        clone.having = self.having.clone()
        clone.annotations = dict(self.annotations)
        clone.hidden_annotations = set(self.hidden_annotations)
        # >>> 07_relations
        if self.alias_map:
            clone.alias_map = dict(self.alias_map)
        # <<< 07_relations
        return clone

    def __str__(self) -> str:
        sql, params = self.sql_with_params()
        return interpolate(sql, params)

    def sql_with_params(self, using: str | None = None) -> tuple[str, tuple]:
        """The SQL and its parameters, as the default (or named) database would run them."""
        return self.get_compiler(using).as_sql()

    def get_compiler(self, using: str | None = None, connection=None):
        """An ``SQLCompiler`` for this query on the named database."""
        connection = connection or connections[using or DEFAULT_DB_ALIAS]
        return SQLCompiler(self, connection, using)

    # -- names ------------------------------------------------------------------------

    @property
    def annotation_select(self) -> dict:
        """The annotations that are selected (``alias()`` adds ones that are not)."""
        if not self.hidden_annotations:
            return self.annotations
        return {name: value for name, value in self.annotations.items() if name not in self.hidden_annotations}

    def field_choices(self) -> list[str]:
        """The names a filter may start with, for error messages."""
        names = [field.name for field in self.model._meta.concrete_fields]
        # >>> 07_relations
        names = joins.field_names(self.model._meta)
        # <<< 07_relations
        return sorted([*names, *self.annotations])

    def resolve_ref(self, name: str, allow_joins=True, reuse=None, summarize=False):
        """What ``name`` means here: an annotation, or a field's column (``pk`` is the primary key)."""
        if name in self.annotations:
            return self.annotations[name]
        if self.from_subquery is not None and not self.from_subquery.combinator:
            return self.from_subquery.select_for_outer(name)
        # >>> 07_relations
        # The row's own columns, the common case, are told apart first, cheaply: they need no join.
        column = self.model._meta._forward_fields_map.get(name)
        if not (name == "pk" or column is not None and column.concrete) and joins.walks_relation(self, name):
            return joins.resolve_path_ref(self, name, allow_joins, reuse)
        # <<< 07_relations
        if LOOKUP_SEP in name:
            field_name, rest = name.split(LOOKUP_SEP, 1)
            field = self.get_field(field_name)
            raise FieldError(f"Cannot resolve keyword '{rest.split(LOOKUP_SEP)[0]}' into field. Join on '{field.name}' not permitted.")
        return self.get_field(name).cached_col

    def select_for_outer(self, name: str) -> Ref:
        """Select what ``name`` means here as ``__col1``, ``__col2``..., for the aggregate query around this one.

        ``order_by("price")[:2].aggregate(Sum("price"))`` sums what the slice
        selects: the column, or a joined table's (``Count("tags")``, the joins
        made here, so the slice counts joined rows), as in Django.
        """
        column = self.resolve_ref(name)
        alias = f"__col{sum(existing.startswith('__col') for existing in self.annotations) + 1}"
        self.annotations[alias] = column
        if self.values_select:
            self.values_select = (*self.values_select, alias)
        return Ref(alias, column)

    def get_field(self, name: str):
        """The concrete field called ``name`` (or ``pk``), or Django's FieldError naming the choices."""
        options = self.model._meta
        if name == "pk":
            return options.pk
        try:
            field = options.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is None or not getattr(field, "concrete", True):
            choices = self.field_choices()
            error = FieldError(f"Cannot resolve keyword '{name}' into field. Choices are: {', '.join(choices)}")
            suggest(error, name, choices)
            raise error
        return field

    # -- filters ------------------------------------------------------------------------

    def add_q(self, q: Q) -> None:
        """AND a ``Q`` tree onto the conditions (onto HAVING when it filters on an aggregate)."""
        # >>> 07_relations
        self.used_aliases = set(self.sticky_aliases)
        # <<< 07_relations
        node = self.build_where(q)
        # >>> 07_relations
        del self.used_aliases  # back to None: a Q resolved later in an expression (filter=Q(...)) may share any join
        if self.sticky_aliases:
            del self.sticky_aliases  # for this one filter() only
        # <<< 07_relations
        if not node.children:
            return  # exclude(Q()) and filter(Q()) add no condition: every row still matches
        aggregate = node.contains_aggregate  # a walk of the whole tree: asked once
        # >>> 07_relations
        if self.alias_map:
            joins.update_join_types(self, node)
        if aggregate and self.alias_map:  # a condition on a joined row belongs before the grouping
            where, having = related_filters.split_having(node)
            for child in where:
                self.where.add(child, AND)
            for child in having:
                self.having.add(child, AND)
            return
        # <<< 07_relations
        (self.having if aggregate else self.where).add(node, AND)

    def build_where(self, q, negated: bool = False) -> WhereNode:
        """A WhereNode tree of the same shape as ``q``, its leaves resolved lookups.

        An empty ``Q()`` inside another adds no condition, as in Django: it
        is left out, not kept as a child that matches every row, which would
        make ``Q(n=1) | Q(Q())`` every row and ``~Q(Q())`` none.
        """
        if not isinstance(q, Q):
            q = Q(q)
        negated = negated ^ q.negated
        # >>> 07_relations
        if q.negated:
            self.branch_negations += 1  # inside some NOT, a many-valued relation is a subquery (split_exclude)
        # <<< 07_relations
        node = WhereNode(connector=q.connector, negated=q.negated)
        for child in q.children:
            if isinstance(child, Q):
                child_node = self.build_where(child, negated)
                if child_node.children:
                    node.children.append(child_node)
            elif isinstance(child, tuple):
                node.children.append(self.build_filter(*child, negated=negated))
            else:
                node.children.append(self.build_condition(child))
        # >>> 07_relations
        if q.negated:
            self.branch_negations -= 1
        # <<< 07_relations
        return node

    def build_condition(self, expression):
        """A boolean expression used as a filter (``filter(Exists(...))``)."""
        if not getattr(expression, "conditional", False):
            raise TypeError("Cannot filter against a non-conditional expression.")
        return expression.resolve_expression(self)

    def build_filter(self, key: str, value, negated: bool = False):
        """One ``name__transform__lookup=value`` as a Lookup (with NULLs kept out of an exclude, as Django does)."""
        name, *lookups = key.split(LOOKUP_SEP)
        # >>> 07_relations
        # A filter on the row's own column, the common case, is told apart first, cheaply: it needs no join.
        column = self.model._meta._forward_fields_map.get(name)
        plain = name == "pk" or column is not None and column.concrete and not column.is_relation
        if not plain and joins.walks_relation(self, name):
            return related_filters.build_related_filter(self, key, value, negated)
        # <<< 07_relations
        lhs = self.resolve_ref(name)
        if hasattr(value, "resolve_expression"):
            value = value.resolve_expression(self)
        lookup = self.build_lookup(lookups, lhs, value)
        if negated and value is not None and not isinstance(lookup, IsNull):
            # NOT (pages = 3) is NULL, not true, for a NULL pages: exclude() must keep those rows,
            # and, against another column (pages=F("rating")), the rows where that one is NULL.
            # A None value is JSON's null (data=None), where Django adds nothing: NULL is no document.
            nullable = []
            for column in (base_column(lookup.lhs), value):
                if isinstance(column, Col) and column.target.null and column not in nullable:
                    nullable.append(column)
            if nullable:
                return WhereNode([lookup, *(IsNull(column, False) for column in nullable)], AND)
        return lookup

    def build_lookup(self, lookups: list, lhs, rhs):
        """Apply the transforms in ``lookups`` to ``lhs``, then its last lookup (``exact`` if none)."""
        lookups = lookups or ["exact"]
        *transforms, last = lookups
        for position, name in enumerate(transforms):
            lhs = self.try_transform(lhs, name, lookups[position:])
        lookup_class = lhs.get_lookup(last)
        if lookup_class is None:
            lhs = self.try_transform(lhs, last, [last])
            last, lookup_class = "exact", lhs.get_lookup("exact")
        if rhs is None and not lookup_class.can_use_none_as_rhs:
            if lookup_class.lookup_name in ("exact", "iexact"):
                return IsNull(lhs, True)
            raise ValueError("Cannot use None as a query value")
        return lookup_class(lhs, rhs)

    def try_transform(self, lhs, name: str, rest: list):
        """``lhs`` wrapped in the transform called ``name``, or Django's "Unsupported lookup" FieldError."""
        transform_class = lhs.get_transform(name)
        if transform_class is not None:
            return transform_class(lhs)
        field = lhs.output_field
        error = FieldError(
            f"Unsupported lookup '{LOOKUP_SEP.join(rest)}' for {type(field).__name__} "
            f"or join on the field not permitted."
        )
        suggest(error, name, sorted(field.get_lookups()))
        raise error

    def set_empty(self) -> None:
        """Make the query match nothing (``none()``, a slice of zero rows)."""
        self.where.add(NothingNode(), AND)

    def is_empty(self) -> bool:
        """Whether the query was made to match nothing (``none()``), so it need not run."""
        return any(isinstance(child, NothingNode) for child in self.where.children)

    # -- the select list ---------------------------------------------------------------

    def add_annotation(self, expression, alias: str, select: bool = True) -> None:
        """Resolve ``expression`` and keep it as ``alias``; aggregates make the query grouped."""
        resolved = expression.resolve_expression(self, allow_joins=True, summarize=False)
        if isinstance(expression, Q):  # a condition as a value (annotate(cheap=Q(price__lt=10))): true or false
            resolved = ExpressionWrapper(resolved, output_field=BooleanField())
        self.annotations[alias] = resolved
        if select:
            self.hidden_annotations.discard(alias)
            if self.values_select:
                self.values_select = (*self.values_select, alias)
        else:
            self.hidden_annotations.add(alias)
        if resolved.contains_aggregate:  # a group per row, or per distinct values() of what is selected now
            self.group_by = self.selected_groups() if self.values_select else True

    def selected_groups(self) -> tuple:
        """The GROUP BY an aggregate makes of ``values()``: the selected columns and annotations that are not aggregates."""
        annotations = self.annotations
        return tuple(
            (Ref(name, annotations[name]) if name in annotations else self.resolve_ref(name))
            for name in self.values_select
            if name not in annotations or not annotations[name].contains_aggregate
        )

    def set_values(self, names) -> None:
        """Select ``names`` (fields or annotations), for ``values()``; no names: every field."""
        for name in names:
            if name in self.hidden_annotations:
                raise FieldError(f"Cannot select the '{name}' alias. Use annotate() to promote it.")
            self.resolve_ref(name)
        self.values_select = tuple(names)
        if isinstance(self.group_by, tuple):  # the groups stay: an annotation no longer selected groups by its SQL
            self.group_by = tuple(
                self.annotations[term.refs] if isinstance(term, Ref) and term.refs not in names else term
                for term in self.group_by
            )

    def loaded_fields(self) -> list:
        """The concrete fields a model query selects: all but the deferred ones (the key always)."""
        names, defer = self.deferred_loading
        fields = self.model._meta.concrete_fields
        if not names:
            return list(fields)
        if defer:
            return [field for field in fields if field.name not in names or field.primary_key]
        # >>> 07_relations
        names = names | loading_roots(names)  # only("author__name") loads the key to the author too
        # <<< 07_relations
        return [field for field in fields if field.name in names or field.primary_key]

    def add_deferred_loading(self, names) -> None:
        """``defer(*names)``: leave these out (added to earlier defers, taken off an ``only``)."""
        existing, defer = self.deferred_loading
        self._check_field_names(names)
        if defer:
            self.deferred_loading = (existing | frozenset(names), True)
        else:
            self.deferred_loading = (existing - frozenset(names), False)

    def add_immediate_loading(self, names) -> None:
        """``only(*names)``: load just these (and the key), minus anything deferred before."""
        existing, defer = self.deferred_loading
        self._check_field_names(names)
        names = frozenset("pk" == name and self.model._meta.pk.name or name for name in names)
        self.deferred_loading = ((names - existing) if defer else names, False)

    def _check_field_names(self, names) -> None:
        for name in names:
            # >>> 07_relations
            if LOOKUP_SEP in name:  # only("author__name"): a field of a model select_related() follows
                check_loading_name(self.model, name)
                continue
            # <<< 07_relations
            if LOOKUP_SEP in name:
                raise FieldError(f"Invalid field name(s) given in select_related: '{name}'. Choices are: (none)")
            if name != "pk":
                self.model._meta.get_field(name)

    @property
    def hydrator_source(self) -> str:
        """The source of the generated function that turns this query's rows into instances (for reading)."""
        # >>> 07_relations
        if self.select_related and self.values_select is None:
            return related_hydrator_source(self)
        # <<< 07_relations
        return hydrator(self.model, self.loaded_fields()).source

    def output_field_of_single_column(self):
        """The field of the one column a subquery selects (``values("x")``, else the key)."""
        if self.values_select:
            return self.resolve_ref(self.values_select[0]).output_field
        return self.model._meta.pk

    # -- order and limits ------------------------------------------------------------

    def add_ordering(self, *ordering) -> None:
        """Check ``order_by`` terms now (a typo fails here) and keep them for the compiler."""
        invalid = [item for item in ordering if not isinstance(item, str) and not hasattr(item, "resolve_expression")]
        if invalid:  # a number (a column's position), None...: Django's message lists them all
            raise FieldError(f"Invalid order_by arguments: {invalid}")
        for item in ordering:
            if isinstance(item, str) and item != "?" and item.lstrip("-") not in self.annotations:
                self.resolve_ref(item.lstrip("-"))
        self.order_by = (*self.order_by, *ordering)

    def clear_ordering(self, force: bool = False) -> None:
        """Forget the ordering (with ``force``, also the model's default ``Meta.ordering``)."""
        self.order_by = ()
        if force:
            self.default_ordering = False

    @property
    def ordered(self) -> bool:
        """Whether the rows come in a defined order."""
        return bool(self.order_by or (self.default_ordering and self.model._meta.ordering))

    def ordering_terms(self) -> list:
        """The ORDER BY terms as resolved ``OrderBy`` expressions, reversed by ``reverse()``."""
        # Meta.ordering does not apply to grouped queries (Django 3.1+): it would change nothing but the cost.
        use_default = self.default_ordering and self.group_by is None
        items = self.order_by or (self.model._meta.ordering if use_default else ())
        # >>> 07_relations
        items = related_filters.relation_ordering(self, items)
        # <<< 07_relations
        terms = []
        for item in items:
            if item == "?":
                term = OrderBy(Random())
            elif isinstance(item, str):
                name = item.lstrip("-")
                expression = self.resolve_ref(name)
                if self.selects_annotation(name):
                    expression = Ref(name, expression)
                term = OrderBy(expression, descending=item.startswith("-"))
            else:
                term = item.resolve_expression(self)
                if not isinstance(term, OrderBy):
                    term = OrderBy(term)
            terms.append(term if self.standard_ordering else term.reverse_ordering())
        return terms

    def selects_annotation(self, name: str) -> bool:
        """Whether ``name`` is an annotation the SELECT writes, so ORDER BY may name it by its alias.

        An annotation left out by ``values()``/``values_list()`` (or hidden by
        ``alias()``) has no column to name: SQLite would read ``ORDER BY "d"``
        as the string 'd' and sort by nothing, so it is ordered by its expression.
        """
        if name not in self.annotation_select:
            return False
        return not self.values_select or name in self.values_select

    def set_limits(self, low: int | None = None, high: int | None = None) -> None:
        """Narrow the rows to ``[low:high]`` of the current slice (a slice of a slice stays inside it).

        Exercise 06.7. The slice so far is ``low_mark`` (the OFFSET)
        to ``high_mark`` (None: no end). Both new bounds count from the
        current ``low_mark``, and neither may pass the current ``high_mark``
        when there is one: ``qs[10:20][2:5]`` is rows 12 to 15, and
        ``qs[10:20][5:50]`` rows 15 to 20. Set the high mark before the low
        one (the low one must not pass the new end). When nothing is left
        (``low_mark >= high_mark``), call ``self.set_empty()``: the query then
        returns no rows without running.
        """
        if high is not None:
            self.high_mark = min(self.high_mark, self.low_mark + high) if self.high_mark is not None else self.low_mark + high
        if low is not None:
            self.low_mark = min(self.high_mark, self.low_mark + low) if self.high_mark is not None else self.low_mark + low
        if self.high_mark is not None and self.low_mark >= self.high_mark:
            self.set_empty()

    @property
    def is_sliced(self) -> bool:
        """Whether a slice limits the rows (then filtering and reordering are refused)."""
        return self.low_mark != 0 or self.high_mark is not None

    def limit_params(self) -> list:
        """The values of ``LIMIT ? [OFFSET ?]`` for the slice: its length (-1, no limit, when it has no end), its start.

        The compiler binds them and ``shape`` collects them, so the two cannot disagree.
        """
        params = [-1 if self.high_mark is None else self.high_mark - self.low_mark]
        if self.low_mark:
            params.append(self.low_mark)
        return params

    def has_limit_one(self) -> bool:
        """Whether the slice allows exactly one row (``qs[:1]``)."""
        return self.high_mark is not None and self.high_mark - self.low_mark == 1

    # -- derived queries --------------------------------------------------------------

    def exists(self) -> "Query":
        """This query as ``SELECT 1 ... LIMIT 1``: the cheapest "is there a row?"."""
        query = self.clone()
        query.is_exists = True
        if not query.distinct and not query.combinator and query.group_by is None:
            query.clear_ordering(force=True)
            query.set_limits(high=1)
        return query

    def needs_subquery(self) -> bool:
        """Whether counting or aggregating must wrap this query: it is sliced, distinct, grouped or combined."""
        return bool(self.is_sliced or self.distinct or self.combinator or self.group_by is not None or self.having)

    def get_count(self, using: str | None = None) -> int:
        """``SELECT COUNT(*)`` of the rows this query returns."""
        return self.get_aggregation(using, {"__count": Count("*")})["__count"]

    def get_aggregation(self, using: str | None, aggregates: dict) -> dict:
        """Run the aggregates over this query's rows; a dict of their values by name."""
        if self.needs_subquery() or any(a.contains_aggregate for a in self.annotations.values()):
            inner = self.clone()
            # >>> 07_relations
            inner.select_related = False  # the related objects' columns change no count, as Django drops them
            # <<< 07_relations
            outer = Query(self.model)
            outer.from_subquery = inner
            outer.annotations = {name: Ref(name, value) for name, value in inner.annotation_select.items()}
            if inner.values_select:
                inner_names = set(inner.values_select)
                outer.annotations = {n: v for n, v in outer.annotations.items() if n in inner_names}
            if not inner.is_sliced:
                # Without a slice the order picks no rows; dropped, as Django does, it no longer adds
                # its columns to a DISTINCT or a GROUP BY: count() counts the rows without them.
                inner.clear_ordering(force=True)
        else:
            outer = self.clone()
            outer.clear_ordering(force=True)
            outer.hidden_annotations |= set(outer.annotations)
        resolved = {}
        for alias, aggregate in aggregates.items():
            expression = aggregate.resolve_expression(outer, summarize=True)
            if not expression.contains_aggregate:
                raise TypeError(f"{alias} is not an aggregate expression")
            resolved[alias] = expression
        compiler = SQLAggregateCompiler(outer, connections[using or DEFAULT_DB_ALIAS], using)
        return compiler.execute_aggregates(resolved)

    def has_results(self, using: str | None = None) -> bool:
        """Whether the query returns at least one row."""
        return self.exists().get_compiler(using).has_results()

    def shape(self, params: list, connection) -> tuple:
        """The key of this query's SQL with the values left out, which go to ``params`` in SQL order.

        Raises NoShape for what is not cached (grouping, combining, a subquery
        as the source, expressions in ``order_by``).
        """
        if self.group_by is not None or self.having or self.combinator or self.from_subquery is not None:
            raise NoShape
        keys = [self.model, self.values_select, self.deferred_loading, self.distinct, self.is_exists]
        # The selected annotations, walked in the order the SELECT list writes them.
        if self.is_exists:
            selected = ()
        elif self.values_select is not None:
            selected = self.values_select or tuple(self.annotation_select)
        else:
            selected = tuple(self.annotation_select)
        for name in selected:
            if name in self.annotations:
                keys.append((name, self.annotations[name].shape(params, connection)))
        keys.append(self.where.shape(params, connection))
        for item in self.order_by:
            # An expression, or an annotation not selected (alias(), values()), puts its own SQL and values in ORDER BY.
            if not isinstance(item, str):
                raise NoShape
            name = item.lstrip("-")
            if name in self.annotations and not self.selects_annotation(name):
                raise NoShape
        keys.append((self.order_by, self.default_ordering, self.standard_ordering))
        if self.is_sliced:
            params.extend(self.limit_params())
        keys.append((self.is_sliced, bool(self.low_mark)))
        # >>> 07_relations
        if self.alias_map:
            keys.append(joins.alias_map_shape(self))
        if self.select_related:
            keys.append(("select_related", tree_shape(self.select_related)))
        # <<< 07_relations
        return tuple(keys)


def base_column(expression):
    """The column under a chain of transforms (``Year(Col(published))`` -> ``Col(published)``), or None."""
    while isinstance(expression, Transform):
        expression = expression.lhs
    return expression if isinstance(expression, Col) else None
