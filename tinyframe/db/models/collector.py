"""Deleting rows that other rows point at: collect everything the delete reaches, then delete it in order.

How it works: ``Collector.collect(objs)`` files the rows to delete under their
model in ``data``, then, for each relation pointing at that model (the
``ForeignKey`` and ``OneToOneField`` of other models, and the keys of the
many-to-many through tables), finds the related rows and calls the relation's
``on_delete`` handler (``on_delete.py``), which collects them in turn
(CASCADE), schedules an UPDATE (SET_NULL...), or refuses (PROTECT, RESTRICT).
Rows nobody needs to see -- no signal receiver, nothing pointing at them --
are not fetched: their QuerySet goes to ``fast_deletes``, one DELETE each.

``Collector.delete()`` then works inside one transaction: ``sort()`` orders
the models so that rows go before the rows they point at, ``pre_delete`` is
sent for every collected row, the fast deletes run, the UPDATEs run (one per
field and value), every model's rows are deleted by key with ``post_delete``
after them, and the instances' keys are set to None. It returns Django's
answer: ``(10, {"library.Book_tags": 5, "library.Book": 4, "library.Author": 1})``,
counting only the models that lost rows, in the order they were deleted.

``Model.delete`` and ``QuerySet.delete`` come here (``deletion.py``) when some
relation points at the model; a model nothing points at keeps the plain path.
"""

import functools
import operator
from collections import Counter, defaultdict

from tinyframe.db import connections, transaction
from tinyframe.db.models.on_delete import CASCADE, DO_NOTHING, ProtectedError, RestrictedError
from tinyframe.db.models.query import QuerySet
from tinyframe.db.models.query_utils import Q
from tinyframe.db.models.signals import post_delete, pre_delete


def get_candidate_relations_to_delete(opts) -> list:
    """The relations a delete of ``opts.model``'s rows must follow: reverse many-to-one and one-to-one.

    Hidden ones included: the key of an automatic many-to-many through table is
    hidden, and it is what deletes the through rows. A many-to-many relation
    itself is no candidate: its rows live in the through table, reached by that key.
    """
    return [
        field
        for field in opts.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and (field.one_to_one or field.one_to_many)
    ]


def referenced_attnames(model) -> set[str]:
    """The columns of ``model`` that relations point at: its key, or a ``to_field``; none if nothing points at it."""
    return {related.field.target_field.attname for related in get_candidate_relations_to_delete(model._meta)}


class Collector:
    """Gathers what deleting some rows involves (``collect``), then deletes it all (``delete``).

    ``data`` maps each model to its rows to delete; ``dependencies`` maps a
    model to the models whose rows must be deleted before its own;
    ``field_updates`` maps ``(field, value)`` to the rows to update;
    ``fast_deletes`` lists QuerySets deleted without fetching them.
    ``origin`` is what the delete started from (the instance or the QuerySet),
    sent with the signals.
    """

    def __init__(self, using: str, origin=None):
        self.using = using
        self.origin = origin
        self.data = defaultdict(set)
        self.field_updates = defaultdict(list)
        self.restricted_objects = defaultdict(lambda: defaultdict(set))  # {model: {field: {rows}}}
        self.fast_deletes = []
        self.dependencies = defaultdict(set)

    # -- filing ------------------------------------------------------------------

    def add(self, objs, source=None, nullable: bool = False, reverse_dependency: bool = False) -> list:
        """File ``objs`` for deletion; return those not filed before.

        ``source`` is the model whose delete cascaded here: it must wait for
        these rows, unless the key is nullable (an UPDATE could clear it, so
        it orders nothing).
        """
        if not objs:
            return []
        model = objs[0].__class__
        instances = self.data[model]
        new_objs = [obj for obj in objs if obj not in instances]
        instances.update(new_objs)
        if source is not None and not nullable:
            self.add_dependency(source, model, reverse_dependency=reverse_dependency)
        return new_objs

    def add_dependency(self, model, dependency, reverse_dependency: bool = False) -> None:
        """Note that ``model``'s rows are deleted only after ``dependency``'s."""
        if reverse_dependency:
            model, dependency = dependency, model
        self.dependencies[model._meta.concrete_model].add(dependency._meta.concrete_model)
        self.data.setdefault(dependency, set())

    def add_field_update(self, field, value, objs) -> None:
        """Schedule ``UPDATE ... SET field = value`` for ``objs`` (a QuerySet or a list of one model's rows)."""
        self.field_updates[field, value].append(objs)

    def add_restricted_objects(self, field, objs) -> None:
        """Note rows that point at the deleted ones through ``on_delete=RESTRICT``."""
        if objs:
            self.restricted_objects[objs[0].__class__][field].update(objs)

    def clear_restricted_objects_from_set(self, model, objs) -> None:
        """Forget the restricted rows of ``model`` that are collected for deletion anyway."""
        if model in self.restricted_objects:
            fields = self.restricted_objects[model]
            for field in fields:
                fields[field] = fields[field] - set(objs)

    def clear_restricted_objects_from_queryset(self, model, queryset) -> None:
        """Forget the restricted rows of ``model`` that a fast delete deletes anyway (one query to know which)."""
        if model in self.restricted_objects:
            keys = [obj.pk for objs in self.restricted_objects[model].values() for obj in objs]
            self.clear_restricted_objects_from_set(model, set(queryset.filter(pk__in=keys)))

    # -- collecting --------------------------------------------------------------

    def _has_signal_listeners(self, model) -> bool:
        """Whether a ``pre_delete`` or ``post_delete`` receiver must see ``model``'s rows one by one (the admin overrides it)."""
        from tinyframe.db.models.deletion import has_delete_listeners  # deletion.py imports this module

        return has_delete_listeners(model)

    def can_fast_delete(self, objs, from_field=None) -> bool:
        """Whether ``objs`` (a QuerySet, a model or one instance) can go in one DELETE, fetching nothing more.

        Only when nobody listens for their signals and every relation pointing
        at their model is DO_NOTHING (nothing further to delete or update).
        Coming through ``from_field``, the relation must be a CASCADE. A list
        of instances is never fast-deleted: it is already fetched.
        """
        if from_field is not None and from_field.remote_field.on_delete is not CASCADE:
            return False
        if hasattr(objs, "_meta"):
            model = objs._meta.model
        elif isinstance(objs, QuerySet):
            model = objs.model
        else:
            return False
        if self._has_signal_listeners(model):
            return False
        return all(
            related.field.remote_field.on_delete is DO_NOTHING
            for related in get_candidate_relations_to_delete(model._meta)
        )

    def get_del_batches(self, objs: list, fields: list) -> list[list]:
        """``objs`` cut into batches small enough for one query's parameters."""
        batch_size = max(connections[self.using].ops.max_query_params // max(len(fields), 1), 1)
        if len(objs) <= batch_size:
            return [objs]
        return [objs[start : start + batch_size] for start in range(0, len(objs), batch_size)]

    def related_objects(self, related_model, related_fields: list, objs) -> QuerySet:
        """The rows of ``related_model`` pointing at ``objs`` through any of ``related_fields``.

        ``Book.filter(author__in=authors)`` writes no join: the key is on the book's row.
        """
        conditions = [Q(**{f"{field.name}__in": objs}) for field in related_fields]
        return related_model._base_manager.using(self.using).filter(functools.reduce(operator.or_, conditions))

    def collect(
        self,
        objs,
        source=None,
        nullable: bool = False,
        collect_related: bool = True,
        source_attr=None,
        reverse_dependency: bool = False,
        keep_parents: bool = False,
        fail_on_restricted: bool = True,
    ) -> None:
        """File ``objs`` (one model's rows: a QuerySet or a list) and everything their delete reaches.

        For each relation pointing at their model, the related rows are found
        (in batches) and handed to the relation's ``on_delete``. PROTECT
        errors are gathered into one ``ProtectedError`` naming every field:

        "Cannot delete some instances of model 'Author' because they are
        referenced through protected foreign keys: 'Book.author'."

        At the top-level call (``fail_on_restricted``), restricted rows that
        some CASCADE also collected are forgiven; any left raise
        ``RestrictedError`` ("... referenced through restricted foreign keys:
        'Book.author'."). ``source_attr`` and ``keep_parents`` are accepted for
        Django's signature; tinyframe has no multi-table inheritance.
        """
        if self.can_fast_delete(objs):
            self.fast_deletes.append(objs)
            return
        new_objs = self.add(objs, source, nullable, reverse_dependency=reverse_dependency)
        if not new_objs or not collect_related:
            return
        model = new_objs[0].__class__
        model_fast_deletes = defaultdict(list)
        protected_objects = defaultdict(list)
        for related in get_candidate_relations_to_delete(model._meta):
            field = related.field
            on_delete = field.remote_field.on_delete
            if on_delete is DO_NOTHING:
                continue
            related_model = related.related_model
            if self.can_fast_delete(related_model, from_field=field):
                model_fast_deletes[related_model].append(field)
                continue
            for batch in self.get_del_batches(new_objs, [field]):
                sub_objs = self.related_objects(related_model, [field], batch)
                if not self._has_signal_listeners(related_model):
                    # Nobody will see these rows: fetch only the columns other rows point at.
                    sub_objs = sub_objs.only(*referenced_attnames(related_model))
                if getattr(on_delete, "lazy_sub_objs", False) or sub_objs:
                    try:
                        on_delete(self, field, sub_objs, self.using)
                    except ProtectedError as error:
                        protected_objects[f"'{field.model.__name__}.{field.name}'"] += error.protected_objects
        if protected_objects:
            raise ProtectedError(
                f"Cannot delete some instances of model '{model.__name__}' because they are referenced "
                f"through protected foreign keys: {', '.join(protected_objects)}.",
                {obj for objs in protected_objects.values() for obj in objs},
            )
        for related_model, related_fields in model_fast_deletes.items():
            for batch in self.get_del_batches(new_objs, related_fields):
                self.fast_deletes.append(self.related_objects(related_model, related_fields, batch))
        if fail_on_restricted:
            self.raise_for_restricted(model)

    def raise_for_restricted(self, model) -> None:
        """Raise ``RestrictedError`` for restricted rows that the delete does not reach through a CASCADE."""
        for related_model, instances in self.data.items():
            self.clear_restricted_objects_from_set(related_model, instances)
        for queryset in self.fast_deletes:
            self.clear_restricted_objects_from_queryset(queryset.model, queryset)
        restricted_objects = defaultdict(list)
        for related_model, fields in self.restricted_objects.items():
            for field, objs in fields.items():
                if objs:
                    restricted_objects[f"'{related_model.__name__}.{field.name}'"] += objs
        if restricted_objects:
            raise RestrictedError(
                f"Cannot delete some instances of model '{model.__name__}' because they are referenced "
                f"through restricted foreign keys: {', '.join(restricted_objects)}.",
                {obj for objs in restricted_objects.values() for obj in objs},
            )

    # -- deleting ----------------------------------------------------------------

    def instances_with_model(self):
        """Every collected row with its model, model by model."""
        for model, instances in self.data.items():
            for obj in instances:
                yield model, obj

    def sort(self) -> None:
        """Order ``self.data`` so that every model comes after the models it waits for.

        ``self.dependencies`` maps a model to the set of models whose rows must
        be deleted before its own: deleting an author cascades to its books,
        so ``{Author: {Book}}``, and books go first (a row goes before the rows
        it points at). Models are compared by ``model._meta.concrete_model``.

        The rule, which gives Django's order: go through the models of
        ``self.data`` in their current order, taking every model not yet taken
        whose dependencies are all taken already (a model taken earlier in the
        same pass counts). Repeat the passes until all are taken. Then replace
        ``self.data`` by a dict with the same values in the new order.

        A pass that takes no model means the rest wait for each other (a
        cycle): then leave ``self.data`` exactly as it was, and return.
        """
        sorted_models = []
        taken = set()
        models = list(self.data)
        while len(sorted_models) < len(models):
            found = False
            for model in models:
                if model in sorted_models:
                    continue
                waits_for = self.dependencies.get(model._meta.concrete_model, set())
                if waits_for <= taken:
                    sorted_models.append(model)
                    taken.add(model._meta.concrete_model)
                    found = True
            if not found:
                return
        self.data = {model: self.data[model] for model in sorted_models}

    def delete(self) -> tuple[int, dict]:
        """Delete everything collected, in one transaction; ``(total, {"app.Model": rows, ...})``.

        One row whose delete changes nothing else and that nobody listens for
        needs no transaction: it is deleted alone, as ``Model.delete`` deletes
        a row of a model nothing points at (Django's shortcut too).
        """
        for model, instances in self.data.items():
            self.data[model] = sorted(instances, key=operator.attrgetter("pk"))
        self.sort()
        if len(self.data) == 1:
            [(model, instances)] = self.data.items()
            if len(instances) == 1 and self.can_fast_delete(instances[0]):
                # One row, nothing to change elsewhere, nobody listening: chapter 06's lone DELETE.
                from tinyframe.db.models.deletion import delete_alone  # deletion.py imports this module

                return delete_alone(model, instances[0], self.using)
        deleted_counter = Counter()
        with transaction.atomic(using=self.using, savepoint=False):
            for model, obj in self.instances_with_model():
                if not model._meta.auto_created:
                    pre_delete.send(sender=model, instance=obj, using=self.using, origin=self.origin)
            for queryset in self.fast_deletes:
                count = queryset._raw_delete(self.using)
                if count:
                    deleted_counter[queryset.model._meta.label] += count
            for (field, value), instances_list in self.field_updates.items():
                self.update_field(field, value, instances_list)
            for model, instances in self.data.items():
                # Reversed, as Django does: post_delete comes newest key first.
                instances.reverse()
                count = self.delete_batch(model, [obj.pk for obj in instances])
                if count:
                    deleted_counter[model._meta.label] += count
                if not model._meta.auto_created:
                    for obj in instances:
                        post_delete.send(sender=model, instance=obj, using=self.using, origin=self.origin)
        for model, instances in self.data.items():
            for obj in instances:
                setattr(obj, model._meta.pk.attname, None)
        return sum(deleted_counter.values()), dict(deleted_counter)

    def delete_batch(self, model, keys: list) -> int:
        """``DELETE FROM <model's table> WHERE pk IN (keys)``, in batches under the parameter limit."""
        batch_size = connections[self.using].ops.max_query_params
        manager = model._base_manager.using(self.using)
        return sum(
            manager.filter(pk__in=keys[start : start + batch_size])._raw_delete(self.using)
            for start in range(0, len(keys), batch_size)
        )

    def update_field(self, field, value, instances_list: list) -> None:
        """One UPDATE setting ``field`` to ``value``: unrun QuerySets joined by OR, fetched rows by key."""
        querysets, objs = [], []
        for item in instances_list:
            if isinstance(item, QuerySet) and item._result_cache is None:
                querysets.append(item)
            else:
                objs.extend(item)
        if querysets:
            functools.reduce(operator.or_, querysets).update(**{field.name: value})
        if objs:
            keys = list(dict.fromkeys(obj.pk for obj in objs))
            batch_size = connections[self.using].ops.max_query_params
            manager = objs[0].__class__._base_manager.using(self.using)
            for start in range(0, len(keys), batch_size):
                manager.filter(pk__in=keys[start : start + batch_size]).update(**{field.name: value})


def delete_collected(objs, using: str, origin=None) -> tuple[int, dict]:
    """Collect ``objs`` (a QuerySet or a list of one model's rows) and delete them: what ``deletion.py`` calls."""
    collector = Collector(using, origin=origin)
    collector.collect(objs)
    return collector.delete()


def has_incoming_relations(model) -> bool:
    """Whether deleting ``model``'s rows must look at other tables: some relation points at the model."""
    return bool(get_candidate_relations_to_delete(model._meta))
