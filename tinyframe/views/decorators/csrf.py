"""CSRF protection for one view: on, off, or only the token.

How it works: ``csrf_protect`` runs ``CsrfViewMiddleware`` around one view
(``decorator_from_middleware``), for a site without the middleware. Two
quiet subclasses of the middleware never refuse: ``requires_csrf_token``
only makes the token available (a 403 page's template, say, that shows a
form), and ``ensure_csrf_cookie`` also always sends the cookie (a page whose
script posts with the ``X-CSRFToken`` header but has no form). ``csrf_exempt``
marks a view (``view.csrf_exempt = True``) so that the middleware lets its
unsafe requests through unchecked: a webhook that another service calls.
A request checked once is not checked again (``request.csrf_processing_done``),
so the decorator and the middleware together are harmless.

    >>> from tinyframe.http import HttpResponse
    >>> @csrf_exempt
    ... def webhook(request):
    ...     return HttpResponse("received")
    >>> webhook.csrf_exempt, webhook.__name__
    (True, 'webhook')
"""

from functools import wraps

from tinyframe.middleware.csrf import CsrfViewMiddleware, get_token
from tinyframe.utils.decorators import decorator_from_middleware

__all__ = ["csrf_exempt", "csrf_protect", "ensure_csrf_cookie", "requires_csrf_token"]

csrf_protect = decorator_from_middleware(CsrfViewMiddleware)
csrf_protect.__name__ = "csrf_protect"
csrf_protect.__doc__ = """Check this view's unsafe requests as CsrfViewMiddleware would, and send the CSRF cookie."""


class _EnsureCsrfToken(CsrfViewMiddleware):
    """The middleware, reading the secret and sending the cookie, but refusing nothing (and logging nothing)."""

    def _reject(self, request, reason):
        return None


requires_csrf_token = decorator_from_middleware(_EnsureCsrfToken)
requires_csrf_token.__name__ = "requires_csrf_token"
requires_csrf_token.__doc__ = """Make the CSRF token available to this view's templates; refuse no request."""


class _EnsureCsrfCookie(_EnsureCsrfToken):
    """Like ``_EnsureCsrfToken``, and the response always carries the cookie."""

    def process_view(self, request, callback, callback_args, callback_kwargs):
        response = super().process_view(request, callback, callback_args, callback_kwargs)
        get_token(request)  # flags the cookie to be sent by process_response
        return response


ensure_csrf_cookie = decorator_from_middleware(_EnsureCsrfCookie)
ensure_csrf_cookie.__name__ = "ensure_csrf_cookie"
ensure_csrf_cookie.__doc__ = """Send the CSRF cookie with this view's response, whether or not its page uses a token."""


def csrf_exempt(view_func):
    """Mark ``view_func`` as exempt from CSRF checks (a new function: the view itself is left unchanged)."""

    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        return view_func(request, *args, **kwargs)

    wrapper.csrf_exempt = True
    return wrapper
