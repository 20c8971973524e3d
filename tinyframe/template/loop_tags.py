"""The tags that work across the items of a loop: cycle, resetcycle.

How it works: these tags remember something from one render of their node to
the next, while a ``{% for %}`` runs. ``{% cycle %}`` keeps its place in
``context.render_context`` (one render of a template), under the node itself,
and ``{% resetcycle %}`` sends it back to the start.

Neither has code of its own in a compiled template: each renders itself
(``Node.compile``'s default), and since they read and set names in the
context, a loop around them keeps its names there too.
"""

import itertools

from tinyframe.template.base import Node, TemplateSyntaxError, render_value_in_context
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
