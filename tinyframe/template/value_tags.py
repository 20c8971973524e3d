"""The tags that output one computed value: firstof, now, widthratio, debug.

How it works: each tag's node works out a value when it renders — the first
true one of several, the current time, a ratio scaled to a width, a dump of
the context — and outputs it, or with ``as name`` stores it in the context
instead (firstof, now, widthratio). ``{% firstof %}`` without ``as`` compiles
to a Python ``or`` of its values; the others render themselves in compiled
templates (``Node.compile``'s default).
"""

import datetime
import pprint
import sys
import zoneinfo

from tinyframe.conf import settings
from tinyframe.template.base import Node, TemplateSyntaxError, VariableDoesNotExist, render_value_in_context
from tinyframe.template.defaultfilters import date
from tinyframe.template.library import Library
from tinyframe.utils.html import escape

register = Library()


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


class DebugNode(Node):
    """``{% debug %}``: the context and the imported modules, for a developer looking at a page.

    It shows everything the template can see, so it shows nothing unless
    ``settings.DEBUG`` is on: a forgotten ``{% debug %}`` must not leak the
    context of a production page.
    """

    child_nodelists = ()

    def render(self, context) -> str:
        if not settings.DEBUG:
            return ""
        # The innermost names first, as a lookup finds them.
        output = [escape(pprint.pformat(names)) for names in context]
        output.append("\n\n")
        output.append(escape(pprint.pformat(sys.modules)))
        return "".join(output)


@register.tag("debug")
def do_debug(parser, token) -> DebugNode:
    """``{% debug %}``: dump the context (with ``DEBUG`` on), e.g. inside ``<pre>``."""
    return DebugNode()
