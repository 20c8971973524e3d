"""Model: a class whose instances are rows of one table.

How it works: ``class Book(Model): title = CharField(max_length=100)`` runs
``ModelBase.__new__``, which builds the class in steps:

1. it makes the class with the plain attributes only, then attaches
   ``_meta`` (an ``Options`` read from ``class Meta``) and the model's own
   ``DoesNotExist`` and ``MultipleObjectsReturned`` exceptions;
2. every attribute with a ``contribute_to_class`` method (fields, managers,
   indexes) is handed to it, so a field files itself in ``_meta``;
3. fields of abstract parents are copied in; ``_prepare`` adds the
   automatic ``id`` and the default ``objects`` manager, names unnamed
   indexes, and sends ``class_prepared``;
4. the class registers in the app registry (``apps.register_model``).

An instance keeps each field's value in its ``__dict__`` under the field's
``attname`` and its database state in ``_state`` (a ``ModelState``: which
database, whether it is still being added). ``save()`` asks the table for an
UPDATE of the row with its primary key and falls back to an INSERT (or goes
straight to the INSERT for a new object), through the model's base manager;
``delete()`` hands the object to ``deletion.delete_objects``. Validation,
``full_clean()`` and its parts, lives in ``validation.ModelValidationMixin``.
"""

import copy

from tinyframe.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist
from tinyframe.db.models import signals
from tinyframe.db.models.options import Options
from tinyframe.db.models.validation import ModelValidationMixin
from tinyframe.utils.suggestions import suggest

__all__ = ["DEFERRED", "Model", "ModelBase", "ModelState"]

DEFAULT_DB_ALIAS = "default"


class Deferred:
    """The value of a field not loaded from the database yet (``only()``, ``defer()``)."""

    def __repr__(self):
        return "<Deferred field>"


DEFERRED = Deferred()


def subclass_exception(name: str, bases: tuple, module: str, attached_to) -> type:
    """A model's own exception class, ``Book.DoesNotExist``, named after the model."""
    return type(name, bases, {"__module__": module, "__qualname__": f"{attached_to.__qualname__}.{name}"})


def contributes(value) -> bool:
    """Whether a class attribute joins the model itself (a field, a manager) rather than being set on it.

    Only instances contribute: a class (a nested ``Meta``, an enum of choices)
    has ``contribute_to_class`` as a plain function.
    """
    return not isinstance(value, type) and hasattr(value, "contribute_to_class")


def split_attributes(attrs: dict) -> tuple[dict, dict]:
    """A class body's attributes split in two: the plain ones, and those that contribute to the model."""
    plain, contributable = {}, {}
    for attribute, value in attrs.items():
        (contributable if contributes(value) else plain)[attribute] = value
    return plain, contributable


class ModelBase(type):
    """The metaclass of every model: turns a class body of fields into a model class with ``_meta``."""

    def __new__(cls, name, bases, attrs, **kwargs):
        parents = [base for base in bases if isinstance(base, ModelBase)]
        if not parents:
            # Model itself, which is not a model of any table.
            return super().__new__(cls, name, bases, attrs, **kwargs)

        attr_meta = attrs.pop("Meta", None)
        plain, contributable = split_attributes(attrs)
        new_class = super().__new__(cls, name, bases, plain, **kwargs)

        abstract = getattr(attr_meta, "abstract", False)
        meta = attr_meta or getattr(new_class, "Meta", None)
        app_label = getattr(meta, "app_label", None) or cls.default_app_label(plain["__module__"], name, abstract)
        new_class.add_to_class("_meta", Options(meta, app_label))
        if not abstract:
            new_class.add_exceptions(parents)
        for attribute, value in contributable.items():
            new_class.add_to_class(attribute, value)
        new_class.inherit_fields()

        if abstract:
            # Children inherit this Meta; they are not abstract unless they say so.
            attr_meta.abstract = False
            new_class.Meta = attr_meta
            return new_class
        if new_class._meta.proxy or new_class._meta.order_with_respect_to:
            raise NotImplementedError(
                f"{name}: tinyframe has no proxy models and no order_with_respect_to (Meta.proxy, "
                "Meta.order_with_respect_to); use a plain model, and ordering."
            )
        new_class._prepare()
        new_class._meta.apps.register_model(new_class._meta.app_label, new_class)
        return new_class

    def add_exceptions(cls, parents) -> None:
        """Give the model its own ``DoesNotExist`` and ``MultipleObjectsReturned``, subclasses of its parents'."""
        for exception_name, root in (("DoesNotExist", ObjectDoesNotExist),
                                     ("MultipleObjectsReturned", MultipleObjectsReturned)):  # fmt: skip
            inherited = tuple(
                getattr(parent, exception_name) for parent in parents
                if hasattr(parent, "_meta") and not parent._meta.abstract
            )  # fmt: skip
            exception = subclass_exception(exception_name, inherited or (root,), cls.__module__, cls)
            cls.add_to_class(exception_name, exception)

    @staticmethod
    def default_app_label(module: str, name: str, abstract: bool) -> str | None:
        """The label of the installed app whose package holds ``module``; RuntimeError if there is none."""
        from tinyframe.apps import apps

        app_config = apps.get_containing_app_config(module)
        if app_config is None:
            if abstract:
                return None
            raise RuntimeError(
                f"Model class {module}.{name} doesn't declare an explicit app_label and isn't in an "
                "application in INSTALLED_APPS."
            )
        return app_config.label

    def add_to_class(cls, name: str, value) -> None:
        """Attach ``value``: let it contribute itself (fields, managers) or set it as an attribute."""
        if contributes(value):
            value.contribute_to_class(cls, name)
        else:
            setattr(cls, name, value)

    def inherit_fields(cls) -> None:
        """Copy in the fields of abstract parents, unless the class declares (or removes) one of the same name.

        A concrete parent would mean multi-table inheritance (Django joins the
        parent's table through a one-to-one link), which tinyframe leaves out.
        """
        for base in cls.__mro__[1:]:
            base_meta = getattr(base, "_meta", None)
            if base_meta is None:
                continue
            if not base_meta.abstract:
                raise NotImplementedError(
                    f"{cls.__name__} inherits from the concrete model {base.__name__}: tinyframe has no multi-table "
                    "inheritance. Make the parent abstract (class Meta: abstract = True)."
                )
            local_names = {field.name for field in cls._meta.local_fields}
            for field in base_meta.local_fields:
                if field.name not in local_names and field.name not in cls.__dict__:
                    cls.add_to_class(field.name, copy.deepcopy(field))
            # >>> 10_auth
            # Many-to-many fields of abstract parents too (PermissionsMixin's groups, user_permissions).
            local_names |= {field.name for field in cls._meta.local_many_to_many}
            for field in base_meta.local_many_to_many:
                if field.name not in local_names and field.name not in cls.__dict__:
                    cls.add_to_class(field.name, copy.deepcopy(field))
            # <<< 10_auth

    def _prepare(cls) -> None:
        """Finish the class: the automatic primary key, the default manager, index names; then announce it."""
        from tinyframe.db.models.manager import Manager

        opts = cls._meta
        opts._prepare(cls)
        if cls.__doc__ is None:
            cls.__doc__ = f"{cls.__name__}({', '.join(field.name for field in opts.fields)})"
        if not opts.managers:
            if any(field.name == "objects" for field in opts.fields):
                raise ValueError(
                    f"Model {cls.__name__} must specify a custom Manager, because it has a field named 'objects'."
                )
            manager = Manager()
            manager.auto_created = True
            cls.add_to_class("objects", manager)
        for index in opts.indexes:
            if not index.name:
                index.set_name_with_model(cls)
        signals.class_prepared.send(sender=cls)

    @property
    def _base_manager(cls):
        """The plain manager that ``save``, ``refresh_from_db`` and validation query through."""
        return cls._meta.base_manager

    @property
    def _default_manager(cls):
        """The model's first (or ``Meta.default_manager_name``) manager."""
        return cls._meta.default_manager


class ModelState:
    """Where a model instance stands with the database.

    ``db`` is the alias of the database it was loaded from or saved to (None
    before either); ``adding`` is True until then, so ``save()`` knows to
    INSERT without first trying an UPDATE.

    Every row fetched gets one, so it has ``__slots__``: no dictionary of its
    own, a third fewer objects per row for Python to make and for the garbage
    collector to visit (fetching 10,000 rows took a third less time in a
    process holding only the ORM; in ``tests/benchmarks/orm.py``, whose
    process also holds Django and peewee, 4%).
    """

    __slots__ = ("db", "adding")
    # >>> 07_relations
    # The related objects fetched through this row (book.author), by relation: a dict made on first use.
    __slots__ += ("fields_cache",)

    def __getattr__(self, name: str):
        """Make ``fields_cache`` the first time it is read: ``{}``, kept in its slot.

        Python calls ``__getattr__`` only when the normal lookup fails, here
        when the slot is still empty: a row no relation was read through
        never gets a dict, and every later read of the slot is a plain
        attribute read, with no Python function in between (the way Django's
        ModelState makes its ``fields_cache`` on first use, with a slot).
        """
        if name != "fields_cache":
            raise AttributeError(f"'ModelState' object has no attribute '{name}'")
        cache = self.fields_cache = {}
        return cache

    # <<< 07_relations

    def __init__(self):
        self.db = None
        self.adding = True


class Model(ModelValidationMixin, metaclass=ModelBase):
    """The base class of models: each subclass is a table, each instance a row."""

    def __init__(self, *args, **kwargs):
        """Give every concrete field its value: positional arguments in field order, then keywords, then defaults.

        Exercise 06.2. Send ``signals.pre_init`` (sender, args, kwargs) first
        and ``signals.post_init`` (sender, instance) last; set ``self._state =
        ModelState()``. Values live in ``self.__dict__[field.attname]``, where
        the hydrator puts them too; a value of ``DEFERRED`` is left out (it is
        loaded when first read). The mistakes have Django's messages:

        - more positional arguments than fields: ``IndexError("Number of args exceeds number of fields")``;
        - a field given by position and by keyword: ``TypeError("Book() got both
          positional and keyword arguments for field 'title'.")``;
        - keywords left over go to ``_set_properties_or_fail``, which sets the
          ones that name a property and reports the rest ("Book() got
          unexpected keyword arguments: 'nmae'", with a suggestion).
        """
        cls = type(self)
        opts = self._meta
        # Sent only when someone listens: two sends to nobody were a sixth of building an
        # instance (tests/benchmarks/orm.py, insert: 3.0 us -> 2.5 us an instance).
        if signals.pre_init.has_listeners(cls):
            signals.pre_init.send(sender=cls, args=args, kwargs=kwargs)
        self._state = ModelState()
        fields = opts.concrete_fields
        if len(args) > len(fields):
            raise IndexError("Number of args exceeds number of fields")
        values = self.__dict__
        for field, value in zip(fields, args):
            if value is DEFERRED:
                continue
            values[field.attname] = value
            if field.attname in kwargs:
                raise TypeError(f"{cls.__qualname__}() got both positional and keyword arguments for field '{field.name}'.")
        for field in fields[len(args):]:
            if field.attname in kwargs:
                value = kwargs.pop(field.attname)
                if value is DEFERRED:
                    continue
            else:
                value = field.get_default()
            values[field.attname] = value
        if kwargs:
            self._set_properties_or_fail(kwargs)
        if signals.post_init.has_listeners(cls):
            signals.post_init.send(sender=cls, instance=self)

    def _set_properties_or_fail(self, kwargs: dict) -> None:
        """Set the keywords that name properties; any other keyword is a mistake, reported with a suggestion."""
        property_names = self._meta._property_names
        # >>> 07_relations
        from tinyframe.db.models.fields.related_descriptors import set_related_keywords

        kwargs = set_related_keywords(self, kwargs)
        # <<< 07_relations
        unexpected = []
        for name, value in kwargs.items():
            if name in property_names:
                if value is not DEFERRED:
                    setattr(self, name, value)
            else:
                unexpected.append(name)
        if unexpected:
            names = ", ".join(repr(name) for name in unexpected)
            error = TypeError(f"{type(self).__name__}() got unexpected keyword arguments: {names}")
            for name in unexpected:
                suggest(error, name, [field.name for field in self._meta.fields])
            raise error

    @classmethod
    def from_db(cls, db: str, field_names, values):
        """An instance made from a database row: ``values`` for ``field_names``, the rest deferred."""
        fields = cls._meta.concrete_fields
        if len(values) != len(fields):
            given = iter(values)
            values = [next(given) if field.attname in field_names else DEFERRED for field in fields]
        instance = cls(*values)
        instance._state.adding = False
        instance._state.db = db
        return instance

    def __repr__(self):
        return f"<{type(self).__name__}: {self}>"

    def __str__(self):
        return f"{type(self).__name__} object ({self.pk})"

    def __eq__(self, other):
        if not isinstance(other, Model):
            return NotImplemented
        if self._meta.concrete_model != other._meta.concrete_model:
            return False
        pk = self.pk
        if pk is None:
            return self is other
        return pk == other.pk

    def __hash__(self):
        if self.pk is None:
            raise TypeError("Model instances without primary key value are unhashable")
        return hash(self.pk)

    def __reduce__(self):
        # Pickle and copy by class and __dict__, with a _state of the copy's own, as Django does:
        # copy.copy(book) then saving or loading it must not change where the original stands.
        state = self.__dict__.copy()
        state["_state"] = copy.copy(state["_state"])
        # >>> 07_relations
        state["_state"].fields_cache = dict(self._state.fields_cache)  # the copy's related objects, its own
        # <<< 07_relations
        return (object.__new__, (type(self),), state)

    def _get_pk_val(self, meta=None):
        meta = meta or self._meta
        return getattr(self, meta.pk.attname)

    def _set_pk_val(self, value) -> None:
        setattr(self, self._meta.pk.attname, value)

    pk = property(_get_pk_val, _set_pk_val, doc="The primary key's value, whatever the key field is called.")

    def get_deferred_fields(self) -> set:
        """The attnames of the fields not loaded from the database (absent from ``__dict__``)."""
        return {field.attname for field in self._meta.concrete_fields if field.attname not in self.__dict__}

    def _get_FIELD_display(self, field) -> str:
        """``get_status_display()``: the label of the field's value among its choices (the value if none)."""
        value = getattr(self, field.attname)
        for choice, label in field.flatchoices:
            if choice == value:
                return label if isinstance(label, str) else str(label)
        return value

    def _get_next_or_previous_by_FIELD(self, field, is_next: bool, **filters):
        """``get_next_by_published()``: the object after (or before) this one by a date field, then by key."""
        from tinyframe.db.models.query_utils import Q

        if self.pk is None:
            raise ValueError("get_next/get_previous cannot be used on unsaved objects.")
        operator, direction = ("gt", "") if is_next else ("lt", "-")
        value = getattr(self, field.attname)
        # Later date, or the same date and a later key: ties are broken by the key.
        later = Q(**{f"{field.name}__{operator}": value}) | Q(**{field.name: value, f"pk__{operator}": self.pk})
        queryset = type(self)._default_manager.using(self._state.db).filter(later, **filters)
        found = queryset.order_by(f"{direction}{field.name}", f"{direction}pk")[:1]
        if not found:
            raise self.DoesNotExist(f"{self._meta.object_name} matching query does not exist.")
        return found[0]

    def serializable_value(self, field_name: str):
        """The field's value (for serializers); an unknown name is read as an attribute."""
        try:
            field = self._meta.get_field(field_name)
        except Exception:
            return getattr(self, field_name)
        return getattr(self, field.attname)

    # -- the database -------------------------------------------------------------

    def refresh_from_db(self, using: str | None = None, fields=None) -> None:
        """Reload field values from the database: all loaded ones, or just ``fields``."""
        opts = self._meta
        if fields is not None:
            fields = list(fields)
            if not fields:
                return
            if any("__" in name for name in fields):
                separator = "__"
                raise ValueError(
                    f'Found "{separator}" in fields argument. Relations and transforms are not allowed in fields.'
                )
            attnames = [opts.get_field(name).attname for name in fields]
        else:
            deferred = self.get_deferred_fields()
            attnames = [field.attname for field in opts.concrete_fields if field.attname not in deferred]
        db = using if using is not None else self._state.db
        queryset = type(self)._base_manager.using(db).filter(pk=self.pk)
        row = queryset.values_list(*attnames).get()
        self.__dict__.update(zip(attnames, row))
        # >>> 07_relations
        from tinyframe.db.models.fields.related_descriptors import forget_related_objects

        forget_related_objects(self, attnames, everything=fields is None)
        # <<< 07_relations
        self._state.db = db or DEFAULT_DB_ALIAS
        self._state.adding = False

    def save(self, force_insert=False, force_update=False, using=None, update_fields=None) -> None:
        """Write the object to the database: an UPDATE of its row if it has one, else an INSERT.

        ``update_fields`` limits the UPDATE to those fields; ``force_insert`` and
        ``force_update`` skip the guessing (and fail when the guess would be wrong).
        """
        # >>> 07_relations
        from tinyframe.db.models.fields.related_descriptors import prepare_related_fields_for_save

        prepare_related_fields_for_save(self, operation_name="save")
        # <<< 07_relations
        using = using or self._state.db or DEFAULT_DB_ALIAS
        if force_insert and (force_update or update_fields):
            raise ValueError("Cannot force both insert and updating in model saving.")
        if update_fields is not None:
            if not update_fields:
                return
            update_fields = frozenset(update_fields)
            unknown = update_fields - self._meta._non_pk_concrete_field_names
            if unknown:
                raise ValueError(
                    "The following fields do not exist in this model, are m2m fields, primary keys, or are "
                    f"non-concrete fields: {', '.join(sorted(unknown))}"
                )
        elif not force_insert and self._state.db == using:
            # Loaded with only() / defer(): save only what was loaded.
            deferred = self.get_deferred_fields()
            if deferred:
                update_fields = frozenset(
                    field.attname for field in self._meta.concrete_fields
                    if not field.primary_key and field.attname not in deferred
                )  # fmt: skip
        self.save_base(using=using, force_insert=force_insert, force_update=force_update, update_fields=update_fields)

    def save_base(self, raw=False, force_insert=False, force_update=False, using=None, update_fields=None) -> None:
        """The saving itself, between the ``pre_save`` and ``post_save`` signals."""
        from tinyframe.db import transaction

        using = using or self._state.db or DEFAULT_DB_ALIAS
        cls = type(self)
        signals.pre_save.send(sender=cls, instance=self, raw=raw, using=using, update_fields=update_fields)
        with transaction.mark_for_rollback_on_error(using=using):
            updated = self._save_table(raw, cls, force_insert, force_update, using, update_fields)
        self._state.db = using
        self._state.adding = False
        signals.post_save.send(
            sender=cls, instance=self, created=not updated, update_fields=update_fields, raw=raw, using=using
        )

    def _save_table(self, raw, cls, force_insert, force_update, using, update_fields) -> bool:
        """UPDATE or INSERT the row; True if an existing row was updated."""
        from tinyframe.db import DatabaseError

        meta = cls._meta
        pk_value = self._get_pk_val(meta)
        if pk_value is None and meta.pk.has_default():
            pk_value = meta.pk.get_default()
            self._set_pk_val(pk_value)
        pk_set = pk_value is not None
        if not pk_set and (force_update or update_fields):
            raise ValueError("Cannot force an update in save() with no primary key.")
        # A new object whose key has a default (a UUID, say) has no row yet: skip the UPDATE.
        if not raw and not force_insert and not force_update and self._state.adding and meta.pk.has_default():
            force_insert = True
        updated = False
        if pk_set and not force_insert:
            fields = [field for field in meta.local_concrete_fields if not field.primary_key]
            if update_fields:
                fields = [field for field in fields if field.name in update_fields or field.attname in update_fields]
            values = [
                (field, None, getattr(self, field.attname) if raw else field.pre_save(self, False)) for field in fields
            ]
            updated = self._do_update(cls._base_manager.using(using), pk_value, values, update_fields, force_update)
            if force_update and not updated:
                raise DatabaseError("Forced update did not affect any rows.")
            if update_fields and not updated:
                raise DatabaseError("Save with update_fields did not affect any rows.")
        if not updated:
            fields = list(meta.local_concrete_fields)
            if not pk_set:
                fields = [field for field in fields if field is not meta.auto_field]
            returning_fields = meta.db_returning_fields
            rows = cls._base_manager._insert(
                [self], fields=fields, returning_fields=returning_fields, raw=raw, using=using
            )
            if rows:
                for value, field in zip(rows[0], returning_fields):
                    setattr(self, field.attname, value)
        return updated

    def _do_update(self, base_queryset, pk_value, values, update_fields, forced_update) -> bool:
        """UPDATE the row with this primary key; True if there was one."""
        filtered = base_queryset.filter(pk=pk_value)
        if not values:
            # Nothing to write but the key: the row's existence is the answer.
            return update_fields is not None or filtered.exists()
        return filtered._update(values) > 0

    # >>> 07_relations
    def prepare_database_save(self, field):
        """What stands for this instance in ``update(author=obj)``: the key ``field`` (a relation) stores."""
        if not field.is_relation:
            raise TypeError(
                f"Tried to update field {field} with a model instance, {self!r}. "
                f"Use a value compatible with {type(field).__name__}."
            )
        if self.pk is None:
            raise ValueError(f"Unsaved model instance {self!r} cannot be used in an ORM query.")
        return getattr(self, field.target_field.attname)

    # <<< 07_relations
    def delete(self, using=None, keep_parents=False) -> tuple[int, dict]:
        """Delete the object's row; return ``(1, {"library.Book": 1})`` as ``QuerySet.delete()`` does."""
        if self.pk is None:
            raise ValueError(
                f"{self._meta.object_name} object can't be deleted because its {self._meta.pk.attname} "
                "attribute is set to None."
            )
        from tinyframe.db.models.deletion import delete_objects

        using = using or self._state.db or DEFAULT_DB_ALIAS
        result = delete_objects(type(self), [self], using)
        self._set_pk_val(None)
        return result

    delete.alters_data = True
    save.alters_data = True
