"""Keeping every template once loaded: read, parse and compile once per process.

How it works: ``find`` asks the wrapped loaders the first time a name is
wanted and keeps the answer under a key made of the name (and the origins
to skip, for ``{% extends %}``). A name that was not found is remembered
too, as its ``TemplateDoesNotExist`` (the places tried, not the traceback),
so asking again costs a dict lookup, not a search of the disk: ``find``
returns the remembered miss, and ``get_template`` raises a new exception
made from it. ``reset()`` forgets everything: call it after editing
templates in a long-running process.
"""

from tinyframe.template.exceptions import TemplateDoesNotExist
from tinyframe.template.loaders.base import Loader as BaseLoader


class Loader(BaseLoader):
    """Caches the templates that ``loaders`` find, and the names they don't."""

    def __init__(self, engine, loaders):
        self.get_template_cache: dict = {}
        self.loaders = engine.get_template_loaders(loaders)
        super().__init__(engine)

    def get_dirs(self) -> list:
        """The directories of the wrapped loaders that have any."""
        return [directory for loader in self.loaders if hasattr(loader, "get_dirs") for directory in loader.get_dirs()]

    def get_contents(self, origin) -> str:
        return origin.loader.get_contents(origin)

    def get_template(self, template_name: str, skip=None):
        """The template, from the cache or from the wrapped loaders (then cached)."""
        found = self.find(template_name, skip)
        if isinstance(found, TemplateDoesNotExist):
            # A new exception each time: raising the cached one would pile tracebacks onto it.
            raise TemplateDoesNotExist(template_name, tried=found.tried)
        return found

    def find(self, template_name: str, skip=None):
        """The cached answer: the template, or the ``TemplateDoesNotExist`` of a name not found (returned)."""
        key = self.cache_key(template_name, skip)
        found = self.get_template_cache.get(key)
        if found is None:
            try:
                found = super().get_template(template_name, skip)
            except TemplateDoesNotExist as error:
                # Keep what is needed to raise it again, not the traceback and its frames.
                found = TemplateDoesNotExist(template_name, tried=error.tried)
            self.get_template_cache[key] = found
        return found

    def get_template_sources(self, template_name: str):
        for loader in self.loaders:
            yield from loader.get_template_sources(template_name)

    def cache_key(self, template_name: str, skip=None) -> str:
        """The cache key: the name, plus the skipped origins of that name, if any.

        >>> from tinyframe.template import Engine, Origin
        >>> loader = Loader(Engine(), [])
        >>> loader.cache_key("a.html"), loader.cache_key("a.html", [Origin("/x/a.html", "a.html")])
        ('a.html', 'a.html-/x/a.html')
        """
        skipped = sorted({origin.name for origin in skip or () if origin.template_name == template_name})
        return "-".join([template_name, *skipped])

    def reset(self) -> None:
        """Forget every cached template (and every name not found)."""
        self.get_template_cache.clear()
