"""The template language: from source text to a tree of nodes, and rendering it.

How it works, in the order the data flows::

    source --Lexer.tokenize--> [Token] --Parser.parse--> NodeList --render(context)--> text

1. ``Lexer.tokenize`` (``lexer.py``) cuts the source at every ``{{ ... }}``,
   ``{% ... %}`` and ``{# ... #}`` into ``Token`` objects (TEXT, VAR, BLOCK,
   COMMENT), each knowing its line.
2. ``Parser.parse`` (``parser.py``) turns the tokens into a tree of ``Node``
   objects: TEXT becomes a ``TextNode``; VAR a ``VariableNode`` holding a
   ``FilterExpression`` (``variables.py``: a ``Variable`` and its filters);
   BLOCK becomes whatever the tag's compile function (registered on a
   ``Library``) returns.
3. ``Template`` (here) holds the resulting ``NodeList`` (``nodes.py``).
   ``NodeList.render(context)`` walks the tree: each node renders itself
   against the ``Context`` and the pieces are joined. That tree-walk is the
   reference meaning of a template.
4. ``tinyframe.template.compiler`` turns the same tree into the source of one
   Python function, once per template; ``Template.render`` calls that function.

This module keeps ``Template`` and ``Origin`` and offers the names of the
other four modules too, as Django's ``django.template.base`` does
(``from tinyframe.template.base import Variable, Node`` works).

For example:

>>> from tinyframe.template import Context, Engine
>>> template = Engine().from_string("Hello {{ name|upper }}!")
>>> template.nodelist
[<TextNode: 'Hello '>, <VariableNode: name|upper>, <TextNode: '!'>]
>>> template.render(Context({"name": "<world>"}))
'Hello &lt;WORLD&gt;!'
"""

import functools
from dataclasses import dataclass

from tinyframe.template.exceptions import TemplateSyntaxError
from tinyframe.template.lexer import Lexer, Token, TokenType, smart_split, tag_re, unescape_string_literal
from tinyframe.template.nodes import (
    UNKNOWN_SOURCE,
    Node,
    NodeList,
    TextNode,
    VariableNode,
    annotate_error,
    render_value,
    render_value_in_context,
)
from tinyframe.template.parser import Parser, kwarg_re, token_kwargs
from tinyframe.template.variables import (
    FilterExpression,
    Variable,
    VariableDoesNotExist,
    apply_filter,
    call_if_callable,
    filter_arity,
    filter_re,
    resolve_lookup,
    string_if_invalid_of,
    template_localtime,
)
from tinyframe.utils.safestring import SafeString
# >>> 04_signals
from tinyframe.dispatch import Signal

# Sent each time a template renders, on its own, as a parent or as an include:
# sender and template are the Template, context the Context. The test client
# listens to it to fill response.templates and response.context. Django names
# it django.test.signals.template_rendered, and tinyframe.test.signals
# re-exports it; it is defined here so that the engine never imports the test tools.
template_rendered = Signal()
# <<< 04_signals


@dataclass(eq=False)
class Origin:
    """Where a template came from: a file path (``name``), and the name it was asked by.

    Two origins are equal when they name the same place through the same loader,
    which is how ``{% extends %}`` recognises a template already in the chain.
    """

    name: str
    template_name: str | None = None
    loader: object = None

    def __eq__(self, other):
        return isinstance(other, Origin) and self.name == other.name and self.loader is other.loader

    def __hash__(self):
        return hash(self.name)

    def __str__(self):
        return self.name

    @property
    def loader_name(self) -> str | None:
        if self.loader is not None:
            return f"{type(self.loader).__module__}.{type(self.loader).__qualname__}"
        return None


class Template:
    """A compiled template: parse once, render many times.

    ``nodelist`` is the parsed tree. ``render`` runs the Python function the
    compiler made of it (made once, on first use, and kept);
    ``Engine(compiled=False)`` renders by walking the tree instead.
    ``source_code`` is that function's Python source, for reading.
    """

    def __init__(self, template_string, origin: Origin | None = None, name: str | None = None, engine=None):
        if engine is None:
            from tinyframe.template.engine import Engine

            engine = Engine.get_default()
        if origin is None:
            origin = Origin(UNKNOWN_SOURCE)
        self.name = name
        self.origin = origin
        self.engine = engine
        self.source = str(template_string)
        self.nodelist = self.compile_nodelist()
        self._compiled: dict = {}  # autoescape -> CompiledTemplate

    def compile_nodelist(self) -> NodeList:
        """Lex and parse the source into a NodeList, naming this template in any error."""
        tokens = Lexer(self.source).tokenize()
        parser = Parser(tokens, self.engine.template_libraries, self.engine.template_builtins, self.origin)
        try:
            nodelist = parser.parse()
        except Exception as error:
            if hasattr(error, "token"):
                annotate_error(error, self.origin, error.token, self.source, self.engine.debug)
            raise
        self.extra_data = parser.extra_data
        return nodelist

    def __iter__(self):
        for node in self.nodelist:
            yield from node

    def render(self, context) -> SafeString:
        """Render the template with ``context`` (a ``Context``).

        What ``with context.render_context.push_state(self):`` and, for the
        outermost template, ``with context.bind_template(self):`` do, written
        out with try/finally: a form renders some fifty small templates, and
        the two ``with`` blocks cost 4% of rendering one (tests/benchmarks/forms.py).
        """
        render_context = context.render_context
        outer_template = render_context.template
        render_context.template = self
        render_context.dicts.append({})  # this template's state for its tags
        try:
            if context.template is None:
                context._bind(self)
                try:
                    context.template_name = self.name
                    return self._render(context)
                finally:
                    context._unbind()
            return self._render(context)
        finally:
            render_context.template = outer_template
            render_context.dicts.pop()

    def _render(self, context) -> SafeString:
        """Render without setting up the context: for ``{% extends %}`` and ``{% include %}``."""
        # >>> 04_signals
        if template_rendered.has_listeners(self):  # when nobody listens: one attribute test
            template_rendered.send(sender=self, template=self, context=context)
        # <<< 04_signals
        if not self.engine.compiled:
            return self.nodelist.render(context)
        compiled = self.compiled(context.autoescape)
        try:
            return SafeString(compiled.render(context))
        except Exception as error:
            if self.engine.debug:
                compiled.annotate_error(error, self.source)
            raise

    def compiled(self, autoescape: bool = True):
        """The ``CompiledTemplate`` for this template, made on first use.

        Auto-escaping is decided when compiling, so a template rendered both
        with and without it has one compiled function for each.
        """
        try:
            return self._compiled[autoescape]
        except KeyError:
            from tinyframe.template.compiler import compile_template

            compiled = compile_template(
                self.nodelist, self.engine, autoescape, name=self.name or self.origin.name, origin=self.origin
            )
            self._compiled[autoescape] = compiled
            return compiled

    @functools.cached_property
    def blocks(self) -> dict:
        """This template's ``{% block %}`` nodes by name, nested ones too, in order: found once.

        A template that is the root of an inheritance chain gives its blocks
        to every render of the chain (see ``ExtendsNode.render``); finding them
        in the tree each time made 25 empty blocks through ``{% extends %}``
        take 85 us instead of 73 us.
        """
        from tinyframe.template.loader_tags import blocks_in

        return blocks_in(self.nodelist)

    @property
    def source_code(self) -> str:
        """The Python source this template compiles to (auto-escaping on).

        Each ``{% block %}`` compiles to a function of its own (which
        template's block renders is only known while rendering); their
        sources follow the template's.
        """
        sources = [self.compiled(True).source]
        for block in self.blocks.values():
            compiled = block.compiled(self.engine, True)
            sources.append(f"# {{% block {block.name} %}}\n{compiled.source}")
        return "\n".join(sources)

    def __repr__(self):
        return f"<Template {self.name or self.origin.name!r}>"


# The names this module offers, its own and those of the modules it was split into.
__all__ = [
    "FilterExpression",
    "Lexer",
    "Node",
    "NodeList",
    "Origin",
    "Parser",
    "Template",
    "TemplateSyntaxError",
    "TextNode",
    "Token",
    "TokenType",
    "UNKNOWN_SOURCE",
    "Variable",
    "VariableDoesNotExist",
    "VariableNode",
    "annotate_error",
    "apply_filter",
    "call_if_callable",
    "filter_arity",
    "filter_re",
    "kwarg_re",
    "render_value",
    "render_value_in_context",
    "resolve_lookup",
    "smart_split",
    "string_if_invalid_of",
    "tag_re",
    "template_localtime",
    "token_kwargs",
    "unescape_string_literal",
]
