"""The test client: make requests to a project from a test, without a server or a socket.

How it works: ``RequestFactory.get("/path", ...)`` (and post, put...) builds
the WSGI environ a server would, encoding the data as a query string, a
multipart form (``encode_multipart``) or JSON, and returns a ``WSGIRequest``:
enough to call a view function directly. ``Client`` goes further: it hands
the environ to a ``ClientHandler``, the same ``BaseHandler`` a server uses
(middleware included), and returns the response with extras for tests:
``response.wsgi_request``, ``response.client``, ``response.request`` (the
environ keys this request set), ``response.json()``. The client keeps the
cookies responses set in ``client.cookies`` and sends them back, like a
browser, and with ``follow=True`` it follows redirects, recording each hop
in ``response.redirect_chain``. If a view raises, the client re-raises the
exception in the test (unless ``raise_request_exception=False``), so its
traceback points at the bug.
"""

import json
import mimetypes
import os
import re
import time
from functools import partial
from http.cookies import SimpleCookie
from io import BytesIO
from urllib.parse import unquote_to_bytes, urljoin, urlsplit

from tinyframe.conf import settings
from tinyframe.core.handlers.base import BaseHandler
from tinyframe.core.handlers.wsgi import WSGIRequest
from tinyframe.http import HttpHeaders, QueryDict
# >>> 04_signals
from tinyframe.test.signals import TemplateRecorder
# <<< 04_signals
from tinyframe.utils.encoding import force_bytes
from tinyframe.utils.http import parse_http_date_safe, urlencode

__all__ = ["Client", "RedirectCycleError", "RequestFactory", "encode_file", "encode_multipart"]

BOUNDARY = "BoUnDaRyStRiNg"
MULTIPART_CONTENT = f"multipart/form-data; boundary={BOUNDARY}"
CONTENT_TYPE_CHARSET = re.compile(r".*; charset=([\w-]+);?")
JSON_CONTENT_TYPE = re.compile(r"^application/(.+\+)?json")
REDIRECT_STATUS_CODES = (301, 302, 303, 307, 308)


class RedirectCycleError(Exception):
    """Following redirects went round in a loop, or on for more than 20 hops."""

    def __init__(self, message: str, last_response):
        super().__init__(message)
        self.last_response = last_response
        self.redirect_chain = last_response.redirect_chain


def encode_multipart(boundary: str, data: dict) -> bytes:
    """Encode ``data`` as a multipart/form-data body; file-like values become file uploads.

    A list value sends the field once per item.

    >>> encode_multipart("B", {"name": "Ada", "tags": ["a", "b"]}).decode().split("\\r\\n")[:4]
    ['--B', 'Content-Disposition: form-data; name="name"', '', 'Ada']
    """
    lines = []
    for key, value in data.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if item is None:
                raise TypeError(
                    f"Cannot encode None for key '{key}' as POST data. Did you mean to pass an "
                    f"empty string or omit the value?"
                )
            if hasattr(item, "read") and callable(item.read):
                lines.extend(encode_file(boundary, key, item))
            else:
                lines += [f"--{boundary}", f'Content-Disposition: form-data; name="{key}"', "", item]
    lines += [f"--{boundary}--", b""]
    return b"\r\n".join(force_bytes(line, settings.DEFAULT_CHARSET) for line in lines)


def encode_file(boundary: str, key: str, file) -> list:
    """The lines of one file part: headers naming the field, file name and type, then the content."""
    # A TemporaryFile's name is an int (its descriptor), not a path.
    filename = os.path.basename(file.name) if isinstance(getattr(file, "name", None), str) else ""
    content_type = getattr(file, "content_type", None)
    if content_type is None and filename:
        content_type = mimetypes.guess_type(filename)[0]
    return [
        f"--{boundary}",
        f'Content-Disposition: form-data; name="{key}"; filename="{filename or key}"',
        f"Content-Type: {content_type or 'application/octet-stream'}",
        "",
        file.read(),
    ]


class RequestFactory:
    """Build requests as a server would, to call views directly: ``view(factory.get("/"))``.

    ``defaults`` are environ keys added to every request; ``headers`` and
    ``query_params`` are added to every request too.
    """

    def __init__(self, *, json_encoder=json.JSONEncoder, headers: dict | None = None,
                 query_params: dict | None = None, **defaults):
        self.json_encoder = json_encoder
        self.defaults = defaults
        self.cookies = SimpleCookie()
        self.errors = BytesIO()
        if headers:
            self.defaults.update(HttpHeaders.to_wsgi_names(headers))
        if query_params:
            self.defaults["QUERY_STRING"] = urlencode(query_params, doseq=True)

    def _base_environ(self, **request) -> dict:
        """A complete WSGI environ: sensible defaults, then ``self.defaults``, then ``request``."""
        return {
            "HTTP_COOKIE": "; ".join(sorted(f"{morsel.key}={morsel.coded_value}"
                                            for morsel in self.cookies.values())),
            "PATH_INFO": "/",
            "QUERY_STRING": "",
            "REMOTE_ADDR": "127.0.0.1",
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": BytesIO(b""),
            "wsgi.errors": self.errors,
            "wsgi.multiprocess": True,
            "wsgi.multithread": False,
            "wsgi.run_once": False,
            **self.defaults,
            **request,
        }

    def request(self, **request) -> WSGIRequest:
        """Build a request from environ keys (``PATH_INFO="/x"``...); the methods below call this."""
        return WSGIRequest(self._base_environ(**request))

    def _encode_data(self, data, content_type: str) -> bytes:
        if content_type is MULTIPART_CONTENT:
            return encode_multipart(BOUNDARY, data)
        match = CONTENT_TYPE_CHARSET.match(content_type)
        return force_bytes(data, match[1] if match else settings.DEFAULT_CHARSET)

    def _encode_json(self, data, content_type: str):
        """JSON-encode a dict, list or tuple when the content type is JSON; leave anything else."""
        if JSON_CONTENT_TYPE.match(content_type) and isinstance(data, (dict, list, tuple)):
            return json.dumps(data, cls=self.json_encoder)
        return data

    def get(self, path: str, data=None, secure: bool = False, *, headers=None, query_params=None, **extra):
        """A GET request; ``data`` (or ``query_params``) becomes the query string."""
        return self._without_body("GET", path, data, secure, headers, query_params, extra)

    def head(self, path: str, data=None, secure: bool = False, *, headers=None, query_params=None, **extra):
        """A HEAD request: a GET whose response has no body."""
        return self._without_body("HEAD", path, data, secure, headers, query_params, extra)

    def _without_body(self, method, path, data, secure, headers, query_params, extra):
        if query_params and data:
            raise ValueError("query_params and data arguments are mutually exclusive.")
        return self.generic(method, path, secure=secure, headers=headers, query_params=data or query_params,
                            **extra)

    def post(self, path: str, data=None, content_type: str = MULTIPART_CONTENT, secure: bool = False, *,
             headers=None, query_params=None, **extra):
        """A POST request: ``data`` is sent as a multipart form, or as ``content_type`` says (JSON...)."""
        data = self._encode_json({} if data is None else data, content_type)
        body = self._encode_data(data, content_type)
        return self.generic("POST", path, body, content_type, secure=secure, headers=headers,
                            query_params=query_params, **extra)

    def trace(self, path: str, secure: bool = False, *, headers=None, query_params=None, **extra):
        """A TRACE request."""
        return self.generic("TRACE", path, secure=secure, headers=headers, query_params=query_params, **extra)

    def options(self, path: str, data="", content_type: str = "application/octet-stream", secure: bool = False,
                *, headers=None, query_params=None, **extra):
        """An OPTIONS request."""
        return self.generic("OPTIONS", path, data, content_type, secure=secure, headers=headers,
                            query_params=query_params, **extra)

    def put(self, path: str, data="", content_type: str = "application/octet-stream", secure: bool = False, *,
            headers=None, query_params=None, **extra):
        """A PUT request; ``data`` is sent as is, or as JSON for a JSON content type."""
        return self.generic("PUT", path, self._encode_json(data, content_type), content_type, secure=secure,
                            headers=headers, query_params=query_params, **extra)

    def patch(self, path: str, data="", content_type: str = "application/octet-stream", secure: bool = False,
              *, headers=None, query_params=None, **extra):
        """A PATCH request; ``data`` is sent as is, or as JSON for a JSON content type."""
        return self.generic("PATCH", path, self._encode_json(data, content_type), content_type, secure=secure,
                            headers=headers, query_params=query_params, **extra)

    def delete(self, path: str, data="", content_type: str = "application/octet-stream", secure: bool = False,
               *, headers=None, query_params=None, **extra):
        """A DELETE request."""
        return self.generic("DELETE", path, self._encode_json(data, content_type), content_type, secure=secure,
                            headers=headers, query_params=query_params, **extra)

    def generic(self, method: str, path: str, data="", content_type: str | None = "application/octet-stream",
                secure: bool = False, *, headers=None, query_params=None, **extra):
        """A request of any method; every other method ends here."""
        parsed = urlsplit(str(path))
        data = force_bytes(data, settings.DEFAULT_CHARSET)
        request = {
            # WSGI carries the path as bytes decoded as latin-1 (PEP 3333).
            "PATH_INFO": unquote_to_bytes(parsed.path).decode("iso-8859-1"),
            "REQUEST_METHOD": method,
            "SERVER_PORT": "443" if secure else "80",
            "wsgi.url_scheme": "https" if secure else "http",
        }
        if data:
            request.update({"CONTENT_LENGTH": str(len(data)), "CONTENT_TYPE": content_type,
                            "wsgi.input": BytesIO(data)})
        if headers:
            extra.update(HttpHeaders.to_wsgi_names(headers))
        if query_params:
            extra["QUERY_STRING"] = urlencode(query_params, doseq=True)
        request.update(extra)
        # A query in the path counts unless data or query_params gave one; with
        # neither, the factory's default query string (if any) stays.
        if not request.get("QUERY_STRING") and parsed.query:
            request["QUERY_STRING"] = parsed.query.encode().decode("iso-8859-1")
        return self.request(**request)


def conditional_content_removal(request, response):
    """Drop the body where HTTP says there is none (HEAD, 1xx, 204, 304), as a real server would."""
    if request.method == "HEAD" or 100 <= response.status_code < 200 or response.status_code in (204, 304):
        if response.streaming:
            response.streaming_content = []
        else:
            response.content = b""
    return response


def closing_iterator_wrapper(iterable, close):
    """Yield from ``iterable``, then ``close()``: a streaming response closes once it is read."""
    try:
        yield from iterable
    finally:
        close()


class ClientHandler(BaseHandler):
    """The handler behind ``Client``: a WSGI handler that returns the response object itself."""

    def __init__(self, enforce_csrf_checks: bool = True, *args, **kwargs):
        self.enforce_csrf_checks = enforce_csrf_checks
        super().__init__(*args, **kwargs)

    def __call__(self, environ: dict):
        # Loaded on first use, not in __init__, so that a Client made before
        # override_settings(MIDDLEWARE=...) still uses the overridden settings.
        if self._middleware_chain is None:
            self.load_middleware()
        request = WSGIRequest(environ)
        # Tests post forms without fetching a CSRF token first (chapter 10).
        request._dont_enforce_csrf_checks = not self.enforce_csrf_checks
        response = self.get_response(request)
        conditional_content_removal(request, response)
        response.wsgi_request = request
        # Close the response as a WSGI server would once it has sent it.
        if response.streaming:
            response.streaming_content = closing_iterator_wrapper(response.streaming_content, response.close)
        else:
            response.close()
        return response


# >>> 06_orm
from functools import wraps  # noqa: E402 (the 06_orm block's own imports)

from tinyframe.core import signals  # noqa: E402

# The receivers by which tinyframe.db closes a request's connections, by
# the dispatch_uid it connects them with.
CLOSE_OLD_CONNECTIONS = {
    signals.request_started: "tinyframe.db.close_old_connections_started",
    signals.request_finished: "tinyframe.db.close_old_connections_finished",
}


def keep_database_connections(call):
    """``ClientHandler.__call__`` whose requests leave the database connections open, as Django's client does.

    A server closes them when a request ends (``close_old_connections``, with
    the default ``CONN_MAX_AGE`` of 0). Between a test's requests that would
    only reopen them, and a reopened SQLite connection reads the database's
    whole schema again: a tenth of a small admin page's time
    (tests/benchmarks/admin.py).
    """

    @wraps(call)
    def wrapper(self, environ):
        disconnected = [
            signal for signal, uid in CLOSE_OLD_CONNECTIONS.items() if signal.disconnect(dispatch_uid=uid)
        ]
        try:
            return call(self, environ)
        finally:
            if disconnected:
                # Imported only now: a receiver of tinyframe.db was connected, so it is loaded.
                from tinyframe.db import close_old_connections

                for signal in disconnected:
                    signal.connect(close_old_connections, dispatch_uid=CLOSE_OLD_CONNECTIONS[signal])

    return wrapper


ClientHandler.__call__ = keep_database_connections(ClientHandler.__call__)
# <<< 06_orm


def cookie_is_expired(morsel) -> bool:
    """Whether a Set-Cookie tells the browser to delete the cookie: max-age 0, or an expiry in the past."""
    if morsel["max-age"] != "":
        return int(morsel["max-age"]) <= 0
    expires = parse_http_date_safe(morsel["expires"]) if morsel["expires"] else None
    return expires is not None and expires < time.time()


class Client(RequestFactory):
    """A browser for tests: sends requests through the project's handler and keeps cookies.

    ``client.get("/")`` returns the response, with ``response.wsgi_request``,
    ``response.client`` and ``response.json()``. With ``follow=True`` it
    follows redirects. When a view raises, the exception is raised again in
    the test (``raise_request_exception=False`` returns the 500 response
    instead, as a browser would see it).
    """

    def __init__(self, enforce_csrf_checks: bool = False, raise_request_exception: bool = True, *,
                 headers: dict | None = None, query_params: dict | None = None, **defaults):
        super().__init__(headers=headers, query_params=query_params, **defaults)
        self.handler = ClientHandler(enforce_csrf_checks)
        self.raise_request_exception = raise_request_exception
        # The last request's extra environ keys and headers, which
        # assertRedirects sends again when it fetches the redirect target.
        self.extra = None
        self.headers = None

    # >>> 10_auth
    @property
    def session(self):
        """The session of the client's session cookie, as a store; a new, saved one (and cookie) if none.

        Changes made to it are kept only when saved: ``session = client.session;
        session["cart"] = [1]; session.save()``.
        """
        from importlib import import_module

        engine = import_module(settings.SESSION_ENGINE)
        cookie = self.cookies.get(settings.SESSION_COOKIE_NAME)
        if cookie:
            return engine.SessionStore(cookie.value)
        session = engine.SessionStore()
        session.save()
        self.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
        return session

    def login(self, **credentials) -> bool:
        """Sign in with ``credentials`` (``username=..., password=...``) as the login page would.

        Return True when ``authenticate`` accepted them (the client's session
        cookie now carries the signed-in user), False otherwise.
        """
        from tinyframe.contrib.auth import authenticate

        user = authenticate(**credentials)
        if user is None:
            return False
        self._login(user)
        return True

    def force_login(self, user, backend: str | None = None) -> None:
        """Sign ``user`` in without a password (and without hashing one: fast), through ``backend``.

        The backend defaults to the first of ``AUTHENTICATION_BACKENDS`` that
        can load a user again (has ``get_user``). When none can, there is no
        backend to record: ``login`` refuses it with its TypeError, as Django does.
        """
        from tinyframe.contrib.auth import load_backend

        if backend is None:
            backend = next(
                (path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")), None
            )
        user.backend = backend
        self._login(user, backend)

    def _login(self, user, backend: str | None = None) -> None:
        """Log ``user`` in on a request made up for it, save its session and keep its cookie."""
        from tinyframe.contrib.auth import login
        from tinyframe.http import HttpRequest

        request = HttpRequest()
        request.session = self.session
        login(request, user, backend)
        request.session.save()
        name = settings.SESSION_COOKIE_NAME
        self.cookies[name] = request.session.session_key
        self.cookies[name]["path"] = "/"
        if settings.SESSION_COOKIE_DOMAIN:
            self.cookies[name]["domain"] = settings.SESSION_COOKIE_DOMAIN
        if settings.SESSION_COOKIE_SECURE:
            self.cookies[name]["secure"] = True

    def logout(self) -> None:
        """Sign out: log the session's user out (the session is flushed) and forget every cookie."""
        from tinyframe.contrib.auth import get_user, logout
        from tinyframe.http import HttpRequest

        request = HttpRequest()
        request.session = self.session
        request.user = get_user(request)
        logout(request)
        self.cookies = SimpleCookie()

    # <<< 10_auth
    def request(self, **request):
        """Send a request built from environ keys through the handler and return the response."""
        environ = self._base_environ(**request)
        # >>> 04_signals
        # Record the templates the request renders, for response.templates and
        # response.context. Should the handler raise, the recorder, connected
        # weakly, disconnects itself once it is collected.
        rendered = TemplateRecorder()
        rendered.connect()
        # <<< 04_signals
        response = self.handler(environ)
        # >>> 04_signals
        rendered.disconnect()
        response.templates = rendered.templates
        response.context = rendered.context
        # <<< 04_signals
        exc_info = getattr(response.wsgi_request, "_exc_info", None)
        if exc_info is not None and self.raise_request_exception:
            raise exc_info[1]
        response.client = self
        response.request = request
        response.json = partial(self._parse_json, response)
        # >>> 02_urls
        # Which view answered, and with what arguments (None when no pattern matched).
        response.resolver_match = response.wsgi_request.resolver_match
        # <<< 02_urls
        self._store_cookies(response)
        return response

    def _store_cookies(self, response) -> None:
        for key, morsel in response.cookies.items():
            if cookie_is_expired(morsel):
                self.cookies.pop(key, None)
            else:
                self.cookies[key] = morsel

    def _parse_json(self, response, **extra):
        if not hasattr(response, "_json"):
            content_type = response.get("Content-Type")
            if not JSON_CONTENT_TYPE.match(content_type or ""):
                raise ValueError(f'Content-Type header is "{content_type}", not "application/json"')
            response._json = json.loads(response.content.decode(response.charset), **extra)
        return response._json

    def _finish(self, response, follow: bool, **redirect_options):
        self.extra = {key: value for key, value in redirect_options.items()
                      if key not in ("data", "content_type", "headers")}
        self.headers = redirect_options.get("headers")
        if follow:
            response = self._handle_redirects(response, **redirect_options)
        return response

    def get(self, path, data=None, follow=False, secure=False, *, headers=None, query_params=None, **extra):
        """Send a GET request; ``follow=True`` follows redirects."""
        response = super().get(path, data, secure, headers=headers, query_params=query_params, **extra)
        return self._finish(response, follow, data=data, headers=headers, **extra)

    def head(self, path, data=None, follow=False, secure=False, *, headers=None, query_params=None, **extra):
        """Send a HEAD request; ``follow=True`` follows redirects."""
        response = super().head(path, data, secure, headers=headers, query_params=query_params, **extra)
        return self._finish(response, follow, data=data, headers=headers, **extra)

    def post(self, path, data=None, content_type=MULTIPART_CONTENT, follow=False, secure=False, *, headers=None,
             query_params=None, **extra):
        """Send a POST request; ``follow=True`` follows redirects."""
        response = super().post(path, data, content_type, secure, headers=headers, query_params=query_params,
                                **extra)
        return self._finish(response, follow, data=data, content_type=content_type, headers=headers, **extra)

    def put(self, path, data="", content_type="application/octet-stream", follow=False, secure=False, *,
            headers=None, query_params=None, **extra):
        """Send a PUT request; ``follow=True`` follows redirects."""
        response = super().put(path, data, content_type, secure, headers=headers, query_params=query_params,
                               **extra)
        return self._finish(response, follow, data=data, content_type=content_type, headers=headers, **extra)

    def patch(self, path, data="", content_type="application/octet-stream", follow=False, secure=False, *,
              headers=None, query_params=None, **extra):
        """Send a PATCH request; ``follow=True`` follows redirects."""
        response = super().patch(path, data, content_type, secure, headers=headers, query_params=query_params,
                                 **extra)
        return self._finish(response, follow, data=data, content_type=content_type, headers=headers, **extra)

    def delete(self, path, data="", content_type="application/octet-stream", follow=False, secure=False, *,
               headers=None, query_params=None, **extra):
        """Send a DELETE request; ``follow=True`` follows redirects."""
        response = super().delete(path, data, content_type, secure, headers=headers, query_params=query_params,
                                  **extra)
        return self._finish(response, follow, data=data, content_type=content_type, headers=headers, **extra)

    def options(self, path, data="", content_type="application/octet-stream", follow=False, secure=False, *,
                headers=None, query_params=None, **extra):
        """Send an OPTIONS request; ``follow=True`` follows redirects."""
        response = super().options(path, data, content_type, secure, headers=headers, query_params=query_params,
                                   **extra)
        return self._finish(response, follow, data=data, content_type=content_type, headers=headers, **extra)

    def trace(self, path, follow=False, secure=False, *, headers=None, query_params=None, **extra):
        """Send a TRACE request; ``follow=True`` follows redirects."""
        response = super().trace(path, secure, headers=headers, query_params=query_params, **extra)
        return self._finish(response, follow, headers=headers, **extra)

    def _handle_redirects(self, response, data="", content_type="", headers=None, **extra):
        """Follow redirects from ``response`` until a response that is not one; return that last response.

        A redirect has a status in ``REDIRECT_STATUS_CODES`` and a Location
        header. For each one, append ``(location, status_code)`` to
        ``response.redirect_chain`` (start it empty) and request the location:
        a relative location is joined to the path just requested
        (``response.request["PATH_INFO"]``); a location's scheme, host and port
        go into the environ (``wsgi.url_scheme``, ``SERVER_NAME``,
        ``HTTP_HOST``, ``SERVER_PORT``). After 301, 302 and 303 the next request
        is a GET whose data is the location's query string; 307 and 308 repeat
        the method, with the original ``data`` and ``content_type`` (a GET or
        HEAD takes its data from the location's query string). Every new
        response carries the same ``redirect_chain`` list. Raise
        ``RedirectCycleError("Redirect loop detected.", last_response=...)``
        when a ``(location, status)`` repeats, and
        ``RedirectCycleError("Too many redirects.", ...)`` past 20 hops.
        """
        redirect_chain = response.redirect_chain = []
        while response.status_code in REDIRECT_STATUS_CODES:
            location = response["Location"]
            redirect_chain.append((location, response.status_code))
            url = urlsplit(location)
            if url.scheme:
                extra["wsgi.url_scheme"] = url.scheme
            if url.hostname:
                extra["SERVER_NAME"] = url.hostname
                extra["HTTP_HOST"] = url.netloc.rpartition("@")[2]
            if url.port:
                extra["SERVER_PORT"] = str(url.port)
            # "" means "this same page" in a relative location, but "/" after a host.
            path = url.path or ("/" if url.netloc else "")
            path = urljoin(response.request["PATH_INFO"], path)

            method = "GET"
            if response.status_code in (307, 308):
                method = response.request["REQUEST_METHOD"]
            if method in ("GET", "HEAD"):
                send = self.get if method == "GET" else self.head
                response = send(path, data=QueryDict(url.query), headers=headers, **extra)
            else:
                send = getattr(self, method.lower())
                response = send(path, data=data, content_type=content_type, headers=headers,
                                **{**extra, "QUERY_STRING": url.query})
            response.redirect_chain = redirect_chain

            if redirect_chain[-1] in redirect_chain[:-1]:
                raise RedirectCycleError("Redirect loop detected.", last_response=response)
            # A chain this long is a loop whose URL changes on each hop; 20 is
            # the limit browsers such as Firefox use.
            if len(redirect_chain) > 20:
                raise RedirectCycleError("Too many redirects.", last_response=response)
        return response
