"""The built-in tags.

How it works: each tag is a compile function ``do_<tag>(parser, token)``
registered on ``register``; it reads the tag's words, parses its body with
``parser.parse((end tags...))`` when it has one, and returns a Node. The Node
renders itself (``render``) and, for the tags the compiler knows, writes the
Python that does the same (``compile``).

The first section holds the structural tags the engine compiles —
``{% if %}``, ``{% for %}``, ``{% with %}``, ``{% load %}``; the second the
other tags.
"""

import contextlib
import datetime
import itertools
import operator
import re
import warnings
import zoneinfo

from tinyframe.conf import settings
from tinyframe.template.base import (
    Node,
    NodeList,
    TemplateSyntaxError,
    TextNode,
    VariableDoesNotExist,
    kwarg_re,
    render_value_in_context,
    token_kwargs,
)
from tinyframe.template.context import Context
from tinyframe.template.defaultfilters import date
from tinyframe.template.library import Library
from tinyframe.template.smartif import IfParser, Literal
from tinyframe.urls import NoReverseMatch, reverse
from tinyframe.utils.html import conditional_escape, format_html
from tinyframe.utils.safestring import mark_safe

register = Library()


# --- structural tags (compiled by the engine) ---


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


def interpret_condition(condition, context, names: dict | None = None):
    """The value of a parsed ``{% if %}`` condition by Django's rules, as the interpreter finds it.

    An operator whose operand raises is False (``smartif``); a missing
    filter argument makes the whole condition None; any other exception of
    a bare condition is the template's error. ``names`` are values held in
    compiled code's Python locals, seen above the context.

    >>> from tinyframe.template import Context, Engine
    >>> [node] = Engine().from_string("{% if not post.words|divisibleby:0 %}{% endif %}").nodelist
    >>> interpret_condition(node.conditions_nodelists[0][0], Context(), {"post": {"words": 3}})
    False
    """
    try:
        if names:
            with context.push(names):
                return condition.eval(context)
        return condition.eval(context)
    except VariableDoesNotExist:
        return None


def compile_condition(code, condition) -> str:
    """A Python expression for a parsed ``{% if %}`` condition (see ``smartif``).

    Python's own operators: ``and``, ``or``, ``not`` short-circuit the way
    the template's do. Where the template would be False instead of raising
    (``None < 1``, an operand whose lookup or filter fails), Python raises:
    ``IfNode.compile`` catches that and asks the interpreter.

    >>> from tinyframe.template import Engine
    >>> template = Engine().from_string("{% if posts|length > 2 and not user.is_staff %}{% endif %}")
    >>> print(template.source_code.splitlines()[6].strip())
    condition = length(resolve(context, 'posts', (), None)) > 2 and not resolve(context, 'user', ('is_staff',), None)
    """
    if condition.id == "literal":
        return code.expression(condition.value, ignore_failures=True)
    if condition.id == "not":
        return f"not {compile_condition(code, condition.first)}"
    operands = [condition.first, condition.second]
    compiled = [compile_condition(code, operand) for operand in operands]
    if condition.id in ("is", "is not"):
        # Python warns about "x is 1" (identity with a literal): call operator.is_ instead.
        function = code.constant(operator.is_ if condition.id == "is" else operator.is_not, "is_")
        return f"{function}({compiled[0]}, {compiled[1]})"
    if condition.id not in ("and", "or"):
        # A comparison. Python chains "a < b < c" where the template means
        # "(a < b) < c", and can't read "a == not b": an operand that is
        # itself an operation needs brackets.
        compiled = [text if operand.id == "literal" else f"({text})" for operand, text in zip(operands, compiled)]
    return f" {condition.id} ".join(compiled)


def template_names(condition) -> list[str]:
    """The names a parsed ``{% if %}`` condition looks up in the context, in order.

    >>> from tinyframe.template import Engine
    >>> [node] = Engine().from_string("{% if post.draft or not post|add:extra %}{% endif %}").nodelist
    >>> template_names(node.conditions_nodelists[0][0])
    ['post', 'extra']
    """
    if condition.id != "literal":
        operands = [operand for operand in (condition.first, condition.second) if operand is not None]
        return list(dict.fromkeys(name for operand in operands for name in template_names(operand)))
    expression = condition.value
    variables = [expression.var] if expression.is_var else []
    variables += [argument for _, args in expression.filters for needs_resolving, argument in args if needs_resolving]
    return list(dict.fromkeys(variable.lookups[0] for variable in variables if variable.lookups is not None))


class TemplateLiteral(Literal):
    """An operand of ``{% if %}``: a FilterExpression, resolved when evaluated."""

    def __init__(self, value, text: str):
        self.value = value
        self.text = text  # for error messages

    def display(self) -> str:
        return self.text

    def eval(self, context):
        return self.value.resolve(context, ignore_failures=True)


class TemplateIfParser(IfParser):
    """The ``{% if %}`` parser whose operands are template expressions."""

    error_class = TemplateSyntaxError

    def __init__(self, parser, *args, **kwargs):
        self.template_parser = parser
        super().__init__(*args, **kwargs)

    def create_var(self, value):
        return TemplateLiteral(self.template_parser.compile_filter(value), value)


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


class LoadNode(Node):
    """``{% load %}`` did its work while parsing; it outputs nothing."""

    child_nodelists = ()
    transparent = True

    def render(self, context) -> str:
        return ""

    def compile(self, code) -> None:
        pass


def find_library(parser, name: str):
    """The library ``{% load name %}`` means, or an error listing the loadable ones."""
    try:
        return parser.libraries[name]
    except KeyError:
        raise TemplateSyntaxError(
            "'{}' is not a registered tag library. Must be one of:\n{}".format(name, "\n".join(sorted(parser.libraries)))
        ) from None


def load_from_library(library, label: str, names) -> Library:
    """A library holding only the tags and filters ``names`` of ``library``."""
    subset = Library()
    for name in names:
        found = False
        if name in library.tags:
            found = True
            subset.tags[name] = library.tags[name]
        if name in library.filters:
            found = True
            subset.filters[name] = library.filters[name]
        if not found:
            raise TemplateSyntaxError(f"'{name}' is not a valid tag or filter in tag library '{label}'")
    return subset


@register.tag("load")
def do_load(parser, token) -> LoadNode:
    """``{% load lib1 lib2 %}``, or ``{% load tag1 filter1 from lib %}`` for some of a library."""
    bits = token.contents.split()
    if len(bits) >= 4 and bits[-2] == "from":
        # {% load tag1 filter1 from library %}
        name = bits[-1]
        library = find_library(parser, name)
        parser.add_library(load_from_library(library, name, bits[1:-2]))
    else:
        for name in bits[1:]:
            parser.add_library(find_library(parser, name))
    return LoadNode()


# --- other tags ---
#
# Tags that change how their body is output (autoescape, spaceless, verbatim,
# comment), pick or compute a value (cycle, firstof, now, widthratio, url,
# templatetag), or emit a form's CSRF field (csrf_token). The compiled
# template reaches most of them through Node.compile's default, a call to
# render(). The few whose output needs no names from the context, or reads
# them only through code.expression, compile to code of their own and are
# transparent, so that a loop around them keeps its names in Python locals.


class AutoEscapeControlNode(Node):
    """``{% autoescape on|off %}``: render the body with auto-escaping switched on or off."""

    transparent = True

    def __init__(self, setting: bool, nodelist):
        self.setting = setting
        self.nodelist = nodelist

    def render(self, context) -> str:
        outer = context.autoescape
        context.autoescape = self.setting
        try:
            output = self.nodelist.render(context)
        finally:
            context.autoescape = outer
        # Text rendered with escaping on is HTML: keep it safe if an outer
        # tag treats the result as a value.
        return mark_safe(output) if self.setting else output

    def compile(self, code) -> None:
        if not code.is_transparent(self.nodelist):
            # A node inside renders itself and reads context.autoescape,
            # which render() sets.
            code.render_node(self)
            return
        code.comment(self)
        with code.autoescaping(self.setting):
            code.nodelist(self.nodelist)


@register.tag("autoescape")
def do_autoescape(parser, token) -> Node:
    """``{% autoescape off %}...{% endautoescape %}``: turn auto-escaping off (or on) for a block."""
    bits = token.contents.split()
    if len(bits) != 2:
        raise TemplateSyntaxError("'autoescape' tag requires exactly one argument.")
    setting = bits[1]
    if setting not in ("on", "off"):
        raise TemplateSyntaxError(f"'autoescape' argument should be 'on' or 'off', not {setting!r}.")
    nodelist = parser.parse(("endautoescape",))
    parser.delete_first_token()
    return AutoEscapeControlNode(setting == "on", nodelist)


class CommentNode(Node):
    """A ``{% comment %}`` block: renders nothing."""

    child_nodelists = ()
    transparent = True

    def render(self, context) -> str:
        return ""

    def compile(self, code) -> None:
        pass


@register.tag("comment")
def do_comment(parser, token) -> Node:
    """``{% comment "optional note" %}...{% endcomment %}``: leave out everything up to endcomment.

    The body is skipped without being parsed, so it may hold broken tags.
    """
    parser.skip_past("endcomment")
    return CommentNode()


class VerbatimNode(TextNode):
    """The text of a ``{% verbatim %}`` block, output as it was written: to the engine, plain text."""

    def compile(self, code) -> None:
        code.output(repr(self.s), code.source_of(self))


@register.tag("verbatim")
def do_verbatim(parser, token) -> Node:
    """``{% verbatim %}{{ not a variable }}{% endverbatim %}``: output template syntax as text.

    The lexer keeps everything between the tags as text (a name,
    ``{% verbatim js %}`` ... ``{% endverbatim js %}``, lets the block contain
    ``{% endverbatim %}`` itself), so the body is only text nodes.
    """
    nodelist = parser.parse(("endverbatim",))
    parser.delete_first_token()
    return VerbatimNode(nodelist.render(Context()))


class CycleNode(Node):
    """``{% cycle %}``: each time it renders, the next of its values, round and round.

    Where the cycle stands is kept in ``context.render_context`` under the
    node itself, so every render of a template starts from the first value,
    and ``{% cycle name %}`` (the same node, used again) continues it.
    """

    child_nodelists = ()

    def __init__(self, values: list, variable_name: str | None = None, silent: bool = False):
        self.values = values
        self.variable_name = variable_name
        self.silent = silent

    def render(self, context) -> str:
        if self not in context.render_context:
            context.render_context[self] = itertools.cycle(self.values)
        value = next(context.render_context[self]).resolve(context)
        if self.variable_name:
            context.set_upward(self.variable_name, value)
        if self.silent:
            return ""
        return render_value_in_context(value, context)

    def reset(self, context) -> None:
        """Start again from the first value."""
        context.render_context[self] = itertools.cycle(self.values)


@register.tag("cycle")
def do_cycle(parser, token) -> Node:
    """``{% cycle 'odd' 'even' %}``, ``{% cycle a b as name [silent] %}``, then ``{% cycle name %}``.

    With ``as name`` the current value is also stored in the context (``silent``:
    only stored, not output), and ``{% cycle name %}`` later in the template
    moves the same cycle on.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise TemplateSyntaxError("'cycle' tag requires at least two arguments")
    named_cycles = parser.__dict__.setdefault("_named_cycle_nodes", {})
    if len(bits) == 2:
        # {% cycle name %}: the node named earlier, so both places share one cycle.
        name = bits[1]
        if not named_cycles:
            raise TemplateSyntaxError(
                f"No named cycles in template. '{name}' is not defined; name one first with "
                f"{{% cycle 'a' 'b' as {name} %}}."
            )
        if name not in named_cycles:
            raise TemplateSyntaxError(
                f"Named cycle '{name}' does not exist. Named cycles: {', '.join(sorted(named_cycles))}."
            )
        return named_cycles[name]
    silent = False
    if bits[-1] == "silent" and len(bits) > 4 and bits[-3] == "as":
        silent = True
        bits = bits[:-1]
    elif len(bits) > 4 and bits[-3] == "as":
        raise TemplateSyntaxError(f"Only 'silent' flag is allowed after cycle's name, not '{bits[-1]}'.")
    if len(bits) > 4 and bits[-2] == "as":
        name = bits[-1]
        node = CycleNode([parser.compile_filter(bit) for bit in bits[1:-2]], name, silent=silent)
        named_cycles[name] = node
    else:
        node = CycleNode([parser.compile_filter(bit) for bit in bits[1:]])
    parser._last_cycle_node = node
    return node


class ResetCycleNode(Node):
    """``{% resetcycle %}``: make a cycle start again from its first value."""

    child_nodelists = ()

    def __init__(self, node: CycleNode):
        self.node = node

    def render(self, context) -> str:
        self.node.reset(context)
        return ""


@register.tag("resetcycle")
def do_resetcycle(parser, token) -> Node:
    """``{% resetcycle %}`` resets the last cycle above it; ``{% resetcycle name %}`` a named one."""
    bits = token.split_contents()
    if len(bits) > 2:
        raise TemplateSyntaxError(f"'{bits[0]}' tag accepts at most one argument.")
    if len(bits) == 2:
        name = bits[1]
        try:
            return ResetCycleNode(parser._named_cycle_nodes[name])
        except (AttributeError, KeyError):
            raise TemplateSyntaxError(f"Named cycle '{name}' does not exist.") from None
    try:
        return ResetCycleNode(parser._last_cycle_node)
    except AttributeError:
        raise TemplateSyntaxError("No cycles in template.") from None


class FirstOfNode(Node):
    """``{% firstof %}``: the first of its values that is true, escaped like a variable."""

    child_nodelists = ()

    def __init__(self, values: list, asvar: str | None = None):
        self.values = values
        self.asvar = asvar
        # With "as name" it sets a name in the context.
        self.transparent = asvar is None

    def render(self, context) -> str:
        first = ""
        for value in self.values:
            value = value.resolve(context, ignore_failures=True)
            if value:
                first = render_value_in_context(value, context)
                break
        if self.asvar:
            context[self.asvar] = first
            return ""
        return first

    def compile(self, code) -> None:
        if not self.transparent:
            code.render_node(self)
            return
        # Python's "or" also stops at the first true value.
        values = [code.expression(value, ignore_failures=True) for value in self.values]
        code.output_escaped(" or ".join([*values, "''"]), code.source_of(self))


@register.tag("firstof")
def do_firstof(parser, token) -> Node:
    """``{% firstof a b "default" %}``: output the first true value, or nothing; ``as name`` stores it."""
    bits = token.split_contents()[1:]
    asvar = None
    if not bits:
        raise TemplateSyntaxError("'firstof' statement requires at least one argument")
    if len(bits) >= 2 and bits[-2] == "as":
        asvar = bits[-1]
        bits = bits[:-2]
    return FirstOfNode([parser.compile_filter(bit) for bit in bits], asvar)


class SpacelessNode(Node):
    """``{% spaceless %}``: the body with the whitespace between tags removed."""

    transparent = True

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        return strip_spaces_between_tags(self.nodelist.render(context).strip())

    def compile(self, code) -> None:
        code.comment(self)
        with code.capture() as captured:
            code.nodelist(self.nodelist)
        strip = code.constant(strip_spaces_between_tags, "strip_spaces_between_tags")
        code.output(f"{strip}(''.join({captured}).strip())")


def strip_spaces_between_tags(value: str) -> str:
    """Remove the whitespace between a ``>`` and the next ``<``.

    >>> strip_spaces_between_tags("<p>\\n  <a> x </a>\\n</p>")
    '<p><a> x </a></p>'
    """
    return re.sub(r">\s+<", "><", value)


@register.tag("spaceless")
def do_spaceless(parser, token) -> Node:
    """``{% spaceless %}...{% endspaceless %}``: drop whitespace between tags (not inside text)."""
    nodelist = parser.parse(("endspaceless",))
    parser.delete_first_token()
    return SpacelessNode(nodelist)


class NowNode(Node):
    """``{% now %}``: the current date and time, formatted like the ``date`` filter."""

    child_nodelists = ()

    def __init__(self, format_string: str, asvar: str | None = None):
        self.format_string = format_string
        self.asvar = asvar
        # render() reads no names; with "as name" it sets one.
        self.transparent = asvar is None

    def render(self, context) -> str:
        if getattr(settings, "USE_TZ", False):
            now = datetime.datetime.now(zoneinfo.ZoneInfo(getattr(settings, "TIME_ZONE", None) or "UTC"))
        else:
            now = datetime.datetime.now()
        formatted = date(now, self.format_string)
        if self.asvar:
            context[self.asvar] = formatted
            return ""
        return formatted


@register.tag("now")
def do_now(parser, token) -> Node:
    """``{% now "jS F Y H:i" %}``, or a format setting's name (``{% now "SHORT_DATE_FORMAT" %}``); ``as name`` stores it."""
    bits = token.split_contents()
    asvar = None
    if len(bits) == 4 and bits[-2] == "as":
        asvar = bits[-1]
        bits = bits[:-2]
    if len(bits) != 2 or len(bits[1]) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise TemplateSyntaxError("'now' statement takes one argument, a quoted format string: {% now \"Y-m-d\" %}")
    return NowNode(bits[1][1:-1], asvar)


class TemplateTagNode(Node):
    """``{% templatetag %}``: one of the template language's delimiters, as text."""

    child_nodelists = ()
    transparent = True
    mapping = {
        "openblock": "{%",
        "closeblock": "%}",
        "openvariable": "{{",
        "closevariable": "}}",
        "openbrace": "{",
        "closebrace": "}",
        "opencomment": "{#",
        "closecomment": "#}",
    }

    def __init__(self, tagtype: str):
        self.tagtype = tagtype

    def render(self, context) -> str:
        return self.mapping[self.tagtype]

    def compile(self, code) -> None:
        code.output(repr(self.mapping[self.tagtype]), code.source_of(self))


@register.tag("templatetag")
def do_templatetag(parser, token) -> Node:
    """``{% templatetag openblock %}`` outputs ``{%``: a delimiter as text, where it would be parsed."""
    bits = token.contents.split()
    if len(bits) != 2:
        raise TemplateSyntaxError("'templatetag' statement takes one argument")
    tagtype = bits[1]
    if tagtype not in TemplateTagNode.mapping:
        raise TemplateSyntaxError(
            f"Invalid templatetag argument: '{tagtype}'. Must be one of: {', '.join(TemplateTagNode.mapping)}"
        )
    return TemplateTagNode(tagtype)


class WidthRatioNode(Node):
    """``{% widthratio %}``: value / max_value * max_width, rounded: the width of a bar in a chart."""

    child_nodelists = ()

    def __init__(self, value, max_value, max_width, asvar: str | None = None):
        self.value = value
        self.max_value = max_value
        self.max_width = max_width
        self.asvar = asvar

    def render(self, context) -> str:
        try:
            value = self.value.resolve(context)
            max_value = self.max_value.resolve(context)
            max_width = int(self.max_width.resolve(context))
        except VariableDoesNotExist:
            return ""
        except (ValueError, TypeError):
            raise TemplateSyntaxError("widthratio final argument must be a number") from None
        try:
            result = str(round(float(value) / float(max_value) * max_width))
        except ZeroDivisionError:
            result = "0"
        except (ValueError, TypeError, OverflowError):
            result = ""
        if self.asvar:
            context[self.asvar] = result
            return ""
        return result


@register.tag("widthratio")
def do_widthratio(parser, token) -> Node:
    """``{% widthratio this_value max_value max_width [as name] %}``: for bar charts (175/200 of 100 -> 88)."""
    bits = token.split_contents()
    asvar = None
    if len(bits) == 6:
        if bits[4] != "as":
            raise TemplateSyntaxError("Invalid syntax in widthratio tag. Expecting 'as' keyword")
        asvar = bits[5]
    elif len(bits) != 4:
        raise TemplateSyntaxError("widthratio takes at least three arguments")
    value, max_value, max_width = (parser.compile_filter(bit) for bit in bits[1:4])
    return WidthRatioNode(value, max_value, max_width, asvar)


class URLNode(Node):
    """``{% url %}``: the path of a named URL pattern, built by ``tinyframe.urls.reverse``."""

    child_nodelists = ()

    def __init__(self, view_name, args: list, kwargs: dict, asvar: str | None):
        self.view_name = view_name
        self.args = args
        self.kwargs = kwargs
        self.asvar = asvar

    def render(self, context) -> str:
        view_name = self.view_name.resolve(context)
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {name: value.resolve(context) for name, value in self.kwargs.items()}
        # Inside a namespaced app, reverse("app:name") prefers the instance
        # that handled this request.
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        url = ""
        try:
            url = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag("url")
def do_url(parser, token) -> Node:
    """``{% url 'blog:detail' post.pk %}`` or ``{% url 'archive' year=2024 as link %}``: reverse a URL.

    A name that cannot be reversed raises ``NoReverseMatch``, unless ``as name``
    is given: then the variable is set to "" (so ``{% if link %}`` can test it).
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise TemplateSyntaxError(f"'{bits[0]}' takes at least one argument, a URL pattern name.")
    view_name = parser.compile_filter(bits[1])
    bits = bits[2:]
    asvar = None
    if len(bits) >= 2 and bits[-2] == "as":
        asvar = bits[-1]
        bits = bits[:-2]
    args, kwargs = [], {}
    for bit in bits:
        name, value = kwarg_re.match(bit).groups()
        if name:
            kwargs[name] = parser.compile_filter(value)
        else:
            args.append(parser.compile_filter(value))
    return URLNode(view_name, args, kwargs, asvar)


class CsrfTokenNode(Node):
    """``{% csrf_token %}``: the hidden form field carrying the CSRF token.

    The token comes from the context's ``csrf_token``, which chapter 10's CSRF
    machinery (a context processor over ``CsrfViewMiddleware``) provides. When
    the context has none — as in every template before chapter 10, or one
    rendered without a ``RequestContext`` — the tag renders nothing, as
    Django's does, with a warning under DEBUG since a form posted without its
    token will be refused.
    """

    child_nodelists = ()

    def render(self, context) -> str:
        csrf_token = context.get("csrf_token")
        if csrf_token:
            if csrf_token == "NOTPROVIDED":
                return mark_safe("")
            return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)
        if settings.DEBUG:
            warnings.warn(
                "A {% csrf_token %} was used in a template, but the context did not provide the value. "
                "This is usually caused by not using RequestContext."
            )
        return ""


@register.tag("csrf_token")
def do_csrf_token(parser, token) -> Node:
    """``{% csrf_token %}`` inside a POST form: the CSRF field (empty until chapter 10 provides tokens)."""
    return CsrfTokenNode()
