"""The engines of the ``TEMPLATES`` setting, and where installed apps keep templates.

How it works: ``EngineHandler`` (``tinyframe.template.engines``) reads
``settings.TEMPLATES`` — a list of dicts, one per engine, each naming a
``BACKEND`` class — checks it, and builds each engine the first time it is
asked for by alias (``engines["django"]``) or with ``all()``. When the setting
changes (a test's ``override_settings``), the engines are built again.
``get_app_template_dirs`` finds the ``templates/`` directory of each package
in ``INSTALLED_APPS``, for the app directories loader.
"""

import os
from importlib import import_module

from tinyframe.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from tinyframe.utils.module_loading import import_string


class InvalidTemplateEngineError(ImproperlyConfigured):
    """An engine alias that ``TEMPLATES`` does not define."""


class EngineHandler:
    """The configured template engines, by alias, built on first use."""

    def __init__(self, templates=None):
        # None: read settings.TEMPLATES (and follow its changes).
        self._templates = templates
        self._engines: dict = {}
        self._configured_from = None

    @property
    def templates(self) -> dict:
        """``{alias: options}`` for each engine of the setting, with defaults filled in.

        An engine's alias is its ``NAME``, or else the second-to-last part of
        its ``BACKEND`` path (``django`` for ``...backends.django.DjangoTemplates``).
        """
        source = self._templates
        if source is None:
            from tinyframe.conf import settings

            source = settings.TEMPLATES
        if self._configured_from is not source:
            # A different TEMPLATES list: forget the engines built from the old one.
            self._engines = {}
            self._templates_by_alias = self._configure(source)
            self._configured_from = source
        return self._templates_by_alias

    @staticmethod
    def _configure(templates) -> dict:
        by_alias = {}
        backend_names = []
        for tpl in templates:
            try:
                # This will raise an exception if 'BACKEND' doesn't exist.
                default_name = tpl["BACKEND"].rsplit(".", 2)[-2]
            except Exception:
                invalid_backend = tpl.get("BACKEND", "<not defined>")
                raise ImproperlyConfigured(
                    f"Invalid BACKEND for a template engine: {invalid_backend}. Check your TEMPLATES setting."
                ) from None
            tpl = {"NAME": default_name, "DIRS": [], "APP_DIRS": False, "OPTIONS": {}, **tpl}
            by_alias[tpl["NAME"]] = tpl
            backend_names.append(tpl["NAME"])
        duplicates = sorted({name for name in backend_names if backend_names.count(name) > 1})
        if duplicates:
            raise ImproperlyConfigured(
                "Template engine aliases aren't unique, duplicates: {}. Set a unique NAME for each engine "
                "in settings.TEMPLATES.".format(", ".join(duplicates))
            )
        return by_alias

    def __getitem__(self, alias: str):
        templates = self.templates
        try:
            return self._engines[alias]
        except KeyError:
            try:
                params = templates[alias]
            except KeyError:
                raise InvalidTemplateEngineError(
                    f"Could not find config for '{alias}' in settings.TEMPLATES"
                ) from None
            # Shallow copy: the backend pops keys off the dict.
            params = dict(params)
            backend_class = import_string(params.pop("BACKEND"))
            engine = backend_class(params)
            self._engines[alias] = engine
            return engine

    def __iter__(self):
        return iter(self.templates)

    def all(self) -> list:
        """Every configured engine, built if need be, in the setting's order."""
        return [self[alias] for alias in self]


def get_app_template_dirs(dirname: str = "templates") -> tuple[str, ...]:
    """The ``dirname`` directories of the installed apps' packages that have one."""
    from tinyframe.conf import settings

    directories = []
    for app in settings.INSTALLED_APPS:
        # >>> 06_orm
        # From chapter 06 an entry may name an AppConfig subclass
        # ("tinyframe.contrib.admin.apps.SimpleAdminConfig"): look in the
        # package it configures, as Django reads its app configs' paths.
        from tinyframe.apps.config import app_package_name

        app = app_package_name(app)
        # <<< 06_orm
        try:
            module = import_module(app)
        except ImportError as error:
            raise ImproperlyConfigured(f"INSTALLED_APPS names {app!r}, which can't be imported: {error}") from error
        for path in getattr(module, "__path__", []):
            candidate = os.path.join(path, dirname)
            if os.path.isdir(candidate):
                directories.append(candidate)
    return tuple(directories)


def safe_join(base: str, *paths: str) -> str:
    """Join ``paths`` onto ``base`` and refuse a result outside ``base``.

    ``../`` and absolute paths could otherwise reach any file (a template
    named ``../../etc/passwd``); a path that escapes raises
    ``SuspiciousFileOperation``, as in Django.

    >>> safe_join("/srv/templates", "blog/post.html")
    '/srv/templates/blog/post.html'
    >>> safe_join("/srv/templates", "../../etc/passwd")
    Traceback (most recent call last):
      ...
    tinyframe.core.exceptions.SuspiciousFileOperation: The joined path (/etc/passwd) is located outside of the base path component (/srv/templates)
    """
    final_path = os.path.abspath(os.path.join(base, *paths))
    base_path = os.path.abspath(base)
    # "/srv/templates-old/x" starts with "/srv/templates" too: compare with the separator.
    if (
        not os.path.normcase(final_path).startswith(os.path.normcase(base_path + os.sep))
        and os.path.normcase(final_path) != os.path.normcase(base_path)
        and os.path.dirname(os.path.normcase(base_path)) != os.path.normcase(base_path)
    ):
        raise SuspiciousFileOperation(
            f"The joined path ({final_path}) is located outside of the base path component ({base_path})"
        )
    return final_path
