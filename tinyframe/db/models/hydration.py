"""Hydration: database rows become model instances through a generated function.

How it works: turning a row into an instance the obvious way — call the
model's ``__init__`` with the values, which walks every field, checks each
keyword, fills defaults, sends signals — costs microseconds per field, and a
page of a thousand rows pays it a thousand times. The work that depends
only on *which* columns were selected is the same for every row, so it is
done once: ``hydrator(model, fields)`` writes the source of a small Python
function for that model and those columns, compiles it, and caches it (as
chapter 03 compiles a template). The function creates each instance without
``__init__`` and sets its values as plain attributes, calling a field's
``from_db_value`` only for the fields that have one. A learner can print it
(``print(Book.objects.only("title").query.hydrator_source)``; the chapter's
test_hydration.py checks this shape)::

    def hydrate_book(rows, db, connection):
        '''Book rows (id, title) -> Book instances.'''
        instances = []
        append = instances.append
        for id, title in rows:
            state = new(ModelState)
            state.db = db
            state.adding = False
            instance = new(Book)
            instance._state = state
            instance.id = id
            instance.title = title
            append(instance)
        return instances

Why attributes, one by one, and not one dict for ``__dict__``: Python keeps
the attributes of an instance in a small array laid out once per class when
they are set one by one (the same names, in the same order, for every row);
assigning a whole dict to ``__dict__`` gives every instance a dict of its
own, one more object to make and for the garbage collector to walk
(tests/benchmarks/orm.py, fetching 10,000 books: 12-14% less time).
A value some class attribute would intercept, a data descriptor such as a
ForeignKey's ``author_id`` (chapter 07), goes straight into the instance's
``__dict__`` instead (``instance.__dict__['author_id'] = author_id``), as
does a name that cannot follow a dot (``class``): see ``assignment``.

Fields not selected (``only``, ``defer``) are simply absent from ``__dict__``;
their ``DeferredAttribute`` loads them on first access. ``pre_init`` and
``post_init`` are sent by the QuerySet, row by row, only when a receiver
listens (``Signal.has_listeners``), so a model nobody watches pays nothing.
"""

import inspect
import keyword
from dataclasses import dataclass

# Names the generated function uses itself; a field with one of these names gets another local.
RESERVED = {"rows", "db", "connection", "instances", "append", "instance", "state", "new", "ModelState"}

_hydrators: dict = {}


@dataclass(frozen=True)
class Hydrator:
    """A generated row-to-instance function, with its source for reading."""

    model: type
    attnames: tuple
    source: str
    function: object

    def __call__(self, rows, db, connection) -> list:
        return self.function(rows, db, connection)


def hydrator(model, fields) -> Hydrator:
    """The (cached) hydrator for ``model`` rows holding ``fields``' columns, in that order."""
    key = (model, tuple(field.attname for field in fields))
    found = _hydrators.get(key)
    if found is None:
        found = _hydrators[key] = build_hydrator(model, list(fields))
    return found


def local_name(attname: str, taken: set) -> str:
    """A Python name for a column (or a converter): the attname itself when it can be one, else another.

    Every name the generated function uses — its parameters and locals
    (``RESERVED``), the model's class, each column's local, each converter's
    global — goes through here and into ``taken``, because in Python a local
    hides a global of the same name: a column ``price_from_db`` beside a
    converted column ``price`` would otherwise replace the converter by the
    column's value. The other name is ``column_<attname>``, numbered while
    it is still taken.

    >>> local_name("title", set()), local_name("class", set()), local_name("rows", set())
    ('title', 'column_class', 'column_rows')
    >>> taken = {"price_from_db", "column_price_from_db"}
    >>> local_name("price_from_db", taken)
    'column_price_from_db_2'
    """
    if attname.isidentifier() and not keyword.iskeyword(attname) and attname not in RESERVED | taken:
        taken.add(attname)
        return attname
    base = f"column_{attname}" if f"column_{attname}".isidentifier() else "column"
    name, number = base, 1
    while name in taken or name in RESERVED:
        number += 1
        name = f"{base}_{number}"
    taken.add(name)
    return name


def assignment(model, attname: str, value: str, variable: str = "instance") -> str:
    """The line setting ``attname`` to ``value`` on the new ``variable``: a plain attribute, unless that cannot be.

    ``instance.title = title``, as for any object; but a name a data
    descriptor of the class intercepts (one with ``__set__``, such as the
    ForeignKey's ``author_id``, which would also forget a cached author) or
    a name that is no Python identifier goes into ``__dict__`` directly.

    >>> class Row:
    ...     size = property(lambda self: 0, lambda self, value: None)
    >>> assignment(Row, "title", "title"), assignment(Row, "size", "size"), assignment(Row, "class", "column_class")
    ('instance.title = title', "instance.__dict__['size'] = size", "instance.__dict__['class'] = column_class")
    """
    descriptor = type(inspect.getattr_static(model, attname, None))
    intercepted = hasattr(descriptor, "__set__") or hasattr(descriptor, "__delete__")
    if attname.isidentifier() and not keyword.iskeyword(attname) and not intercepted:
        return f"{variable}.{attname} = {value}"
    return f"{variable}.__dict__[{attname!r}] = {value}"


def build_hydrator(model, fields: list) -> Hydrator:
    """Write, compile and return the hydrator for ``model`` and ``fields`` (see the module docstring)."""
    from tinyframe.db.models.base import ModelState

    taken = set()
    model_global = local_name(model.__name__, taken)  # a model may be called ModelState, or rows
    namespace = {"new": object.__new__, model_global: model, "ModelState": ModelState}
    locals_ = [local_name(field.attname, taken) for field in fields]
    assignments = []
    for field, name in zip(fields, locals_):
        converter = getattr(field, "from_db_value", None)
        value = name
        if converter is not None:
            # Through local_name too: a column may be called "<name>_from_db" (see local_name).
            converter_name = local_name(f"{name}_from_db", taken)
            namespace[converter_name] = converter
            value = f"{converter_name}({name}, None, connection)"
        assignments.append(f"        {assignment(model, field.attname, value)}")
    function_name = f"hydrate_{model._meta.model_name}"
    columns = ", ".join(field.attname for field in fields)
    target = ", ".join(locals_) + ("," if len(locals_) == 1 else "")
    lines = [
        f"def {function_name}(rows, db, connection):",
        f"    '''{model.__name__} rows ({columns}) -> {model.__name__} instances.'''",
        "    instances = []",
        "    append = instances.append",
        f"    for {target} in rows:",
        "        state = new(ModelState)",
        "        state.db = db",
        "        state.adding = False",
        f"        instance = new({model_global})",
        "        instance._state = state",
        *assignments,
        "        append(instance)",
        "    return instances",
    ]
    source = "\n".join(lines) + "\n"
    exec(compile(source, f"<hydrator {model._meta.label} {columns}>", "exec"), namespace)
    return Hydrator(model, tuple(field.attname for field in fields), source, namespace[function_name])
