"""The managers behind ``author.book_set`` and ``book.tags``: a QuerySet API filtered to one instance, and writes.

How it works: reading ``author.book_set`` (``ReverseManyToOneDescriptor`` in
``related_descriptors.py``) makes a manager whose class is made once per
relation: ``create_reverse_many_to_one_manager`` mixes ``RelatedManager``
(``NullableRelatedManager`` for a key that may be null, which adds
``remove`` and ``clear``) into the related model's own default manager class,
so a custom manager's methods work through the relation too; calling one,
``author.book_set(manager="published")``, makes the same class over another
manager of the model.
``create_forward_many_to_many_manager`` does the same with
``ManyRelatedManager`` for ``book.tags`` and ``tag.book_set``, whose ``add``
and ``remove`` write rows of the through table between ``m2m_changed``
signals.

Every query such a manager makes is its ``get_queryset()``: the default
manager's rows filtered to the instance. The books ``author.book_set``
returns already hold their author (``knowing_related_object``). Results that
``prefetch_related`` stored in ``instance._prefetched_objects_cache`` are
returned without a query; a write forgets them.
"""

import functools

from tinyframe.db import DEFAULT_DB_ALIAS, transaction
from tinyframe.db.models import signals
from tinyframe.db.models.query_utils import Q

__all__ = [
    "ManyRelatedManager", "NullableRelatedManager", "RelatedManager", "create_forward_many_to_many_manager",
    "create_reverse_many_to_one_manager",
]  # fmt: skip


# -- what both kinds share ---------------------------------------------------------------------


class RelationManagerMixin:
    """What ``author.book_set`` and ``book.tags`` share: where they write, and the rows ``prefetch_related`` left.

    A manager mixing this in has ``instance``, ``prefetch_cache_name`` (the
    key of its rows in ``instance._prefetched_objects_cache``) and
    ``_apply_rel_filters(queryset)``, which narrows a queryset to the
    instance's related rows.
    """

    do_not_call_in_templates = True

    def _db_for_write(self) -> str:
        return self._db or self.instance._state.db or DEFAULT_DB_ALIAS

    def get_queryset(self):
        """The instance's related rows: prefetched ones if ``prefetch_related`` stored them, else a query."""
        try:
            return self.instance._prefetched_objects_cache[self.prefetch_cache_name]
        except (AttributeError, KeyError):
            return self._apply_rel_filters(super().get_queryset())

    def _remove_prefetched_objects(self) -> None:
        try:
            self.instance._prefetched_objects_cache.pop(self.prefetch_cache_name)
        except (AttributeError, KeyError):
            pass  # nothing prefetched


# -- the reverse many-to-one manager: author.book_set ---------------------------------------


class RelatedManager(RelationManagerMixin):
    """The methods of ``author.book_set``; ``create_reverse_many_to_one_manager`` mixes them into a manager class.

    The class made for a relation has ``rel`` (the ManyToOneRel) and
    ``field`` (the ForeignKey) as class attributes.
    """

    rel = None
    field = None

    def __init__(self, instance):
        super().__init__()
        self.instance = instance
        self.model = self.rel.related_model

    def __call__(self, *, manager: str):
        """``author.book_set(manager="published")``: this relation read through another manager of the model."""
        manager_class = create_reverse_many_to_one_manager(getattr(self.model, manager).__class__, self.rel)
        return manager_class(self.instance)

    @property
    def prefetch_cache_name(self) -> str:
        return self.rel.get_cache_name()

    @property
    def key_value(self):
        """The value the related rows' key holds: the instance's (primary) key."""
        return getattr(self.instance, self.field.target_field.attname)

    def _check_fk_val(self) -> None:
        """ValueError, in Django's words, if the instance has no key yet (it is not saved)."""
        for field in self.field.foreign_related_fields:
            if getattr(self.instance, field.attname) is None:
                raise ValueError(
                    f'"{self.instance!r}" needs to have a value for field "{field.attname}" before this '
                    "relationship can be used."
                )

    def _apply_rel_filters(self, queryset):
        """``queryset`` narrowed to the instance's related rows (none at all for a null key)."""
        if self._db:
            queryset = queryset.using(self._db)
        # Filtering on the column (author_id = 3), the SQL Django writes for author=instance.
        value = self.key_value
        if value is None:
            return queryset.none()
        return knowing_related_object(queryset.filter(**{self.field.attname: value}), self.field, self.instance)

    def get_queryset(self):
        """Refused for an unsaved instance, as in Django; else the rows ``RelationManagerMixin.get_queryset`` gives."""
        if self.instance.pk is None:
            raise ValueError(
                f"{type(self.instance).__name__!r} instance needs to have a primary key value before this "
                "relationship can be used."
            )
        return super().get_queryset()

    def add(self, *objs, bulk: bool = True) -> None:
        """Point the key of each of ``objs`` at the instance: ``author.book_set.add(book1, book2)``.

        Exercise 07.2. First ``self._check_fk_val()`` (the instance must be
        saved) and ``self._remove_prefetched_objects()``. Each object must be
        an instance of ``self.model``, else ``TypeError(f"'{Book}' instance
        expected, got {obj!r}")`` — e.g. "'Book' instance expected, got <Tag:
        x>" (the model's object_name). Set its relation in memory
        (``setattr(obj, self.field.name, self.instance)``), then:

        - ``bulk=True``: every object must be saved already, on this database
          (``obj._state.adding`` False and ``obj._state.db`` equal to
          ``self._db_for_write()``), else ``ValueError(f"{obj!r} instance
          isn't saved. Use bulk=False or save the object first.")``; then ONE
          UPDATE of all their rows through the model's base manager:
          ``filter(pk__in=[...]).update(author_id=<self.key_value>)``
          (``self.field.attname``). No ``save()``, no signals.
        - ``bulk=False``: ``obj.save()`` each, inside one
          ``transaction.atomic(using=..., savepoint=False)``; unsaved objects
          are inserted.

        No objects at all: ``filter(pk__in=[])`` matches nothing, so the
        UPDATE sends no statement (Django's behaviour too).
        """
        self._check_fk_val()
        self._remove_prefetched_objects()
        db = self._db_for_write()
        for obj in objs:
            if not isinstance(obj, self.model):
                raise TypeError(f"'{self.model._meta.object_name}' instance expected, got {obj!r}")
            setattr(obj, self.field.name, self.instance)
        if bulk:
            keys = []
            for obj in objs:
                if obj._state.adding or obj._state.db != db:
                    raise ValueError(f"{obj!r} instance isn't saved. Use bulk=False or save the object first.")
                keys.append(obj.pk)
            self.model._base_manager.using(db).filter(pk__in=keys).update(**{self.field.attname: self.key_value})
        else:
            with transaction.atomic(using=db, savepoint=False):
                for obj in objs:
                    obj.save()

    add.alters_data = True

    def create(self, **kwargs):
        """A new related object, saved, its key pointing at the instance."""
        self._check_fk_val()
        kwargs[self.field.name] = self.instance
        return super(RelatedManager, self.db_manager(self._db_for_write())).create(**kwargs)

    create.alters_data = True

    def get_or_create(self, defaults=None, **kwargs):
        """``(obj, created)`` among the instance's related objects; a created one points at the instance."""
        self._check_fk_val()
        defaults = {**(defaults or {}), self.field.name: self.instance}
        return super(RelatedManager, self.db_manager(self._db_for_write())).get_or_create(defaults, **kwargs)

    get_or_create.alters_data = True

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        """``(obj, created)``: the related object matching ``kwargs`` updated with ``defaults``, or created."""
        self._check_fk_val()
        given = defaults if create_defaults is None else create_defaults
        create_defaults = {**(given or {}), self.field.name: self.instance}
        manager = super(RelatedManager, self.db_manager(self._db_for_write()))
        return manager.update_or_create(defaults, create_defaults, **kwargs)

    update_or_create.alters_data = True

    def set(self, objs, *, bulk: bool = True, clear: bool = False) -> None:
        """Make ``objs`` the related objects: add the new ones (a nullable key also unsets the others)."""
        self._check_fk_val()
        self.add(*objs, bulk=bulk)

    set.alters_data = True


def knowing_related_object(queryset, field, instance):
    """``queryset`` whose results come with ``field``'s object already cached: ``instance``.

    Every book of ``author.book_set.all()`` has that author, so reading
    ``book.author`` afterwards needs no query (Django's "known related
    objects"). The queryset keeps the pair in ``_known_related_objects``,
    copied along with the rest when it is chained (``.filter()``,
    ``.order_by()``...), and its results are made by a subclass of its
    iterable class that fills the caches from there.
    """
    from tinyframe.db.models.iterables import ModelIterable

    rows_class = queryset._iterable_class
    if not issubclass(rows_class, ModelIterable):
        return queryset  # values() and values_list() rows have no cache
    queryset._known_related_objects = {**queryset._known_related_objects, field: instance}
    queryset._iterable_class = known_related_iterable(rows_class)
    return queryset


@functools.cache
def known_related_iterable(rows_class: type) -> type:
    """``rows_class`` made to cache each result's known related objects: one subclass per iterable class, made once.

    (Made per queryset, a class costs more than the query it serves: a
    prefetch of 100 authors' books made 100 of them.)
    """
    if getattr(rows_class, "fills_known_related_objects", False):
        return rows_class

    class KnownRelatedObjectIterable(rows_class):
        fills_known_related_objects = True

        def instance_chunks(self):
            known = self.queryset._known_related_objects
            for instances in super().instance_chunks():
                for field, related in known.items():
                    key = getattr(related, field.target_field.attname)
                    for obj in instances:
                        # __dict__, not getattr: a key left out by only() must not cost a query.
                        if obj.__dict__.get(field.attname) == key:
                            field.set_cached_value(obj, related)
                yield instances

    return KnownRelatedObjectIterable


class NullableRelatedManager(RelatedManager):
    """``author.book_set`` when the key may be NULL: ``remove``, ``clear`` and a ``set`` that removes too."""

    def remove(self, *objs, bulk: bool = True) -> None:
        """Unset the key of each of ``objs``; one not related to the instance is Django's DoesNotExist."""
        if not objs:
            return
        self._check_fk_val()
        keys = set()
        for obj in objs:
            if not isinstance(obj, self.model):
                raise TypeError(f"'{self.model._meta.object_name}' instance expected, got {obj!r}")
            if getattr(obj, self.field.attname) != self.key_value:
                raise self.field.remote_field.model.DoesNotExist(f"{obj!r} is not related to {self.instance!r}.")
            keys.add(obj.pk)
        self._clear(self.filter(pk__in=keys), bulk)

    remove.alters_data = True

    def clear(self, *, bulk: bool = True) -> None:
        """Unset the key of every related object."""
        self._check_fk_val()
        self._clear(self, bulk)

    clear.alters_data = True

    def _clear(self, queryset, bulk: bool) -> None:
        self._remove_prefetched_objects()
        db = self._db_for_write()
        queryset = queryset.using(db)
        if bulk:
            queryset.update(**{self.field.attname: None})
        else:
            with transaction.atomic(using=db, savepoint=False):
                for obj in queryset:
                    setattr(obj, self.field.name, None)
                    obj.save(update_fields=[self.field.name])

    def set(self, objs, *, bulk: bool = True, clear: bool = False) -> None:
        self._check_fk_val()
        objs = tuple(objs)
        db = self._db_for_write()
        with transaction.atomic(using=db, savepoint=False):
            if clear:
                self.clear(bulk=bulk)
                self.add(*objs, bulk=bulk)
                return
            old = set(self.using(db).all())
            new = []
            for obj in objs:
                if obj in old:
                    old.remove(obj)
                else:
                    new.append(obj)
            self.remove(*old, bulk=bulk)
            self.add(*new, bulk=bulk)

    set.alters_data = True


def create_reverse_many_to_one_manager(superclass, rel) -> type:
    """The manager class of ``author.book_set``: ``RelatedManager``'s methods on the default manager's class."""
    base = NullableRelatedManager if rel.field.null else RelatedManager
    return type("RelatedManager", (base, superclass), {"rel": rel, "field": rel.field, "__module__": __name__})


# -- the many-to-many manager: book.tags, tag.book_set -----------------------------------------------


class ManyRelatedManager(RelationManagerMixin):
    """The methods of ``book.tags`` and ``tag.book_set``, mixed into a manager class for one relation.

    The class made for a relation has ``rel`` (the ManyToManyRel) and
    ``reverse`` (True for ``tag.book_set``). ``source_field`` is the through
    model's key to the instance's model, ``target_field`` its key to the model
    managed.
    """

    rel = None
    reverse = False

    def __init__(self, instance):
        super().__init__()
        self.instance = instance
        rel, field = self.rel, self.rel.field
        if self.reverse:
            self.model = rel.related_model
            self.prefetch_cache_name = rel.get_cache_name()
            self.source_field_name, self.target_field_name = field.m2m_reverse_field_name(), field.m2m_field_name()
            self.symmetrical = False
        else:
            self.model = rel.model
            self.prefetch_cache_name = field.name
            self.source_field_name, self.target_field_name = field.m2m_field_name(), field.m2m_reverse_field_name()
            self.symmetrical = rel.symmetrical
        self.through = rel.through
        self.source_field = self.through._meta.get_field(self.source_field_name)
        self.target_field = self.through._meta.get_field(self.target_field_name)
        self.related_val = self.source_field.get_foreign_related_value(instance)
        if None in self.related_val:
            raise ValueError(
                f'"{instance!r}" needs to have a value for field "{self.source_field.target_field.attname}" '
                "before this many-to-many relationship can be used."
            )
        if instance.pk is None:
            raise ValueError(
                f"{type(instance).__name__!r} instance needs to have a primary key value before a many-to-many "
                "relationship can be used."
            )

    def __call__(self, *, manager: str):
        """``book.tags(manager="visible")``: this relation read through another manager of the model."""
        manager_class = create_forward_many_to_many_manager(
            getattr(self.model, manager).__class__, self.rel, self.reverse
        )
        return manager_class(self.instance)

    def _apply_rel_filters(self, queryset):
        """The managed model's rows paired with the instance, through a JOIN of the through table, as Django does.

        ``book.tags.all()`` is ``Tag.objects.filter(book__id=book.pk)``: the
        path from tags back to books crosses ``book_tags``, and the last hop,
        to the book's own key, is trimmed (``book_tags.book_id`` holds it).
        """
        if self._db:
            queryset = queryset.using(self._db)
        query_name = self.rel.field.name if self.reverse else self.rel.field.related_query_name()
        key_name = self.source_field.target_field.name
        queryset = queryset.filter(**{f"{query_name}__{key_name}": self.related_val[0]})
        # The next filter() shares these joins, as Django's sticky filter makes it: book.tags.filter(
        # book__author__name="Ann") asks about this book's author, not about any book the tag is on.
        queryset.query.sticky_aliases = frozenset(queryset.query.alias_map)
        return queryset

    def _target_key(self, obj, target_field_name: str):
        """The key of ``obj`` (an instance or a key) as the through table's ``target_field_name`` holds it."""
        from tinyframe.db.models.base import Model

        field = self.through._meta.get_field(target_field_name)
        if isinstance(obj, self.model):
            # Django asks its database router first; with no router, an
            # unsaved object (no database yet) fails here, before its key.
            if obj._state.db != self.instance._state.db:
                raise ValueError(
                    f'Cannot add "{obj!r}": instance is on database "{self.instance._state.db}", '
                    f'value is on database "{obj._state.db}"'
                )
            key = field.get_foreign_related_value(obj)[0]
            if key is None:
                raise ValueError(f'Cannot add "{obj!r}": the value for field "{target_field_name}" is None')
            return field.get_prep_value(key)
        if isinstance(obj, Model):
            raise TypeError(f"'{self.model._meta.object_name}' instance expected, got {obj!r}")
        return field.get_prep_value(obj)

    def add(self, *objs, through_defaults=None) -> None:
        """Pair the instance with each of ``objs`` (instances or keys); pairs already there are skipped."""
        self._remove_prefetched_objects()
        db = self._db_for_write()
        with transaction.atomic(using=db, savepoint=False):
            self._add_items(self.source_field_name, self.target_field_name, *objs, through_defaults=through_defaults)
            if self.symmetrical:
                # A symmetrical relation (friends) holds each pair both ways round.
                self._add_items(self.target_field_name, self.source_field_name, *objs,
                                through_defaults=through_defaults)  # fmt: skip

    add.alters_data = True

    def _add_items(self, source_field_name: str, target_field_name: str, *objs, through_defaults=None) -> None:
        """INSERT the missing pairs, between ``m2m_changed`` "pre_add" and "post_add" (pk_set: the new keys)."""
        if not objs:
            return
        through_defaults = {
            name: value() if callable(value) else value for name, value in (through_defaults or {}).items()
        }
        target_keys = {self._target_key(obj, target_field_name) for obj in objs}
        db = self._db_for_write()
        source = self.through._meta.get_field(source_field_name)
        target = self.through._meta.get_field(target_field_name)
        # Only the first direction of a symmetrical pair is announced.
        must_send_signals = (self.reverse or source_field_name == self.source_field_name) and (
            signals.m2m_changed.has_listeners(self.through)
        )
        # An automatic through table can skip existing pairs itself (INSERT OR IGNORE): one query.
        can_ignore_conflicts = bool(self.through._meta.auto_created)
        rows = self.through._base_manager.using(db)
        if can_ignore_conflicts and not must_send_signals:
            rows.bulk_create([
                self.through(**through_defaults, **{source.attname: self.related_val[0], target.attname: key})
                for key in target_keys
            ], ignore_conflicts=True)  # fmt: skip
            return
        present = rows.filter(**{source.attname: self.related_val[0], f"{target.attname}__in": target_keys})
        missing = target_keys.difference(present.values_list(target.attname, flat=True))
        with transaction.atomic(using=db, savepoint=False):
            if must_send_signals:
                signals.m2m_changed.send(sender=self.through, action="pre_add", instance=self.instance,
                                         reverse=self.reverse, model=self.model, pk_set=missing, using=db)  # fmt: skip
            rows.bulk_create([
                self.through(**through_defaults, **{source.attname: self.related_val[0], target.attname: key})
                for key in missing
            ], ignore_conflicts=can_ignore_conflicts)  # fmt: skip
            if must_send_signals:
                signals.m2m_changed.send(sender=self.through, action="post_add", instance=self.instance,
                                         reverse=self.reverse, model=self.model, pk_set=missing, using=db)  # fmt: skip

    def remove(self, *objs) -> None:
        """Unpair the instance from each of ``objs`` (instances or keys)."""
        self._remove_prefetched_objects()
        self._remove_items(*objs)

    remove.alters_data = True

    def _remove_filter(self, target_keys=None) -> Q:
        """The through rows to delete: this instance's pairs (with these targets); both ways round if symmetrical."""
        # The relation names, not the columns, as Django filters: a wrong kind of
        # object then fails as a related filter does ("Must be "Tag" instance").
        source, target = self.source_field.name, self.target_field.name
        condition = Q(**{source: self.related_val[0]})
        if target_keys is not None:
            condition &= Q(**{f"{target}__in": target_keys})
        if self.symmetrical:
            mirrored = Q(**{target: self.related_val[0]})
            if target_keys is not None:
                mirrored &= Q(**{f"{source}__in": target_keys})
            condition |= mirrored
        return condition

    def _remove_items(self, *objs) -> None:
        """DELETE the pairs, between ``m2m_changed`` "pre_remove" and "post_remove"."""
        if not objs:
            return
        keys = set()
        for obj in objs:
            if isinstance(obj, self.model):
                keys.add(self.target_field.get_foreign_related_value(obj)[0])
            else:
                keys.add(obj)
        db = self._db_for_write()
        with transaction.atomic(using=db, savepoint=False):
            signals.m2m_changed.send(sender=self.through, action="pre_remove", instance=self.instance,
                                     reverse=self.reverse, model=self.model, pk_set=keys, using=db)  # fmt: skip
            self.through._base_manager.using(db).filter(self._remove_filter(keys)).delete()
            signals.m2m_changed.send(sender=self.through, action="post_remove", instance=self.instance,
                                     reverse=self.reverse, model=self.model, pk_set=keys, using=db)  # fmt: skip

    def clear(self) -> None:
        """Unpair the instance from everything, between ``m2m_changed`` "pre_clear" and "post_clear" (pk_set None)."""
        db = self._db_for_write()
        with transaction.atomic(using=db, savepoint=False):
            signals.m2m_changed.send(sender=self.through, action="pre_clear", instance=self.instance,
                                     reverse=self.reverse, model=self.model, pk_set=None, using=db)  # fmt: skip
            self._remove_prefetched_objects()
            self.through._base_manager.using(db).filter(self._remove_filter()).delete()
            signals.m2m_changed.send(sender=self.through, action="post_clear", instance=self.instance,
                                     reverse=self.reverse, model=self.model, pk_set=None, using=db)  # fmt: skip

    clear.alters_data = True

    def set(self, objs, *, clear: bool = False, through_defaults=None) -> None:
        """Make ``objs`` the paired objects: remove the others, add the new (or clear all, then add)."""
        objs = tuple(objs)
        db = self._db_for_write()
        with transaction.atomic(using=db, savepoint=False):
            if clear:
                self.clear()
                self.add(*objs, through_defaults=through_defaults)
                return
            key_name = self.target_field.target_field.attname
            old_keys = set(self.using(db).values_list(key_name, flat=True))
            new_objs = []
            for obj in objs:
                key = (self.target_field.get_foreign_related_value(obj)[0] if isinstance(obj, self.model)
                       else self.target_field.get_prep_value(obj))  # fmt: skip
                if key in old_keys:
                    old_keys.remove(key)
                else:
                    new_objs.append(obj)
            self.remove(*old_keys)
            self.add(*new_objs, through_defaults=through_defaults)

    set.alters_data = True

    def create(self, *, through_defaults=None, **kwargs):
        """A new object of the managed model, saved and paired with the instance."""
        new = super(ManyRelatedManager, self.db_manager(self._db_for_write())).create(**kwargs)
        self.add(new, through_defaults=through_defaults)
        return new

    create.alters_data = True

    def _paired_if_created(self, method: str, through_defaults, kwargs) -> tuple:
        """``(obj, created)`` from the model manager's own ``method``; a created object is paired with the instance."""
        manager = super(ManyRelatedManager, self.db_manager(self._db_for_write()))
        obj, created = getattr(manager, method)(**kwargs)
        if created:
            self.add(obj, through_defaults=through_defaults)
        return obj, created

    def get_or_create(self, *, through_defaults=None, **kwargs):
        """``(obj, created)`` among the paired objects; a created one is paired."""
        return self._paired_if_created("get_or_create", through_defaults, kwargs)

    get_or_create.alters_data = True

    def update_or_create(self, *, through_defaults=None, **kwargs):
        """``(obj, created)``: the paired object updated, or a new one created and paired."""
        return self._paired_if_created("update_or_create", through_defaults, kwargs)

    update_or_create.alters_data = True


def create_forward_many_to_many_manager(superclass, rel, reverse: bool) -> type:
    """The manager class of ``book.tags`` (``reverse`` False) or ``tag.book_set``."""
    return type("ManyRelatedManager", (ManyRelatedManager, superclass),
                {"rel": rel, "reverse": reverse, "__module__": __name__})  # fmt: skip
