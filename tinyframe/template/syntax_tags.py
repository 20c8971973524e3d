"""The tags about the template's own source: load, comment, verbatim, templatetag.

How it works: these tags do their work while the template is parsed, and
leave little or nothing to render. ``{% load %}`` adds a library's tags and
filters to the parser (``Parser.add_library``), so the tags after it can be
parsed; ``{% comment %}`` skips its body unparsed; ``{% verbatim %}`` keeps its
body as the text it was written as; ``{% templatetag %}`` outputs one of the
template language's own delimiters, which written plainly would be parsed.
Their nodes render constants, so they compile to constants, and a loop
around them keeps its names in Python locals.
"""

from tinyframe.template.base import Node, TemplateSyntaxError, TextNode
from tinyframe.template.context import Context
from tinyframe.template.library import Library
from tinyframe.utils.suggestions import suggest

register = Library()


class SilentNode(Node):
    """A tag that outputs nothing: it did its work while parsing, or has none to do."""

    child_nodelists = ()
    transparent = True

    def render(self, context) -> str:
        return ""

    def compile(self, code) -> None:
        pass


class LoadNode(SilentNode):
    """``{% load %}`` did its work while parsing: the library's tags and filters are the parser's now."""


def find_library(parser, name: str):
    """The library ``{% load name %}`` means, or an error listing the loadable ones."""
    try:
        return parser.libraries[name]
    except KeyError:
        error = TemplateSyntaxError(
            "'{}' is not a registered tag library. Must be one of:\n{}".format(name, "\n".join(sorted(parser.libraries)))
        )
    suggest(error, name, parser.libraries)
    if not parser.libraries:
        error.add_note(
            "No tag library is registered: name one in TEMPLATES' OPTIONS['libraries'], "
            "or put a templatetags package in an installed app."
        )
    raise error


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


class CommentNode(SilentNode):
    """A ``{% comment %}`` block: renders nothing."""


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
