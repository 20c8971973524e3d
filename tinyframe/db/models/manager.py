"""Managers: ``Book.objects``, the door from a model class to its QuerySets.

How it works: a ``Manager`` holds no state about rows; each call
(``Book.objects.filter(...)``) asks ``get_queryset()`` for a fresh
``QuerySet`` and calls the method on it. ``BaseManager.from_queryset
(QuerySetClass)`` builds a manager class with one such forwarding method for
every public method of the QuerySet class, so a custom QuerySet's methods
are on its manager too (``QuerySet.as_manager()`` is the short form).
``Manager`` itself is ``BaseManager.from_queryset(QuerySet)``.

A model's metaclass calls ``contribute_to_class(model, name)``: the manager
learns its model and name, files itself in ``model._meta`` and is installed
behind a ``ManagerDescriptor``, which refuses access through an instance —
``book.objects`` is a mistake (a manager is about the table, not a row).
"""

import copy
import inspect
import itertools

from tinyframe.db import DEFAULT_DB_ALIAS
from tinyframe.db.models.query import QuerySet

_creation_counter = itertools.count()


class BaseManager:
    """A model's interface to its QuerySets; subclass it and override ``get_queryset`` to narrow them."""

    auto_created = False
    use_in_migrations = False

    def __init__(self):
        self.creation_counter = next(_creation_counter)
        self.model = None
        self.name = None
        self._db = None
        self._hints = {}

    def __str__(self) -> str:
        return f"{self.model._meta.label}.{self.name}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self}>" if self.model is not None else f"<{type(self).__name__}>"

    def __class_getitem__(cls, *args, **kwargs):
        return cls

    @classmethod
    def _get_queryset_methods(cls, queryset_class) -> dict:
        """A forwarding method for each public method of ``queryset_class`` the manager lacks."""

        def make_method(name):
            def manager_method(self, *args, **kwargs):
                return getattr(self.get_queryset(), name)(*args, **kwargs)

            manager_method.__name__ = name
            manager_method.__doc__ = getattr(queryset_class, name).__doc__
            return manager_method

        methods = {}
        for name, method in inspect.getmembers(queryset_class, predicate=inspect.isfunction):
            if hasattr(cls, name) or name.startswith("_") and name not in ("_insert", "_update"):
                continue
            if getattr(method, "queryset_only", False):
                continue
            methods[name] = make_method(name)
        return methods

    @classmethod
    def from_queryset(cls, queryset_class, class_name: str | None = None) -> type:
        """A manager class whose ``get_queryset`` makes ``queryset_class`` and which offers its methods."""
        if class_name is None:
            class_name = f"{cls.__name__}From{queryset_class.__name__}"
        return type(
            class_name,
            (cls,),
            {"_queryset_class": queryset_class, **cls._get_queryset_methods(queryset_class)},
        )

    def contribute_to_class(self, cls, name: str) -> None:
        """Become ``cls.<name>``: remember the model, file in ``cls._meta``, install the descriptor."""
        self.name = self.name or name
        self.model = cls
        setattr(cls, name, ManagerDescriptor(self))
        cls._meta.add_manager(self)

    def db_manager(self, using: str | None = None, hints=None) -> "BaseManager":
        """A copy of this manager whose QuerySets run on ``using``."""
        manager = copy.copy(self)
        manager._db = using
        manager._hints = hints or {}
        return manager

    @property
    def db(self) -> str:
        """The database alias its QuerySets use."""
        return self._db or DEFAULT_DB_ALIAS

    def get_queryset(self) -> QuerySet:
        """A new QuerySet of all the model's rows; override it to change what the manager starts from."""
        return self._queryset_class(model=self.model, using=self._db, hints=self._hints)

    def all(self) -> QuerySet:
        """``get_queryset()``: every row (a custom manager's narrowing included)."""
        return self.get_queryset()

    def __eq__(self, other) -> bool:
        return isinstance(other, type(self)) and self.model == other.model and self.name == other.name

    def __hash__(self):
        return id(self)


class Manager(BaseManager.from_queryset(QuerySet)):
    """The default manager: every QuerySet method, on the model class (``Book.objects.filter(...)``)."""


class ManagerDescriptor:
    """Gives the model class its manager, and refuses an instance: ``book.objects`` is an AttributeError."""

    def __init__(self, manager: BaseManager):
        self.manager = manager

    def __get__(self, instance, cls=None):
        if instance is not None:
            raise AttributeError(f"Manager isn't accessible via {cls.__name__} instances")
        if cls._meta.abstract:
            raise AttributeError(f"Manager isn't available; '{cls._meta.object_name}' is abstract")
        # >>> 10_auth
        if cls._meta.swapped:
            from tinyframe.db.models.swappable import swapped_manager_error

            raise swapped_manager_error(cls)
        # <<< 10_auth
        return cls._meta.managers_map[self.manager.name]
