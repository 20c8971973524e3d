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
template engine is not escaping. Text from users can be hostile in size too:
each helper that parses it has a bound (``MAX_STRIP_TAGS_DEPTH``,
``MAX_URL_LENGTH``, ``MAX_EMAIL_LENGTH``), at Django's figures.
"""

import html
import html.parser
import ipaddress
import json
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from tinyframe.core.exceptions import SuspiciousOperation
from tinyframe.utils.http import MAX_URL_LENGTH
from tinyframe.utils.safestring import SafeData, SafeString, mark_safe

# Elements that never have content or an end tag (HTML's "void elements", plus
# two obsolete ones), as Django lists them: Truncator's HTML mode closes
# every open tag but these.
VOID_ELEMENTS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "param", "source", "track", "wbr", "frame", "spacer",
})

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
    return SafeString(escape_text(str(text)))


def escape_text(text: str) -> str:
    """The escaping itself: ``& < > " '`` in a ``str`` replaced by entities, the result left unmarked.

    ``escape`` marks what this returns as safe; a compiled template calls this
    directly for a value that is a plain ``str`` (most of what a page shows),
    since it joins its output into one string and needs no mark.

    >>> escape_text("Tom & 'Jerry' <3")
    'Tom &amp; &#x27;Jerry&#x27; &lt;3'
    """
    # The standard library's html.escape replaces exactly these five, "'" with
    # &#x27; as Django does, and is about ten times as fast as a translate table:
    # every {{ variable }} of every page comes through here.
    return html.escape(text)


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


# How deep strip_tags digs: at most this many passes over the text, and an
# unclosed tag (a "<" with no ">" in the next thousand characters) may hold at
# most this many "<". Past either bound the text is refused with
# SuspiciousOperation, as Django does: the figures are Django's.
MAX_STRIP_TAGS_DEPTH = 50
_LONG_OPEN_TAG_RE = re.compile(r"<[a-zA-Z][^>]{1000,}")


def strip_tags(value) -> str:
    """Remove everything that looks like an HTML tag, comment or declaration.

    A tag can hide inside another (``<scr<b>ipt>``), so stripping repeats until
    a pass removes nothing. The result is *not* safe HTML: ``<`` that is not a
    tag stays (``1 < 2``), and entities stay as written. Escape it before output.

    Hostile input cannot make it work for long: text that would need more than
    ``MAX_STRIP_TAGS_DEPTH`` passes, or an unclosed tag stuffed with as many
    ``<``, raises ``SuspiciousOperation`` (a 400 response when it reaches the
    handler), as in Django.

    >>> strip_tags('<p class="x">Hello <b>world</b>!<!-- hi --></p>')
    'Hello world!'
    >>> strip_tags("1 < 2 and 3 > 2")
    '1 < 2 and 3 > 2'
    >>> strip_tags("<scr<b>ipt>alert(1)</script>")
    'ipt>alert(1)'
    """
    value = str(value)
    for long_open_tag in _LONG_OPEN_TAG_RE.finditer(value):
        if long_open_tag.group().count("<") >= MAX_STRIP_TAGS_DEPTH:
            raise SuspiciousOperation
    passes = 0
    while "<" in value and ">" in value:
        if passes >= MAX_STRIP_TAGS_DEPTH:
            raise SuspiciousOperation
        stripped = _strip_tags_once(value)
        if stripped.count("<") == value.count("<"):
            break  # this pass found no tag to remove
        value = stripped
        passes += 1
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

# Bounds against denial of service, at Django's figures: a longer "word" is
# never a link, so the regular expressions below never run over megabytes.
MAX_EMAIL_LENGTH = 320  # RFC 3696, section 3

_SCHEME_URL_RE = re.compile(r"^https?://\[?\w", re.IGNORECASE)
# www.anything, or a bare domain with one of the seven original top-level
# domains, so "foo.bar" or a file name like "notes.txt" stays text.
_BARE_DOMAIN_RE = re.compile(r"^www\.|^(?!http)\w[^@]+\.(com|edu|gov|int|mil|net|org)($|/.*)$", re.IGNORECASE)

# An e-mail address as Django's EmailValidator accepts it: a dot-atom local
# part (a quoted one cannot occur: urlize splits words at quotes), then a
# domain name whose labels may hold any non-ASCII letter, or an IPv4 literal.
_EMAIL_LOCAL_RE = re.compile(r"^[-!#$%&'*+/=?^_`{}|~0-9a-z]+(\.[-!#$%&'*+/=?^_`{}|~0-9a-z]+)*\Z", re.IGNORECASE)
_LETTER_OR_DIGIT = "a-z0-9\u00a1-\uffff"
_EMAIL_DOMAIN_RE = re.compile(
    rf"^[{_LETTER_OR_DIGIT}](?:[{_LETTER_OR_DIGIT}-]{{0,61}}[{_LETTER_OR_DIGIT}])?"  # first label
    rf"(?:\.(?!-)[{_LETTER_OR_DIGIT}-]{{1,63}}(?<!-))*"  # more labels
    r"\.(?!-)(?:[a-z\u00a1-\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\Z",  # top-level domain
    re.IGNORECASE,
)
_EMAIL_LITERAL_RE = re.compile(r"^\[([0-9.]+)\]\Z")

# Characters left as they are when a URL part is quoted: RFC 3986's delimiters and "~".
_URL_SAFE_CHARACTERS = "!$&'()*+,;=:/?#[]@~"


def smart_urlquote(url: str) -> str:
    """Quote a URL for an href, leaving its delimiters and existing %-escapes alone.

    Each part is unquoted and quoted again, so an escape is never doubled. The
    query string is rebuilt pair by pair, so a key or value is quoted whole:
    an ``'`` or ``;`` in it becomes ``%27`` or ``%3B``.

    >>> smart_urlquote("http://example.com/caf\\u00e9 menu?q=it's&page=2")
    'http://example.com/caf%C3%A9%20menu?q=it%27s&page=2'
    """

    def quote_part(part: str) -> str:
        return quote(unquote(part), safe=_URL_SAFE_CHARACTERS)

    try:
        scheme, netloc, path, query, fragment = urlsplit(url)
    except ValueError:  # a malformed IPv6 host ("http://[x")
        return quote_part(url)
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(unquote(key), unquote(value)) for key, value in pairs])
    return urlunsplit((scheme, quote_part(netloc), quote_part(path), query, quote_part(fragment)))


def _trim_punctuation(word: str) -> tuple[str, str, str]:
    """Split ``word`` into (leading, middle, trailing): punctuation around a URL is not part of it.

    Opening brackets lead; closing brackets the URL did not open, and sentence
    punctuation, trail. A ";" that ends an HTML entity (``&amp;``) stays.

    >>> _trim_punctuation("(www.x.com/a_(b)).")
    ('(', 'www.x.com/a_(b)', ').')
    >>> _trim_punctuation("x.com/?a=1&amp;;")
    ('', 'x.com/?a=1&amp;', ';')
    """
    middle = word.lstrip("([")
    lead, trail = word[: len(word) - len(middle)], ""
    # Counted once: counting again on every pass would be quadratic on "))))...".
    counts = {bracket: middle.count(bracket) for bracket in "()[]"}
    trimmed = True
    while trimmed and middle:
        trimmed = False
        for opening, closing in _WRAPPING_PUNCTUATION:
            unmatched = counts[closing] - counts[opening]
            if unmatched > 0 and middle.endswith(closing):
                trail = middle[-unmatched:] + trail
                middle = middle[:-unmatched]
                counts[closing] -= unmatched
                trimmed = True
        # With an "&" in the word, a final ";" may end an entity: judged below.
        ampersand = middle.rfind("&")
        stripped = middle.rstrip(_TRAILING_PUNCTUATION.replace(";", "") if ampersand >= 0 else _TRAILING_PUNCTUATION)
        if stripped != middle:
            trail = middle[len(stripped):] + trail
            middle = stripped
            trimmed = True
        if middle.endswith(";"):
            after_ampersand = middle[ampersand:]
            unescaped = html.unescape(after_ampersand)
            if unescaped == after_ampersand or unescaped.endswith(";"):
                # Not an entity, or an entity followed by more ";": trim, keeping
                # the first ";" after an "&" (it may end the entity).
                stripped = middle.rstrip(_TRAILING_PUNCTUATION)
                punctuation = middle[len(stripped):]
                trailing_semicolons = len(middle) - len(middle.rstrip(";"))
                keep = punctuation.index(";") + 1 if ampersand >= 0 and trailing_semicolons > 1 else 0
                trail = punctuation[keep:] + trail
                middle = stripped + punctuation[:keep]
                trimmed = True
    return lead, middle, trail


def _is_email(value: str) -> bool:
    """Whether ``value`` is an e-mail address Django's EmailValidator accepts (no domain allowlist).

    >>> _is_email("ada@example.com"), _is_email("ada@localhost"), _is_email("a..b@x.com")
    (True, False, False)
    """
    if len(value) > MAX_EMAIL_LENGTH or "@" not in value:
        return False
    local, domain = value.rsplit("@", 1)
    if not _EMAIL_LOCAL_RE.match(local):
        return False
    if _EMAIL_DOMAIN_RE.match(domain):
        return True
    literal = _EMAIL_LITERAL_RE.match(domain)
    if literal:
        try:
            ipaddress.IPv4Address(literal[1])
        except ValueError:
            return False
        return True
    return False


def _link_for(middle: str) -> tuple[str, bool] | None:
    """The href a word links to and whether it is an e-mail address, or None for plain text.

    The word may hold HTML entities (text already marked safe): they are
    decoded before quoting, so ``&amp;`` links to ``&``, not to ``&amp;amp;``.
    """
    if len(middle) <= MAX_URL_LENGTH:
        if _SCHEME_URL_RE.match(middle):
            return smart_urlquote(html.unescape(middle)), False
        if _BARE_DOMAIN_RE.match(middle):
            return smart_urlquote("http://" + html.unescape(middle)), False
    if ":" not in middle and _is_email(middle):
        local, domain = middle.rsplit("@", 1)
        return f"mailto:{quote(local, safe='')}@{quote(domain, safe='')}", True
    return None


def urlize(text, trim_url_limit: int | None = None, nofollow: bool = False, autoescape: bool = False) -> SafeString:
    """Turn the URLs and e-mail addresses in plain text into links.

    Links are made for ``http://`` and ``https://`` URLs, ``www.`` addresses,
    bare domains ending in .com .edu .gov .int .mil .net or .org, and e-mail
    addresses that Django's validator accepts; sentence punctuation and
    unmatched brackets around them are left outside the link. Link text longer
    than ``trim_url_limit`` is cut with "…"; ``nofollow`` adds
    ``rel="nofollow"`` to web links. The href is always escaped; the rest of the
    text is escaped when ``autoescape`` is true, unless it is already safe.

    As in Django, a "word" longer than ``MAX_URL_LENGTH`` (or an address longer
    than ``MAX_EMAIL_LENGTH``) is never a link, so megabytes of hostile text
    take linear time. Unlike Django, no closing bracket or punctuation is ever
    dropped from the text (Django loses the "." of ``(a@b.com).``).

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
        link = None
        if "." in word or "@" in word or ":" in word:
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
        output.append(f'{plain(lead)}<a href="{escape(href)}"{rel}>{plain(shown)}</a>{plain(trail)}')
    return mark_safe("".join(output))
