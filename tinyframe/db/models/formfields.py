"""Form fields for model fields: what ``model_field.formfield()`` gives a ModelForm.

How it works: a ModelForm asks each model field for the form field that
edits it. ``formfield(field, **kwargs)`` walks the field's classes, most
derived first, as a chain of ``super().formfield(**{...})`` calls would:
each class found in ``FORMFIELD_ARGUMENTS`` adds what it knows under the
arguments already there (a ``TextField`` a ``Textarea`` widget, a
``CharField`` its ``max_length``, an ``EmailField`` the form class
``EmailField``, a ``ForeignKey`` a ``ModelChoiceField`` over the target's
rows), so the caller's arguments (a ModelForm's ``Meta.widgets``,
``labels``...) win over the subclass's, and the subclass's over its
parent's. Last comes what every field gives: ``required`` unless
``blank``, the ``label`` from ``verbose_name``, the ``help_text``, and
the ``default`` as ``initial`` (a callable default is passed uncalled,
with ``show_hidden_initial=True``, so the form can tell whether what it
showed was changed).

A field with ``choices`` becomes a ``TypedChoiceField`` whatever its
class, coercing with the model field's ``to_python``, with the blank
choice first unless a default makes one unnecessary:

>>> from tinyframe.db import models
>>> status = models.CharField(max_length=1, choices=[("d", "Draft"), ("p", "Published")], blank=True)
>>> status.set_attributes_from_name("status")
>>> form_field = formfield(status)
>>> type(form_field).__name__, form_field.required, list(form_field.choices)
('TypedChoiceField', False, [('', '---------'), ('d', 'Draft'), ('p', 'Published')])

Automatic primary keys and parent links have no form field (None):
nobody types them. A subclass may still override ``formfield`` itself, as
in Django. ``save_form_data`` is the way back: a cleaned value onto an
instance (a many-to-many relation is ``set()``, once the instance is saved).
"""

from tinyframe import forms
from tinyframe.db.models.deconstruction import public_path
from tinyframe.forms.model_choices import ModelChoiceField, ModelMultipleChoiceField
from tinyframe.utils.text import capfirst

__all__ = ["BLANK_CHOICE_DASH", "FORMFIELD_ARGUMENTS", "formfield", "get_choices", "save_form_data"]

BLANK_CHOICE_DASH = [("", "---------")]

# A class's entry returns this when the field has no form field at all.
NO_FORM_FIELD = object()

# What a TypedChoiceField accepts: the other arguments a field class adds
# (max_length, min_value, a Textarea...) are dropped when the field has choices.
CHOICE_ARGUMENTS = frozenset({
    "coerce", "empty_value", "choices", "required", "widget", "label", "initial", "help_text",
    "error_messages", "show_hidden_initial", "disabled",
})  # fmt: skip


def formfield(field, form_class=None, choices_form_class=None, **kwargs):
    """The form field that edits model field ``field``, or None if it has none (see the module docstring).

    ``form_class`` replaces the form field class the field's type chooses;
    ``choices_form_class`` the ``TypedChoiceField`` of a field with choices.
    Every other keyword argument goes to the form field's constructor.
    """
    if form_class is not None:
        kwargs["form_class"] = form_class
    for klass in type(field).__mro__:
        adjust = FORMFIELD_ARGUMENTS.get(public_path(klass))
        if adjust is not None:
            kwargs = adjust(field, kwargs)
            if kwargs is NO_FORM_FIELD:
                return None
    form_class = kwargs.pop("form_class", None) or forms.CharField
    defaults = {"required": not field.blank, "label": capfirst(field.verbose_name), "help_text": field.help_text}
    if field.has_default():
        if callable(field.default):
            # Called each time the form is shown; the hidden copy lets has_changed() see what was shown.
            defaults["initial"] = field.default
            defaults["show_hidden_initial"] = True
        else:
            defaults["initial"] = field.get_default()
    if field.choices is not None:
        include_blank = field.blank or not (field.has_default() or "initial" in kwargs)
        defaults["choices"] = get_choices(field, include_blank=include_blank)
        defaults["coerce"] = field.to_python
        if field.null:
            defaults["empty_value"] = None
        form_class = choices_form_class or forms.TypedChoiceField
        kwargs = {name: value for name, value in kwargs.items() if name in CHOICE_ARGUMENTS}
    return form_class(**{**defaults, **kwargs})


def get_choices(field, include_blank=True, blank_choice=BLANK_CHOICE_DASH, limit_choices_to=None, ordering=()):
    """The field's choices for a ``<select>``: its own, or a relation's rows as ``(key, str(row))``.

    The blank choice goes first when asked for, unless the choices already
    have an empty one (``""`` or None):

    >>> from tinyframe.db import models
    >>> get_choices(models.CharField(choices=[("s", "Small"), ("l", "Large")]))
    [('', '---------'), ('s', 'Small'), ('l', 'Large')]
    >>> get_choices(models.CharField(choices=[("", "Any size"), ("s", "Small")]))
    [('', 'Any size'), ('s', 'Small')]
    """
    if field.choices is not None:
        choices = list(field.choices)
        if include_blank and not any(value in ("", None) for value, _ in field.flatchoices):
            choices = list(blank_choice) + choices
        return choices
    rel = field.remote_field
    limit_choices_to = limit_choices_to or field.get_limit_choices_to()
    key = rel.get_related_field().attname if hasattr(rel, "get_related_field") else "pk"
    rows = rel.model._default_manager.complex_filter(limit_choices_to or {})
    if ordering:
        rows = rows.order_by(*ordering)
    return (list(blank_choice) if include_blank else []) + [(getattr(row, key), str(row)) for row in rows]


def save_form_data(field, instance, data) -> None:
    """Put a form's cleaned value for ``field`` on ``instance``.

    Most fields set the attribute; a many-to-many relation replaces the
    instance's related rows (so the instance must be saved first: this is
    what ``ModelForm.save_m2m()`` calls); a one-to-one key given a bare key
    value sets the key column and forgets any related object cached.
    """
    if field.many_to_many:
        getattr(instance, field.attname).set(data)
    elif field.one_to_one and not isinstance(data, field.remote_field.model):
        setattr(instance, field.attname, data)
        if data is None:
            setattr(instance, field.name, None)
    else:
        setattr(instance, field.name, data)


# -- what each model field class adds --------------------------------------------------
# Each takes the field and the arguments so far, and returns them with its own
# added underneath: ``{mine..., **kwargs}``, so what was given first wins.


def form_class(name: str):
    """An entry that only chooses the form field class ``forms.<name>``."""

    def adjust(field, kwargs):
        return {"form_class": getattr(forms, name), **kwargs}

    adjust.__name__ = f"form_class_{name}"
    return adjust


def no_form_field(field, kwargs):
    # An automatic key is numbered by the database: nothing to type.
    return NO_FORM_FIELD


def boolean_field(field, kwargs):
    if field.choices is not None:
        include_blank = not (field.has_default() or "initial" in kwargs)
        return {"choices": get_choices(field, include_blank=include_blank), **kwargs}
    # A checkbox left unticked is False, not missing: required would mean "must be ticked".
    return {"form_class": forms.NullBooleanField if field.null else forms.BooleanField, "required": False, **kwargs}


def char_field(field, kwargs):
    defaults = {"max_length": field.max_length}
    if field.null:
        # An empty box means NULL, not "": one "no value" in the table, not two.
        defaults["empty_value"] = None
    return {**defaults, **kwargs}


def text_field(field, kwargs):
    widget = {} if field.choices is not None else {"widget": forms.Textarea}
    return {"max_length": field.max_length, **widget, **kwargs}


def slug_field(field, kwargs):
    return {"form_class": forms.SlugField, "allow_unicode": field.allow_unicode, **kwargs}


def decimal_field(field, kwargs):
    return {"form_class": forms.DecimalField, "max_digits": field.max_digits,
            "decimal_places": field.decimal_places, **kwargs}  # fmt: skip


def big_integer_field(field, kwargs):
    return {"min_value": -(2**63), "max_value": 2**63 - 1, **kwargs}


def positive_integer_field(field, kwargs):
    return {"min_value": 0, **kwargs}


def positive_big_integer_field(field, kwargs):
    # Zero up to the largest 64-bit integer: a big field's top, a positive field's bottom.
    return {"min_value": 0, "max_value": 2**63 - 1, **kwargs}


def ip_address_field(field, kwargs):
    return {"form_class": forms.GenericIPAddressField, "protocol": field.protocol, **kwargs}


def json_field(field, kwargs):
    return {"form_class": forms.JSONField, "encoder": field.encoder, "decoder": field.decoder, **kwargs}


def related_field(field, kwargs):
    # Passed uncalled: a callable limit is applied each time a form is made.
    return {"limit_choices_to": field.remote_field.limit_choices_to, **kwargs}


def foreign_key(field, kwargs):
    target = field.remote_field.model
    if isinstance(target, str):
        raise ValueError(
            f"Cannot create form field for {field.name!r} yet, because its related model {target!r} has not been "
            "loaded yet"
        )
    using = kwargs.pop("using", None)
    return {
        "form_class": ModelChoiceField,
        "queryset": target._default_manager.using(using),
        "to_field_name": field.remote_field.field_name,
        **kwargs,
        # Whether a radio list offers "none of these" follows the model, not the caller.
        "blank": field.blank,
    }


def one_to_one_field(field, kwargs):
    # A parent link is the child's own key: it is made with the row, not chosen.
    return NO_FORM_FIELD if field.remote_field.parent_link else kwargs


def many_to_many_field(field, kwargs):
    using = kwargs.pop("using", None)
    kwargs = {"form_class": ModelMultipleChoiceField,
              "queryset": field.remote_field.model._default_manager.using(using), **kwargs}  # fmt: skip
    if kwargs.get("initial") is not None:
        # Given as related objects; the form field's values are their keys.
        initial = kwargs["initial"]
        kwargs["initial"] = [row.pk for row in (initial() if callable(initial) else initial)]
    return kwargs


# By the class's public path, as deconstruction.CLASS_ADJUSTMENTS: no imports of the classes.
FORMFIELD_ARGUMENTS = {
    "tinyframe.db.models.AutoFieldMixin": no_form_field,
    "tinyframe.db.models.BooleanField": boolean_field,
    "tinyframe.db.models.CharField": char_field,
    "tinyframe.db.models.TextField": text_field,
    "tinyframe.db.models.EmailField": form_class("EmailField"),
    "tinyframe.db.models.SlugField": slug_field,
    "tinyframe.db.models.URLField": form_class("URLField"),
    "tinyframe.db.models.GenericIPAddressField": ip_address_field,
    "tinyframe.db.models.IntegerField": form_class("IntegerField"),
    "tinyframe.db.models.BigIntegerField": big_integer_field,
    "tinyframe.db.models.PositiveIntegerField": positive_integer_field,
    "tinyframe.db.models.PositiveBigIntegerField": positive_big_integer_field,
    "tinyframe.db.models.FloatField": form_class("FloatField"),
    "tinyframe.db.models.DecimalField": decimal_field,
    "tinyframe.db.models.DateField": form_class("DateField"),
    "tinyframe.db.models.DateTimeField": form_class("DateTimeField"),
    "tinyframe.db.models.TimeField": form_class("TimeField"),
    "tinyframe.db.models.DurationField": form_class("DurationField"),
    "tinyframe.db.models.UUIDField": form_class("UUIDField"),
    "tinyframe.db.models.JSONField": json_field,
    "tinyframe.db.models.RelatedField": related_field,
    "tinyframe.db.models.ForeignKey": foreign_key,
    "tinyframe.db.models.OneToOneField": one_to_one_field,
    "tinyframe.db.models.ManyToManyField": many_to_many_field,
}
