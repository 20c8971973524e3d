"""The attributes that read relations: ``book.author``, ``author.book_set``, ``book.tags``, ``place.restaurant``.

How it works: each relation field installs a descriptor on both models once
its target is known (``related.py``):

- ``Book.author``: ``ForwardManyToOneDescriptor`` (``ForwardOneToOneDescriptor``
  for a one-to-one). Reading runs one query through the target's base manager
  and keeps the object in ``book._state.fields_cache``; assigning an
  ``Author`` sets ``book.author_id`` and fills the cache. ``book.author_id``
  itself is a ``ForeignKeyDeferredAttribute``, which forgets the cached
  author when the key changes.
- ``Place.restaurant``: ``ReverseOneToOneDescriptor``, the one object whose
  key points here, or ``Place.restaurant.RelatedObjectDoesNotExist``.
- ``Author.book_set``: ``ReverseManyToOneDescriptor`` gives a manager of the
  author's books (``RelatedManager``: every QuerySet method, filtered to the
  author, plus ``add``, ``create``, ``remove``...).
- ``Book.tags`` and ``Tag.book_set``: ``ManyToManyDescriptor`` gives a manager
  (``ManyRelatedManager``) whose ``add`` and ``remove`` write rows of the
  through table, sending ``m2m_changed`` around them.

The managers themselves are in ``related_managers.py``.
"""

from tinyframe.db.models.fields.related_managers import (
    create_forward_many_to_many_manager, create_reverse_many_to_one_manager,
)  # fmt: skip
from tinyframe.db.models.query_utils import DeferredAttribute
from tinyframe.utils.functional import cached_property

__all__ = [
    "ForeignKeyDeferredAttribute", "ForwardManyToOneDescriptor", "ForwardOneToOneDescriptor", "ManyToManyDescriptor",
    "ReverseManyToOneDescriptor", "ReverseOneToOneDescriptor", "set_related_keywords",
]  # fmt: skip


def related_does_not_exist(owner, name: str, target) -> type:
    """``Book.author.RelatedObjectDoesNotExist``: a ``target.DoesNotExist`` that is an AttributeError too.

    An AttributeError, so ``hasattr(place, "restaurant")`` is False rather than an error.
    """
    return type("RelatedObjectDoesNotExist", (target.DoesNotExist, AttributeError), {
        "__module__": owner.__module__,
        "__qualname__": f"{owner.__qualname__}.{name}.RelatedObjectDoesNotExist",
    })  # fmt: skip


def set_related_keywords(instance, kwargs: dict) -> dict:
    """Set the constructor keywords that name a relation (``Book(author=a)``); return the others.

    A many-to-many name goes to its descriptor too, which refuses it as Django does.
    """
    from tinyframe.db.models.base import DEFERRED

    fields = instance._meta._forward_fields_map
    rest = {}
    for name, value in kwargs.items():
        field = fields.get(name)
        if field is not None and field.is_relation and name == field.name:
            if value is not DEFERRED:
                setattr(instance, name, value)
        else:
            rest[name] = value
    return rest


def prepare_related_fields_for_save(instance, operation_name: str, fields=None) -> None:
    """Refuse to save ``instance`` while a related object assigned to it has no key yet.

    ``book.author = Author(name="x")`` then ``book.save()`` would store a NULL
    key (or fail) and lose the author: Django's ValueError "save() prohibited
    to prevent data loss due to unsaved related object 'author'." An author
    saved *after* the assignment gives its key now. ``save()``,
    ``bulk_create()`` and ``bulk_update()`` (for its ``fields`` only) call it,
    each naming itself in the message.
    """
    cache = instance._state.fields_cache  # empty when nothing was ever assigned or read through a relation
    if not cache:
        return
    for field in instance._meta.concrete_fields:
        if not field.is_relation or field.name not in cache or fields is not None and field not in fields:
            continue
        related = cache[field.name]
        if related is None:
            continue
        if related.pk is None:
            if not field.remote_field.multiple:
                field.remote_field.delete_cached_value(related)
            raise ValueError(
                f"{operation_name}() prohibited to prevent data loss due to unsaved related object '{field.name}'."
            )
        if getattr(instance, field.attname) in field.empty_values:
            setattr(instance, field.name, related)
        if getattr(related, field.target_field.attname) != getattr(instance, field.attname):
            field.delete_cached_value(instance)


def forget_related_objects(instance, attnames, everything: bool) -> None:
    """After ``refresh_from_db``: drop the related objects cached for the reloaded keys.

    A full refresh (``everything``) drops the reverse one-to-one objects and
    what ``prefetch_related`` stored too, as Django does: the rows may have changed.
    """
    cache = instance._state.fields_cache
    if cache:
        for field in instance._meta.concrete_fields:
            if field.is_relation and field.attname in attnames:
                cache.pop(field.name, None)
        if everything:
            for rel in instance._meta.related_objects:
                if not rel.multiple:
                    cache.pop(rel.get_cache_name(), None)
    if everything and "_prefetched_objects_cache" in instance.__dict__:
        instance._prefetched_objects_cache = {}


class ForeignKeyDeferredAttribute(DeferredAttribute):
    """``book.author_id``: a plain value, but changing it forgets the cached ``book.author``."""

    def __set__(self, instance, value) -> None:
        field = self.field
        if instance.__dict__.get(field.attname) != value and field.is_cached(instance):
            field.delete_cached_value(instance)
        instance.__dict__[field.attname] = value


class ForwardManyToOneDescriptor:
    """``book.author``: the related object, fetched once and cached; assigning sets ``author_id``."""

    def __init__(self, field_with_rel):
        self.field = field_with_rel

    @cached_property
    def RelatedObjectDoesNotExist(self) -> type:
        return related_does_not_exist(self.field.model, self.field.name, self.field.remote_field.model)

    def is_cached(self, instance) -> bool:
        return self.field.is_cached(instance)

    def get_queryset(self, **hints):
        """The target's rows, through its base manager (not a default manager's narrowing)."""
        return self.field.remote_field.model._base_manager.db_manager(hints=hints).all()

    def __get__(self, instance, cls=None):
        """The related object of ``instance`` (``book.author``), fetched on first read.

        Exercise 07.1. Read through the class (``instance`` is None), return
        the descriptor itself, so ``Book.author.field`` works. Otherwise:

        1. an object already in the cache (``self.field.get_cached_value``, or
           the dict it reads, ``instance._state.fields_cache[self.field.cache_name]``;
           KeyError when absent) is returned without a query;
        2. the key is ``getattr(instance, self.field.attname)``: None means no
           related object, else ONE query, through the target's base manager on
           the instance's database (``instance._state.db``), for the row whose
           ``self.field.target_field`` has the key's value: ``.get(...)``, whose
           ``Author.DoesNotExist`` ("Author matching query does not exist.")
           propagates when the row is missing;
        3. the result (None included) goes in the cache
           (``self.field.set_cached_value``); for a one-to-one, the fetched
           object's own side caches ``instance`` too
           (``self.field.remote_field.set_cached_value(related, instance)``)
           when ``self.field.remote_field.multiple`` is False;
        4. None for a field that is not ``null`` is a mistake: raise
           ``self.RelatedObjectDoesNotExist(f"{Model} has no {name}.")``, e.g.
           "Book has no author." (``self.field.model.__name__``, then ``self.field.name``).
        """
        if instance is None:
            return self
        field = self.field
        try:
            # field.get_cached_value(instance), read in place: this line runs for every row a page
            # shows with its author, and the call around the dict cost a third of the read
            # (tests/benchmarks/orm.py, select_related: 0.27 ms -> 0.17 ms a 1,000 reads).
            related = instance._state.fields_cache[field.cache_name]
        except KeyError:
            value = getattr(instance, field.attname)
            related = None
            if value is not None:
                manager = field.remote_field.model._base_manager.db_manager(instance._state.db)
                related = manager.get(**{field.target_field.attname: value})
                if not field.remote_field.multiple:
                    field.remote_field.set_cached_value(related, instance)
            field.set_cached_value(instance, related)
        if related is None and not field.null:
            raise self.RelatedObjectDoesNotExist(f"{field.model.__name__} has no {field.name}.")
        return related

    def __set__(self, instance, value) -> None:
        """``book.author = author``: set ``author_id`` from the author's key and cache the author.

        Anything but an instance of the target (or None) is Django's ValueError.
        """
        field = self.field
        remote_field = field.remote_field
        if value is not None and not isinstance(value, remote_field.model._meta.concrete_model):
            raise ValueError(
                f'Cannot assign "{value!r}": "{instance._meta.object_name}.{field.name}" must be a '
                f'"{remote_field.model._meta.object_name}" instance.'
            )
        if value is None:
            # A one-to-one partner that was cached no longer points here.
            previous = field.get_cached_value(instance, default=None)
            if previous is not None and not remote_field.multiple:
                remote_field.set_cached_value(previous, None)
            setattr(instance, field.attname, None)
        else:
            setattr(instance, field.attname, getattr(value, field.target_field.attname))
        field.set_cached_value(instance, value)
        if value is not None and not remote_field.multiple:
            remote_field.set_cached_value(value, instance)


class ForwardOneToOneDescriptor(ForwardManyToOneDescriptor):
    """``restaurant.place``: as a foreign key, and the place then knows its restaurant without a query."""


class ReverseOneToOneDescriptor:
    """``place.restaurant``: the one object whose one-to-one key points at this one."""

    def __init__(self, related):
        # The OneToOneRel: related.model is Place, related.related_model Restaurant.
        self.related = related

    @cached_property
    def RelatedObjectDoesNotExist(self) -> type:
        return related_does_not_exist(self.related.model, self.related.name, self.related.related_model)

    def is_cached(self, instance) -> bool:
        return self.related.is_cached(instance)

    def __get__(self, instance, cls=None):
        """The related object, fetched once (one query by key) and cached; missing is RelatedObjectDoesNotExist."""
        if instance is None:
            return self
        related = self.related
        try:
            found = related.get_cached_value(instance)
        except KeyError:
            field = related.field
            key = getattr(instance, field.target_field.attname)
            found = None
            if key is not None:
                manager = related.related_model._base_manager.db_manager(instance._state.db)
                try:
                    found = manager.get(**{field.attname: key})
                except related.related_model.DoesNotExist:
                    found = None
                else:
                    field.set_cached_value(found, instance)
            related.set_cached_value(instance, found)
        if found is None:
            raise self.RelatedObjectDoesNotExist(
                f"{type(instance).__name__} has no {related.get_accessor_name()}."
            )
        return found

    def __set__(self, instance, value) -> None:
        """``place.restaurant = restaurant``: point the restaurant's key here (saving it is the caller's job)."""
        related = self.related
        if value is None:
            previous = related.get_cached_value(instance, default=None)
            if previous is not None:
                related.delete_cached_value(instance)
                setattr(previous, related.field.name, None)
            return
        if not isinstance(value, related.related_model):
            raise ValueError(
                f'Cannot assign "{value!r}": "{instance._meta.object_name}.{related.get_accessor_name()}" '
                f'must be a "{related.related_model._meta.object_name}" instance.'
            )
        field = related.field
        setattr(value, field.attname, getattr(instance, field.target_field.attname))
        related.set_cached_value(instance, value)
        field.set_cached_value(value, instance)


class ReverseManyToOneDescriptor:
    """``author.book_set``: a manager of the books whose key points at this author."""

    def __init__(self, rel):
        self.rel = rel
        self.field = rel.field

    @cached_property
    def related_manager_cls(self) -> type:
        return create_reverse_many_to_one_manager(self.rel.related_model._default_manager.__class__, self.rel)

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        return self.related_manager_cls(instance)

    def __set__(self, instance, value) -> None:
        raise TypeError(
            "Direct assignment to the reverse side of a related set is prohibited. Use "
            f"{self.rel.get_accessor_name()}.set() instead."
        )


class ManyToManyDescriptor(ReverseManyToOneDescriptor):
    """``book.tags`` (forward) and ``tag.book_set`` (reverse): a manager of the objects paired through the table."""

    def __init__(self, rel, reverse: bool = False):
        super().__init__(rel)
        self.reverse = reverse

    @property
    def through(self):
        return self.rel.through

    @cached_property
    def related_manager_cls(self) -> type:
        model = self.rel.related_model if self.reverse else self.rel.model
        return create_forward_many_to_many_manager(model._default_manager.__class__, self.rel, reverse=self.reverse)

    def __set__(self, instance, value) -> None:
        side, name = ("reverse", self.rel.get_accessor_name()) if self.reverse else ("forward", self.field.name)
        raise TypeError(
            f"Direct assignment to the {side} side of a many-to-many set is prohibited. Use {name}.set() instead."
        )
