"""The WSGI entry point: from a server's environ to a response, as PEP 3333 says.

How it works: a WSGI server calls ``WSGIHandler(environ, start_response)`` for
every request. The handler wraps the environ in a ``WSGIRequest`` (whose body
is a ``LimitedStream`` that stops at CONTENT_LENGTH), passes it through
``BaseHandler.get_response`` (middleware, then the view), and hands the server
the status line, the headers (cookies included) and the response itself, an
iterable of bytes with a ``close()``.

PEP 3333 gives every environ value as a "native string": bytes decoded as
latin-1. ``get_bytes_from_wsgi`` undoes that; the path is then decoded as UTF-8.
"""

from functools import cached_property
from io import IOBase

from tinyframe.conf import settings
from tinyframe.core.handlers import base
from tinyframe.http import HttpRequest, QueryDict, parse_cookie
from tinyframe.utils.encoding import repercent_broken_unicode


class LimitedStream(IOBase):
    """Wraps ``wsgi.input`` so that nothing reads past the ``limit`` bytes of the body.

    On a kept-alive connection the bytes after the body belong to the next
    request, and a read past the end would wait for them forever. When the
    client sent less than it announced, reads just come back short.
    """

    def __init__(self, stream, limit: int):
        self._stream = stream
        self._position = 0
        self.limit = limit

    def _allowed(self, size: int | None) -> int:
        """How many bytes a read of ``size`` (None or negative: all) may take."""
        remaining = self.limit - self._position
        if size is None or size < 0:
            return remaining
        return min(size, remaining)

    def read(self, size: int | None = -1, /) -> bytes:
        allowed = self._allowed(size)
        if allowed <= 0:
            return b""
        data = self._stream.read(allowed)
        self._position += len(data)
        return data

    def readline(self, size: int | None = -1, /) -> bytes:
        allowed = self._allowed(size)
        if allowed <= 0:
            return b""
        line = self._stream.readline(allowed)
        self._position += len(line)
        return line

    def readable(self) -> bool:
        return True


def get_bytes_from_wsgi(environ: dict, key: str, default: str) -> bytes:
    """An environ value as the bytes the client sent (PEP 3333 decodes them as latin-1)."""
    value = environ.get(key, default)
    try:
        return value.encode("iso-8859-1")
    except UnicodeEncodeError:
        # A server that broke PEP 3333 and decoded as UTF-8: take its text as it is.
        return value.encode("utf-8")


def get_str_from_wsgi(environ: dict, key: str, default: str) -> str:
    """An environ value decoded as UTF-8, undecodable bytes replaced."""
    return get_bytes_from_wsgi(environ, key, default).decode("utf-8", "replace")


def get_path_info(environ: dict) -> str:
    """PATH_INFO as text; bytes that are not UTF-8 stay percent-encoded.

    >>> get_path_info({"PATH_INFO": "/caf\\xc3\\xa9/"})
    '/café/'
    >>> get_path_info({"PATH_INFO": "/\\xff"})
    '/%FF'
    """
    path_info = environ.get("PATH_INFO", "/")
    if path_info.isascii():  # speed: an ASCII path (nearly every one) decodes to itself
        return path_info
    return repercent_broken_unicode(get_bytes_from_wsgi(environ, "PATH_INFO", "/")).decode()


def get_script_name(environ: dict) -> str:
    """SCRIPT_NAME, the URL prefix the application is mounted at ('' at the root).

    ``settings.FORCE_SCRIPT_NAME``, when it is set (to anything but None, ''
    included), replaces whatever the server sent: a proxy that strips the
    prefix before passing a request on leaves SCRIPT_NAME empty.
    """
    if settings.FORCE_SCRIPT_NAME is not None:
        return settings.FORCE_SCRIPT_NAME
    script_name = environ.get("SCRIPT_NAME", "")
    if script_name.isascii():  # speed: as in get_path_info
        return script_name
    return repercent_broken_unicode(get_bytes_from_wsgi(environ, "SCRIPT_NAME", "")).decode()


class WSGIRequest(HttpRequest):
    """An HttpRequest read from a WSGI environ; GET, POST, FILES and COOKIES are parsed on use."""

    def __init__(self, environ: dict):
        script_name = get_script_name(environ)
        # An empty PATH_INFO means the root of the application.
        path_info = get_path_info(environ) or "/"
        self.environ = environ
        self.path_info = path_info
        # The full path: SCRIPT_NAME, one slash, then PATH_INFO.
        self.path = f"{script_name.rstrip('/')}/{path_info.replace('/', '', 1)}"
        self.META = environ
        self.META["PATH_INFO"] = path_info
        self.META["SCRIPT_NAME"] = script_name
        self.method = environ["REQUEST_METHOD"].upper()
        self.resolver_match = None
        self._set_content_type_params(environ)
        self._read_started = False

    # Speed (tests/benchmarks/requests.py): most requests have no body, and a
    # LimitedStream (an IOBase, closed when collected) costs every one of them.
    @cached_property
    def _stream(self) -> LimitedStream:
        """The body: ``wsgi.input`` limited to CONTENT_LENGTH bytes, made on first read."""
        try:
            content_length = max(0, int(self.environ.get("CONTENT_LENGTH") or 0))
        except ValueError:  # a missing or garbled length: read no body
            content_length = 0
        return LimitedStream(self.environ["wsgi.input"], content_length)

    def _get_scheme(self) -> str:
        return self.environ.get("wsgi.url_scheme", "http")

    @cached_property
    def GET(self) -> QueryDict:
        """The query string's parameters, parsed on first use."""
        return QueryDict(get_bytes_from_wsgi(self.environ, "QUERY_STRING", ""), encoding=self._encoding)

    @property
    def POST(self) -> QueryDict:
        """The form fields of the body, parsed on first use (empty unless the method is POST)."""
        if not hasattr(self, "_post"):
            self._load_post_and_files()
        return self._post

    @POST.setter
    def POST(self, value: QueryDict) -> None:
        self._post = value

    @property
    def FILES(self):
        """The uploaded files of a multipart body, parsed on first use along with POST."""
        if not hasattr(self, "_files"):
            self._load_post_and_files()
        return self._files

    @cached_property
    def COOKIES(self) -> dict[str, str]:
        """The cookies the client sent, parsed on first use."""
        return parse_cookie(get_str_from_wsgi(self.environ, "HTTP_COOKIE", ""))


class WSGIHandler(base.BaseHandler):
    """The WSGI application: ``tinyframe.core.wsgi.get_wsgi_application()`` returns one."""

    request_class = WSGIRequest

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.load_middleware()

    def __call__(self, environ: dict, start_response):
        """Answer one request, as PEP 3333 asks of a WSGI application.

        Build the request with ``self.request_class(environ)`` and get the
        response with ``self.get_response(request)``. Call
        ``start_response(status, headers)`` once: status is the status line
        ('200 OK', from status_code and reason_phrase); headers is a list of
        (name, value) strings, the response's headers followed by one
        ('Set-Cookie', morsel.OutputString()) per cookie. Return the response:
        it is an iterable of bytes, and the server calls its close(). If the
        response is a FileResponse (``file_to_stream`` set) and the server
        offers ``environ["wsgi.file_wrapper"]``, return
        ``wrapper(file_to_stream, block_size)`` instead, so the server can send
        the file efficiently.
        """
        request = self.request_class(environ)
        response = self.get_response(request)
        response._handler_class = self.__class__

        status = f"{response.status_code} {response.reason_phrase}"
        headers = list(response.items())
        headers += [("Set-Cookie", morsel.OutputString()) for morsel in response.cookies.values()]
        start_response(status, headers)

        file_wrapper = environ.get("wsgi.file_wrapper")
        if getattr(response, "file_to_stream", None) is not None and file_wrapper:
            # The server will close the wrapper's file, not the response: make
            # closing the file close the response (and with it, the file).
            response.file_to_stream.close = response.close
            return file_wrapper(response.file_to_stream, response.block_size)
        return response
