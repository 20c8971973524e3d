"""Deconstruction: a field, index, constraint or ``Q`` as the call that would make it again.

How it works: a migration file must say how to rebuild every field it
mentions, so ``field.deconstruct()`` answers ``(name, path, args, kwargs)``:

>>> from tinyframe.db import models
>>> field = models.CharField(max_length=200, null=True)
>>> field.set_attributes_from_name("title")
>>> field.deconstruct()
('title', 'tinyframe.db.models.CharField', [], {'max_length': 200, 'null': True})

Only the arguments that differ from their defaults are given, so the file
says what the model said and no more. ``deconstruct_field`` reads
``Field``'s own arguments (``FIELD_ARGUMENTS``), then lets each class in the
field's MRO adjust them (``CLASS_ADJUSTMENTS``, base classes first, as a
chain of ``super().deconstruct()`` calls would): a ``SlugField`` drops
``max_length=50``, a date field with ``auto_now`` drops the ``editable`` and
``blank`` it forced, a ``ForeignKey`` adds ``to="library.author"`` and
``on_delete``. ``field.clone()`` is ``type(field)(*args, **kwargs)`` of that
answer: a new field, free of any model, which is how the migration state
copies models.

Indexes, constraints and ``Q`` deconstruct to ``(path, args, kwargs)``, with
no name first, as in Django.
"""

from tinyframe.db.models.fields import NOT_PROVIDED
# >>> 10_auth
from tinyframe.db.models.swappable import swappable_reference
# <<< 10_auth

__all__ = [
    "CLASS_ADJUSTMENTS", "FIELD_ARGUMENTS", "deconstruct_constraint", "deconstruct_field", "deconstruct_index",
    "deconstruct_q", "public_path",
]  # fmt: skip

# Field's own keyword arguments, in Django's order: (argument, attribute holding it, default).
FIELD_ARGUMENTS = (
    ("verbose_name", "_verbose_name", None),
    ("primary_key", "primary_key", False),
    ("max_length", "max_length", None),
    ("unique", "_unique", False),
    ("blank", "blank", False),
    ("null", "null", False),
    ("db_index", "db_index", False),
    ("default", "default", NOT_PROVIDED),
    ("editable", "editable", True),
    ("serialize", "serialize", True),
    ("choices", "choices", None),
    ("help_text", "help_text", ""),
    ("db_column", "db_column", None),
    ("auto_created", "auto_created", False),
    ("validators", "_validators", []),
    ("error_messages", "_error_messages", None),
)

# Modules whose classes a migration names by the package that re-exports them.
PUBLIC_PACKAGES = {
    "tinyframe.db.models.fields": "tinyframe.db.models",
    "tinyframe.db.models.indexes": "tinyframe.db.models",
    "tinyframe.db.models.constraints": "tinyframe.db.models",
    "tinyframe.db.models.query_utils": "tinyframe.db.models",
}


def public_path(klass) -> str:
    """The dotted path a migration imports ``klass`` by: tinyframe's own by ``tinyframe.db.models``.

    >>> from tinyframe.db.models.fields.text import SlugField
    >>> public_path(SlugField)
    'tinyframe.db.models.SlugField'
    """
    module = klass.__module__
    for private, public in PUBLIC_PACKAGES.items():
        if module == private or module.startswith(f"{private}."):
            module = public
            break
    return f"{module}.{klass.__qualname__}"


def deconstruct_field(field) -> tuple[str, str, list, dict]:
    """``(name, path, args, kwargs)``: the call that makes ``field`` again, arguments at their defaults left out."""
    kwargs = {}
    for argument, attribute, default in FIELD_ARGUMENTS:
        value = getattr(field, attribute, default)
        if argument == "choices" and value is not None:
            value = list(value)
        if value != default or (argument == "default" and value is not NOT_PROVIDED):
            kwargs[argument] = value
    for klass in reversed(type(field).__mro__):
        adjust = CLASS_ADJUSTMENTS.get(public_path(klass))
        if adjust is not None:
            adjust(field, kwargs)
    return field.name, public_path(type(field)), [], kwargs


# -- what each field class changes in its arguments ---------------------------------


def drop_if(kwargs: dict, argument: str, value) -> None:
    """Leave ``argument`` out when it holds the value the class gives it anyway."""
    if argument in kwargs and kwargs[argument] == value:
        del kwargs[argument]


def adjust_auto_field(field, kwargs: dict) -> None:
    # An automatic key is always the primary key, and blank by nature.
    kwargs.pop("blank", None)
    kwargs["primary_key"] = True


def adjust_date_field(field, kwargs: dict) -> None:
    # auto_now and auto_now_add force editable=False and blank=True: say the cause, not the effects.
    if field.auto_now:
        kwargs["auto_now"] = True
    if field.auto_now_add:
        kwargs["auto_now_add"] = True
    if field.auto_now or field.auto_now_add:
        kwargs.pop("editable", None)
        kwargs.pop("blank", None)


def adjust_decimal_field(field, kwargs: dict) -> None:
    if field.max_digits is not None:
        kwargs["max_digits"] = field.max_digits
    if field.decimal_places is not None:
        kwargs["decimal_places"] = field.decimal_places


def adjust_slug_field(field, kwargs: dict) -> None:
    drop_if(kwargs, "max_length", 50)
    # A slug is indexed unless told otherwise, so only db_index=False is worth writing.
    kwargs.pop("db_index", None)
    if not field.db_index:
        kwargs["db_index"] = False
    if field.allow_unicode:
        kwargs["allow_unicode"] = True


def adjust_url_field(field, kwargs: dict) -> None:
    drop_if(kwargs, "max_length", 200)


def adjust_ip_address_field(field, kwargs: dict) -> None:
    if field.unpack_ipv4:
        kwargs["unpack_ipv4"] = True
    if field.protocol != "both":
        kwargs["protocol"] = field.protocol
    drop_if(kwargs, "max_length", 39)


def adjust_uuid_field(field, kwargs: dict) -> None:
    kwargs.pop("max_length", None)


def adjust_json_field(field, kwargs: dict) -> None:
    if field.encoder is not None:
        kwargs["encoder"] = field.encoder
    if field.decoder is not None:
        kwargs["decoder"] = field.decoder


def relation_target(field) -> str:
    """The target as ``"library.author"`` (a name not resolved yet is written as given, lower-cased)."""
    model = field.remote_field.model
    if isinstance(model, str):
        if "." in model:
            app_label, model_name = model.split(".")
            return f"{app_label}.{model_name.lower()}"
        return model.lower()
    return model._meta.label_lower


def adjust_related_field(field, kwargs: dict) -> None:
    rel = field.remote_field
    if rel.limit_choices_to:
        kwargs["limit_choices_to"] = rel.limit_choices_to
    related_name = getattr(field, "_related_name", None)
    if related_name is not None:
        kwargs["related_name"] = related_name
    if rel.related_query_name is not None:
        kwargs["related_query_name"] = rel.related_query_name


def adjust_foreign_key(field, kwargs: dict) -> None:
    rel = field.remote_field
    kwargs["on_delete"] = rel.on_delete
    kwargs["to"] = relation_target(field)
    # >>> 10_auth
    kwargs["to"] = swappable_reference(field, kwargs["to"])
    # <<< 10_auth
    # to_field only when it is not the target's primary key.
    target_meta = getattr(rel.model, "_meta", None)
    if rel.field_name and (target_meta is None or (target_meta.pk and rel.field_name != target_meta.pk.name)):
        kwargs["to_field"] = rel.field_name
    if rel.parent_link:
        kwargs["parent_link"] = True
    if not field.db_constraint:
        kwargs["db_constraint"] = False
    # A key is indexed unless told otherwise.
    kwargs.pop("db_index", None)
    if not field.db_index:
        kwargs["db_index"] = False


def adjust_one_to_one_field(field, kwargs: dict) -> None:
    kwargs.pop("unique", None)


def adjust_many_to_many_field(field, kwargs: dict) -> None:
    rel = field.remote_field
    if field.db_table:
        kwargs["db_table"] = field.db_table
    if not rel.db_constraint:
        kwargs["db_constraint"] = False
    kwargs["to"] = relation_target(field)
    # >>> 10_auth
    kwargs["to"] = swappable_reference(field, kwargs["to"])
    # <<< 10_auth
    through = rel.through
    if isinstance(through, str):
        kwargs["through"] = through
    elif through is not None and not through._meta.auto_created:
        kwargs["through"] = through._meta.label
    if rel.through_fields:
        kwargs["through_fields"] = rel.through_fields


# By the class's public path, so this table needs no imports of the classes it describes.
CLASS_ADJUSTMENTS = {
    "tinyframe.db.models.AutoFieldMixin": adjust_auto_field,
    "tinyframe.db.models.DateField": adjust_date_field,
    "tinyframe.db.models.DecimalField": adjust_decimal_field,
    "tinyframe.db.models.SlugField": adjust_slug_field,
    "tinyframe.db.models.URLField": adjust_url_field,
    "tinyframe.db.models.GenericIPAddressField": adjust_ip_address_field,
    "tinyframe.db.models.UUIDField": adjust_uuid_field,
    "tinyframe.db.models.JSONField": adjust_json_field,
    "tinyframe.db.models.RelatedField": adjust_related_field,
    "tinyframe.db.models.ForeignKey": adjust_foreign_key,
    "tinyframe.db.models.OneToOneField": adjust_one_to_one_field,
    "tinyframe.db.models.ManyToManyField": adjust_many_to_many_field,
}


def clone_field(field):
    """A new field made from ``field``'s deconstruction: same arguments, no model."""
    name, path, args, kwargs = field.deconstruct()
    return type(field)(*args, **kwargs)


# -- indexes, constraints, conditions ---------------------------------------------


def deconstruct_index(index) -> tuple[str, tuple, dict]:
    """``("tinyframe.db.models.Index", (), {"name": ..., "fields": [...]})``, the condition if any."""
    kwargs = {"name": index.name, "fields": list(index.fields)}
    if index.condition is not None:
        kwargs["condition"] = index.condition
    return public_path(type(index)), (), kwargs


def deconstruct_constraint(constraint) -> tuple[str, tuple, dict]:
    """A constraint's name, its own arguments, and a custom violation code or message."""
    kwargs = {"name": constraint.name}
    if hasattr(constraint, "fields"):
        kwargs["fields"] = constraint.fields
    if getattr(constraint, "condition", None) is not None:
        kwargs["condition"] = constraint.condition
    if constraint.violation_error_code is not None:
        kwargs["violation_error_code"] = constraint.violation_error_code
    if constraint.violation_error_message != constraint.default_violation_error_message:
        kwargs["violation_error_message"] = constraint.violation_error_message
    return public_path(type(constraint)), (), kwargs


def deconstruct_q(q) -> tuple[str, tuple, dict]:
    """``("tinyframe.db.models.Q", (("pages__gt", 1),), {})``: the children, the connector if OR, negation."""
    kwargs = {}
    if q.connector != q.default:
        kwargs["_connector"] = q.connector
    if q.negated:
        kwargs["_negated"] = True
    return public_path(type(q)), tuple(q.children), kwargs
