"""Headers in both directions: HttpHeaders reads a request's, ResponseHeaders checks a response's.

How it works: a WSGI server passes request headers in the environ under
CGI names (``HTTP_USER_AGENT``, ``CONTENT_TYPE``); ``HttpHeaders`` gives them
back their HTTP names (``parse_header_name``), case-insensitively, as
``request.headers``. The other way, ``ResponseHeaders`` stores what a view
sets on a response and refuses, with ``BadHeaderError``, a name or value
holding a line break: sent as is, it would end the header and start one the
attacker chose (response splitting).

    environ["HTTP_USER_AGENT"] -> HttpHeaders.parse_header_name -> request.headers["User-Agent"]
    response["Location"] = url -> ResponseHeaders.__setitem__ (_convert) -> the header list
"""

import sys
from email.header import Header

from tinyframe.utils.datastructures import CaseInsensitiveMapping


class HttpHeaders(CaseInsensitiveMapping):
    """The request headers, named as in HTTP, read from the CGI-style names in META."""

    HTTP_PREFIX = "HTTP_"
    # The two headers that CGI (and so WSGI) passes without the HTTP_ prefix.
    UNPREFIXED_HEADERS = {"CONTENT_TYPE", "CONTENT_LENGTH"}

    def __init__(self, environ: dict):
        headers = {}
        for key, value in environ.items():
            name = self.parse_header_name(key)
            if name:
                headers[name] = value
        super().__init__(headers)

    def __getitem__(self, key: str):
        # Allow request.headers["user_agent"], handy in templates.
        return super().__getitem__(key.replace("_", "-"))

    @classmethod
    def parse_header_name(cls, header: str) -> str | None:
        """Turn a META key into the HTTP header name it stands for, or None if it is not a header.

        >>> HttpHeaders.parse_header_name("HTTP_USER_AGENT")
        'User-Agent'
        >>> HttpHeaders.parse_header_name("CONTENT_TYPE")
        'Content-Type'
        >>> HttpHeaders.parse_header_name("SERVER_NAME") is None
        True
        """
        if header.startswith(cls.HTTP_PREFIX):
            header = header[len(cls.HTTP_PREFIX) :]
        elif header not in cls.UNPREFIXED_HEADERS:
            return None
        return "-".join(word.capitalize() for word in header.split("_"))

    @classmethod
    def to_wsgi_name(cls, header: str) -> str:
        """Turn an HTTP header name into its META key.

        >>> HttpHeaders.to_wsgi_name("X-Request-Id")
        'HTTP_X_REQUEST_ID'
        >>> HttpHeaders.to_wsgi_name("content-type")
        'CONTENT_TYPE'
        """
        header = header.replace("-", "_").upper()
        if header in cls.UNPREFIXED_HEADERS:
            return header
        return f"{cls.HTTP_PREFIX}{header}"

    @classmethod
    def to_wsgi_names(cls, headers: dict) -> dict:
        """A dict of headers keyed by their META names (the test client uses this)."""
        return {cls.to_wsgi_name(name): value for name, value in headers.items()}


class BadHeaderError(ValueError):
    """A header name or value with a line break, which would start a forged header."""


class ResponseHeaders(CaseInsensitiveMapping):
    """The response headers: case-insensitive, mutable, and checked as they are set.

    Names must be ASCII. Values are stored as text that encodes to latin-1 (as
    WSGI requires); other text is MIME-encoded (``=?utf-8?b?...?=``) as Django does.
    """

    def __init__(self, data=()):
        # Speed: every response makes one of these; an empty store needs none of
        # the generic work of CaseInsensitiveMapping.__init__.
        self._store = {}
        if not data:  # Speed (tests/benchmarks/requests.py): most responses are given no headers.
            return
        pairs = data.items() if hasattr(data, "items") else data
        for name, value in pairs:
            self[name] = value

    def _convert(self, name, value, charset: str, mime_encode: bool = False) -> str:
        """``value`` as text that encodes to ``charset``; BadHeaderError on a line break."""
        if not isinstance(value, (bytes, str)):
            value = str(value)
        if isinstance(value, bytes):
            try:
                value = value.decode(charset)
            except UnicodeDecodeError as error:
                raise BadHeaderError(f"Header {name!r} has bytes that are not {charset}: {value!r}.") from error
        if "\n" in value or "\r" in value:
            raise BadHeaderError(
                f"Header {name!r} can't contain newlines (got {value!r}): a line break "
                "would let the value start a header of its own."
            )
        try:
            value.encode(charset)
        except UnicodeEncodeError:
            if not mime_encode:
                raise BadHeaderError(f"Header names must be ASCII; got {value!r}.") from None
            value = Header(value, "utf-8", maxlinelen=sys.maxsize).encode()
        return value

    def __setitem__(self, name, value):
        # Speed (tests/benchmarks/requests.py): nearly every header is printable
        # ASCII text, which _convert would accept unchanged; check that in C.
        if type(name) is str and type(value) is str:
            text = name + value
            if text.isascii() and text.isprintable():
                self._store[name.lower()] = (name, value)
                return
        name = self._convert(name, name, "ascii")
        value = self._convert(name, value, "latin-1", mime_encode=True)
        self._store[name.lower()] = (name, value)

    # Speed: Mapping's __contains__ and get find a missing header by raising
    # and catching a KeyError, and its items() calls __getitem__ per header;
    # middleware ask about headers on every response, so ask the dict directly.
    def __contains__(self, name):
        return isinstance(name, str) and name.lower() in self._store

    def get(self, name, default=None):
        pair = self._store.get(name.lower()) if isinstance(name, str) else None
        return default if pair is None else pair[1]

    def items(self):
        """The (name, value) pairs, names as they were set."""
        return self._store.values()

    def __delitem__(self, name):
        self.pop(name)

    def pop(self, name, default=None):
        return self._store.pop(name.lower(), (name, default))[1]

    def setdefault(self, name, value):
        if name not in self:
            self[name] = value
        return self[name]
