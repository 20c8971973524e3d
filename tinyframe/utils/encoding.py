"""Converting between text and bytes at the edges of HTTP.

How it works: HTTP moves bytes, Python code wants text. ``force_str`` and
``force_bytes`` convert whatever they are given. URLs are the delicate case: a
path may hold any Unicode (an IRI), but what goes on the wire must be ASCII (a
URI), so ``iri_to_uri`` and ``escape_uri_path`` percent-encode what needs it, and
``repercent_broken_unicode`` re-encodes the bytes of a request path that are not
valid UTF-8, so that a mangled URL becomes a 404 instead of a crash.
"""

from urllib.parse import quote


def force_str(value, encoding: str = "utf-8", strings_only: bool = False, errors: str = "strict"):
    """Return ``value`` as text: bytes are decoded, anything else goes through ``str()``.

    With ``strings_only``, None, numbers and dates are returned unchanged.

    >>> force_str(b"caf\\xc3\\xa9")
    'café'
    >>> force_str(42)
    '42'
    """
    if isinstance(value, str):
        return value
    if strings_only and _is_protected_type(value):
        return value
    if isinstance(value, bytes):
        return value.decode(encoding, errors)
    return str(value)


def force_bytes(value, encoding: str = "utf-8", strings_only: bool = False, errors: str = "strict"):
    """Return ``value`` as bytes: text is encoded, anything else goes through ``str()``.

    >>> force_bytes("café")
    b'caf\\xc3\\xa9'
    >>> force_bytes(memoryview(b"raw"))
    b'raw'
    """
    if isinstance(value, bytes):
        return value if encoding == "utf-8" else value.decode("utf-8", errors).encode(encoding, errors)
    if strings_only and _is_protected_type(value):
        return value
    if isinstance(value, memoryview):
        return bytes(value)
    return str(value).encode(encoding, errors)


def _is_protected_type(value) -> bool:
    import datetime
    import decimal

    return value is None or isinstance(
        value, (int, float, decimal.Decimal, datetime.datetime, datetime.date, datetime.time)
    )


# Characters a URI may carry as they are (RFC 3986 reserved and unreserved, and
# '%' so that an already-encoded URI is not encoded twice).
URI_SAFE_CHARACTERS = "/#%[]=:;$&()+,!?*@'~"


def iri_to_uri(iri: str | None) -> str | None:
    """Percent-encode the characters of an IRI that a URI may not contain.

    Reserved characters keep their meaning and existing escapes are left alone,
    so encoding twice changes nothing.

    >>> iri_to_uri("/blog/café/?q=1&r=é")
    '/blog/caf%C3%A9/?q=1&r=%C3%A9'
    >>> iri_to_uri("/already%20encoded/")
    '/already%20encoded/'
    """
    if iri is None:
        return iri
    return quote(str(iri), safe=URI_SAFE_CHARACTERS)


def escape_uri_path(path: str) -> str:
    """Percent-encode a URL path, leaving the characters a path may hold as they are.

    Unlike ``iri_to_uri`` this encodes ``?``, ``#`` and ``%``: the input is a
    decoded path, and those characters are part of the path, not delimiters.

    >>> escape_uri_path("/a b/100%/?")
    '/a%20b/100%25/%3F'
    """
    return quote(path, safe="/:@&+$,-_.!~*'()")


def repercent_broken_unicode(path: bytes) -> bytes:
    """Percent-encode the bytes of ``path`` that are not valid UTF-8, keeping the rest.

    A browser sends a URL as UTF-8, but an attacker or a broken client can send
    any bytes. Re-encoding the invalid ones gives a path that decodes cleanly
    and still names exactly what was sent.

    >>> repercent_broken_unicode(b"/caf\\xc3\\xa9/\\xff")
    b'/caf\\xc3\\xa9/%FF'
    """
    pieces = []
    while True:
        try:
            path.decode()
        except UnicodeDecodeError as error:
            pieces.append(path[: error.start])
            pieces.append(quote(path[error.start : error.end], safe=URI_SAFE_CHARACTERS).encode("ascii"))
            path = path[error.end :]
        else:
            pieces.append(path)
            return b"".join(pieces)
