"""The engine: one configuration of the template language, and where templates come from.

How it works: an ``Engine`` holds the options that every template it makes
shares — where to find templates (``dirs``, ``app_dirs``, ``loaders``), which
libraries are built in or loadable, ``autoescape``, ``debug``,
``string_if_invalid``. ``get_template(name)`` asks each loader in turn
(``find_template``); a loader returns a parsed ``Template`` made by this
engine. By default the loaders are wrapped in the cached loader, so a
template is read, parsed and compiled once per process. ``from_string``
makes a template from source directly.

Projects configure engines with the ``TEMPLATES`` setting (see
``tinyframe.template.backends.django``); an ``Engine`` can also be made
directly, which is what the doctests and the tests do:

>>> from tinyframe.template import Context
>>> engine = Engine(loaders=[("tinyframe.template.loaders.locmem.Loader", {"hi.html": "Hi {{ who }}"})])
>>> engine.get_template("hi.html").render(Context({"who": "you"}))
'Hi you'
"""

import functools

from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.template.base import Template
from tinyframe.template.context import Context, _builtin_context_processors
from tinyframe.template.exceptions import TemplateDoesNotExist
from tinyframe.template.library import Library, import_library
from tinyframe.utils.module_loading import import_string


class Engine:
    """A configured template engine, with Django's options.

    ``compiled`` (tinyframe's own option, default True) renders templates by
    running the Python function each one compiles to; ``compiled=False``
    walks the node tree instead, as Django does: slower, and the reference
    the compiler is tested against.
    """

    default_builtins = [
        "tinyframe.template.defaulttags",
        "tinyframe.template.defaultfilters",
        "tinyframe.template.loader_tags",
    ]

    def __init__(
        self,
        dirs=None,
        app_dirs: bool = False,
        context_processors=None,
        debug: bool = False,
        loaders=None,
        string_if_invalid: str = "",
        file_charset: str = "utf-8",
        libraries=None,
        builtins=None,
        autoescape: bool = True,
        compiled: bool = True,
    ):
        if dirs is None:
            dirs = []
        if context_processors is None:
            context_processors = []
        if loaders is None:
            loaders = ["tinyframe.template.loaders.filesystem.Loader"]
            if app_dirs:
                loaders += ["tinyframe.template.loaders.app_directories.Loader"]
            loaders = [("tinyframe.template.loaders.cached.Loader", loaders)]
        elif app_dirs:
            raise ImproperlyConfigured("app_dirs must not be set when loaders is defined.")
        if libraries is None:
            libraries = {}
        if builtins is None:
            builtins = []

        self.dirs = dirs
        self.app_dirs = app_dirs
        self.autoescape = autoescape
        self.context_processors = context_processors
        self.debug = debug
        self.loaders = loaders
        self.string_if_invalid = string_if_invalid
        self.file_charset = file_charset
        self.libraries = libraries
        self.template_libraries = self.get_template_libraries(libraries)
        self.builtins = self.default_builtins + list(builtins)
        self.template_builtins = self.get_template_builtins(self.builtins)
        self.compiled = compiled

    def __repr__(self):
        return (
            f"<{type(self).__qualname__}: app_dirs={self.app_dirs} debug={self.debug} "
            f"loaders={self.loaders!r} string_if_invalid={self.string_if_invalid!r} "
            f"autoescape={self.autoescape!r} dirs={self.dirs!r}>"
        )

    @staticmethod
    def get_default() -> "Engine":
        """The Engine of the first ``DjangoTemplates`` backend in ``TEMPLATES``.

        This is what ``Template(source)`` uses when given no engine.
        """
        from tinyframe.template import engines
        from tinyframe.template.backends.django import DjangoTemplates

        for engine in engines.all():
            if isinstance(engine, DjangoTemplates):
                return engine.engine
        raise ImproperlyConfigured("No DjangoTemplates backend is configured.")

    @functools.cached_property
    def template_context_processors(self) -> tuple:
        """The context processors as functions: the built-in ones, then the configured ones.

        There are no built-in ones yet: Django's is ``csrf``, and tinyframe's
        arrives with CSRF protection in chapter 10 (``_builtin_context_processors``).
        """
        processors = _builtin_context_processors + tuple(self.context_processors)
        return tuple(import_string(path) if isinstance(path, str) else path for path in processors)

    def get_template_builtins(self, builtins) -> list[Library]:
        return [import_library(name) if isinstance(name, str) else name for name in builtins]

    def get_template_libraries(self, libraries) -> dict[str, Library]:
        """Import the libraries ``{% load %}`` can name (a Library object is taken as it is)."""
        return {
            name: import_library(path) if isinstance(path, str) else path for name, path in libraries.items()
        }

    @functools.cached_property
    def template_loaders(self) -> list:
        """The loader objects, made once from the ``loaders`` option."""
        return self.get_template_loaders(self.loaders)

    def get_template_loaders(self, template_loaders) -> list:
        return [loader for loader in map(self.find_template_loader, template_loaders) if loader is not None]

    def find_template_loader(self, loader):
        """Make a loader from a dotted path, or a ``(path, *arguments)`` tuple.

        >>> Engine().find_template_loader(("tinyframe.template.loaders.locmem.Loader", {}))
        <tinyframe.template.loaders.locmem.Loader object at ...>
        """
        if isinstance(loader, (tuple, list)):
            loader, *args = loader
        else:
            args = []
        if isinstance(loader, str):
            loader_class = import_string(loader)
            return loader_class(self, *args)
        raise ImproperlyConfigured(f"Invalid value in template loaders configuration: {loader!r}")

    def find_template(self, name: str, dirs=None, skip=None):
        """``(template, origin)`` from the first loader that has ``name``, or TemplateDoesNotExist.

        ``skip`` lists origins not to return (``{% extends %}`` uses it to find
        the next template of the same name, rather than itself).
        """
        template, tried = self.search(name, skip)
        if template is not None:
            return template, template.origin
        error = TemplateDoesNotExist(name, tried=tried)
        if not tried:
            error.add_note(
                "The engine's loaders had nowhere to look: give the engine template directories "
                "(dirs, or DIRS in TEMPLATES), or set app_dirs (APP_DIRS) and put templates in an "
                "installed app's templates/ directory."
            )
        raise error

    def search(self, name: str, skip=None) -> tuple:
        """``(template, tried)``: the first loader's template called ``name`` (None if none has it), and where they looked.

        The question ``find_template`` asks, answered without raising: each
        loader's ``find`` returns its ``TemplateDoesNotExist`` rather than
        raising it, and the cached loader returns the one it remembers. So
        ``select_template`` tries a list of names for the price of dict
        lookups: the admin tries ``admin/<app>/<model>/x.html`` and
        ``admin/<app>/x.html`` before ``admin/x.html`` for each of its
        inclusion tags: ten names that miss on every changelist page
        (tests/benchmarks/admin.py), each an exception made, raised and
        caught before. Two misses and a hit: 12 us before, 2.3 us now.
        """
        tried = []
        for loader in self.template_loaders:
            found = loader.find(name, skip)
            if not isinstance(found, TemplateDoesNotExist):
                return found, tried
            tried += found.tried
        return None, tried

    def from_string(self, template_code: str) -> Template:
        """A template made from source text, not loaded from anywhere."""
        return Template(template_code, engine=self)

    def get_template(self, template_name: str) -> Template:
        """The template called ``template_name``, or TemplateDoesNotExist listing where it looked."""
        template, origin = self.find_template(template_name)
        if not hasattr(template, "render"):
            # A loader that returns source text rather than a Template.
            template = Template(template, origin, template_name, engine=self)
        return template

    def render_to_string(self, template_name, context=None) -> str:
        """Load (or select, given a list) a template and render it with the dict ``context``."""
        if isinstance(template_name, (list, tuple)):
            template = self.select_template(template_name)
        else:
            template = self.get_template(template_name)
        if isinstance(context, Context):
            return template.render(context)
        return template.render(Context(context, autoescape=self.autoescape))

    def select_template(self, template_name_list) -> Template:
        """The first template of the list that exists; TemplateDoesNotExist naming them all if none does."""
        if isinstance(template_name_list, str):
            raise TypeError(
                "select_template() takes an iterable of template names but got a string: "
                f"{template_name_list!r}. Use get_template() if you want to load a single template by name."
            )
        not_found = []
        for template_name in template_name_list:
            template, _ = self.search(template_name)  # a name not found is not an exception (see search)
            if template is not None:
                return template
            if template_name not in not_found:
                not_found.append(template_name)
        if not_found:
            raise TemplateDoesNotExist(", ".join(not_found))
        raise TemplateDoesNotExist("No template names provided")
