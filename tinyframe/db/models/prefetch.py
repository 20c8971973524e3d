"""prefetch_related: the related objects of many instances, one query per relation.

How it works: listing 100 authors with their books the obvious way runs one
query for the authors and one more for each author's books: 101. Prefetching
runs one for the authors and one for every book of all of them
(``WHERE "book"."author_id" IN (1, 2, ...)``), then hands the books out in
Python. ``prefetch_related_objects(instances, "book_set__tags")`` walks the
lookup one name at a time; at each level:

1. ``relation_fetcher(model, "book_set")`` finds the relation behind the name
   and wraps it in a fetcher (``ForwardFetcher`` for ``book.author``,
   ``ReverseFetcher`` for ``author.book_set``, ``ManyToManyFetcher`` for
   ``book.tags`` and ``tag.book_set``) that knows its query, the key of each
   side, and where the result is kept;
2. ``prefetch_one_level`` runs the fetcher's one query for all the
   instances (a ``Prefetch(queryset=...)`` narrows it);
3. ``fetcher.match``, which is ``match_related_objects`` (exercise 07.5),
   groups the rows by key and gives each instance its own:
   ``instance._state.fields_cache`` for a single object,
   ``instance._prefetched_objects_cache`` for a related manager (which then
   answers ``author.book_set.all()`` without a query), or the ``to_attr``
   attribute; a forward key, one object per instance, is matched by
   ``ForwardFetcher.match`` with one dict by key instead of groups;
4. the related objects found are the instances of the next level.

The QuerySet's ``prefetch_related(*lookups)`` keeps the lookups and calls
``prefetch_related_objects`` once its own rows are fetched.
"""

import copy
from operator import attrgetter

from tinyframe.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from tinyframe.db.models.expressions import F

__all__ = ["Prefetch", "match_related_objects", "prefetch_one_level", "prefetch_related_objects"]

LOOKUP_SEP = "__"


class Prefetch:
    """One prefetch lookup with its options: ``Prefetch("book_set", queryset=..., to_attr="long_books")``.

    ``prefetch_through`` is the path walked (``"book_set__tags"``);
    ``prefetch_to`` the path the results are stored under, which differs
    when ``to_attr`` renames the last step (``"book_set__long_tags"``).
    Two Prefetches are equal when they store to the same place.
    """

    def __init__(self, lookup: str, queryset=None, to_attr: str | None = None):
        from tinyframe.db.models.iterables import ModelIterable

        if queryset is not None and not issubclass(getattr(queryset, "_iterable_class", ModelIterable), ModelIterable):
            raise ValueError("Prefetch querysets cannot use raw(), values(), and values_list().")
        self.prefetch_through = lookup
        self.prefetch_to = lookup
        if to_attr:
            self.prefetch_to = LOOKUP_SEP.join([*lookup.split(LOOKUP_SEP)[:-1], to_attr])
        self.queryset = queryset
        self.to_attr = to_attr

    def __repr__(self) -> str:
        return f"<Prefetch: {self.prefetch_to}>"

    def __eq__(self, other) -> bool:
        if not isinstance(other, Prefetch):
            return NotImplemented
        return self.prefetch_to == other.prefetch_to

    def __hash__(self) -> int:
        return hash((Prefetch, self.prefetch_to))

    def add_prefix(self, prefix: str) -> None:
        """Make this lookup start below ``prefix`` (a lookup found on a level's own queryset)."""
        self.prefetch_through = f"{prefix}{LOOKUP_SEP}{self.prefetch_through}"
        self.prefetch_to = f"{prefix}{LOOKUP_SEP}{self.prefetch_to}"

    def get_current_prefetch_to(self, level: int) -> str:
        """The storage path down to ``level``: ``"book_set__tags"`` at level 1 is ``"book_set__tags"``.

        >>> Prefetch("book_set__tags", to_attr="labels").get_current_prefetch_to(0)
        'book_set'
        """
        return LOOKUP_SEP.join(self.prefetch_to.split(LOOKUP_SEP)[: level + 1])

    def get_current_to_attr(self, level: int) -> tuple[str, bool]:
        """``(name, as_attr)``: the name stored under at ``level``, and whether it is a ``to_attr``.

        >>> Prefetch("book_set__tags", to_attr="labels").get_current_to_attr(1)
        ('labels', True)
        >>> Prefetch("book_set__tags", to_attr="labels").get_current_to_attr(0)
        ('book_set', False)
        """
        parts = self.prefetch_to.split(LOOKUP_SEP)
        return parts[level], bool(self.to_attr) and level == len(parts) - 1

    def get_current_querysets(self, level: int) -> list | None:
        """``[queryset]`` at the level the queryset was given for (the last), else None."""
        if self.queryset is not None and self.get_current_prefetch_to(level) == self.prefetch_to:
            return [self.queryset]
        return None


def normalize_prefetch_lookups(lookups, prefix: str | None = None) -> list:
    """Every lookup as a ``Prefetch`` (a string becomes ``Prefetch(string)``), below ``prefix`` if given."""
    normalized = []
    for lookup in lookups:
        if not isinstance(lookup, Prefetch):
            lookup = Prefetch(lookup)
        if prefix:
            lookup.add_prefix(prefix)
        normalized.append(lookup)
    return normalized


# -- the fetchers: one per kind of relation -----------------------------------------------


class Fetcher:
    """What prefetching needs to know about one relation, seen from the instances' side.

    ``single``: one object per instance (a forward key, a reverse one-to-one)
    or a list (a related manager). ``cache_name``: where the result goes.
    ``related_key(obj)`` and ``instance_key(instance)`` give the value that
    matches a related object to its instance (``book.author_id`` and
    ``author.id`` for ``author.book_set``): each subclass sets them to an
    ``attrgetter`` of the attribute holding it. Each subclass's
    ``get_queryset(instances, queryset=None)`` is the one query fetching the
    related objects of all the instances (narrowing ``queryset`` if given).
    """

    single = False

    def __init__(self, relation, name: str):
        self.relation = relation
        self.name = name

    def unfetched(self, instances: list) -> list:
        """The instances that do not hold this relation's objects yet: those the one query fetches for.

        One comprehension over all of them, rather than a method call per
        instance: the walk asks this of every instance of every level.
        """
        name = self.cache_name
        if self.single:
            return [instance for instance in instances if name not in instance._state.fields_cache]
        return [instance for instance in instances if name not in getattr(instance, "_prefetched_objects_cache", ())]

    def link_back(self, instances: list, related_objects: list) -> None:
        """Cache each related object's way back to its instance, when it has exactly one (optional)."""

    def match(self, instances: list, related_objects: list, to_attr: str | None = None, queryset=None) -> None:
        """Give each instance its related objects: ``match_related_objects`` (exercise 07.5), grouping by key."""
        match_related_objects(instances, related_objects, self, to_attr, queryset)

    def cached_queryset(self, instance, objects: list, queryset=None):
        """A QuerySet of the instance's related manager whose results are ``objects`` (no query)."""
        manager = getattr(instance, self.name)
        result = manager.get_queryset() if queryset is None else manager._apply_rel_filters(queryset)
        result._result_cache = objects
        result._prefetch_done = True
        return result


def loaded_values(instances: list, attname: str, read) -> list:
    """Each instance's value of ``attname``, taken from its ``__dict__``, where the ORM keeps loaded values.

    Reading ``book.author_id`` as an attribute calls its descriptor, the
    ``ForeignKeyDeferredAttribute`` (a Python function, since it has a
    ``__set__``); the dict holds the same value. A key ``only()`` or
    ``defer()`` left out is not there: then every key is read with ``read``
    (the attribute), which loads it. (tests/benchmarks/orm.py,
    prefetch_related: 0.13 ms -> 0.04 ms for the keys of 1,000 books.)
    """
    try:
        return [instance.__dict__[attname] for instance in instances]
    except KeyError:
        return list(map(read, instances))


def keys_of(instances: list, key) -> list:
    """The distinct non-null ``key(instance)`` values, in the instances' order (the IN list)."""
    return [value for value in dict.fromkeys(map(key, instances)) if value is not None]


class ForwardFetcher(Fetcher):
    """``book.author`` (a ForeignKey or OneToOneField): the authors whose key the books hold."""

    single = True

    def __init__(self, field, name: str):
        super().__init__(field, name)
        self.cache_name = field.name
        self.related_key = attrgetter(field.target_field.attname)  # author.id
        self.instance_key = attrgetter(field.attname)  # book.author_id
        self.keyed = (None, [])  # (instances, their keys), read by get_queryset

    def get_queryset(self, instances: list, queryset=None):
        field = self.relation
        if queryset is None:
            queryset = field.related_model._base_manager.all()
        # Each book's author_id is read once, here, and kept for match(): the IN list and the
        # matching share one read.
        self.keyed = (instances, loaded_values(instances, field.attname, self.instance_key))
        wanted = [key for key in dict.fromkeys(self.keyed[1]) if key is not None]
        # One object per instance: the order cannot matter, so none is asked for, as in Django.
        return queryset.filter(**{f"{field.target_field.name}__in": wanted}).order_by()

    def instance_keys(self, instances: list) -> list:
        """Each instance's key, in order: those ``get_queryset`` read for the same instances, else read now."""
        keyed_instances, keys = self.keyed
        return keys if keyed_instances is instances else loaded_values(instances, self.relation.attname, self.instance_key)

    def match(self, instances: list, related_objects: list, to_attr: str | None = None, queryset=None) -> None:
        """Each instance's one object, found in a dict by key, cached in one loop (a ``to_attr`` goes the general way).

        A forward key points at one row, so there is nothing to group: the
        dict maps each fetched object's key to the object (the first, were a
        queryset to repeat one), and each instance's cache gets the object
        under its own key, or None: what ``match_related_objects`` stores,
        without a list per key or the questions it asks of every instance.
        """
        if to_attr:
            super().match(instances, related_objects, to_attr, queryset)
            return
        related_key, name = self.related_key, self.cache_name
        by_key = {related_key(obj): obj for obj in reversed(related_objects)}
        for instance, key in zip(instances, self.instance_keys(instances)):
            instance._state.fields_cache[name] = by_key.get(key)

    def link_back(self, instances: list, related_objects: list) -> None:
        # A one-to-one's target has exactly one instance pointing at it: place.restaurant is known too.
        remote = self.relation.remote_field
        if remote.multiple:
            return
        by_key = dict(zip(self.instance_keys(instances), instances))
        for obj in related_objects:
            remote.set_cached_value(obj, by_key[self.related_key(obj)])


class ReverseFetcher(Fetcher):
    """``author.book_set`` (the reverse of a ForeignKey) or ``place.restaurant`` (of a OneToOneField)."""

    def __init__(self, rel, name: str):
        super().__init__(rel, name)
        self.single = not rel.multiple
        self.cache_name = rel.get_cache_name()
        self.field = rel.field
        self.attname = rel.field.attname
        self.related_key = attrgetter(rel.field.attname)  # book.author_id
        self.instance_key = attrgetter(rel.field.target_field.attname)  # author.id

    def get_queryset(self, instances: list, queryset=None):
        if queryset is not None and queryset.query.is_sliced:  # Prefetch(queryset=Book.objects.order_by("title")[:1])
            return fetched_per_instance_slice(self, instances, queryset)
        if queryset is None:
            queryset = self.relation.related_model._default_manager.all()
        return queryset.filter(**{f"{self.attname}__in": keys_of(instances, self.instance_key)})

    def link_back(self, instances: list, related_objects: list) -> None:
        # Each book has one author: book.author is the instance it was fetched for, without a query.
        by_key = {self.instance_key(instance): instance for instance in instances}
        field = self.field
        for obj in related_objects:
            if not field.is_cached(obj):
                field.set_cached_value(obj, by_key[self.related_key(obj)])


class ManyToManyFetcher(Fetcher):
    """``book.tags`` and ``tag.book_set``: the objects on the other side of the through table.

    The query joins the through table and selects its column for this side
    as an extra value, ``_prefetch_related_val_book_id`` (Django's name), so
    each row says which instance it belongs to.
    """

    def __init__(self, relation, name: str, field, forward: bool):
        super().__init__(relation, name)
        self.field = field
        self.forward = forward
        self.cache_name = field.name if forward else relation.get_cache_name()
        self.related_model = field.related_model if forward else field.model
        # The name the related model's queries use for the way back to the instances.
        self.query_name = field.related_query_name() if forward else field.name
        column = field.m2m_column_name() if forward else field.m2m_reverse_name()
        self.key_name = f"_prefetch_related_val_{column}"
        self.related_key = attrgetter(self.key_name)  # tag._prefetch_related_val_book_id
        self.instance_key = attrgetter("pk")  # book.pk

    def get_queryset(self, instances: list, queryset=None):
        if queryset is not None and queryset.query.is_sliced:
            return fetched_per_instance_slice(self, instances, queryset)
        if queryset is None:
            queryset = self.related_model._default_manager.all()
        keys = keys_of(instances, self.instance_key)
        # The given queryset's joins are shared, as in Django: Prefetch("tags", queryset=Tag.objects.filter(
        # book__author__name="Ann")) gives each book its tags on that same book, not on any book by Ann.
        queryset = queryset._chain()
        queryset.query.sticky_aliases = frozenset(queryset.query.alias_map)
        queryset = queryset.filter(**{f"{self.query_name}__in": keys})
        return queryset.annotate(**{self.key_name: F(self.query_name)})


def relation_fetcher(model, name: str) -> Fetcher | None:
    """The fetcher for the relation ``model`` reads as ``name`` (a field or a reverse accessor), or None."""
    options = model._meta
    for field in (*options.fields, *options.many_to_many):
        if field.name == name and field.is_relation:
            if field.many_to_many:
                return ManyToManyFetcher(field, name, field, forward=True)
            return ForwardFetcher(field, name)
    for rel in options.related_objects:
        if rel.get_accessor_name() == name:
            if rel.many_to_many:
                return ManyToManyFetcher(rel, name, rel.field, forward=False)
            return ReverseFetcher(rel, name)
    return None


# -- matching: exercise 07.5 ---------------------------------------------------------------


def match_related_objects(instances: list, related_objects: list, fetcher: Fetcher, to_attr: str | None = None,
                          queryset=None) -> None:  # fmt: skip
    """Give each instance the related objects that belong to it, matched by key (exercise 07.5).

    ``related_objects`` are every related row of all ``instances``, fetched
    by one query, in its order. Group them by ``fetcher.related_key(obj)``
    (a dict of lists, each keeping that order); an instance's group is the
    one under ``fetcher.instance_key(instance)``, an empty list when there
    is none. Then store it:

    - when ``fetcher.single`` (``book.author``, ``place.restaurant``): the
      group's first object, or None; with ``to_attr``,
      ``setattr(instance, to_attr, value)``, else
      ``instance._state.fields_cache[fetcher.cache_name] = value``;
    - otherwise (a related manager, ``author.book_set``): with ``to_attr``,
      ``setattr(instance, to_attr, group)`` (the list itself); else
      ``fetcher.cached_queryset(instance, group, queryset)`` stored in the
      dict ``instance._prefetched_objects_cache`` (create it when the
      instance has none) under ``fetcher.cache_name``.

    A ``to_attr`` naming a field of the instances' model would hide the
    field: before storing anything, if ``instances[0]._meta.get_field(to_attr)``
    finds one, raise ``ValueError(f"to_attr={to_attr} conflicts with a field
    on the {model.__name__} model.")`` (``get_field`` raises
    FieldDoesNotExist otherwise).
    """
    if to_attr and instances:
        model = type(instances[0])
        try:
            model._meta.get_field(to_attr)
        except FieldDoesNotExist:
            pass
        else:
            raise ValueError(f"to_attr={to_attr} conflicts with a field on the {model.__name__} model.")
    groups = {}
    for obj in related_objects:
        groups.setdefault(fetcher.related_key(obj), []).append(obj)
    for instance in instances:
        group = groups.get(fetcher.instance_key(instance), [])
        if fetcher.single:
            value = group[0] if group else None
            if to_attr:
                setattr(instance, to_attr, value)
            else:
                instance._state.fields_cache[fetcher.cache_name] = value
        elif to_attr:
            setattr(instance, to_attr, group)
        else:
            if "_prefetched_objects_cache" not in instance.__dict__:
                instance._prefetched_objects_cache = {}
            instance._prefetched_objects_cache[fetcher.cache_name] = fetcher.cached_queryset(instance, group, queryset)


# -- the walk -------------------------------------------------------------------------------


def fetched_per_instance_slice(fetcher: Fetcher, instances: list, queryset):
    """``fetcher.get_queryset`` for a sliced ``queryset``: its results ready, each instance's group cut to the slice."""
    window = slice(queryset.query.low_mark, queryset.query.high_mark)
    unsliced = queryset._chain()
    unsliced.query.low_mark, unsliced.query.high_mark = 0, None
    result = fetcher.get_queryset(instances, unsliced)
    lookups, result._prefetch_related_lookups = result._prefetch_related_lookups, ()  # prefetch_one_level runs them
    result._result_cache = sliced_per_instance(list(result), fetcher, window)
    result._prefetch_related_lookups = lookups
    return result


def sliced_per_instance(related_objects: list, fetcher: Fetcher, window: slice) -> list:
    """The related objects with each instance's group cut to ``window``, the slice of a Prefetch queryset.

    ``Prefetch("book_set", queryset=Book.objects.order_by("title")[:1])`` gives
    every author their first book, not the first book of all. Django numbers
    each group's rows in SQL (``ROW_NUMBER() OVER (PARTITION BY author_id)``);
    tinyframe has no window functions, so it fetches the groups whole, in the
    queryset's order, and cuts each one here:

    >>> from types import SimpleNamespace as Row
    >>> fetcher = Row(related_key=lambda book: book.author)
    >>> books = [Row(author=1, title="a"), Row(author=2, title="b"), Row(author=1, title="c")]
    >>> [book.title for book in sliced_per_instance(books, fetcher, slice(0, 1))]
    ['a', 'b']
    """
    groups = {}
    for obj in related_objects:
        groups.setdefault(fetcher.related_key(obj), []).append(obj)
    return [obj for group in groups.values() for obj in group[window]]



def prefetch_one_level(instances: list, fetcher: Fetcher, lookup: Prefetch, level: int) -> tuple[list, list]:
    """Fetch one relation for ``instances`` in one query and match the rows to them.

    Returns ``(related_objects, additional_lookups)``: the objects fetched
    (the next level's instances) and the lookups their queryset asked to
    prefetch (``Prefetch("book_set", queryset=Book.objects.prefetch_related("tags"))``),
    which the caller runs next instead of letting the queryset run them.
    """
    querysets = lookup.get_current_querysets(level)
    given = querysets[0] if querysets else None
    queryset = fetcher.get_queryset(instances, given)
    additional_lookups = [copy.copy(extra) for extra in getattr(queryset, "_prefetch_related_lookups", ())]
    if additional_lookups:
        queryset._prefetch_related_lookups = ()
    related_objects = list(queryset)
    fetcher.link_back(instances, related_objects)
    to_attr, as_attr = lookup.get_current_to_attr(level)
    leaf = level == len(lookup.prefetch_through.split(LOOKUP_SEP)) - 1
    fetcher.match(instances, related_objects, to_attr if as_attr else None, given if leaf else None)
    return related_objects, additional_lookups


def is_model_instance(obj) -> bool:
    """Whether ``obj`` is a model instance (``values()`` gives dicts, which have nothing to prefetch)."""
    return hasattr(obj, "_state") and hasattr(type(obj), "_meta")


def prefetch_related_objects(model_instances, *related_lookups) -> None:
    """Fetch the relations named by ``related_lookups`` for ``model_instances``, one query per relation level.

    A lookup is a name (``"book_set"``), a path (``"book_set__tags"``) or a
    ``Prefetch``. Each level already done (shared by two paths) is not done
    again; a level whose objects are already fetched (``select_related``, an
    earlier prefetch) is walked through without a query.
    """
    if not model_instances:
        return
    done = {}  # prefetch_to -> the objects found at that level
    auto_lookups = set()
    lookups = normalize_prefetch_lookups(reversed(related_lookups))
    while lookups:
        lookup = lookups.pop()
        if lookup.prefetch_to in done:
            if lookup.queryset is not None:
                raise ValueError(
                    f"'{lookup.prefetch_to}' lookup was already seen with a different queryset. "
                    "You may need to adjust the ordering of your lookups."
                )
            continue
        objects = list(model_instances)
        through = lookup.prefetch_through.split(LOOKUP_SEP)
        for level, name in enumerate(through):
            if not objects or not is_model_instance(objects[0]):
                break
            prefetch_to = lookup.get_current_prefetch_to(level)
            if prefetch_to in done:
                objects = done[prefetch_to]
                continue
            fetcher = level_fetcher(objects[0], name, lookup, last=level == len(through) - 1)
            to_attr, as_attr = lookup.get_current_to_attr(level)
            to_fetch = []
            if fetcher is not None:
                if as_attr:
                    to_fetch = [obj for obj in objects if to_attr not in obj.__dict__]
                else:
                    to_fetch = fetcher.unfetched(objects)
            if to_fetch:
                objects, additional = prefetch_one_level(to_fetch, fetcher, lookup, level)
                if not (prefetch_to in done and lookup in auto_lookups):
                    done[prefetch_to] = objects
                    new_lookups = normalize_prefetch_lookups(reversed(additional), prefetch_to)
                    auto_lookups.update(new_lookups)
                    lookups.extend(new_lookups)
            else:
                objects = already_fetched(objects, name, to_attr if as_attr else name)


def level_fetcher(first, name: str, lookup: Prefetch, last: bool) -> Fetcher | None:
    """The fetcher for ``name`` on the model of ``first`` (the level's objects are all alike), or None.

    None is allowed on the way down (a plain attribute holding objects), not
    at the last name, and a name that is no attribute at all is a mistake:
    Django's errors for both.
    """
    fetcher = relation_fetcher(type(first), name)
    if fetcher is None and not hasattr(first, name):
        raise AttributeError(
            f"Cannot find '{name}' on {type(first).__name__} object, "
            f"'{lookup.prefetch_through}' is an invalid parameter to prefetch_related()"
        )
    if fetcher is None and last:
        raise ValueError(
            f"'{lookup.prefetch_through}' does not resolve to an item that supports prefetching - "
            "this is an invalid parameter to prefetch_related()."
        )
    return fetcher


def already_fetched(objects: list, name: str, attribute: str) -> list:
    """The objects one level down when nothing needs fetching: the caches, or the attribute itself.

    A ``select_related`` relation, an earlier prefetch, or a plain attribute
    that returns objects: read each, leaving out the None ones and the
    missing ones (a reverse one-to-one without a row), flattening lists.
    """
    found = []
    for obj in objects:
        cache = getattr(obj, "_prefetched_objects_cache", {})
        if name in cache and attribute == name:
            value = list(cache[name])
        else:
            try:
                value = getattr(obj, attribute)
            except ObjectDoesNotExist:
                continue
        if value is None:
            continue
        if isinstance(value, list):
            found.extend(value)
        else:
            found.append(value)
    return found


def prefetched_in_chunks(results, chunk_size: int, lookups: tuple):
    """``QuerySet.iterator(chunk_size)`` after ``prefetch_related``: each chunk's relations fetched before it is yielded."""
    chunk = []
    for obj in results:
        chunk.append(obj)
        if len(chunk) == chunk_size:
            prefetch_related_objects(chunk, *lookups)
            yield from chunk
            chunk = []
    if chunk:
        prefetch_related_objects(chunk, *lookups)
        yield from chunk
