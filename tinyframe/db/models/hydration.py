"""Hydration: database rows become model instances through a generated function.

How it works: turning a row into an instance the obvious way — call the
model's ``__init__`` with the values, which walks every field, checks each
keyword, fills defaults, sends signals — costs microseconds per field, and a
page of a thousand rows pays it a thousand times. The work that depends
only on *which* columns were selected is the same for every row, so it is
done once: ``hydrator(model, fields)`` writes the source of a small Python
function for that model and those columns, compiles it, and caches it (as
chapter 03 compiles a template). The function creates each instance without
``__init__`` and fills its ``__dict__`` directly, calling a field's
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
            instance.__dict__ = {
                '_state': state,
                'id': id,
                'title': title,
            }
            append(instance)
        return instances

Fields not selected (``only``, ``defer``) are simply absent from ``__dict__``;
their ``DeferredAttribute`` loads them on first access. ``pre_init`` and
``post_init`` are sent by the QuerySet, row by row, only when a receiver
listens (``Signal.has_listeners``), so a model nobody watches pays nothing.
"""

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


def build_hydrator(model, fields: list) -> Hydrator:
    """Write, compile and return the hydrator for ``model`` and ``fields`` (see the module docstring)."""
    from tinyframe.db.models.base import ModelState

    model_name = model.__name__
    taken = {model_name}
    namespace = {"new": object.__new__, model_name: model, "ModelState": ModelState}
    locals_ = [local_name(field.attname, taken) for field in fields]
    entries = []
    for field, name in zip(fields, locals_):
        converter = getattr(field, "from_db_value", None)
        if converter is None:
            entries.append(f"        {field.attname!r}: {name},")
        else:
            # Through local_name too: a column may be called "<name>_from_db" (see local_name).
            converter_name = local_name(f"{name}_from_db", taken)
            namespace[converter_name] = converter
            entries.append(f"        {field.attname!r}: {converter_name}({name}, None, connection),")
    function_name = f"hydrate_{model._meta.model_name}"
    columns = ", ".join(field.attname for field in fields)
    target = ", ".join(locals_) + ("," if len(locals_) == 1 else "")
    lines = [
        f"def {function_name}(rows, db, connection):",
        f"    '''{model_name} rows ({columns}) -> {model_name} instances.'''",
        "    instances = []",
        "    append = instances.append",
        f"    for {target} in rows:",
        "        state = new(ModelState)",
        "        state.db = db",
        "        state.adding = False",
        f"        instance = new({model_name})",
        "        instance.__dict__ = {",
        "            '_state': state,",
        *("    " + entry for entry in entries),
        "        }",
        "        append(instance)",
        "    return instances",
    ]
    source = "\n".join(lines) + "\n"
    exec(compile(source, f"<hydrator {model._meta.label} {columns}>", "exec"), namespace)
    return Hydrator(model, tuple(field.attname for field in fields), source, namespace[function_name])

