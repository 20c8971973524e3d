"""Turning exceptions into responses, so a request always gets an answer.

How it works: ``convert_exception_to_response(get_response)`` wraps a
``get_response`` callable so that any exception it raises goes to
``response_for_exception(request, exc)``. That picks the status the exception
stands for (``Http404`` → 404, ``PermissionDenied`` → 403,
``RequestDataTooBig`` → 413, ``BadRequest`` and ``SuspiciousOperation`` →
400, anything else → 500), logs it, and builds the page with
``get_exception_response`` (client errors) or ``handle_uncaught_exception``
(server errors). The pages name no internals unless ``settings.DEBUG`` is on;
then they show the exception's message and, for a 500, its traceback, every
value HTML-escaped.

The handler wraps its innermost ``_get_response`` this way, and from chapter
05 on every middleware layer too, so an exception never escapes into the
WSGI server, whose own error page would say nothing useful.
"""

import html
import logging
import sys
import traceback
from functools import wraps

from tinyframe.conf import settings
# >>> 04_signals
from tinyframe.core import signals
# <<< 04_signals
from tinyframe.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from tinyframe.http import Http404, HttpResponse
from tinyframe.http.multipartparser import MultiPartParserError
# >>> 02_urls
from tinyframe.urls import get_resolver, get_urlconf
# <<< 02_urls

request_logger = logging.getLogger("tinyframe.request")

# The titles of the default error pages; Django's wording for the codes it has,
# and RFC 9110's name for 413 (Django has no 413 page).
ERROR_TITLES = {
    400: "Bad Request (400)",
    403: "403 Forbidden",
    404: "Not Found",
    413: "Content Too Large (413)",
    500: "Server Error (500)",
}

ERROR_DETAILS = {
    404: "The requested resource was not found on this server.",
}

ERROR_PAGE_TEMPLATE = """<!doctype html>
<html lang="en">
<head>
  <title>{title}</title>
</head>
<body>
  <h1>{title}</h1><p>{details}</p>
</body>
</html>
"""


def convert_exception_to_response(get_response):
    """Wrap ``get_response(request)`` so that an exception it raises becomes an error response.

    Each layer of the handler is wrapped like this, so the layer around it
    always receives a response, never an exception.
    """

    @wraps(get_response)
    def inner(request):
        try:
            response = get_response(request)
        except Exception as exc:
            response = response_for_exception(request, exc)
        return response

    return inner


def response_for_exception(request, exc: Exception):
    """The response for an exception raised while handling ``request``: 404, 403, 400, 413, else 500."""
    if isinstance(exc, Http404):
        response = get_exception_response(request, 404, exc)
    elif isinstance(exc, PermissionDenied):
        response = get_exception_response(request, 403, exc)
        log_response("Forbidden (Permission denied): %s", request.path, response=response, request=request,
                     exception=exc)
    elif isinstance(exc, MultiPartParserError):
        response = get_exception_response(request, 400, exc)
        log_response("Bad request (Unable to parse request body): %s", request.path, response=response,
                     request=request, exception=exc)
    elif isinstance(exc, BadRequest):
        response = get_exception_response(request, 400, exc)
        log_response("%s: %s", str(exc), request.path, response=response, request=request, exception=exc)
    elif isinstance(exc, SuspiciousOperation):
        if isinstance(exc, (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)):
            # Reading request.POST again would raise the same error again;
            # leave it empty for whatever runs next (an error view, a middleware).
            request._mark_post_parse_error()
        # Every suspicious operation goes to its own security logger, so a
        # project can send, say, DisallowedHost somewhere quieter than the rest.
        security_logger = logging.getLogger(f"tinyframe.security.{exc.__class__.__name__}")
        security_logger.error(str(exc), exc_info=exc, extra={"status_code": 400, "request": request})
        # RequestDataTooBig is suspicious too, but HTTP has a status of its own for it.
        status_code = 413 if isinstance(exc, RequestDataTooBig) else 400
        response = get_exception_response(request, status_code, exc)
    else:
        response = server_error_response(request, exc)
    return response


def server_error_response(request, exc: Exception):
    """The 500 for an exception nothing above knows how to answer: the server's own error.

    ``sys.exc_info()`` is kept on ``request._exc_info``: the test client reads
    it to re-raise the view's exception in the test
    (``Client(raise_request_exception=True)``), which makes a failing view's
    traceback show up where the test failed.
    """
    # >>> 04_signals
    signals.got_request_exception.send(sender=None, request=request)
    # <<< 04_signals
    exc_info = sys.exc_info()
    request._exc_info = exc_info
    response = handle_uncaught_exception(request, exc_info)
    log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request,
                 exception=exc)
    return response


def get_exception_response(request, status_code: int, exception: Exception):
    """The page for a client error: a plain one, plus the exception's message when DEBUG is on.

    The message stays hidden otherwise: it may name things (a host, a limit, a
    file) that an attacker should not learn.
    """
    # >>> 02_urls
    # Imported here, not at the top: tinyframe.views imports this module (for log_response).
    from tinyframe.views.debug import technical_404_response

    if status_code == 404 and settings.DEBUG:
        return technical_404_response(request, exception)
    # The root URLconf's handler400/403/404 answers (tinyframe.views.defaults
    # unless it names its own); with DEBUG on, a 400 keeps the page below,
    # which shows the message.
    has_handler = status_code in (403, 404) or (status_code == 400 and not settings.DEBUG)
    if has_handler and (get_urlconf() or settings.ROOT_URLCONF):
        try:
            error_view = get_resolver(get_urlconf()).resolve_error_handler(status_code)
            return error_view(request, exception=exception)
        except Exception:
            # A broken error view is a server error; the test client re-raises it.
            # >>> 04_signals
            signals.got_request_exception.send(sender=None, request=request)
            # <<< 04_signals
            request._exc_info = sys.exc_info()
            return handle_uncaught_exception(request, request._exc_info)
    # <<< 02_urls
    title = ERROR_TITLES.get(status_code, f"Error ({status_code})")
    details = ERROR_DETAILS.get(status_code, "")
    if settings.DEBUG and str(exception):
        details = html.escape(str(exception))
    content = ERROR_PAGE_TEMPLATE.format(title=title, details=details)
    return HttpResponse(content, status=status_code)


def handle_uncaught_exception(request, exc_info):
    """The page for a server error: a debugging page when DEBUG is on, a bare one otherwise."""
    # >>> 02_urls
    if not settings.DEBUG and (get_urlconf() or settings.ROOT_URLCONF):
        try:
            return get_resolver(get_urlconf()).resolve_error_handler(500)(request)
        except Exception:
            # handler500 failed too: log why, and fall back to the bare page below.
            request_logger.error("The handler500 view raised an exception", exc_info=True,
                                 extra={"status_code": 500, "request": request})
    # <<< 02_urls
    if settings.DEBUG:
        return technical_500_response(request, *exc_info)
    return HttpResponse(ERROR_PAGE_TEMPLATE.format(title=ERROR_TITLES[500], details=""), status=500)


def technical_500_response(request, exc_type, exc_value, tb, status_code: int = 500):
    """A page showing the exception, its message and its traceback, for DEBUG mode only.

    Everything shown is escaped: the message may hold text from the request
    (a parameter, a header), and this page must not become a way to run a
    script in the developer's browser.
    """
    title = f"{exc_type.__name__} at {request.path}"
    frames = "".join(traceback.format_exception(exc_type, exc_value, tb))
    content = (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n"
        f"  <title>{html.escape(title)}</title>\n</head>\n<body>\n"
        f"  <h1>{html.escape(exc_type.__name__)} at {html.escape(request.path)}</h1>\n"
        f"  <pre class=\"exception_value\">{html.escape(str(exc_value))}</pre>\n"
        f"  <p>Request Method: {html.escape(request.method or '')}</p>\n"
        f"  <h2>Traceback</h2>\n  <pre class=\"traceback\">{html.escape(frames)}</pre>\n"
        "  <p>You're seeing this error because you have <code>DEBUG = True</code> in your settings. "
        "Change that to <code>False</code>, and tinyframe will show a standard page instead.</p>\n"
        "</body>\n</html>\n"
    )
    return HttpResponse(content, status=status_code)


def escape_log_argument(argument):
    """A text argument of a log line with its control and non-ASCII characters written as escapes.

    The path and headers come from the client: a raw newline in them would
    start a forged line in the log file. Anything but text is left alone.

    >>> print(escape_log_argument("/ok/é\\n"))
    /ok/\\xe9\\n
    >>> escape_log_argument(404)
    404
    """
    return argument.encode("unicode_escape").decode("ascii") if isinstance(argument, str) else argument


def log_response(message: str, *args, response=None, request=None, logger=request_logger,
                 exception=None) -> None:
    """Log an error response once on ``logger``: 5xx as errors (with the traceback), 4xx as warnings.

    Both ``response_for_exception`` and ``BaseHandler.get_response`` see a
    failed response; the ``_has_been_logged`` mark keeps it to one line.
    The ``args`` (the path, mostly) are escaped by ``escape_log_argument``.
    """
    if getattr(response, "_has_been_logged", False):
        return
    level = logging.ERROR if response.status_code >= 500 else logging.WARNING
    logger.log(level, message, *(escape_log_argument(argument) for argument in args), exc_info=exception,
               extra={"status_code": response.status_code, "request": request})
    response._has_been_logged = True
