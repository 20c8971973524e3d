"""The backend for tinyframe's own template engine, configured by ``TEMPLATES``.

How it works: ``DjangoTemplates`` turns a ``TEMPLATES`` entry (``DIRS``,
``APP_DIRS``, ``OPTIONS``) into an ``Engine``, adding to the ``libraries``
option every ``templatetags`` module of the installed apps, so that
``{% load blog_extras %}`` finds ``blog/templatetags/blog_extras.py``. Its
templates wrap the engine's: ``render(context=None, request=None)`` takes a
dict and makes the Context (a RequestContext when there is a request).

>>> backend = DjangoTemplates({"NAME": "django", "DIRS": [], "APP_DIRS": False, "OPTIONS": {}})
>>> backend.from_string("Hi {{ name }}").render({"name": "<you>"})
'Hi &lt;you&gt;'
"""

import inspect
import pkgutil
from importlib import import_module

from tinyframe.conf import settings
from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.template.context import make_context
from tinyframe.template.engine import Engine
from tinyframe.template.exceptions import TemplateDoesNotExist
from tinyframe.template.library import InvalidTemplateLibrary
from tinyframe.utils.suggestions import suggest

# The keys of a TEMPLATES entry ("BACKEND" is read before the backend is made).
ENTRY_KEYS = ("BACKEND", "NAME", "DIRS", "APP_DIRS", "OPTIONS")


class DjangoTemplates:
    """A ``TEMPLATES`` entry for tinyframe's template language."""

    app_dirname = "templates"

    def __init__(self, params: dict):
        params = dict(params)
        options = dict(params.pop("OPTIONS"))
        self.name = params.pop("NAME")
        self.dirs = list(params.pop("DIRS"))
        self.app_dirs = params.pop("APP_DIRS")
        if params:
            error = ImproperlyConfigured(f"Unknown parameters: {', '.join(params)}")
            for key in params:
                suggest(error, key, ENTRY_KEYS)
            raise error
        check_options(options)
        options.setdefault("autoescape", True)
        options.setdefault("debug", settings.DEBUG)
        options.setdefault("file_charset", "utf-8")
        libraries = options.get("libraries", {})
        options["libraries"] = self.get_templatetag_libraries(libraries)
        self.engine = Engine(self.dirs, self.app_dirs, **options)

    def __repr__(self):
        return f"<{type(self).__name__} {self.name!r}>"

    def from_string(self, template_code: str) -> "Template":
        return Template(self.engine.from_string(template_code), self)

    def get_template(self, template_name: str) -> "Template":
        try:
            return Template(self.engine.get_template(template_name), self)
        except TemplateDoesNotExist as error:
            raise reraise(error, self) from error

    def get_templatetag_libraries(self, custom_libraries: dict) -> dict:
        """The installed apps' templatetags modules, overridden by the ``libraries`` option."""
        libraries = get_installed_libraries()
        libraries.update(custom_libraries)
        return libraries


def check_options(options: dict) -> None:
    """Raise, as Python would for ``Engine(**options)``, at an option ``Engine`` does not take.

    The message is Python's (and Django's): ``Engine.__init__() got an
    unexpected keyword argument 'context_procesors'``; a note suggests the
    option meant, and says where the typo is.

    >>> check_options({"debug": True})
    >>> check_options({"debgu": True})
    Traceback (most recent call last):
      ...
    TypeError: Engine.__init__() got an unexpected keyword argument 'debgu'
    Did you mean 'debug'?
    Check the OPTIONS of your TEMPLATES setting.
    """
    parameters = inspect.signature(Engine).parameters
    for name in options:
        if name not in parameters:
            error = TypeError(f"Engine.__init__() got an unexpected keyword argument '{name}'")
            # DIRS and APP_DIRS are set outside OPTIONS: never suggest them here.
            suggest(error, name, [known for known in parameters if known not in ("dirs", "app_dirs")])
            error.add_note("Check the OPTIONS of your TEMPLATES setting.")
            raise error


class Template:
    """A template of the engine, rendered with a dict (and a request)."""

    def __init__(self, template, backend: DjangoTemplates):
        self.template = template
        self.backend = backend

    @property
    def origin(self):
        return self.template.origin

    def render(self, context: dict | None = None, request=None) -> str:
        """Render with the dict ``context``; with a ``request``, context processors run too."""
        context = make_context(context, request, autoescape=self.backend.engine.autoescape)
        try:
            return self.template.render(context)
        except TemplateDoesNotExist as error:
            raise reraise(error, self.backend) from error


def reraise(error: TemplateDoesNotExist, backend) -> TemplateDoesNotExist:
    """The same error, now naming the backend that raised it."""
    new = TemplateDoesNotExist(error.args[0], tried=error.tried, backend=backend, chain=error.chain)
    if hasattr(error, "template_debug"):
        new.template_debug = error.template_debug
    return new


def get_template_tag_modules():
    """Yield ``(name, module path)`` for each templatetags module of the installed apps."""
    candidates = [f"{app}.templatetags" for app in settings.INSTALLED_APPS]
    # >>> 06_orm
    # From chapter 06 an entry may name an AppConfig subclass
    # ("tinyframe.contrib.admin.apps.SimpleAdminConfig"): its libraries are
    # in the package it configures.
    from tinyframe.apps.config import app_package_name

    candidates = [f"{app_package_name(app)}.templatetags" for app in settings.INSTALLED_APPS]
    # <<< 06_orm
    for candidate in candidates:
        try:
            package = import_module(candidate)
        except ModuleNotFoundError as error:
            if error.name is not None and candidate.startswith(error.name):
                continue  # this app has no templatetags package
            raise
        if hasattr(package, "__path__"):
            for module_info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
                yield module_info.name.removeprefix(f"{candidate}."), module_info.name


def get_installed_libraries() -> dict[str, str]:
    """``{name: dotted path}`` of the libraries the installed apps provide.

    A module that fails to import is reported with its path, rather than
    breaking ``{% load %}`` with an error that names neither.
    """
    libraries = {}
    for name, path in get_template_tag_modules():
        try:
            module = import_module(path)
        except ImportError as error:
            raise InvalidTemplateLibrary(
                f"Invalid template library specified. ImportError raised when trying to load '{path}': {error}"
            ) from error
        if hasattr(module, "register"):
            libraries[name] = path
    return libraries
