"""The other end of a relation: what ``Author`` knows about ``Book.author``.

How it works: a relation field lives on one model (``Book.author``, a
``ForeignKey``) but is read from both. Its ``remote_field`` is a *rel*
object, built with the field, describing the relation from the target's side:

- ``ManyToOneRel`` for a ``ForeignKey``: one author, many books, read as
  ``author.book_set``;
- ``OneToOneRel`` for a ``OneToOneField``: ``place.restaurant``;
- ``ManyToManyRel`` for a ``ManyToManyField``: ``tag.book_set``, with the
  ``through`` model that holds the pairs.

When the target model is known, the field files its rel in the target's
``_meta`` (``related_objects``, ``get_field("book")``) and installs the
reverse descriptor under ``rel.get_accessor_name()``. A rel is not a column:
it has no ``attname``, ``concrete`` is False, ``auto_created`` is True.

``rel.model`` is the model the rel is *on* (Author); ``rel.related_model``
the model holding the field (Book), the opposite of the field's own names.
"""

from tinyframe.core.exceptions import FieldDoesNotExist
from tinyframe.db.models.fields.mixins import FieldCacheMixin
from tinyframe.utils.functional import cached_property

__all__ = ["ForeignObjectRel", "ManyToManyRel", "ManyToOneRel", "OneToOneRel"]


class ForeignObjectRel(FieldCacheMixin):
    """The reverse side of a relation field (subclasses name the kind)."""

    # A rel looks enough like a field for code walking get_fields().
    auto_created = True
    concrete = False
    editable = False
    is_relation = True
    hidden_suffix = "+"
    null = True
    empty_strings_allowed = False
    primary_key = False
    column = None

    def __init__(self, field, to, related_name=None, related_query_name=None, limit_choices_to=None,
                 parent_link=False, on_delete=None):  # fmt: skip
        self.field = field
        # The target: a model class, or its name until the field resolves it.
        self.model = to
        self.related_name = related_name
        self.related_query_name = related_query_name
        self.limit_choices_to = {} if limit_choices_to is None else limit_choices_to
        self.parent_link = parent_link
        self.on_delete = on_delete
        self.symmetrical = False
        self.multiple = True

    # The kind of relation, seen from this side: the field's, turned around.
    @cached_property
    def many_to_many(self) -> bool:
        return self.field.many_to_many

    @cached_property
    def many_to_one(self) -> bool:
        return self.field.one_to_many

    @cached_property
    def one_to_many(self) -> bool:
        return self.field.many_to_one

    @cached_property
    def one_to_one(self) -> bool:
        return self.field.one_to_one

    @property
    def hidden(self) -> bool:
        return self.is_hidden()

    @property
    def name(self) -> str:
        """The name filters use from the target's side: ``Author.objects.filter(book__title=...)``."""
        return self.field.related_query_name()

    @property
    def remote_field(self):
        """The forward field, as a field's ``remote_field`` is its rel."""
        return self.field

    @property
    def related_model(self):
        """The model holding the forward field (Book, for Book.author)."""
        return self.field.model

    @property
    def target_field(self):
        """The field a reverse lookup ends on: the related model's primary key."""
        return self.related_model._meta.pk

    def is_hidden(self) -> bool:
        """A ``related_name`` ending in "+" asks for no reverse accessor."""
        return bool(self.related_name) and self.related_name[-1] == self.hidden_suffix

    def get_accessor_name(self, model=None) -> str | None:
        """The attribute on the target that reads this relation: ``book_set``, the related_name, or ``book``.

        None for a symmetrical many-to-many to its own model, whose forward
        field already reads both ways.
        """
        model = model or self.related_model
        if self.multiple and self.symmetrical and model == self.model:
            return None
        opts = model._meta
        if self.related_name:
            return self.related_name
        return opts.model_name + ("_set" if self.multiple else "")

    def get_cache_name(self) -> str:
        """Where the fetched object (or the prefetched list) is cached: the accessor name."""
        return self.get_accessor_name()

    def get_path_info(self, filtered_relation=None) -> list:
        """The joins from the target back to the field's model (the field's reverse path)."""
        return self.field.get_reverse_path_info(filtered_relation)

    @cached_property
    def path_infos(self) -> list:
        """The hops from the target back to the field's model, made once (``RelatedField.path_infos``)."""
        return self.get_path_info()

    def get_joining_columns(self) -> tuple:
        """``(("id", "author_id"),)``: the target's column, then the field's column on the related table."""
        return tuple((target, source) for source, target in self.field.get_joining_columns())

    def set_field_name(self) -> None:
        """Called once the target is known; only a foreign key's rel has a target field to name."""

    def get_lookup(self, lookup_name: str):
        return self.field.get_lookup(lookup_name)

    def get_lookups(self) -> dict:
        return self.field.get_lookups()

    def get_transform(self, name: str):
        return self.field.get_transform(name)

    def get_internal_type(self) -> str:
        return self.field.get_internal_type()

    def __repr__(self):
        model = self.related_model
        if not isinstance(model, type):
            return f"<{type(self).__name__}: {model}>"
        return f"<{type(self).__name__}: {model._meta.app_label}.{model._meta.model_name}>"


class ManyToOneRel(ForeignObjectRel):
    """The reverse of a ``ForeignKey``: ``author.book_set``, many books for one author."""

    def __init__(self, field, to, field_name, related_name=None, related_query_name=None, limit_choices_to=None,
                 parent_link=False, on_delete=None):  # fmt: skip
        super().__init__(field, to, related_name, related_query_name, limit_choices_to, parent_link, on_delete)
        # The name of the target's field the key holds (its pk unless to_field); set when it resolves.
        self.field_name = field_name

    def set_field_name(self) -> None:
        """Point at the target's primary key unless ``to_field`` named another field."""
        self.field_name = self.field_name or self.model._meta.pk.name

    def get_related_field(self):
        """The target's field that the foreign key's values refer to."""
        try:
            return self.model._meta.get_field(self.field_name)
        except FieldDoesNotExist:
            raise FieldDoesNotExist(f"No related field named '{self.field_name}'") from None


class OneToOneRel(ManyToOneRel):
    """The reverse of a ``OneToOneField``: ``place.restaurant``, at most one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.multiple = False


class ManyToManyRel(ForeignObjectRel):
    """The reverse of a ``ManyToManyField``: ``tag.book_set``, through the model holding the pairs."""

    def __init__(self, field, to, related_name=None, related_query_name=None, limit_choices_to=None,
                 symmetrical=True, through=None, through_fields=None, db_constraint=True):  # fmt: skip
        super().__init__(field, to, related_name, related_query_name, limit_choices_to)
        if through_fields and not through:
            raise ValueError("Cannot specify through_fields without a through model")
        self.through = through
        self.through_fields = through_fields
        self.symmetrical = symmetrical
        self.db_constraint = db_constraint

    def get_related_field(self):
        """The target's field that the through model's key to the target points at."""
        opts = self.through._meta
        if self.through_fields:
            field = opts.get_field(self.through_fields[0])
        else:
            for field in opts.fields:
                if getattr(field, "related_model", None) == self.model:
                    break
        return field.foreign_related_fields[0]
