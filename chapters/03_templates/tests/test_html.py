"""Escaping and safe strings: escape, conditional_escape, format_html, strip_tags, urlize, and SafeString."""

import functools
import html
import json
import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinyframe.core.exceptions import SuspiciousOperation
from tinyframe.http import HttpResponse
from tinyframe.template import Context, Engine
from tinyframe.test import Client
from tinyframe.urls import path
from tinyframe.utils.html import (
    avoid_wrapping,
    conditional_escape,
    escape,
    escapejs,
    format_html,
    format_html_join,
    json_script,
    linebreaks,
    smart_urlquote,
    strip_tags,
    urlize,
)
from tinyframe.utils.safestring import SafeData, SafeString, mark_safe


# --- escape -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("plain", "plain"),
        ("<b>", "&lt;b&gt;"),
        ("a & b", "a &amp; b"),
        ('say "hi"', "say &quot;hi&quot;"),
        ("it's", "it&#x27;s"),
        ("&amp;", "&amp;amp;"),
        ("", ""),
        (42, "42"),
        (None, "None"),
        (mark_safe("<b>"), "&lt;b&gt;"),
    ],
)
def test_escape_replaces_the_five_html_characters(text, expected):
    """escape() replaces & < > " ' with entities, always (even in a safe string), and returns a SafeString."""
    got = escape(text)
    assert got == expected, f"escape({text!r}) returned {got!r}; expected {expected!r}"
    assert isinstance(got, SafeString), f"escape({text!r}) returned a {type(got).__name__}; expected a SafeString"


@given(st.text())
def test_escape_round_trips_through_html_unescape(text):
    """Unescaping what escape() produced gives back the original text, and no raw < > " ' is left."""
    escaped = escape(text)
    assert html.unescape(escaped) == text, f"html.unescape(escape({text!r})) gave {html.unescape(escaped)!r}"
    assert not set("<>\"'") & set(escaped), f"escape({text!r}) left a raw special character: {escaped!r}"


# --- conditional_escape (exercise 03.1) -----------------------------------------


class Markup:
    """An object from another library that knows its own HTML (the __html__ protocol)."""

    def __html__(self):
        return "<em>markup</em>"

    def __str__(self):
        return "<em>as str</em>"


@pytest.mark.exercise("03.1")
@pytest.mark.parametrize(
    "text, expected",
    [
        ("<script>alert('x')</script>", "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"),
        ("Tom & Jerry", "Tom &amp; Jerry"),
        ('"quoted"', "&quot;quoted&quot;"),
        (7, "7"),
        (None, "None"),
    ],
)
def test_conditional_escape_escapes_plain_values(text, expected):
    """conditional_escape escapes a plain string (or a number, or None) just as escape() does."""
    got = conditional_escape(text)
    assert got == expected, f"conditional_escape({text!r}) returned {got!r}; expected {expected!r}"
    assert isinstance(got, SafeData), (
        f"conditional_escape({text!r}) returned a {type(got).__name__}; expected a SafeString (escaped text is safe)"
    )


@pytest.mark.exercise("03.1")
def test_conditional_escape_leaves_safe_strings_alone():
    """A string marked safe passes through conditional_escape unchanged, so escaping twice never double-escapes."""
    safe = mark_safe("<b>bold</b> &amp; more")
    got = conditional_escape(safe)
    assert got == "<b>bold</b> &amp; more", f"conditional_escape(mark_safe('<b>bold</b> &amp; more')) returned {got!r}"
    once = conditional_escape("<&>")
    twice = conditional_escape(once)
    assert twice == "&lt;&amp;&gt;", (
        f"conditional_escape(conditional_escape('<&>')) returned {twice!r}; expected '&lt;&amp;&gt;' (escaped once)"
    )


@pytest.mark.exercise("03.1")
def test_conditional_escape_uses_the_html_method():
    """An object with __html__ is asked for its HTML, which is used as it is (not its str(), not escaped)."""
    got = conditional_escape(Markup())
    assert got == "<em>markup</em>", (
        f"conditional_escape(an object whose __html__() returns '<em>markup</em>') returned {got!r}"
    )


# --- format_html and format_html_join ------------------------------------------------


def test_format_html_escapes_arguments_not_the_format():
    """format_html keeps the format string's HTML and escapes every argument, positional and named."""
    got = format_html('<a href="{}" title="{title}">{}</a>', "/?a=1&b=2", "<Tom>", title='"x"')
    expected = '<a href="/?a=1&amp;b=2" title="&quot;x&quot;">&lt;Tom&gt;</a>'
    assert got == expected, f"format_html(...) returned {got!r}; expected {expected!r}"
    assert isinstance(got, SafeString)


def test_format_html_keeps_safe_arguments():
    """An argument already marked safe is inserted as it is."""
    got = format_html("<p>{}</p>", mark_safe("<b>ok</b>"))
    assert got == "<p><b>ok</b></p>", f"format_html('<p>{{}}</p>', mark_safe('<b>ok</b>')) returned {got!r}"


def test_format_html_without_arguments_is_an_error():
    """format_html with nothing to escape raises TypeError pointing to mark_safe (Django 5 deprecates it)."""
    with pytest.raises(TypeError, match="mark_safe"):
        format_html("<b>constant</b>")


def test_format_html_join_formats_each_row():
    """format_html_join applies format_html to each row (a tuple or a dict) and joins them with the separator."""
    got = format_html_join("\n", "<li>{} = {}</li>", [("a", "<1>"), ("b", 2)])
    assert got == "<li>a = &lt;1&gt;</li>\n<li>b = 2</li>", f"format_html_join returned {got!r}"
    got = format_html_join(mark_safe("<br>"), "<i>{name}</i>", [{"name": "x&y"}, {"name": "z"}])
    assert got == "<i>x&amp;y</i><br><i>z</i>", f"format_html_join with dict rows returned {got!r}"
    assert format_html_join("&", "{}", [("a",), ("b",)]) == "a&amp;b", "an unsafe separator must be escaped"


# --- strip_tags ----------------------------------------------------------------

# Outputs probed against Django 5.2.
STRIP_TAGS_CASES = [
    ('<p class="x">Hello <b>world</b>!</p>', 'Hello world!'),
    ('<a', '<a'),
    ('a<b>c', 'ac'),
    ('<<b>>x', '<>x'),
    ('<p onclick="x">hi</p>', 'hi'),
    ('x<!-- c -->y', 'xy'),
    ('&lt;b&gt;', '&lt;b&gt;'),
    ('<b>&amp;</b>', '&amp;'),
    ('1 < 2 > 0', '1 < 2 > 0'),
    ('<scr<b>ipt>x', 'ipt>x'),
    ('<a href="<b>">t</a>', 't'),
    ('a &nbsp; b', 'a &nbsp; b'),
    ('<br>', ''),
    ('a <3 b', 'a <3 b'),
    ('<<<<<a>>>>>', '<<<<>>>>'),
    ('<img src=x onerror=alert(1)//', '<img src=x onerror=alert(1)//'),
    ('<script>alert(1)</script>', 'alert(1)'),
    ('<sc<script>ript>alert(1)</sc</script>ript>', 'ript>alert(1)ript>'),
    ('<![CDATA[x]]>y', 'y'),
    ('<!DOCTYPE html>z', 'z'),
    ('&#60;b&#62;', '&#60;b&#62;'),
    ('<a b="c>d">e</a>', 'e'),
    ('<b>&#60;x&#x3e;</b>', '&#60;x&#x3e;'),
]


@pytest.mark.parametrize("text, expected", STRIP_TAGS_CASES)
def test_strip_tags(text, expected):
    """strip_tags removes tags, comments and declarations, repeating until nothing more goes; entities stay."""
    got = strip_tags(text)
    assert got == expected, f"strip_tags({text!r}) returned {got!r}; expected {expected!r}"


def test_strip_tags_accepts_non_strings():
    """strip_tags works on str() of whatever it is given."""
    assert strip_tags(5) == "5" and strip_tags(None) == "None"


@pytest.mark.parametrize(
    "depth, expected",
    [(49, ""), (50, "")],
)
def test_strip_tags_digs_up_to_fifty_levels(depth, expected):
    """Each pass removes one level of "<<<br>br>br>"; fifty passes are allowed, as in Django."""
    got = strip_tags("<" * depth + "br>" * depth)
    assert got == expected, f"strip_tags of {depth} nested levels returned {got!r}; expected {expected!r}"


@pytest.mark.slow  # megabytes of hostile input: a DoS bound, run by the full suite
@pytest.mark.parametrize(
    "hostile",
    [
        pytest.param("<" * 51 + "br>" * 51, id="51-levels"),
        pytest.param("<" * 500 + "br>" * 500, id="500-levels"),
        pytest.param("<a" * 5000 + ">" * 5000, id="unclosed-tags"),
        pytest.param("<a" + "x" * 1000 + "<" * 49, id="long-open-tag-with-50-<"),
        pytest.param("<b" * 1_000_000, id="2-MB-of-open-tags"),
    ],
)
def test_strip_tags_refuses_hostile_nesting_quickly(hostile):
    """Past fifty passes, or an unclosed tag holding fifty "<", strip_tags raises SuspiciousOperation at once.

    Django raises the bare exception (its message is empty); the handler turns it into a 400.
    """
    # Processor time, not the clock: a busy machine must not fail a bound on our own work.
    started = time.process_time()
    with pytest.raises(SuspiciousOperation) as raised:
        strip_tags(hostile)
    elapsed = time.process_time() - started
    assert str(raised.value) == "", f"the message is {str(raised.value)!r}; Django's is empty"
    assert elapsed < 0.5, f"strip_tags took {elapsed:.2f}s to refuse {len(hostile):,} characters"


def test_strip_tags_keeps_a_long_open_tag_with_few_brackets():
    """A "<" followed by a thousand characters without ">" is refused only when it holds fifty "<"."""
    text = "<a" + "x" * 1000 + "<" * 48
    assert strip_tags(text) == text, "forty-nine '<' in a long open tag are still text"


def test_striptags_filter_on_hostile_input_is_a_400(use_settings, throwaway_module):
    """Through a view rendering {{ value|striptags }}, hostile nesting gives a 400 response, not a 500 or a hang."""
    engine = Engine()

    def view(request):
        return HttpResponse(engine.from_string("{{ value|striptags }}").render(Context({"value": request.GET["v"]})))

    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=[path("strip/", view)]), DEBUG=False)
    client = Client()
    assert client.get("/strip/", {"v": "<b>fine</b>"}).content == b"fine"
    response = client.get("/strip/", {"v": "<" * 60 + "br>" * 60})
    assert response.status_code == 400, f"the hostile value gave status {response.status_code}; expected 400"


# --- linebreaks, avoid_wrapping, escapejs, json_script ------------------------------


@pytest.mark.parametrize(
    "text, autoescape, expected",
    [
        ("a\r\nb\r\n\r\nc", False, "<p>a<br>b</p>\n\n<p>c</p>"),
        ("", False, "<p></p>"),
        ("\n\n\n", False, "<p></p>\n\n<p></p>"),
        ("  a  \n\n\n\n b", False, "<p>  a  </p>\n\n<p> b</p>"),
        ("x<y", False, "<p>x<y</p>"),
        ("x<y", True, "<p>x&lt;y</p>"),
    ],
)
def test_linebreaks(text, autoescape, expected):
    """linebreaks makes a paragraph of each block separated by blank lines and a <br> of each other newline."""
    got = linebreaks(text, autoescape=autoescape)
    assert got == expected, f"linebreaks({text!r}, autoescape={autoescape}) returned {got!r}; expected {expected!r}"


def test_avoid_wrapping_uses_non_breaking_spaces():
    """avoid_wrapping swaps every space for a non-breaking space."""
    assert avoid_wrapping("a b  c") == "a\xa0b\xa0\xa0c"


def test_escapejs_escapes_everything_that_could_end_a_string_or_a_script():
    """escapejs turns quotes, backslashes, < > & = - ; ` and control characters into \\uXXXX escapes."""
    got = escapejs("a\"b'c<>&=-;\u2028 \\ \n`")
    expected = "a\\u0022b\\u0027c\\u003C\\u003E\\u0026\\u003D\\u002D\\u003B\\u2028 \\u005C \\u000A\\u0060"
    assert got == expected, f"escapejs(...) returned {got!r}; expected {expected!r}"


def test_json_script_escapes_the_closing_script_tag():
    """json_script wraps JSON in a script element; < > & are escaped so '</script>' cannot end it early."""
    got = json_script({"a": "</script>&"}, "data")
    assert got == '<script id="data" type="application/json">{"a": "\\u003C/script\\u003E\\u0026"}</script>'
    body = got.removeprefix('<script id="data" type="application/json">').removesuffix("</script>")
    assert json.loads(body) == {"a": "</script>&"}, "the JSON must decode back to the original value"
    assert json_script([1]) == '<script type="application/json">[1]</script>'
    assert json_script("x", '"><b>') == '<script id="&quot;&gt;&lt;b&gt;" type="application/json">"x"</script>'


# --- urlize -----------------------------------------------------------------------

# Outputs probed against Django 5.2 (urlize(text, **options)).
URLIZE_CASES = [
    ('see http://example.com/a?b=1&c=2.', {}, 'see <a href="http://example.com/a?b=1&amp;c=2">http://example.com/a?b=1&c=2</a>.'),
    ('see http://example.com/a?b=1&c=2.', {'autoescape': True}, 'see <a href="http://example.com/a?b=1&amp;c=2">http://example.com/a?b=1&amp;c=2</a>.'),
    ('see http://example.com/a?b=1&c=2.', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, 'see <a href="http://example.com/a?b=1&amp;c=2" rel="nofollow">http://ex…</a>.'),
    ('www.example.com', {}, '<a href="http://www.example.com">www.example.com</a>'),
    ('www.example.com', {'autoescape': True}, '<a href="http://www.example.com">www.example.com</a>'),
    ('www.example.com', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, '<a href="http://www.example.com" rel="nofollow">www.examp…</a>'),
    ('mail me@example.com now', {}, 'mail <a href="mailto:me@example.com">me@example.com</a> now'),
    ('mail me@example.com now', {'autoescape': True}, 'mail <a href="mailto:me@example.com">me@example.com</a> now'),
    ('mail me@example.com now', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, 'mail <a href="mailto:me@example.com">me@exampl…</a> now'),
    ('(http://x.com/a)', {}, '(<a href="http://x.com/a">http://x.com/a</a>)'),
    ('(http://x.com/a)', {'autoescape': True}, '(<a href="http://x.com/a">http://x.com/a</a>)'),
    ('(http://x.com/a)', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, '(<a href="http://x.com/a" rel="nofollow">http://x.…</a>)'),
    ('https://ex.com/<script>', {}, '<a href="https://ex.com/">https://ex.com/</a><script>'),
    ('https://ex.com/<script>', {'autoescape': True}, '<a href="https://ex.com/">https://ex.com/</a>&lt;script&gt;'),
    ('https://ex.com/<script>', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, '<a href="https://ex.com/" rel="nofollow">https://e…</a>&lt;script&gt;'),
    ('javascript:alert(1)', {}, 'javascript:alert(1)'),
    ('javascript:alert(1)', {'autoescape': True}, 'javascript:alert(1)'),
    ('javascript:alert(1)', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, 'javascript:alert(1)'),
    ('a <b> c', {}, 'a <b> c'),
    ('a <b> c', {'autoescape': True}, 'a &lt;b&gt; c'),
    ('a <b> c', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, 'a &lt;b&gt; c'),
    ('http://ex.com/"onmouseover="x', {}, '<a href="http://ex.com/">http://ex.com/</a>"onmouseover="x'),
    ('http://ex.com/"onmouseover="x', {'autoescape': True}, '<a href="http://ex.com/">http://ex.com/</a>&quot;onmouseover=&quot;x'),
    ('http://ex.com/"onmouseover="x', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, '<a href="http://ex.com/" rel="nofollow">http://ex…</a>&quot;onmouseover=&quot;x'),
    ('go to example.com now', {}, 'go to <a href="http://example.com">example.com</a> now'),
    ('go to example.com now', {'autoescape': True}, 'go to <a href="http://example.com">example.com</a> now'),
    ('go to example.com now', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, 'go to <a href="http://example.com" rel="nofollow">example.c…</a> now'),
    ('foo.bar', {}, 'foo.bar'),
    ('foo.bar', {'autoescape': True}, 'foo.bar'),
    ('foo.bar', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, 'foo.bar'),
    ('x@y', {}, 'x@y'),
    ('x@y', {'autoescape': True}, 'x@y'),
    ('x@y', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, 'x@y'),
    ('http://a.com,', {}, '<a href="http://a.com">http://a.com</a>,'),
    ('http://a.com,', {'autoescape': True}, '<a href="http://a.com">http://a.com</a>,'),
    ('http://a.com,', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, '<a href="http://a.com" rel="nofollow">http://a.…</a>,'),
    ('http://localhost:8000/', {}, '<a href="http://localhost:8000/">http://localhost:8000/</a>'),
    ('http://localhost:8000/', {'autoescape': True}, '<a href="http://localhost:8000/">http://localhost:8000/</a>'),
    ('http://localhost:8000/', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, '<a href="http://localhost:8000/" rel="nofollow">http://lo…</a>'),
    ('&lt;b&gt;', {}, '&lt;b&gt;'),
    ('&lt;b&gt;', {'autoescape': True}, '&amp;lt;b&amp;gt;'),
    ('&lt;b&gt;', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, '&amp;lt;b&amp;gt;'),
    ('x http://ex.com/a%20b y', {}, 'x <a href="http://ex.com/a%20b">http://ex.com/a%20b</a> y'),
    ('x http://ex.com/a%20b y', {'autoescape': True}, 'x <a href="http://ex.com/a%20b">http://ex.com/a%20b</a> y'),
    ('x http://ex.com/a%20b y', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, 'x <a href="http://ex.com/a%20b" rel="nofollow">http://ex…</a> y'),
    ('http://éx.com/ü', {}, '<a href="http://%C3%A9x.com/%C3%BC">http://éx.com/ü</a>'),
    ('http://éx.com/ü', {'autoescape': True}, '<a href="http://%C3%A9x.com/%C3%BC">http://éx.com/ü</a>'),
    ('http://éx.com/ü', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, '<a href="http://%C3%A9x.com/%C3%BC" rel="nofollow">http://éx…</a>'),
    ('https://en.wikipedia.org/wiki/Python_(language)', {}, '<a href="https://en.wikipedia.org/wiki/Python_(language)">https://en.wikipedia.org/wiki/Python_(language)</a>'),
    ('https://en.wikipedia.org/wiki/Python_(language)', {'autoescape': True}, '<a href="https://en.wikipedia.org/wiki/Python_(language)">https://en.wikipedia.org/wiki/Python_(language)</a>'),
    ('https://en.wikipedia.org/wiki/Python_(language)', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, '<a href="https://en.wikipedia.org/wiki/Python_(language)" rel="nofollow">https://e…</a>'),
    ('[www.x.org]', {}, '[<a href="http://www.x.org">www.x.org</a>]'),
    ('[www.x.org]', {'autoescape': True}, '[<a href="http://www.x.org">www.x.org</a>]'),
    ('[www.x.org]', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, '[<a href="http://www.x.org" rel="nofollow">www.x.org</a>]'),
    ("it's http://x.com/'", {}, 'it\'s <a href="http://x.com/">http://x.com/</a>\''),
    ("it's http://x.com/'", {'autoescape': True}, 'it&#x27;s <a href="http://x.com/">http://x.com/</a>&#x27;'),
    ("it's http://x.com/'", {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, 'it&#x27;s <a href="http://x.com/" rel="nofollow">http://x.…</a>&#x27;'),
    ('HTTP://X.COM', {}, '<a href="http://X.COM">HTTP://X.COM</a>'),
    ('HTTP://X.COM', {'autoescape': True}, '<a href="http://X.COM">HTTP://X.COM</a>'),
    ('HTTP://X.COM', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, '<a href="http://X.COM" rel="nofollow">HTTP://X.…</a>'),
    ('http://', {}, 'http://'),
    ('http://', {'autoescape': True}, 'http://'),
    ('http://', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, 'http://'),
    ('notes.txt', {}, 'notes.txt'),
    ('notes.txt', {'autoescape': True}, 'notes.txt'),
    ('notes.txt', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, 'notes.txt'),
    ('a.b@c.com!', {}, '<a href="mailto:a.b@c.com">a.b@c.com</a>!'),
    ('a.b@c.com!', {'autoescape': True}, '<a href="mailto:a.b@c.com">a.b@c.com</a>!'),
    ('a.b@c.com!', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, '<a href="mailto:a.b@c.com">a.b@c.com</a>!'),
    ('http://x.com/a..', {}, '<a href="http://x.com/a">http://x.com/a</a>..'),
    ('http://x.com/a..', {'autoescape': True}, '<a href="http://x.com/a">http://x.com/a</a>..'),
    ('http://x.com/a..', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, '<a href="http://x.com/a" rel="nofollow">http://x.…</a>..'),
    ('x@y.com:80', {}, 'x@y.com:80'),
    ('x@y.com:80', {'autoescape': True}, 'x@y.com:80'),
    ('x@y.com:80', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, 'x@y.com:80'),
    ('one.com/two', {}, '<a href="http://one.com/two">one.com/two</a>'),
    ('one.com/two', {'autoescape': True}, '<a href="http://one.com/two">one.com/two</a>'),
    ('one.com/two', {'trim_url_limit': 10, 'nofollow': True, 'autoescape': True}, '<a href="http://one.com/two" rel="nofollow">one.com/t…</a>'),
]


def test_urlize(check_rows):
    """urlize links http(s) URLs, www. and bare .com/.org... domains and email addresses, leaving punctuation out."""

    def check(text, options, expected):
        got = urlize(text, **options)
        assert got == expected, f"urlize({text!r}, **{options!r}) returned {got!r}; expected {expected!r}"

    check_rows(URLIZE_CASES, check)


def test_urlize_leaves_safe_input_unescaped():
    """With autoescape, urlize escapes plain text but not text already marked safe."""
    got = urlize(mark_safe("<b>see</b> www.example.com"), autoescape=True)
    assert got == '<b>see</b> <a href="http://www.example.com">www.example.com</a>', f"urlize returned {got!r}"


# Django 5.2's output for each text, plain and marked safe, with autoescape=True:
# entities in safe text are decoded for the href (never "&amp;amp;"), and only
# what Django's EmailValidator accepts becomes a mailto: link.
URLIZE_ENTITY_AND_EMAIL_CASES = [
    ('www.example.com', False, '<a href="http://www.example.com">www.example.com</a>'),
    ('www.example.com', True, '<a href="http://www.example.com">www.example.com</a>'),
    ('go to example.com now', False, 'go to <a href="http://example.com">example.com</a> now'),
    ('go to example.com now', True, 'go to <a href="http://example.com">example.com</a> now'),
    ('x.com', False, 'x.com'),
    ('x.com', True, 'x.com'),
    ('httpbin.org', False, 'httpbin.org'),
    ('httpbin.org', True, 'httpbin.org'),
    ('http://x.com/?a=1&amp;b=2', False, '<a href="http://x.com/?a=1&amp;b=2">http://x.com/?a=1&amp;amp;b=2</a>'),
    ('http://x.com/?a=1&amp;b=2', True, '<a href="http://x.com/?a=1&amp;b=2">http://x.com/?a=1&amp;b=2</a>'),
    ('http://x.com/?q=&#x27;a', False, '<a href="http://x.com/?q=%27a">http://x.com/?q=&amp;#x27;a</a>'),
    ('http://x.com/?q=&#x27;a', True, '<a href="http://x.com/?q=%27a">http://x.com/?q=&#x27;a</a>'),
    ('http://x.com/a&amp;b', False, '<a href="http://x.com/a&amp;b">http://x.com/a&amp;amp;b</a>'),
    ('http://x.com/a&amp;b', True, '<a href="http://x.com/a&amp;b">http://x.com/a&amp;b</a>'),
    ('Tom &amp; Jerry at www.x.com', False, 'Tom &amp;amp; Jerry at <a href="http://www.x.com">www.x.com</a>'),
    ('Tom &amp; Jerry at www.x.com', True, 'Tom &amp; Jerry at <a href="http://www.x.com">www.x.com</a>'),
    ('http://x.com/&lt;script&gt;', False, '<a href="http://x.com/%3Cscript%3E">http://x.com/&amp;lt;script&amp;gt;</a>'),
    ('http://x.com/&lt;script&gt;', True, '<a href="http://x.com/%3Cscript%3E">http://x.com/&lt;script&gt;</a>'),
    ('http://x.com&quot;', False, '<a href="http://x.com%22">http://x.com&amp;quot;</a>'),
    ('http://x.com&quot;', True, '<a href="http://x.com%22">http://x.com&quot;</a>'),
    ('foo@bar', False, 'foo@bar'),
    ('foo@bar', True, 'foo@bar'),
    ('foo@localhost', False, 'foo@localhost'),
    ('foo@localhost', True, 'foo@localhost'),
    ('a@b.c', False, 'a@b.c'),
    ('a@b.c', True, 'a@b.c'),
    ('a@b.co', False, '<a href="mailto:a@b.co">a@b.co</a>'),
    ('a@b.co', True, '<a href="mailto:a@b.co">a@b.co</a>'),
    ('a@[127.0.0.1]', False, '<a href="mailto:a@%5B127.0.0.1%5D">a@[127.0.0.1]</a>'),
    ('a@[127.0.0.1]', True, '<a href="mailto:a@%5B127.0.0.1%5D">a@[127.0.0.1]</a>'),
    ('a@[1.2.3.999]', False, 'a@[1.2.3.999]'),
    ('a@[1.2.3.999]', True, 'a@[1.2.3.999]'),
    ('a..b@c.com', False, 'a..b@c.com'),
    ('a..b@c.com', True, 'a..b@c.com'),
    ('.a@c.com', False, '.a@c.com'),
    ('.a@c.com', True, '.a@c.com'),
    ('a+b@c.com', False, '<a href="mailto:a%2Bb@c.com">a+b@c.com</a>'),
    ('a+b@c.com', True, '<a href="mailto:a%2Bb@c.com">a+b@c.com</a>'),
    ('a%b@c.com', False, '<a href="mailto:a%25b@c.com">a%b@c.com</a>'),
    ('a%b@c.com', True, '<a href="mailto:a%25b@c.com">a%b@c.com</a>'),
    ('a@-b.com', False, 'a@-b.com'),
    ('a@-b.com', True, 'a@-b.com'),
    ('ü@b.com', False, 'ü@b.com'),
    ('ü@b.com', True, 'ü@b.com'),
    ('a@bü.com', False, '<a href="mailto:a@b%C3%BC.com">a@bü.com</a>'),
    ('a@bü.com', True, '<a href="mailto:a@b%C3%BC.com">a@bü.com</a>'),
    ('a@b.com?subject=x', False, 'a@b.com?subject=x'),
    ('a@b.com?subject=x', True, 'a@b.com?subject=x'),
    ('a@b@c.com', False, 'a@b@c.com'),
    ('a@b@c.com', True, 'a@b@c.com'),
    ('a@b.123', False, 'a@b.123'),
    ('a@b.123', True, 'a@b.123'),
    ('a@xn--bcher-kva.ch', False, '<a href="mailto:a@xn--bcher-kva.ch">a@xn--bcher-kva.ch</a>'),
    ('a@xn--bcher-kva.ch', True, '<a href="mailto:a@xn--bcher-kva.ch">a@xn--bcher-kva.ch</a>'),
    ('http://x.com/a&amp;;', False, '<a href="http://x.com/a&amp;">http://x.com/a&amp;amp;</a>;'),
    ('http://x.com/a&amp;;', True, '<a href="http://x.com/a&amp;">http://x.com/a&amp;</a>;'),
    ('http://x.com/a&amp;;;', False, '<a href="http://x.com/a&amp;">http://x.com/a&amp;amp;</a>;;'),
    ('http://x.com/a&amp;;;', True, '<a href="http://x.com/a&amp;">http://x.com/a&amp;</a>;;'),
    ('http://x.com/a&foo;', False, '<a href="http://x.com/a&amp;foo">http://x.com/a&amp;foo</a>;'),
    ('http://x.com/a&foo;', True, '<a href="http://x.com/a&amp;foo">http://x.com/a&foo</a>;'),
    ('http://x.com/?a=1;b=2', False, '<a href="http://x.com/?a=1%3Bb%3D2">http://x.com/?a=1;b=2</a>'),
    ('http://x.com/?a=1;b=2', True, '<a href="http://x.com/?a=1%3Bb%3D2">http://x.com/?a=1;b=2</a>'),
    ('http://x.com/?a', False, '<a href="http://x.com/?a=">http://x.com/?a</a>'),
    ('http://x.com/?a', True, '<a href="http://x.com/?a=">http://x.com/?a</a>'),
    ('http://x.com/?a=%20&b=+', False, '<a href="http://x.com/?a=+&amp;b=+">http://x.com/?a=%20&amp;b=+</a>'),
    ('http://x.com/?a=%20&b=+', True, '<a href="http://x.com/?a=+&amp;b=+">http://x.com/?a=%20&b=+</a>'),
    ('http://[::1]:8000/', False, 'http://[::1]:8000/'),
    ('http://[::1]:8000/', True, 'http://[::1]:8000/'),
    ('http://[::1', False, 'http://[::1'),
    ('http://[::1', True, 'http://[::1'),
    ('http:///x.com', False, 'http:///x.com'),
    ('http:///x.com', True, 'http:///x.com'),
    ('((www.x.org))', False, '((<a href="http://www.x.org">www.x.org</a>))'),
    ('((www.x.org))', True, '((<a href="http://www.x.org">www.x.org</a>))'),
    ('http://x.com/a)b)', False, '<a href="http://x.com/a)">http://x.com/a)</a>b)'),
    ('http://x.com/a)b)', True, '<a href="http://x.com/a)">http://x.com/a)</a>b)'),
    ('ftp://x.com', False, '<a href="http://ftp://x.com">ftp://x.com</a>'),
    ('ftp://x.com', True, '<a href="http://ftp://x.com">ftp://x.com</a>'),
]


def test_urlize_entities_and_email_addresses(check_rows):
    """urlize decodes entities for the href, escapes the text once, and links only valid e-mail addresses."""

    def check(text, safe, expected):
        got = urlize(mark_safe(text) if safe else text, autoescape=True)
        shown = f"mark_safe({text!r})" if safe else repr(text)
        assert got == expected, f"urlize({shown}, autoescape=True) returned {got!r}; expected {expected!r}"

    check_rows(URLIZE_ENTITY_AND_EMAIL_CASES, check)


@pytest.mark.parametrize(
    "text, expected, django",
    [
        ("(a@b.com).", '(<a href="mailto:a@b.com">a@b.com</a>).', '(<a href="mailto:a@b.com">a@b.com</a>)'),
        ("[(www.x.org)]", '[(<a href="http://www.x.org">www.x.org</a>)]', '[(<a href="http://www.x.org">www.x.org</a>)'),
        (
            "http://x.com/a_(b)).",
            '<a href="http://x.com/a_(b)">http://x.com/a_(b)</a>).',
            '<a href="http://x.com/a_(b)">http://x.com/a_(b)</a>)',
        ),
    ],
)
def test_urlize_never_drops_trailing_punctuation(text, expected, django):
    """Where Django 5.2 loses a character after an unmatched bracket (its third column), tinyframe keeps it."""
    got = urlize(text)
    assert got == expected, f"urlize({text!r}) returned {got!r}; expected {expected!r} (Django gives {django!r})"


def test_urlize_links_only_to_http_https_and_mailto():
    """Whatever the word, an href starts with http://, https:// or mailto: (ftp://x.com becomes http://ftp://x.com, as in Django)."""
    for text in ["ftp://x.com", "javascript:alert(1)", "javascript://x.com/%0aalert(1)", "data:text/html,<b>", "JaVaScRiPt:x.com"]:
        got = urlize(text, autoescape=True)
        for href in re.findall(r'href="([^"]*)"', got):
            assert href.startswith(("http://", "https://", "mailto:")), f"urlize({text!r}) linked to {href!r}: {got!r}"


# Text that made urlize slow (each a known attack on Django's urlize), at a size
# where a quadratic step would take seconds. Django 5.2 leaves each unchanged.
URLIZE_HOSTILE_INPUTS = [
    pytest.param("a" + "@a" * 500_000 + "a", id="at-signs"),
    pytest.param("x@" + "a." * 1_000_000 + "com", id="2-MB-e-mail-address"),
    pytest.param("a@" + "한.글." * 200_000 + "a", id="unicode-e-mail-domain"),
    pytest.param("http://" + "한.글." * 200_000 + "com", id="unicode-url"),
    pytest.param("www." + "한.글." * 200_000 + "com", id="unicode-www"),
    pytest.param("a" + "." * 1_000_000 + "a", id="dots"),
    pytest.param("(" * 200_000 + ":" + ")" * 200_000, id="parentheses"),
    pytest.param("([" * 100_000 + ":" + "])" * 100_000, id="mixed-brackets"),
    pytest.param("&:" + ";" * 200_000, id="semicolons"),
    pytest.param("&.;" * 100_000, id="entity-like"),
    pytest.param("&" + ";:" * 200_000, id="semicolon-colon"),
]


@pytest.mark.slow  # megabytes of hostile input: a DoS bound, run by the full suite
@pytest.mark.parametrize("hostile", URLIZE_HOSTILE_INPUTS)
def test_urlize_is_fast_and_leaves_hostile_text_alone(hostile):
    """Megabytes of e-mail-like or bracket-heavy text come back unlinked (as in Django) in well under a second."""
    started = time.process_time()
    got = urlize(hostile)
    elapsed = time.process_time() - started
    assert got == hostile, f"urlize changed {len(hostile):,} characters of hostile text: {got[:80]!r}..."
    assert elapsed < 0.5, f"urlize took {elapsed:.2f}s on {len(hostile):,} characters"


def mixed_email_text(count: int) -> tuple[str, str]:
    """``count`` rounds of e-mail-like words, valid and not, and urlize's output for them (Django 5.2's)."""
    words, expected = [], []
    for i in range(count):
        valid = f"user.{i}+tag@mail-{i}.example.org"
        link = f'<a href="mailto:user.{i}%2Btag@mail-{i}.example.org">{valid}</a>'
        not_addresses = [f"user{i}@host{i}", f"a{i}@b.c", f"x{i}@localhost", f"{i}..dots@example.com"]
        words += [valid, *not_addresses, f"({valid})", f"{valid}."]
        expected += [link, *not_addresses, f"({link})", f"{link}."]
    return " ".join(words), " ".join(expected)


@pytest.mark.slow  # megabytes of hostile input: a DoS bound, run by the full suite
def test_urlize_on_e_mail_like_text():
    """Thousands of addresses and near-addresses: only valid ones are linked, as in Django, in well under a second."""
    text, expected = mixed_email_text(1000)
    started = time.process_time()
    got = urlize(text, autoescape=True)
    elapsed = time.process_time() - started
    first_difference = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), None)
    assert got == expected, f"urlize differs from Django's output at {first_difference}: {got[first_difference:][:80]!r}"
    assert elapsed < 0.75, f"urlize took {elapsed:.2f}s on {len(text):,} characters"


def test_urlize_does_not_link_an_e_mail_address_over_320_characters():
    """The longest e-mail address is 320 characters (RFC 3696): one more and it stays text, as in Django."""
    longest = "a" * 64 + "@" + ".".join(["b" * 63] * 4)[: 320 - 65 - 4] + ".com"
    assert len(longest) == 320
    assert urlize(longest).startswith('<a href="mailto:'), "a 320-character address is linked"
    assert urlize("a" + longest) == "a" + longest, "a 321-character address is not linked"


def test_urlize_does_not_link_a_url_over_2048_characters():
    """A URL over MAX_URL_LENGTH (2048) characters is left as text, as in Django; a 2048-character one is linked."""
    url = "http://x.com/" + "a" * (2048 - len("http://x.com/"))
    assert urlize(url).startswith('<a href="http://x.com/aaa'), "a 2048-character URL is linked"
    assert urlize(url + "a") == url + "a", "a 2049-character URL is not linked"


@pytest.mark.parametrize(
    "url, expected",
    [
        ("http://x.com/a b/%20?q=é#top", "http://x.com/a%20b/%20?q=%C3%A9#top"),
        ("http://x.com/?q=it's", "http://x.com/?q=it%27s"),
        ("http://x.com/a'b?q=a'b#c'd", "http://x.com/a'b?q=a%27b#c'd"),
        ("http://x.com/?a=1;b=2", "http://x.com/?a=1%3Bb%3D2"),
        ("http://x.com/?a=%20&b=+", "http://x.com/?a=+&b=+"),
        ("http://x.com/?a=1&a=2&b", "http://x.com/?a=1&a=2&b="),
        ("http://x.com/?%zz=1", "http://x.com/?%25zz=1"),
        ("HTTP://X.COM/%7Euser", "http://X.COM/~user"),
        ("http://éx.com/ü", "http://%C3%A9x.com/%C3%BC"),
        ("http://[x", "http://[x"),
    ],
)
def test_smart_urlquote(url, expected):
    """smart_urlquote quotes what a URL cannot hold, never %XX twice; query keys and values are quoted whole (Django 5.2's output)."""
    got = smart_urlquote(url)
    assert got == expected, f"smart_urlquote({url!r}) returned {got!r}; expected {expected!r}"


# --- SafeString -----------------------------------------------------------------------


def test_mark_safe_returns_a_safestring():
    """mark_safe turns a str (or anything, through str()) into a SafeString equal to it."""
    marked = mark_safe("<b>")
    assert isinstance(marked, SafeString) and isinstance(marked, str) and marked == "<b>"
    assert mark_safe(5) == "5" and isinstance(mark_safe(5), SafeString)


def test_mark_safe_is_idempotent_and_keeps_html_objects():
    """Marking a safe value again returns it unchanged; an object with __html__ is returned as it is."""
    marked = mark_safe("<b>")
    assert mark_safe(marked) is marked
    markup = Markup()
    assert mark_safe(markup) is markup


def test_mark_safe_as_a_decorator():
    """@mark_safe on a function marks what the function returns, and keeps the function's name."""

    @mark_safe
    def badge(text):
        """A badge."""
        return f"<span>{text}</span>"

    got = badge("new")
    assert got == "<span>new</span>" and isinstance(got, SafeString), f"badge('new') returned {got!r}"
    assert badge.__name__ == "badge" and badge.__doc__ == "A badge."


@pytest.mark.parametrize(
    "combine, stays_safe",
    [
        (lambda: mark_safe("<a>") + mark_safe("<b>"), True),
        (lambda: mark_safe("<a>") + "<b>", False),
        (lambda: "<a>" + mark_safe("<b>"), False),
        (lambda: mark_safe("<a>") * 2, False),
        (lambda: mark_safe("<a>").upper(), False),
        (lambda: mark_safe("<a>")[1:], False),
        (lambda: mark_safe("<a> ").strip(), False),
        (lambda: str(mark_safe("<a>")), True),
    ],
    ids=["safe+safe", "safe+str", "str+safe", "repeat", "upper", "slice", "strip", "str()"],
)
def test_safety_is_kept_only_by_joining_safe_strings(combine, stays_safe):
    """SafeString + SafeString is safe; every other operation gives a plain str that will be escaped."""
    got = combine()
    assert isinstance(got, SafeData) is stays_safe, (
        f"the result {got!r} is a {type(got).__name__}; expected {'a SafeString' if stays_safe else 'a plain str'}"
    )


def test_safe_data_html_returns_itself():
    """The __html__ of a SafeString is the SafeString itself: what conditional_escape relies on."""
    marked = SafeString("<i>")
    assert marked.__html__() is marked


# --- properties through the template engine ------------------------------------------------

SPECIAL_HEAVY_TEXT = st.text(alphabet=st.sampled_from("<>&\"'abc =/;#x0123456789\n") | st.characters(), max_size=60)


@functools.cache
def echo_template(compiled: bool):
    """The template "{{ value }}", compiled once (hypothesis renders it a hundred times)."""
    return Engine(compiled=compiled).from_string("{{ value }}")


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "interpreted"])
@given(text=SPECIAL_HEAVY_TEXT)
def test_variables_are_escaped_when_autoescaping(compiled, text):
    """Any string rendered through {{ variable }} has no raw < > " ', and every & starts an entity."""
    rendered = echo_template(compiled).render(Context({"value": text}))
    assert not set("<>\"'") & set(rendered), f"rendering {{{{ value }}}} with {text!r} gave {rendered!r}"
    assert html.unescape(rendered) == text, f"the escaped output {rendered!r} does not unescape to {text!r}"


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "interpreted"])
@given(text=SPECIAL_HEAVY_TEXT)
def test_safe_values_pass_through_unchanged(compiled, text):
    """A value marked safe is output exactly as it is, character for character."""
    rendered = echo_template(compiled).render(Context({"value": mark_safe(text)}))
    assert rendered == text, f"rendering mark_safe({text!r}) gave {rendered!r}; expected it unchanged"
