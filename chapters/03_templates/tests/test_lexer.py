"""The lexer: template source cut into TEXT, VAR, BLOCK and COMMENT tokens with their lines."""

import pytest

from tinyframe.template.base import Lexer, Token, TokenType

TEXT, VAR, BLOCK, COMMENT = TokenType.TEXT, TokenType.VAR, TokenType.BLOCK, TokenType.COMMENT


def kinds_and_contents(source: str) -> list[tuple]:
    return [(token.token_type, token.contents) for token in Lexer(source).tokenize()]


@pytest.mark.exercise("03.2")
@pytest.mark.parametrize(
    "source, expected",
    [
        ("", []),
        ("just text", [(TEXT, "just text")]),
        ("{{ name }}", [(VAR, "name")]),
        ("Hi {{ name }}!", [(TEXT, "Hi "), (VAR, "name"), (TEXT, "!")]),
        ("{% if x %}{% endif %}", [(BLOCK, "if x"), (BLOCK, "endif")]),
        ("a{# note #}b", [(TEXT, "a"), (COMMENT, "note"), (TEXT, "b")]),
        ("{{   spaced|upper   }}", [(VAR, "spaced|upper")]),
        ("{{}}", [(VAR, "")]),
        ("{{ a }}{{ b }}", [(VAR, "a"), (VAR, "b")]),
        ("{ not a tag } {{x}", [(TEXT, "{ not a tag } {{x}")]),
        ("{{ split\nover lines }}", [(TEXT, "{{ split\nover lines }}")]),
    ],
)
def test_tokenize_finds_text_variables_tags_and_comments(source, expected):
    """Split a template into tokens of the right kinds, with the tags' insides stripped."""
    got = kinds_and_contents(source)
    assert got == expected, f"Lexer({source!r}).tokenize() gave {got}; expected {expected}"


@pytest.mark.exercise("03.2")
def test_tokens_know_their_line_numbers():
    """Every token records the line it starts on, counting the newlines before it."""
    source = "line one\n{{ two }}\n\n{% four %}text\nfive{# five #}"
    got = [(token.contents, token.lineno) for token in Lexer(source).tokenize()]
    expected = [("line one\n", 1), ("two", 2), ("\n\n", 2), ("four", 4), ("text\nfive", 4), ("five", 5)]
    assert got == expected, f"(contents, lineno) of the tokens of {source!r}: got {got}; expected {expected}"


@pytest.mark.exercise("03.2")
def test_tokens_know_their_position_in_the_source():
    """A token's position is its (start, end) offset, so errors can quote the source."""
    source = "ab{{ c }}d"
    positions = [token.position for token in Lexer(source).tokenize()]
    assert positions == [(0, 2), (2, 9), (9, 10)], f"positions of the tokens of {source!r}: {positions}"
    assert [source[start:end] for start, end in positions] == ["ab", "{{ c }}", "d"]


def test_verbatim_keeps_tags_inside_as_text():
    """Between {% verbatim %} and {% endverbatim %}, tags are plain text."""
    got = kinds_and_contents("{% verbatim %}{{ x }}{% if %}{% endverbatim %}{{ y }}")
    assert got == [
        (BLOCK, "verbatim"), (TEXT, "{{ x }}"), (TEXT, "{% if %}"), (BLOCK, "endverbatim"), (VAR, "y"),
    ], got


def test_named_verbatim_ends_only_at_its_own_end_tag():
    """{% verbatim name %} ends at {% endverbatim name %}, so it can contain {% endverbatim %}."""
    got = kinds_and_contents("{% verbatim v %}{% endverbatim %}{% endverbatim v %}")
    assert got == [(BLOCK, "verbatim v"), (TEXT, "{% endverbatim %}"), (BLOCK, "endverbatim v")], got


def test_split_contents_keeps_quoted_strings_together():
    """A tag's words: quoted strings with spaces stay one word, escapes included."""
    token = Token(BLOCK, 'include "a b.html" with title="It\'s \\"x\\"" only')
    assert token.split_contents() == ["include", '"a b.html"', "with", 'title="It\'s \\"x\\""', "only"]


def test_token_repr_names_its_kind():
    """A token's repr shows its kind and the start of its contents."""
    assert repr(Token(VAR, "name")) == "<VAR token: 'name'>"
