"""The application registry: which apps are installed, and which models each one has.

How it works: ``apps.populate(settings.INSTALLED_APPS)`` (``tinyframe.setup()``
calls it) runs once per process, in three phases, each flagged when done:

1. ``AppConfig.create`` makes a configuration for every entry, and labels
   are checked to be unique (``apps_ready``);
2. each app's ``models`` module is imported; every model class registers
   itself under its app's label as Python creates it, through
   ``register_model`` (``models_ready``);
3. each configuration's ``ready()`` runs (``ready``).

After that, ``apps.get_model("library", "Book")`` (or ``"library.Book"``)
finds a model by name, which is how code refers to a model it cannot import
(settings, other apps, a model not yet defined). Models register in
``all_models`` even before population, and even outside installed apps (a
test's models, with an explicit ``Meta.app_label``).

>>> registry = Apps(installed_apps=["json"])
>>> registry.get_app_config("json")
<AppConfig: json>
>>> registry.ready, [config.label for config in registry.get_app_configs()]
(True, ['json'])
"""

import threading
# >>> 07_relations
import functools
# <<< 07_relations
import warnings
from collections import Counter, defaultdict

from tinyframe.apps.config import AppConfig
from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.utils.suggestions import suggest

__all__ = ["AppRegistryNotReady", "Apps", "apps"]


class AppRegistryNotReady(Exception):
    """The registry was asked for apps or models before ``populate`` loaded them (call ``tinyframe.setup()``)."""


class Apps:
    """A registry of application configurations and their models.

    Why a class and not module globals: the project has one (``apps``), but
    tests and tools can make their own, populated with other apps, without
    touching the project's.
    """

    def __init__(self, installed_apps=()):
        # Every model ever registered, by app label then lower-case model name,
        # filled as model classes are created, before or after population.
        self.all_models: defaultdict[str, dict] = defaultdict(dict)
        self.app_configs: dict[str, AppConfig] = {}
        self.stored_app_configs: list[dict[str, AppConfig]] = []  # see set_installed_apps
        self.apps_ready = self.models_ready = self.ready = False
        self.ready_event = threading.Event()
        # Re-entrant: an app's models module or ready() may look something up.
        self._lock = threading.RLock()
        self.loading = False
        # >>> 07_relations
        # Functions waiting for models not registered yet, by (app_label, model_name).
        self._pending_operations: defaultdict[tuple, list] = defaultdict(list)
        # <<< 07_relations
        if installed_apps is not None:
            self.populate(installed_apps)

    def populate(self, installed_apps=None) -> None:
        """Load the configurations and models of ``installed_apps``, once; later calls do nothing.

        Thread-safe: a second thread calling at the same time waits for the
        first to finish. A failure leaves the registry empty, so the project
        can fix its settings and call again.
        """
        if self.ready:
            return
        with self._lock:
            if self.ready:
                return
            if self.loading:
                # An app's models or ready() called populate(): it would see half a registry.
                raise RuntimeError("populate() isn't reentrant")
            self.loading = True
            try:
                self.load_app_configs(installed_apps or ())
                for app_config in self.app_configs.values():
                    app_config.import_models()
                self.models_ready = True
                # >>> 07_relations
                if any(self._pending_operations.values()):
                    # Imported only when a relation waits: a project without models never loads the ORM here.
                    from tinyframe.db.models.fields.related import check_pending_relations

                    check_pending_relations(self)
                # <<< 07_relations
                for app_config in self.get_app_configs():
                    app_config.ready()
            except BaseException:
                self.app_configs = {}
                self.apps_ready = self.models_ready = False
                raise
            finally:
                self.loading = False
            self.ready = True
            self.ready_event.set()

    def load_app_configs(self, installed_apps) -> None:
        """Phase 1: an AppConfig for every entry; labels and names must be unique."""
        for entry in installed_apps:
            app_config = entry if isinstance(entry, AppConfig) else AppConfig.create(entry)
            if app_config.label in self.app_configs:
                raise ImproperlyConfigured(f"Application labels aren't unique, duplicates: {app_config.label}")
            self.app_configs[app_config.label] = app_config
            app_config.apps = self
        counts = Counter(app_config.name for app_config in self.app_configs.values())
        duplicates = [name for name, count in counts.most_common() if count > 1]
        if duplicates:
            raise ImproperlyConfigured(f"Application names aren't unique, duplicates: {', '.join(duplicates)}")
        self.apps_ready = True

    def check_apps_ready(self) -> None:
        """Raise AppRegistryNotReady unless the app configurations are loaded."""
        if not self.apps_ready:
            raise AppRegistryNotReady("Apps aren't loaded yet.")

    def check_models_ready(self) -> None:
        """Raise AppRegistryNotReady unless the models are loaded."""
        if not self.models_ready:
            raise AppRegistryNotReady("Models aren't loaded yet.")

    def get_app_configs(self):
        """Every installed app's configuration, in INSTALLED_APPS order."""
        self.check_apps_ready()
        return self.app_configs.values()

    def get_app_config(self, app_label: str) -> AppConfig:
        """The configuration of the app labelled ``app_label``; LookupError naming the installed labels if none."""
        self.check_apps_ready()
        try:
            return self.app_configs[app_label]
        except KeyError:
            pass
        message = f"No installed app with label '{app_label}'."
        for app_config in self.app_configs.values():
            if app_config.name == app_label:  # the package name given instead of the label
                message += f" Did you mean '{app_config.label}'?"
                break
        error = LookupError(message)
        labels = ", ".join(sorted(self.app_configs)) or "none"
        error.add_note(f"Installed app labels: {labels}.")
        if "Did you mean" not in message:
            suggest(error, app_label, self.app_configs)
        raise error

    def get_models(self, include_auto_created: bool = False, include_swapped: bool = False) -> list:
        """Every model of every installed app (not those of models outside installed apps)."""
        self.check_models_ready()
        return [
            model
            for app_config in self.app_configs.values()
            for model in app_config.get_models(include_auto_created, include_swapped)
        ]

    def get_model(self, app_label: str, model_name: str | None = None, require_ready: bool = True):
        """The model ``app_label.ModelName``, given as one dotted string or two; the model name in any case.

        >>> Apps(installed_apps=[]).get_model("library")
        Traceback (most recent call last):
          ...
        ValueError: get_model() needs 'app_label.ModelName' or two arguments, not 'library'.
        """
        if require_ready:
            self.check_models_ready()
        else:
            self.check_apps_ready()
        if model_name is None:
            app_label, dot, model_name = app_label.partition(".")
            if not dot or "." in model_name:
                raise ValueError(
                    f"get_model() needs 'app_label.ModelName' or two arguments, not '{app_label}{dot}{model_name}'."
                )
        app_config = self.get_app_config(app_label)
        if not require_ready and app_config.models is None:
            app_config.import_models()
        return app_config.get_model(model_name, require_ready=require_ready)

    def register_model(self, app_label: str, model) -> None:
        """File a model class under its app's label (the model metaclass calls this).

        The same class again changes nothing. Another class of the same name
        from the same module (a module imported twice) replaces it with a
        warning; one from elsewhere is an error, since ``get_model`` could not
        tell the two apart.
        """
        model_name = model._meta.model_name
        app_models = self.all_models[app_label]
        existing = app_models.get(model_name)
        if existing is model:
            return
        if existing is not None:
            if model.__name__ == existing.__name__ and model.__module__ == existing.__module__:
                warnings.warn(
                    f"Model '{app_label}.{model_name}' was already registered. Reloading models is not "
                    f"advised as it can lead to inconsistencies, most notably with related models.",
                    RuntimeWarning,
                    stacklevel=2,
                )
            else:
                raise RuntimeError(
                    f"Conflicting '{model_name}' models in application '{app_label}': {existing} and {model}."
                )
        app_models[model_name] = model
        # >>> 07_relations
        self.do_pending_operations(model, app_label)
        # <<< 07_relations

    # >>> 07_relations
    def lazy_model_operation(self, function, *model_keys) -> None:
        """Call ``function(*models)`` once every model named by ``model_keys`` is registered; now if they are.

        A key is ``(app_label, model_name)``, the name in lower case. Relations
        use it: ``ForeignKey("Author")`` in ``Book`` can only point at
        ``Author`` once that class exists, which may be after ``Book``.
        """
        if not model_keys:
            function()
            return
        first_key, *other_keys = model_keys
        try:
            model = self.get_registered_model(*first_key)
        except LookupError:
            # Wait for it: do_pending_operations calls continue_lazy_operation with the model.
            self._pending_operations[first_key].append(
                functools.partial(self.continue_lazy_operation, function, other_keys)
            )
        else:
            self.continue_lazy_operation(function, other_keys, model)

    def continue_lazy_operation(self, function, model_keys, model) -> None:
        """``function`` has ``model`` now: give it, and wait for the models still missing."""
        self.lazy_model_operation(functools.partial(function, model), *model_keys)

    def do_pending_operations(self, model, app_label: str) -> None:
        """Run what waited for ``model`` (``register_model`` calls this as the model is filed)."""
        for operation in self._pending_operations.pop((app_label, model._meta.model_name), []):
            operation(model)

    # <<< 07_relations
    def is_installed(self, app_name: str) -> bool:
        """Whether the app with package name ``app_name`` is installed."""
        self.check_apps_ready()
        return any(app_config.name == app_name for app_config in self.app_configs.values())

    def get_containing_app_config(self, object_name: str) -> AppConfig | None:
        """The installed app whose package holds the module ``object_name``, the innermost one; None if none.

        The model metaclass asks it for a model's default app label.
        """
        self.check_apps_ready()
        candidates = [
            app_config for app_config in self.app_configs.values()
            if object_name == app_config.name or object_name.startswith(app_config.name + ".")
        ]
        return max(candidates, key=lambda app_config: len(app_config.name), default=None)

    def get_registered_model(self, app_label: str, model_name: str):
        """A registered model by label and name, installed app or not, without waiting for population."""
        model = self.all_models[app_label].get(model_name.lower())
        if model is None:
            raise LookupError(f"Model '{app_label}.{model_name}' not registered.")
        return model

    def set_installed_apps(self, installed) -> None:
        """Replace the installed apps with ``installed`` until ``unset_installed_apps`` (for tests).

        Why: the registry is filled once, from the settings at start-up, but
        a test that overrides INSTALLED_APPS expects the registry to list the
        apps it named. Models stay in ``all_models``; only the apps change. If
        the new apps cannot load, the previous ones come back before the error
        propagates.
        """
        if not self.ready:
            raise AppRegistryNotReady("App registry isn't ready yet.")
        self.stored_app_configs.append(self.app_configs)
        self.app_configs = {}
        self.apps_ready = self.models_ready = self.ready = False
        try:
            self.populate(installed)
        except BaseException:
            self.unset_installed_apps()
            raise

    def unset_installed_apps(self) -> None:
        """Put back the apps that the matching ``set_installed_apps`` replaced."""
        self.app_configs = self.stored_app_configs.pop()
        self.apps_ready = self.models_ready = self.ready = True

    def clear_cache(self) -> None:
        """Forget cached lookups (nothing is cached here yet; kept for Django's API)."""


# The project's registry, populated by tinyframe.setup().
apps = Apps(installed_apps=None)
