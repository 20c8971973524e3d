"""The permissions ``migrate`` creates: add, change, delete and view, for every model of every app.

How it works: ``AuthConfig.ready`` connects ``create_permissions`` to
``post_migrate``, which ``migrate`` sends once per installed app. For each
model of the app, the wanted permissions are the defaults of
``Meta.default_permissions`` (``"add_post"``, named "Can add post") plus
the model's own ``Meta.permissions``; the rows missing from the
``Permission`` table are inserted, those already there are left alone, so
running ``migrate`` again adds nothing. A swapped model (``auth.User`` when
``AUTH_USER_MODEL`` names another) gets none: it has no table.

>>> class Meta:
...     model_name, verbose_name = "post", "post"
...     default_permissions = ("add", "view")
...     permissions = [("publish_post", "Can publish posts")]
>>> _get_all_permissions(Meta)
[('add_post', 'Can add post'), ('view_post', 'Can view post'), ('publish_post', 'Can publish posts')]
"""

import sys

from tinyframe.apps import apps as global_apps
from tinyframe.contrib.auth import get_permission_codename
from tinyframe.db import DEFAULT_DB_ALIAS

__all__ = ["create_permissions"]


def _get_builtin_permissions(opts) -> list[tuple[str, str]]:
    """``(codename, name)`` of each of ``Meta.default_permissions``: ``("add_post", "Can add post")``."""
    return [
        (get_permission_codename(action, opts), f"Can {action} {opts.verbose_name}")
        for action in opts.default_permissions
    ]


def _get_all_permissions(opts) -> list[tuple[str, str]]:
    """The default permissions, then the model's own ``Meta.permissions``."""
    return [*_get_builtin_permissions(opts), *opts.permissions]


def create_permissions(app_config, verbosity=2, interactive=True, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """Insert the permissions of ``app_config``'s models that the ``Permission`` table does not have yet.

    ``apps`` is the registry ``migrate`` passes: the models as the migrations
    left them, so this works before the project's models match the tables.
    At ``verbosity`` 2 and above each new permission is named.
    """
    if app_config.models_module is None:
        return
    try:
        app_config = apps.get_app_config(app_config.label)
        permission_model = apps.get_model("auth", "Permission")
    except LookupError:
        return  # the app, or auth itself, is not migrated yet
    if not permission_model._meta.can_migrate(using):
        return
    wanted = [
        (model._meta.app_label, model._meta.model_name, codename, name)
        for model in app_config.get_models()
        for codename, name in _get_all_permissions(model._meta)
    ]
    model_names = {model_name for _, model_name, _, _ in wanted}
    existing = set(
        permission_model.objects.using(using)
        .filter(app_label=app_config.label, model__in=model_names)
        .values_list("app_label", "model", "codename")
    )
    created = [
        permission_model(app_label=app_label, model=model_name, codename=codename, name=name)
        for app_label, model_name, codename, name in wanted
        if (app_label, model_name, codename) not in existing
    ]
    permission_model.objects.using(using).bulk_create(created)
    if verbosity >= 2:
        stdout = kwargs.get("stdout", sys.stdout)
        for permission in created:
            stdout.write(f"Adding permission '{permission}'\n")
