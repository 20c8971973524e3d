"""Filters and orderings across relations: ``filter(author__name="x")``, ``exclude(tags__name="x")``, ordering.

How it works: ``Query.build_filter`` hands a key starting with a relation
to ``build_related_filter``, which

1. walks the names (``joins.names_to_path``): ``author__name__icontains`` is
   the path through ``author``, the field ``name``, the lookup ``icontains``;
2. when it is an ``exclude()`` across a many-valued relation (a reverse
   foreign key, a many-to-many), asks a question a join cannot answer —
   "has no tag called x", not "has a tag not called x" — so writes it as a
   subquery instead (``split_exclude``)::

       NOT (EXISTS(SELECT 1 AS "a" FROM "library_book_tags" U1
                   INNER JOIN "library_tag" U2 ON (U1."tag_id" = U2."id")
                   WHERE (U2."name" = x AND U1."book_id" = ("library_book"."id")) LIMIT 1))

3. otherwise turns a model instance or a QuerySet value into keys
   (``related_lookups``), trims and sets up the joins (``joins``), and builds
   the lookup on the column with ``Query.build_lookup`` as any filter.

The joins it makes are remembered in ``query.used_aliases`` for the rest of
the ``filter()`` call: within one call, two conditions on ``tags`` share a
join (the same tag must match both); two calls make two joins. A ``Q``
inside an expression (``Count("book", filter=Q(book__price__lt=25))``) may
share any join: it counts the rows the annotation's join brings.

``relation_ordering`` rewrites ``order_by("author")`` as the target's own
``Meta.ordering`` (``author__name``), as Django orders by a relation.
"""

from tinyframe.core.exceptions import FieldError
from tinyframe.db.models.expressions import Col, Expression, NoShape
from tinyframe.db.models.fields.related_lookups import normalize_related_value
from tinyframe.db.models.lookups import Exact, IsNull
from tinyframe.db.models.sql import joins
from tinyframe.db.models.sql.datastructures import LOUTER
from tinyframe.db.models.sql.where import AND, WhereNode
from tinyframe.utils.suggestions import suggest

LOOKUP_SEP = "__"
# What a filter ending at a relation may ask of its key, as in Django: author__gt=3, not author__contains="A".
RELATED_LOOKUPS = ("exact", "in", "gt", "gte", "lt", "lte", "isnull")


def build_related_filter(query, key: str, value, negated: bool = False):
    """One ``relation__field__lookup=value`` condition as a lookup on a (joined) column; see the module docstring."""
    names = key.split(LOOKUP_SEP)
    path, final_field, targets, lookups, names_with_path = joins.names_to_path(query, names)
    if final_field.is_relation and lookups and lookups[0] not in RELATED_LOOKUPS:
        error = FieldError(
            f"Unsupported lookup '{LOOKUP_SEP.join(lookups)}' for {type(final_field).__name__} "
            "or join on the field not permitted."
        )
        suggest(error, lookups[0], RELATED_LOOKUPS)
        raise error
    if (negated or query.branch_negations) and any(hop.m2m for hop in path):
        return split_exclude(query, names[: len(names) - len(lookups)], lookups, value, names_with_path)
    if final_field.is_relation and (not hasattr(value, "resolve_expression") or hasattr(value, "_iterable_class")):
        value = normalize_related_value(value, lookups[-1] if lookups else "exact", path[-1].to_opts, targets[0])
    used = query.used_aliases  # None outside a filter() call (a Q inside an aggregate): any join may be shared
    if hasattr(value, "resolve_expression"):
        value = value.resolve_expression(query, reuse=used)
    path, targets = joins.trim_path(path, targets)
    aliases = joins.setup_joins(query, path, used)
    if used is not None:
        used.update(aliases)
    lhs = joins.column(query, aliases[-1], targets[0])
    lookup = query.build_lookup(lookups, lhs, value)
    # Its votes for INNER joins (joins.update_join_types): the path's joins, and those of an F() value.
    value_joins = joins.joined_aliases(query, [value]) if hasattr(value, "as_sql") else set()
    lookup.needed_joins = frozenset(aliases[1:]) | value_joins
    if negated and not isinstance(lookup, IsNull):
        # NOT (a = x) is NULL, not true, where a is NULL (no related row, under a LEFT OUTER JOIN):
        # exclude() keeps those rows, so the condition says "and a is not NULL" too, as Django's.
        last_join = query.alias_map.get(aliases[-1])
        nullable = [lhs] if lhs.target.null or (last_join is not None and last_join.join_type == LOUTER) else []
        if isinstance(value, Col) and value.target.null:
            nullable.append(value)
        if nullable:
            return WhereNode([lookup, *(IsNull(column, False) for column in nullable)], AND)
    return lookup


def split_exclude(query, field_names: list, lookups: list, value, names_with_path: list):
    """``exclude()`` across a many-valued relation: ``EXISTS`` of the related rows that match, to be negated.

    The names before the first many-valued relation stay in the outer query
    (``review__book``); the subquery starts at the table that relation
    reaches (a reverse foreign key's model, or a many-to-many's through
    table) and is tied to the outer row by the relation's key. A condition
    that asks for no related row (``isnull=True``, ``=None``) keeps the outer
    model as the subquery's first table, joined LEFT OUTER as the filter would.
    """
    from tinyframe.db.models.expressions import Exists, F, OuterRef
    from tinyframe.db.models.query_utils import Q
    from tinyframe.db.models.sql.query import Query

    if isinstance(value, F):
        value = OuterRef(value.name)
    key = LOOKUP_SEP.join(field_names + lookups)
    if (lookups[-1:] == ["isnull"] and value is True) or (lookups in ([], ["exact"]) and value is None):
        # "Has no related row" needs the LEFT OUTER JOIN: the subquery starts at the outer model itself.
        inner = Query(query.model)
        inner.add_q(Q((key, value)))
        pk = query.model._meta.pk
        inner.where.add(Exact(Col(pk), OuterRef(pk.name).resolve_expression(inner)), AND)
        return Exists(inner)
    prefix = []
    for name, hops in names_with_path:
        if any(hop.m2m for hop in hops):
            break
        prefix.append(name)
    _name, hops = names_with_path[len(prefix)]
    first = hops[0]
    link = first.join_field.field  # the foreign key on the subquery's table, pointing back at the outer row
    inner_names = [hop.join_field.name for hop in hops[1:]] + field_names[len(prefix) + 1 :]
    if not inner_names:
        inner_names = [first.target_fields[0].name]
    # Django's subquery starts at the outer model and trims the tables before this one: they keep their numbers
    # (U0 the outer model's, U1 the next...), and this table's alias is its name unless a table before has it.
    hops_before = [hop for _name, hops in names_with_path[: len(prefix)] for hop in hops]
    inner = Query(first.to_opts.model)
    inner.trimmed_start = 1 + len(hops_before)
    inner.add_q(Q((LOOKUP_SEP.join(inner_names + lookups), value)))
    table = first.to_opts.db_table
    before = {query.model._meta.db_table, *(hop.to_opts.db_table for hop in hops_before)}
    alias = f"T{len(hops_before) + 2}" if table in before else table
    joined = query.alias_map.get(alias) if query.used_aliases and alias in query.used_aliases else None
    if joined is not None and joined.table_name == table:
        # This filter() call joined the table already: the condition is on that same related row, as in Django.
        pk = first.to_opts.pk
        inner.where.add(Exact(Col(pk), OuterCol(alias, pk)), AND)
    else:
        outer_name = LOOKUP_SEP.join([*prefix, link.target_field.name])
        if prefix:  # join the outer tables the subquery reads now: compiling it comes after the FROM clause
            query.resolve_ref(outer_name)
        inner.where.add(Exact(Col(link), OuterRef(outer_name).resolve_expression(inner)), AND)
    return Exists(inner)


class OuterCol(Expression):
    """A column of the outer query's joined table ``alias``, read inside a subquery: ``("library_book_tags"."id")``."""

    contains_aggregate = False

    def __init__(self, alias: str, target):
        super().__init__(output_field=target)
        self.alias, self.target = alias, target

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        outer = compiler.parent
        return f"({outer.quote_alias(self.alias)}.{outer.quote_name(self.target.column)})", []

    def shape(self, params, connection):
        raise NoShape

    def get_group_by_cols(self) -> list:
        return []


def split_having(node: WhereNode) -> tuple[list, list]:
    """The conditions of one ``filter()`` that go to WHERE and those that go to HAVING, as Django splits them.

    ``Author.objects.annotate(n=Count("book")).filter(n__gt=0, book__price__gt=15)``:
    the price is a condition on the rows before they are grouped (WHERE,
    on the second join of ``book``), the count one on the groups (HAVING).
    In HAVING the price would be read from one row of each group, whichever
    SQLite picks. Only the branches of an AND split; a NOT or an OR mixing
    both kinds stays whole in HAVING.
    """
    if not node.contains_aggregate:
        return [node], []
    if node.connector != AND or node.negated:
        return [], [node]
    where, having = [], []
    for child in node.children:
        if isinstance(child, WhereNode):
            child_where, child_having = split_having(child)
        else:
            child_where, child_having = ([], [child]) if child.contains_aggregate else ([child], [])
        where += child_where
        having += child_having
    return where, having


def relation_ordering(query, items) -> list:
    """``items`` with each name ending at a relation replaced by the related model's ``Meta.ordering``, prefixed.

    ``order_by("author")`` orders by ``author__name`` when ``Author.Meta.ordering
    == ["name"]`` (``"-author"`` flips each term), and by the key when the
    related model has no ordering. A relation ``values()`` selects is ordered by
    the key it selects, as in Django: ``values("publisher").order_by("publisher")``.
    """
    selected = query.values_select or ()
    result = []
    for item in items:
        name = item.lstrip("-") if isinstance(item, str) else None
        if name and item != "?" and name not in selected and joins.walks_relation(query, name):
            result.extend(expand_ordering(query, item, frozenset()))
        else:
            result.append(item)
    return result


def expand_ordering(query, item: str, seen: frozenset) -> list:
    """The ordering terms ``item`` stands for (see ``relation_ordering``); a loop of orderings is Django's FieldError.

    ``seen`` holds the models whose ordering this item has been expanded through already.
    """
    descending = item.startswith("-")
    name = item.lstrip("-")
    names = name.split(LOOKUP_SEP)
    path, final_field, _targets, rest, _ = joins.names_to_path(query, names)
    if rest or not path or not final_field.is_relation or names[-1] == getattr(final_field, "attname", None):
        return [item]
    options = path[-1].to_opts
    if not options.ordering:
        return [item]
    if options in seen:  # a model ordered by a relation that comes back to it: Category ordered by "parent"
        raise FieldError("Infinite loop caused by ordering.")
    seen = seen | {options}
    terms = []
    for term in options.ordering:
        if not isinstance(term, str):
            raise FieldError(f"Ordering by '{name}' needs {options.object_name}.Meta.ordering of field names.")
        term_descending = term.startswith("-") != descending
        full = f"{'-' if term_descending else ''}{name}{LOOKUP_SEP}{term.lstrip('-')}"
        terms.extend(expand_ordering(query, full, seen))
    return terms
