"""The project state: what the models looked like after some migrations, without a database.

How it works: a ``ModelState`` describes one model as data (app label,
name, a dict of unbound fields, Meta options, bases, managers); a
``ProjectState`` holds them by ``(app_label, model_name_lower)``. Each
operation of a migration changes a ProjectState in ``state_forwards``
(``state.add_field(...)``, ``state.remove_model(...)``), so replaying the
operations of every migration in order rebuilds the models as the files
describe them, with no table read:

>>> from tinyframe.db import models
>>> state = ProjectState()
>>> state.add_model(ModelState("blog", "Post", [
...     ("id", models.AutoField(primary_key=True)),
...     ("title", models.CharField(max_length=200)),
... ]))
>>> Post = state.apps.get_model("blog", "Post")
>>> [field.name for field in Post._meta.fields], Post._meta.db_table
(['id', 'title'], 'blog_post')

``state.apps`` renders the states into a ``StateApps`` (``state_apps.py``): a registry of its
own holding REAL model classes (``ModelState.render``), relations and
many-to-many through models included, which the schema editor and
``RunPython`` code use like the project's models. These "historical" models
never touch the project's registry, ``tinyframe.apps.apps``. The rendering is
cached until the state changes; a clone shares it until one of them changes.
"""

import copy

from tinyframe.db import models
from tinyframe.db.migrations.exceptions import InvalidBasesError
from tinyframe.db.migrations.state_apps import AppConfigStub, StateApps
from tinyframe.db.models.options import DEFAULT_NAMES, normalize_together

__all__ = ["AppConfigStub", "ModelState", "ProjectState", "StateApps", "reference_label", "relation_label"]


def rename_in_together(together, old_name: str, new_name: str) -> set:
    """``unique_together`` with a field renamed in every tuple.

    >>> sorted(rename_in_together({("a", "b")}, "a", "z"))
    [('z', 'b')]
    """
    return {tuple(new_name if name == old_name else name for name in names) for names in together}


class ProjectState:
    """Every model of the project at one point of its migration history.

    ``models`` maps ``(app_label, model_name_lower)`` to a ``ModelState``;
    ``real_apps`` names apps without migrations, whose models are taken as
    they are in the project's registry when the state is rendered.
    """

    def __init__(self, models: dict | None = None, real_apps=None):
        self.models = models or {}
        self.real_apps = set(real_apps or ())
        self._apps = None

    # -- the rendered models ----------------------------------------------------------

    @property
    def apps(self) -> "StateApps":
        """A registry of real model classes made from the model states (rendered once, until the state changes)."""
        if self._apps is None:
            self._apps = StateApps(self.real_apps, self.models)
        return self._apps

    def reload_model(self, app_label: str, model_name: str, delay: bool = False) -> None:
        """Forget the rendered models after a change (Django re-renders just the related ones; all are redone here)."""
        self._apps = None

    def clear_delayed_apps_cache(self) -> None:
        """Nothing to do: Django delays re-rendering some models; this state re-renders all of them on demand."""

    # -- models ---------------------------------------------------------------------------

    def add_model(self, model_state: "ModelState") -> None:
        """Add a model; it replaces one of the same app and name."""
        self.models[model_state.app_label, model_state.name_lower] = model_state
        self.reload_model(model_state.app_label, model_state.name_lower)

    def remove_model(self, app_label: str, model_name: str) -> None:
        """Remove the model ``app_label.model_name`` (lower case)."""
        del self.models[app_label, model_name]
        self.reload_model(app_label, model_name)

    def rename_model(self, app_label: str, old_name: str, new_name: str) -> None:
        """Rename a model, and point every relation to it at the new name."""
        old_key = app_label, old_name.lower()
        new_key = app_label, new_name.lower()
        renamed = self.models.pop(old_key).clone()
        renamed.name = new_name
        self.models[new_key] = renamed
        old_label, new_label = f"{app_label}.{old_name.lower()}", f"{app_label}.{new_name.lower()}"
        for model_state in self.models.values():
            for name, field in list(model_state.fields.items()):
                if not field.is_relation:
                    continue
                changed = None
                if relation_label(field, model_state.app_label) == old_label:
                    changed = field.clone()
                    changed.remote_field.model = new_label
                through = getattr(field.remote_field, "through", None)
                if isinstance(through, str) and reference_label(through, model_state.app_label) == old_label:
                    changed = changed or field.clone()
                    changed.remote_field.through = f"{app_label}.{new_name}"
                if changed is not None:
                    model_state.fields[name] = changed
        self.reload_model(app_label, new_name.lower())

    def alter_model_options(self, app_label: str, model_name: str, options: dict, option_keys=None) -> None:
        """Set ``options``; each of ``option_keys`` missing from them is removed (back to its default)."""
        model_state = self.models[app_label, model_name]
        model_state.options = {**model_state.options, **options}
        for key in option_keys or ():
            if key not in options:
                model_state.options.pop(key, None)
        self.reload_model(app_label, model_name)

    # -- indexes and constraints -----------------------------------------------------------

    def add_index(self, app_label: str, model_name: str, index) -> None:
        """Add a (named) index to the model's ``Meta.indexes``."""
        model_state = self.models[app_label, model_name]
        model_state.options["indexes"] = [*model_state.options.get("indexes", []), index]
        self.reload_model(app_label, model_name)

    def remove_index(self, app_label: str, model_name: str, index_name: str) -> None:
        """Remove the index called ``index_name``."""
        model_state = self.models[app_label, model_name]
        model_state.options["indexes"] = [
            index for index in model_state.options.get("indexes", []) if index.name != index_name
        ]
        self.reload_model(app_label, model_name)

    def add_constraint(self, app_label: str, model_name: str, constraint) -> None:
        """Add a constraint to the model's ``Meta.constraints``."""
        model_state = self.models[app_label, model_name]
        model_state.options["constraints"] = [*model_state.options.get("constraints", []), constraint]
        self.reload_model(app_label, model_name)

    def remove_constraint(self, app_label: str, model_name: str, constraint_name: str) -> None:
        """Remove the constraint called ``constraint_name``."""
        model_state = self.models[app_label, model_name]
        model_state.options["constraints"] = [
            constraint for constraint in model_state.options.get("constraints", [])
            if constraint.name != constraint_name
        ]
        self.reload_model(app_label, model_name)

    # -- fields ------------------------------------------------------------------------------

    def add_field(self, app_label: str, model_name: str, name: str, field, preserve_default: bool = True) -> None:
        """Add ``field`` as ``name``; without ``preserve_default`` its default was only for the existing rows.

        The rule lives in one place, ``AddField.state_forwards``: this asks it.
        """
        from tinyframe.db.migrations.operations import AddField

        AddField(model_name, name, field, preserve_default).state_forwards(app_label, self)

    def remove_field(self, app_label: str, model_name: str, name: str) -> None:
        """Remove the field ``name`` from the model."""
        del self.models[app_label, model_name].fields[name]
        self.reload_model(app_label, model_name)

    def alter_field(self, app_label: str, model_name: str, name: str, field, preserve_default: bool = True) -> None:
        """Replace the field ``name`` by ``field``, keeping its place among the fields."""
        if not preserve_default:
            field = field.clone()
            field.default = models.NOT_PROVIDED
        fields = self.models[app_label, model_name].fields
        if name not in fields:
            raise models.FieldDoesNotExist(f"{app_label}.{model_name} has no field named '{name}'")
        fields[name] = field
        self.reload_model(app_label, model_name)

    def rename_field(self, app_label: str, model_name: str, old_name: str, new_name: str) -> None:
        """Rename a field, and the options and relations that name it.

        The renamed field moves to the end of the model's fields, as in
        Django's state: a table rebuilt later puts its column last, as
        Django's does.
        """
        model_state = self.models[app_label, model_name]
        if old_name not in model_state.fields:
            raise models.FieldDoesNotExist(f"{app_label}.{model_name} has no field named '{old_name}'")
        model_state.fields[new_name] = model_state.fields.pop(old_name)
        options = model_state.options
        if options.get("unique_together"):
            options["unique_together"] = rename_in_together(options["unique_together"], old_name, new_name)
        # Copies, changed: the indexes and constraints may be an operation's own, reused at every load.
        options["indexes"] = [index.clone() for index in options.get("indexes", [])]
        options["constraints"] = [constraint.clone() for constraint in options.get("constraints", [])]
        for index in options["indexes"]:
            index.fields = [
                f"-{new_name}" if name == f"-{old_name}" else new_name if name == old_name else name
                for name in index.fields
            ]
            index.fields_orders = [
                (new_name if name == old_name else name, order) for name, order in index.fields_orders
            ]
        for constraint in options["constraints"]:
            if hasattr(constraint, "fields"):
                constraint.fields = tuple(new_name if name == old_name else name for name in constraint.fields)
        # A key pointing at the renamed field by to_field follows it.
        label = f"{app_label}.{model_name}"
        for other in self.models.values():
            for name, field in list(other.fields.items()):
                rel = field.remote_field
                if field.is_relation and relation_label(field, other.app_label) == label:
                    if getattr(rel, "field_name", None) == old_name:
                        changed = field.clone()
                        changed.remote_field.field_name = new_name
                        other.fields[name] = changed
        self.reload_model(app_label, model_name)

    # -- copies ---------------------------------------------------------------------------------

    def clone(self) -> "ProjectState":
        """A copy to change without changing this one (the models deep enough: fields, options)."""
        new_state = ProjectState(
            models={key: model_state.clone() for key, model_state in self.models.items()},
            real_apps=self.real_apps,
        )
        # The rendering is read-only, so the copy may share it until either changes.
        new_state._apps = self._apps
        return new_state

    @classmethod
    def from_apps(cls, apps) -> "ProjectState":
        """The state of every model of a registry (the project's models as they are now)."""
        app_models = {}
        for model in apps.get_models(include_swapped=True):
            model_state = ModelState.from_model(model)
            app_models[model_state.app_label, model_state.name_lower] = model_state
        return cls(app_models)

    def __eq__(self, other):
        if not isinstance(other, ProjectState):
            return NotImplemented
        return self.models == other.models and self.real_apps == other.real_apps

    def __repr__(self):
        labels = ", ".join(f"{app_label}.{name}" for app_label, name in sorted(self.models))
        return f"<ProjectState: {labels}>"


def reference_label(name: str, app_label: str) -> str:
    """A model named in a field of app ``app_label`` (``"Tag"``, ``"shop.Tag"``), as ``"app_label.model_name"``.

    >>> reference_label("Membership", "club"), reference_label("shop.Tag", "club")
    ('club.membership', 'shop.tag')
    """
    if "." not in name:
        return f"{app_label}.{name.lower()}"
    target_app, target_name = name.split(".")
    return f"{target_app}.{target_name.lower()}"


def resolve_relation(model, app_label: str, model_name: str) -> tuple[str, str]:
    """The ``(app_label, model_name_lower)`` a relation's target names, seen from ``app_label.model_name``.

    >>> resolve_relation("self", "blog", "post"), resolve_relation("Author", "blog", "post")
    (('blog', 'post'), ('blog', 'author'))
    >>> resolve_relation("auth.User", "blog", "post")
    ('auth', 'user')
    """
    if isinstance(model, str):
        if model == "self":
            return app_label, model_name.lower()
        if "." in model:
            target_app, target_model = model.split(".", 1)
            return target_app, target_model.lower()
        return app_label, model.lower()
    return model._meta.app_label, model._meta.model_name


def relation_label(field, app_label: str) -> str:
    """The target of a relation field of a model state, as ``"app_label.model_name"`` in lower case."""
    target = field.remote_field.model
    if isinstance(target, str):
        return reference_label(target, app_label)
    return target._meta.label_lower


def field_references_model(field, label: str, app_label: str) -> bool:
    """Whether a field of a model state in ``app_label`` involves the model ``label`` (``"shop.tag"``).

    It does when it is a relation to that model, or a many-to-many through it.
    """
    if not field.is_relation:
        return False
    through = getattr(field.remote_field, "through", None)
    if isinstance(through, str) and reference_label(through, app_label) == label:
        return True
    return relation_label(field, app_label) == label


class ModelState:
    """One model as data: ``ModelState("blog", "Post", fields, options, bases, managers)``.

    ``fields`` is a dict (or a list of pairs) of field name to an UNBOUND
    field (not attached to a model class), and relations name their targets
    as ``"app_label.model_name"`` strings; ``options`` are Meta options.
    """

    def __init__(self, app_label: str, name: str, fields, options: dict | None = None, bases=None, managers=None):
        self.app_label = app_label
        self.name = name
        self.fields = dict(fields)
        self.options = options or {}
        self.options.setdefault("indexes", [])
        self.options.setdefault("constraints", [])
        self.bases = bases or (models.Model,)
        self.managers = managers or []
        for name, field in self.fields.items():
            # A field of a model class carries that class in its rel and
            # accessors: rendering it into another registry would mix the two.
            if hasattr(field, "model"):
                raise ValueError(f'ModelState.fields cannot be bound to a model - "{name}" is.')
            if field.is_relation and hasattr(field.remote_field.model, "_meta"):
                raise ValueError(
                    f'ModelState.fields cannot refer to a model class - "{name}.to" does. '
                    "Use a string reference instead."
                )
            through = getattr(field.remote_field, "through", None)
            if field.many_to_many and hasattr(through, "_meta"):
                raise ValueError(
                    f'ModelState.fields cannot refer to a model class - "{name}.through" does. '
                    "Use a string reference instead."
                )
        for index in self.options["indexes"]:
            if not index.name:
                raise ValueError(
                    "Indexes passed to ModelState require a name attribute. "
                    f"{index!r} doesn't have one."
                )

    @property
    def name_lower(self) -> str:
        """The model's name in lower case, as state keys hold it."""
        return self.name.lower()

    def get_field(self, field_name: str):
        """The field called ``field_name``; KeyError if the model state has none."""
        return self.fields[field_name]

    @classmethod
    def from_model(cls, model, exclude_rels: bool = False) -> "ModelState":
        """The state of a model class: its fields cloned, the Meta options it was given, its bases."""
        opts = model._meta
        fields = []
        for field in (*opts.local_fields, *opts.local_many_to_many):
            if exclude_rels and field.is_relation:
                continue
            try:
                fields.append((field.name, field.clone()))
            except TypeError as error:
                raise TypeError(f"Couldn't reconstruct field {field.name} on {opts.label}: {error}") from error
        options = {}
        for name in DEFAULT_NAMES:
            if name in ("apps", "app_label") or name not in opts.original_attrs:
                continue
            value = opts.original_attrs[name]
            if name == "unique_together":
                options[name] = set(normalize_together(value))
            elif name == "indexes":
                indexes = [index.clone() for index in opts.indexes]
                for index in indexes:
                    if not index.name:
                        index.set_name_with_model(model)
                options[name] = indexes
            elif name == "constraints":
                options[name] = [constraint.clone() for constraint in opts.constraints]
            else:
                options[name] = copy.deepcopy(value)
        if exclude_rels:
            options.pop("unique_together", None)
        if "indexes" not in options:
            # Unnamed indexes get their names when the model is prepared; Meta may name none.
            options["indexes"] = [index.clone() for index in opts.indexes]
        managers = [
            (manager.name, copy.copy(manager)) for manager in opts.managers
            if getattr(manager, "use_in_migrations", False)
        ]  # fmt: skip
        return cls(opts.app_label, opts.object_name, fields, options, flatten_bases(model), managers)

    def clone(self) -> "ModelState":
        """A copy whose fields, options and managers can change without changing this one."""
        options = {}
        for key, value in self.options.items():
            if key in ("indexes", "constraints"):
                options[key] = [item.clone() for item in value]
            else:
                options[key] = copy.deepcopy(value)
        return ModelState(
            self.app_label, self.name, {name: field.clone() for name, field in self.fields.items()},
            options, self.bases, list(self.managers),
        )  # fmt: skip

    def render(self, apps):
        """A real model class made from this state, registered in ``apps`` (a ``StateApps``)."""
        meta_attributes = {"app_label": self.app_label, "apps": apps}
        for key, value in self.options.items():
            if key == "unique_together":
                value = sorted(value or ())  # a set in the state; sorted, so the SQL comes out the same each time
            elif key in ("indexes", "constraints"):
                value = [item.clone() for item in value]
            meta_attributes[key] = value
        meta = type("Meta", (), meta_attributes)
        try:
            bases = [
                apps.get_registered_model(*base.split(".")) if isinstance(base, str) else base for base in self.bases
            ]
        except LookupError:
            raise InvalidBasesError(f"Cannot resolve one or more bases from {self.bases!r}") from None
        body = {name: field.clone() for name, field in self.fields.items()}
        body["Meta"] = meta
        body["__module__"] = "__fake__"
        for name, manager in self.managers:
            body[name] = copy.copy(manager)
        return type(self.name, tuple(bases), body)

    def get_index_by_name(self, name: str):
        """The index called ``name``; ValueError if the model has none."""
        for index in self.options["indexes"]:
            if index.name == name:
                return index
        raise ValueError(f"No index named {name} on model {self.name}")

    def get_constraint_by_name(self, name: str):
        """The constraint called ``name``; ValueError if the model has none."""
        for constraint in self.options["constraints"]:
            if constraint.name == name:
                return constraint
        raise ValueError(f"No constraint named {name} on model {self.name}")

    def __repr__(self):
        return f"<{type(self).__name__}: '{self.app_label}.{self.name}'>"

    def __eq__(self, other):
        if not isinstance(other, ModelState):
            return NotImplemented
        return (
            (self.app_label, self.name) == (other.app_label, other.name)
            and list(self.fields) == list(other.fields)
            and all(
                field.deconstruct()[1:] == other.fields[name].deconstruct()[1:]
                for name, field in self.fields.items()
            )
            and self.options == other.options
            and self.bases == other.bases
            and [name for name, _ in self.managers] == [name for name, _ in other.managers]
        )


def flatten_bases(model) -> tuple:
    """A model state's bases: the model's base classes, abstract models replaced by their own bases.

    An abstract model is not kept (its fields were copied into the model), a
    concrete one is named by its label, anything else (``Model``, a mixin) is
    kept as the class, in the model's MRO order:

    >>> from tinyframe.db import models
    >>> class Stamped(models.Model):
    ...     class Meta:
    ...         abstract, app_label = True, "notes"
    >>> class Note(Stamped):
    ...     class Meta:
    ...         app_label = "notes"
    ...         apps = StateApps([], {})
    >>> flatten_bases(Note) == (models.Model,)
    True
    """

    def flatten(klass) -> list:
        bases = []
        for base in klass.__bases__:
            meta = getattr(base, "_meta", None)
            bases.extend(flatten(base) if meta is not None and meta.abstract else [base])
        return bases

    unique = sorted(set(flatten(model)), key=model.__mro__.index)
    bases = tuple(base._meta.label_lower if hasattr(base, "_meta") else base for base in unique)
    if not any(isinstance(base, str) or issubclass(base, models.Model) for base in bases):
        bases = (models.Model,)
    return bases
