"""Swappable models: a model a setting can replace, as ``AUTH_USER_MODEL`` replaces ``auth.User``.

How it works: ``class Meta: swappable = "AUTH_USER_MODEL"`` names the
setting. When the setting names another model, the model is *swapped*
(``_meta.swapped`` is that model's label, ``swapped_for``): it has no table
(``Options.can_migrate`` is False, so ``migrate`` skips it) and its manager
refuses to work (``swapped_manager_error``), since its rows live elsewhere.

Code that points at "whatever user model the project uses" writes
``models.ForeignKey(settings.AUTH_USER_MODEL, ...)``: the setting's value, a
label, resolved like any other. For migrations the field must remember it
came from a setting, or the file would hard-code ``"auth.user"``:
``swappable_reference`` makes the field's ``to`` a ``SettingsReference``
(a ``str`` that knows its setting), the writer prints it as
``settings.AUTH_USER_MODEL``, and ``makemigrations`` makes the migration
depend on ``migrations.swappable_dependency(settings.AUTH_USER_MODEL)``:
the first migration of whichever app holds the user model
(``swappable_dependencies``).

>>> from tinyframe.conf import SettingsReference
>>> reference = SettingsReference("auth.user", "AUTH_USER_MODEL")
>>> reference == "auth.user", reference.setting_name
(True, 'AUTH_USER_MODEL')
"""

from tinyframe.conf import SettingsReference, settings

__all__ = [
    "get_swappable_settings_name", "swappable_dependencies", "swappable_reference", "swapped_for",
    "swapped_manager_error",
]  # fmt: skip


def swapped_for(opts) -> str | None:
    """The label of the model that replaces the model of ``opts`` (its ``_meta``), or None when it is not swapped.

    Swapped when ``Meta.swappable`` names a setting whose value is another
    model's label (compared without case: ``"auth.user"`` is ``auth.User``).
    A value that is not a label at all is returned as it is, so the error
    that follows shows it.
    """
    if not opts.swappable:
        return None
    replacement = getattr(settings, opts.swappable, None)
    if not replacement:
        return None
    try:
        app_label, object_name = replacement.split(".")
    except ValueError:
        return replacement
    if f"{app_label}.{object_name.lower()}" == opts.label_lower:
        return None
    return replacement


def swapped_manager_error(model) -> AttributeError:
    """The error of ``User.objects`` when ``AUTH_USER_MODEL`` names another model."""
    label, swapped = model._meta.label, model._meta.swapped
    return AttributeError(f"Manager isn't available; '{label}' has been swapped for '{swapped}'")


def get_swappable_settings_name(to_string: str) -> str | None:
    """The setting that chooses the model labelled ``to_string`` (``"AUTH_USER_MODEL"`` for the user model), or None.

    The model may be a swappable model itself (``auth.User``), or the model a
    swappable model's setting names (a project's ``accounts.Customer``).
    """
    from tinyframe.apps import apps

    to_string = to_string.lower()
    for model in apps.get_models(include_swapped=True):
        swapped = model._meta.swapped
        if swapped and swapped.lower() == to_string:
            return model._meta.swappable
        if model._meta.swappable and model._meta.label_lower == to_string:
            return model._meta.swappable
    return None


def swappable_reference(field, to: str) -> str:
    """``to`` (a relation's target label, from ``deconstruct``) as a ``SettingsReference`` when a setting chooses it."""
    if isinstance(to, SettingsReference) or not getattr(field, "swappable", True):
        return to
    setting_name = get_swappable_settings_name(to) if "." in to else None
    return SettingsReference(to, setting_name) if setting_name else to


def swappable_dependencies(state, field, dependencies: list) -> list:
    """The autodetector's dependencies of a relation, the target's marked with its setting when a setting chooses it.

    ``state`` is the project state being migrated to: a model state whose
    ``swappable`` option names a setting chooses the target when it is the
    target (``auth.user``) or the setting names the target (a project's
    ``accounts.customer``). ``makemigrations`` then depends on
    ``swappable_dependency(settings.<setting>)``, not on one app's migration.
    """
    target, *rest = dependencies
    target_label = f"{target.app_label}.{target.model_name}".lower()
    for model_state in state.models.values():
        setting_name = model_state.options.get("swappable")
        if not setting_name:
            continue
        chosen = str(getattr(settings, setting_name, "")).lower()
        if target_label in (f"{model_state.app_label}.{model_state.name}".lower(), chosen):
            marked = type(target)(*target)
            marked.setting = setting_name
            return [marked, *rest]
    return dependencies
