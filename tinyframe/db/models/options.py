"""Options: everything a model knows about itself, as ``Model._meta``.

How it works: the model metaclass makes one ``Options`` per model class from
its ``class Meta`` and attaches it as ``_meta`` (``contribute_to_class``),
which reads the Meta attributes (``db_table``, ``ordering``,
``unique_together``, ``indexes``, ``constraints``...) and refuses unknown
ones. Each field then files itself with ``add_field`` (kept in declaration
order) and each manager with ``add_manager``; finally ``_prepare`` adds the
automatic ``id`` primary key when no field is one. From then on the query
layer, the schema editor, forms and the admin ask ``_meta`` rather than
inspecting the class: ``_meta.get_field("title")``, ``_meta.pk``,
``_meta.db_table``, ``_meta.concrete_fields``.

>>> Options(None, app_label="library").app_label
'library'
"""

import bisect
import re

from tinyframe.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from tinyframe.utils.functional import cached_property
from tinyframe.utils.suggestions import suggest
# >>> 10_auth
from tinyframe.db.models.swappable import swapped_for
# <<< 10_auth

__all__ = ["DEFAULT_NAMES", "Options", "normalize_together"]

# Every attribute a ``class Meta`` may have. Some (permissions, proxy...) are
# accepted now and used by later chapters.
DEFAULT_NAMES = (
    "verbose_name", "verbose_name_plural", "db_table", "db_table_comment", "ordering", "unique_together",
    "permissions", "get_latest_by", "order_with_respect_to", "app_label", "db_tablespace", "abstract",
    "managed", "proxy", "swappable", "auto_created", "apps", "default_permissions", "select_on_save",
    "default_related_name", "required_db_features", "required_db_vendor", "base_manager_name",
    "default_manager_name", "indexes", "constraints",
)  # fmt: skip


def camel_case_to_spaces(name: str) -> str:
    """The default verbose name of a model class.

    >>> camel_case_to_spaces("BookReview"), camel_case_to_spaces("HTTPLog")
    ('book review', 'http log')
    """
    return re.sub(r"(((?<=[a-z])[A-Z])|([A-Z](?![A-Z]|$)))", r" \1", name).strip().lower()


def normalize_together(option) -> tuple:
    """``unique_together`` as a tuple of tuples, also when one tuple of names was given.

    >>> normalize_together(("a", "b")), normalize_together([["a", "b"], ["c", "d"]])
    ((('a', 'b'),), (('a', 'b'), ('c', 'd')))
    """
    if not option:
        return ()
    if not isinstance(option, (list, tuple)):
        raise TypeError(f"unique_together must be a list or tuple of field names, not {option!r}.")
    if isinstance(option[0], str):
        option = (option,)
    return tuple(tuple(names) for names in option)


class Options:
    """A model's metadata: names, table, fields, managers, ordering and constraints."""

    def __init__(self, meta, app_label: str | None = None):
        from tinyframe.apps import apps

        self.meta = meta
        self.app_label = app_label
        self.local_fields = []
        self.local_managers = []
        self.verbose_name = None
        self.verbose_name_plural = None
        self.db_table = ""
        self.db_table_comment = ""
        self.ordering = []
        self.unique_together = ()
        self.indexes = []
        self.constraints = []
        self.permissions = []
        self.default_permissions = ("add", "change", "delete", "view")
        self.get_latest_by = None
        self.order_with_respect_to = None
        self.db_tablespace = ""
        self.abstract = False
        self.managed = True
        self.proxy = False
        self.swappable = None
        self.auto_created = False
        self.apps = apps
        self.select_on_save = False
        self.default_related_name = None
        self.required_db_features = []
        self.required_db_vendor = None
        self.base_manager_name = None
        self.default_manager_name = None
        self.pk = None
        self.auto_field = None
        self.model = None
        self.parents = {}
        # >>> 07_relations
        self.local_many_to_many = []
        # The rels of the relations pointing at this model, filed as they resolve.
        self._relation_tree = []
        # <<< 07_relations
        # >>> 08_migrations
        # The Meta attributes as the model gave them: the migration state copies these, not the defaults.
        self.original_attrs = {}
        # <<< 08_migrations

    def contribute_to_class(self, cls, name: str) -> None:
        """Attach to model ``cls`` as ``_meta``: take its names and read its ``class Meta``."""
        cls._meta = self
        self.model = cls
        self.object_name = cls.__name__
        self.model_name = self.object_name.lower()
        self.verbose_name = camel_case_to_spaces(self.object_name)
        if self.meta:
            given = {key: value for key, value in vars(self.meta).items() if not key.startswith("_")}
            # Meta inherited from an abstract parent's Meta class counts too.
            for base in type.mro(self.meta)[1:]:
                for key, value in vars(base).items():
                    if not key.startswith("_"):
                        given.setdefault(key, value)
            unknown = [key for key in given if key not in DEFAULT_NAMES]
            if unknown:
                error = TypeError(f"'class Meta' got invalid attribute(s): {','.join(unknown)}")
                suggest(error, unknown[0], DEFAULT_NAMES)
                raise error
            for key, value in given.items():
                setattr(self, key, value)
            # >>> 08_migrations
            self.original_attrs = dict(given)
            # <<< 08_migrations
            self.unique_together = normalize_together(self.unique_together)
            self.ordering = list(self.ordering)
            self.indexes = list(self.indexes)
            self.constraints = list(self.constraints)
        if self.verbose_name_plural is None:
            self.verbose_name_plural = f"{self.verbose_name}s"
        del self.meta
        if not self.db_table:
            self.db_table = f"{self.app_label}_{self.model_name}"

    @property
    def label(self) -> str:
        """``library.Book``: how settings and messages name the model."""
        return f"{self.app_label}.{self.object_name}"

    @property
    def label_lower(self) -> str:
        """``library.book``."""
        return f"{self.app_label}.{self.model_name}"

    @property
    def app_config(self):
        """The installed app this model belongs to, or None (a test's model, with an explicit app_label)."""
        return self.apps.app_configs.get(self.app_label)

    @property
    def concrete_model(self):
        """The model whose table holds the rows (the model itself until proxies and inheritance arrive)."""
        return self.model

    def can_migrate(self, connection) -> bool:
        """Whether ``migrate`` creates this model's table and ``flush`` empties it on ``connection``.

        Not for unmanaged models (``Meta.managed = False``, a table someone
        else looks after) nor proxies, which share another model's table.
        Django also asks whether the model is meant for ``connection``'s kind
        of database (``required_db_vendor``); tinyframe has one backend.
        """
        # >>> 10_auth
        if self.swapped:
            return False  # replaced by the model its setting names (AUTH_USER_MODEL): no table of its own
        # <<< 10_auth
        return self.managed and not self.proxy

    # >>> 10_auth
    @property
    def swapped(self) -> str | None:
        """The label of the model that replaces this one (``Meta.swappable``'s setting names another), else None."""
        return swapped_for(self)

    # <<< 10_auth
    def __repr__(self):
        return f"<Options for {self.object_name}>"

    def __str__(self):
        return self.label_lower

    # -- fields -----------------------------------------------------------------

    def add_field(self, field) -> None:
        """File a field in declaration order; a primary key becomes ``pk``."""
        # >>> 07_relations
        if field.is_relation and field.many_to_many:
            bisect.insort(self.local_many_to_many, field)
            self._expire_cache()
            return
        # <<< 07_relations
        bisect.insort(self.local_fields, field)
        if field.primary_key:
            self.setup_pk(field)
        self._expire_cache()

    def setup_pk(self, field) -> None:
        """Make ``field`` the primary key (``serialize=False``: the key travels separately)."""
        if self.pk is not None:
            raise ImproperlyConfigured(
                f"'{self.object_name}' has more than one field with primary_key=True: "
                f"'{self.pk.name}' and '{field.name}'."
            )
        self.pk = field
        field.serialize = False

    def _prepare(self, model) -> None:
        """Finish the field list: add ``id = AutoField(primary_key=True)`` when no field is the key."""
        if self.pk is None:
            auto = self._get_default_pk_class()(verbose_name="ID", primary_key=True, auto_created=True)
            model.add_to_class("id", auto)

    def _get_default_pk_class(self):
        """The field class named by the app's ``default_auto_field`` or ``DEFAULT_AUTO_FIELD``."""
        from tinyframe.conf import settings
        from tinyframe.db.models.fields import AutoField
        from tinyframe.utils.module_loading import import_string

        app_config = self.app_config
        if app_config is not None and app_config._is_default_auto_field_overridden:
            path = app_config.default_auto_field
            app_class = type(app_config)
            source = f"{app_class.__module__}.{app_class.__qualname__}.default_auto_field"
        else:
            path = settings.DEFAULT_AUTO_FIELD
            source = "DEFAULT_AUTO_FIELD"
        if not path:
            raise ImproperlyConfigured(f"{source} must not be empty.")
        try:
            pk_class = import_string(path)
        except ImportError as error:
            raise ImproperlyConfigured(f"{source} refers to the module '{path}' that could not be imported.") from error
        if not isinstance(pk_class, type) or not issubclass(pk_class, AutoField):
            raise ValueError(f"Primary key '{path}' referred by {source} must subclass AutoField.")
        return pk_class

    def _expire_cache(self) -> None:
        for name in ("fields", "concrete_fields", "local_concrete_fields", "_forward_fields_map",
                     "db_returning_fields", "_non_pk_concrete_field_names"):  # fmt: skip
            self.__dict__.pop(name, None)
        # >>> 07_relations
        for name in ("many_to_many", "related_objects", "fields_map"):
            self.__dict__.pop(name, None)
        # The relations from and to this model keep their hops (path_infos), which name its fields.
        for field in (*self.local_fields, *self.local_many_to_many, *(rel.field for rel in self._relation_tree)):
            if hasattr(field, "forget_path_infos"):
                field.forget_path_infos()
        # <<< 07_relations

    @cached_property
    def fields(self) -> tuple:
        """Every field of the model, in declaration order (the automatic ``id`` first)."""
        return tuple(self.local_fields)

    @cached_property
    def concrete_fields(self) -> tuple:
        """The fields that have a column (all of them, until relations bring ones that do not)."""
        return tuple(field for field in self.fields if field.concrete)

    @cached_property
    def local_concrete_fields(self) -> tuple:
        """The concrete fields declared on this model itself: what an INSERT writes."""
        return tuple(field for field in self.local_fields if field.concrete)

    @cached_property
    def db_returning_fields(self) -> list:
        """The fields whose value the database makes and an INSERT returns (the auto primary key)."""
        return [field for field in self.local_concrete_fields if field.db_returning]

    @cached_property
    def _non_pk_concrete_field_names(self) -> frozenset:
        """The names ``save(update_fields=...)`` may name."""
        names = set()
        for field in self.concrete_fields:
            if not field.primary_key:
                names.update((field.name, field.attname))
        return frozenset(names)

    @cached_property
    def _forward_fields_map(self) -> dict:
        fields = {}
        for field in self.fields:
            fields[field.name] = field
            fields[field.attname] = field
        # >>> 07_relations
        for field in self.local_many_to_many:
            fields[field.name] = field
        # <<< 07_relations
        return fields

    @cached_property
    def _property_names(self) -> frozenset:
        """The model's properties, which the constructor accepts as keyword arguments."""
        names = set()
        for klass in self.model.__mro__:
            names.update(name for name, value in vars(klass).items() if isinstance(value, property))
        return frozenset(names)

    def get_field(self, field_name: str):
        """The field called ``field_name`` (its name or attname); FieldDoesNotExist, with a suggestion, if none."""
        try:
            return self._forward_fields_map[field_name]
        except KeyError:
            # >>> 07_relations
            if field_name in self.fields_map:
                return self.fields_map[field_name]
            # <<< 07_relations
            error = FieldDoesNotExist(f"{self.object_name} has no field named '{field_name}'")
            suggest(error, field_name, [field.name for field in self.fields])
            raise error from None

    def get_fields(self, include_parents: bool = True, include_hidden: bool = False) -> tuple:
        """The model's fields (forward fields only until chapter 07 adds relations)."""
        # >>> 07_relations
        # Django's order: the relations pointing here, the fields, the many-to-many fields.
        reverse = [rel for rel in self._relation_tree if include_hidden or not rel.hidden]
        return (*reverse, *self.fields, *self.local_many_to_many)
        # <<< 07_relations
        return self.fields

    # >>> 07_relations
    @cached_property
    def many_to_many(self) -> tuple:
        """The model's many-to-many fields (they have no column, so they are not in ``fields``)."""
        return tuple(self.local_many_to_many)

    @cached_property
    def related_objects(self) -> tuple:
        """The rels of the relations pointing at this model; hidden ones only for many-to-many (Django's choice)."""
        return tuple(rel for rel in self._relation_tree if not rel.hidden or rel.field.many_to_many)

    @cached_property
    def fields_map(self) -> dict:
        """The reverse relations (hidden ones too) by the name filters use: ``"book"`` for ``Book.author``."""
        return {rel.name: rel for rel in self._relation_tree}

    def _add_relation(self, rel) -> None:
        """File the rel of a relation pointing here (the field does, once it has resolved this model)."""
        self._relation_tree.append(rel)
        self._expire_cache()

    # <<< 07_relations
    # -- managers ---------------------------------------------------------------

    def add_manager(self, manager) -> None:
        """File a manager declared on the model (``Manager.contribute_to_class`` calls this)."""
        self.local_managers.append(manager)
        for name in ("managers", "managers_map", "default_manager"):
            self.__dict__.pop(name, None)

    @cached_property
    def managers(self) -> tuple:
        """The model's managers, its own then those inherited from abstract parents, in declaration order."""
        import copy

        seen, managers = set(), []
        for depth, klass in enumerate(self.model.__mro__):
            klass_meta = getattr(klass, "_meta", None)
            if klass_meta is None:
                continue
            for manager in klass_meta.local_managers:
                if manager.name in seen:
                    continue
                if depth:
                    manager = copy.copy(manager)
                    manager.model = self.model
                seen.add(manager.name)
                managers.append((depth, getattr(manager, "creation_counter", 0), manager))
        return tuple(manager for _, _, manager in sorted(managers, key=lambda item: item[:2]))

    @cached_property
    def managers_map(self) -> dict:
        """The managers by name (kept: ``Book.objects`` reads it on every use; ``add_manager`` forgets it)."""
        return {manager.name: manager for manager in self.managers}

    def manager_named(self, name: str):
        """The manager called ``name``, as ``Meta.default_manager_name`` or ``base_manager_name`` gives it."""
        try:
            return self.managers_map[name]
        except KeyError:
            raise ValueError(f"{self.object_name} has no manager named {name!r}") from None

    @cached_property
    def default_manager(self):
        """The manager other code uses for this model: ``Meta.default_manager_name``, else the first declared."""
        if self.default_manager_name:
            return self.manager_named(self.default_manager_name)
        return self.managers[0] if self.managers else None

    @cached_property
    def base_manager(self):
        """A plain manager, without a custom manager's filters, for saving, refreshing and validating."""
        from tinyframe.db.models.manager import Manager

        if self.base_manager_name:
            return self.manager_named(self.base_manager_name)
        manager = Manager()
        manager.name = "_base_manager"
        manager.model = self.model
        manager.auto_created = True
        return manager
