"""The tags that shape the text of their body: autoescape, spaceless.

How it works: ``{% autoescape %}`` changes how the variables in its body are
output (escaped or not); ``{% spaceless %}`` renders its body first, then
changes the text: the whitespace between tags removed.

Compiled, each does the same in Python: the body is compiled in place, and
its output collected (``code.capture``) where the tag changes it afterwards.
"""

import re

from tinyframe.template.base import Node, TemplateSyntaxError
from tinyframe.template.library import Library
from tinyframe.utils.safestring import mark_safe

register = Library()


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
