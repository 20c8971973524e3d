"""The tags that shape the text of their body, or make text: autoescape, spaceless, filter, lorem.

How it works: ``{% autoescape %}`` changes how the variables in its body are
output (escaped or not); ``{% spaceless %}`` and ``{% filter %}`` render their
body first, then change the text: the whitespace between tags removed, or
the text passed through filters as if it were a variable's value.
``{% lorem %}`` makes placeholder text of its own ("lorem ipsum").

Compiled, each does the same in Python: the body is compiled in place, and
its output collected (``code.capture``) where the tag changes it afterwards.
"""

import random
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


class FilterNode(Node):
    """``{% filter %}``: the body's text passed through filters, as a variable's value would be."""

    transparent = True

    def __init__(self, filter_expr, nodelist):
        self.filter_expr = filter_expr  # "var|<the tag's filters>": the text is the value of "var"
        self.nodelist = nodelist

    def render(self, context) -> str:
        text = self.nodelist.render(context)
        with context.push(var=text):
            return self.filter_expr.resolve(context)

    def compile(self, code) -> None:
        if not code.fast_lookups:
            # With string_if_invalid, expressions resolve themselves, through
            # the context: render() puts "var" there.
            code.render_node(self)
            return
        code.comment(self)
        with code.capture() as captured:
            code.nodelist(self.nodelist)
        with code.new_scope():
            text = code.bind("var")
            code.line(f"{text} = {code.constant(mark_safe, 'mark_safe')}(''.join({captured}))")
            code.output(code.expression(self.filter_expr))


@register.tag("filter")
def do_filter(parser, token) -> FilterNode:
    """``{% filter force_escape|lower %}...{% endfilter %}``: filter a block of template.

    The body is rendered, then its text goes through the filters (which may
    take arguments). ``escape`` and ``safe`` are refused: escaping a block is
    what ``{% autoescape %}`` is for.
    """
    bits = token.contents.split(None, 1)
    if len(bits) < 2:
        # Django fails here with a bare ValueError from unpacking.
        raise TemplateSyntaxError("'filter' tag requires at least one filter, as in {% filter lower %}")
    filter_expr = parser.compile_filter(f"var|{bits[1]}")
    for function, _ in filter_expr.filters:
        filter_name = getattr(function, "_filter_name", None)
        if filter_name in ("escape", "safe"):
            raise TemplateSyntaxError(f'"filter {filter_name}" is not permitted.  Use the "autoescape" tag instead.')
    nodelist = parser.parse(("endfilter",))
    parser.delete_first_token()
    return FilterNode(filter_expr, nodelist)


# --- {% lorem %}: placeholder text ---

# The placeholder paragraph every page designer knows; {% lorem %} starts with it.
COMMON_P = (
    "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor incididunt ut labore et "
    "dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex "
    "ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat "
    "nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit "
    "anim id est laborum."
)
# Its first sentence, word by word: what "{% lorem 5 w %}" starts with.
COMMON_WORDS = tuple(re.findall(r"[a-z]+", COMMON_P.lower())[:19])

# The random words come from the passage of Cicero's "De finibus" (1.10.32-33)
# that the placeholder text was made from.
_CICERO = """
Sed ut perspiciatis unde omnis iste natus error sit voluptatem accusantium doloremque laudantium, totam rem
aperiam, eaque ipsa quae ab illo inventore veritatis et quasi architecto beatae vitae dicta sunt explicabo. Nemo
enim ipsam voluptatem quia voluptas sit aspernatur aut odit aut fugit, sed quia consequuntur magni dolores eos qui
ratione voluptatem sequi nesciunt. Neque porro quisquam est, qui dolorem ipsum quia dolor sit amet, consectetur,
adipisci velit, sed quia non numquam eius modi tempora incidunt ut labore et dolore magnam aliquam quaerat
voluptatem. Ut enim ad minima veniam, quis nostrum exercitationem ullam corporis suscipit laboriosam, nisi ut
aliquid ex ea commodi consequatur? Quis autem vel eum iure reprehenderit qui in ea voluptate velit esse quam nihil
molestiae consequatur, vel illum qui dolorem eum fugiat quo voluptas nulla pariatur? At vero eos et accusamus et
iusto odio dignissimos ducimus qui blanditiis praesentium voluptatum deleniti atque corrupti quos dolores et quas
molestias excepturi sint occaecati cupiditate non provident, similique sunt in culpa qui officia deserunt mollitia
animi, id est laborum et dolorum fuga. Et harum quidem rerum facilis est et expedita distinctio. Nam libero
tempore, cum soluta nobis est eligendi optio cumque nihil impedit quo minus id quod maxime placeat facere
possimus, omnis voluptas assumenda est, omnis dolor repellendus. Temporibus autem quibusdam et aut officiis
debitis aut rerum necessitatibus saepe eveniet ut et voluptates repudiandae sint et molestiae non recusandae.
Itaque earum rerum hic tenetur a sapiente delectus, ut aut reiciendis voluptatibus maiores alias consequatur aut
perferendis doloribus asperiores repellat.
"""
WORDS = tuple(sorted(set(re.findall(r"[a-z]+", _CICERO.lower()))))


def words(count: int, common: bool = True) -> str:
    """``count`` words: the common opening first (with ``common``), then random ones.

    >>> words(5)
    'lorem ipsum dolor sit amet'
    >>> len(words(30).split()), len(words(3, common=False).split())
    (30, 3)
    """
    chosen = list(COMMON_WORDS) if common else []
    if count <= len(chosen):
        # Django slices here, so a negative count drops words from the end.
        return " ".join(chosen[:count])
    remaining = count - len(chosen)
    while remaining > 0:
        batch = min(remaining, len(WORDS))  # no word twice within a batch
        chosen += random.sample(WORDS, batch)
        remaining -= batch
    return " ".join(chosen)


def sentence() -> str:
    """A random sentence: one to five comma-separated runs of 3-12 words, capitalised, ending in . or ?"""
    sections = [" ".join(random.sample(WORDS, random.randint(3, 12))) for _ in range(random.randint(1, 5))]
    text = ", ".join(sections)
    return text[0].upper() + text[1:] + random.choice("?.")


def paragraph() -> str:
    """A random paragraph of one to four sentences."""
    return " ".join(sentence() for _ in range(random.randint(1, 4)))


def paragraphs(count: int, common: bool = True) -> list[str]:
    """``count`` paragraphs, the first of them ``COMMON_P`` with ``common``, the rest random."""
    return [COMMON_P if common and index == 0 else paragraph() for index in range(count)]


def lorem_text(count, method: str, common: bool) -> str:
    """What ``{% lorem count method [random] %}`` outputs: words (w), paragraphs (p) or text (b).

    A count that is not a number counts as 1.

    >>> lorem_text("3", "w", True)
    'lorem ipsum dolor'
    >>> lorem_text(None, "p", True) == f"<p>{COMMON_P}</p>"
    True
    """
    try:
        count = int(count)
    except (ValueError, TypeError):
        count = 1
    if method == "w":
        return words(count, common=common)
    texts = paragraphs(count, common=common)
    if method == "p":
        texts = [f"<p>{text}</p>" for text in texts]
    return "\n\n".join(texts)


class LoremNode(Node):
    """``{% lorem %}``: placeholder text, for a page whose content is not written yet."""

    child_nodelists = ()
    transparent = True

    def __init__(self, count, method: str, common: bool):
        self.count = count  # a FilterExpression
        self.method = method
        self.common = common

    def render(self, context) -> str:
        return lorem_text(self.count.resolve(context), self.method, self.common)

    def compile(self, code) -> None:
        function = code.constant(lorem_text, "lorem_text")
        code.output(f"{function}({code.expression(self.count)}, {self.method!r}, {self.common})", code.source_of(self))


@register.tag("lorem")
def do_lorem(parser, token) -> LoremNode:
    """``{% lorem [count] [w|p|b] [random] %}``: ``count`` words, paragraphs in ``<p>``, or plain paragraphs.

    The default is one plain paragraph (b). The text starts with the common
    "Lorem ipsum dolor sit amet..." unless ``random`` is given.
    """
    bits = token.split_contents()
    tag_name = bits[0]
    common = bits[-1] != "random"
    if not common:
        bits.pop()
    method = bits.pop() if bits[-1] in ("w", "p", "b") else "b"
    count = parser.compile_filter(bits.pop() if len(bits) > 1 else "1")
    if len(bits) != 1:
        raise TemplateSyntaxError(f"Incorrect format for {tag_name!r} tag")
    return LoremNode(count, method, common)
