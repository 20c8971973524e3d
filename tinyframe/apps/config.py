"""``AppConfig``: what tinyframe knows about one installed application.

How it works: every entry of ``INSTALLED_APPS`` becomes an ``AppConfig``
through ``AppConfig.create(entry)``. The entry is either a package path
(``"library"``), whose ``apps.py`` may hold the configuration class, or the
dotted path of an ``AppConfig`` subclass (``"library.apps.LibraryConfig"``).
The configuration names the app (``name``, its package), gives it a short
``label`` (the last part of the name unless set; models are filed under it:
``library.Book``), a ``verbose_name`` for people, and the ``path`` of its
folder on disk. The registry (``tinyframe.apps.registry.Apps``) then imports
each app's ``models`` module (``import_models``) and calls ``ready()``.

A project customises an app by subclassing::

    class LibraryConfig(AppConfig):
        name = "library"
        verbose_name = "The library"

        def ready(self):
            from library import signals  # connect receivers once models exist
"""

import inspect
import os
import sys
from importlib import import_module
from importlib.util import find_spec

from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.utils.suggestions import suggest

__all__ = ["AppConfig", "app_package_name"]


def module_has_submodule(package, name: str) -> bool:
    """Whether ``package`` has a submodule ``name``, found without importing it.

    Why not just try the import: an ``ImportError`` raised *inside* an app's
    ``models.py`` (a typo there) must reach the user, not be mistaken for "this
    app has no models".

    >>> import json
    >>> module_has_submodule(json, "decoder"), module_has_submodule(json, "models")
    (True, False)
    """
    if not hasattr(package, "__path__"):
        return False  # a plain module has no submodules
    # >>> 10_auth
    # An import finder may refuse a missing name with ModuleNotFoundError
    # instead of answering None (the course's checker does, to load tinyframe
    # from one directory only); that is "no such submodule" too, as in Django.
    # contrib.messages, the first installed app without models, meets it.
    try:
        return find_spec(f"{package.__name__}.{name}") is not None
    except ModuleNotFoundError:
        return False
    # <<< 10_auth
    return find_spec(f"{package.__name__}.{name}") is not None


def path_from_module(module) -> str:
    """The folder an app's package lives in, or a clear error when there is not exactly one."""
    paths = list(getattr(module, "__path__", []))
    if len(paths) != 1:
        filename = getattr(module, "__file__", None)
        paths = [os.path.dirname(filename)] if filename is not None else list(set(paths))
    if len(paths) > 1:
        raise ImproperlyConfigured(
            f"The app module {module!r} has multiple filesystem locations ({paths!r}); you must "
            f"configure this app with an AppConfig subclass with a 'path' class attribute."
        )
    if not paths:
        raise ImproperlyConfigured(
            f"The app module {module!r} has no filesystem location, you must configure this app "
            f"with an AppConfig subclass with a 'path' class attribute."
        )
    return paths[0]


def app_package_name(entry: str) -> str:
    """The package an ``INSTALLED_APPS`` entry installs: the entry itself, or the ``name`` of the AppConfig it names.

    Why: the app directories template loader, the template tag libraries and
    the management commands each look inside every installed app's package.
    An entry is either that package (``"library"``) or an AppConfig subclass
    (``"library.apps.LibraryConfig"``, ``"tinyframe.contrib.admin.apps.
    SimpleAdminConfig"``), whose ``name`` says which package it configures.
    A package is found without being imported. An entry that is neither
    comes back unchanged, for the caller to report as a missing package.

    >>> app_package_name("json"), app_package_name("no_such_package_anywhere")
    ('json', 'no_such_package_anywhere')
    """
    if entry in sys.modules:
        return entry
    try:
        if find_spec(entry) is not None:
            return entry
    except (ImportError, ValueError):
        pass  # "library.apps.LibraryConfig": "library.apps" is a module, not a package
    try:
        config_class = AppConfig.import_config_class(entry)
    except ImportError:
        return entry
    if isinstance(config_class, type) and issubclass(config_class, AppConfig) and config_class.name:
        return config_class.name
    return entry


class AppConfig:
    """One installed application: its name, label, folder, models and start-up hook.

    Why a class per app: an app may need to run code once everything is
    loaded (connect signals, check settings), and ``ready()`` is that one
    place; subclass attributes (``label``, ``verbose_name``,
    ``default_auto_field``) adjust the rest.
    """

    # Set by a subclass: the app's package, required (``create`` reads it).
    name: str | None = None

    def __init__(self, app_name: str, app_module):
        self.name = app_name
        self.module = app_module
        self.apps = None  # the registry, set when the app is registered
        # label, verbose_name and path may be set as class attributes by a subclass.
        if not hasattr(self, "label"):
            self.label = app_name.rpartition(".")[2]
        if not self.label.isidentifier():
            raise ImproperlyConfigured(f"The app label '{self.label}' is not a valid Python identifier.")
        if not hasattr(self, "verbose_name"):
            self.verbose_name = self.label.title()
        if not hasattr(self, "path"):
            self.path = path_from_module(app_module)
        self.models_module = None
        self.models = None  # {model_name: model}, filled by import_models

    def __repr__(self):
        return f"<{type(self).__name__}: {self.label}>"

    @property
    def default_auto_field(self) -> str:
        """The primary key field class for this app's models (``DEFAULT_AUTO_FIELD`` unless overridden)."""
        from tinyframe.conf import settings

        return settings.DEFAULT_AUTO_FIELD

    @property
    def _is_default_auto_field_overridden(self) -> bool:
        return type(self).default_auto_field is not AppConfig.default_auto_field

    @classmethod
    def create(cls, entry: str) -> "AppConfig":
        """The configuration for one ``INSTALLED_APPS`` entry: a package path or an AppConfig subclass's path.

        For a package, its ``apps.py`` decides: the one AppConfig subclass
        defined there, or the one marked ``default = True`` among several;
        with none, a plain ``AppConfig``.
        """
        config_class = None
        app_name = None
        try:
            app_module = import_module(entry)
        except ImportError:
            app_module = None
        if app_module is not None:
            if module_has_submodule(app_module, "apps"):
                config_class = cls.find_default_config(f"{entry}.apps")
            if config_class is None:
                config_class, app_name = cls, entry
        if config_class is None:
            config_class = cls.import_config_class(entry)
        if not issubclass(config_class, AppConfig):
            raise ImproperlyConfigured(f"'{entry}' isn't a subclass of AppConfig.")
        if app_name is None:
            app_name = config_class.name
            if app_name is None:
                raise ImproperlyConfigured(f"'{entry}' must supply a name attribute.")
            try:
                app_module = import_module(app_name)
            except ImportError as error:
                raise ImproperlyConfigured(
                    f"Cannot import '{app_name}'. Check that "
                    f"'{config_class.__module__}.{config_class.__qualname__}.name' is correct."
                ) from error
        return config_class(app_name, app_module)

    @classmethod
    def find_default_config(cls, module_path: str):
        """The AppConfig subclass an ``apps`` module offers: its only one, or its one ``default = True``."""
        module = import_module(module_path)
        candidates = [
            (name, candidate) for name, candidate in inspect.getmembers(module, inspect.isclass)
            if issubclass(candidate, cls) and candidate is not cls and getattr(candidate, "default", True)
        ]
        if len(candidates) == 1:
            return candidates[0][1]
        defaults = [(name, candidate) for name, candidate in candidates if getattr(candidate, "default", False)]
        if len(defaults) > 1:
            names = ", ".join(f"'{name}'" for name, _ in defaults)
            raise RuntimeError(f"'{module_path}' declares more than one default AppConfig: {names}.")
        return defaults[0][1] if defaults else None

    @classmethod
    def import_config_class(cls, entry: str):
        """Import the class an entry such as ``"library.apps.LibraryConfig"`` names, listing the choices if absent."""
        module_path, _, class_name = entry.rpartition(".")
        if not module_path or not class_name[:1].isupper():
            import_module(entry)  # raises the ImportError that says why the package is missing
        module = import_module(module_path)
        try:
            return getattr(module, class_name)
        except AttributeError:
            choices = [
                repr(name) for name, candidate in inspect.getmembers(module, inspect.isclass)
                if issubclass(candidate, cls) and candidate is not cls
            ]
            message = f"Module '{module_path}' does not contain a '{class_name}' class."
            if choices:
                message += f" Choices are: {', '.join(choices)}."
            raise ImportError(message) from None

    def import_models(self) -> None:
        """Import the app's ``models`` module, if it has one; its classes register themselves as they are made."""
        self.models = self.apps.all_models[self.label]
        if module_has_submodule(self.module, "models"):
            self.models_module = import_module(f"{self.name}.models")

    def ready(self) -> None:
        """Run once the registry is complete: override to connect signals or check settings."""

    def get_model(self, model_name: str, require_ready: bool = True):
        """The app's model called ``model_name`` (any case), or LookupError."""
        if require_ready:
            self.apps.check_models_ready()
        else:
            self.apps.check_apps_ready()
        try:
            return self.models[model_name.lower()]
        except KeyError:
            error = LookupError(f"App '{self.label}' doesn't have a '{model_name}' model.")
            suggest(error, model_name, [model.__name__ for model in self.models.values()])
            raise error from None

    def get_models(self, include_auto_created: bool = False, include_swapped: bool = False):
        """The app's models, in the order they were defined (auto-created ones only if asked)."""
        self.apps.check_models_ready()
        for model in self.models.values():
            if getattr(model._meta, "auto_created", False) and not include_auto_created:
                continue
            if getattr(model._meta, "swapped", None) and not include_swapped:
                continue
            yield model
