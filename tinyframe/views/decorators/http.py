"""Decorators that restrict which HTTP methods a function view accepts.

How it works: ``require_http_methods(["GET", "POST"])`` returns a decorator;
the decorator wraps a view in a function that checks ``request.method``
before the view runs, and answers any other method with 405 Method Not
Allowed, whose ``Allow`` header lists the accepted methods (HTTP requires it).
``require_GET``, ``require_POST`` and ``require_safe`` are the common lists.

    >>> from tinyframe.http import HttpResponse
    >>> from tinyframe.test import RequestFactory
    >>> @require_POST
    ... def vote(request):
    ...     return HttpResponse("Thanks!")
    >>> vote(RequestFactory().post("/vote/")).content
    b'Thanks!'
    >>> response = vote(RequestFactory().get("/vote/"))
    >>> response.status_code, response["Allow"]
    (405, 'POST')
"""

from functools import wraps

from tinyframe.core.handlers.exception import log_response
from tinyframe.http import HttpResponseNotAllowed

__all__ = ["require_GET", "require_POST", "require_http_methods", "require_safe"]


def require_http_methods(request_method_list):
    """Return a decorator that lets a view answer only the methods in ``request_method_list``.

    Methods are upper case, as in ``request.method``: ``@require_http_methods(["GET", "POST"])``.
    The decorator returns a wrapper (keeping the view's name and docstring with
    ``functools.wraps``) that calls the view when ``request.method`` is in the
    list, and otherwise returns ``HttpResponseNotAllowed(request_method_list)``
    after logging it with ``log_response("Method Not Allowed (%s): %s",
    request.method, request.path, response=..., request=...)``.
    """

    def decorator(view):
        @wraps(view)
        def inner(request, *args, **kwargs):
            if request.method not in request_method_list:
                response = HttpResponseNotAllowed(request_method_list)
                log_response("Method Not Allowed (%s): %s", request.method, request.path, response=response,
                             request=request)
                return response
            return view(request, *args, **kwargs)

        return inner

    return decorator


# The shortcuts are functions rather than require_http_methods([...]) called at
# import time, so that this module imports even while that exercise is a stub.
def require_GET(view):
    """Let a view answer only GET requests."""
    return require_http_methods(["GET"])(view)


def require_POST(view):
    """Let a view answer only POST requests."""
    return require_http_methods(["POST"])(view)


def require_safe(view):
    """Let a view answer only the methods that read without changing anything: GET and HEAD.

    HEAD is GET without the body, so a view that is safe for GET is safe for HEAD.
    """
    return require_http_methods(["GET", "HEAD"])(view)
