"""Where an instance keeps the related objects it has fetched: ``instance._state.fields_cache``.

How it works: reading ``book.author`` runs a query the first time; the
``Author`` found is kept in ``book._state.fields_cache["author"]`` so the next
read is free. Every relation, forward (the ``ForeignKey`` itself) or reverse
(the ``OneToOneRel`` behind ``place.restaurant``), keeps its object under its
own ``cache_name`` with the four methods of ``FieldCacheMixin``.
"""

from tinyframe.db.models.fields import NOT_PROVIDED
from tinyframe.utils.functional import cached_property

__all__ = ["FieldCacheMixin"]


class FieldCacheMixin:
    """``get_cached_value``, ``set_cached_value``, ``is_cached``, ``delete_cached_value`` by ``cache_name``."""

    @cached_property
    def cache_name(self) -> str:
        """The key in ``fields_cache``: the name the relation is read by (worked out once, as Django does)."""
        return self.get_cache_name()

    def get_cache_name(self) -> str:
        raise NotImplementedError(f"{type(self).__name__} must define get_cache_name()")

    def get_cached_value(self, instance, default=NOT_PROVIDED):
        """The cached related object; KeyError when there is none and no ``default``."""
        try:
            return instance._state.fields_cache[self.cache_name]
        except KeyError:
            if default is NOT_PROVIDED:
                raise
            return default

    def is_cached(self, instance) -> bool:
        return self.cache_name in instance._state.fields_cache

    def set_cached_value(self, instance, value) -> None:
        instance._state.fields_cache[self.cache_name] = value

    def delete_cached_value(self, instance) -> None:
        del instance._state.fields_cache[self.cache_name]
