"""Deleting rows: the signals around it, one transaction, and Django's ``(total, per-model)`` answer.

How it works: ``delete_objects(model, objs, using)`` is what ``Model.delete``
and ``QuerySet.delete`` share. Inside one transaction it sends
``pre_delete`` for every object, deletes them by key (``DELETE ... WHERE id
IN (...)``, in batches under the parameter limit), sends ``post_delete``,
and sets each instance's key to None (it names no row any more). It returns
``(1, {"library.Book": 1})``, the count per model label, as Django does.
One object that no receiver listens for goes without the transaction
(``delete_alone``): its one ``DELETE`` is atomic by itself.

``delete_queryset`` picks the fast path when no receiver listens to either
signal for the model: one ``DELETE ... WHERE <the queryset's conditions>``,
without loading a single row. (Chapter 07 adds related objects: cascades
collected before deleting.)
"""

from tinyframe.db import connections, transaction
from tinyframe.db.models.signals import post_delete, pre_delete
# >>> 07_relations
# Django's names live here: the on_delete handlers and the Collector, kept in their own modules.
from tinyframe.db.models.collector import (  # noqa: F401
    Collector, delete_collected, get_candidate_relations_to_delete, has_incoming_relations,
)  # fmt: skip
from tinyframe.db.models.on_delete import (  # noqa: F401
    CASCADE, DO_NOTHING, PROTECT, RESTRICT, SET, SET_DEFAULT, SET_NULL, ProtectedError, RestrictedError,
)  # fmt: skip
# <<< 07_relations


def delete_objects(model, objs, using: str) -> tuple[int, dict]:
    """Delete ``objs`` (instances of ``model``) with their signals, in one transaction."""
    objs = list(objs)
    label = model._meta.label
    pk = model._meta.pk
    for obj in objs:
        if obj.pk is None:
            raise ValueError(
                f"{model._meta.object_name} object can't be deleted because its {pk.attname} attribute is set to None."
            )
    # >>> 07_relations
    if has_incoming_relations(model):
        # Rows elsewhere may point at these: the Collector follows them. Model.delete's one
        # instance is the origin the signals carry, as in Django.
        return delete_collected(objs, using, origin=objs[0] if len(objs) == 1 else None)
    # <<< 07_relations
    if len(objs) == 1 and not has_delete_listeners(model):
        return delete_alone(model, objs[0], using)
    batch_size = connections[using].ops.max_query_params
    deleted = 0
    with transaction.atomic(using=using, savepoint=False):
        for obj in objs:
            pre_delete.send(sender=model, instance=obj, using=using, origin=obj)
        keys = list(dict.fromkeys(obj.pk for obj in objs))
        for start in range(0, len(keys), batch_size):
            batch = keys[start : start + batch_size]
            deleted += model._base_manager.using(using).filter(pk__in=batch)._raw_delete(using)
        for obj in objs:
            post_delete.send(sender=model, instance=obj, using=using, origin=obj)
    for obj in objs:
        setattr(obj, pk.attname, None)
    return deleted, {label: deleted}


def delete_queryset(queryset) -> tuple[int, dict]:
    """Delete a QuerySet's rows: in one statement when nobody listens for the signals, else object by object."""
    model = queryset.model
    using = queryset.db
    # >>> 07_relations
    if has_incoming_relations(model):
        return delete_collected(queryset.order_by(), using, origin=queryset)
    # <<< 07_relations
    if has_delete_listeners(model):
        objs = list(queryset.order_by())
        if not objs:
            return 0, {}
        return delete_objects(model, objs, using)
    with transaction.atomic(using=using, savepoint=False):
        deleted = queryset._raw_delete(using)
    return deleted, ({model._meta.label: deleted} if deleted else {})


def has_delete_listeners(model) -> bool:
    """Whether a ``pre_delete`` or ``post_delete`` receiver must see ``model``'s rows one by one."""
    return pre_delete.has_listeners(model) or post_delete.has_listeners(model)


def delete_alone(model, obj, using: str) -> tuple[int, dict]:
    """Delete one row that nobody listens for or must follow: its ``DELETE`` alone, as Django sends it.

    One statement is atomic on its own, so a failed delete leaves the table as
    it was without a BEGIN and COMMIT around it. Inside someone's atomic
    block, an error still dooms that block (``mark_for_rollback_on_error``),
    as it would had the statement had a transaction of its own. The count is
    Django's even for a row that was gone already: ``(0, {"blog.Post": 0})``.
    """
    with transaction.mark_for_rollback_on_error(using):
        deleted = model._base_manager.using(using).filter(pk__in=[obj.pk])._raw_delete(using)
    setattr(obj, model._meta.pk.attname, None)
    return deleted, {model._meta.label: deleted}
