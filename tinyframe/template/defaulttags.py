"""The built-in tags: the library every template starts with, and its control flow.

How it works: each tag is a compile function ``do_<tag>(parser, token)``
registered on a ``Library``; it reads the tag's words, parses its body with
``parser.parse((end tags...))`` when it has one, and returns a Node. The Node
renders itself (``render``) and, for the tags the compiler knows, writes the
Python that does the same (``compile``).

This module holds the tags that decide what renders and with which names —
``{% if %}``, ``{% for %}``, ``{% with %}`` — and ``register``, the built-in
library the engine loads into every template (``Engine.default_builtins``).
The other built-in tags live with their kind, each module with a library of
its own that ``register`` takes in at the end of this one:

- ``conditions``: what an ``{% if %}`` condition means, interpreted or compiled;
- ``loop_tags``: cycle, resetcycle, ifchanged, regroup;
- ``syntax_tags``: load, comment, verbatim, templatetag;
- ``text_tags``: autoescape, spaceless, filter, lorem;
- ``value_tags``: firstof, now, widthratio, debug;
- ``url_tags``: url, querystring, csrf_token.

Their names can still be imported from here, as from Django's
``django.template.defaulttags``.
"""

import contextlib

from tinyframe.template import loop_tags, syntax_tags, text_tags, url_tags, value_tags
from tinyframe.template.base import Node, NodeList, TemplateSyntaxError, token_kwargs
from tinyframe.template.conditions import TemplateIfParser, compile_condition, interpret_condition, template_names
from tinyframe.template.library import Library
from tinyframe.utils.safestring import mark_safe

# Re-exported: Django's django.template.defaulttags offers the other tags' names.
from tinyframe.conf import settings  # noqa: F401
from tinyframe.template.base import TextNode, VariableDoesNotExist, kwarg_re, render_value_in_context  # noqa: F401
from tinyframe.template.conditions import TemplateLiteral  # noqa: F401
from tinyframe.template.context import Context  # noqa: F401
from tinyframe.template.defaultfilters import date  # noqa: F401
from tinyframe.template.loop_tags import (  # noqa: F401
    CycleNode, GroupedResult, IfChangedNode, RegroupNode, ResetCycleNode,
    do_cycle, do_ifchanged, do_regroup, do_resetcycle,
)
from tinyframe.template.smartif import IfParser, Literal  # noqa: F401
from tinyframe.template.syntax_tags import (  # noqa: F401
    CommentNode, LoadNode, TemplateTagNode, VerbatimNode,
    do_comment, do_load, do_templatetag, do_verbatim, find_library, load_from_library,
)
from tinyframe.template.text_tags import (  # noqa: F401
    AutoEscapeControlNode, FilterNode, LoremNode, SpacelessNode,
    do_autoescape, do_filter, do_lorem, do_spaceless, strip_spaces_between_tags,
)
from tinyframe.template.url_tags import (  # noqa: F401
    CsrfTokenNode, NoReverseMatch, URLNode, do_csrf_token, do_querystring, do_url, querystring, reverse,
)
from tinyframe.template.value_tags import (  # noqa: F401
    DebugNode, FirstOfNode, NowNode, WidthRatioNode, do_debug, do_firstof, do_now, do_widthratio,
)
from tinyframe.utils.html import conditional_escape, format_html  # noqa: F401

register = Library()
# The built-in library holds this module's tags and those of the modules they
# live in: the engine loads it as one library, as Django does.
for _module in (loop_tags, syntax_tags, text_tags, value_tags, url_tags):
    register.tags.update(_module.register.tags)


class IfNode(Node):
    """``{% if %}`` / ``{% elif %}`` / ``{% else %}``: the first true branch renders."""

    transparent = True

    def __init__(self, conditions_nodelists):
        # [(condition, nodelist), ...]; the condition of {% else %} is None.
        self.conditions_nodelists = conditions_nodelists

    def __repr__(self):
        return f"<{type(self).__name__}>"

    def __iter__(self):
        for _, nodelist in self.conditions_nodelists:
            yield from nodelist

    @property
    def nodelist(self) -> NodeList:
        """The nodes of every branch (for ``get_nodes_by_type`` and the compiler)."""
        return NodeList(self)

    def render(self, context) -> str:
        for condition, nodelist in self.conditions_nodelists:
            if condition is None:  # {% else %}
                return nodelist.render(context)
            if interpret_condition(condition, context):
                return nodelist.render(context)
        return ""

    def compile(self, code) -> None:
        """Each condition as plain Python in ``try``; if it raises, ``interpret_condition`` decides.

        Django's rule (an operator whose operand raises is False) would need
        a ``try`` around every operator. Instead the condition runs as plain
        Python, which gives the same answer unless something raises; then
        the code the interpreter uses evaluates it again, by Django's rules:
        exact, and free when nothing fails. The price: after a failure the
        operands are evaluated again, so a method with side effects would
        run twice (templates must not call those: see ``alters_data``).

        The interpreter reads names from the context, but a compiled loop or
        ``{% with %}`` may hold them in Python locals instead: the ones the
        condition reads are handed to it in a dict (``code.locals_dict``),
        so the loop keeps its fast locals.
        """
        code.comment(self)
        self.compile_branches(code, code.unique_name("condition"), self.conditions_nodelists)

    def compile_branches(self, code, local: str, branches: list) -> None:
        """The first branch as ``try``/``if``; the rest (elif, else) inside its ``else``.

        An ``{% elif %}`` needs its own ``try``, a statement, so it can't be
        an ``elif`` line: each one nests a level deeper (Python allows 100).
        """
        condition, nodelist = branches[0]
        code.line("try:")
        with code.indent():
            code.line(f"{local} = {compile_condition(code, condition)}")
        code.line("except Exception:")
        with code.indent():
            arguments = [code.constant(condition, "parsed_condition"), "context"]
            names = code.locals_dict(template_names(condition))
            if names:
                arguments.append(names)
            code.line(f"{local} = {code.constant(interpret_condition, 'interpret_condition')}({', '.join(arguments)})")
        code.line(f"if {local}:")
        code.body(nodelist)
        rest = branches[1:]
        if rest:
            code.line("else:")
            if rest[0][0] is None:  # {% else %}
                code.body(rest[0][1])
            else:  # {% elif %}: tried only now, with its own try
                with code.indent():
                    self.compile_branches(code, local, rest)


@register.tag("if")
def do_if(parser, token) -> IfNode:
    """``{% if condition %} ... {% elif condition %} ... {% else %} ... {% endif %}``."""
    # {% if ... %}
    bits = token.split_contents()[1:]
    condition = TemplateIfParser(parser, bits).parse()
    nodelist = parser.parse(("elif", "else", "endif"))
    conditions_nodelists = [(condition, nodelist)]
    token = parser.next_token()
    # {% elif ... %} (repeatable)
    while token.contents.startswith("elif"):
        bits = token.split_contents()[1:]
        condition = TemplateIfParser(parser, bits).parse()
        nodelist = parser.parse(("elif", "else", "endif"))
        conditions_nodelists.append((condition, nodelist))
        token = parser.next_token()
    # {% else %} (optional)
    if token.contents == "else":
        nodelist = parser.parse(("endif",))
        conditions_nodelists.append((None, nodelist))
        token = parser.next_token()
    # {% endif %}
    if token.contents != "endif":
        raise TemplateSyntaxError(f"Malformed template tag at line {token.lineno}: \"{token.contents}\"")
    return IfNode(conditions_nodelists)


class ForNode(Node):
    """``{% for x in items %}``: the body once per item, with ``forloop``; else ``{% empty %}``."""

    child_nodelists = ("nodelist_loop", "nodelist_empty")
    transparent = True

    def __init__(self, loopvars, sequence, is_reversed, nodelist_loop, nodelist_empty=None):
        self.loopvars = loopvars  # ["post"], or ["key", "value"] to unpack each item
        self.sequence = sequence  # a FilterExpression
        self.is_reversed = is_reversed
        self.nodelist_loop = nodelist_loop
        self.nodelist_empty = nodelist_empty if nodelist_empty is not None else NodeList()

    def __repr__(self):
        reversed_text = " reversed" if self.is_reversed else ""
        return f"<{type(self).__name__}: for {', '.join(self.loopvars)} in {self.sequence}{reversed_text}>"

    def render(self, context) -> str:
        """Render the body once per item of the sequence, or the empty branch.

        Exercise 03.6. The loop's names live in a new context layer (``with
        context.push():``). Resolve the sequence with
        ``ignore_failures=True`` (a missing sequence counts as empty; make
        anything without a length a list). Empty: render ``nodelist_empty``.
        Else set ``context["forloop"]`` to a dict with ``parentloop`` (the
        enclosing loop's forloop, or ``{}``), and for each item (reversed if
        ``is_reversed``) update its ``counter0``, ``counter``,
        ``revcounter``, ``revcounter0``, ``first`` and ``last``, set the
        loop variable — or, with several, unpack the item into them — and
        render the body. An item with the wrong number of values raises,
        with the number of names and of values (Django's text, which ends
        with a full stop and a space):
        ``ValueError("Need <names> values to unpack in for loop; got <values>. ")``,
        e.g. ``"Need 2 values to unpack in for loop; got 3. "``.
        """
        parentloop = context["forloop"] if "forloop" in context else {}
        with context.push():
            values = self.sequence.resolve(context, ignore_failures=True)
            if values is None:
                values = []
            if not hasattr(values, "__len__"):
                values = list(values)
            length = len(values)
            if length < 1:
                return self.nodelist_empty.render(context)
            if self.is_reversed:
                values = reversed(values)
            unpack = len(self.loopvars) > 1
            forloop = context["forloop"] = {"parentloop": parentloop}
            output = []
            for index, item in enumerate(values):
                forloop["counter0"] = index
                forloop["counter"] = index + 1
                forloop["revcounter"] = length - index
                forloop["revcounter0"] = length - index - 1
                forloop["first"] = index == 0
                forloop["last"] = index == length - 1
                if unpack:
                    try:
                        item_length = len(item)
                    except TypeError:  # not a sequence: one value
                        item_length = 1
                    if item_length != len(self.loopvars):
                        raise ValueError(
                            f"Need {len(self.loopvars)} values to unpack in for loop; got {item_length}. "
                        )
                    context.update(dict(zip(self.loopvars, item)))
                else:
                    context[self.loopvars[0]] = item
                for node in self.nodelist_loop:
                    output.append(node.render_annotated(context))
                if unpack:
                    context.pop()
        return mark_safe("".join(output))

    def compile(self, code) -> None:
        code.comment(self)
        if code.is_transparent(self.nodelist_loop) and code.is_transparent(self.nodelist_empty):
            self.compile_with_locals(code)
        else:
            self.compile_with_context(code)

    def compile_with_locals(self, code) -> None:
        """The fast loop: the loop's names are Python locals, and the context is left alone.

        ``forloop`` is kept up to date only when the body reads it, which is
        known only once the body is compiled: the lines that need it go into
        sections reserved before the body and are filled in after.
        """
        items = code.unique_name("loop_items")
        code.line(f"{items} = loop_values({code.expression(self.sequence, ignore_failures=True)})")
        if self.nodelist_empty:
            code.line(f"if {items}:")
        with code.indent() if self.nodelist_empty else contextlib.nullcontext():
            parentloop = code.scope.get("forloop")  # an enclosing loop's, if any
            setup, header = code.section(), code.section()
            index, length = code.unique_name("index"), code.unique_name("length")
            with code.new_scope():
                forloop = code.bind("forloop")
                if len(self.loopvars) == 1:
                    item = code.bind(self.loopvars[0])
                else:
                    item = code.unique_name("item")
                    names = [code.bind(name) for name in self.loopvars]
                per_item = code.body(self.nodelist_loop)
            if len(self.loopvars) > 1:
                per_item.line(f"{', '.join(names)} = unpack({item}, {len(names)})")
            sequence = f"reversed({items})" if self.is_reversed else items
            if forloop in code.used_locals:
                if parentloop is not None:
                    code.used_locals.add(parentloop)  # the enclosing loop must keep its forloop too
                parent = parentloop or "context.get('forloop', {})"
                setup.line(f"{length} = len({items})")
                setup.line(f"{forloop} = {{'parentloop': {parent}}}")
                header.line(f"for {index}, {item} in enumerate({sequence}):")
                per_item.line(forloop_update(forloop, index, length))
            else:
                header.line(f"for {item} in {sequence}:")
        if self.nodelist_empty:
            code.line("else:")
            code.body(self.nodelist_empty)

    def compile_with_context(self, code) -> None:
        """The loop as the interpreter runs it: names in a context layer, for nodes that read them there."""
        parentloop = code.unique_name("parentloop")
        code.line(f"{parentloop} = context.get('forloop', {{}})")
        code.line("with context.push():")
        with code.indent(), code.new_scope(inherit=False):
            items = code.unique_name("loop_items")
            code.line(f"{items} = loop_values({code.expression(self.sequence, ignore_failures=True)})")
            code.line(f"if {items}:")
            with code.indent():
                forloop, index, length = code.unique_name("forloop"), code.unique_name("index"), code.unique_name("length")
                item = code.unique_name("item")
                sequence = f"reversed({items})" if self.is_reversed else items
                code.line(f"{length} = len({items})")
                code.line(f"{forloop} = context['forloop'] = {{'parentloop': {parentloop}}}")
                code.line(f"for {index}, {item} in enumerate({sequence}):")
                with code.indent():
                    code.line(forloop_update(forloop, index, length))
                    if len(self.loopvars) > 1:
                        names = tuple(self.loopvars)
                        code.line(f"with context.update(dict(zip({names!r}, unpack({item}, {len(names)})))):")
                        code.body(self.nodelist_loop)
                    else:
                        code.line(f"context[{self.loopvars[0]!r}] = {item}")
                        code.nodelist(self.nodelist_loop)
            if self.nodelist_empty:
                code.line("else:")
                code.body(self.nodelist_empty)


def forloop_update(forloop: str, index: str, length: str) -> str:
    """The line of Python that brings ``forloop`` up to date for item number ``index``."""
    return (
        f"{forloop}.update(counter0={index}, counter={index} + 1, revcounter={length} - {index}, "
        f"revcounter0={length} - {index} - 1, first={index} == 0, last={index} == {length} - 1)"
    )


@register.tag("for")
def do_for(parser, token) -> ForNode:
    """``{% for a[, b...] in sequence [reversed] %} ... [{% empty %} ...] {% endfor %}``."""
    bits = token.split_contents()
    if len(bits) < 4:
        raise TemplateSyntaxError(f"'for' statements should have at least four words: {token.contents}")
    is_reversed = bits[-1] == "reversed"
    in_index = -3 if is_reversed else -2
    if bits[in_index] != "in":
        raise TemplateSyntaxError(f"'for' statements should use the format 'for x in y': {token.contents}")
    invalid_chars = frozenset((" ", '"', "'", "|"))
    loopvars = [name.strip() for name in " ".join(bits[1:in_index]).split(",")]
    for name in loopvars:
        if not name or not invalid_chars.isdisjoint(name):
            raise TemplateSyntaxError(f"'for' tag received an invalid argument: {token.contents}")
    sequence = parser.compile_filter(bits[in_index + 1])
    nodelist_loop = parser.parse(("empty", "endfor"))
    token = parser.next_token()
    if token.contents == "empty":
        nodelist_empty = parser.parse(("endfor",))
        parser.delete_first_token()
    else:
        nodelist_empty = None
    return ForNode(loopvars, sequence, is_reversed, nodelist_loop, nodelist_empty)


class WithNode(Node):
    """``{% with name=value %}``: names for the body, computed once."""

    transparent = True

    def __init__(self, var, name, nodelist, extra_context=None):
        self.nodelist = nodelist
        # {name: FilterExpression}; (var, name) is the legacy "with value as name".
        self.extra_context = extra_context or {}
        if name:
            self.extra_context[name] = var

    def __repr__(self):
        return f"<{type(self).__name__}>"

    def render(self, context) -> str:
        values = {key: value.resolve(context) for key, value in self.extra_context.items()}
        with context.push(**values):
            return self.nodelist.render(context)

    def compile(self, code) -> None:
        code.comment(self)
        # The values are computed with the names outside the tag.
        values = {name: code.expression(value) for name, value in self.extra_context.items()}
        if code.is_transparent(self.nodelist):
            with code.new_scope():
                for name, expression in values.items():
                    code.line(f"{code.bind(name)} = {expression}")
                code.nodelist(self.nodelist)
        else:
            pairs = ", ".join(f"{name!r}: {expression}" for name, expression in values.items())
            code.line(f"with context.push({{{pairs}}}):")
            with code.new_scope(inherit=False):
                code.body(self.nodelist)


@register.tag("with")
def do_with(parser, token) -> WithNode:
    """``{% with total=items|length %} ... {% endwith %}`` (or the old ``with value as name``)."""
    bits = token.split_contents()
    remaining_bits = bits[1:]
    extra_context = token_kwargs(remaining_bits, parser, support_legacy=True)
    if not extra_context:
        raise TemplateSyntaxError(f"{bits[0]!r} expected at least one variable assignment")
    if remaining_bits:
        raise TemplateSyntaxError(f"{bits[0]!r} received an invalid token: {remaining_bits[0]!r}")
    nodelist = parser.parse(("endwith",))
    parser.delete_first_token()
    return WithNode(None, None, nodelist, extra_context=extra_context)
