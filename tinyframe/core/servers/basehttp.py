"""The development server: the standard library's ``wsgiref`` server, made a little friendlier.

How it works: ``run(addr, port, app)`` makes a ``WSGIServer`` (threaded unless
asked not to) listening on the address, and serves forever. For each
connection the server makes a ``WSGIRequestHandler``, which parses the HTTP
request into a WSGI environ, calls the application, writes the response and
logs one line such as ``"GET /blog/ HTTP/1.1" 200 1234`` on the
``tinyframe.server`` logger. Each connection carries one request and the
response says ``HTTP/1.0``, as ``wsgiref`` does; browsers cope fine.
``get_internal_wsgi_application`` finds the application to serve: the one
named by ``settings.WSGI_APPLICATION``, or tinyframe's default.

Like Django's runserver this is for development only: it has had no security
review and is not built to carry load. In production, run a real WSGI server
(gunicorn, waitress...) on ``tinyframe.core.wsgi.get_wsgi_application()``.
"""

import logging
import socket
import socketserver
import sys
from wsgiref import simple_server

from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.utils.module_loading import import_string

__all__ = ["WSGIServer", "ThreadedWSGIServer", "WSGIRequestHandler", "run", "get_internal_wsgi_application"]

logger = logging.getLogger("tinyframe.server")


def get_internal_wsgi_application():
    """The WSGI application runserver serves: ``settings.WSGI_APPLICATION``, else the default one.

    A project sets ``WSGI_APPLICATION = "mysite.wsgi.application"`` when its
    ``wsgi.py`` wraps the application (in a middleware of its own, say), so
    that runserver serves exactly what production serves.
    """
    from tinyframe.conf import settings
    from tinyframe.core.wsgi import get_wsgi_application

    app_path = settings.WSGI_APPLICATION
    if app_path is None:
        return get_wsgi_application()
    try:
        return import_string(app_path)
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"WSGI application {app_path!r} could not be loaded; Error importing module: {exc}. "
            f"Check the WSGI_APPLICATION setting, or remove it to serve tinyframe's default application."
        ) from exc


def is_broken_pipe_error() -> bool:
    """Whether the exception being handled means the client hung up (nothing to report)."""
    exc_type = sys.exc_info()[0]
    return exc_type is not None and issubclass(exc_type, (BrokenPipeError, ConnectionAbortedError,
                                                          ConnectionResetError))


class WSGIServer(simple_server.WSGIServer):
    """wsgiref's server, able to listen on IPv6 and to restart at once on the same port."""

    request_queue_size = 10

    def __init__(self, *args, ipv6: bool = False, allow_reuse_address: bool = True, **kwargs):
        if ipv6:
            self.address_family = socket.AF_INET6
        # Without SO_REUSEADDR, restarting the server right after stopping it
        # fails with "Address already in use" for a minute or so.
        self.allow_reuse_address = allow_reuse_address
        super().__init__(*args, **kwargs)

    def handle_error(self, request, client_address):
        # A browser that stops loading a page closes its connection mid-response;
        # that is no error of the application, so it gets one quiet line.
        if is_broken_pipe_error():
            logger.info("- Broken pipe from %s", client_address)
        else:
            super().handle_error(request, client_address)


class ThreadedWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    """A WSGIServer that handles each connection in its own thread.

    One slow request (or a browser holding a connection open) then does not
    block every other. The threads are daemons, so Ctrl-C stops the server at
    once instead of waiting for them.
    """

    daemon_threads = True


class WSGIRequestHandler(simple_server.WSGIRequestHandler):
    """Handles one connection: builds the environ, runs the application, logs the request."""

    def get_environ(self) -> dict:
        # WSGI turns dashes in header names into underscores, so "X-Auth_User"
        # and "X-Auth-User" would both become HTTP_X_AUTH_USER: a client could
        # smuggle a header past a proxy that strips the other spelling. Headers
        # with underscores are dropped, as Django does.
        for name in list(self.headers):
            if "_" in name:
                del self.headers[name]
        return super().get_environ()

    def log_request(self, code="-", size="-") -> None:
        """Log the request line, status and size, at a level that matches the status."""
        status = int(code) if str(code).isdigit() else 0
        if status == 400 and self.requestline.startswith("\x16\x03"):
            # 0x16 0x03 opens a TLS handshake: a browser asked for https://.
            logger.error("You're accessing the development server over HTTPS, but it only supports HTTP.")
            return
        if status >= 500:
            level = logging.ERROR
        elif status >= 400:
            level = logging.WARNING
        else:
            level = logging.INFO
        logger.log(level, '"%s" %s %s', self.requestline, code, size)

    def log_message(self, format, *args) -> None:
        # http.server reports malformed requests through here ("code 400,
        # message Bad request syntax"); send them to the logger, not stderr.
        if self.requestline.startswith("\x16\x03"):
            return
        logger.warning(format, *args)


def run(addr: str, port: int, wsgi_handler, ipv6: bool = False, threading: bool = False, on_bind=None,
        server_cls=WSGIServer) -> None:
    """Serve ``wsgi_handler`` on ``addr:port`` until interrupted.

    ``on_bind(port)`` is called once the socket is listening, with the real
    port: ask for port 0 and the operating system picks a free one.
    ``threading=True`` handles connections in threads, as runserver does.
    """
    server = make_server(addr, port, wsgi_handler, ipv6=ipv6, threading=threading, server_cls=server_cls)
    if on_bind is not None:
        on_bind(server.server_port)
    try:
        server.serve_forever()
    finally:
        server.server_close()


def make_server(addr: str, port: int, wsgi_handler, ipv6: bool = False, threading: bool = False,
                server_cls=WSGIServer) -> WSGIServer:
    """Make the server ``run`` serves with, listening but not yet serving (tests call ``serve_forever`` in a thread)."""
    if threading and server_cls is WSGIServer:
        server_cls = ThreadedWSGIServer
    elif threading and not issubclass(server_cls, socketserver.ThreadingMixIn):
        server_cls = type(server_cls.__name__, (socketserver.ThreadingMixIn, server_cls), {"daemon_threads": True})
    server = server_cls((addr, port), WSGIRequestHandler, ipv6=ipv6)
    server.set_app(wsgi_handler)
    return server
