"""What happens to the rows pointing at a deleted row: the ``on_delete`` handlers and their errors.

How it works: ``ForeignKey(Author, on_delete=CASCADE)`` stores the handler on
``field.remote_field.on_delete``. When an author is deleted, the ``Collector``
(``collector.py``) finds the books pointing at it and calls
``handler(collector, field, books, using)``; the handler answers by calling the
collector back:

- ``CASCADE`` collects the books for deletion too (and so, in turn, the rows
  pointing at them);
- ``SET_NULL``, ``SET_DEFAULT`` and ``SET(value)`` schedule one UPDATE of the
  key column;
- ``PROTECT`` raises ``ProtectedError``; ``RESTRICT`` notes the books, and the
  collector raises ``RestrictedError`` unless a CASCADE path deletes them anyway;
- ``DO_NOTHING`` leaves the rows alone (the database's constraint decides).

A handler marked ``lazy_sub_objs`` is called with the related rows as a
QuerySet that is never run: an UPDATE needs their condition, not the rows.
"""

from tinyframe.db import IntegrityError

__all__ = ["CASCADE", "DO_NOTHING", "PROTECT", "RESTRICT", "SET", "SET_DEFAULT", "SET_NULL", "ProtectedError",
           "RestrictedError"]  # fmt: skip


class ProtectedError(IntegrityError):
    """A delete refused because rows point at the deleted ones through ``on_delete=PROTECT``.

    ``protected_objects`` holds the rows that stood in the way. As in Django,
    the message and the objects are both the exception's ``args``.
    """

    def __init__(self, msg: str, protected_objects):
        self.protected_objects = protected_objects
        super().__init__(msg, protected_objects)


class RestrictedError(IntegrityError):
    """A delete refused because rows point at the deleted ones through ``on_delete=RESTRICT``.

    ``restricted_objects`` holds the rows that stood in the way.
    """

    def __init__(self, msg: str, restricted_objects):
        self.restricted_objects = restricted_objects
        super().__init__(msg, restricted_objects)


def CASCADE(collector, field, sub_objs, using: str) -> None:
    """Delete the rows pointing at the deleted ones, and whatever points at them in turn.

    ``fail_on_restricted=False``: a RESTRICT met further down is judged once the
    whole delete is collected, since another path may delete that row too.
    (Django also nulls a nullable key first on databases that cannot defer
    constraint checks to the commit; SQLite can, so that case never arises.)
    """
    collector.collect(
        sub_objs,
        source=field.remote_field.model,
        source_attr=field.name,
        nullable=field.null,
        fail_on_restricted=False,
    )


def PROTECT(collector, field, sub_objs, using: str) -> None:
    """Refuse the delete: raise ``ProtectedError`` naming the field (the collector gathers them all)."""
    raise ProtectedError(
        f"Cannot delete some instances of model '{field.remote_field.model.__name__}' because they are "
        f"referenced through a protected foreign key: '{sub_objs[0].__class__.__name__}.{field.name}'",
        sub_objs,
    )


def RESTRICT(collector, field, sub_objs, using: str) -> None:
    """Refuse the delete, unless the same delete also reaches these rows through a CASCADE.

    The rows are only noted here; ``Collector.collect`` decides at the end of
    the top-level call. Should they be deleted after all, they go first: the
    deleted model depends on them.
    """
    collector.add_restricted_objects(field, sub_objs)
    collector.add_dependency(field.remote_field.model, field.model)


def SET(value):
    """``on_delete=SET(value)``: point the rows at ``value`` instead; a callable is called for it.

    >>> handler = SET(0)
    >>> handler.lazy_sub_objs
    True
    >>> handler.deconstruct()
    ('tinyframe.db.models.SET', (0,), {})

    A callable is called only when there are rows to update, so the rows are
    fetched first (the handler is not lazy) -- as in Django, where
    ``SET(get_sentinel_user)`` must not create a sentinel for nothing.
    """
    if callable(value):

        def set_on_delete(collector, field, sub_objs, using):
            collector.add_field_update(field, value(), sub_objs)

    else:

        def set_on_delete(collector, field, sub_objs, using):
            collector.add_field_update(field, value, sub_objs)

        set_on_delete.lazy_sub_objs = True

    set_on_delete.deconstruct = lambda: ("tinyframe.db.models.SET", (value,), {})
    return set_on_delete


def SET_NULL(collector, field, sub_objs, using: str) -> None:
    """Set the key of the rows pointing at the deleted ones to NULL (the field must be ``null=True``)."""
    collector.add_field_update(field, None, sub_objs)


SET_NULL.lazy_sub_objs = True


def SET_DEFAULT(collector, field, sub_objs, using: str) -> None:
    """Set the key of the rows pointing at the deleted ones to the field's default.

    Not lazy, as in Django: the rows are fetched, and updated by their keys.
    """
    collector.add_field_update(field, field.get_default(), sub_objs)


def DO_NOTHING(collector, field, sub_objs, using: str) -> None:
    """Leave the rows alone: the collector skips the relation without even looking for them."""
