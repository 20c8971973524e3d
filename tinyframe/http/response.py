"""The response a view returns: HttpResponseBase, HttpResponse and JsonResponse.

How it works: a view builds a response from a status, headers and content.
``HttpResponseBase`` holds the status line, the headers (a ``ResponseHeaders``,
which refuses values that would smuggle in a second header) and the cookies
(``set_cookie``). ``HttpResponse`` holds its content as bytes; ``JsonResponse``
is one whose content is ``data`` encoded as JSON. The WSGI handler turns any
response into a status line, a header list and an iterable of bytes, then
calls ``close()``, which runs the ``_resource_closers`` (closing files, and
whatever the handler adds).

The rest of the family lives beside it, and this module offers their names
too, as Django's ``django.http.response`` does: ``streaming``
(StreamingHttpResponse, FileResponse) and ``status`` (redirects, the
responses named by their status, Http404).
"""

import datetime
import functools
import json
import re
import time
from http.client import responses
from http.cookies import SimpleCookie

from tinyframe.conf import settings
# >>> 04_signals
from tinyframe.core import signals
# <<< 04_signals
from tinyframe.core.serializers.json import DjangoJSONEncoder, to_json
from tinyframe.http.headers import BadHeaderError, ResponseHeaders
from tinyframe.utils.http import http_date

_CHARSET_FROM_CONTENT_TYPE = re.compile(r";\s*charset=(?P<charset>[^\s;]+)", re.IGNORECASE)


# Speed (tests/benchmarks/requests.py): the content setter asks for the charset
# of every response, and a project sends only a handful of content types.
@functools.lru_cache(maxsize=64)
def charset_from_content_type(content_type: str) -> str | None:
    """The charset a Content-Type names, if it names one.

    >>> charset_from_content_type('text/html; Charset="latin-1"'), charset_from_content_type("text/plain")
    ('latin-1', None)
    """
    match = _CHARSET_FROM_CONTENT_TYPE.search(content_type)
    return match["charset"].replace('"', "") if match else None


class HttpResponseBase:
    """What every response shares: a status, headers, cookies, and closing.

    Not used directly: HttpResponse carries content, StreamingHttpResponse an
    iterator. ``status_code`` is a class attribute so subclasses such as
    HttpResponseNotFound only set that.
    """

    status_code = 200

    def __init__(self, content_type: str | None = None, status: int | None = None,
                 reason: str | None = None, charset: str | None = None, headers=None):
        self.headers = ResponseHeaders(headers)
        self._charset = charset
        if headers and "Content-Type" in self.headers:
            if content_type:
                raise ValueError(
                    "'headers' must not contain 'Content-Type' when the 'content_type' "
                    "parameter is provided; give it once."
                )
        else:
            self.headers["Content-Type"] = content_type or f"text/html; charset={self.charset}"
        # Callables run by close(): files to close, and anything the handler adds.
        self._resource_closers = []
        self._handler_class = None
        self.cookies = SimpleCookie()
        self.closed = False
        if status is not None:
            try:
                self.status_code = int(status)
            except (ValueError, TypeError):
                raise TypeError(f"HTTP status code must be an integer, not {status!r}.") from None
            if not 100 <= self.status_code <= 599:
                raise ValueError(f"HTTP status code must be an integer from 100 to 599, not {status}.")
        self._reason_phrase = reason

    @property
    def reason_phrase(self) -> str:
        """The text after the status code ('Not Found'); settable for a custom one."""
        if self._reason_phrase is not None:
            return self._reason_phrase
        return responses.get(self.status_code, "Unknown Status Code")

    @reason_phrase.setter
    def reason_phrase(self, value: str) -> None:
        self._reason_phrase = value

    @property
    def charset(self) -> str:
        """The charset of the content: given, else named by Content-Type, else DEFAULT_CHARSET."""
        if self._charset is not None:
            return self._charset
        return charset_from_content_type(self.headers.get("Content-Type", "")) or settings.DEFAULT_CHARSET

    @charset.setter
    def charset(self, value: str) -> None:
        self._charset = value

    def serialize_headers(self) -> bytes:
        """The headers as they go on the wire (without the status line)."""
        return b"\r\n".join(
            name.encode("ascii") + b": " + value.encode("latin-1") for name, value in self.headers.items()
        )

    __bytes__ = serialize_headers

    @property
    def _content_type_for_repr(self) -> str:
        return f', "{self.headers["Content-Type"]}"' if "Content-Type" in self.headers else ""

    # The response is a dict of its headers, as in Django.
    def __setitem__(self, header, value):
        self.headers[header] = value

    def __delitem__(self, header):
        del self.headers[header]

    def __getitem__(self, header):
        return self.headers[header]

    def has_header(self, header: str) -> bool:
        """Whether the header is set (ignoring case)."""
        return header in self.headers

    __contains__ = has_header

    def items(self):
        return self.headers.items()

    def get(self, header: str, alternate=None):
        return self.headers.get(header, alternate)

    def setdefault(self, key: str, value) -> None:
        """Set a header unless it is already set."""
        self.headers.setdefault(key, value)

    def set_cookie(self, key: str, value: str = "", max_age=None, expires=None, path: str = "/",
                   domain: str | None = None, secure: bool = False, httponly: bool = False,
                   samesite: str | None = None) -> None:
        """Set a cookie: store it in ``self.cookies`` (a SimpleCookie) with its attributes.

        ``max_age`` is seconds (a number or a timedelta); it also sets
        ``expires`` to the matching HTTP date, for old browsers. ``expires`` is
        a string, or a datetime (naive means UTC), which becomes a max_age
        (the seconds left until then, never below 0); a datetime together with
        ``max_age`` raises
        ``ValueError("'expires' and 'max_age' can't be used together.")``.
        ``samesite`` must be 'Lax', 'Strict' or 'None' in any case, else
        ``ValueError('samesite must be "lax", "none", or "strict".')``.
        """
        self.cookies[key] = value
        cookie = self.cookies[key]
        if expires is not None:
            if isinstance(expires, datetime.datetime):
                if max_age is not None:
                    raise ValueError("'expires' and 'max_age' can't be used together.")
                if expires.tzinfo is None:
                    expires = expires.replace(tzinfo=datetime.timezone.utc)
                delta = expires - datetime.datetime.now(datetime.timezone.utc)
                # Round up: microseconds lost on the way would make it a second early.
                max_age = max(0, int(delta.total_seconds()) + 1)
                expires = None
            else:
                cookie["expires"] = expires
        else:
            cookie["expires"] = ""
        if max_age is not None:
            if isinstance(max_age, datetime.timedelta):
                max_age = max_age.total_seconds()
            cookie["max-age"] = int(max_age)
            if not expires:
                cookie["expires"] = http_date(time.time() + max_age)
        if path is not None:
            cookie["path"] = path
        if domain is not None:
            cookie["domain"] = domain
        if secure:
            cookie["secure"] = True
        if httponly:
            cookie["httponly"] = True
        if samesite:
            if samesite.lower() not in ("lax", "none", "strict"):
                raise ValueError('samesite must be "lax", "none", or "strict".')
            cookie["samesite"] = samesite

    def set_signed_cookie(self, key: str, value: str, salt: str = "", **kwargs) -> None:
        """Set a cookie whose value is signed, to be read with ``request.get_signed_cookie``."""
        from tinyframe.core import signing

        value = signing.get_cookie_signer(salt=key + salt).sign(value)
        self.set_cookie(key, value, **kwargs)

    def delete_cookie(self, key: str, path: str = "/", domain: str | None = None,
                      samesite: str | None = None) -> None:
        """Tell the browser to drop a cookie: an empty value that expired in 1970.

        path and domain must be those the cookie was set with. Browsers refuse
        __Secure- and __Host- cookies, and SameSite=None ones, without Secure,
        so those get it.
        """
        secure = key.startswith(("__Secure-", "__Host-")) or bool(samesite and samesite.lower() == "none")
        self.set_cookie(key, max_age=0, path=path, domain=domain, secure=secure,
                        expires="Thu, 01 Jan 1970 00:00:00 GMT", samesite=samesite)

    def make_bytes(self, value) -> bytes:
        """Turn a piece of content into bytes, encoding text with the response's charset."""
        if isinstance(value, (bytes, memoryview)):
            return bytes(value)
        return str(value).encode(self.charset)

    def close(self) -> None:
        """Release what the response holds; the WSGI server calls this once it has sent it."""
        for closer in self._resource_closers:
            try:
                closer()
            except Exception:  # one failing closer must not stop the others
                pass
        self._resource_closers.clear()
        self.closed = True
        # >>> 04_signals
        # The request is over when the server closes the response: for a
        # streaming one, after its last chunk is sent (PEP 3333).
        # Speed (tests/benchmarks/requests.py): usually nobody listens; skip the send then.
        if signals.request_finished.receivers:
            signals.request_finished.send(sender=self._handler_class)
        # <<< 04_signals

    # A response is a write-only file, so code that writes to files can write to it.
    def write(self, content):
        raise OSError(f"This {self.__class__.__name__} instance is not writable")

    def writelines(self, lines):
        raise OSError(f"This {self.__class__.__name__} instance is not writable")

    def flush(self) -> None:
        pass

    def tell(self) -> int:
        raise OSError(f"This {self.__class__.__name__} instance cannot tell its position")

    def readable(self) -> bool:
        return False

    def seekable(self) -> bool:
        return False

    def writable(self) -> bool:
        return False


class HttpResponse(HttpResponseBase):
    """A response whose content is all in memory, as bytes.

    ``content`` may be given as text, bytes, a number, or an iterable of those.
    """

    streaming = False

    # Speed (tests/benchmarks/requests.py): the parameters are spelled out, in
    # HttpResponseBase's order, because passing *args and **kwargs through costs
    # a fifth of building a small response.
    def __init__(self, content=b"", content_type: str | None = None, status: int | None = None,
                 reason: str | None = None, charset: str | None = None, headers=None):
        super().__init__(content_type, status, reason, charset, headers)
        self.content = content

    def __repr__(self):
        return f"<{self.__class__.__name__} status_code={self.status_code}{self._content_type_for_repr}>"

    def serialize(self) -> bytes:
        """The whole response as bytes, headers and content (without the status line)."""
        return self.serialize_headers() + b"\r\n\r\n" + self.content

    __bytes__ = serialize

    @property
    def content(self) -> bytes:
        """The whole body as bytes; set it to text, bytes, a number or an iterable of those."""
        return b"".join(self._container)

    @content.setter
    def content(self, value) -> None:
        if type(value) is str:  # Speed (tests/benchmarks/requests.py): text, the usual content, needs one encode.
            self._container = [value.encode(self.charset)]
            return
        if hasattr(value, "__iter__") and not isinstance(value, (bytes, memoryview, str)):
            content = b"".join(self.make_bytes(chunk) for chunk in value)
            if hasattr(value, "close"):
                try:
                    value.close()
                except Exception:
                    pass
        else:
            content = self.make_bytes(value)
        self._container = [content]

    @property
    def text(self) -> str:
        """The content decoded with the response's charset."""
        return self.content.decode(self.charset or "utf-8")

    def __iter__(self):
        return iter(self._container)

    def write(self, content) -> None:
        self._container.append(self.make_bytes(content))

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def tell(self) -> int:
        return len(self.content)

    def getvalue(self) -> bytes:
        return self.content

    def writable(self) -> bool:
        return True


class JsonResponse(HttpResponse):
    """A response of JSON-encoded ``data``, with Content-Type application/json.

    Only a dict is accepted unless ``safe=False``: a top-level JSON array was
    once readable by other sites in old browsers, so sending one is a choice.
    ``encoder`` (``DjangoJSONEncoder`` by default, which knows dates, decimals
    and UUIDs) and ``json_dumps_params`` are passed on to ``json.dumps``.
    """

    def __init__(self, data, encoder=DjangoJSONEncoder, safe: bool = True,
                 json_dumps_params: dict | None = None, **kwargs):
        if safe and not isinstance(data, dict):
            raise TypeError(
                "In order to allow non-dict objects to be serialized set the safe parameter to False."
            )
        kwargs.setdefault("content_type", "application/json")
        if encoder is DjangoJSONEncoder and not json_dumps_params:
            content = to_json(data)  # the same text, faster (see tinyframe.core.serializers.json)
        else:
            content = json.dumps(data, cls=encoder, **(json_dumps_params or {}))
        super().__init__(content=content, **kwargs)


# The rest of the family subclasses the classes above, so it is imported
# after them; these names are then offered here too, as in Django.
from tinyframe.http.streaming import FileResponse, StreamingHttpResponse  # noqa: E402
from tinyframe.http.status import (  # noqa: E402
    Http404,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseGone,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    HttpResponseRedirectBase,
    HttpResponseServerError,
)

__all__ = [
    "BadHeaderError",
    "ResponseHeaders",
    "HttpResponseBase",
    "HttpResponse",
    "JsonResponse",
    "StreamingHttpResponse",
    "FileResponse",
    "Http404",
    "HttpResponseRedirectBase",
    "HttpResponseRedirect",
    "HttpResponsePermanentRedirect",
    "HttpResponseNotModified",
    "HttpResponseBadRequest",
    "HttpResponseNotFound",
    "HttpResponseForbidden",
    "HttpResponseNotAllowed",
    "HttpResponseGone",
    "HttpResponseServerError",
]
