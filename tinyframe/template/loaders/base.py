"""What every loader does: try each candidate source of a name, parse the first found.

How it works: a subclass says where a name could be (``get_template_sources``
yields ``Origin`` objects) and how to read one (``get_contents``, raising
``TemplateDoesNotExist`` when it isn't there). ``get_template`` tries the
origins in order, noting each failure in ``tried``, and parses the first
source found into a ``Template``. ``find`` is the same question without
the exception: it returns the ``TemplateDoesNotExist`` instead of raising it,
so that an engine trying several names (``select_template``) pays for an
exception only when the answer is new (the cached loader answers a known
miss from its dict).
"""

from tinyframe.template.base import Template
from tinyframe.template.exceptions import TemplateDoesNotExist


class Loader:
    """The base of all loaders; ``engine`` is the Engine whose templates it loads."""

    def __init__(self, engine):
        self.engine = engine

    def get_template(self, template_name: str, skip=None) -> Template:
        """The template called ``template_name`` from the first origin that has it.

        Origins in ``skip`` are passed over: ``{% extends "base.html" %}`` inside
        a ``base.html`` means the next ``base.html`` along, not itself.
        """
        tried = []
        for origin in self.get_template_sources(template_name):
            if skip is not None and origin in skip:
                tried.append((origin, "Skipped to avoid recursion"))
                continue
            try:
                contents = self.get_contents(origin)
            except TemplateDoesNotExist:
                tried.append((origin, "Source does not exist"))
                continue
            return Template(contents, origin, origin.template_name, self.engine)
        raise TemplateDoesNotExist(template_name, tried=tried)

    def find(self, template_name: str, skip=None):
        """The template, or the ``TemplateDoesNotExist`` that ``get_template`` raises, returned instead.

        The engine asks through this (``Engine.search``); a loader that can
        tell a miss without raising one (the cached loader) overrides it.
        """
        try:
            return self.get_template(template_name, skip)
        except TemplateDoesNotExist as error:
            return error.with_traceback(None)  # where it looked is what's wanted, not the frames

    def get_template_sources(self, template_name: str):
        """Yield an ``Origin`` for each place ``template_name`` could be."""
        raise NotImplementedError("subclasses of Loader must provide a get_template_sources() method")

    def get_contents(self, origin) -> str:
        """The source at ``origin``, or TemplateDoesNotExist."""
        raise NotImplementedError("subclasses of Loader must provide a get_contents() method")

    def reset(self) -> None:
        """Forget anything cached (only the cached loader caches)."""
