"""Text helpers behind the filters: capfirst, slugify, Truncator (plain and HTML), wrap, get_text_list, phone2numeric.

Expected outputs were probed against Django 5.2's django.utils.text.
"""

import html.parser
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinyframe.utils.html import VOID_ELEMENTS, escape
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

# Truncator(text).chars(length, truncate, html=True) and .words(...): Django
# 5.2's output. Tags are copied and closed, entities count as one character
# (and come out decoded, then escaped again), comments are dropped, and the
# ending goes where the first piece that did not fit would have been.
HTML_CHARS_CASES = [
    ('<p>The quick <b>brown</b> fox jumped over the lazy dog.</p>', 10, None, '<p>The quick…</p>'),
    ('<p>The quick <b>brown</b> fox jumped over the lazy dog.</p>', 14, None, '<p>The quick <b>bro…</b></p>'),
    ('<p>The quick <b>brown</b> fox jumped over the lazy dog.</p>', 15, None, '<p>The quick <b>brow…</b></p>'),
    ('<p>The quick <b>brown</b> fox jumped over the lazy dog.</p>', 100, None, '<p>The quick <b>brown</b> fox jumped over the lazy dog.</p>'),
    ('<p>The quick <b>brown</b> fox</p>', 12, ' …', '<p>The quick <b> …</b></p>'),
    ('<p>The quick <b>brown</b> fox</p>', 12, '%(truncated_text)s [more]', '<p>The q [more]</p>'),
    ('<div><ul><li>a<li>b<li>c</ul></div>d', 3, None, '<div><ul><li>a<li>b<li>…</li></li></li></ul></div>'),
    ('<p>line<br>break<br/>here<img src=x></p>', 6, None, '<p>line<br>b…</p>'),
    ('<p>line<br>break<br/>here<img src=x></p>', 12, None, '<p>line<br>break<br/>he…</p>'),
    ('<p>unclosed <b>bold <i>italic', 14, None, '<p>unclosed <b>bold…</b></p>'),
    ('<P>Upper <B>case</B></P>', 9, None, '<P>Upper <B>ca…</b></p>'),
    ('</b>stray end</i> tags', 6, None, '</b>stray…'),
    ('<b><i>nested</b></i> wrong order', 10, None, '<b><i>nested</b></i> wr…</b>'),
    ('Hello &amp; goodbye &lt;world&gt;', 8, None, 'Hello &amp;…'),
    ('Hello &amp; goodbye &lt;world&gt;', 30, None, 'Hello &amp; goodbye &lt;world&gt;'),
    ('caf&eacute; &#39;quoted&#39; &quot;x&quot;', 5, None, 'café…'),
    ('caf&eacute; &#39;quoted&#39; &quot;x&quot;', 50, None, 'café &#x27;quoted&#x27; &quot;x&quot;'),
    ('text <!-- comment --> more', 8, None, 'text  m…'),
    ('<p>Ça va? Très bien!</p>', 5, None, '<p>Ça v…</p>'),
    ('été', 2, None, 'é…'),
    ('<br/><hr/><p/>x', 1, None, '<br/><hr/><p/></p>…'),
    ('abc', 3, None, 'abc'),
    ('abc', 2, None, 'a…'),
    ('<p>abc</p>', 3, None, '<p>ab…</p>'),
    ('<p>abc</p>', 4, None, '<p>abc</p>'),
    ('<p>x</p>', 0, None, ''),
    ('', 5, None, ''),
]

HTML_WORDS_CASES = [
    ('<p>The quick <b>brown</b> fox jumped over the lazy dog.</p>', 1, ' …', '<p>The …</p>'),
    ('<p>The quick <b>brown</b> fox jumped over the lazy dog.</p>', 2, ' …', '<p>The quick <b> …</b></p>'),
    ('<p>The quick <b>brown</b> fox jumped over the lazy dog.</p>', 4, ' …', '<p>The quick <b>brown</b> fox …</p>'),
    ('<p>The quick <b>brown</b> fox jumped over the lazy dog.</p>', 9, ' …', '<p>The quick <b>brown</b> fox jumped over the lazy dog.</p>'),
    ('<p>The quick <b>brown</b> fox jumped over the lazy dog.</p>', 4, None, '<p>The quick <b>brown</b> fox…</p>'),
    ("<p>one <a href='x'>two three</a> four</p>", 2, ' …', "<p>one <a href='x'>two …</a></p>"),
    ('<div><ul><li>a<li>b<li>c</ul></div>d', 2, ' …', '<div><ul><li>a<li>b<li> …</li></li></li></ul></div>'),
    ('<p>line<br>break<br/>here<img src=x> end</p>', 1, ' …', '<p>line<br> …</p>'),
    ('<p>unclosed <b>bold <i>italic text', 3, ' …', '<p>unclosed <b>bold <i>italic …</i></b></p>'),
    ('Hello &amp; goodbye &lt;world&gt; again', 3, ' …', 'Hello &amp; goodbye …'),
    ('caf&eacute; &#39;quoted&#39; &quot;x&quot;', 2, ' …', 'café &#x27;quoted&#x27; …'),
    ('   leading   and   trailing   ', 2, ' …', '   leading and …'),
    ('   leading   and   trailing   ', 10, ' …', '   leading and trailing   '),
    ('word\nnew\n\nline\ttab', 3, ' …', 'word new line …'),
    ('text <!-- comment --> more words', 2, ' …', 'text  more …'),
    ('<b>a</b> <i>b</i> c', 1, ' …', '<b>a</b> …'),
    ("<script>var x = '<b>';</script>after", 2, ' …', '<script>var x …</script>'),
    ('plain words only here', 3, '%(truncated_text)s [more]', 'plain words only [more]'),
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


@pytest.mark.parametrize("text, length, truncate, expected", HTML_CHARS_CASES)
def test_truncator_chars_html(text, length, truncate, expected):
    """Truncator.chars(html=True) counts only the text, an entity as one character, and closes the tags left open."""
    got = Truncator(text).chars(length, truncate=truncate, html=True)
    assert got == expected, (
        f"Truncator({text!r}).chars({length!r}, truncate={truncate!r}, html=True) returned {got!r}; expected {expected!r}"
    )


@pytest.mark.parametrize("text, length, truncate, expected", HTML_WORDS_CASES)
def test_truncator_words_html(text, length, truncate, expected):
    """Truncator.words(html=True) counts the words of the text between tags and closes the tags left open."""
    got = Truncator(text).words(length, truncate=truncate, html=True)
    assert got == expected, (
        f"Truncator({text!r}).words({length!r}, truncate={truncate!r}, html=True) returned {got!r}; expected {expected!r}"
    )


@pytest.mark.parametrize(
    "text, length, expected, django",
    [
        # Django keeps text that fills the limit exactly without escaping it again:
        # escaped input (safe, say from a sanitizer) comes out as live HTML.
        (
            "<b>'''</b>&lt;img src=x onerror=alert(1)&gt;&lt;&gt;&lt;",
            34,
            "<b>&#x27;&#x27;&#x27;</b>&lt;img src=x onerror=alert(1)&gt;&lt;&gt;&lt;",
            "<b>&#x27;&#x27;&#x27;</b><img src=x onerror=alert(1)><><",
        ),
        ('<p>  "', 3, "<p>  &quot;</p>", '<p>  "</p>'),
        # Django drops what the parser held back at the end of the input.
        ("tail &amp", 10, "tail &amp;", ""),
        ("tail <b", 10, "tail &lt;b", "tail "),
    ],
)
def test_truncator_chars_html_where_django_is_wrong(text, length, expected, django):
    """Where Django 5.2 (last column) outputs unescaped text or loses text, tinyframe escapes and keeps it."""
    got = Truncator(text).chars(length, html=True)
    assert got == expected, f"Truncator({text!r}).chars({length}, html=True) returned {got!r}; expected {expected!r}"


class TagBalance(html.parser.HTMLParser):
    """The stack of open non-void tags after parsing, and every tag name seen."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open_tags, self.names = [], []

    def handle_starttag(self, tag, attrs):
        self.names.append(tag)
        if tag not in VOID_ELEMENTS:
            self.open_tags.append(tag)

    def handle_endtag(self, tag):
        assert self.open_tags and self.open_tags[-1] == tag, f"</{tag}> closes {self.open_tags}"
        self.open_tags.pop()


def balance(markup: str) -> TagBalance:
    """Parse ``markup``, checking that every end tag closes the innermost open tag."""
    parser = TagBalance()
    parser.feed(markup)
    parser.close()
    return parser


def text_of(markup: str) -> str:
    """The visible text of ``markup``, entities decoded."""
    pieces = []
    parser = html.parser.HTMLParser(convert_charrefs=True)
    parser.handle_data = pieces.append
    parser.feed(markup)
    parser.close()
    return "".join(pieces)


@st.composite
def well_formed_html(draw, depth=0):
    """Nested <p>/<b>/<i>/<a> elements, <br> and <img>, and text with entities and escaped markup."""
    pieces = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["text", "text", "void", "element"] if depth < 3 else ["text", "void"]))
        if kind == "text":
            pieces.append(escape(draw(st.text(alphabet="ab <>&'\" é", min_size=1, max_size=8))))
        elif kind == "void":
            pieces.append(draw(st.sampled_from(["<br>", "<img src=x>"])))
        else:
            tag = draw(st.sampled_from(["p", "b", "i", "a"]))
            pieces.append(f"<{tag}>{draw(well_formed_html(depth + 1))}</{tag}>")
    return "".join(pieces)


@given(markup=well_formed_html(), length=st.integers(1, 30), kind=st.sampled_from(["chars", "words"]))
def test_truncated_html_stays_balanced_and_adds_no_tags(markup, length, kind):
    """Cutting well-formed HTML gives well-formed HTML: every tag closed in order, none that was not there."""
    got = getattr(Truncator(markup), kind)(length, html=True)
    parsed = balance(got)
    assert not parsed.open_tags, f"Truncator({markup!r}).{kind}({length}, html=True) left {parsed.open_tags} open: {got!r}"
    assert set(parsed.names) <= set(balance(markup).names), f"{got!r} has a tag that {markup!r} did not have"


@given(markup=well_formed_html(), length=st.integers(1, 30))
def test_truncated_html_text_is_the_start_of_the_text(markup, length):
    """The visible text of chars(html=True) is the start of the input's text, then "…" if something was cut."""
    text = text_of(markup)
    got = text_of(Truncator(markup).chars(length, html=True))
    assert text.startswith(got.removesuffix("…")), f"the text {got!r} is not a start of {text!r}"
    assert got == text or got.endswith("…"), f"{got!r} was cut from {text!r} without an ellipsis"


@pytest.mark.slow  # megabytes of hostile input: a DoS bound, run by the full suite
@pytest.mark.parametrize(
    "hostile, kind, length",
    [
        pytest.param("<b>" * 20_000 + "x" * 10, "words", 5, id="20000-open-tags"),
        pytest.param("</b>" * 20_000 + "x" * 10, "words", 5, id="20000-stray-end-tags"),
        pytest.param("<b>x</b> " * 10_000, "chars", 10**9, id="10000-text-chunks"),
    ],
)
def test_truncating_big_html_is_linear(hostile, kind, length):
    """Truncating many tags is linear: no stray end tag scans the open tags, no text chunk re-measures the output."""
    # Processor time, not the clock: a busy machine must not fail a bound on our own work.
    started = time.process_time()
    getattr(Truncator(hostile), kind)(length, html=True)
    elapsed = time.process_time() - started
    assert elapsed < 1.0, f"Truncator(...).{kind}({length}, html=True) on {len(hostile):,} characters took {elapsed:.2f}s"
