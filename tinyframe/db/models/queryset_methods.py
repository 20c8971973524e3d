"""The QuerySet methods that act at once: count, get, create, update, delete, bulk writes...

How it works: where the refining methods (``query.py``) return a new lazy
QuerySet, these run a statement now and return its answer. Each builds on
the same ``Query``: ``count`` and ``aggregate`` wrap it in an aggregate
SELECT, ``exists`` asks for ``SELECT 1 ... LIMIT 1``, ``get`` fetches at
most 21 rows and complains unless there is one, ``update`` and ``delete``
reuse its WHERE in an UPDATE or DELETE, and ``bulk_create`` hands many
instances to the INSERT compiler in batches. ``QuerySet`` inherits them
from ``QuerySetActions``.
"""

from tinyframe.core.exceptions import FieldDoesNotExist, FieldError
from tinyframe.db import IntegrityError, NotSupportedError, connections, transaction
from tinyframe.db.models.get_plans import get_plan

# get() fetches at most this many rows: enough to say "more than 20" without reading a whole table.
MAX_GET_RESULTS = 21


class QuerySetActions:
    """The immediate methods of ``QuerySet``; see the module docstring."""

    # -- reading --------------------------------------------------------------------------

    def count(self) -> int:
        """How many rows: ``SELECT COUNT(*)``, or the length of the results already fetched."""
        if self._result_cache is not None:
            return len(self._result_cache)
        return self.query.get_count(self.db)

    def exists(self) -> bool:
        """Whether there is at least one row (``SELECT 1 ... LIMIT 1``)."""
        if self._result_cache is not None:
            return bool(self._result_cache)
        return self.query.has_results(self.db)

    def contains(self, obj) -> bool:
        """Whether ``obj`` (a saved instance) is among the rows."""
        self._not_support_combined_queries("contains")
        if self._fields is not None:
            raise TypeError("Cannot call QuerySet.contains() after .values() or .values_list().")
        if not isinstance(obj, self.model):
            raise TypeError("'obj' must be a model instance.")
        if obj.pk is None:
            raise ValueError("QuerySet.contains() cannot be used on unsaved objects.")
        if self._result_cache is not None:
            return obj in self._result_cache
        return self.filter(pk=obj.pk).exists()

    def aggregate(self, *args, **kwargs) -> dict:
        """Aggregate values over all the rows: ``aggregate(Avg("pages"))`` -> ``{"pages__avg": 312.5}``."""
        for argument in args:
            try:
                kwargs[argument.default_alias] = argument
            except (AttributeError, TypeError):
                raise TypeError("Complex aggregates require an alias") from None
        for alias, aggregate in kwargs.items():
            if not getattr(aggregate, "contains_aggregate", False):
                raise TypeError(f"{alias} is not an aggregate expression")
        if not kwargs:
            return {}
        return self.query.get_aggregation(self.db, kwargs)

    def get(self, *args, **kwargs):
        """The one row matching the conditions; DoesNotExist if none, MultipleObjectsReturned if several."""
        # The common get(pk=7) of a plain QuerySet runs its shape's SQL, made once (get_plans.py).
        plan = None if args else get_plan(self, kwargs)
        results = None if plan is None else plan.rows(self, kwargs)
        if results is None:
            if self.query.combinator and (args or kwargs):
                raise NotSupportedError(
                    f"Calling QuerySet.get(...) with filters after {self.query.combinator}() is not supported."
                )
            clone = self._chain() if self.query.combinator else self.filter(*args, **kwargs)
            if not clone.query.is_sliced and not clone.query.combinator:
                clone.query.clear_ordering(force=True)
                clone.query.set_limits(high=MAX_GET_RESULTS)
            results = list(clone)
        found = len(results)
        if found == 1:
            return results[0]
        options = self.model._meta
        if not found:
            raise self.model.DoesNotExist(f"{options.object_name} matching query does not exist.")
        how_many = f"more than {MAX_GET_RESULTS - 1}" if found == MAX_GET_RESULTS else found
        raise self.model.MultipleObjectsReturned(
            f"get() returned more than one {options.object_name} -- it returned {how_many}!"
        )

    def first(self):
        """The first row in order (by key when unordered), or None."""
        queryset = self if self.ordered else self._by_key("first", "pk")
        for obj in queryset[:1]:
            return obj
        return None

    def last(self):
        """The last row in order (by key when unordered), or None."""
        queryset = self.reverse() if self.ordered else self._by_key("last", "-pk")
        for obj in queryset[:1]:
            return obj
        return None

    def _by_key(self, method: str, ordering: str):
        """This QuerySet ordered by its key, which Django refuses for groups made by values(): the key would split them."""
        group_by = self.query.group_by
        if isinstance(group_by, tuple) and self.model._meta.pk not in {term._output_field_or_none for term in group_by}:
            raise TypeError(
                f"Cannot use QuerySet.{method}() on an unordered queryset performing aggregation. "
                "Add an ordering with order_by()."
            )
        return self.order_by(ordering)

    def _earliest(self, fields, descending: bool):
        if not fields:
            fields = getattr(self.model._meta, "get_latest_by", None)
            if fields is None:
                raise ValueError(
                    "earliest() and latest() require either fields as positional arguments "
                    "or 'get_latest_by' in the model's Meta."
                )
            if isinstance(fields, str):
                fields = (fields,)
        self._check_not_sliced("change")
        if descending:
            fields = [name[1:] if name.startswith("-") else f"-{name}" for name in fields]
        queryset = self._chain()
        queryset.query.set_limits(high=1)
        queryset.query.clear_ordering(force=True)
        queryset.query.add_ordering(*fields)
        return queryset.get()

    def earliest(self, *fields):
        """The first row ordered by ``fields`` (or ``Meta.get_latest_by``); DoesNotExist when empty."""
        return self._earliest(fields, descending=False)

    def latest(self, *fields):
        """The last row ordered by ``fields`` (or ``Meta.get_latest_by``); DoesNotExist when empty."""
        return self._earliest(fields, descending=True)

    def in_bulk(self, id_list=None, *, field_name: str = "pk") -> dict:
        """The rows whose ``field_name`` (a unique field) is in ``id_list``, as a dict keyed by it."""
        if self.query.is_sliced:
            raise TypeError("Cannot use 'limit' or 'offset' with in_bulk().")
        if self._fields is not None:
            raise TypeError("in_bulk() cannot be used with values() or values_list().")
        options = self.model._meta
        if field_name != "pk":
            field = options.get_field(field_name)
            if not field.unique and not field.primary_key:
                raise ValueError(f"in_bulk()'s field_name must be a unique field but {field_name!r} isn't.")
            attname = field.attname
        else:
            attname = options.pk.attname
        if id_list is None:
            return {getattr(obj, attname): obj for obj in self}
        id_list = list(dict.fromkeys(id_list))
        if not id_list:
            return {}
        batch_size = self._connection().ops.max_query_params
        found = {}
        for start in range(0, len(id_list), batch_size):
            batch = id_list[start : start + batch_size]
            for obj in self.filter(**{f"{field_name}__in": batch}).order_by():
                found[getattr(obj, attname)] = obj
        return found

    # -- writing ----------------------------------------------------------------------------

    def _connection(self):
        return connections[self.db]

    def create(self, **kwargs):
        """Make an instance with these values and INSERT it now."""
        obj = self.model(**kwargs)
        self._for_write = True
        obj.save(force_insert=True, using=self.db)
        return obj

    def _extract_model_params(self, defaults, **kwargs) -> dict:
        defaults = defaults or {}
        params = {name: value for name, value in kwargs.items() if "__" not in name}
        params.update(defaults)
        invalid = []
        for name in params:
            try:
                self.model._meta.get_field(name)
            except FieldDoesNotExist:
                if name != "pk" and name not in getattr(self.model._meta, "_property_names", ()):
                    invalid.append(name)
        if invalid:
            names = "', '".join(sorted(invalid))
            raise FieldError(f"Invalid field name(s) for model {self.model._meta.object_name}: '{names}'.")
        return {name: value() if callable(value) else value for name, value in params.items()}

    def get_or_create(self, defaults=None, **kwargs):
        """``(obj, created)``: the row matching ``kwargs``, created (with ``defaults`` too) if there is none."""
        self._for_write = True
        try:
            return self.get(**kwargs), False
        except self.model.DoesNotExist:
            params = self._extract_model_params(defaults, **kwargs)
            try:
                with transaction.atomic(using=self.db):
                    return self.create(**params), True
            except IntegrityError:
                try:
                    return self.get(**kwargs), False
                except self.model.DoesNotExist:
                    pass
                raise

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        """``(obj, created)``: the row matching ``kwargs`` updated with ``defaults``, or created.

        The update writes only the ``defaults`` (``save(update_fields=...)``, see
        ``_update_or_create_fields``), not every column: between the ``get`` and the
        ``save``, another request may change a column the caller never named (a stock
        count lowered with ``F("stock") - 1``), and a full save would put back the value
        read before it, losing that change.
        """
        defaults = defaults or {}
        if create_defaults is None:
            create_defaults = defaults
        self._for_write = True
        with transaction.atomic(using=self.db):
            obj, created = self.select_for_update().get_or_create(create_defaults, **kwargs)
            if created:
                return obj, created
            for name, value in defaults.items():
                setattr(obj, name, value() if callable(value) else value)
            obj.save(using=self.db, update_fields=self._update_or_create_fields(defaults))
        return obj, False

    def _update_or_create_fields(self, names):
        """The ``update_fields`` for ``update_or_create``'s save: ``names`` and the fields that set themselves.

        A field whose class has its own ``pre_save`` (``auto_now``) may set its value at
        every save, so it is written too, as a full save would have. When a name is not
        a concrete field other than the key (``pk``, a property), ``update_fields``
        cannot take it: None, a full save, as Django does then.
        """
        from tinyframe.db.models.fields import Field

        options = self.model._meta
        fields = set(names)
        if not fields <= options._non_pk_concrete_field_names:
            return None
        for field in options.local_concrete_fields:
            if not field.primary_key and type(field).pre_save is not Field.pre_save:
                fields.update((field.name, field.attname))
        return fields

    def update(self, **kwargs) -> int:
        """Set these fields on every row in one UPDATE (no save(), no signals); how many rows changed."""
        self._not_support_combined_queries("update")
        self._check_not_sliced("update")
        values = []
        for name, value in kwargs.items():
            # "pk" is an alias for filtering, not a field: as in Django, update(pk=...) is FieldDoesNotExist
            # (changing a key in bulk is rare enough to be asked for by its field's own name).
            field = self.model._meta.get_field(name)
            # >>> 07_relations
            if not field.concrete:  # a many-to-many or a reverse relation: rows of another table, not a column
                raise FieldError(f"Cannot update model field {field!r} (only non-relations and foreign keys permitted).")
            # <<< 07_relations
            if getattr(value, "contains_aggregate", False):
                raise FieldError(f"Aggregate functions are not allowed in this query ({name}={value!r}).")
            values.append((field, None, value))
        rows = self._update(values)
        self._result_cache = None
        return rows

    def _update(self, values: list) -> int:
        """UPDATE with ``[(field, model, value), ...]``; the contract ``Model.save`` uses. Returns rows changed."""
        from tinyframe.db.models.sql.subqueries import SQLUpdateCompiler

        query = self.query.clone()
        query.clear_ordering(force=True)
        compiler = SQLUpdateCompiler(query, self._connection(), self.db)
        # A failed UPDATE inside an atomic block leaves that block only able to roll back, as in Django.
        with transaction.mark_for_rollback_on_error(using=self.db):
            return compiler.execute_update(values)

    def _insert(self, objs, fields, returning_fields=None, raw: bool = False, using: str | None = None, on_conflict: str | None = None):
        """INSERT ``objs``' ``fields``; the list of returned rows (``[(new_pk,)]``); the contract ``Model.save`` uses."""
        from tinyframe.db.models.sql.subqueries import SQLInsertCompiler

        using = using or self.db
        compiler = SQLInsertCompiler(self.model, connections[using], using, on_conflict=on_conflict)
        return compiler.execute_sql(list(objs), list(fields), returning_fields, raw)

    def bulk_create(self, objs, batch_size: int | None = None, ignore_conflicts: bool = False, **unsupported) -> list:
        """INSERT many instances in few statements (no save(), no signals); sets their keys; returns them."""
        if batch_size is not None and batch_size <= 0:
            raise ValueError("Batch size must be a positive integer.")
        if unsupported.get("update_conflicts"):
            raise NotSupportedError("bulk_create(update_conflicts=True) is not supported in tinyframe yet.")
        objs = list(objs)
        if not objs:
            return objs
        options = self.model._meta
        # >>> 07_relations
        if any(field.is_relation for field in options.concrete_fields):
            from tinyframe.db.models.fields.related_descriptors import prepare_related_fields_for_save

            for obj in objs:  # a related object saved after it was assigned gives its key now, as in save()
                prepare_related_fields_for_save(obj, operation_name="bulk_create")
        # <<< 07_relations
        pk = options.pk
        with_pk = [obj for obj in objs if getattr(obj, pk.attname) is not None]
        without_pk = [obj for obj in objs if getattr(obj, pk.attname) is None]
        on_conflict = "IGNORE" if ignore_conflicts else None
        with transaction.atomic(using=self.db, savepoint=False):
            for group, fields in (
                (with_pk, list(options.concrete_fields)),
                (without_pk, [field for field in options.concrete_fields if not (field is pk and field is options.auto_field)]),
            ):
                if not group:
                    continue
                returning = None if ignore_conflicts else [pk]
                size = batch_size or len(group)
                for start in range(0, len(group), size):
                    batch = group[start : start + size]
                    rows = self._insert(batch, fields, returning_fields=returning, using=self.db, on_conflict=on_conflict)
                    for obj, row in zip(batch, rows):
                        setattr(obj, pk.attname, row[0])
                    for obj in batch:
                        obj._state.adding = False
                        obj._state.db = self.db
        return objs

    def bulk_update(self, objs, fields, batch_size: int | None = None) -> int:
        """Write ``fields`` of many instances in few UPDATEs (``CASE WHEN pk = ... THEN ...``); rows changed."""
        from tinyframe.db.models.expressions import Case, Value, When

        if batch_size is not None and batch_size <= 0:
            raise ValueError("Batch size must be a positive integer.")
        if not fields:
            raise ValueError("Field names must be given to bulk_update().")
        objs = list(objs)
        if any(obj.pk is None for obj in objs):
            raise ValueError("All bulk_update() objects must have a primary key set.")
        fields = [self.model._meta.get_field(name) for name in fields]
        if any(not field.concrete for field in fields):
            raise ValueError("bulk_update() can only be used with concrete fields.")
        if any(field.primary_key for field in fields):
            raise ValueError("bulk_update() cannot be used with primary key fields.")
        if not objs:
            return 0
        # >>> 07_relations
        if any(field.is_relation for field in fields):
            from tinyframe.db.models.fields.related_descriptors import prepare_related_fields_for_save

            for obj in objs:
                prepare_related_fields_for_save(obj, operation_name="bulk_update", fields=fields)
        # <<< 07_relations
        largest = max(1, self._connection().ops.max_query_params // (2 * len(fields) + 1))
        size = min(batch_size, largest) if batch_size else largest
        updated = 0
        with transaction.atomic(using=self.db, savepoint=False):
            for start in range(0, len(objs), size):
                batch = objs[start : start + size]
                updates = {}
                for field in fields:
                    whens = []
                    for obj in batch:
                        value = getattr(obj, field.attname)
                        if value is None:
                            value = Value(None)  # SQL NULL, also for a JSONField (whose Value(None) is JSON null)
                        elif not hasattr(value, "resolve_expression"):
                            value = Value(value, output_field=field)
                        whens.append(When(pk=obj.pk, then=value))
                    updates[field.attname] = Case(*whens, output_field=field)
                updated += self.filter(pk__in=[obj.pk for obj in batch]).update(**updates)
        return updated

    def delete(self) -> tuple[int, dict]:
        """Delete the rows (sending pre/post_delete when someone listens); ``(total, {"app.Model": n})``."""
        from tinyframe.db.models.deletion import delete_queryset

        self._not_support_combined_queries("delete")
        if self.query.is_sliced:
            raise TypeError("Cannot use 'limit' or 'offset' with delete().")
        # distinct() is allowed, as in Django: it changes which rows a SELECT shows, not which rows
        # match, so the DELETE takes the same rows. (DISTINCT ON fields, which Django refuses here,
        # does not exist on SQLite.)
        if self._fields is not None:
            raise TypeError("Cannot call delete() after .values() or .values_list()")
        result = delete_queryset(self)
        self._result_cache = None
        return result

    delete.queryset_only = True

    def _raw_delete(self, using: str) -> int:
        """DELETE the rows in one statement, no signals (what ``delete`` does when nobody listens)."""
        from tinyframe.db.models.sql.subqueries import SQLDeleteCompiler

        query = self.query.clone()
        query.clear_ordering(force=True)
        return SQLDeleteCompiler(query, connections[using], using).execute_delete()
