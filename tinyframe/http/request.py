"""The request a view receives: HttpRequest, with its data, headers and host.

How it works: a server hands the handler a WSGI environ; ``WSGIRequest`` (in
``tinyframe.core.handlers.wsgi``) wraps it as an ``HttpRequest``. Everything the
view reads is computed on first use, from the environ (``META``) or from the
body stream:

    META["QUERY_STRING"] -> QueryDict -> request.GET
    META["HTTP_*"]       -> HttpHeaders (parse_header_name) -> request.headers
    META["HTTP_HOST"]    -> check_host (split_domain_port, validate_host) -> request.get_host()
    body stream          -> _load_post_and_files -> request.POST, request.FILES
                            (urlencoded: QueryDict; multipart: MultiPartParser)

Limits from the settings (body size, number of fields) are checked while
reading, so a hostile request is refused before it costs much memory.

The pieces live in modules of their own: ``headers`` (HttpHeaders),
``querydict`` (QueryDict) and ``hosts`` (the Host checks). This module offers
their names too, where Django keeps them: ``from tinyframe.http.request import
QueryDict`` works as ``from django.http.request import QueryDict`` does.
"""

import codecs
from functools import cached_property
from io import BytesIO
from urllib.parse import urljoin, urlsplit

from tinyframe.conf import settings
from tinyframe.core.exceptions import (
    BadRequest,
    DisallowedHost,
    ImproperlyConfigured,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from tinyframe.http.headers import HttpHeaders
from tinyframe.http.hosts import HOST_VALIDATION_RE, check_host, split_domain_port, validate_host
from tinyframe.http.multipartparser import MultiPartParser, MultiPartParserError
from tinyframe.http.querydict import QueryDict
from tinyframe.utils.datastructures import MultiValueDict
from tinyframe.utils.encoding import escape_uri_path, iri_to_uri
from tinyframe.utils.http import parse_header_parameters

__all__ = [
    "HttpRequest",
    "HttpHeaders",
    "QueryDict",
    "RawPostDataException",
    "UnreadablePostError",
    "HOST_VALIDATION_RE",
    "check_host",
    "split_domain_port",
    "validate_host",
]

RAISE_ERROR = object()


class UnreadablePostError(OSError):
    """The body could not be read, usually because the client went away mid-upload."""


class RawPostDataException(Exception):
    """``request.body`` was asked for after the body stream was already consumed."""


class HttpRequest:
    """An HTTP request: what a view gets, with its method, path, data and headers.

    Built by a handler (``WSGIRequest``) or directly in tests; a bare
    ``HttpRequest()`` has empty data and no body.
    """

    _encoding = None
    _upload_handlers = ()

    def __init__(self):
        self.GET = QueryDict(mutable=True)
        self.POST = QueryDict(mutable=True)
        self.COOKIES = {}
        self.META = {}
        self.FILES = MultiValueDict()
        self.path = ""
        self.path_info = ""
        self.method = None
        self.resolver_match = None
        self.content_type = None
        self.content_params = None
        self._stream = BytesIO()
        self._read_started = False

    def __repr__(self):
        if self.method is None or not self.get_full_path():
            return f"<{self.__class__.__name__}>"
        return f"<{self.__class__.__name__}: {self.method} {self.get_full_path()!r}>"

    @cached_property
    def headers(self) -> "HttpHeaders":
        """The request headers, by their HTTP names, in any case: ``request.headers["user-agent"]``."""
        return HttpHeaders(self.META)

    def accepts(self, media_type: str) -> bool:
        """Whether the Accept header allows ``media_type`` (no Accept header allows anything)."""
        wanted_main, _, wanted_sub = media_type.partition(";")[0].strip().lower().partition("/")
        for accepted in self.headers.get("Accept", "*/*").split(","):
            accepted_type, parameters = parse_header_parameters(accepted)
            if not accepted_type or _quality(parameters) == 0:
                continue
            main, _, sub = accepted_type.partition("/")
            if main in ("*", wanted_main) and sub in ("*", wanted_sub):
                return True
        return False

    def _set_content_type_params(self, meta: dict) -> None:
        """Set content_type and content_params, and the encoding named by the charset."""
        if not meta.get("CONTENT_TYPE"):  # speed: a request without a body usually has none
            self.content_type, self.content_params = "", {}
            return
        self.content_type, self.content_params = parse_header_parameters(meta.get("CONTENT_TYPE", ""))
        if "charset" in self.content_params:
            try:
                codecs.lookup(self.content_params["charset"])
            except LookupError:  # a charset Python does not know: keep the default
                pass
            else:
                self.encoding = self.content_params["charset"]

    def _get_raw_host(self) -> str:
        """The host the client asked for, from X-Forwarded-Host, Host or the server name."""
        if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in self.META:
            return self.META["HTTP_X_FORWARDED_HOST"]
        if "HTTP_HOST" in self.META:
            return self.META["HTTP_HOST"]
        host = self.META["SERVER_NAME"]
        port = self.get_port()
        if port != ("443" if self.is_secure() else "80"):
            host = f"{host}:{port}"
        return host

    def get_host(self) -> str:
        """The host (with port, if any) the request is for, checked against ALLOWED_HOSTS.

        Raise DisallowedHost for a host the site does not serve: trusting the
        Host header lets an attacker poison caches and password-reset links.
        """
        host = self._get_raw_host()
        allowed_hosts = settings.ALLOWED_HOSTS
        if settings.DEBUG and not allowed_hosts:
            allowed_hosts = [".localhost", "127.0.0.1", "[::1]"]
        domain, allowed = check_host(host, tuple(allowed_hosts))
        if allowed:
            return host
        message = f"Invalid HTTP_HOST header: {host!r}."
        if domain:
            message += f" You may need to add {domain!r} to ALLOWED_HOSTS."
        else:
            message += " The domain name provided is not valid according to RFC 1034/1035."
        raise DisallowedHost(message)

    def get_port(self) -> str:
        """The port the request came in on, from X-Forwarded-Port when trusted."""
        if settings.USE_X_FORWARDED_PORT and "HTTP_X_FORWARDED_PORT" in self.META:
            return str(self.META["HTTP_X_FORWARDED_PORT"])
        return str(self.META["SERVER_PORT"])

    def get_full_path(self, force_append_slash: bool = False) -> str:
        """The path with its query string, as a URL: ``/blog/?page=2``."""
        return self._get_full_path(self.path, force_append_slash)

    def get_full_path_info(self, force_append_slash: bool = False) -> str:
        """Like get_full_path, but without the prefix the app is mounted at (SCRIPT_NAME)."""
        return self._get_full_path(self.path_info, force_append_slash)

    def _get_full_path(self, path: str, force_append_slash: bool) -> str:
        slash = "/" if force_append_slash and not path.endswith("/") else ""
        query_string = self.META.get("QUERY_STRING", "")
        query = f"?{iri_to_uri(query_string)}" if query_string else ""
        return f"{escape_uri_path(path)}{slash}{query}"

    def build_absolute_uri(self, location: str | None = None) -> str:
        """An absolute URL for ``location`` (default: this request's URL), for links and redirects."""
        if location is None:
            # Concatenate rather than urljoin: a path such as '//evil.example/'
            # would otherwise be taken for another host.
            return iri_to_uri(self._current_scheme_host + self.get_full_path())
        location = str(location)
        bits = urlsplit(location)
        if not (bits.scheme and bits.netloc):
            location = urljoin(self._current_scheme_host + self.path, location)
        return iri_to_uri(location)

    @cached_property
    def _current_scheme_host(self) -> str:
        return f"{self.scheme}://{self.get_host()}"

    def _get_scheme(self) -> str:
        """The scheme when no proxy header says otherwise; WSGIRequest reads the environ."""
        return "http"

    @property
    def scheme(self) -> str:
        """'http' or 'https', trusting SECURE_PROXY_SSL_HEADER when it is set."""
        if settings.SECURE_PROXY_SSL_HEADER:
            try:
                header, secure_value = settings.SECURE_PROXY_SSL_HEADER
            except ValueError:
                raise ImproperlyConfigured(
                    "The SECURE_PROXY_SSL_HEADER setting must be a tuple containing two "
                    "values, such as ('HTTP_X_FORWARDED_PROTO', 'https')."
                ) from None
            header_value = self.META.get(header)
            if header_value is not None:
                # A chain of proxies may send 'https, http': the first one counts.
                return "https" if header_value.split(",")[0].strip() == secure_value else "http"
        return self._get_scheme()

    def is_secure(self) -> bool:
        """Whether the request came over HTTPS."""
        return self.scheme == "https"

    def get_signed_cookie(self, key: str, default=RAISE_ERROR, salt: str = "", max_age=None) -> str:
        """The value of a cookie set with ``set_signed_cookie``, if its signature is valid.

        Raise KeyError for a missing cookie and ``signing.BadSignature`` for a
        forged or expired one, unless ``default`` is given.
        """
        from tinyframe.core import signing

        try:
            cookie_value = self.COOKIES[key]
        except KeyError:
            if default is not RAISE_ERROR:
                return default
            raise
        try:
            return signing.get_cookie_signer(salt=key + salt).unsign(cookie_value, max_age=max_age)
        except signing.BadSignature:
            if default is not RAISE_ERROR:
                return default
            raise

    @property
    def encoding(self) -> str | None:
        """The charset GET and POST are decoded with (None: DEFAULT_CHARSET)."""
        return self._encoding

    @encoding.setter
    def encoding(self, value: str | None) -> None:
        # Data decoded with the old charset is stale: drop it, to be decoded
        # again on next use. (A bare HttpRequest's GET is plain data: kept.)
        self._encoding = value
        if isinstance(getattr(type(self), "GET", None), cached_property):
            self.__dict__.pop("GET", None)
        if hasattr(self, "_post"):
            del self._post

    @property
    def upload_handlers(self):
        """Django's hook for where uploads go; tinyframe always uses UploadedFile."""
        return self._upload_handlers

    def parse_file_upload(self, META: dict, post_data) -> tuple["QueryDict", MultiValueDict]:
        """Parse a multipart body into (POST, FILES)."""
        return MultiPartParser(META, post_data, self.upload_handlers, self.encoding).parse()

    @property
    def body(self) -> bytes:
        """The raw body, read on first use and kept, up to DATA_UPLOAD_MAX_MEMORY_SIZE bytes."""
        if not hasattr(self, "_body"):
            if self._read_started:
                raise RawPostDataException(
                    "You cannot access body after reading from request's data stream "
                    "(request.POST or request.read() came first)."
                )
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            if limit is not None and _content_length(self.META) > limit:
                raise RequestDataTooBig(
                    "Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE "
                    f"({limit} bytes)."
                )
            # Read one byte past the limit to notice a body longer than it claimed.
            self._body = self.read() if limit is None else self.read(limit + 1)
            if limit is not None and len(self._body) > limit:
                raise RequestDataTooBig(
                    "Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE "
                    f"({limit} bytes)."
                )
            self._stream = BytesIO(self._body)
        return self._body

    def _mark_post_parse_error(self) -> None:
        self._post = QueryDict()
        self._files = MultiValueDict()

    def _load_post_and_files(self) -> None:
        """Fill ``_post`` and ``_files`` from the body, by its content type."""
        if self.method != "POST":
            self._post, self._files = QueryDict(encoding=self._encoding), MultiValueDict()
            return
        if self._read_started and not hasattr(self, "_body"):
            self._mark_post_parse_error()
            return
        if self.content_type == "multipart/form-data":
            data = BytesIO(self._body) if hasattr(self, "_body") else self
            try:
                self._post, self._files = self.parse_file_upload(self.META, data)
            except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent, RequestDataTooBig):
                # Leave the request usable (an error page may read POST), then report.
                self._mark_post_parse_error()
                raise
        elif self.content_type == "application/x-www-form-urlencoded":
            # A urlencoded form has no charset parameter (its media type defines
            # none, and browsers send UTF-8): one naming another charset is refused
            # rather than decoded into text the client did not mean.
            if self._encoding is not None and self._encoding.lower() != "utf-8":
                raise BadRequest(
                    "HTTP requests with the 'application/x-www-form-urlencoded' "
                    "content type must be UTF-8 encoded."
                )
            self._post, self._files = QueryDict(self.body, encoding="utf-8"), MultiValueDict()
        else:
            self._post, self._files = QueryDict(encoding=self._encoding), MultiValueDict()

    def close(self) -> None:
        """Close the files uploaded with this request."""
        if getattr(self, "_files", None) is None:  # speed: no upload was read
            return
        for _, files in self._files.lists():
            for file in files:
                file.close()

    # The body as a file: the multipart parser reads it this way, in chunks.
    def read(self, *args) -> bytes:
        """Read from the body stream; afterwards ``body`` can no longer be read whole."""
        self._read_started = True
        try:
            return self._stream.read(*args)
        except OSError as error:
            raise UnreadablePostError(*error.args) from error

    def readline(self, *args) -> bytes:
        self._read_started = True
        try:
            return self._stream.readline(*args)
        except OSError as error:
            raise UnreadablePostError(*error.args) from error

    def __iter__(self):
        return iter(self.readline, b"")

    def readlines(self) -> list[bytes]:
        return list(self)


def _quality(parameters: dict) -> float:
    """The q parameter of an Accept entry: 0 means 'not acceptable'; invalid counts as 1."""
    try:
        return float(parameters.get("q", 1))
    except ValueError:
        return 1.0


def _content_length(meta: dict) -> int:
    """CONTENT_LENGTH as a number; 0 when missing, negative or not a number."""
    try:
        return max(0, int(meta.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0
