"""select_related: related objects fetched by the same query, through JOINs, built by one generated function.

How it works: ``Book.objects.select_related("author__publisher")``

1. ``QuerySet.select_related`` keeps the names as a tree in the query:
   ``Query.select_related == {"author": {"publisher": {}}}`` (``True`` for
   "every non-null foreign key", ``False`` for none), part of its shape;
2. when the compiler lists the columns, ``related_selections`` walks the
   tree over the models' foreign keys (and reverse one-to-ones), joins each
   table (``sql/joins.py``'s ``setup_joins``: LEFT OUTER when the key may be NULL) and
   adds the related model's columns after the query's own, as Django orders
   them. It returns a tree of ``RelatedSelection``: which relation, which
   model, which columns;
3. ``related_hydrator`` writes one Python function for that shape (as
   ``hydration.py`` does for one model): per row, the book, then its author
   (None when the joined key is NULL), then the author's publisher, each
   kept in its parent's ``_state.fields_cache``, so ``book.author`` costs no
   query. ``print(qs.query.hydrator_source)`` shows it.

Steps 2 and 3 are done once per shape, as the compiler writes the SQL once
per shape: ``select_related_plan`` keeps the tree, the joins it added and the
function in a ``SelectRelatedPlan``, under what decides them (the model, the
tree, ``only()``/``defer()``, the annotations, the joins made so far). The
next query of that shape copies the joins into its alias map and reuses the
rest: no walk over the models, no join to look for, no key to rebuild.
"""

from dataclasses import dataclass, field as dataclass_field

from tinyframe.core.exceptions import FieldError
from tinyframe.db.models.hydration import RESERVED, Hydrator, assignment, local_name
from tinyframe.db.models.sql import joins

# How far select_related() without names follows foreign keys, as Django's Query.max_depth.
MAX_DEPTH = 5

_hydrators: dict = {}

# plan_key(query) -> SelectRelatedPlan. Bounded as the compiler's SQL_CACHE is: forgotten when full.
_plans: dict = {}
PLANS_LIMIT = 2048


def add_select_related(current, names) -> dict:
    """The select_related tree after ``select_related(*names)``: ``current`` (a dict, or a bool) with ``names`` added.

    A new dict (the query it came from may be shared by another QuerySet):

    >>> add_select_related({"author": {}}, ["author__publisher", "editor"])
    {'author': {'publisher': {}}, 'editor': {}}
    >>> add_select_related(True, ["editor"])
    {'editor': {}}
    """
    tree = copy_tree(current) if isinstance(current, dict) else {}
    for name in names:
        node = tree
        for part in name.split("__"):
            node = node.setdefault(part, {})
    return tree


def copy_tree(tree: dict) -> dict:
    """A copy of a select_related tree, every level new."""
    return {name: copy_tree(below) for name, below in tree.items()}


def tree_shape(tree) -> object:
    """The select_related tree as a hashable value, for ``Query.shape``.

    >>> tree_shape({"editor": {}, "author": {"publisher": {}}})
    (('author', (('publisher', ()),)), ('editor', ()))
    """
    if not isinstance(tree, dict):
        return tree
    return tuple(sorted((name, tree_shape(below)) for name, below in tree.items()))


@dataclass
class RelatedSelection:
    """One related model selected by the JOINs: where it hangs, which columns it has in the row.

    ``cache_name`` is the name the parent object keeps it under
    (``"author"``); ``back_cache_name`` the name it keeps the parent under,
    for a one-to-one (a restaurant's place knows its restaurant), else None.
    ``fields`` are its columns in row order, from ``start``; ``name`` the
    names from the query's model down to it (``"author__publisher"``).
    """

    name: str
    relation: object
    model: type
    cache_name: str
    back_cache_name: str | None
    alias: str
    fields: list
    path: list
    start: int = 0
    children: list = dataclass_field(default_factory=list)

    def identity(self) -> tuple:
        """What decides the generated code for this selection and below."""
        return (
            self.name, self.model, self.cache_name, self.back_cache_name, tuple(field.attname for field in self.fields),
            tuple(child.identity() for child in self.children),
        )  # fmt: skip


# -- choosing the relations (the compiler calls this) --------------------------------------


def field_choices(options) -> list:
    """What select_related accepts on a model: its foreign keys and the query names of its reverse one-to-ones."""
    forward = [field.name for field in options.fields if field.is_relation]
    reverse = [rel.field.related_query_name() for rel in reverse_one_to_ones(options)]
    return [*forward, *reverse]


def reverse_one_to_ones(options) -> list:
    """The reverse relations select_related may follow: those of a OneToOneField (a unique key) pointing here."""
    return [rel for rel in options.related_objects if rel.field.unique and not rel.many_to_many]


def invalid_names_error(kind: str, names, options) -> FieldError:
    """Django's FieldError for names select_related cannot follow, listing what it could."""
    choices = ", ".join(field_choices(options)) or "(none)"
    return FieldError(f"{kind} given in select_related: {names}. Choices are: {choices}")


# -- only() and defer() across relations: which columns of each related model -------------------


def check_loading_name(model, name: str) -> None:
    """Check a name ``only()``/``defer()`` takes across relations, ``"author__name"``: Django's FieldDoesNotExist if wrong."""
    *relations, last = name.split("__")
    for part in relations:
        field = model._meta.get_field(part)
        if not field.is_relation:
            raise FieldError(f"{model.__name__}.{part} is not a relation: only() and defer() cannot follow '{name}'.")
        model = field.related_model
    model._meta.get_field(last)


def loading_roots(names) -> set:
    """The relations the ``only()`` names go through, which are loaded too (Django's rule).

    >>> sorted(loading_roots({"title", "author__name", "review__book__title"}))
    ['author', 'review', 'review__book']
    """
    roots = set()
    for name in names:
        parts = name.split("__")
        roots.update("__".join(parts[:end]) for end in range(1, len(parts)))
    return roots


def loaded_fields_below(query, name: str, model) -> list:
    """The fields of the related ``model`` reached by ``name`` (``"author"``) that ``only()``/``defer()`` leave to load.

    ``only("title", "author__name")`` loads the author's key and name;
    ``only("title", "author")`` all its fields; ``defer("author__age")`` all
    but its age. The key is always loaded.
    """
    names, defer = query.deferred_loading
    prefix = f"{name}__"
    below = {rest for rest in (n[len(prefix) :] for n in names if n.startswith(prefix)) if rest}
    below |= loading_roots(below) if not defer else set()
    fields = model._meta.concrete_fields
    if defer:
        return [field for field in fields if field.name not in below or field.primary_key]
    if not below:
        return list(fields)
    return [field for field in fields if field.name in below or field.primary_key]


def related_selections(query, start: int) -> list:
    """The ``RelatedSelection`` tree for ``query.select_related``, each table joined (``setup_joins``).

    ``start`` is the row position of the first related column. A relation
    followed by a filter already is joined once: the join is reused, as in
    Django.
    """
    requested = query.select_related
    restricted = isinstance(requested, dict)
    deferred = {field.name for field in query.model._meta.concrete_fields} - {
        field.name for field in query.loaded_fields()
    }
    selections = []
    walk(query, query.model._meta, requested if restricted else {}, restricted, [], "", deferred, selections)
    position = start
    for selection in flatten(selections):
        selection.start = position
        position += len(selection.fields)
    return selections


def walk(query, options, requested: dict, restricted: bool, path: list, prefix: str, deferred: set, out: list) -> None:
    """Add the selections below one model (``options``, reached by ``path``, named ``prefix``) to ``out``, with Django's checks."""
    if not restricted and prefix.count("__") >= MAX_DEPTH:
        return
    found = set()
    for field in options.fields:
        below = requested.get(field.name, {})
        if restricted and not field.is_relation and (below or field.name in requested):
            raise invalid_names_error("Non-relational field", repr(field.name), options)
        if not field.is_relation or field.many_to_many:
            continue
        if restricted:
            if field.name not in requested:
                continue
            found.add(field.name)
        elif field.null:
            continue
        if field.name in deferred:
            raise FieldError(
                f"Field {options.object_name}.{field.name} cannot be both deferred and traversed using "
                "select_related at the same time."
            )
        back = field.remote_field.get_cache_name() if field.one_to_one else None
        selection = select(query, prefix, field, field.related_model, field.name, back, [*path, *field.path_infos])
        out.append(selection)
        walk(query, field.related_model._meta, below, restricted, selection.path, f"{selection.name}__", unloaded(selection), selection.children)
    if not restricted:
        return
    for rel in reverse_one_to_ones(options):
        name = rel.field.related_query_name()
        if name in requested:
            found.add(name)
            if not only_names_include(query, prefix, name):
                raise FieldError(
                    f"Field {options.object_name}.{name} cannot be both deferred and traversed using "
                    "select_related at the same time."
                )
            path_to = [*path, *rel.path_infos]
            selection = select(query, prefix, rel, rel.related_model, rel.get_cache_name(), rel.field.name, path_to)
            out.append(selection)
            walk(query, rel.related_model._meta, requested[name], restricted, path_to, f"{selection.name}__", unloaded(selection), selection.children)
    missing = [name for name in requested if name not in found]
    if missing:
        raise invalid_names_error("Invalid field name(s)", ", ".join(f"'{name}'" for name in missing), options)


def select(query, prefix: str, relation, model, cache_name: str, back_cache_name, path: list) -> RelatedSelection:
    """Join ``path`` (reusing the joins already made): the selection of its last table's model."""
    alias = joins.setup_joins(query, path)[-1]
    fields = loaded_fields_below(query, f"{prefix}{cache_name}", model)
    return RelatedSelection(f"{prefix}{cache_name}", relation, model, cache_name, back_cache_name, alias, fields, path)


def only_names_include(query, prefix: str, name: str) -> bool:
    """Whether ``only()`` leaves the reverse one-to-one ``name`` (below ``prefix``) to follow: no names at that level, or it."""
    names, defer = query.deferred_loading
    if defer:
        return True
    level = {rest.split("__")[0] for rest in (n[len(prefix) :] for n in names if n.startswith(prefix)) if rest}
    return not level or name in level


def unloaded(selection: RelatedSelection) -> set:
    """The names of the fields ``only()``/``defer()`` leave out of a selected model (select_related may not follow them)."""
    loaded = {field.name for field in selection.fields}
    return {field.name for field in selection.model._meta.concrete_fields} - loaded


def flatten(selections: list) -> list:
    """Every selection of the tree in row order: each one, then the ones below it (depth first)."""
    flat = []
    for selection in selections:
        flat.append(selection)
        flat.extend(flatten(selection.children))
    return flat


# -- building the objects: the generated function ------------------------------------------


def related_hydrator(model, fields, annotations, selections) -> Hydrator:
    """The (cached) function turning joined rows into ``model`` instances with their related objects.

    A row holds ``fields``' columns, then the ``annotations``' values, then
    each selection's columns (``selections``' row order).
    """
    key = (model, tuple(field.attname for field in fields), tuple(annotations), tuple(s.identity() for s in selections))
    found = _hydrators.get(key)
    if found is None:
        found = _hydrators[key] = build_related_hydrator(model, list(fields), list(annotations), selections)
    return found


class SourceWriter:
    """The lines of the generated function and the names they use (locals and namespace), kept unique."""

    def __init__(self):
        from tinyframe.db.models.base import ModelState

        self.taken = set(RESERVED)
        self.namespace = {"new": object.__new__, "ModelState": ModelState}
        self.classes = {}
        self.lines = []

    def name(self, wanted: str) -> str:
        return local_name(wanted, self.taken)

    def global_name(self, wanted: str, value) -> str:
        name = self.name(wanted)
        self.namespace[name] = value
        return name

    def class_name(self, model) -> str:
        """The global the generated code calls ``model`` by (its class name, unless taken)."""
        if model not in self.classes:
            self.classes[model] = self.global_name(model.__name__, model)
        return self.classes[model]

    def value(self, field, local: str) -> str:
        """The expression giving a column's value: the local, through the field's ``from_db_value`` if it has one."""
        converter = getattr(field, "from_db_value", None)
        if converter is None:
            return local
        return f"{self.global_name(f'{local}_from_db', converter)}({local}, None, connection)"

    def instance(self, indent: str, variable: str, state: str, model, entries: list) -> None:
        """Lines making one instance without ``__init__``: its ModelState, then its values (``hydration.assignment``)."""
        self.lines += [
            f"{indent}{state} = new(ModelState)",
            f"{indent}{state}.db = db",
            f"{indent}{state}.adding = False",
            f"{indent}{variable} = new({self.class_name(model)})",
            f"{indent}{variable}._state = {state}",
            *(f"{indent}{assignment(model, name, value, variable)}" for name, value in entries),
        ]


def build_related_hydrator(model, fields: list, annotations: list, selections: list) -> Hydrator:
    """Write, compile and return the function for one select_related shape (see the module docstring)."""
    writer = SourceWriter()
    writer.class_name(model)
    base_locals = [writer.name(field.attname) for field in fields]
    annotation_locals = [writer.name(name) for name in annotations]
    targets = [*base_locals, *annotation_locals]
    column_locals = {}
    for selection in flatten(selections):
        column_locals[id(selection)] = [writer.name(f"{selection.name}__{field.attname}") for field in selection.fields]
        targets += column_locals[id(selection)]
    writer.lines += [
        f"def hydrate_{model._meta.model_name}_select_related(rows, db, connection):",
        f"    '''{describe(model, fields, selections)}'''",
        "    instances = []",
        "    append = instances.append",
        f"    for {', '.join(targets)}{',' if len(targets) == 1 else ''} in rows:",
    ]
    entries = [(field.attname, writer.value(field, local)) for field, local in zip(fields, base_locals)]
    entries += list(zip(annotations, annotation_locals))
    writer.instance("        ", "instance", "state", model, entries)
    write_related(writer, "        ", "instance", "state", selections, column_locals)
    writer.lines += ["        append(instance)", "    return instances"]
    source = "\n".join(writer.lines) + "\n"
    function_name = f"hydrate_{model._meta.model_name}_select_related"
    exec(compile(source, f"<hydrator {model._meta.label} select_related>", "exec"), writer.namespace)
    return Hydrator(model, tuple(field.attname for field in fields), source, writer.namespace[function_name])


def write_related(writer, indent: str, parent: str, parent_state: str, selections: list, column_locals: dict,
                  back: tuple | None = None) -> None:  # fmt: skip
    """Lines building each selected object below ``parent`` (None when its key column is NULL), then the cache.

    ``back`` is ``(cache name, variable)`` of the parent, for a one-to-one's
    object, which knows the object it was reached from.
    """
    cache = [] if back is None else [back]
    for selection in selections:
        variable = writer.name(selection.name)
        state = writer.name(f"{selection.name}_state")
        locals_ = column_locals[id(selection)]
        pk_local = locals_[[field.primary_key for field in selection.fields].index(True)]
        writer.lines += [f"{indent}if {pk_local} is None:", f"{indent}    {variable} = None", f"{indent}else:"]
        entries = [(field.attname, writer.value(field, local)) for field, local in zip(selection.fields, locals_)]
        writer.instance(indent + "    ", variable, state, selection.model, entries)
        back_pair = (selection.back_cache_name, parent) if selection.back_cache_name else None
        write_related(writer, indent + "    ", variable, state, selection.children, column_locals, back_pair)
        cache.append((selection.cache_name, variable))
    if cache:
        pairs = ", ".join(f"{name!r}: {value}" for name, value in cache)
        writer.lines.append(f"{indent}{parent_state}.fields_cache = {{{pairs}}}")


def describe(model, fields: list, selections: list) -> str:
    """The generated function's docstring: ``Book rows (id, title, author_id) with author (id, name) -> Book instances.``"""
    parts = [f"{model.__name__} rows ({', '.join(field.attname for field in fields)})"]
    related = [
        f"{selection.name} ({', '.join(field.attname for field in selection.fields)})" for selection in flatten(selections)
    ]
    return f"{parts[0]} with {', '.join(related)} -> {model.__name__} instances."


# -- the hooks the compiler, the QuerySet and Query.hydrator_source call --------------------------


@dataclass(frozen=True)
class SelectRelatedPlan:
    """What one select_related shape compiles to: the selections, the joins they add, the function building the rows.

    ``joins`` maps each alias the selections added to the query's alias map
    to its ``Join``; ``columns`` are the selected models' columns, in row
    order; ``models`` the query's model and each selected one. Shared by
    every query of the shape, so never changed once made.
    """

    selections: list
    joins: dict
    columns: tuple
    models: tuple
    hydrator: Hydrator


def plan_key(query) -> tuple:
    """What decides a query's selections: its model, tree (or ``MAX_DEPTH``), ``only()``/``defer()``, annotations, the joins so far.

    The joins so far matter because a relation a filter joined already is
    reused, and a new join's alias (``T3``) counts the joins before it.
    """
    made = tuple((alias, entry.identity(), getattr(entry, "join_field", None)) for alias, entry in query.alias_map.items())
    tree = tree_shape(query.select_related) if isinstance(query.select_related, dict) else (True, MAX_DEPTH)
    return (query.model, tree, query.deferred_loading, tuple(query.annotation_select), made)


def select_related_plan(query, fields: list) -> SelectRelatedPlan:
    """The plan for ``query``'s shape, made the first time (the joins set up then); later, its joins copied in."""
    key = plan_key(query)
    plan = _plans.get(key)
    if plan is None:
        before = set(query.alias_map)
        annotations = list(query.annotation_select)
        selections = related_selections(query, len(fields) + len(annotations))
        added = {alias: entry for alias, entry in query.alias_map.items() if alias not in before}
        flat = flatten(selections)
        columns = tuple(joins.column(query, selection.alias, field) for selection in flat for field in selection.fields)
        models = (query.model, *(selection.model for selection in flat))
        hydrator = related_hydrator(query.model, fields, annotations, selections)
        if len(_plans) >= PLANS_LIMIT:
            _plans.clear()
        plan = _plans[key] = SelectRelatedPlan(selections, added, columns, models, hydrator)
    elif plan.joins:
        query.alias_map = {**query.alias_map, **plan.joins}
    return plan


def select_with_related(compiler, fields: list) -> list:
    """A model query's SELECT list with the related models' columns after its own and its annotations'.

    Sets ``compiler.related_selections`` (and ``select_related_plan``), which
    tells the QuerySet to build the rows with ``related_instances``.
    """
    query = compiler.query
    select = [(field.cached_col, None) for field in fields]
    select += [(annotation, name) for name, annotation in query.annotation_select.items()]
    plan = compiler.select_related_plan = select_related_plan(query, fields)
    compiler.related_selections = plan.selections
    return select + [(column, None) for column in plan.columns]


def related_columns(compiler) -> list:
    """The columns of the related models the compiler's query selects (none without select_related)."""
    plan = compiler.select_related_plan
    return [] if plan is None else list(plan.columns)


def related_instances(compiler, rows, db: str) -> list:
    """The instances of joined rows, each with its related objects in ``_state.fields_cache``.

    The plan's generated function builds them, unless a model of the tree
    defines its own ``from_db`` or someone listens to ``pre_init``/``post_init``:
    then each object is made by ``from_db``, as chapter 06 does for one model.
    """
    from tinyframe.db.models.iterables import built_by_hydrator

    plan = compiler.select_related_plan
    if not all(built_by_hydrator(model) for model in plan.models):
        query, fields, selections = compiler.query, compiler.model_fields, plan.selections
        annotations = list(query.annotation_select)
        return [build_one_by_one(query.model, fields, annotations, selections, row, db, compiler.connection) for row in rows]
    return plan.hydrator(rows, db, compiler.connection)


def build_one_by_one(model, fields: list, annotations: list, selections: list, row, db: str, connection):
    """One joined row's objects, each through its model's ``from_db`` (the slow path, see ``related_instances``)."""
    from tinyframe.db.models.iterables import python_values

    count = len(fields)
    instance = model.from_db(db, [field.attname for field in fields], python_values(fields, row[:count], connection))
    instance.__dict__.update(zip(annotations, row[count : count + len(annotations)]))
    attach_related(instance, selections, row, db, connection)
    return instance


def attach_related(parent, selections: list, row, db: str, connection) -> None:
    """Build each selection's object from its columns of ``row`` (None for a NULL key) and cache it on ``parent``."""
    from tinyframe.db.models.iterables import python_values

    for selection in selections:
        values = row[selection.start : selection.start + len(selection.fields)]
        pk_position = [field.primary_key for field in selection.fields].index(True)
        if values[pk_position] is None:
            obj = None
        else:
            attnames = [field.attname for field in selection.fields]
            obj = selection.model.from_db(db, attnames, python_values(selection.fields, values, connection))
            if selection.back_cache_name:
                obj._state.fields_cache[selection.back_cache_name] = parent
            attach_related(obj, selection.children, row, db, connection)
        parent._state.fields_cache[selection.cache_name] = obj


def related_hydrator_source(query) -> str:
    """The source of the function that builds a select_related query's rows (``Query.hydrator_source``)."""
    compiler = query.get_compiler()
    compiler.get_select()
    return compiler.select_related_plan.hydrator.source
