"""The registry a project state's models are rendered into, apart from the project's own.

How it works: ``ProjectState.apps`` makes a ``StateApps`` from the state's
model states: an ``AppConfigStub`` per app label (a label and its models, no
package to import), then ``ModelState.render`` for each model state, which
creates a real model class registered here through its ``Meta.apps``.
Relations resolve through this registry's lazy operations as models arrive,
in any order; many-to-many through models are made as their fields join
their models. What still waits at the end names a model the state does not
have: Django's ValueError, one line per field. Apps without migrations
(``real_apps``) are rendered from the models the project registered.
"""

from tinyframe.apps.config import AppConfig
from tinyframe.apps.registry import Apps
from tinyframe.apps.registry import apps as global_apps

__all__ = ["AppConfigStub", "StateApps"]


class AppConfigStub(AppConfig):
    """The configuration of an app in a ``StateApps``: a label and its models, no package to import."""

    def __init__(self, label: str):
        self.apps = None
        self.label = label
        self.name = label
        self.module = None
        self.models_module = None
        self.models = None
        self.verbose_name = label.title()
        self.path = None

    def import_models(self) -> None:
        """Nothing to import: the app's models are those rendered into the registry."""
        self.models = self.apps.all_models[self.label]


class StateApps(Apps):
    """A registry of the models rendered from a project state, apart from the project's own registry.

    A relation whose target is missing from the state is a ValueError with
    Django's message, naming the field and the model it waits for. Clashing
    reverse accessors are not refused here: a migration's intermediate state
    may hold a model and its replacement side by side (a declined rename
    creates the new model before deleting the old).
    """

    check_relation_clashes = False

    def __init__(self, real_apps, models: dict):
        from tinyframe.db.migrations.state import ModelState  # which imports this module

        super().__init__(installed_apps=None)
        model_states = dict(models)
        for app_label in real_apps:
            # The app's models as registered (an app without migrations, or a test's models).
            for model in list(global_apps.all_models[app_label].values()):
                if model._meta.auto_created:
                    continue
                model_state = ModelState.from_model(model)
                model_states.setdefault((model_state.app_label, model_state.name_lower), model_state)
        labels = sorted({app_label for app_label, _ in model_states} | set(real_apps))
        self.populate([AppConfigStub(label) for label in labels])
        for model_state in model_states.values():
            model_state.render(self)
        errors = self.lazy_reference_errors()
        if errors:
            raise ValueError("\n".join(errors))

    def lazy_reference_errors(self) -> list:
        """Django's message for each relation still waiting for a model the state does not have."""
        from tinyframe.db.models.fields.related_resolution import waiting_field

        errors = []
        for (app_label, model_name), operations in self._pending_operations.items():
            for operation in operations:
                function, field = waiting_field(operation)
                if field is None:
                    continue
                if app_label in self.app_configs:
                    problem = f"app '{app_label}' doesn't provide model '{model_name}'"
                else:
                    problem = f"app '{app_label}' isn't installed"
                errors.append(
                    f"The field {field.model._meta.label}.{field.name} was declared with a lazy reference to "
                    f"'{app_label}.{model_name}', but {problem}."
                )
        return errors
