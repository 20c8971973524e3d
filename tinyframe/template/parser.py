"""The parser: tokens become a tree of nodes, each tag built by its compile function.

How it works: ``Parser.parse`` takes the lexer's tokens one by one. TEXT
becomes a ``TextNode``; VAR a ``VariableNode`` holding a
``FilterExpression``; BLOCK is looked up by its first word in the tags the
parser knows (the engine's builtins, and any library ``{% load %}`` adds)
and the tag's compile function is called with the parser and the token. A
tag with a body, such as ``{% for %}``, calls ``parser.parse(("empty",
"endfor"))`` to read up to its end tag, so the tree is built by recursion.
An unknown tag, a filter nobody registered, or an end tag that never comes
is a ``TemplateSyntaxError`` tied to its token (which the template turns
into its name and line). ``token_kwargs`` reads the ``name=value`` words
many tags take.

>>> from tinyframe.template import Engine
>>> from tinyframe.template.lexer import Lexer
>>> tokens = Lexer("{% if x %}yes{% endif %}").tokenize()
>>> Parser(tokens, builtins=Engine().template_builtins).parse()
[<IfNode>]
"""

import re

from tinyframe.template.exceptions import TemplateSyntaxError
from tinyframe.template.lexer import Token, TokenType
from tinyframe.template.nodes import Node, NodeList, TextNode, VariableNode
from tinyframe.template.variables import FilterExpression
from tinyframe.utils.suggestions import suggest


class Parser:
    """Turns tokens into a tree of nodes, calling each tag's compile function.

    ``tags`` and ``filters`` start with the engine's builtins; ``{% load %}``
    adds more from ``libraries`` (name -> ``Library``). ``command_stack``
    holds the tags whose end tag has not been seen yet, for the "Unclosed tag"
    error. ``origin`` names the template in error messages.
    """

    def __init__(self, tokens: list[Token], libraries=None, builtins=None, origin=None):
        # Reversed, so that taking the next token is a cheap pop() from the end.
        self.tokens = list(reversed(tokens))
        self.tags: dict = {}
        self.filters: dict = {}
        self.command_stack: list[tuple[str, Token]] = []
        self.libraries = libraries or {}
        for library in builtins or ():
            self.add_library(library)
        self.origin = origin
        # A place for tags to leave information for the whole template.
        self.extra_data: dict = {}

    def parse(self, parse_until=()) -> "NodeList":
        """Parse tokens into nodes until one of the tags in ``parse_until``.

        The end tag is left for the tag's compile function to remove (with
        ``delete_first_token``); if the source ends first: "Unclosed tag".
        """
        nodelist = NodeList()
        while self.tokens:
            token = self.next_token()
            if token.token_type is TokenType.TEXT:
                self.extend_nodelist(nodelist, TextNode(token.contents), token)
            elif token.token_type is TokenType.VAR:
                if not token.contents:
                    raise self.error(token, f"Empty variable tag on line {token.lineno}")
                try:
                    filter_expression = self.compile_filter(token.contents)
                except TemplateSyntaxError as error:
                    raise self.error(token, error)
                self.extend_nodelist(nodelist, VariableNode(filter_expression), token)
            elif token.token_type is TokenType.BLOCK:
                try:
                    command = token.contents.split()[0]
                except IndexError:
                    raise self.error(token, f"Empty block tag on line {token.lineno}") from None
                if command in parse_until:
                    self.prepend_token(token)
                    return nodelist
                self.command_stack.append((command, token))
                compile_function = self.tags.get(command)
                if compile_function is None:
                    self.invalid_block_tag(token, command, parse_until)
                try:
                    node = compile_function(self, token)
                except Exception as error:
                    raise self.error(token, error)
                self.extend_nodelist(nodelist, node, token)
                self.command_stack.pop()
        if parse_until:
            self.unclosed_block_tag(parse_until)
        return nodelist

    def skip_past(self, endtag: str) -> None:
        """Drop every token up to and including ``{% endtag %}`` (for ``{% comment %}``)."""
        while self.tokens:
            token = self.next_token()
            if token.token_type is TokenType.BLOCK and token.contents == endtag:
                return
        self.unclosed_block_tag([endtag])

    def extend_nodelist(self, nodelist: "NodeList", node: "Node", token: Token) -> None:
        """Append ``node``, remembering its token and template for error messages."""
        if node.must_be_first and nodelist.contains_nontext:
            raise self.error(token, f"{{% {token.contents} %}} must be the first tag in the template.")
        if not isinstance(node, TextNode):
            nodelist.contains_nontext = True
        node.token = token
        node.origin = self.origin
        nodelist.append(node)

    def error(self, token: Token, error) -> Exception:
        """Return ``error`` (an exception or a message) tied to ``token``.

        ``Template`` uses the token to add the template's name and line to the
        error as a note; an error already tied to a token (raised inside a
        nested tag) keeps the innermost one.
        """
        if not isinstance(error, Exception):
            error = TemplateSyntaxError(error)
        if not hasattr(error, "token"):
            error.token = token
        return error

    def invalid_block_tag(self, token: Token, command: str, parse_until=()):
        """Raise the error for a tag nobody registered (or an end tag out of place).

        A known tag close to the unknown one (``fro`` for ``for``) is suggested in a note.
        """
        if parse_until:
            expected = [f"'{name}'" for name in parse_until]
            if len(expected) > 1:
                expected = [", ".join(expected[:-1]) + " or " + expected[-1]]
            error = TemplateSyntaxError(
                f"Invalid block tag on line {token.lineno}: '{command}', expected {expected[0]}. "
                "Did you forget to register or load this tag?"
            )
        else:
            error = TemplateSyntaxError(
                f"Invalid block tag on line {token.lineno}: '{command}'. Did you forget to register or load this tag?"
            )
        suggest(error, command, [*parse_until, *self.tags])
        raise self.error(token, error)

    def unclosed_block_tag(self, parse_until):
        """Raise the error for a tag whose end tag never came."""
        command, token = self.command_stack.pop()
        raise self.error(
            token,
            f"Unclosed tag on line {token.lineno}: '{command}'. Looking for one of: {', '.join(parse_until)}.",
        )

    def next_token(self) -> Token:
        return self.tokens.pop()

    def prepend_token(self, token: Token) -> None:
        self.tokens.append(token)

    def delete_first_token(self) -> None:
        del self.tokens[-1]

    def add_library(self, library) -> None:
        """Make a library's tags and filters available to the rest of the template."""
        self.tags.update(library.tags)
        self.filters.update(library.filters)

    def compile_filter(self, token: str) -> "FilterExpression":
        """Parse ``post.title|truncatewords:5`` into a ``FilterExpression``."""
        return FilterExpression(token, self)

    def find_filter(self, filter_name: str):
        """The filter function registered as ``filter_name``, or TemplateSyntaxError."""
        try:
            return self.filters[filter_name]
        except KeyError:
            error = TemplateSyntaxError(f"Invalid filter: '{filter_name}'")
            suggest(error, filter_name, self.filters)
            raise error from None


# The "name=value" (or plain "value") words of a tag such as
# {% with total=items|length %} or {% url "archive" year=2024 %}.
kwarg_re = re.compile(r"(?:(\w+)=)?(.+)")


def token_kwargs(bits: list, parser: Parser, support_legacy: bool = False) -> dict:
    """Take the leading ``name=value`` words off ``bits``; return ``{name: FilterExpression}``.

    With ``support_legacy``, also the old ``value as name`` form (``{% with
    total as count %}``). Stops at the first word that is neither, leaving it
    and the rest in ``bits``.

    >>> from tinyframe.template import Engine
    >>> parser = Parser([], builtins=Engine().template_builtins)
    >>> bits = ["a=b", "c=1", "only"]
    >>> sorted(token_kwargs(bits, parser)), bits
    (['a', 'c'], ['only'])
    """
    if not bits:
        return {}
    match = kwarg_re.match(bits[0])
    kwarg_format = match and match[1]
    if not kwarg_format:
        if not support_legacy or len(bits) < 3 or bits[1] != "as":
            return {}
    kwargs = {}
    while bits:
        if kwarg_format:
            match = kwarg_re.match(bits[0])
            if not match or not match[1]:
                return kwargs
            key, value = match.groups()
            del bits[:1]
        else:
            if len(bits) < 3 or bits[1] != "as":
                return kwargs
            key, value = bits[2], bits[0]
            del bits[:3]
        kwargs[key] = parser.compile_filter(value)
        if bits and not kwarg_format:
            if bits[0] != "and":
                return kwargs
            del bits[:1]
    return kwargs
