"""Relation fields: ``ForeignKey``, ``OneToOneField`` and ``ManyToManyField``.

How it works: ``author = ForeignKey(Author, on_delete=CASCADE)`` in ``Book``

1. makes the field and its rel (``remote_field``, a ``ManyToOneRel``; see
   ``reverse_related``); the column is ``author_id``, the field's
   ``attname``, and it holds the target's primary key;
2. on ``contribute_to_class`` installs ``ForwardManyToOneDescriptor`` as
   ``Book.author`` (``related_descriptors``), and asks the app registry to
   call ``resolve_related_class`` once the target is registered
   (``lazy_related_operation``): ``"Author"``, ``"library.Author"`` or
   ``"self"`` may name a class that does not exist yet;
3. once resolved, files the rel in the target's ``_meta`` and installs the
   reverse descriptor (``author.book_set``), refusing an accessor that clashes
   (and a ``to_field`` that is missing or not unique).

A ``ManyToManyField`` has no column: its pairs live in a ``through`` model,
made here (``create_many_to_many_intermediary_model``: ``Book_tags`` with
two foreign keys) unless one is given. Every lookup of a relation (the
``m2m_*`` names, ``get_path_info``) is read from the fields of that model.

Finding the target class, and checking what was found (a missing model, a
clashing accessor), is in ``related_resolution.py``; its names are
re-exported here, where Django has them.
"""

import keyword

from tinyframe.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from tinyframe.db.models.fields import Field
from tinyframe.db.models.fields.mixins import FieldCacheMixin
from tinyframe.db.models.fields.related_descriptors import (
    ForeignKeyDeferredAttribute, ForwardManyToOneDescriptor, ForwardOneToOneDescriptor, ManyToManyDescriptor,
    ReverseManyToOneDescriptor, ReverseOneToOneDescriptor,
)  # fmt: skip
from tinyframe.db.models.fields.related_resolution import (
    RECURSIVE_RELATIONSHIP_CONSTANT, check_accessor_clash, check_pending_relations, check_query_name_clash,
    lazy_related_operation, make_model_tuple, resolve_related_class, resolve_relation, resolve_through_model,
)  # fmt: skip
from tinyframe.db.models.fields.reverse_related import ManyToManyRel, ManyToOneRel, OneToOneRel
from tinyframe.utils.functional import cached_property

__all__ = [
    "RECURSIVE_RELATIONSHIP_CONSTANT", "ForeignKey", "ManyToManyField", "OneToOneField", "RelatedField",
    "check_pending_relations", "create_many_to_many_intermediary_model", "lazy_related_operation",
    "resolve_relation",
]  # fmt: skip


# A key pointing at one of these repeats its values in a plain integer column.
PLAIN_KEY_TYPES = {
    "AutoField": "IntegerField", "BigAutoField": "BigIntegerField", "SmallAutoField": "SmallIntegerField",
    "PositiveIntegerField": "IntegerField", "PositiveBigIntegerField": "BigIntegerField",
    "PositiveSmallIntegerField": "SmallIntegerField",
}  # fmt: skip


def related_db_type(target_field, connection) -> str | None:
    """The column type of a key pointing at ``target_field``: its own, but plain (no AUTOINCREMENT, no CHECK).

    An ``AutoField`` key is stored as ``integer``, a ``BigAutoField`` one as
    ``bigint``, a ``PositiveIntegerField`` one as ``integer``: a foreign key
    repeats the values, not the counter or the constraint.
    """
    plain = PLAIN_KEY_TYPES.get(target_field.get_internal_type())
    if plain is not None:
        return connection.data_types[plain]
    return target_field.db_type(connection)


class RelatedField(FieldCacheMixin, Field):
    """What the three relation fields share: the lazy target, the rel, the reverse accessor."""

    is_relation = True
    one_to_many = False
    one_to_one = False
    many_to_many = False
    many_to_one = False
    rel_class = None
    related_accessor_class = None

    @property
    def related_model(self):
        """The target model class (its name, a string, until the registry has it)."""
        return self.remote_field.model

    def contribute_to_class(self, cls, name: str) -> None:
        """Join ``cls``, then wait for the target model to be registered (``resolve_related_class``)."""
        super().contribute_to_class(cls, name)
        self.opts = cls._meta
        if cls._meta.abstract:
            return  # each concrete child resolves its own copy
        names = {"class": cls.__name__.lower(), "model_name": cls._meta.model_name, "app_label": cls._meta.app_label}
        related_name = self.remote_field.related_name or cls._meta.default_related_name
        if related_name:
            self.remote_field.related_name = related_name % names
        if self.remote_field.related_query_name:
            self.remote_field.related_query_name = self.remote_field.related_query_name % names
        self.check_relation_names()
        lazy_related_operation(resolve_related_class, cls, self.remote_field.model, field=self)

    def check_relation_names(self) -> None:
        """ImproperlyConfigured, with Django's fields.E306 / E308 / E309 messages, for names filters cannot use.

        ``related_name`` must be an identifier (or end with ``"+"``, hidden);
        the reverse query name must not end with ``_`` nor hold ``__``, which
        would be read as a lookup separator in ``Author.objects.filter(...)``.
        """
        related_name = self.remote_field.related_name
        if related_name and not related_name.endswith("+"):
            if keyword.iskeyword(related_name) or not related_name.isidentifier():
                raise ImproperlyConfigured(
                    f"{self}: (fields.E306) The name '{related_name}' is invalid related_name for field "
                    f"{self.model._meta.object_name}.{self.name}\n"
                    "\tHINT: Related name must be a valid Python identifier or end with a '+'"
                )
        if self.remote_field.is_hidden():
            return
        query_name = self.related_query_name()
        hint = "\n\tHINT: Add or change a related_name or related_query_name argument for this field."
        if query_name.endswith("_"):
            raise ImproperlyConfigured(
                f"{self}: (fields.E308) Reverse query name '{query_name}' must not end with an underscore.{hint}"
            )
        if "__" in query_name:
            raise ImproperlyConfigured(
                f"{self}: (fields.E309) Reverse query name '{query_name}' must not contain '__'.{hint}"
            )

    def do_related_class(self, other, cls) -> None:
        """The target ``other`` is known: point the rel at its key and join it as a reverse relation."""
        self.remote_field.set_field_name()
        self.contribute_to_related_class(other, self.remote_field)

    def contribute_to_related_class(self, cls, related) -> None:
        """File ``related`` in the target's ``_meta`` and install its reverse accessor (unless hidden).

        A clashing accessor is refused before anything is filed, so the target is left as it was.
        """
        # >>> 10_auth
        if related.related_model._meta.swapped:
            return  # auth.User replaced by AUTH_USER_MODEL has no rows: Group.user_set belongs to the replacement
        # <<< 10_auth
        accessor = None if related.is_hidden() else related.get_accessor_name(model=self.model)
        if accessor is not None:
            check_accessor_clash(cls, accessor, related)
        check_query_name_clash(cls, related)
        cls._meta._add_relation(related)
        if accessor is not None:
            setattr(cls, accessor, self.reverse_accessor(related))

    def reverse_accessor(self, related):
        """The descriptor that reads the relation from the target (``author.book_set``)."""
        return self.related_accessor_class(related)

    def related_query_name(self) -> str:
        """The name of this relation in the target's filters: ``Author.objects.filter(book__title=...)``."""
        rel = self.remote_field
        return rel.related_query_name or rel.related_name or self.opts.model_name

    def get_cache_name(self) -> str:
        return self.name

    @cached_property
    def path_infos(self) -> list:
        """The hops from this model to the target (``PathInfo``s), asked by every query that follows them: made once."""
        return self.get_path_info()

    @cached_property
    def reverse_path_infos(self) -> list:
        """The hops back from the target to this model (cached, as ``path_infos``)."""
        return self.get_reverse_path_info()

    def forget_path_infos(self) -> None:
        """Drop the hops both ways, made again on next use (``Options._expire_cache``: a model's fields changed)."""
        for cached in (self.__dict__, self.remote_field.__dict__):
            for name in ("path_infos", "reverse_path_infos"):
                cached.pop(name, None)

    @property
    def target_field(self):
        """The target's field this relation points at (its primary key unless ``to_field``)."""
        return self.foreign_related_fields[0]

    def get_limit_choices_to(self):
        limit = self.remote_field.limit_choices_to
        return limit() if callable(limit) else limit

    def __repr__(self):
        # Django's relation fields live in fields.related, and their repr says so.
        path = f"{type(self).__module__}.{type(self).__qualname__}"
        return f"<{path}: {self.name}>" if self.name is not None else f"<{path}>"

    def __deepcopy__(self, memo):
        # A field copied into an abstract model's child needs its own rel, pointing back at the copy.
        import copy

        clone = super().__deepcopy__(memo)
        clone.remote_field = copy.copy(self.remote_field)
        clone.remote_field.field = clone
        clone.remote_field.__dict__.pop("many_to_many", None)
        clone.forget_path_infos()  # the copy's hops start from its own model
        return clone


class ForeignKey(RelatedField):
    """A many-to-one relation: each book has one author, stored in the column ``author_id``.

    ``to`` is a model, ``"Model"`` (same app), ``"app_label.Model"`` or ``"self"``;
    ``on_delete`` says what deleting the author does to the books (``CASCADE``...).
    """

    many_to_one = True
    rel_class = ManyToOneRel
    descriptor_class = ForeignKeyDeferredAttribute
    related_accessor_class = ReverseManyToOneDescriptor
    forward_related_accessor_class = ForwardManyToOneDescriptor
    empty_strings_allowed = False
    default_error_messages = {"invalid": "%(model)s instance with %(field)s %(value)r is not a valid choice."}

    def __init__(self, to, on_delete, related_name=None, related_query_name=None, limit_choices_to=None,
                 parent_link=False, to_field=None, db_constraint=True, **kwargs):  # fmt: skip
        if not isinstance(to, str) and not hasattr(to, "_meta"):
            raise TypeError(
                f"{type(self).__name__}({to!r}) is invalid. First parameter to {type(self).__name__} must be "
                f"either a model, a model name, or the string '{RECURSIVE_RELATIONSHIP_CONSTANT}'"
            )
        if not callable(on_delete):
            raise TypeError("on_delete must be callable.")
        kwargs.setdefault("db_index", True)
        super().__init__(**kwargs)
        # >>> 08_migrations
        self._related_name = related_name  # as given, before contribute_to_class fills in %(class)s
        # <<< 08_migrations
        self.remote_field = self.rel_class(
            self, to, to_field, related_name=related_name, related_query_name=related_query_name,
            limit_choices_to=limit_choices_to, parent_link=parent_link, on_delete=on_delete,
        )  # fmt: skip
        self.db_constraint = db_constraint

    def set_attributes_from_name(self, name: str) -> None:
        """``author`` is read through its descriptor; the column and ``__dict__`` key are ``author_id``."""
        super().set_attributes_from_name(name)
        self.attname = f"{self.name}_id"
        self.column = self.db_column or self.attname

    def contribute_to_class(self, cls, name: str) -> None:
        self.check_on_delete(f"{cls._meta.label}.{name}")  # before the target hears of this key
        super().contribute_to_class(cls, name)
        setattr(cls, self.name, self.forward_related_accessor_class(self))

    def do_related_class(self, other, cls) -> None:
        self.check_to_field(other)  # before the target hears of this key
        super().do_related_class(other, cls)

    def check_to_field(self, target) -> None:
        """ImproperlyConfigured, with Django's fields.E312 / E311 messages, for a ``to_field`` missing or not unique.

        A key must point at one row: the field it names has to exist and be
        unique (``unique=True``, or alone in ``unique_together`` or an
        unconditional ``UniqueConstraint``).
        """
        from tinyframe.db.models.constraints import UniqueConstraint

        name = self.remote_field.field_name
        if name is None:
            return  # the primary key
        opts = target._meta
        try:
            field = opts.get_field(name)
        except FieldDoesNotExist:
            raise ImproperlyConfigured(
                f"{self}: (fields.E312) The to_field '{name}' doesn't exist on the related model '{opts.label}'."
            ) from None
        unique_alone = (name,) in opts.unique_together or any(
            isinstance(constraint, UniqueConstraint) and constraint.fields == (name,) and constraint.condition is None
            for constraint in opts.constraints
        )
        if not (getattr(field, "unique", False) or unique_alone):
            raise ImproperlyConfigured(
                f"{self}: (fields.E311) '{opts.object_name}.{name}' must be unique because it is referenced by a "
                "foreign key.\n\tHINT: Add unique=True to this field or add a UniqueConstraint (without condition) "
                "in the model Meta.constraints."
            )

    def check_on_delete(self, label: str) -> None:
        """ImproperlyConfigured, with Django's fields.E320 / E321 messages, for a rule the column cannot follow.

        Django's system checks refuse these before the first request; found
        only at the first delete, they would be an IntegrityError instead.
        """
        from tinyframe.db.models.on_delete import SET_DEFAULT, SET_NULL

        on_delete = self.remote_field.on_delete
        if on_delete is SET_NULL and not self.null:
            raise ImproperlyConfigured(
                f"{label}: (fields.E320) Field specifies on_delete=SET_NULL, but cannot be null.\n"
                "\tHINT: Set null=True argument on the field, or change the on_delete rule."
            )
        if on_delete is SET_DEFAULT and not self.has_default():
            raise ImproperlyConfigured(
                f"{label}: (fields.E321) Field specifies on_delete=SET_DEFAULT, but has no default value.\n"
                "\tHINT: Set a default value, or change the on_delete rule."
            )

    @property
    def foreign_related_fields(self) -> tuple:
        """``(Author.id,)``: the target fields the key's values refer to."""
        if isinstance(self.related_model, str):
            raise ValueError(f"Related model {self.related_model!r} cannot be resolved")
        return (self.remote_field.get_related_field(),)

    @property
    def local_related_fields(self) -> tuple:
        return (self,)

    @property
    def related_fields(self) -> tuple:
        return ((self, self.target_field),)

    def get_local_related_value(self, instance) -> tuple:
        """``(3,)``: the key's value on ``instance`` (a book)."""
        return (getattr(instance, self.attname),)

    def get_foreign_related_value(self, instance) -> tuple:
        """``(3,)``: the value on ``instance`` (an author) that a key pointing at it holds."""
        return (getattr(instance, self.target_field.attname),)

    def get_joining_columns(self) -> tuple:
        """``(("author_id", "id"),)``: this table's column, then the target's."""
        return ((self.column, self.target_field.column),)

    def get_joining_fields(self) -> tuple:
        return ((self, self.target_field),)

    def get_path_info(self, filtered_relation=None) -> list:
        """One hop from this model to the target, for the query's joins."""
        from tinyframe.db.models.sql.datastructures import PathInfo

        return [PathInfo(self.model._meta, self.related_model._meta, (self.target_field,), self, False, True,
                         filtered_relation)]  # fmt: skip

    def get_reverse_path_info(self, filtered_relation=None) -> list:
        """One hop from the target back to this model (``author.book_set``, ``book__title``)."""
        from tinyframe.db.models.sql.datastructures import PathInfo

        opts = self.model._meta
        return [PathInfo(self.related_model._meta, opts, (opts.pk,), self.remote_field, not self.unique, False,
                         filtered_relation)]  # fmt: skip

    # -- values: those of the target field ---------------------------------------------

    def get_internal_type(self) -> str:
        return "ForeignKey"

    def db_type(self, connection) -> str | None:
        return related_db_type(self.target_field, connection)

    def to_python(self, value):
        return self.target_field.to_python(value)

    def get_prep_value(self, value):
        return self.target_field.get_prep_value(value)

    def get_db_prep_value(self, value, connection, prepared: bool = False):
        return self.target_field.get_db_prep_value(value, connection, prepared)

    def get_db_prep_save(self, value, connection):
        if value == "" or value is None:
            return None
        return self.target_field.get_db_prep_save(value, connection)

    @property
    def from_db_value(self):
        # The target's converter (a UUID key's), if it has one: an AttributeError
        # here reads as "no converter" to the hydrator's getattr(..., None).
        return self.target_field.from_db_value

    def get_default(self):
        """The default, turned into a key when it is an instance of the target."""
        value = super().get_default()
        if isinstance(self.related_model, type) and isinstance(value, self.related_model):
            return getattr(value, self.target_field.attname)
        return value

    def validate(self, value, model_instance) -> None:
        """Besides the usual checks, the key must name a row of the target (one query, as Django's)."""
        super().validate(value, model_instance)
        if value is None:
            return
        rel = self.remote_field
        rows = rel.model._base_manager.using(model_instance._state.db).filter(**{rel.field_name: value})
        limit = self.get_limit_choices_to()
        if limit:
            rows = rows.filter(limit) if hasattr(limit, "conditional") else rows.filter(**limit)
        if not rows.exists():
            raise ValidationError(
                self.error_messages["invalid"], code="invalid",
                params={"model": rel.model._meta.verbose_name, "pk": value, "field": rel.field_name, "value": value},
            )  # fmt: skip


class OneToOneField(ForeignKey):
    """A one-to-one relation: a foreign key that is unique, read back as one object (``place.restaurant``)."""

    many_to_one = False
    one_to_one = True
    rel_class = OneToOneRel
    related_accessor_class = ReverseOneToOneDescriptor
    forward_related_accessor_class = ForwardOneToOneDescriptor

    def __init__(self, to, on_delete, to_field=None, **kwargs):
        kwargs["unique"] = True
        super().__init__(to, on_delete, to_field=to_field, **kwargs)


class ManyToManyField(RelatedField):
    """A many-to-many relation: books have tags, tags have books; the pairs are rows of a ``through`` model."""

    many_to_many = True
    rel_class = ManyToManyRel
    related_accessor_class = ManyToManyDescriptor

    def __init__(self, to, related_name=None, related_query_name=None, limit_choices_to=None, symmetrical=None,
                 through=None, through_fields=None, db_constraint=True, db_table=None, **kwargs):  # fmt: skip
        if not isinstance(to, str) and not hasattr(to, "_meta"):
            raise TypeError(
                f"{type(self).__name__}({to!r}) is invalid. First parameter to {type(self).__name__} must be "
                f"either a model, a model name, or the string '{RECURSIVE_RELATIONSHIP_CONSTANT}'"
            )
        if symmetrical is None:
            symmetrical = to == RECURSIVE_RELATIONSHIP_CONSTANT
        if through is not None and db_table is not None:
            raise ValueError("Cannot specify a db_table if an intermediary model is used.")
        super().__init__(**kwargs)
        # >>> 08_migrations
        self._related_name = related_name  # as given, before contribute_to_class names a hidden one
        # <<< 08_migrations
        self.remote_field = self.rel_class(
            self, to, related_name=related_name, related_query_name=related_query_name,
            limit_choices_to=limit_choices_to, symmetrical=symmetrical, through=through,
            through_fields=through_fields, db_constraint=db_constraint,
        )  # fmt: skip
        self.db_table = db_table

    def set_attributes_from_name(self, name: str) -> None:
        """A many-to-many field has no column of its own."""
        super().set_attributes_from_name(name)
        self.column = None
        self.concrete = False

    def contribute_to_class(self, cls, name: str) -> None:
        # A symmetrical relation to the same model reads both ways through the
        # forward field; the reverse side is hidden under a name of its own.
        rel = self.remote_field
        if rel.symmetrical and (rel.model == RECURSIVE_RELATIONSHIP_CONSTANT or rel.model == cls):
            rel.related_name = f"{name}_rel_+"
        elif rel.is_hidden():
            # Hidden relations still need a unique name for the through model's keys.
            rel.related_name = f"_{cls._meta.app_label}_{cls.__name__.lower()}_{name}_+"
        super().contribute_to_class(cls, name)
        if not cls._meta.abstract:
            if rel.through is not None:
                lazy_related_operation(resolve_through_model, cls, rel.through, field=self)
            else:
                rel.through = create_many_to_many_intermediary_model(self, cls)
        setattr(cls, self.name, ManyToManyDescriptor(rel, reverse=False))

    def reverse_accessor(self, related):
        return ManyToManyDescriptor(related, reverse=True)

    def _get_m2m_db_table(self, opts) -> str:
        """The through table's name: ``db_table``, or ``<model's table>_<field name>``."""
        if self.remote_field.through is not None and not isinstance(self.remote_field.through, str):
            return self.remote_field.through._meta.db_table
        return self.db_table or f"{opts.db_table}_{self.name}"

    def m2m_db_table(self) -> str:
        """``library_book_tags``: the table holding the pairs."""
        return self._get_m2m_db_table(self.model._meta)

    def through_link_fields(self) -> tuple:
        """The through model's two keys: to this field's model (source), then to the target."""
        through = self.remote_field.through
        opts = through._meta
        if self.remote_field.through_fields:
            source, target = self.remote_field.through_fields
            return opts.get_field(source), opts.get_field(target)
        source = target = None
        for field in opts.fields:
            if not field.is_relation:
                continue
            if source is None and field.related_model == self.model:
                source = field
            elif target is None and field.related_model == self.related_model:
                target = field
        if source is None or target is None:
            raise ValueError(
                f"The intermediary model '{opts.label}' has no foreign key to both '{self.model._meta.label}' "
                f"and '{self.related_model._meta.label}' ({self})."
            )
        return source, target

    def m2m_field_name(self) -> str:
        """``"book"``: the through model's key to this field's model."""
        return self.through_link_fields()[0].name

    def m2m_reverse_field_name(self) -> str:
        """``"tag"``: the through model's key to the target."""
        return self.through_link_fields()[1].name

    def m2m_column_name(self) -> str:
        """``"book_id"``."""
        return self.through_link_fields()[0].column

    def m2m_reverse_name(self) -> str:
        """``"tag_id"``."""
        return self.through_link_fields()[1].column

    def m2m_target_field_name(self) -> str:
        """The name of the field of this model that the through table's source key refers to."""
        return self.through_link_fields()[0].target_field.name

    def m2m_reverse_target_field_name(self) -> str:
        """The name of the target's field that the through table's target key refers to."""
        return self.through_link_fields()[1].target_field.name

    def _get_path_info(self, direct: bool, filtered_relation=None) -> list:
        source, target = self.through_link_fields()
        if direct:
            return [*source.get_reverse_path_info(), *target.get_path_info(filtered_relation)]
        return [*target.get_reverse_path_info(), *source.get_path_info(filtered_relation)]

    def get_path_info(self, filtered_relation=None) -> list:
        """Two hops: this model to the through table, the through table to the target."""
        return self._get_path_info(True, filtered_relation)

    def get_reverse_path_info(self, filtered_relation=None) -> list:
        """Two hops back: the target to the through table, the through table to this model."""
        return self._get_path_info(False, filtered_relation)

    @property
    def target_field(self):
        """The target's field the pairs refer to (its primary key)."""
        return self.through_link_fields()[1].target_field

    @property
    def foreign_related_fields(self) -> tuple:
        return (self.target_field,)

    def get_internal_type(self) -> str:
        return "ManyToManyField"

    def db_type(self, connection) -> None:
        """None: the relation is a table of its own, not a column."""
        return None

    def value_from_object(self, obj) -> list:
        """The related objects (none for an unsaved object)."""
        if obj.pk is None:
            return []
        return list(getattr(obj, self.attname).all())


def create_many_to_many_intermediary_model(field, klass):
    """The automatic through model of ``klass.<field>``: ``Book_tags`` with keys ``book`` and ``tag``.

    Its table is ``<book's table>_tags``; the two keys cascade, and the pair
    is unique. A relation from a model to itself names them ``from_book``
    and ``to_book``.
    """
    from tinyframe.db.models.base import Model
    from tinyframe.db.models.deletion import CASCADE

    to_model = resolve_relation(klass, field.remote_field.model)
    name = f"{klass._meta.object_name}_{field.name}"
    to = make_model_tuple(to_model)[1]
    from_ = klass._meta.model_name
    if to == from_:
        to, from_ = f"to_{to}", f"from_{from_}"
    meta = type("Meta", (), {
        "db_table": field._get_m2m_db_table(klass._meta),
        "auto_created": klass,
        "app_label": klass._meta.app_label,
        "unique_together": (from_, to),
        "verbose_name": f"{from_}-{to} relationship",
        "verbose_name_plural": f"{from_}-{to} relationships",
        "apps": field.model._meta.apps,
    })  # fmt: skip
    on_delete = CASCADE
    related_name = f"{name}+"
    return type(name, (Model,), {
        "Meta": meta,
        "__module__": klass.__module__,
        from_: ForeignKey(klass, on_delete, related_name=related_name, db_constraint=field.remote_field.db_constraint),
        to: ForeignKey(to_model, on_delete, related_name=related_name, db_constraint=field.remote_field.db_constraint),
    })  # fmt: skip

