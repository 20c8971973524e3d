"""The template engine: Django's template language, compiled to Python.

How it works: ``Engine`` (engine.py) finds templates through its loaders
(loaders/) and builds ``Template`` objects (base.py): the source is cut into
tokens by the ``Lexer``, the ``Parser`` builds a tree of ``Node`` objects
using the tags and filters of the engine's libraries (library.py,
defaulttags.py, defaultfilters.py, loader_tags.py), and the compiler
(compiler.py) turns the tree into a Python function. Rendering takes a
``Context`` (context.py), a stack of dicts of names.

Projects configure engines with the ``TEMPLATES`` setting; ``engines`` holds
them by alias, and ``tinyframe.template.loader`` finds templates across all
of them (``get_template``, ``render_to_string``).
"""

from tinyframe.template.utils import EngineHandler

engines = EngineHandler()

from tinyframe.template.base import (  # noqa: E402  (engines first: backends import this package)
    Node,
    NodeList,
    Origin,
    Template,
    Variable,
    VariableDoesNotExist,
)
from tinyframe.template.context import Context, RequestContext  # noqa: E402
from tinyframe.template.engine import Engine  # noqa: E402
from tinyframe.template.exceptions import TemplateDoesNotExist, TemplateSyntaxError  # noqa: E402
from tinyframe.template.library import Library  # noqa: E402

__all__ = (
    "Context",
    "Engine",
    "Library",
    "Node",
    "NodeList",
    "Origin",
    "RequestContext",
    "Template",
    "TemplateDoesNotExist",
    "TemplateSyntaxError",
    "Variable",
    "VariableDoesNotExist",
    "engines",
)
