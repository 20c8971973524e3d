"""Small pure helpers for the text formats of HTTP: dates, query strings, header parameters.

How it works: each function here converts one HTTP format, with no state and no
settings. ``http_date`` and ``parse_http_date`` convert the date format of
``Expires`` and ``Last-Modified``; ``urlencode`` builds query strings;
``parse_header_parameters`` splits ``text/html; charset=utf-8`` into its value
and parameters; ``content_disposition_header`` names a downloaded file.
"""

import calendar
import datetime
import re
from email.utils import formatdate
from urllib.parse import quote, unquote
from urllib.parse import urlencode as _urlencode

# The longest URL tinyframe inspects, as Django: a longer one is refused
# unexamined, since normalising and matching a multi-megabyte "URL" costs
# time an attacker chooses (browsers and servers stop well before 2048 too).
MAX_URL_LENGTH = 2048
# The longest URL a redirect may point to (HttpResponseRedirect refuses a
# longer one), as Django 5.2: a redirect target is often taken from the request.
MAX_URL_REDIRECT_LENGTH = 16384

# The three date formats RFC 9110 says a recipient must accept (section 5.6.7).
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_DAY = r"(?P<day>\d{2})"
_DAY_PADDED = r"(?P<day>[ \d]\d)"
_MONTH = r"(?P<mon>\w{3})"
_YEAR4 = r"(?P<year>\d{4})"
_YEAR2 = r"(?P<year>\d{2})"
_TIME = r"(?P<hour>\d{2}):(?P<min>\d{2}):(?P<sec>\d{2})"
RFC1123_DATE = re.compile(rf"^\w{{3}}, {_DAY} {_MONTH} {_YEAR4} {_TIME} GMT$")
RFC850_DATE = re.compile(rf"^\w{{6,9}}, {_DAY}-{_MONTH}-{_YEAR2} {_TIME} GMT$")
ASCTIME_DATE = re.compile(rf"^\w{{3}} {_MONTH} {_DAY_PADDED} {_TIME} {_YEAR4}$")


def http_date(epoch_seconds: float | None = None) -> str:
    """Format a time (seconds since the epoch; default now) as an HTTP date.

    >>> http_date(0)
    'Thu, 01 Jan 1970 00:00:00 GMT'
    >>> http_date(1700000000)
    'Tue, 14 Nov 2023 22:13:20 GMT'
    """
    return formatdate(epoch_seconds, usegmt=True)


def parse_http_date(date: str) -> int:
    """Parse an HTTP date in any of its three formats into seconds since the epoch.

    Raise ValueError when ``date`` is in none of them.

    >>> parse_http_date("Tue, 14 Nov 2023 22:13:20 GMT")
    1700000000
    >>> parse_http_date("Tuesday, 14-Nov-23 22:13:20 GMT")
    1700000000
    >>> parse_http_date("Tue Nov 14 22:13:20 2023")
    1700000000
    """
    for regex in (RFC1123_DATE, RFC850_DATE, ASCTIME_DATE):
        match = regex.match(date)
        if match:
            break
    else:
        raise ValueError(f"{date!r} is not in a valid HTTP date format")
    try:
        year = int(match["year"])
        if year < 100:
            # RFC 850 two-digit years: RFC 9110 says a year that looks more than
            # 50 years in the future is in the past.
            current_year = datetime.datetime.now(datetime.timezone.utc).year
            year += current_year - current_year % 100
            if year > current_year + 50:
                year -= 100
        month = _MONTHS.index(match["mon"].lower()) + 1
        result = datetime.datetime(
            year, month, int(match["day"]), int(match["hour"]), int(match["min"]), int(match["sec"])
        )
    except ValueError as error:  # an unknown month name, or 31 February
        raise ValueError(f"{date!r} is not a valid date") from error
    return calendar.timegm(result.utctimetuple())


def parse_http_date_safe(date: str) -> int | None:
    """Like ``parse_http_date``, but return None for an invalid date.

    >>> parse_http_date_safe("yesterday") is None
    True
    """
    try:
        return parse_http_date(date)
    except ValueError:
        return None


def urlencode(query, doseq: bool = False) -> str:
    """Encode a mapping or a sequence of pairs as a query string, refusing None values.

    ``urllib.parse.urlencode`` turns None into the string 'None', which is never
    what was meant; here it is an error. With ``doseq``, a list value becomes one
    pair per item.

    >>> urlencode({"q": "café au lait", "page": 2})
    'q=caf%C3%A9+au+lait&page=2'
    >>> urlencode({"tag": ["a", "b"]}, doseq=True)
    'tag=a&tag=b'
    """
    if hasattr(query, "lists"):  # a MultiValueDict: every value, not the last one
        query = query.lists()
    elif hasattr(query, "items"):
        query = query.items()
    pairs = []
    for key, value in query:
        if value is None:
            raise TypeError(
                f"Cannot encode None for key '{key}' in a query string. Did you mean to "
                "pass an empty string or omit the value?"
            )
        if not doseq or isinstance(value, (str, bytes)):
            pairs.append((key, value))
            continue
        try:
            items = iter(value)
        except TypeError:  # a number, for example
            pairs.append((key, value))
            continue
        for item in items:
            if item is None:
                raise TypeError(
                    f"Cannot encode None for key '{key}' in a query string. Did you mean "
                    "to pass an empty string or omit the value?"
                )
            pairs.append((key, item))
    return _urlencode(pairs, doseq=False)


def parse_header_parameters(line: str) -> tuple[str, dict[str, str]]:
    """Split a header value such as Content-Type into its main value and its parameters.

    The main value and parameter names are lower-cased; quoted values are
    unquoted; RFC 5987 values (``filename*=utf-8''caf%C3%A9.txt``) are decoded
    and win over the plain form of the same parameter.

    >>> parse_header_parameters('text/HTML; Charset="utf-8"')
    ('text/html', {'charset': 'utf-8'})
    >>> parse_header_parameters('form-data; name="a;b"; filename*=utf-8\\'\\'caf%C3%A9.txt')
    ('form-data', {'name': 'a;b', 'filename': 'café.txt'})
    """
    main_value, *pieces = _split_outside_quotes(line)
    parameters: dict[str, str] = {}
    extended: dict[str, str] = {}
    for piece in pieces:
        name, equals, value = piece.partition("=")
        name = name.strip().lower()
        if not name or not equals:
            continue
        value = value.strip()
        if name.endswith("*"):
            charset, _, encoded = value.partition("'")
            _language, _, encoded = encoded.partition("'")
            try:
                extended[name[:-1]] = unquote(encoded, encoding=charset or "utf-8", errors="replace")
            except LookupError:  # an unknown charset: fall back to the plain parameter
                pass
            continue
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1].replace("\\\\", "\\").replace('\\"', '"')
        parameters[name] = value
    parameters.update(extended)
    return main_value.strip().lower(), parameters


def _split_outside_quotes(line: str) -> list[str]:
    """Split on the semicolons that are not inside a double-quoted string."""
    pieces, start, in_quotes, escaped = [], 0, False, False
    for index, char in enumerate(line):
        if escaped:
            escaped = False
        elif char == "\\" and in_quotes:
            escaped = True
        elif char == '"':
            in_quotes = not in_quotes
        elif char == ";" and not in_quotes:
            pieces.append(line[start:index])
            start = index + 1
    pieces.append(line[start:])
    return pieces


def content_disposition_header(as_attachment: bool, filename: str) -> str | None:
    """The Content-Disposition value that shows a file inline or downloads it as ``filename``.

    A name that fits a quoted string is sent as ``filename="..."``; any other
    (non-ASCII, control characters) is sent in the RFC 5987 form that every
    current browser decodes.

    >>> content_disposition_header(True, 'report "final".pdf')
    'attachment; filename="report \\\\"final\\\\".pdf"'
    >>> content_disposition_header(False, "café.txt")
    "inline; filename*=utf-8''caf%C3%A9.txt"
    >>> content_disposition_header(False, "") is None
    True
    """
    if not filename:
        return "attachment" if as_attachment else None
    disposition = "attachment" if as_attachment else "inline"
    # A quoted string may hold tab, space and the visible ASCII characters.
    if re.fullmatch(r"[\t \x21-\x7e]*", filename):
        escaped = filename.replace("\\", "\\\\").replace('"', '\\"')
        return f'{disposition}; filename="{escaped}"'
    return f"{disposition}; filename*=utf-8''{quote(filename)}"
# >>> 05_middleware


# An entity tag as it appears in a header: optionally weak (W/), then quoted.
ETAG_MATCH = re.compile(r'\A((?:W/)?"[^"]*")\Z')


def parse_etags(etag_str: str) -> list[str]:
    """The entity tags of an If-None-Match or If-Match header, quotes kept; ``["*"]`` for ``*``.

    Malformed tags are dropped rather than failing the request.

    >>> parse_etags('"abc", W/"def" , nonsense')
    ['"abc"', 'W/"def"']
    >>> parse_etags(" * ")
    ['*']
    """
    if etag_str.strip() == "*":
        return ["*"]
    matches = (ETAG_MATCH.match(etag.strip()) for etag in etag_str.split(","))
    return [match[1] for match in matches if match]


def quote_etag(etag_str: str) -> str:
    """An entity tag in quotes, as HTTP wants it, unless it already is one.

    >>> quote_etag("abc")
    '"abc"'
    >>> quote_etag('W/"abc"')
    'W/"abc"'
    """
    if ETAG_MATCH.match(etag_str):
        return etag_str
    return f'"{etag_str}"'


def escape_leading_slashes(url: str) -> str:
    """Escape a second leading slash, so a path cannot become a link to another host.

    A browser reads ``//evil.example/`` as "the host evil.example", so a
    redirect to the path ``//evil.example/`` must be sent as ``/%2Fevil.example/``.

    >>> escape_leading_slashes("//evil.example/")
    '/%2Fevil.example/'
    >>> escape_leading_slashes("/about/")
    '/about/'
    """
    if url.startswith("//"):
        url = "/%2F" + url.removeprefix("//")
    return url
# <<< 05_middleware
# >>> 10_auth


def is_same_domain(host: str, pattern: str) -> bool:
    """Whether ``host`` is ``pattern``, or a subdomain of it when ``pattern`` starts with a dot.

    CSRF protection matches an ``Origin`` or a ``Referer`` against the site's
    trusted hosts with it. ``host`` is compared as it comes (it is already
    lower case: a browser sends it so); ``pattern`` is lower-cased. An empty
    pattern matches nothing.

    >>> is_same_domain("blog.example.com", ".example.com"), is_same_domain("example.com", ".example.com")
    (True, True)
    >>> is_same_domain("evilexample.com", ".example.com"), is_same_domain("example.com:8000", "example.com")
    (False, False)
    """
    if not pattern:
        return False
    pattern = pattern.lower()
    if pattern.startswith("."):
        return host.endswith(pattern) or host == pattern[1:]
    return host == pattern


# <<< 10_auth
# >>> 10_auth


import unicodedata  # noqa: E402  (chapter 10's addition)
from urllib.parse import urlsplit  # noqa: E402


def url_has_allowed_host_and_scheme(url: str | None, allowed_hosts, require_https: bool = False) -> bool:
    """Whether ``url`` is safe to redirect to: a path on this site, or a URL on one of ``allowed_hosts``.

    A ``next=`` parameter comes from whoever wrote the link, so a login page
    that redirects to it blindly is an open redirect: ``?next=//evil.example``
    sends a freshly signed-in visitor to a look-alike site. Browsers read URLs
    more loosely than ``urlsplit``: they treat ``\\`` as ``/``, ignore leading
    control characters, and take ``///host`` or ``https:host`` as a host. So a
    URL passes only if it passes twice, as written and with backslashes made
    slashes, and anything a browser might read differently is refused.

    ``allowed_hosts`` is a set of hosts (``"example.com"``, ``"example.com:8000"``),
    or one host as a string, or None (no host allowed: only paths pass). With
    ``require_https``, an absolute URL must be https.

    >>> url_has_allowed_host_and_scheme("/profile/?tab=1", {"example.com"})
    True
    >>> url_has_allowed_host_and_scheme("https://example.com/", {"example.com"})
    True
    >>> [url_has_allowed_host_and_scheme(url, {"example.com"})
    ...  for url in ["//evil.example", "https:evil.example", "\\\\\\\\evil.example", "javascript:alert(1)"]]
    [False, False, False, False]
    """
    if url is not None:
        url = url.strip()
    if not url:
        return False
    if allowed_hosts is None:
        allowed_hosts = set()
    elif isinstance(allowed_hosts, str):
        allowed_hosts = {allowed_hosts}
    # Chrome reads "\" as "/" in a path, but "\" may also sit in a username
    # before an "@": the URL must be safe read either way.
    return _is_safe_url(url, allowed_hosts, require_https) and _is_safe_url(
        url.replace("\\", "/"), allowed_hosts, require_https
    )


def _is_safe_url(url: str, allowed_hosts: set, require_https: bool) -> bool:
    """One reading of ``url`` (see ``url_has_allowed_host_and_scheme``): its host allowed, its scheme http(s)."""
    # Three slashes: urlsplit sees no host, but browsers read one. A very long
    # URL is refused unread (parsing it costs time an attacker chooses).
    if url.startswith("///") or len(url) > MAX_URL_LENGTH:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed IPv6 host, for one
        return False
    # "http:///evil.example" or "https:evil.example": a scheme without a host.
    # Browsers take what follows for the host, urlsplit for a path.
    if parts.scheme and not parts.netloc:
        return False
    # Browsers skip control characters at the start, so "\x08//evil.example"
    # becomes "//evil.example" to them.
    if unicodedata.category(url[0]).startswith("C"):
        return False
    # A URL with a host and no scheme ("//example.com/") is fetched over http.
    scheme = parts.scheme or ("http" if parts.netloc else "")
    allowed_schemes = ("https",) if require_https else ("http", "https")
    host_allowed = not parts.netloc or parts.netloc in allowed_hosts
    return host_allowed and (not scheme or scheme in allowed_schemes)
# <<< 10_auth
