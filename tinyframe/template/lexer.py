"""The lexer: a template's source cut into tokens, and the words inside a tag.

How it works: one regular expression, ``tag_re``, finds every ``{{ ... }}``,
``{% ... %}`` and ``{# ... #}``. ``Lexer.tokenize`` splits the source on it
into ``Token`` objects — TEXT for the text between tags, VAR, BLOCK and
COMMENT for the tags — each with its offsets and its line, for error
messages. The parser (``tinyframe.template.parser``) reads the tokens in
order; a tag's compile function splits its own contents into words with
``Token.split_contents`` (``smart_split``: quoted strings stay whole), and
``unescape_string_literal`` turns a quoted word into its value.

>>> Lexer('{% if x %}{{ name|upper }}{% endif %}').tokenize()
[<BLOCK token: 'if x'>, <VAR token: 'name|upper'>, <BLOCK token: 'endif'>]
"""

import enum
import re
from dataclasses import dataclass

# One regular expression finds every tag. ".*?" stops at the first closing
# delimiter and "." does not match a newline, so a tag never spans lines.
tag_re = re.compile(r"({%.*?%}|{{.*?}}|{#.*?#})")


class TokenType(enum.Enum):
    """The four kinds of token: plain text and the three kinds of tag."""

    TEXT = 0
    VAR = 1
    BLOCK = 2
    COMMENT = 3


@dataclass(slots=True)
class Token:
    """One piece of a template's source: its kind, its contents and where it was.

    ``contents`` is the inside of a tag, stripped (``for post in posts``), or
    the text itself for a TEXT token. ``position`` is the ``(start, end)``
    offset in the source, for error messages.
    """

    token_type: TokenType
    contents: str
    position: tuple[int, int] | None = None
    lineno: int | None = None

    def split_contents(self) -> list[str]:
        """The tag's words, keeping quoted strings together.

        >>> Token(TokenType.BLOCK, 'include "a b.html" with x=1').split_contents()
        ['include', '"a b.html"', 'with', 'x=1']
        """
        return smart_split(self.contents)

    def __repr__(self):
        return f"<{self.token_type.name} token: {self.contents[:20]!r}>"


class Lexer:
    """Splits a template's source into tokens."""

    def __init__(self, template_string: str):
        self.template_string = template_string
        # Inside {% verbatim %}, the end tag we are waiting for ("endverbatim").
        self.verbatim: str | bool = False

    def tokenize(self) -> list[Token]:
        """Return the tokens of the source, in order, each with its line number.

        Exercise 03.2. ``tag_re.split`` with its capturing group returns text
        and tags alternately: text, tag, text, tag... (an empty string where
        two tags touch). Make a token of every non-empty piece with
        ``create_token(piece, (start, end), lineno, in_tag)``: its offsets in
        the source, its line (count the newlines as you go; the first line
        is 1) and whether it is a tag (which flips at every piece, empty or
        not).

        >>> Lexer("Hi {{ name }}!\\n{% if x %}{# note #}").tokenize()
        [<TEXT token: 'Hi '>, <VAR token: 'name'>, <TEXT token: '!\\n'>, <BLOCK token: 'if x'>, <COMMENT token: 'note'>]
        """
        tokens = []
        lineno = 1
        position = 0
        in_tag = False
        for piece in tag_re.split(self.template_string):
            if piece:
                end = position + len(piece)
                tokens.append(self.create_token(piece, (position, end), lineno, in_tag))
                lineno += piece.count("\n")
                position = end
            in_tag = not in_tag
        return tokens

    def create_token(self, token_string: str, position, lineno: int, in_tag: bool) -> Token:
        """The token for one piece of the source: a tag when ``in_tag``, else text.

        Between ``{% verbatim %}`` and its end tag every tag is kept as text,
        which is why the lexer, not the tag, has to know about verbatim.
        """
        if not in_tag:
            return Token(TokenType.TEXT, token_string, position, lineno)
        opener, content = token_string[:2], token_string[2:-2].strip()
        if self.verbatim:
            if opener != "{%" or content != self.verbatim:
                return Token(TokenType.TEXT, token_string, position, lineno)
            self.verbatim = False
        if opener == "{{":
            return Token(TokenType.VAR, content, position, lineno)
        if opener == "{#":
            return Token(TokenType.COMMENT, content, position, lineno)
        if content == "verbatim" or content.startswith("verbatim "):
            self.verbatim = f"end{content}"
        return Token(TokenType.BLOCK, content, position, lineno)


# A word of a tag: quoted strings (with backslash escapes) stay whole, even
# when glued to other characters, as in  with title="A tale"  or  _("Hi there").
smart_split_re = re.compile(
    r"""
    (?: [^\s'"]*                                          # unquoted start
        (?: (?: "(?:[^"\\]|\\.)*" | '(?:[^'\\]|\\.)*' )   # a quoted string
            [^\s'"]*                                      # more unquoted text
        )+
    ) | \S+
    """,
    re.VERBOSE,
)


def smart_split(text: str) -> list[str]:
    """Split ``text`` on whitespace, keeping quoted strings whole.

    >>> smart_split('cycle "a b" \\'c d\\' e="f g"')
    ['cycle', '"a b"', "'c d'", 'e="f g"']
    """
    return smart_split_re.findall(text)


def unescape_string_literal(literal: str) -> str:
    """The value of a quoted template string: quotes removed, ``\\"`` unescaped.

    >>> unescape_string_literal('"say \\\\"hi\\\\""')
    'say "hi"'
    >>> unescape_string_literal("nope")
    Traceback (most recent call last):
      ...
    ValueError: Not a string literal: 'nope'
    """
    if len(literal) < 2 or literal[0] not in "\"'" or literal[-1] != literal[0]:
        raise ValueError(f"Not a string literal: {literal!r}")
    quote = literal[0]
    return literal[1:-1].replace(f"\\{quote}", quote).replace("\\\\", "\\")
