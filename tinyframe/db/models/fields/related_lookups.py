"""The values of filters across relations: ``author=obj``, ``author__in=[obj, 3]``, ``author__in=queryset``.

How it works: a filter whose names end at a relation compares the
relation's key, so the value must become a key too, before the lookup is
built (``sql/related_filters.py`` calls ``normalize_related_value``):

- a model instance gives its target field's value (its ``pk``, or the
  ``to_field``), after two checks Django makes: it must be an instance of
  the relation's model (``ValueError: Cannot query "Tag object (1)": Must be
  "Author" instance.``) and saved (an unsaved one has no key to compare);
- a list (``__in``, ``__range``) has each item normalized;
- a QuerySet must be of the relation's model, and selects the target field
  (a subquery, ``IN (SELECT U0."id" ...)``);
- anything else (``3``, ``None``, an expression) is left as it is.
"""


def is_compatible(model, options) -> bool:
    """Whether an instance of ``model`` may stand for the relation's model (the same, a parent or a child)."""
    target = options.model
    if model._meta.concrete_model is options.concrete_model:
        return True
    return issubclass(model, target) or issubclass(target, model)


def check_instance(value, options) -> None:
    """Django's ValueError for an instance of another model."""
    # value.__class__, not type(value): a lazy proxy (request.user) reports the class it stands for.
    if hasattr(value, "_meta") and not is_compatible(value.__class__, options):
        raise ValueError(f'Cannot query "{value}": Must be "{options.object_name}" instance.')


def key_of(value, target):
    """An instance's value of the relation's target field; any other value as it is.

    >>> key_of(3, None)
    3
    """
    if not hasattr(value, "_meta"):
        return value
    if value.pk is None:
        raise ValueError("Model instances passed to related filters must be saved.")
    return getattr(value, target.attname)


def normalize_related_value(value, lookup_name: str, options, target):
    """The value of a filter ending at a relation whose model is ``options``'s, as keys of ``target``."""
    if lookup_name == "isnull":
        return value
    if hasattr(value, "_iterable_class"):  # a QuerySet: its rows' target field, as a subquery
        if value._fields is None:
            if not is_compatible(value.model, options):
                raise ValueError(
                    f'Cannot use QuerySet for "{value.model._meta.object_name}": '
                    f'Use a QuerySet for "{options.object_name}".'
                )
            if not target.primary_key:
                value = value.values(target.name)
        return value
    if lookup_name in ("in", "range") and not isinstance(value, (str, bytes)) and hasattr(value, "__iter__"):
        values = list(value)
        for item in values:
            check_instance(item, options)
        return [key_of(item, target) for item in values]
    check_instance(value, options)
    return key_of(value, target)
