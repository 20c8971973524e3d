"""How a relation finds its target: names resolved when the model appears, and the checks of what it found.

How it works: ``ForeignKey("Author")`` in ``Book`` names a class that may not
exist yet. ``resolve_relation`` turns the name into ``"app_label.Model"``
(``"self"`` is the model itself); ``lazy_related_operation`` asks the app
registry (``Apps.lazy_model_operation``) to call ``resolve_related_class``,
or ``resolve_through_model`` for a ``through=`` model, once that model is
registered. Then the accessors are checked as Django's system checks do
(``check_accessor_clash``: fields.E302 / E304; ``check_query_name_clash``:
E303); a relation still waiting when the registry has finished populating
is reported by ``check_pending_relations`` (E300, E331).

``related.py`` re-exports these under Django's import path.
"""

import functools

from tinyframe.core.exceptions import ImproperlyConfigured

__all__ = [
    "RECURSIVE_RELATIONSHIP_CONSTANT", "check_accessor_clash", "check_pending_relations", "check_query_name_clash",
    "lazy_related_operation", "make_model_tuple", "resolve_related_class", "resolve_relation",
    "resolve_through_model", "waiting_field",
]  # fmt: skip


RECURSIVE_RELATIONSHIP_CONSTANT = "self"



def resolve_relation(scope_model, relation):
    """The model a relation names, as a class or an ``"app_label.ModelName"`` string.

    ``"self"`` is the model declaring the field, a bare ``"Author"`` is in its app:

    >>> class Options: app_label = "library"
    >>> class Book: _meta = Options
    >>> resolve_relation(Book, "Author"), resolve_relation(Book, "shop.Author")
    ('library.Author', 'shop.Author')
    >>> resolve_relation(Book, "self") is Book
    True
    """
    if relation == RECURSIVE_RELATIONSHIP_CONSTANT:
        return scope_model
    if isinstance(relation, str) and "." not in relation:
        return f"{scope_model._meta.app_label}.{relation}"
    return relation


def make_model_tuple(model) -> tuple[str, str]:
    """``(app_label, model_name)`` for a model class or an ``"app_label.ModelName"`` string.

    >>> make_model_tuple("library.Author")
    ('library', 'author')
    """
    if isinstance(model, tuple):
        return model
    if isinstance(model, str):
        try:
            app_label, model_name = model.split(".")
        except ValueError:
            raise ValueError(
                f"Invalid model reference '{model}'. String model references must be of the form 'app_label.ModelName'."
            ) from None
        return app_label, model_name.lower()
    return model._meta.app_label, model._meta.model_name


def lazy_related_operation(function, model, *related_models, **kwargs) -> None:
    """Call ``function(model, *related_classes, **kwargs)`` once every related model is registered.

    ``related_models`` may be classes or names (``"self"``, ``"Author"``,
    ``"library.Author"``); the app registry of ``model`` waits for them.
    """
    models = [model, *(resolve_relation(model, related) for related in related_models)]
    keys = [make_model_tuple(each) for each in models]
    model._meta.apps.lazy_model_operation(functools.partial(function, **kwargs), *keys)


def check_pending_relations(apps) -> None:
    """Raise ImproperlyConfigured for relations still waiting for a model when the registry is populated.

    The messages are Django's system checks fields.E300 (the target) and
    fields.E331 (a ``through`` model), one line per field.
    """
    errors = []
    for operations in apps._pending_operations.values():
        for operation in operations:
            function, field = waiting_field(operation)
            if field is None:
                continue
            if function is resolve_through_model:
                errors.append(
                    f"{field}: (fields.E331) Field specifies a many-to-many relation through model "
                    f"'{field.remote_field.through}', which has not been installed."
                )
                continue
            model = field.remote_field.model
            name = model if isinstance(model, str) else model._meta.object_name
            errors.append(
                f"{field}: (fields.E300) Field defines a relation with model '{name}', which is either not "
                "installed, or is abstract."
            )
    if errors:
        raise ImproperlyConfigured("\n".join(errors))


def waiting_field(operation) -> tuple:
    """``(function, field)``: the function a pending operation will call and the relation field it is for.

    Both are found by unwrapping the partials around the operation; ``(None, None)`` if it is no relation's.
    """
    while isinstance(operation, functools.partial):
        if "field" in operation.keywords:
            return operation.func, operation.keywords["field"]
        # A pending continuation holds the waiting function as its first argument.
        operation = operation.args[0] if operation.func.__name__ == "continue_lazy_operation" else operation.func
    return None, None


def resolve_related_class(model, related, field) -> None:
    """The lazy operation of every relation: its target class is ``related`` now."""
    field.remote_field.model = related
    field.do_related_class(related, model)


def check_accessor_clash(cls, accessor: str, related) -> None:
    """ImproperlyConfigured, with Django's fields.E302 / E304 messages, if ``cls.<accessor>`` is taken."""
    # >>> 08_migrations
    if not getattr(cls._meta.apps, "check_relation_clashes", True):
        return  # historical models (migrations' StateApps) are not checked, as in Django
    # <<< 08_migrations
    field = related.field
    opts = cls._meta
    target = f"Reverse accessor '{opts.object_name}.{accessor}' for '{field}'"
    clashing_field = opts._forward_fields_map.get(accessor)
    if clashing_field is not None and clashing_field.name == accessor:
        raise ImproperlyConfigured(
            f"{field}: (fields.E302) {target} clashes with field name '{opts.label}.{accessor}'.\n"
            f"\tHINT: Rename field '{opts.label}.{accessor}', or add/change a related_name argument to the "
            f"definition for field '{field}'."
        )
    for other in opts._relation_tree:
        if other is related or other.is_hidden():
            continue
        if other.get_accessor_name(model=other.field.model) == accessor:
            raise ImproperlyConfigured(
                f"{field}: (fields.E304) {target} clashes with reverse accessor for '{other.field}'.\n"
                f"\tHINT: Add or change a related_name argument to the definition for '{field}' or "
                f"'{other.field}'."
            )


def check_query_name_clash(cls, related) -> None:
    """ImproperlyConfigured, with Django's fields.E303 message, if ``cls`` has a field named as the reverse query name.

    ``Author.objects.filter(book=...)`` could not tell the field ``book`` from
    the relation; a hidden relation (``related_name="+"``) is filtered on too.
    """
    # >>> 08_migrations
    if not getattr(cls._meta.apps, "check_relation_clashes", True):
        return  # historical models (migrations' StateApps) are not checked, as in Django
    # <<< 08_migrations
    field = related.field
    query_name = field.related_query_name()
    clashing_field = cls._meta._forward_fields_map.get(query_name)
    if clashing_field is not None and clashing_field.name == query_name:
        clashing = f"{cls._meta.label}.{query_name}"
        raise ImproperlyConfigured(
            f"{field}: (fields.E303) Reverse query name for '{field}' clashes with field name '{clashing}'.\n"
            f"\tHINT: Rename field '{clashing}', or add/change a related_name argument to the definition for "
            f"field '{field}'."
        )


def resolve_through_model(model, through, field) -> None:
    """The lazy operation of ``through="Membership"``: the through class is known now."""
    field.remote_field.through = through
