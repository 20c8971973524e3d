"""The tags that combine templates: ``{% extends %}``, ``{% block %}``, ``{% include %}``.

How it works: a child template is one ``ExtendsNode`` holding the child's
``BlockNode`` objects. Rendering it renders the *parent* instead, after
putting the child's blocks into a ``BlockContext`` kept in the render
context: for each block name, a stack with the most derived block on top.
When the parent reaches ``{% block content %}``, the ``BlockNode`` pops the
top block for that name and renders it; ``{{ block.super }}`` renders the
next one down. A parent that itself extends adds its blocks under the
child's and passes the work up, so any depth works::

    child.html  --ExtendsNode.render-->  base.html._render
    BlockContext["content"] = [base's, middle's, child's]   (top: child's)

``{% include %}`` renders another template, found when the tag renders (a quoted name: once, when compiling), in
the current context (plus ``with`` names, or only those with ``only``).
"""

import copy
import posixpath
from collections import defaultdict

from tinyframe.template.base import Node, Template, TextNode, Variable, annotate_error
from tinyframe.template.exceptions import TemplateDoesNotExist, TemplateSyntaxError
from tinyframe.template.library import Library
from tinyframe.template.base import token_kwargs
from tinyframe.utils.safestring import mark_safe

register = Library()

BLOCK_CONTEXT_KEY = "block_context"


class BlockContext:
    """For each block name, the stack of blocks that define it (most derived on top).

    >>> blocks = BlockContext()
    >>> blocks.add_blocks({"content": "child's"})
    >>> blocks.add_blocks({"content": "base's"})
    >>> blocks.pop("content"), blocks.get_block("content")
    ("child's", "base's")
    """

    def __init__(self):
        self.blocks = defaultdict(list)

    def __repr__(self):
        return f"<{type(self).__qualname__}: blocks={self.blocks!r}>"

    def add_blocks(self, blocks: dict) -> None:
        """Put ``blocks`` (name -> block) under the blocks already there: they are less derived."""
        for name, block in blocks.items():
            self.blocks[name].insert(0, block)

    def pop(self, name: str):
        try:
            return self.blocks[name].pop()
        except IndexError:
            return None

    def push(self, name: str, block) -> None:
        self.blocks[name].append(block)

    def get_block(self, name: str):
        try:
            return self.blocks[name][-1]
        except IndexError:
            return None


class BlockNode(Node):
    """``{% block name %}``: content a child template may replace."""

    def __init__(self, name: str, nodelist, parent=None):
        self.name = name
        self.nodelist = nodelist
        self.parent = parent
        self._compiled: dict = {}  # autoescape -> CompiledTemplate, shared by copies

    def __repr__(self):
        return f"<Block Node: {self.name}. Contents: {self.nodelist!r}>"

    def __copy__(self):
        # render() copies every block of an inherited page, on every render: made directly, a copy
        # costs a fifth of copy's generic __reduce_ex__ path. Same attributes, shared (a shallow copy).
        duplicate = object.__new__(type(self))
        duplicate.__dict__.update(self.__dict__)
        return duplicate

    def render(self, context) -> str:
        block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
        block = self if block_context is None else block_context.get_block(self.name) or self
        if block.stands_alone(context):
            return block.render_contents(context)
        with context.push():
            if block_context is None:
                # Not inside an {% extends %}: this block is simply its contents.
                context["block"] = self
                return self.render_contents(context)
            push = block = block_context.pop(self.name)
            if block is None:
                block = self
            # A copy to hold the context for block.super: the node itself is
            # shared by every render, on every thread.
            block = copy.copy(block)
            block.context = context
            context["block"] = block
            result = block.render_contents(context)
            if push is not None:
                block_context.push(self.name, push)
        return result

    def stands_alone(self, context) -> bool:
        """Does this block's compiled body only read names from the context, and not ``block``?

        Then it sets nothing that a dict of its own would keep in, reads no
        ``block`` (so no ``{{ block.super }}``) and holds no other block:
        ``render`` renders it at once, without a dict to push, a copy to
        make and the stack to pop. The compiler says which names a function
        reads (``CompiledTemplate.context_names``: None when it may do
        more). 17 of the 31 blocks an admin changelist renders are such
        blocks; 25 empty ones through ``{% extends %}`` render in a third of
        the time.
        """
        template = context.template
        if template is None or not template.engine.compiled:
            return False
        names = self.compiled(template.engine, context.autoescape).context_names
        return names is not None and "block" not in names

    def render_contents(self, context) -> str:
        """Render the block's nodes: with their own compiled function, unless the engine interprets."""
        template = context.template
        if template is None or not template.engine.compiled:
            return self.nodelist.render(context)
        compiled = self.compiled(template.engine, context.autoescape)
        try:
            return compiled.render(context)
        except Exception as error:
            if template.engine.debug:
                compiled.annotate_error(error, self.template_source())
            raise

    def compiled(self, engine, autoescape: bool = True):
        """The block's contents compiled to a function of their own, made once."""
        try:
            return self._compiled[autoescape]
        except KeyError:
            from tinyframe.template.compiler import compile_template

            name = f"{self.origin.name if self.origin else 'template'} block {self.name}"
            compiled = compile_template(self.nodelist, engine, autoescape, name=name, origin=self.origin)
            self._compiled[autoescape] = compiled
            return compiled

    def template_source(self) -> str | None:
        """The source of the template this block is in, for error messages."""
        if self.origin is not None and self.origin.loader is not None:
            try:
                return self.origin.loader.get_contents(self.origin)
            except Exception:
                return None
        return None

    def compile(self, code) -> None:
        # A block renders itself: which block's contents to show is decided
        # at render time, by the templates that extend this one.
        code.render_node(self, f"block_{self.name}")

    def super(self) -> str:
        """``{{ block.super }}``: the contents of the block this one overrides."""
        if not hasattr(self, "context"):
            raise TemplateSyntaxError(
                f"'{type(self).__name__}' object has no attribute 'context'. Did you use "
                "{{ block.super }} in a base template?"
            )
        render_context = self.context.render_context
        if BLOCK_CONTEXT_KEY in render_context and render_context[BLOCK_CONTEXT_KEY].get_block(self.name) is not None:
            return mark_safe(self.render(self.context))
        return ""


def blocks_in(nodelist) -> dict:
    """The ``{% block %}`` nodes of ``nodelist`` by name, nested ones too, in order."""
    return {node.name: node for node in nodelist.get_nodes_by_type(BlockNode)}


class ExtendsNode(Node):
    """``{% extends "base.html" %}``: render the parent, with this template's blocks in it."""

    must_be_first = True
    context_key = "extends_context"

    def __init__(self, nodelist, parent_name, template_dirs=None):
        self.nodelist = nodelist
        self.parent_name = parent_name  # a FilterExpression: a name, or a Template
        self.template_dirs = template_dirs
        self.blocks = blocks_in(nodelist)

    def __repr__(self):
        return f"<{type(self).__name__}: extends {self.parent_name.token}>"

    def find_template(self, template_name: str, context) -> Template:
        """Find the parent, skipping the templates already in this chain.

        That is how ``blog/base.html`` can extend another ``blog/base.html``
        further along the loaders' path without extending itself forever.
        """
        history = context.render_context.setdefault(self.context_key, [self.origin])
        template, origin = context.template.engine.find_template(template_name, skip=history)
        history.append(origin)
        return template

    def get_parent(self, context) -> Template:
        """The parent template: named by a string, or given as a Template."""
        parent = self.parent_name.resolve(context)
        if not parent:
            message = f"Invalid template name in 'extends' tag: {parent!r}."
            if self.parent_name.filters or isinstance(self.parent_name.var, Variable):
                message += f" Got this from the '{self.parent_name.token}' variable."
            raise TemplateSyntaxError(message)
        if isinstance(parent, Template):
            return parent
        if isinstance(getattr(parent, "template", None), Template):
            # A backend's template wrapping one of ours.
            return parent.template
        return self.find_template(parent, context)

    def render(self, context) -> str:
        """Render the parent template, with this template's blocks overriding the parent's.

        Exercise 03.7. Find the parent (``get_parent``). The blocks of the
        whole chain go in one ``BlockContext``, kept in
        ``context.render_context`` under ``BLOCK_CONTEXT_KEY`` (create it if
        this is the first template of the chain). Add this template's blocks
        (``self.blocks``); when the parent does not extend anything itself
        (its first node that isn't text is not an ExtendsNode), it is the
        root: add its blocks too (``compiled_parent.blocks``, which a
        template finds once). Then render the parent with
        ``compiled_parent._render(context)`` inside
        ``context.render_context.push_state(parent, isolated_context=False)``.
        """
        compiled_parent = self.get_parent(context)
        if BLOCK_CONTEXT_KEY not in context.render_context:
            context.render_context[BLOCK_CONTEXT_KEY] = BlockContext()
        block_context = context.render_context[BLOCK_CONTEXT_KEY]
        block_context.add_blocks(self.blocks)
        for node in compiled_parent.nodelist:
            if not isinstance(node, TextNode):
                if not isinstance(node, ExtendsNode):
                    # The root of the chain: its blocks are the last resort.
                    block_context.add_blocks(compiled_parent.blocks)
                break
        with context.render_context.push_state(compiled_parent, isolated_context=False):
            return compiled_parent._render(context)


class IncludeNode(Node):
    """``{% include "name.html" [with a=b] [only] %}``: render another template here."""

    context_key = "__include_context"
    child_nodelists = ()

    def __init__(self, template, *args, extra_context=None, isolated_context: bool = False, **kwargs):
        self.template = template  # a FilterExpression
        self.extra_context = extra_context or {}
        self.isolated_context = isolated_context
        # Compiled, it hands the locals it needs on (see compile); with
        # ``only`` it renders itself, reading the context.
        self.transparent = not isolated_context
        super().__init__(*args, **kwargs)

    def __repr__(self):
        return f"<{type(self).__qualname__}: template={self.template!r}>"

    def render(self, context) -> str:
        template = self.find_template(context, self.template.resolve(context))
        values = {name: value.resolve(context) for name, value in self.extra_context.items()}
        if self.isolated_context:
            return template.render(context.new(values))
        with context.push(**values):
            return template.render(context)

    def find_template(self, context, template) -> Template:
        """The template to include, given what the tag's expression gave: a name, a list of names, a template."""
        if not callable(getattr(template, "render", None)):
            # A name (or a list of names): find the template, once per render.
            template_name = template or ()
            if isinstance(template_name, str):
                template_name = (construct_relative_path(self.origin.template_name if self.origin else None, template_name),)
            else:
                template_name = tuple(template_name)
            cache = context.render_context.dicts[0].setdefault(self, {})
            template = cache.get(template_name)
            if template is None:
                template = context.template.engine.select_template(template_name)
                cache[template_name] = template
        elif hasattr(template, "template"):
            # A backend's template wrapping one of ours.
            template = template.template
        return template

    def compile(self, code) -> None:
        """A quoted name is looked up once, while compiling; the code calls that template's ``render``.

        The engine's loaders find it, as ``render`` would (a project's
        template of the same name still wins); it is only found once
        instead of once per render. A form includes ``input.html`` from
        every text-like widget, and this saves a fifth of each include
        (tests/benchmarks/forms.py). ``only`` and a context of another
        engine (which ``render`` would ask) go through ``render``. A variable
        name, or a template that cannot be loaded yet (the error belongs to
        rendering), is found while rendering (``compile_find``).

        The included template reads the context, so it gets, in a dict
        pushed for it (and popped after, with whatever it set there), the
        names that enclosing tags keep in Python locals, then the ``with``
        values: an include hands names on as ``code.locals_dict`` does, so a
        loop around it keeps its fast locals (``transparent``). A select
        widget includes its option template for every option, inside two loops.
        """
        if self.isolated_context:
            code.render_node(self)
            return
        included = None
        if not self.template.is_var and not self.template.filters:
            try:
                included = code.engine.get_template(self.template.var)
            except (TemplateDoesNotExist, TemplateSyntaxError):
                pass
        in_scope = code.locals_dict(code.scope) or "{}"
        pairs = [in_scope[1:-1]] if in_scope != "{}" else []
        pairs += [f"{name!r}: {code.expression(value)}" for name, value in self.extra_context.items()]
        pushed = "{" + ", ".join(pairs) + "}"
        code.comment(self)
        code.hand_on_context()  # the included template may read any name
        if included is None:
            self.compile_find(code, pushed)
            return
        code.line(f"if context.template.engine is {code.constant(code.engine, 'engine')}:")
        with code.indent():
            code.line(f"with context.push({pushed}):")
            with code.indent():
                code.output(f"{code.constant(included, self.template.var)}.render(context)")
        code.line("else:")
        with code.indent():
            if in_scope == "{}":
                code.render_node(self)  # render pushes the with values itself
            else:
                code.line(f"with context.push({in_scope}):")
                with code.indent():
                    code.render_node(self)

    def compile_find(self, code, pushed: str) -> None:
        """The code of an include whose template is found while rendering (see ``compile``)."""
        included = code.unique_name("included")
        node = code.constant(self, "include")
        code.line(f"{included} = {node}.find_template(context, {code.expression(self.template)})")
        code.line(f"with context.push({pushed}):")
        with code.indent():
            code.output(f"{included}.render(context)")


@register.tag("block")
def do_block(parser, token) -> BlockNode:
    """``{% block name %} ... {% endblock [name] %}``; a name may appear once per template."""
    bits = token.contents.split()
    if len(bits) != 2:
        raise TemplateSyntaxError(f"'{bits[0]}' tag takes only one argument")
    block_name = bits[1]
    seen = parser.__dict__.setdefault("_block_names", set())
    if block_name in seen:
        raise TemplateSyntaxError(f"'{bits[0]}' tag with name '{block_name}' appears more than once")
    seen.add(block_name)
    nodelist = parser.parse(("endblock",))
    endblock = parser.next_token()
    acceptable_endblocks = ("endblock", f"endblock {block_name}")
    if endblock.contents not in acceptable_endblocks:
        parser.invalid_block_tag(endblock, "endblock", acceptable_endblocks)
    return BlockNode(block_name, nodelist)


def construct_relative_path(current_template_name: str | None, relative_name: str, allow_recursion: bool = False) -> str:
    """Resolve ``"./x.html"`` and ``"../x.html"`` against the current template's name.

    >>> construct_relative_path("blog/post.html", '"./base.html"')
    '"blog/base.html"'
    >>> construct_relative_path("blog/post.html", "base.html")
    'base.html'
    """
    new_name = relative_name.strip("'\"")
    if not new_name.startswith(("./", "../")):
        return relative_name
    if current_template_name is None:
        raise TemplateSyntaxError(
            f"The relative path {relative_name} cannot be evaluated due to an unknown template origin."
        )
    new_name = posixpath.normpath(posixpath.join(posixpath.dirname(current_template_name.lstrip("/")), new_name))
    if new_name.startswith("../"):
        raise TemplateSyntaxError(
            f"The relative path '{relative_name}' points outside the file hierarchy that template "
            f"'{current_template_name}' is in."
        )
    if not allow_recursion and current_template_name.lstrip("/") == new_name:
        raise TemplateSyntaxError(
            f"The relative path '{relative_name}' was translated to template name '{current_template_name}', "
            "the same template in which the tag appears."
        )
    has_quotes = relative_name[:1] in ("'", '"') and relative_name[0] == relative_name[-1]
    return f'"{new_name}"' if has_quotes else new_name


@register.tag("extends")
def do_extends(parser, token) -> ExtendsNode:
    """``{% extends "base.html" %}`` or ``{% extends variable %}``: must be the first tag."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise TemplateSyntaxError(f"'{bits[0]}' takes one argument")
    bits[1] = construct_relative_path(parser.origin.template_name if parser.origin else None, bits[1], allow_recursion=True)
    parent_name = parser.compile_filter(bits[1])
    nodelist = parser.parse()
    if nodelist.get_nodes_by_type(ExtendsNode):
        raise TemplateSyntaxError(f"'{bits[0]}' cannot appear more than once in the same template")
    return ExtendsNode(nodelist, parent_name)


@register.tag("include")
def do_include(parser, token) -> IncludeNode:
    """``{% include "name.html" %}``, ``... with a=b c=d``, ``... only``."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise TemplateSyntaxError(
            f"{bits[0]!r} tag takes at least one argument: the name of the template to be included."
        )
    options = {}
    remaining_bits = bits[2:]
    while remaining_bits:
        option = remaining_bits.pop(0)
        if option in options:
            raise TemplateSyntaxError(f"The {option!r} option was specified more than once.")
        if option == "with":
            value = token_kwargs(remaining_bits, parser, support_legacy=False)
            if not value:
                raise TemplateSyntaxError(f'"with" in {bits[0]!r} tag needs at least one keyword argument.')
        elif option == "only":
            value = True
        else:
            raise TemplateSyntaxError(f"Unknown argument for {bits[0]!r} tag: {option!r}.")
        options[option] = value
    bits[1] = construct_relative_path(parser.origin.template_name if parser.origin else None, bits[1])
    return IncludeNode(
        parser.compile_filter(bits[1]),
        extra_context=options.get("with", {}),
        isolated_context=options.get("only", False),
    )
