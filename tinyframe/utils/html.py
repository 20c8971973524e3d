"""Building HTML safely: escaping, formatting with escaped arguments, and text-to-HTML helpers.

How it works: ``escape`` replaces the five characters that HTML gives a meaning
to (``& < > " '``) by entities and returns a ``SafeString``; the template engine
calls ``conditional_escape`` on every variable it outputs, which escapes
everything except values already marked safe (anything with ``__html__``,
see ``tinyframe.utils.safestring``). On top of those two:

    format_html("<a href='{}'>{}</a>", url, title)  escape the arguments, keep the format
    format_html_join(sep, format, rows)               the same, once per row
    strip_tags / linebreaks / urlize / avoid_wrapping  text to HTML, for filters
    escapejs / json_script                            text and data inside <script>

Every function that returns HTML returns a ``SafeString``, and every function
that takes text escapes it, unless it is told (``autoescape=False``) that the
template engine is not escaping.
"""

import html.parser
import json
import re
from urllib.parse import quote, unquote

from tinyframe.utils.safestring import SafeData, SafeString, mark_safe

# The characters escape() replaces. "'" becomes &#x27; (not &apos;, which HTML 4
# lacks): the same entity Django emits, so output compares equal.
_HTML_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
)

# escapejs: characters that could end a JavaScript string or a <script>
# element, or start an HTML comment, become \\uXXXX escapes.
_JS_ESCAPES = {ord(char): f"\\u{ord(char):04X}" for char in "\\'\"><&=-;`\u2028\u2029"}
_JS_ESCAPES.update({code: f"\\u{code:04X}" for code in range(32)})

# json_script: JSON is valid JavaScript, but "</script>" or "<!--" inside a
# string would still end or confuse the element, so < > & are escaped.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def escape(text) -> SafeString:
    """Escape ``& < > " '`` in ``str(text)`` and mark the result safe.

    Always escapes, even text already marked safe (use ``conditional_escape`` to
    leave safe text alone), so escaping twice double-escapes.

    >>> escape('<a href="/?q=1&r=2">Tom\\'s</a>')
    '&lt;a href=&quot;/?q=1&amp;r=2&quot;&gt;Tom&#x27;s&lt;/a&gt;'
    >>> escape(escape("&"))
    '&amp;amp;'
    """
    return SafeString(str(text).translate(_HTML_ESCAPES))


def conditional_escape(text):
    """Escape ``text`` for HTML unless it is already safe.

    Exercise 03.1. What counts as safe: anything with an ``__html__`` method —
    a ``SafeString`` from ``mark_safe``, or an object from another library that
    knows its HTML form. For those, return ``text.__html__()``; for everything
    else (strings, numbers, None...) return ``escape(text)``. This is what the
    template engine applies to every ``{{ variable }}`` while auto-escaping.

    >>> conditional_escape("<b>")
    '&lt;b&gt;'
    >>> conditional_escape(mark_safe("<b>"))
    '<b>'
    >>> conditional_escape(3)
    '3'
    """
    if hasattr(text, "__html__"):
        return text.__html__()
    return escape(text)


def format_html(format_string: str, *args, **kwargs) -> SafeString:
    """Like ``str.format``, but escape every argument and mark the result safe.

    The format string itself is trusted HTML; the arguments are not, unless they
    are safe already. Build HTML from data with this, never with ``%`` or an
    f-string. Calling it without arguments is an error (Django 5 deprecates it,
    Django 6 refuses it): there is nothing to escape, so it would only hide an
    unescaped f-string; use ``mark_safe`` for a constant.

    >>> format_html('<a href="{}">{name}</a>', "/?a=1&b=2", name="<Tom>")
    '<a href="/?a=1&amp;b=2">&lt;Tom&gt;</a>'
    """
    if not (args or kwargs):
        raise TypeError(
            "format_html() needs arguments to escape; for a constant string of HTML, use mark_safe()."
        )
    escaped_args = [conditional_escape(arg) for arg in args]
    escaped_kwargs = {name: conditional_escape(value) for name, value in kwargs.items()}
    return mark_safe(format_string.format(*escaped_args, **escaped_kwargs))


def format_html_join(sep: str, format_string: str, args_generator) -> SafeString:
    """Apply ``format_html`` to each item of ``args_generator`` and join with ``sep``.

    Each item is a sequence of positional arguments or a mapping of named ones.
    ``sep`` is escaped unless it is safe.

    >>> format_html_join("\\n", "<li>{} is {}</li>", [("x", "<1>"), ("y", 2)])
    '<li>x is &lt;1&gt;</li>\\n<li>y is 2</li>'
    >>> format_html_join("", "<b>{name}</b>", [{"name": "&"}])
    '<b>&amp;</b>'
    """
    pieces = []
    for item in args_generator:
        if hasattr(item, "keys"):
            pieces.append(format_html(format_string, **item))
        else:
            pieces.append(format_html(format_string, *item))
    return mark_safe(conditional_escape(sep).join(pieces))


class _TagStripper(html.parser.HTMLParser):
    """Keep only the text of an HTML document: drop tags, comments and declarations.

    Entities and character references are kept as they were written (the
    result is still HTML text, where ``&amp;`` must stay ``&amp;``).
    """

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.pieces = []

    def handle_data(self, data):
        self.pieces.append(data)

    def handle_entityref(self, name):
        self.pieces.append(f"&{name};")

    def handle_charref(self, name):
        self.pieces.append(f"&#{name};")


def _strip_tags_once(value: str) -> str:
    """One pass of the HTML parser over ``value``, keeping its text."""
    stripper = _TagStripper()
    stripper.feed(value)
    stripper.close()
    return "".join(stripper.pieces)


# How many passes strip_tags makes at most: every pass removes at least one
# "<", so a hostile input cannot keep it looping long.
MAX_STRIP_TAGS_PASSES = 50


def strip_tags(value) -> str:
    """Remove everything that looks like an HTML tag, comment or declaration.

    A tag can hide inside another (``<scr<b>ipt>``), so stripping repeats until
    a pass removes nothing. The result is *not* safe HTML: ``<`` that is not a
    tag stays (``1 < 2``), and entities stay as written. Escape it before output.

    >>> strip_tags('<p class="x">Hello <b>world</b>!<!-- hi --></p>')
    'Hello world!'
    >>> strip_tags("1 < 2 and 3 > 2")
    '1 < 2 and 3 > 2'
    >>> strip_tags("<scr<b>ipt>alert(1)</script>")
    'ipt>alert(1)'
    """
    value = str(value)
    for _ in range(MAX_STRIP_TAGS_PASSES):
        if "<" not in value or ">" not in value:
            break
        stripped = _strip_tags_once(value)
        if stripped.count("<") == value.count("<"):
            break  # this pass found no tag to remove
        value = stripped
    return value


def linebreaks(value, autoescape: bool = False) -> SafeString:
    """Turn plain text into paragraphs: a blank line starts a ``<p>``, a newline is ``<br>``.

    >>> linebreaks("Dear <you>,\\nhello.\\n\\nBye", autoescape=True)
    '<p>Dear &lt;you&gt;,<br>hello.</p>\\n\\n<p>Bye</p>'
    """
    value = re.sub(r"\r\n|\r", "\n", str(value))
    paragraphs = re.split("\n{2,}", value)
    if autoescape:
        paragraphs = [escape(paragraph) for paragraph in paragraphs]
    return mark_safe(
        "\n\n".join(f"<p>{paragraph.replace(chr(10), '<br>')}</p>" for paragraph in paragraphs)
    )


def avoid_wrapping(value: str) -> str:
    """Replace spaces by non-breaking spaces, so '10 MB' never breaks across lines.

    >>> avoid_wrapping("10 MB")
    '10\\xa0MB'
    """
    return value.replace(" ", "\xa0")


def escapejs(value) -> SafeString:
    """Escape text for use inside a JavaScript string literal (between quotes).

    Quotes, backslashes, ``< > & = - ; `` ` and control characters become
    ``\\uXXXX`` escapes, so the text can neither end the string nor the
    ``<script>`` element. Not for HTML attributes: use ``escape`` there.

    >>> print(escapejs("it's </script>"))
    it\\u0027s \\u003C/script\\u003E
    """
    return mark_safe(str(value).translate(_JS_ESCAPES))


def json_script(value, element_id: str | None = None, encoder=None) -> SafeString:
    """Serialize ``value`` as JSON inside a ``<script type="application/json">`` element.

    The safe way to hand data to JavaScript: read it back with
    ``JSON.parse(document.getElementById(id).textContent)``. ``encoder`` is a
    ``json.JSONEncoder`` subclass for types JSON lacks.

    >>> json_script({"title": "</script>"}, "post-data")
    '<script id="post-data" type="application/json">{"title": "\\\\u003C/script\\\\u003E"}</script>'
    """
    json_text = json.dumps(value, cls=encoder or json.JSONEncoder).translate(_JSON_SCRIPT_ESCAPES)
    if element_id:
        return format_html(
            '<script id="{}" type="application/json">{}</script>', element_id, mark_safe(json_text)
        )
    return format_html('<script type="application/json">{}</script>', mark_safe(json_text))


# --- urlize -----------------------------------------------------------------

# urlize splits text into words at whitespace, angle brackets and quotes, so a
# URL can never swallow markup or break out of the href attribute.
_WORD_SPLIT_RE = re.compile(r"""([\s<>"']+)""")
# Punctuation that ends a sentence rather than the URL ("see http://x.com.").
_TRAILING_PUNCTUATION = ".,:;!"
_WRAPPING_PUNCTUATION = [("(", ")"), ("[", "]")]
# A bare domain (no scheme, no www.) is linked only with one of these top-level
# domains, so "foo.bar" or a file name like "notes.txt" stays text.
_BARE_DOMAIN_RE = re.compile(r"^(?!https?:)\w[^@/\s]*\.(com|edu|gov|int|mil|net|org)(/.*)?$", re.IGNORECASE)
_EMAIL_RE = re.compile(r"^[^@\s:/]+@[^@\s:/]+\.[^@\s:/]+$")
# Characters left as they are when a URL is quoted: RFC 3986's delimiters and "~".
_URL_SAFE_CHARACTERS = "!$&'()*+,;=:/?#[]@~"


def smart_urlquote(url: str) -> str:
    """Quote a URL for an href, leaving its delimiters and existing %-escapes alone.

    >>> smart_urlquote("http://example.com/caf\\u00e9 menu?a=1&b=2")
    'http://example.com/caf%C3%A9%20menu?a=1&b=2'
    """
    return quote(unquote(url), safe=_URL_SAFE_CHARACTERS)


def _trim_punctuation(word: str) -> tuple[str, str, str]:
    """Split ``word`` into (leading, middle, trailing): punctuation around a URL is not part of it."""
    lead, middle, trail = "", word, ""
    for opening, closing in _WRAPPING_PUNCTUATION:
        if middle.startswith(opening):
            lead += opening
            middle = middle[1:]
    while middle:
        if middle[-1] in _TRAILING_PUNCTUATION:
            trail = middle[-1] + trail
            middle = middle[:-1]
            continue
        for opening, closing in _WRAPPING_PUNCTUATION:
            # A closing bracket belongs to the URL only if the URL opened it,
            # as in https://en.wikipedia.org/wiki/Python_(language).
            if middle.endswith(closing) and middle.count(closing) > middle.count(opening):
                trail = closing + trail
                middle = middle[:-1]
                break
        else:
            break
    return lead, middle, trail


def _link_for(middle: str) -> tuple[str, bool] | None:
    """The href a word links to and whether it is an email address, or None for plain text."""
    lowered = middle.lower()
    if lowered.startswith(("http://", "https://")) and len(middle) > len("https://"):
        scheme, rest = middle.split(":", 1)
        return smart_urlquote(scheme.lower() + ":" + rest), False
    if lowered.startswith("www.") or _BARE_DOMAIN_RE.match(middle):
        return smart_urlquote("http://" + middle), False
    if _EMAIL_RE.match(middle):
        return "mailto:" + quote(middle, safe="@"), True
    return None


def urlize(text, trim_url_limit: int | None = None, nofollow: bool = False, autoescape: bool = False) -> SafeString:
    """Turn the URLs and email addresses in plain text into links.

    Links are made for ``http://`` and ``https://`` URLs, ``www.`` addresses,
    bare domains ending in .com .edu .gov .int .mil .net or .org, and email
    addresses; sentence punctuation and unmatched brackets around them are left
    outside the link. Link text longer than ``trim_url_limit`` is cut with "…";
    ``nofollow`` adds ``rel="nofollow"`` to web links. The href is always
    escaped; the rest of the text is escaped when ``autoescape`` is true.

    Simpler than Django's: international domain names are %-quoted rather than
    converted to punycode, and HTML entities in the text are not decoded while
    looking for URLs.

    >>> urlize("Read http://example.com/?a=1&b=2, or mail me@example.com.")
    'Read <a href="http://example.com/?a=1&amp;b=2">http://example.com/?a=1&b=2</a>, or mail <a href="mailto:me@example.com">me@example.com</a>.'
    >>> urlize("<b>www.example.com</b>", nofollow=True, autoescape=True)
    '&lt;b&gt;<a href="http://www.example.com" rel="nofollow">www.example.com</a>&lt;/b&gt;'
    """
    safe_input = isinstance(text, SafeData)

    def plain(piece: str) -> str:
        return escape(piece) if autoescape and not safe_input else piece

    output = []
    for word in _WORD_SPLIT_RE.split(str(text)):
        if "." not in word and "@" not in word and ":" not in word:
            output.append(plain(word))
            continue
        lead, middle, trail = _trim_punctuation(word)
        link = _link_for(middle)
        if link is None:
            output.append(plain(word))
            continue
        href, is_email = link
        shown = middle
        if trim_url_limit is not None and len(shown) > trim_url_limit:
            shown = shown[: max(0, trim_url_limit - 1)] + "…"
        rel = ' rel="nofollow"' if nofollow and not is_email else ""
        anchor = f'<a href="{escape(href)}"{rel}>{plain(shown)}</a>'
        output.append(plain(lead) + anchor + plain(trail))
    return mark_safe("".join(output))
