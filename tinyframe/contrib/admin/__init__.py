"""The admin: a create, read, update and delete interface generated from the models' ``_meta``.

How it works: a project lists ``tinyframe.contrib.admin`` in ``INSTALLED_APPS``
and mounts ``path("admin/", admin.site.urls)``. When the project starts,
``autodiscover()`` imports each app's ``admin.py``, whose
``admin.site.register(Model, ModelAdmin)`` calls fill the site's registry
(``sites.py``). Each ``ModelAdmin`` (``options.py``) answers the pages of one
model: the changelist (``views/main.py``), the add and change forms
(``helpers.py``, ``inlines.py``), delete and history. This module gathers the
names a project uses, under Django's import paths: ``admin.site``,
``admin.register``, ``admin.ModelAdmin``, ``admin.TabularInline``,
``admin.SimpleListFilter``...
"""

from importlib import import_module

from tinyframe.contrib.admin.decorators import action, display, register
from tinyframe.contrib.admin.options import HORIZONTAL, VERTICAL, ModelAdmin
from tinyframe.contrib.admin.sites import AdminSite, site

__all__ = [
    "action",
    "display",
    "register",
    "ModelAdmin",
    "HORIZONTAL",
    "VERTICAL",
    "StackedInline",
    "TabularInline",
    "AdminSite",
    "site",
    "ListFilter",
    "SimpleListFilter",
    "FieldListFilter",
    "BooleanFieldListFilter",
    "RelatedFieldListFilter",
    "ChoicesFieldListFilter",
    "DateFieldListFilter",
    "AllValuesFieldListFilter",
    "EmptyFieldListFilter",
    "RelatedOnlyFieldListFilter",
    "autodiscover",
]

# Names loaded on first use: the list filters and the inlines live in modules
# that import the forms and models machinery, which a project may not need
# merely to import ``admin``.
_LAZY = {
    "StackedInline": "tinyframe.contrib.admin.options",
    "TabularInline": "tinyframe.contrib.admin.options",
    "ListFilter": "tinyframe.contrib.admin.filters",
    "SimpleListFilter": "tinyframe.contrib.admin.filters",
    "FieldListFilter": "tinyframe.contrib.admin.filters",
    "BooleanFieldListFilter": "tinyframe.contrib.admin.filters",
    "RelatedFieldListFilter": "tinyframe.contrib.admin.filters",
    "ChoicesFieldListFilter": "tinyframe.contrib.admin.filters",
    "DateFieldListFilter": "tinyframe.contrib.admin.filters",
    "AllValuesFieldListFilter": "tinyframe.contrib.admin.filters",
    "EmptyFieldListFilter": "tinyframe.contrib.admin.filters",
    "RelatedOnlyFieldListFilter": "tinyframe.contrib.admin.filters",
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def autodiscover() -> None:
    """Import the ``admin`` module of every installed app that has one, registering its models with ``site``.

    A module that fails to import leaves the registry as it was before it
    (so a fixed module can be imported again), and its error propagates.
    """
    from tinyframe.apps import apps

    for app_config in apps.get_app_configs():
        module_name = f"{app_config.name}.admin"
        registry_before = dict(site._registry)
        try:
            import_module(module_name)
        except ModuleNotFoundError as error:
            site._registry = registry_before
            if error.name != module_name:
                raise
        except Exception:
            site._registry = registry_before
            raise
