"""The iterables: what turns a QuerySet's rows into its results, chosen by ``values()`` / ``values_list()``.

How it works: ``BaseIterable.chunks`` compiles the query, runs it and passes
each converted column through its converters (``converted``); each subclass
makes its results from those rows:

- ``ModelIterable``: model instances, built by the generated hydrator
  (``hydration.py``), or one by one when the model has its own ``from_db``
  or someone listens to ``pre_init`` / ``post_init``;
- ``ValuesIterable``: dicts; ``ValuesListIterable``: tuples;
  ``FlatValuesListIterable``: single values; ``NamedValuesListIterable``:
  named tuples.

``query.py`` re-exports the classes, where Django has them.
"""

import collections
import functools
import itertools

from tinyframe.db.models.hydration import hydrator
from tinyframe.db.models.signals import post_init, pre_init
# >>> 07_relations
from tinyframe.db.models.select_related import related_instances
# <<< 07_relations

__all__ = [
    "BaseIterable", "FlatValuesListIterable", "ModelIterable", "NamedValuesListIterable", "ValuesIterable",
    "ValuesListIterable", "built_by_hydrator", "converted", "model_instances", "overrides_from_db", "python_values",
]  # fmt: skip


def converted(rows, converters, connection):
    """Rows with each converted column's value passed through its converters (``from_db_value``)."""
    if not converters:
        return rows
    result = []
    for row in rows:
        row = list(row)
        for position, functions, expression in converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        result.append(row)
    return result


class BaseIterable:
    """Runs a QuerySet's query and turns its rows into results, a chunk at a time when asked."""

    def __init__(self, queryset, chunk_size: int | None = None):
        self.queryset = queryset
        self.chunk_size = chunk_size

    def chunks(self):
        """``(compiler, rows)`` for each chunk of rows (one chunk holding all, without ``chunk_size``)."""
        queryset = self.queryset
        compiler = queryset.query.get_compiler(queryset.db)
        converters = compiler.result_converters()
        result = compiler.execute_sql(self.chunk_size)
        chunks = [result] if self.chunk_size is None else result
        for rows in chunks:
            yield compiler, converted(rows, converters, compiler.connection)


class ModelIterable(BaseIterable):
    """Yields model instances (with annotations as attributes)."""

    def __iter__(self):
        # Each chunk's instances are built as one list (the hydrator's) and chain hands them
        # out: no generator step per instance, only one per chunk.
        return itertools.chain.from_iterable(self.instance_chunks())

    def instance_chunks(self):
        """Yields a list of instances per chunk of rows (one list, without ``chunk_size``)."""
        queryset = self.queryset
        model = queryset.model
        db = queryset.db
        for compiler, rows in self.chunks():
            # >>> 07_relations
            if compiler.related_selections:
                yield related_instances(compiler, rows, db)
                continue
            # <<< 07_relations
            fields = compiler.model_fields
            count = len(fields)
            names = compiler.column_names
            values = [row[:count] for row in rows] if names else rows
            instances = model_instances(model, fields, values, db, compiler.connection)
            # >>> 07_relations
            if queryset._prefetch_related_lookups and built_by_hydrator(model):
                give_relation_caches(instances)  # the hydrator made them: each one's cache is still unmade
            # <<< 07_relations
            if names:
                for instance, row in zip(instances, rows):
                    instance.__dict__.update(zip(names, row[count:]))
            yield instances


# >>> 07_relations
def give_relation_caches(instances: list) -> None:
    """Give each new instance an empty ``_state.fields_cache``, before ``prefetch_related`` reads every one's.

    The dict is otherwise made on first read, by ``ModelState.__getattr__``:
    a failed attribute lookup, then a Python call, per instance (0.26 us).
    The prefetch walk reads the cache of every instance it fetches for, so
    for a QuerySet that prefetches, one loop making them all costs less
    (tests/benchmarks/orm.py, prefetch_related: ~0.2 ms less of ~2.2 ms).
    """
    for instance in instances:
        instance._state.fields_cache = {}


# <<< 07_relations
def model_instances(model, fields: list, rows, db: str, connection, hydrate=None) -> list:
    """The instances of ``model`` for rows of ``fields``' columns: by the generated hydrator, unless something must see each.

    One call of the hydrator does them all (``hydrate``, when the caller keeps
    it already: a plan of ``get_plans.py``). A model with its own ``from_db``
    builds every instance (as in Django); a receiver of ``pre_init`` /
    ``post_init`` gets them one row at a time, between its signals.
    """
    if built_by_hydrator(model):
        return (hydrate or hydrator(model, fields))(rows, db, connection)
    if overrides_from_db(model):
        attnames = [field.attname for field in fields]
        return [model.from_db(db, attnames, python_values(fields, row, connection)) for row in rows]
    # Someone listens: one row at a time, between its signals.
    hydrate = hydrate or hydrator(model, fields)
    instances = []
    for row in rows:
        pre_init.send(sender=model, args=python_values(fields, row, connection), kwargs={})
        (instance,) = hydrate([row], db, connection)
        post_init.send(sender=model, instance=instance)
        instances.append(instance)
    return instances


def built_by_hydrator(model) -> bool:
    """Whether the generated hydrator may build ``model``'s instances by itself, all at once.

    Not when the model defines its own ``from_db``, nor while a receiver of
    ``pre_init`` or ``post_init`` waits for its instances. The one question
    every reader of model rows asks first (``model_instances``, the chunks of
    a prefetching QuerySet, ``select_related``'s ``related_instances``).
    """
    return (
        not overrides_from_db(model)
        and not pre_init.has_listeners(model)
        and not post_init.has_listeners(model)
    )


def python_values(fields, row, connection) -> tuple:
    """A row's values through each field's ``from_db_value``, for code that wants them one by one."""
    values = []
    for field, value in zip(fields, row):
        converter = getattr(field, "from_db_value", None)
        values.append(value if converter is None else converter(value, None, connection))
    return tuple(values)


def overrides_from_db(model) -> bool:
    """Whether the model defines its own ``from_db`` (then it builds every instance, as in Django)."""
    return getattr(model.from_db, "__func__", None) is not base_from_db()


@functools.cache
def base_from_db():
    """``Model.from_db``'s function (imported late: ``base`` imports this module's QuerySet)."""
    from tinyframe.db.models.base import Model

    return Model.from_db.__func__


class ValuesIterable(BaseIterable):
    """Yields a dict per row, keyed by the names given to ``values()``."""

    def __iter__(self):
        for compiler, rows in self.chunks():
            names = compiler.column_names
            for row in rows:
                yield dict(zip(names, row))


class ValuesListIterable(BaseIterable):
    """Yields a tuple per row."""

    def __iter__(self):
        for _compiler, rows in self.chunks():
            for row in rows:
                yield tuple(row)


class FlatValuesListIterable(BaseIterable):
    """Yields the single selected value of each row (``values_list("title", flat=True)``)."""

    def __iter__(self):
        for _compiler, rows in self.chunks():
            for row in rows:
                yield row[0]


class NamedValuesListIterable(BaseIterable):
    """Yields a named tuple ``Row(title=..., pages=...)`` per row."""

    def __iter__(self):
        for compiler, rows in self.chunks():
            row_class = collections.namedtuple("Row", compiler.column_names, rename=True)
            for row in rows:
                yield row_class(*row)
