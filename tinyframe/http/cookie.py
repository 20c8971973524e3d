"""Reading the Cookie header that browsers send.

How it works: responses set cookies with ``http.cookies.SimpleCookie`` (see
``HttpResponseBase.set_cookie``), which writes correct ``Set-Cookie`` headers.
Reading is another matter: browsers send back whatever a page's script or an
old server once set, including characters ``SimpleCookie`` refuses, and
``SimpleCookie`` then drops every cookie after the first bad one. So requests
parse the ``Cookie`` header with ``parse_cookie``, which splits on ``;`` and
``=`` and keeps all it can.
"""

import re
from http.cookies import SimpleCookie

__all__ = ["SimpleCookie", "parse_cookie"]

# In a quoted cookie value, a backslash escapes a quote, a backslash, or a
# three-digit octal byte (the form SimpleCookie writes).
_ESCAPE = re.compile(r"\\(?:([0-3][0-7][0-7])|(.))")


def parse_cookie(cookie: str) -> dict[str, str]:
    """Parse a Cookie header into a dict of names to values, never raising.

    Chunks without '=' are kept under the empty name, as browsers do; later
    duplicates win; quoted values are unquoted.

    >>> parse_cookie('sessionid=abc123; theme="dark mode"; broken; =x')
    {'sessionid': 'abc123', 'theme': 'dark mode', '': 'x'}
    >>> parse_cookie("")
    {}
    """
    cookies = {}
    for chunk in cookie.split(";"):
        name, equals, value = chunk.partition("=")
        if not equals:  # 'broken': a value with no name
            name, value = "", name
        name, value = name.strip(), value.strip()
        if name or value:
            cookies[name] = _unquote(value)
    return cookies


def _unquote(value: str) -> str:
    """Remove the double quotes around a cookie value and undo its backslash escapes."""
    if len(value) < 2 or value[0] != '"' or value[-1] != '"':
        return value

    def unescape(match: re.Match) -> str:
        octal, char = match.groups()
        return chr(int(octal, 8)) if octal else char

    return _ESCAPE.sub(unescape, value[1:-1])
