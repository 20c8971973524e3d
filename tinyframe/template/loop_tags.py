"""The tags that work across the items of a loop: cycle, resetcycle, ifchanged, regroup.

How it works: these tags remember something from one render of their node to
the next, while a ``{% for %}`` runs. ``{% cycle %}`` keeps its place in
``context.render_context`` (one render of a template), under the node itself;
``{% ifchanged %}`` keeps what it last rendered in the loop's ``forloop``
dict, so a new run of the loop starts afresh; ``{% regroup %}`` does its work
before the loop: it turns a sorted list into a list of groups
(``GroupedResult``) that a loop can walk.

None of them has code of its own in a compiled template: each renders itself
(``Node.compile``'s default), and since they read and set names in the
context, a loop around them keeps its names there too.
"""

import itertools
from collections import namedtuple

from tinyframe.template.base import Node, NodeList, TemplateSyntaxError, render_value_in_context
from tinyframe.template.library import Library

register = Library()


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


class IfChangedNode(Node):
    """``{% ifchanged %}``: the body, unless it (or the given values) is the same as last time.

    What it last saw is kept in the enclosing loop's ``forloop`` dict, under
    the node itself: each run of the loop starts with nothing seen, so in
    nested loops an inner ``{% ifchanged %}`` speaks again for each outer
    item. Outside a loop it is kept for the render of the template.
    """

    child_nodelists = ("nodelist_true", "nodelist_false")

    def __init__(self, nodelist_true, nodelist_false, *values):
        self.nodelist_true = nodelist_true
        self.nodelist_false = nodelist_false
        self.values = values  # FilterExpressions; none: compare the rendered body

    def render(self, context) -> str:
        memory = context["forloop"] if "forloop" in context else context.render_context
        rendered = None
        if self.values:
            current = [value.resolve(context, ignore_failures=True) for value in self.values]
        else:
            current = rendered = self.nodelist_true.render(context)
        if self not in memory or memory[self] != current:
            memory[self] = current
            return rendered if rendered is not None else self.nodelist_true.render(context)
        return self.nodelist_false.render(context)


@register.tag("ifchanged")
def do_ifchanged(parser, token) -> IfChangedNode:
    """``{% ifchanged [value ...] %} ... [{% else %} ...] {% endifchanged %}``.

    Without values, the body is output when its text differs from the last
    time; with values (``{% ifchanged post.date.day %}``), when one of them
    does. ``{% else %}`` is output when nothing changed.
    """
    bits = token.split_contents()
    nodelist_true = parser.parse(("else", "endifchanged"))
    if parser.next_token().contents == "else":
        nodelist_false = parser.parse(("endifchanged",))
        parser.delete_first_token()
    else:
        nodelist_false = NodeList()
    values = [parser.compile_filter(bit) for bit in bits[1:]]
    return IfChangedNode(nodelist_true, nodelist_false, *values)


# One group of {% regroup %}: the value the items share, and the items.
GroupedResult = namedtuple("GroupedResult", ["grouper", "list"])


class RegroupNode(Node):
    """``{% regroup %}``: a list cut into runs of items that share a value, stored under a name."""

    child_nodelists = ()

    def __init__(self, target, expression, var_name: str):
        self.target = target  # the list, a FilterExpression
        self.expression = expression  # the shared value, read from var_name (see do_regroup)
        self.var_name = var_name

    def key(self, item, context):
        """The value ``item`` is grouped by: the expression, with ``item`` under the result's name."""
        context[self.var_name] = item
        return self.expression.resolve(context, ignore_failures=True)

    def render(self, context) -> str:
        items = self.target.resolve(context, ignore_failures=True)
        if items is None:
            context[self.var_name] = []
            return ""
        # groupby joins neighbours only, as Django does: sort the list by the
        # same value first (dictsort) to get one group per value.
        groups = [
            GroupedResult(grouper, list(members))
            for grouper, members in itertools.groupby(items, lambda item: self.key(item, context))
        ]
        context[self.var_name] = groups
        return ""


@register.tag("regroup")
def do_regroup(parser, token) -> RegroupNode:
    """``{% regroup people|dictsort:"city" by city as cities %}``: group a sorted list.

    Each group has ``grouper`` (the shared value) and ``list`` (its items),
    and unpacks as a pair: ``{% for city, people in cities %}``.
    """
    bits = token.split_contents()
    if len(bits) != 6:
        raise TemplateSyntaxError("'regroup' tag takes five arguments")
    target = parser.compile_filter(bits[1])
    if bits[2] != "by":
        raise TemplateSyntaxError("second argument to 'regroup' tag must be 'by'")
    if bits[4] != "as":
        raise TemplateSyntaxError("next-to-last argument to 'regroup' tag must be 'as'")
    var_name = bits[5]
    # "by city|lower" is read as "<var_name>.city|lower": render() puts each
    # item under var_name while grouping, so the filters apply too.
    expression = parser.compile_filter(f"{var_name}.{bits[3]}")
    return RegroupNode(target, expression, var_name)
