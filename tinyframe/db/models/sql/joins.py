"""Joins: how ``author__name`` becomes a column of a joined table, and how the FROM clause writes it.

How it works, for ``Book.objects.filter(author__name="Le Guin")``:

1. ``names_to_path`` walks the names over the models: ``author`` is a
   relation, so its ``path_infos`` hops are the path (one for a foreign
   key, two for a many-to-many, through its table); ``name`` is a plain
   field, the target. What is left (``icontains``...) are lookups.
2. ``trim_path`` drops the last forward hops whose target the row already
   holds: ``author__id=3`` and ``author=3`` read ``"library_book"."author_id"``
   and join nothing.
3. ``setup_joins`` makes a ``Join`` per remaining hop and files it in
   ``query.alias_map`` (``join``): an equal join already there is reused —
   always for a single-valued hop, only within the same ``filter()`` call for
   a many-valued one, which is what makes two chained filters on ``tags``
   two joins. The first use of a table is called by its name, later ones
   ``T3``, ``T4``... (the number is the map's size plus one).
4. The new join starts as a LEFT OUTER JOIN when the hop may find no row (a
   nullable key, any reverse hop), else INNER. Once a ``filter()`` is built,
   ``update_join_types`` lets its conditions vote, as Django's JoinPromoter
   does: a join every AND-ed condition needs becomes INNER (a row without
   the related row cannot match), one that only some branches of an OR need
   becomes LEFT OUTER (the other branches may match without it).
5. The compiler writes ``FROM`` with ``from_clause``: the base table, then
   each join some column of the query reads (and the joins those hang from),
   in the order they were made. A query with no join pays nothing: its
   ``alias_map`` stays empty and the compiler never comes here.
"""

from collections import Counter
from types import MappingProxyType
from typing import NamedTuple

from tinyframe.core.exceptions import FieldDoesNotExist, FieldError
from tinyframe.db.models.expressions import Col, ResolvedOuterRef
from tinyframe.db.models.sql.datastructures import INNER, LOUTER, BaseTable, Join
from tinyframe.db.models.sql.where import AND, OR, WhereNode
from tinyframe.utils.suggestions import suggest

LOOKUP_SEP = "__"

# The alias map of a query without joins: shared, and read-only so that no code fills it by mistake.
NO_JOINS = MappingProxyType({})


# -- names to a path ------------------------------------------------------------------


def path_field(options, name: str):
    """The field or reverse relation called ``name`` on a model (``pk``: its key), or None."""
    if name == "pk":
        return options.pk
    try:
        return options.get_field(name)
    except FieldDoesNotExist:
        return None


def walks_relation(query, name: str) -> bool:
    """Whether ``name`` (a filter key, an F name) starts with a relation: ``author``, ``book__title``.

    ``author_id`` is the row's own column, not a relation; an annotation's name is the annotation's.
    """
    # Asked for every filter and every name a query resolves, so two dict lookups rather than
    # get_field's exception for a miss: the single-table queries of chapter 06 must not slow down.
    first = name.partition(LOOKUP_SEP)[0]
    options = query.model._meta
    if first == "pk":
        field = options.pk
    else:
        field = options._forward_fields_map.get(first) or options.fields_map.get(first)
    if field is None or not field.is_relation or (field.concrete and field.attname == first):
        return False
    return first not in query.annotations


def field_names(options) -> list:
    """The names a filter may start with (Django's "Choices are"): fields, attnames, many-to-many, reverse relations."""
    names = set()
    for field in options.get_fields():
        names.add(field.name)
        if field.concrete:
            names.add(field.attname)
    return sorted(names)


def cannot_resolve(name: str, options, annotations=()) -> FieldError:
    """Django's FieldError for a name that is not a field of the model, naming the choices."""
    choices = sorted([*field_names(options), *annotations])
    error = FieldError(f"Cannot resolve keyword '{name}' into field. Choices are: {', '.join(choices)}")
    suggest(error, name, choices)
    return error


class NamesPath(NamedTuple):
    """Where a list of names leads (``names_to_path``).

    ``path`` is the PathInfo hops, ``final_field`` the last field reached (the
    relation's join field when the names end at a relation), ``targets`` the
    fields the last hop arrives at, ``rest`` the names left over (lookups and
    transforms), ``names_with_path`` each relation's name with its hops.
    """

    path: list
    final_field: object
    targets: tuple
    rest: list
    names_with_path: list


def names_to_path(query, names: list) -> NamesPath:
    """Walk ``names`` over the models, from the query's: the fields, then what is left (see ``NamesPath``).

    The first name must be a field (else Django's "Cannot resolve keyword"
    error); the first later one that is not a field of the model reached
    ends the path, and it and the names after it are lookups or transforms.
    """
    options = query.model._meta
    path, names_with_path = [], []
    final_field, targets, rest = None, (), []
    for position, name in enumerate(names):
        field = path_field(options, name)
        if field is None:
            if position == 0:
                raise cannot_resolve(name, options, query.annotations)
            rest = names[position:]
            break
        if field.is_relation and hasattr(field, "get_path_info"):
            hops = field.path_infos
            path.extend(hops)
            names_with_path.append((name, hops))
            options = hops[-1].to_opts
            final_field, targets = hops[-1].join_field, hops[-1].target_fields
        else:
            final_field, targets = field, (field,)
            rest = names[position + 1 :]
            break
    return NamesPath(path, final_field, targets, rest, names_with_path)


def trim_path(path: list, targets: tuple) -> tuple:
    """``(path, targets)`` without the last forward hops whose target columns the previous table holds.

    ``book -> author`` arriving at ``Author.id`` is ``Book.author_id`` on the
    book's own row: no join. A reverse hop is never trimmed (the column is on
    the other side).
    """
    path = list(path)
    while path and path[-1].direct:
        pairs = {target.column: local for local, target in path[-1].join_field.related_fields}
        if not all(target.column in pairs for target in targets):
            break
        targets = tuple(pairs[target.column] for target in targets)
        path.pop()
    return path, targets


# -- joins in the alias map ---------------------------------------------------------------


def joining_columns(hop) -> tuple:
    """``((parent_column, column),)`` of one hop: the parent table's column equal to the joined table's."""
    if hop.direct:
        return hop.join_field.get_joining_columns()
    return tuple((target, local) for local, target in hop.join_field.field.get_joining_columns())


def base_alias(query) -> str:
    """The alias of the query's own table: its name."""
    return query.model._meta.db_table


def join(query, new: Join, reuse=None) -> str:
    """The alias of ``new`` in the query: an equal join's (``reuse`` None: any; else one of those), or a new one's."""
    alias_map = query.alias_map
    if not alias_map:
        table = base_alias(query)
        alias_map = query.alias_map = {table: BaseTable(table, table)}
    reusable = [alias for alias, entry in alias_map.items() if (reuse is None or alias in reuse) and new.equals(entry)]
    if reusable:
        return reusable[-1]
    taken = any(entry.table_name == new.table_name for entry in alias_map.values())
    alias = f"T{len(alias_map) + 1}" if taken else new.table_name
    outer = alias_map[new.parent_alias].join_type == LOUTER or new.nullable
    alias_map[alias] = new.replace(table_alias=alias, join_type=LOUTER if outer else INNER)
    return alias


def setup_joins(query, path: list, can_reuse=None) -> list:
    """Join each hop of ``path``; the aliases from the base table's to the last table's.

    A single-valued hop (``m2m`` False) may reuse any equal join; a
    many-valued one only those in ``can_reuse`` (the joins of the same
    ``filter()`` call), or any when ``can_reuse`` is None.
    """
    alias = base_alias(query)
    aliases = [alias]
    for hop in path:
        nullable = hop.join_field.null if hop.direct else True
        new = Join(hop.to_opts.db_table, alias, None, INNER, hop.join_field, nullable, joining_columns(hop))
        alias = join(query, new, can_reuse if hop.m2m else None)
        aliases.append(alias)
    return aliases


def column(query, alias: str, target) -> Col:
    """``target``'s column in the table called ``alias`` (a plain Col on the query's own table)."""
    if alias == base_alias(query):
        return target.cached_col
    col = Col(target)
    col.alias = alias
    return col


def resolve_path_ref(query, name: str, allow_joins: bool = True, reuse=None):
    """What ``author__name`` (or ``book``, ``tags``) means in a query: a column of a joined table, joins made.

    Names left after the fields are transforms (``F("author__born__year")``).
    """
    names = name.split(LOOKUP_SEP)
    path, final_field, targets, rest, _ = names_to_path(query, names)
    options = path[-1].to_opts if path else query.model._meta
    path, targets = trim_path(path, targets)
    if path and not allow_joins:
        raise FieldError("Joined field references are not permitted in this query")
    aliases = setup_joins(query, path, reuse)
    expression = column(query, aliases[-1], targets[0])
    if rest and final_field.is_relation and expression.get_transform(rest[0]) is None:
        raise cannot_resolve(rest[0], options)  # values("author__nmae"), as Django says it
    for position, transform in enumerate(rest):
        expression = query.try_transform(expression, transform, rest[position:])
    return expression


def resolve_outer_refs(inner, outer) -> None:
    """Join now, in the outer query, what the subquery's ``OuterRef("author__name")`` reads.

    An ``OuterRef`` is compiled by the outer query's compiler, after that
    query's FROM clause is written: a join it needed then would be too late.
    """
    for name in outer_ref_names(inner):
        outer.resolve_ref(name)


def outer_ref_names(inner) -> list:
    """The names across relations a subquery's ``OuterRef`` read in its outer query (``["author__name"]``)."""
    names, stack = [], [inner.where, *inner.annotations.values()]
    while stack:
        node = stack.pop()
        if isinstance(node, ResolvedOuterRef):
            if isinstance(node.name, str) and LOOKUP_SEP in node.name:
                names.append(node.name)
        elif node is not None and not hasattr(node, "query"):
            stack.extend(getattr(node, "get_source_expressions", list)())
    return names


# -- INNER or LEFT OUTER: the conditions vote ----------------------------------------------


def promote_joins(query, aliases) -> None:
    """Make these joins LEFT OUTER where a row may lack them (nullable, under a LEFT OUTER), then their children."""
    alias_map = query.alias_map
    pending = list(aliases)
    while pending:
        alias = pending.pop(0)
        entry = alias_map[alias]
        if entry.join_type is None or entry.join_type == LOUTER:
            continue
        if entry.nullable or alias_map[entry.parent_alias].join_type == LOUTER:
            alias_map[alias] = entry.promote()
            pending.extend(child for child, other in alias_map.items() if other.parent_alias == alias)


def demote_joins(query, aliases) -> None:
    """Make these joins INNER: every row the query keeps has the related row."""
    alias_map = query.alias_map
    for alias in aliases:
        if alias_map[alias].join_type == LOUTER:
            alias_map[alias] = alias_map[alias].demote()


def joined_aliases(query, expressions) -> set:
    """The aliases of the joined tables the expressions read, with the joins those hang from."""
    found, stack = set(), list(expressions)
    while stack:
        node = stack.pop()
        if isinstance(node, Col):
            if node.alias is not None:
                found.add(node.alias)
        elif hasattr(node, "query"):  # a subquery: its columns are its own, but not its OuterRef's
            stack.extend(query.resolve_ref(name) for name in outer_ref_names(node.query))
        elif node is not None:
            stack.extend(getattr(node, "get_source_expressions", list)())
    alias_map = query.alias_map
    needed = set()
    for alias in found:
        while alias in alias_map and alias not in needed:
            needed.add(alias)
            alias = alias_map[alias].parent_alias
    return needed


def required_joins(condition, negated: bool) -> set:
    """The joins a condition needs a row in (its votes for INNER): none when it is negated or an ``isnull=True``.

    Only a condition across a relation votes: ``build_related_filter`` gives it
    ``needed_joins``, its path's joins. A condition on an annotation (HAVING
    ``n > 1`` of a ``Count("book")``) leaves the annotation's joins alone.
    """
    needed = getattr(condition, "needed_joins", None)
    if not needed:
        return set()
    if condition.lookup_name == "isnull":
        require_outer = condition.rhs is True if not negated else condition.rhs is False
    else:
        require_outer = negated
    return set() if require_outer else set(needed)


def update_join_types(query, node: WhereNode, negated: bool = False) -> set:
    """Let the conditions of one ``filter()`` vote INNER or LEFT OUTER for their joins (Django's JoinPromoter).

    Under an AND, a join any child needs becomes INNER; under an OR, one that
    not every child needs becomes LEFT OUTER (a row may match another branch
    without it), one they all need INNER. NOT swaps AND and OR. Returns the
    joins this node needs, its vote in the node above.
    """
    negated = negated ^ node.negated
    connector = node.connector if not negated else (OR if node.connector == AND else AND)
    votes = Counter()
    for child in node.children:
        if isinstance(child, WhereNode):
            votes.update(update_join_types(query, child, negated))
        else:
            votes.update(required_joins(child, negated))
    promote, demote = set(), set()
    for alias, count in votes.items():
        if alias == base_alias(query):
            continue
        if connector == OR and count < len(node.children):
            promote.add(alias)
        if connector == AND or count == len(node.children):
            demote.add(alias)
    promote_joins(query, promote)
    demote_joins(query, demote)
    return demote


# -- two queries combined: qs1 | qs2, qs1 & qs2 ----------------------------------------------


def combine(query, rhs, connector: str) -> WhereNode:
    """Bring ``rhs``'s joins into ``query`` (a copy of the left side); ``rhs``'s WHERE, renamed to them.

    ``Book.objects.filter(author__name="a") | Book.objects.filter(tags__name="x")``:
    the right side's joins are added to the left's, as Django's
    ``Query.combine`` adds them. Under OR an equal join is shared (one row
    matching either side is enough); under AND a many-valued one is not
    (two conditions on ``tags`` may be met by two tags), so the right side's
    joins are all new. Then the two sides vote, as ``update_join_types``
    does: a join only one side of an OR needs becomes LEFT OUTER.
    """
    votes = Counter(alias for alias, entry in query.alias_map.items() if entry.join_type == INNER)
    reuse = set() if connector == AND else set(query.alias_map)
    renamed = {}
    for alias, entry in list(rhs.alias_map.items())[1:]:
        new = entry.replace(parent_alias=renamed.get(entry.parent_alias, entry.parent_alias))
        shared = [alias for alias in reuse if new.equals(query.alias_map[alias])]
        new_alias = join(query, new, reuse)
        reuse.discard(new_alias)  # two equal joins on the right stay two joins
        # A shared join votes as the right side had it; a new one as it starts here (Django's vote).
        if (entry if shared else query.alias_map[new_alias]).join_type == INNER:
            votes[new_alias] += 1
        renamed[alias] = new_alias
    promote_joins(query, [alias for alias, count in votes.items() if connector == OR and count < 2])
    demote_joins(query, [alias for alias, count in votes.items() if connector == AND or count == 2])
    return relabeled(rhs.where, renamed)


def relabeled(node, renamed: dict):
    """A copy of a WHERE tree (or an expression) whose columns of joined tables carry the aliases ``renamed`` gives."""
    if not renamed:
        return node
    if isinstance(node, WhereNode):
        return WhereNode([relabeled(child, renamed) for child in node.children], node.connector, node.negated)
    if isinstance(node, Col):
        if node.alias not in renamed:
            return node
        copy = node.copy()
        copy.alias = renamed[node.alias]
        return copy
    if hasattr(node, "query") or not hasattr(node, "get_source_expressions"):
        return node  # a subquery names the outer columns by name; NothingNode has no columns
    copy = node.copy()
    copy.set_source_expressions([relabeled(source, renamed) for source in node.get_source_expressions()])
    return copy


# -- writing the FROM clause ----------------------------------------------------------------


def alias_names(compiler) -> dict:
    """How each alias of the query is written: a table name quoted, ``T3`` as it is; in a subquery, ``U0``, ``U1``...

    A subquery's tables are renamed by position (the compiler's own alias
    letter, the base table first), as Django relabels them, so that they
    cannot clash with the outer query's.
    """
    query = compiler.query
    names = {}
    letter, start = compiler.alias[0], compiler.alias[1:]
    for position, (alias, entry) in enumerate(query.alias_map.items()):
        if isinstance(entry, BaseTable):
            names[alias] = compiler.alias
        elif compiler.depth:
            names[alias] = f"{letter}{int(start) + position}"
        elif alias == entry.table_name:
            names[alias] = compiler.quote_name(alias)
        else:
            names[alias] = alias
    return names


def quote_alias(compiler, alias: str) -> str:
    """The SQL name of one of the query's aliases (computed once per compiler)."""
    names = compiler.__dict__.get("alias_names")
    if names is None:
        names = compiler.alias_names = alias_names(compiler)
    return names[alias]


def subquery_alias(compiler) -> str:
    """A subquery's own alias, as Django's: ``U0`` one level down, ``V0`` two levels down.

    When a many-valued exclude left out the first table (``trimmed_start``), the numbers start at 1, as in Django.
    """
    return f"{chr(ord('U') + compiler.depth - 1)}{compiler.query.trimmed_start}"


def from_clause(compiler, params: list) -> str:
    """``FROM "table" JOIN ...``: the base table, then each join a column of the query reads, in the order made."""
    query = compiler.query
    ordering = [] if query.is_exists else query.ordering_terms()
    group_by = query.group_by if isinstance(query.group_by, tuple) else ()
    expressions = [
        *compiler.selected_expressions(), query.where, query.having, *query.annotations.values(), *group_by, *ordering,
    ]  # fmt: skip
    needed = joined_aliases(query, expressions)
    parts = [f"FROM {compiler.table} {compiler.alias}" if compiler.depth else f"FROM {compiler.table}"]
    for alias, entry in query.alias_map.items():
        if alias in needed and entry.join_type is not None:  # the base table is written already
            sql, join_params = compiler.compile(entry)
            parts.append(sql)
            params.extend(join_params)
    return " ".join(parts)


def alias_map_shape(query) -> tuple:
    """The part of the query's shape its joins decide (tables, aliases, join types, columns)."""
    return tuple(entry.identity() for entry in query.alias_map.values())
