"""Text helpers behind the filters: capfirst, slugify, Truncator, wrap, get_text_list, phone2numeric.

Expected outputs were probed against Django 5.2's django.utils.text.
"""

import pytest

from tinyframe.utils.text import Truncator, capfirst, get_text_list, phone2numeric, slugify, wrap

SLUGIFY_CASES = [
    (' Hello, World! ', 'hello-world', 'hello-world'),
    ('Ça va? Très bien', 'ca-va-tres-bien', 'ça-va-très-bien'),
    ('__a--b__', 'a-b', 'a-b'),
    ('a_b c-d', 'a_b-c-d', 'a_b-c-d'),
    ("It's 5 o'clock", 'its-5-oclock', 'its-5-oclock'),
    ('日本語 text', 'text', '日本語-text'),
    ('---', '', ''),
    ('ÆØÅ ß', 'a', 'æøå-ß'),
    ('a\tb\nc', 'a-b-c', 'a-b-c'),
    (5, '5', '5'),
    ('ﬁ ①', 'fi-1', 'fi-1'),
    ('-_a_-', 'a', 'a'),
    ('Straße', 'strae', 'straße'),
    ('  ', '', ''),
]

CHARS_CASES = [
    ('aq\u0301q\u0301q\u0301', 3, None, 'aq\u0301…'),
    ('The quick brown fox jumps', 10, None, 'The quick…'),
    ('The quick brown fox jumps', 3, None, 'Th…'),
    ('The quick brown fox jumps', 1, None, '…'),
    ('The quick brown fox jumps', 0, None, ''),
    ('The quick brown fox jumps', -1, None, ''),
    ('The quick brown fox jumps', 25, None, 'The quick brown fox jumps'),
    ('The quick brown fox jumps', 24, None, 'The quick brown fox jum…'),
    ('abcdef', 4, '...', 'a...'),
    ('abcdef', 4, '[%(truncated_text)s]', '[ab]'),
    ('abcdef', 4, '', 'abcd'),
    ('abćdef', 3, None, 'ab…'),
    ('abćdef', 4, None, 'abć…'),
    ('éééé', 3, None, 'éé…'),
    ('ab…cd', 4, None, 'ab……'),
    ('ab...cd', 6, '...', 'ab....'),
    ('', 3, None, ''),
    ('x', '1', None, 'x'),
]

WORDS_CASES = [
    ('The quick brown fox jumps', 3, None, 'The quick brown…'),
    ('The quick brown fox jumps', 0, None, ''),
    ('The quick brown fox jumps', 10, None, 'The quick brown fox jumps'),
    ('The quick brown fox jumps', 5, None, 'The quick brown fox jumps'),
    ('The quick brown fox jumps', 4, None, 'The quick brown fox…'),
    ('  a  b   c ', 2, None, 'a b…'),
    ('  a  b   c ', 3, None, 'a b c'),
    ('a b c', 2, ' …', 'a b …'),
    ('a b c', 2, '[%(truncated_text)s]', '[a b]'),
    ('a b… c', 2, None, 'a b……'),
    ('a b... c', 2, '...', 'a b...'),
    ('', 2, None, ''),
    ('one', '1', None, 'one'),
]

WRAP_CASES = [
    ('The quick brown fox jumps over the lazy dog', 10, 'The quick\nbrown fox\njumps over\nthe lazy\ndog'),
    ('averyveryverylongword short\nnext line here', 8, 'averyveryverylongword\nshort\nnext\nline\nhere'),
    ('a  b   c', 3, 'a\nb\nc'),
    ('line one\n\nline two is long', 6, 'line\none\n\nline\ntwo is\nlong'),
    ('trailing\n', 4, 'trailing\n'),
    ('  indented text here', 5, 'indented\ntext\nhere'),
    ('tab\tsep words', 4, 'tab\nsep\nwords'),
    ('a-b-c-d-e-f', 3, 'a-b-c-d-e-f'),
    ('', 5, ''),
    ('word word word word word ', 9, 'word word\nword word\nword'),
    ('a\r\nb c d', 3, 'a\nb c\nd'),
    ('\n\n x \n', 2, '\n\n x\n'),
]


@pytest.mark.parametrize("value, expected, expected_unicode", SLUGIFY_CASES)
def test_slugify(value, expected, expected_unicode):
    """slugify keeps ASCII letters, digits, _ and -, joining words with one hyphen; allow_unicode keeps other letters."""
    got = slugify(value)
    assert got == expected, f"slugify({value!r}) returned {got!r}; expected {expected!r}"
    got = slugify(value, allow_unicode=True)
    assert got == expected_unicode, f"slugify({value!r}, allow_unicode=True) returned {got!r}; expected {expected_unicode!r}"


@pytest.mark.parametrize("text, length, truncate, expected", CHARS_CASES)
def test_truncator_chars(text, length, truncate, expected):
    """Truncator.chars keeps at most N characters, the ending included; combining accents take no room."""
    got = Truncator(text).chars(length, truncate=truncate)
    assert got == expected, f"Truncator({text!r}).chars({length!r}, truncate={truncate!r}) returned {got!r}; expected {expected!r}"


@pytest.mark.parametrize("text, length, truncate, expected", WORDS_CASES)
def test_truncator_words(text, length, truncate, expected):
    """Truncator.words keeps N words joined by single spaces, adding the ending only when words were dropped."""
    got = Truncator(text).words(length, truncate=truncate)
    assert got == expected, f"Truncator({text!r}).words({length!r}, truncate={truncate!r}) returned {got!r}; expected {expected!r}"


@pytest.mark.parametrize("text, width, expected", WRAP_CASES)
def test_wrap(text, width, expected):
    """wrap breaks lines at the width, keeps existing line breaks and never splits a long word."""
    got = wrap(text, width)
    assert got == expected, f"wrap({text!r}, {width}) returned {got!r}; expected {expected!r}"


@pytest.mark.parametrize(
    "value, expected",
    [("hello", "Hello"), ("élan", "Élan"), ("hELLO", "HELLO"), ("", ""), (None, None), (5, "5")],
)
def test_capfirst(value, expected):
    """capfirst upper-cases the first character only; empty values come back as they are."""
    got = capfirst(value)
    assert got == expected, f"capfirst({value!r}) returned {got!r}; expected {expected!r}"


@pytest.mark.parametrize(
    "items, last_word, expected",
    [(["a", "b", "c"], "or", "a, b or c"), (["a", "b"], "and", "a and b"), (["a"], "or", "a"), ([], "or", ""), ([1, 2], "or", "1 or 2")],
)
def test_get_text_list(items, last_word, expected):
    """get_text_list joins items with commas and the last word."""
    got = get_text_list(items, last_word)
    assert got == expected, f"get_text_list({items!r}, {last_word!r}) returned {got!r}; expected {expected!r}"


def test_phone2numeric():
    """phone2numeric maps letters to the digits of a phone keypad, in either case."""
    assert phone2numeric("1-800-FLOWERS") == "1-800-3569377"
    assert phone2numeric("qz-pqrs wxyz") == "79-7777 9999"
