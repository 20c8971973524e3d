"""Nodes: the tree a parsed template is made of, and how each piece renders.

How it works: the parser (``tinyframe.template.parser``) turns every TEXT
token into a ``TextNode``, every ``{{ }}`` into a ``VariableNode`` and
every tag into the ``Node`` its compile function returns; a tag with a body
holds a ``NodeList`` of its own. Rendering walks the tree:
``NodeList.render(context)`` asks each node for its text and joins the
pieces. A ``{{ }}`` becomes text through ``render_value``: ``str()``, then
escaped unless safe when auto-escaping. An error while rendering is tied to
its template and line by ``annotate_error``. The compiler
(``tinyframe.template.compiler``) asks the same nodes to ``compile``
themselves into Python instead.

>>> from tinyframe.template import Context, Engine
>>> nodelist = Engine(compiled=False).from_string("Hi {{ name }}!").nodelist
>>> nodelist, nodelist.render(Context({"name": "<b>"}))
([<TextNode: 'Hi '>, <VariableNode: name>, <TextNode: '!'>], 'Hi &lt;b&gt;!')
"""

from tinyframe.template.variables import FilterExpression, template_localtime
from tinyframe.utils.html import conditional_escape
from tinyframe.utils.safestring import SafeString

UNKNOWN_SOURCE = "<unknown source>"


def render_value(value, autoescape: bool) -> str:
    """The text a value becomes in the output: ``str()``, escaped unless safe when ``autoescape``.

    >>> from tinyframe.utils.safestring import mark_safe
    >>> render_value("<b>", True), render_value(mark_safe("<b>"), True), render_value(None, False)
    ('&lt;b&gt;', '<b>', 'None')
    """
    value = template_localtime(value)
    if autoescape:
        if not isinstance(value, str):
            # Made text first, as Django does: an object is trusted only if its
            # str() is a SafeString, never for having an __html__ method.
            value = str(value)
        return conditional_escape(value)
    return str(value)


def render_value_in_context(value, context) -> str:
    """``render_value`` with the context's auto-escaping (for tags that output values)."""
    return render_value(value, context.autoescape)


class Node:
    """One piece of a parsed template.

    Two ways to turn a node into text, with the same result:

    - ``render(context)`` returns the text: the tree-walking interpreter,
      and the meaning of the node.
    - ``compile(code)`` emits Python lines that append the text to the output
      (see ``tinyframe.template.compiler``). The default emits a call to
      ``self.render(context)``, so a custom node works in a compiled template
      without knowing about the compiler; built-in nodes emit faster code.

    ``child_nodelists`` names the attributes holding nested nodes (the body of
    a ``{% for %}``), for ``get_nodes_by_type`` and the compiler.
    """

    must_be_first = False
    child_nodelists = ("nodelist",)
    token = None
    origin = None
    # True when compile() emits code that reads the template's names only
    # through code.expression and sets none in the context: a loop around
    # the node may then keep its names in Python locals (see compiler.py).
    transparent = False

    def render(self, context) -> str:
        """The text of this node in ``context``. Subclasses must define it."""
        raise NotImplementedError(f"{type(self).__name__} must define render(context)")

    def render_annotated(self, context) -> str:
        """``render``, adding this node's template and line to an error (with ``debug``)."""
        try:
            return self.render(context)
        except Exception as error:
            template = context.template
            if template is not None and template.engine.debug:
                annotate_error(error, self.origin, self.token)
            raise

    def compile(self, code) -> None:
        """Emit Python that appends this node's text (the default: call ``render``)."""
        code.render_node(self)

    def __iter__(self):
        yield self

    def get_nodes_by_type(self, nodetype) -> list:
        """Every node of ``nodetype`` in this node and its children, depth first."""
        nodes = []
        if isinstance(self, nodetype):
            nodes.append(self)
        for attribute in self.child_nodelists:
            nodelist = getattr(self, attribute, None)
            if nodelist:
                nodes.extend(nodelist.get_nodes_by_type(nodetype))
        return nodes


class NodeList(list):
    """The nodes of a template or of a tag's body, rendered one after another."""

    # Set by the parser: has a tag or variable been seen ({% extends %} must come first)?
    contains_nontext = False

    def render(self, context) -> SafeString:
        """Render every node and join the pieces."""
        return SafeString("".join([node.render_annotated(context) for node in self]))

    def get_nodes_by_type(self, nodetype) -> list:
        nodes = []
        for node in self:
            nodes.extend(node.get_nodes_by_type(nodetype))
        return nodes


class TextNode(Node):
    """Template text outside any tag, output as it is."""

    child_nodelists = ()
    transparent = True

    def __init__(self, s: str):
        self.s = s

    def render(self, context) -> str:
        return self.s

    def render_annotated(self, context) -> str:
        # Text cannot fail, so it skips the error bookkeeping: most nodes are text.
        return self.s

    def compile(self, code) -> None:
        code.output(repr(self.s))

    def __repr__(self):
        return f"<TextNode: {self.s[:25]!r}>"


class VariableNode(Node):
    """``{{ expression }}``: the expression's value, escaped when auto-escaping."""

    child_nodelists = ()
    transparent = True

    def __init__(self, filter_expression: FilterExpression):
        self.filter_expression = filter_expression

    def render(self, context) -> str:
        return render_value_in_context(self.filter_expression.resolve(context), context)

    def compile(self, code) -> None:
        code.output_escaped(code.expression(self.filter_expression), code.source_of(self))

    def __repr__(self):
        return f"<VariableNode: {self.filter_expression}>"


def annotate_error(error: Exception, origin, token, source: str | None = None, debug: bool = False) -> None:
    """Tell ``error`` which template and line it came from, once (the innermost place wins).

    The facts go in ``error.template_debug`` (for error pages) and in a note
    that Python prints under the message: ``In template 'blog.html', line 3:
    {% fro post in posts %}``. With ``debug`` the note shows the lines around it.
    """
    if hasattr(error, "template_debug") or token is None:
        return
    name = origin.name if origin is not None else UNKNOWN_SOURCE
    if source is None and origin is not None and origin.loader is not None:
        try:
            source = origin.loader.get_contents(origin)
        except Exception:
            source = None
    line = token.lineno
    error.template_debug = {"name": name, "line": line, "message": str(error), "during": None, "source_lines": []}
    where = "a template given as a string" if name == UNKNOWN_SOURCE else f"template {name!r}"
    note = f"In {where}, line {line}"
    if source is not None and token.position is not None:
        start, end = token.position
        error.template_debug["during"] = source[start:end]
        note += f": {source[start:end]}"
    if source is not None:
        lines = source.splitlines()
        first, last = max(line - 3, 1), min(line + 2, len(lines))
        error.template_debug["source_lines"] = [(number, lines[number - 1]) for number in range(first, last + 1)]
        if debug:
            excerpt = "\n".join(
                f"{'>' if number == line else ' '} {number:4} | {text}"
                for number, text in error.template_debug["source_lines"]
            )
            note += "\n" + excerpt
    error.add_note(note)
